//go:build duckdb_arrow

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("flowdig demo takes about 20 s")
	}
	t.Parallel()
	ws := filepath.Join(t.TempDir(), "demo")

	check := func(r result) {
		t.Helper()
		for title, want := range map[string]string{
			"Port scans":        "198.51.100.23", // the port scan's source
			"Top talkers":       "74.85.207.89",  // the exfiltration destination
			"Known IOCs":        "74.85.207.89",
			"Known IOCs (":      "193.42.33.0/24",                        // a CIDR indicator, matched through ioc add
			"Largest outbound":  "74.85.207.89",                          // first once AWS service ranges (S3) are excluded
			"Quarantined lines": "(4 rows)",                              // three bad lines and one truncated object
			"Hunt":              "198.51.100.23 → 10.0.1.15; ports 1000", // the port scan, found by port-scan
			"Hunt: findings":    "74.85.207.89; bytes out",               // the exfiltration, found by exfil-volume
		} {
			if !strings.Contains(section(r.out, title), want) {
				t.Errorf("demo section %q lacks %q:\n%s", title, want, r.out)
			}
		}
		if !strings.Contains(r.err, "ingested ") || strings.Contains(r.err, "goroutine ") {
			t.Errorf("demo stderr:\n%s", r.err)
		}
	}
	first := flowdig(t, "demo", "--dir", ws).must(t, "demo")
	check(first)
	caseDB := filepath.Join(ws, "case.duckdb")
	if got := scalar(t, caseDB, "SELECT count(*) FILTER (WHERE records + quarantined <> data_lines) FROM sources"); got != "0" {
		t.Errorf("demo case: %s sources do not reconcile", got)
	}
	records := scalar(t, caseDB, "SELECT count(*) FROM flows")
	// The hunt's findings are stored in the case; the table shows only medium and high ones.
	if got := scalar(t, caseDB, "SELECT count(*) FILTER (WHERE detector = 'port-scan' AND entity = '198.51.100.23') FROM findings"); got != "1" {
		t.Errorf("demo case: %s stored port-scan findings for the planted scan", got)
	}
	hunt := section(first.out, "Hunt")
	if !strings.Contains(hunt, "of low severity not shown") {
		t.Errorf("demo hunt section:\n%s", hunt)
	}
	for _, l := range strings.Split(hunt, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[0], "F-") && f[1] != "high" && f[1] != "medium" {
			t.Errorf("demo hunt row of severity %s: %s", f[1], l)
		}
	}

	// The second run recreates the workspace: what was added to it is gone, the case is fresh.
	stray := writeFile(t, filepath.Join(ws, "data", "stray.log"), []byte(defaultHeader+"\n"+fixtureLines[0]+"\n"))
	second := flowdig(t, "demo", "--dir", ws).must(t, "demo again")
	check(second)
	if exists(stray) {
		t.Errorf("the second demo run left %s in its workspace", stray)
	}
	if got := scalar(t, caseDB, "SELECT count(*) FROM flows"); got != records {
		t.Errorf("second demo case has %s records, the first %s", got, records)
	}
	if scalar(t, caseDB, "SELECT count(*) FROM ingest_runs") != "1" {
		t.Errorf("second demo reused the first case instead of a fresh one")
	}

	// A folder the demo did not make is never emptied.
	foreign := t.TempDir()
	precious := writeFile(t, filepath.Join(foreign, "evidence.txt"), []byte("keep me\n"))
	r := flowdig(t, "demo", "--dir", foreign)
	if r.code != 1 || !strings.Contains(r.err, "not made by flowdig demo") {
		t.Errorf("demo into a foreign folder: exit %d, stderr:\n%s", r.code, r.err)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "keep me\n" {
		t.Errorf("demo touched %s: %q, %v", precious, b, err)
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("demo wrote into the foreign folder: %d entries", len(entries))
	}
}

// section returns the demo output from the heading "== title…" up to the next heading.
func section(out, title string) string {
	_, s, ok := strings.Cut(out, "\n== "+title)
	if !ok {
		return ""
	}
	s, _, _ = strings.Cut(s, "\n== ")
	return s
}
