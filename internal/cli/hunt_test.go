//go:build duckdb_arrow

package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/synth"
)

// huntFixture generates a small benchmark-world dataset with the hunt scenarios and ingests it.
func huntFixture(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	_, err := synth.Generate(context.Background(), data, synth.Config{Seed: 5, BenchOnly: true, Hunt: true,
		Records: 60_000, Days: 3, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "case.duckdb")
	inproc(t, "", "ingest", "--progress", "none", "--db", db, filepath.Join(data, "AWSLogs")).must(t, "ingest")
	return db
}

func TestHuntCommand(t *testing.T) {
	db := huntFixture(t)
	r := inproc(t, "", "hunt", "--db", db, "--format", "json").must(t, "hunt")
	if !strings.Contains(r.err, "hunt 1: 13 detectors over") {
		t.Errorf("stderr: %s", r.err)
	}
	// Progress per detector, as whole lines when stderr is not a terminal.
	for _, want := range []string{"preparing records", "[1/13] port-scan", "[13/13] dos-volume"} {
		if !strings.Contains(r.err, want) || strings.Contains(r.err, "…") {
			t.Errorf("progress lacks %q (or has partial lines):\n%s", want, r.err)
		}
	}
	fs := decodeJSON(t, r.out)
	var scan map[string]any
	for _, f := range fs {
		for _, k := range []string{"id", "severity", "detector", "entity", "window_start", "window_end", "summary", "tier",
			"interfaces", "thresholds", "measured", "explanation", "evidence_sql", "evidence_params"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding without %s: %v", k, f)
			}
		}
		if _, ok := f["thresholds"].(map[string]any); !ok {
			t.Errorf("thresholds are not an object: %v", f["thresholds"])
		}
		if f["detector"] == "port-scan" && f["entity"] == "198.51.100.23" {
			scan = f
		}
	}
	if scan == nil {
		t.Fatalf("no port-scan finding for the planted scan in %d findings", len(fs))
	}
	id := text(scan["id"])
	if m := scan["measured"].(map[string]any); text(m["ports"]) != "1000" {
		t.Errorf("measured %v", m)
	}
	if !strings.Contains(text(scan["explanation"]), "threshold is 50 ports within 10m") {
		t.Errorf("explanation: %s", text(scan["explanation"]))
	}

	t.Run("finding show", func(t *testing.T) {
		r := inproc(t, "", "finding", "show", "--db", db, "--format", "table", strings.ToLower(id)).must(t, "show")
		for _, want := range []string{"finding_id:      " + id, "explanation:", "evidence_sql:", "thresholds:", "interfaces:"} {
			if !strings.Contains(r.out, want) {
				t.Errorf("show lacks %q:\n%s", want, r.out)
			}
		}
		ev := inproc(t, "", "finding", "show", "--db", db, "--format", "csv", "--evidence", id).must(t, "evidence")
		lines := strings.Split(strings.TrimSpace(ev.out), "\n")
		if len(lines) < 1001 || !strings.HasPrefix(lines[0], "version,account_id,interface_id,srcaddr") {
			t.Fatalf("evidence: %d lines, header %q", len(lines), lines[0])
		}
		for _, l := range lines[1:] {
			if !strings.Contains(l, "198.51.100.23") {
				t.Fatalf("evidence row without the scanner: %s", l)
			}
		}
		if r := inproc(t, "", "finding", "show", "--db", db, "F-9999"); r.code != 1 || !strings.Contains(r.err, "no such finding") {
			t.Errorf("unknown finding: %d %s", r.code, r.err)
		}
		list := decodeJSON(t, inproc(t, "", "finding", "list", "--db", db, "--format", "json").must(t, "list").out)
		if len(list) != len(fs) {
			t.Errorf("finding list: %d, hunt: %d", len(list), len(fs))
		}
	})
	t.Run("same id again", func(t *testing.T) {
		again := decodeJSON(t, inproc(t, "", "hunt", "--db", db, "--format", "json", "--only", "port-scan").must(t, "hunt").out)
		if len(again) != 1 || text(again[0]["id"]) != id {
			t.Errorf("re-run: %v (want %s)", again, id)
		}
		r := inproc(t, "", "hunt", "--db", db, "--format", "table", "--only", "port-scan")
		if !strings.HasPrefix(r.out, "id ") || !strings.Contains(r.out, "summary") || strings.Contains(r.out, "evidence_sql") {
			t.Errorf("table output:\n%s", r.out)
		}
	})
	t.Run("rules", func(t *testing.T) {
		dir := t.TempDir()
		bad := writeFile(t, filepath.Join(dir, "bad.yaml"), []byte("detectors:\n  port-scan:\n    internet_min_port: 30\n"))
		r := inproc(t, "", "hunt", "--db", db, "--rules", bad)
		if r.code != 2 || !strings.Contains(r.err, "line 3") || !strings.Contains(r.err, `unknown key "internet_min_port"`) {
			t.Errorf("bad rules: %d %s", r.code, r.err)
		}
		good := writeFile(t, filepath.Join(dir, "good.yaml"), []byte("detectors:\n  port-scan:\n    internet_min_ports: 2000\n"))
		out := decodeJSON(t, inproc(t, "", "hunt", "--db", db, "--format", "json", "--only", "port-scan", "--rules", good).must(t, "rules").out)
		if len(out) != 0 {
			t.Errorf("2000 ports: %v", out)
		}
		p := inproc(t, "", "hunt", "--print-rules", "--baseline-until", "2026-11-02").must(t, "print-rules")
		for _, want := range []string{"internet_min_ports: 50", "Source: Panther", "baseline_until: \"2026-11-02\"", "min_bytes: 5000000"} {
			if !strings.Contains(p.out, want) {
				t.Errorf("print-rules lacks %q", want)
			}
		}
		printed := writeFile(t, filepath.Join(dir, "printed.yaml"), []byte(p.out))
		inproc(t, "", "hunt", "--db", db, "--rules", printed, "--only", "reject-spike").must(t, "printed rules")
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"--only", "port-scan,nope"},
			{"--from", "2026-11-03", "--to", "2026-11-02"},
			{"--baseline-until", "soon"},
			{"--format", "xml"},
		} {
			r := inproc(t, "", append([]string{"hunt", "--db", db}, args...)...)
			if r.code != 2 {
				t.Errorf("%v: exit %d, %s", args, r.code, r.err)
			}
		}
		if r := inproc(t, "", "hunt", "--db", filepath.Join(t.TempDir(), "none.duckdb")); r.code != 1 {
			t.Errorf("missing case: exit %d", r.code)
		}
	})
}

