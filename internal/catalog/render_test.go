package catalog

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update-athena", false, "rewrite testdata/athena golden files")

// sampleParams gives every required parameter a value, for rendering.
func sampleParams(e *Entry) map[string]string {
	out := map[string]string{}
	for _, p := range e.Params {
		if p.Required {
			out[p.Name] = map[string]string{"ip": "10.0.33.64", "port": "22", "account": "128580493817", "region": "us-east-1"}[p.Type]
		}
	}
	return out
}

// Every entry renders for Athena from the same source; the text is pinned by golden files so a
// change to an entry or to the dialect code is reviewed as a diff.
func TestAthenaGolden(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range c.Entries() {
		t.Run(e.ID, func(t *testing.T) {
			vals, err := e.Values(sampleParams(e))
			if err != nil {
				t.Fatal(err)
			}
			f := Filters{}
			if e.Filters {
				f = Filters{From: from, To: from.AddDate(0, 0, 2), Account: "128580493817", Region: "us-east-1"}
			}
			q, err := e.Render(Athena, AthenaTarget("vpcflowlogs", "vpc_flow_logs"), vals, f)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "-- %s, rendered for Athena\n%s\n-- ExecutionParameters: [", e.ID, q.SQL)
			for i, a := range q.Args {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprint(&b, a)
			}
			b.WriteString("]\n")
			got := b.String()
			if strings.Contains(got, "{{") || strings.Contains(got, "$") && !strings.Contains(got, `"$path"`) {
				t.Errorf("unrendered placeholder or DuckDB parameter in Athena SQL:\n%s", got)
			}
			if n := strings.Count(q.SQL, "?"); n != len(q.Args) {
				t.Errorf("%d ? markers, %d parameters", n, len(q.Args))
			}
			path := filepath.Join("testdata", "athena", e.ID+".sql")
			if *updateGolden {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestAthenaGolden ./internal/catalog -update-athena)", err)
			}
			if got != string(want) {
				t.Errorf("Athena SQL differs from %s:\n%s", path, got)
			}
		})
	}
}

// Values a user types never reach the SQL text: they are validated by type, then bound.
func TestParametersAreValidatedAndBound(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	e, _ := c.Find("VpcFlowLogsTrafficFrmSrcAddr")
	for _, bad := range []string{"1.2.3.4' OR '1'='1", "1.2.3.4; DROP TABLE flows", "10.0.0.1/8", "fe80::1%eth0", "", "999.1.1.1"} {
		if _, err := e.Values(map[string]string{"srcaddr": bad}); err == nil || !strings.Contains(err.Error(), "not an IP address") {
			t.Errorf("srcaddr %q: err %v", bad, err)
		}
	}
	for typ, bad := range map[string][]string{
		"port":    {"65536", "-1", "22 OR 1=1", "0x16"},
		"ports":   {"22,", "22,abc", "22;3389"},
		"int":     {"-5", "1e3", "10000000000"},
		"account": {"12345678901", "123456789012' --", "unknown"},
		"region":  {"us-east-1'", "US-EAST-1", "useast1"},
		"cidr":    {"10.0.0.0/33", "10.0.0.1"},
		"eni":     {"eni-XYZ", "eni-12'3"},
	} {
		for _, v := range bad {
			if _, err := validator(typ)(v); err == nil {
				t.Errorf("%s accepted %q", typ, v)
			}
		}
	}
	if v, err := validator("ip")("2001:DB8::0:1"); err != nil || v != "2001:db8::1" {
		t.Errorf("IPv6 is canonicalised: %v %v", v, err)
	}
	if v, err := validator("cidr")("10.1.2.3/16"); err != nil || v != "10.1.0.0/16" {
		t.Errorf("CIDR is masked: %v %v", v, err)
	}
	if _, err := e.Values(map[string]string{}); err == nil || !strings.Contains(err.Error(), "--param srcaddr=<ip>") {
		t.Errorf("missing required parameter: %v", err)
	}
	if _, err := e.Values(map[string]string{"srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2"}); err == nil {
		t.Errorf("unknown parameter accepted")
	}
	vals, _ := e.Values(map[string]string{"srcaddr": "10.0.0.1"})
	q, err := e.Render(DuckDB, LocalTarget(), vals, Filters{Account: "128580493817"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(q.SQL, "10.0.0.1") || strings.Contains(q.SQL, "128580493817") || !strings.Contains(q.SQL, "srcaddr = $srcaddr") {
		t.Errorf("values spliced into SQL:\n%s", q.SQL)
	}
	named := map[string]any{}
	for _, a := range q.Args {
		n := a.(sql.NamedArg)
		named[n.Name] = n.Value
	}
	if named["srcaddr"] != "10.0.0.1" || named["f_account"] != "128580493817" || !strings.Contains(q.SQL, "LIMIT 100") {
		t.Errorf("bound values = %v", named)
	}
	a, err := e.Render(Athena, AthenaTarget("db", "t"), vals, Filters{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Args) != 1 || a.Args[0] != "'10.0.0.1'" || !strings.Contains(a.SQL, "LIMIT 100") {
		t.Errorf("Athena parameters = %v", a.Args)
	}
}

func TestListParameterExpands(t *testing.T) {
	c, _ := Load()
	e, _ := c.Find("admin-port-traffic")
	vals, err := e.Values(map[string]string{"ports": "22, 3389"})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := e.Render(DuckDB, LocalTarget(), vals, Filters{})
	if !strings.Contains(q.SQL, "dstport IN ($ports_1, $ports_2)") || len(q.Args) != 2 {
		t.Errorf("DuckDB list expansion:\n%s\n%v", q.SQL, q.Args)
	}
	a, _ := e.Render(Athena, AthenaTarget("db", "t"), vals, Filters{})
	if !strings.Contains(a.SQL, "dstport IN (22, 3389)") || len(a.Args) != 0 {
		t.Errorf("Athena list expansion (%d args):\n%s", len(a.Args), a.SQL)
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		end  bool
		want time.Time
	}{
		{"2026-11-01", false, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-11-01", true, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
		{"2026-11-01T10:30:00+02:00", true, time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC)},
		{"24h", false, now.Add(-24 * time.Hour)},
		{"7d", false, now.AddDate(0, 0, -7)},
		{"90m", true, now.Add(-90 * time.Minute)},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, now, c.end)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q, end=%v) = %v, %v; want %v", c.in, c.end, got, err, c.want)
		}
	}
	for _, bad := range []string{"yesterday", "2026-13-01", "-24h", "1w"} {
		if _, err := ParseTime(bad, now, false); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
	if err := (Filters{From: now, To: now}).Validate(); err == nil {
		t.Errorf("empty window accepted")
	}
}
