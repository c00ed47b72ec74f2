package quality

import (
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/synth"
)

func TestScore(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	port := int64(22)
	m := &synth.Manifest{
		Totals: synth.Totals{Records: 20_000_100, Planted: 100},
		Scenarios: []synth.Scenario{
			{Name: "scan", SrcAddr: "198.51.100.23", DstAddr: "10.0.1.15", Start: t0, End: t0.Add(3 * time.Minute),
				Expect: []string{"port-scan"}},
			{Name: "failed", SrcAddr: "203.0.113.130", DstAddr: "10.0.1.20", Start: t0, End: t0.Add(10 * time.Minute),
				Expect: []string{"brute-force"}, Silent: []string{"brute-force-success"}},
			{Name: "near", SrcAddr: "203.0.113.150", DstAddr: "10.0.1.16", Start: t0, End: t0.Add(8 * time.Minute),
				NearMiss: true, Silent: []string{"*"}, NearMissFor: []string{"port-scan"}},
			{Name: "talker", SrcAddr: "10.0.2.14", DstAddr: "192.0.2.55", Start: t0, End: t0.Add(time.Hour),
				Expect: []string{"new-talker"}},
		},
		Exposures: []synth.Exposure{{Detector: "exposed-admin-port", Addr: "10.0.1.15", Port: 22}},
	}
	f := func(id, det, entity, peer string, start time.Time) *detect.Finding {
		return &detect.Finding{ID: id, Detector: det, Entity: entity, Peer: peer, WindowStart: start, WindowEnd: start.Add(10 * time.Minute)}
	}
	exp := f("F-5", "exposed-admin-port", "10.0.1.15", "", t0.Add(-48*time.Hour))
	exp.Port = &port
	fs := []*detect.Finding{
		f("F-1", "port-scan", "198.51.100.23", "10.0.1.15", t0),
		f("F-2", "port-scan", "203.0.113.150", "10.0.1.16", t0),                  // a near-miss fired
		f("F-3", "brute-force-success", "203.0.113.130", "10.0.1.20", t0),        // silent for that scenario
		f("F-4", "port-scan", "198.51.100.23", "10.0.1.15", t0.Add(5*time.Hour)), // right hosts, wrong time
		exp, // a listed benign exposure
		f("F-6", "new-talker", "10.0.2.14", "192.0.2.0/24", t0.Add(10*time.Minute)), // a network holding the address
	}
	r := Score(m, fs)
	want := map[string]Verdict{"F-1": True, "F-2": False, "F-3": False, "F-4": False, "F-5": Expected, "F-6": True}
	for _, j := range r.Judged {
		if j.Verdict != want[j.Finding.ID] {
			t.Errorf("%s: %s, want %s", j.Finding.ID, j.Verdict, want[j.Finding.ID])
		}
	}
	by := map[string]Detector{}
	for _, d := range r.Detectors {
		by[d.Detector] = d
	}
	if d := by["port-scan"]; d.Findings != 3 || d.True != 1 || d.False != 2 || d.Recall() != 1 || d.Precision() != 1.0/3 {
		t.Errorf("port-scan: %+v", d)
	}
	if d := by["brute-force"]; d.Planted != 1 || d.Found != 0 || d.Recall() != 0 || len(d.Missed) != 1 {
		t.Errorf("brute-force: %+v", d)
	}
	if len(r.SilentFiring) != 2 || r.SilentFiring[1] != "near" {
		t.Errorf("silent scenarios reported: %v", r.SilentFiring)
	}
	var b strings.Builder
	r.Print(&b)
	if !strings.Contains(b.String(), "missed: brute-force did not report failed") || !strings.Contains(b.String(), "false: port-scan F-2 (near)") {
		t.Errorf("report:\n%s", b.String())
	}
}