// A format without packets and bytes: detectors that need them say so, the others run.
func TestHuntMissingFields(t *testing.T) {
	data := t.TempDir()
	header := "version account-id interface-id srcaddr dstaddr srcport dstport protocol start end action log-status"
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("2 123456789012 eni-0a1b2c3d 203.0.113.5 10.0.0.5 40000 %d 6 %d %d REJECT OK", 1000+i, 1767225600+i, 1767225600+i))
	}
	writeFile(t, filepath.Join(data, "custom.log"), []byte(header+"\n"+strings.Join(lines, "\n")+"\n"))
	db := filepath.Join(t.TempDir(), "case.duckdb")
	inproc(t, "", "ingest", "--progress", "none", "--db", db, data).must(t, "ingest")
	r := inproc(t, "", "hunt", "--db", db, "--format", "json").must(t, "hunt")
	for _, want := range []string{"flowdig: exfil-volume skipped: exfil-volume needs bytes", "${bytes}", "flowdig: port-scan skipped"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
	if strings.Contains(r.err, "reject-spike skipped") {
		t.Errorf("reject-spike needs no packets or bytes:\n%s", r.err)
	}
	runs := query(t, db, "SELECT detector, status FROM hunt_runs WHERE status = 'skipped' ORDER BY detector")
	if len(runs) < 5 {
		t.Errorf("skipped runs: %v", runs)
	}
}

