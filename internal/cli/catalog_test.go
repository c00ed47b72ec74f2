//go:build duckdb_arrow

package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCatalogList(t *testing.T) {
	r := inproc(t, "", "catalog", "--format", "json").must(t, "catalog")
	rows := decodeJSON(t, r.out)
	aws := 0
	for _, row := range rows {
		if name, _ := row["aws_name"].(string); strings.HasPrefix(name, "VpcFlowLogs") {
			aws++
		}
	}
	if aws != 16 {
		t.Errorf("catalog lists %d AWS named queries, want 16", aws)
	}
	r = inproc(t, "", "catalog", "show", "VpcFlowLogsTotalBytesTransferred", "--dialect", "athena", "--athena-db", "ir")
	r.must(t, "catalog show")
	for _, want := range []string{"total-bytes-transferred", `"ir"."vpc_flow_logs"`, "ORDER BY totalbytes DESC", "LIMIT 50", "Deviation"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("catalog show lacks %q:\n%s", want, r.out)
		}
	}
}

func TestRunByIDAndAWSName(t *testing.T) {
	db := fixtureCase(t)
	byID := inproc(t, "", "run", "--db", db, "traffic-from-src-addr", "--param", "srcaddr=10.0.0.5", "--format", "json").must(t, "run by id")
	byName := inproc(t, "", "run", "--db", db, "VpcFlowLogsTrafficFrmSrcAddr", "-p", "srcaddr=10.0.0.5", "--format", "json").must(t, "run by AWS name")
	if byID.out != byName.out {
		t.Errorf("id and AWS name give different results")
	}
	rows := decodeJSON(t, byID.out)
	if len(rows) != 4 {
		t.Fatalf("%d records from 10.0.0.5, want 4", len(rows))
	}
	for _, row := range rows {
		if row["srcaddr"] != "10.0.0.5" {
			t.Errorf("row from %v", row["srcaddr"])
		}
		if _, ok := row["vpc_id"]; ok {
			t.Errorf("a default-format case lists columns its data does not have")
		}
	}
	// A date given to --to includes the whole day; --limit overrides the entry's limit.
	r := inproc(t, "", "run", "--db", db, "top-talkers", "--from", "2026-01-01", "--to", "2026-01-01", "--limit", "2", "--format", "json").must(t, "top talkers")
	rows = decodeJSON(t, r.out)
	if len(rows) != 2 || rows[0]["ip"] != "203.0.113.9" || text(rows[0]["total_bytes"]) != "107647485149" || rows[1]["ip"] != "10.0.0.6" {
		t.Errorf("top talkers = %v", rows)
	}
	r = inproc(t, "", "run", "--db", db, "top-talkers", "--to", "2025-12-31", "--format", "json").must(t, "empty window")
	if rows := decodeJSON(t, r.out); len(rows) != 0 {
		t.Errorf("a window before the data returned %v", rows)
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	db := fixtureCase(t)
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"traffic-from-src-addr", "--param", "srcaddr=1.2.3.4' OR '1'='1"}, 2, "not an IP address"},
		{[]string{"traffic-from-src-addr"}, 2, "needs --param srcaddr=<ip>"},
		{[]string{"traffic-from-src-addr", "-p", "srcaddr=10.0.0.5", "-p", "port=22"}, 2, "has no parameter \"port\""},
		{[]string{"top-talkers", "--account", "12345"}, 2, "--account"},
		{[]string{"top-talkers", "--from", "last tuesday"}, 2, "--from"},
		{[]string{"no-such-entry"}, 2, "no catalogue entry"},
		{[]string{"data-ratio", "-p", "ip=10.0.0.5", "--from", "24h"}, 2, "playbook's SQL as written"},
		{[]string{"top-talkers-packet-level"}, 1, "${pkt-srcaddr} ${pkt-dstaddr}"},
		{[]string{"top-talking-instances"}, 1, "version 3 fields"},
	}
	for _, c := range cases {
		r := inproc(t, "", append([]string{"run", "--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.err, c.says) {
			t.Errorf("run %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, r.code, r.err, c.code, c.says)
		}
	}
}

func TestRunExplainShowsPrunedScan(t *testing.T) {
	db := fixtureCase(t)
	// Half the fixture lies outside the window (if it all lay inside, DuckDB would drop the
	// filter as always true from the row groups' statistics).
	r := inproc(t, "", "run", "--db", db, "top-talkers", "--from", "2026-01-01T00:30:00Z", "--to", "2026-01-01", "--explain").must(t, "explain")
	plan := strings.ReplaceAll(r.out, " ", "")
	scan := plan[strings.Index(plan, "SEQ_SCAN"):]
	if !strings.Contains(scan, "Filters:") || !strings.Contains(scan, "end>=1767227400") {
		t.Errorf("the time filter does not reach the table scan:\n%s", r.out)
	}
}

func TestPlaybook(t *testing.T) {
	db := fixtureCase(t)
	r := inproc(t, "", "playbook", "--db", db, "--ip", "10.0.0.5", "--format", "table").must(t, "playbook")
	for i, step := range []string{"Step 1: What one address did", "Step 2: Data ratio", "Step 3: The ports", "Step 4: One address's records"} {
		if !strings.Contains(r.out, step) {
			t.Errorf("step %d %q missing:\n%s", i+1, step, r.out)
		}
	}
	if !strings.Contains(r.out, "2549161216") { // (3000000000+2500000001+2147483648)/3, integer division
		t.Errorf("data ratio of 10.0.0.5 -> 203.0.113.9 missing:\n%s", r.out)
	}
	r = inproc(t, "", "playbook", "--db", db, "--ip", "10.0.0.5", "--format", "json").must(t, "playbook json")
	var steps []struct {
		Step  int
		ID    string
		Title string
		Rows  []map[string]any
	}
	if err := json.Unmarshal([]byte(r.out), &steps); err != nil {
		t.Fatalf("playbook JSON: %v\n%s", err, r.out)
	}
	if len(steps) != 4 || steps[1].ID != "data-ratio" || len(steps[1].Rows) != 3 || len(steps[3].Rows) != 6 {
		t.Errorf("playbook JSON steps: %+v", steps)
	}
	if r := inproc(t, "", "playbook", "--db", db); r.code != 2 {
		t.Errorf("playbook without --ip: exit %d", r.code)
	}
}
