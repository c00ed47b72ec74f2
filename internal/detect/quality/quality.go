// Package quality scores a hunt against the ground truth of a synthetic dataset: which planted
// scenarios each detector found (recall), which of its findings are right (precision), and
// which are false, naming near-misses that fired. The detection tests and scripts/huntbench
// share it, so the benchmark measures exactly what the tests assert.
package quality

import (
	"fmt"
	"io"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/synth"
)

// slack widens a scenario's time span when matching findings: a finding's window is aligned to
// its detector's buckets, which can start before the scenario's first record.
const slack = 10 * time.Minute

// Verdict is what a finding turned out to be.
type Verdict string

// The verdicts.
const (
	True     Verdict = "true"     // it reports a planted attack
	Expected Verdict = "expected" // it reports a benign fact the manifest lists (a bastion's exposure)
	False    Verdict = "false"    // anything else, including a near-miss that fired
)

// Judged is one finding and its verdict.
type Judged struct {
	Finding  *detect.Finding
	Verdict  Verdict
	Scenario string // the scenario it matched, if any
}

// Detector is one detector's score.
type Detector struct {
	Detector      string
	Findings      int
	True          int
	Expected      int
	False         int
	Planted       int      // scenarios that expect this detector
	Found         int      // of those, found by it
	Missed        []string // the scenarios it did not find
	FalseFindings []string // "F-3 (near-miss scan-near-miss)" or "F-4 10.0.2.36 → …"
}

// Precision is (true + expected) / findings; 1 when there are no findings.
func (d Detector) Precision() float64 {
	if d.Findings == 0 {
		return 1
	}
	return float64(d.True+d.Expected) / float64(d.Findings)
}

// Recall is found / planted; 1 when nothing was planted for it.
func (d Detector) Recall() float64 {
	if d.Planted == 0 {
		return 1
	}
	return float64(d.Found) / float64(d.Planted)
}

// Report is a whole hunt's score.
type Report struct {
	Detectors     []Detector
	Judged        []Judged
	BenignRecords int
	SilentFiring  []string // scenarios a detector reported that it must stay silent on (every near-miss, a failed brute force for brute-force-success)
}

// Score judges every finding against the manifest.
func Score(m *synth.Manifest, fs []*detect.Finding) *Report {
	r := &Report{BenignRecords: m.Totals.Records - m.Totals.Planted}
	by := map[string]*Detector{}
	for _, id := range detect.IDs() {
		by[id] = &Detector{Detector: id}
	}
	found := map[string]map[string]bool{} // detector → scenarios found
	firing := map[string]bool{}
	for _, f := range fs {
		j := judge(m, f)
		r.Judged = append(r.Judged, j)
		d := by[f.Detector]
		d.Findings++
		switch j.Verdict {
		case True:
			d.True++
			if found[f.Detector] == nil {
				found[f.Detector] = map[string]bool{}
			}
			found[f.Detector][j.Scenario] = true
		case Expected:
			d.Expected++
		default:
			d.False++
			what := f.ID + " " + f.Summary
			if j.Scenario != "" {
				what = f.ID + " (" + j.Scenario + ")"
				firing[j.Scenario] = true
			}
			d.FalseFindings = append(d.FalseFindings, what)
		}
	}
	for _, s := range m.Scenarios {
		for _, det := range s.Expect {
			d := by[det]
			if d == nil {
				continue
			}
			d.Planted++
			if found[det][s.Name] {
				d.Found++
			} else {
				d.Missed = append(d.Missed, s.Name)
			}
		}
	}
	for _, id := range detect.IDs() {
		r.Detectors = append(r.Detectors, *by[id])
	}
	for s := range firing {
		r.SilentFiring = append(r.SilentFiring, s)
	}
	sort.Strings(r.SilentFiring)
	return r
}

// judge decides one finding: an attack it reports (and its detector may report), else a
// listed benign exposure, else false.
func judge(m *synth.Manifest, f *detect.Finding) Judged {
	addrs := findingAddrs(f)
	nearMiss := ""
	for _, s := range m.Scenarios {
		if !overlaps(f, s) || !touches(addrs, s) {
			continue
		}
		silent := slices.Contains(s.Silent, "*") || slices.Contains(s.Silent, f.Detector)
		switch {
		case !s.NearMiss && !silent:
			return Judged{Finding: f, Verdict: True, Scenario: s.Name}
		case nearMiss == "":
			nearMiss = s.Name
		}
	}
	for _, e := range m.Exposures {
		if e.Detector == f.Detector && e.Addr == f.Entity && (f.Port == nil || int64(e.Port) == *f.Port) {
			return Judged{Finding: f, Verdict: Expected, Scenario: "exposure " + e.Addr}
		}
	}
	return Judged{Finding: f, Verdict: False, Scenario: nearMiss}
}

func overlaps(f *detect.Finding, s synth.Scenario) bool {
	return f.WindowStart.Before(s.End.Add(slack)) && f.WindowEnd.After(s.Start.Add(-slack))
}

// findingAddrs are the addresses (or networks) a finding names.
func findingAddrs(f *detect.Finding) []string {
	out := []string{f.Entity}
	if f.Peer != "" {
		out = append(out, f.Peer)
	}
	for k, v := range f.Measured {
		if l, ok := v.([]string); ok && strings.HasSuffix(k, "_addrs") {
			out = append(out, l...)
		}
	}
	return out
}

// touches reports whether a finding names one of the scenario's endpoints.
func touches(addrs []string, s synth.Scenario) bool {
	for _, a := range addrs {
		for _, b := range []string{s.SrcAddr, s.DstAddr} {
			if b != "" && related(a, b) {
				return true
			}
		}
	}
	return false
}

// related: equal addresses, or an address inside a network, either way.
func related(a, b string) bool {
	if a == b {
		return true
	}
	pa, errA := prefixOf(a)
	pb, errB := prefixOf(b)
	if errA != nil || errB != nil {
		return false
	}
	return pa.Overlaps(pb) && (pa.Bits() == pa.Addr().BitLen() || pb.Bits() == pb.Addr().BitLen())
}

func prefixOf(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Print writes the per-detector table and the false findings.
func (r *Report) Print(w io.Writer) {
	per10M := float64(r.BenignRecords) / 1e7
	fmt.Fprintf(w, "%-20s %8s %5s %8s %5s %10s %7s %9s %6s %12s\n",
		"detector", "findings", "true", "expected", "false", "precision", "planted", "found", "recall", "false/10M")
	for _, d := range r.Detectors {
		rate := 0.0
		if per10M > 0 {
			rate = float64(d.False) / per10M
		}
		fmt.Fprintf(w, "%-20s %8d %5d %8d %5d %10.3f %7d %9d %6.2f %12.1f\n",
			d.Detector, d.Findings, d.True, d.Expected, d.False, d.Precision(), d.Planted, d.Found, d.Recall(), rate)
	}
	for _, d := range r.Detectors {
		for _, m := range d.Missed {
			fmt.Fprintf(w, "missed: %s did not report %s\n", d.Detector, m)
		}
		for _, f := range d.FalseFindings {
			fmt.Fprintf(w, "false: %s %s\n", d.Detector, f)
		}
	}
}