func TestCoverageCommand(t *testing.T) {
	data := t.TempDir()
	h := int64(1767225600) // 2026-01-01T00:00:00Z
	rec := func(eni string, start, end int64, rest string) string {
		return fmt.Sprintf("2 123456789012 %s %s %d %d %s", eni, rest[:strings.Index(rest, "|")], start, end, rest[strings.Index(rest, "|")+1:])
	}
	ok := "10.0.0.5 203.0.113.9 44321 443 6 10 1000|ACCEPT OK"
	lines := []string{
		rec("eni-0000000a", h+10, h+70, ok),
		rec("eni-0000000a", h+3600+10, h+3600+50, ok),
		rec("eni-0000000a", h+3*3600+10, h+3*3600+50, ok), // hour 2 is missing
		rec("eni-0000000a", h+4*3600, h+4*3600+59, "- - - - - - -|- NODATA"),
		rec("eni-0000000a", h+4*3600, h+4*3600+59, "- - - - - - -|- SKIPDATA"),
		rec("eni-0000000b", h+100, h+690, ok), // a 10-minute record
	}
	writeFile(t, filepath.Join(data, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "01", "01",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260101T0000Z_abcd1234.log.gz"),
		gzipBytes(t, defaultHeader+"\n"+strings.Join(lines, "\n")+"\n"))
	db := filepath.Join(t.TempDir(), "case.duckdb")
	inproc(t, "", "ingest", "--progress", "none", "--db", db, data).must(t, "ingest")

	r := inproc(t, "", "coverage", "--db", db, "--format", "json").must(t, "coverage")
	rows := decodeJSON(t, r.out)
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	a, b := rows[0], rows[1]
	checks := map[string]string{
		"interface": "eni-0000000a", "account": "123456789012", "region": "us-east-1", "hours_with_data": "4", "span_hours": "5",
		"gaps": "1", "gap_hours": "1", "gap_list": "2026-01-01 02:00 to 2026-01-01 03:00", "interval_seen": "1 min",
		"nodata": "1", "skipdata": "1", "records": "5", "first_hour": "2026-01-01T00:00:00Z", "last_hour": "2026-01-01T04:00:00Z",
	}
	for k, want := range checks {
		if got := text(a[k]); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	if text(b["interval_seen"]) != "10 min" || text(b["max_record_seconds"]) != "590" || text(b["gaps"]) != "0" {
		t.Errorf("eni-0000000b: %v", b)
	}
	if !strings.Contains(r.err, "Amazon DNS") || !strings.Contains(r.err, "169.254.169.254") || !strings.Contains(r.err, "DHCP") ||
		!strings.Contains(r.err, "Time Sync") || !strings.Contains(r.err, "mirrored traffic") {
		t.Errorf("the note on what flow logs never record is missing: %s", r.err)
	}
	tab := inproc(t, "", "coverage", "--db", db, "--by", "region", "--format", "table").must(t, "by region")
	if !strings.Contains(tab.out, "interfaces") || !strings.Contains(tab.out, "Amazon DNS") {
		t.Errorf("by region:\n%s", tab.out)
	}
	if r := inproc(t, "", "coverage", "--db", db, "--by", "vpc"); r.code != 2 {
		t.Errorf("--by vpc: exit %d", r.code)
	}
	if r := inproc(t, "", "coverage", "--db", db, "--from", "2026-01-01T03:00:00Z", "--format", "csv").must(t, "from"); strings.Count(r.out, "\n") != 2 {
		t.Errorf("--from keeps one interface:\n%s", r.out)
	}
	_ = os.Remove(db)
}
