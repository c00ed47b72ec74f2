//go:build duckdb_arrow

package detect_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/detect/quality"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

// huntCase generates the multi-account dataset with the hunt scenarios on a million benign
// records (busy east-west pairs, NAT gateway, internet scanning background, S3 backups, …)
// and ingests it.
func huntCase(t *testing.T) (*store.DB, *synth.Manifest) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	m, err := synth.Generate(ctx, data, synth.Config{Seed: 1, Records: 1_000_000, Hunt: true, Days: 3,
		Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	roots := []string{filepath.Join(data, "AWSLogs"), filepath.Join(data, "central-logs")}
	if _, err := ingest.Run(ctx, db, local.New(roots), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	return db, m
}

// TestHunt runs every detector on planted attacks and near-misses over realistic benign noise:
// each detector must find every scenario planted for it, report none of the near-misses shaped
// for it, and make no false finding at all; ids must survive a re-run and the evidence of every
// finding must list its records.
func TestHunt(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests a million records")
	}
	ctx := context.Background()
	db, m := huntCase(t)
	res, err := detect.Hunt(ctx, db, detect.Options{Rules: detect.Default(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rep := quality.Score(m, res.Findings)

	t.Run("every detector has an attack and a near-miss", func(t *testing.T) {
		for _, id := range detect.IDs() {
			var attacks, near int
			for _, s := range m.Scenarios {
				if slices.Contains(s.Expect, id) {
					attacks++
				}
				if slices.Contains(s.NearMissFor, id) || (!s.NearMiss && slices.Contains(s.Silent, id)) {
					near++
				}
			}
			if attacks == 0 || near == 0 {
				t.Errorf("%s: %d planted attacks, %d near-misses", id, attacks, near)
			}
		}
	})
	t.Run("recall and precision", func(t *testing.T) {
		for _, d := range rep.Detectors {
			if d.Found < d.Planted {
				t.Errorf("%s missed %v", d.Detector, d.Missed)
			}
			if d.False > 0 {
				t.Errorf("%s made false findings: %v", d.Detector, d.FalseFindings)
			}
		}
		if len(rep.SilentFiring) > 0 {
			t.Errorf("scenarios reported by detectors that must stay silent on them: %v", rep.SilentFiring)
		}
	})
	t.Run("findings", func(t *testing.T) {
		for _, f := range res.Findings {
			if f.ID == "" || f.Severity == "" || f.Entity == "" || f.Explanation == "" || len(f.Thresholds) == 0 ||
				len(f.Measured) == 0 || f.EvidenceSQL == "" || len(f.Interfaces) == 0 || !f.WindowStart.Before(f.WindowEnd) {
				t.Errorf("incomplete finding %+v", f)
			}
		}
		var stored int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM findings`).Scan(&stored); err != nil || stored != len(res.Findings) {
			t.Errorf("stored %d findings (%v), found %d", stored, err, len(res.Findings))
		}
	})
	t.Run("evidence", func(t *testing.T) {
		for _, f := range res.Findings {
			q, args, err := detect.Evidence(ctx, db.SQL, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			rows := evidenceRows(t, db, q, args)
			n, touching := len(rows), 0
			for _, r := range rows {
				if r["srcaddr"] == f.Entity || r["dstaddr"] == f.Entity {
					touching++
				}
			}
			if n == 0 || touching != n {
				t.Errorf("%s (%s): %d evidence rows, %d with the entity", f.ID, f.Detector, n, touching)
			}
			if f.Detector == "port-scan" && n < 1000 {
				t.Errorf("%s: the scan has 1000 probes, evidence lists %d", f.ID, n)
			}
		}
		if _, _, err := detect.Evidence(ctx, db.SQL, "F-9999"); err == nil {
			t.Error("no error for an unknown finding")
		}
	})
	t.Run("new-talker", func(t *testing.T) {
		// A port no host of yours had used towards the internet is medium; one the fleet uses is
		// low. Evidence lists only the destinations behind the finding (no AWS endpoints).
		var shell bool
		for _, f := range res.Findings {
			if f.Detector != "new-talker" || f.Tier == "new network" {
				continue
			}
			before, _ := f.Measured["hosts_before"].(int64)
			if want := map[bool]string{true: "medium", false: "low"}[before == 0]; f.Severity != want {
				t.Errorf("%s %s: hosts_before %d, severity %s", f.ID, f.Summary, before, f.Severity)
			}
			if f.Entity == "10.0.2.22" && f.Port != nil && *f.Port == 4444 {
				shell = before == 0 && f.Severity == "medium"
			}
			dsts, _ := f.Measured["dst_addrs"].([]string)
			q, args, err := detect.Evidence(ctx, db.SQL, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			outside := 0
			for _, r := range evidenceRows(t, db, q, args) {
				peer := r["dstaddr"]
				if peer == f.Entity {
					peer = r["srcaddr"]
				}
				if !slices.Contains(dsts, peer) {
					outside++
				}
			}
			if outside != 0 || len(dsts) == 0 {
				t.Errorf("%s: %d evidence rows with a peer outside its %d destinations", f.ID, outside, len(dsts))
			}
		}
		if !shell {
			t.Error("the reverse shell's port 4444 is not a medium new-talker finding with hosts_before 0")
		}
	})
	t.Run("stable ids", func(t *testing.T) {
		again, err := detect.Hunt(ctx, db, detect.Options{Rules: detect.Default(), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(fs []*detect.Finding) []string {
			var out []string
			for _, f := range fs {
				out = append(out, f.ID+" "+f.Key)
			}
			slices.Sort(out)
			return out
		}
		if a, b := ids(res.Findings), ids(again.Findings); !slices.Equal(a, b) {
			t.Errorf("ids changed between runs:\n%v\n%v", a, b)
		}
	})
	t.Run("only and window", func(t *testing.T) {
		// Day 3 only: the port scan (day 2) is outside; a hunt replaces only its detectors' findings.
		day3 := m.Start.Add(48 * time.Hour)
		part, err := detect.Hunt(ctx, db, detect.Options{Rules: detect.Default(), Only: []string{"port-scan", "brute-force"}, From: day3})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range part.Findings {
			if f.Detector == "port-scan" || f.WindowEnd.Before(day3) {
				t.Errorf("finding outside the window: %s %s %v", f.ID, f.Detector, f.WindowStart)
			}
		}
		if len(part.Runs) != 2 {
			t.Errorf("runs: %+v", part.Runs)
		}
		var scans, others int
		_ = db.SQL.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE detector = 'port-scan'), count(*) FILTER (WHERE detector NOT IN ('port-scan', 'brute-force')) FROM findings`).Scan(&scans, &others)
		if scans != 0 || others == 0 {
			t.Errorf("stored after the partial hunt: %d port-scan, %d of other detectors", scans, others)
		}
	})
	if t.Failed() || os.Getenv("HUNT_VERBOSE") != "" {
		var b strings.Builder
		rep.Print(&b)
		t.Log("\n" + b.String())
	}
}

// evidenceRows runs an evidence query and returns its rows' text columns by name.
func evidenceRows(t *testing.T, db *store.DB, q string, args []any) []map[string]string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]string
	for rows.Next() {
		vals, err := store.ScanValues(rows, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range cols {
			if s, ok := vals[i].(string); ok {
				m[c] = s
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
