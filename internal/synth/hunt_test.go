package synth

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"
)

func huntConfig(bench bool) Config {
	return Config{Seed: 11, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 3, Records: 30000,
		Workers: 2, Hunt: true, BenchOnly: bench}
}

// TestHuntDataset checks the hunt scenarios in both worlds: deterministic bytes, ground truth
// that matches the files, an attack and a near-miss for every detector named.
func TestHuntDataset(t *testing.T) {
	for _, bench := range []bool{false, true} {
		t.Run("bench="+strconv.FormatBool(bench), func(t *testing.T) {
			dir := t.TempDir()
			m, err := Generate(context.Background(), dir, huntConfig(bench))
			if err != nil {
				t.Fatal(err)
			}
			if bench {
				// A different schedule must not change a byte (the demo world's determinism is
				// TestDataset's; the benchmark world's planting is new here).
				cfg := huntConfig(bench)
				cfg.Workers = 1
				dir2 := t.TempDir()
				if _, err := Generate(context.Background(), dir2, cfg); err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(hashTree(t, dir), hashTree(t, dir2)) {
					t.Error("hunt datasets differ between runs")
				}
			}
			wantScenarios := 5 + 23
			if bench {
				wantScenarios = 4 + 23 // no dev VPC: no mining-pool contact
			}
			if !m.Hunt || len(m.Scenarios) != wantScenarios || len(m.Exposures) != 2 {
				t.Fatalf("hunt %v, %d scenarios, %d exposures", m.Hunt, len(m.Scenarios), len(m.Exposures))
			}
			planted, expect, near := 0, map[string]bool{}, map[string]bool{}
			for _, s := range m.Scenarios {
				planted += s.Records
				if s.Records == 0 || s.Start.Before(m.Start) || !s.End.Before(m.End) {
					t.Errorf("%s: %d records, %v to %v", s.Name, s.Records, s.Start, s.End)
				}
				if s.NearMiss == (len(s.Expect) > 0) || s.NearMiss && len(s.NearMissFor) == 0 {
					t.Errorf("%s: near-miss %v, expects %v, near-miss for %v", s.Name, s.NearMiss, s.Expect, s.NearMissFor)
				}
				for _, d := range s.Expect {
					expect[d] = true
				}
				for _, d := range append(s.NearMissFor, s.Silent...) {
					near[d] = true
				}
			}
			if planted != m.Totals.Planted {
				t.Errorf("scenario records %d, planted in files %d", planted, m.Totals.Planted)
			}
			if m.Totals.Records-m.Totals.Planted+m.Totals.LostRecords != 30000 {
				t.Errorf("benign records %d", m.Totals.Records-m.Totals.Planted+m.Totals.LostRecords)
			}
			for _, d := range []string{DetPortScan, DetPortSweep, DetBruteForce, DetBruteSuccess, DetExfilVolume, DetLargeFlow,
				DetBeaconing, DetUnusualProtocol, DetUnusualPort, DetExposedAdmin, DetRejectSpike, DetNewTalker, DetDoSVolume} {
				if !expect[d] || !near[d] {
					t.Errorf("%s: attack %v, near-miss %v", d, expect[d], near[d])
				}
			}
			// The bytes of the planted records are in the files (the text check of the incident).
			for _, s := range m.Scenarios {
				if s.Name != "slow-beacon" && s.Name != "dos-flood" {
					continue
				}
				other := s.DstAddr
				if s.Name == "dos-flood" {
					other = s.SrcAddr
				}
				tf, lines := scenarioLines(t, dir, m, s.FlowLogID, other)
				var n int
				for _, l := range lines {
					if tf.get(l, "srcaddr") == s.SrcAddr || tf.get(l, "dstaddr") == s.SrcAddr {
						n++
					}
				}
				if n != s.Records {
					t.Errorf("%s: %d lines in the files, manifest %d", s.Name, n, s.Records)
				}
			}
			if bench && !slices.ContainsFunc(m.Files, func(f File) bool { return f.Planted > 0 }) {
				t.Error("no benchmark file carries planted records")
			}
		})
	}
}

// The demo dataset is unchanged when Hunt is off: no hunt fields in its manifest.
func TestNoHuntFields(t *testing.T) {
	m, err := Generate(context.Background(), t.TempDir(), testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if m.Hunt || len(m.Exposures) > 0 {
		t.Error("hunt fields without Config.Hunt")
	}
	for _, s := range m.Scenarios {
		if len(s.Expect) > 0 || s.NearMiss || len(s.Silent) > 0 {
			t.Errorf("%s: hunt ground truth without Config.Hunt", s.Name)
		}
	}
}
