package timewindow

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC)

func unix(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func TestParse(t *testing.T) {
	tests := []struct {
		from, to       string
		wantFrom, want string // RFC 3339 or "" for unbounded
	}{
		{"2026-11-01", "2026-11-03", "2026-11-01T00:00:00Z", "2026-11-03T23:59:59Z"},
		{"2026-11-01T13:00:00Z", "2026-11-01T14:00:00+01:00", "2026-11-01T13:00:00Z", "2026-11-01T13:00:00Z"},
		{"24h", "", "2026-11-22T12:30:00Z", ""},
		{"7d", "1h", "2026-11-16T12:30:00Z", "2026-11-23T11:30:00Z"},
		{"2w", "now", "2026-11-09T12:30:00Z", "2026-11-23T12:30:00Z"},
		{"", "2026-11-01", "", "2026-11-01T23:59:59Z"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		w, err := Parse(tt.from, tt.to, now)
		if err != nil {
			t.Fatalf("Parse(%q, %q): %v", tt.from, tt.to, err)
		}
		if got := w.FromTime(); tt.wantFrom == "" && w.HasFrom() || tt.wantFrom != "" && got.Unix() != unix(tt.wantFrom) {
			t.Errorf("Parse(%q, %q).From = %v, want %q", tt.from, tt.to, got, tt.wantFrom)
		}
		if got := w.ToTime(); tt.want == "" && w.HasTo() || tt.want != "" && got.Unix() != unix(tt.want) {
			t.Errorf("Parse(%q, %q).To = %v, want %q", tt.from, tt.to, got, tt.want)
		}
	}
	for _, bad := range [][2]string{{"yesterday", ""}, {"", "2026-13-01"}, {"2026-11-03", "2026-11-02"}, {"-5h", ""}} {
		if _, err := Parse(bad[0], bad[1], now); err == nil {
			t.Errorf("Parse(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

func TestRecord(t *testing.T) {
	w := Span(1000, 2000)
	tests := []struct {
		s, e     int64
		hs, he   bool
		selected bool
	}{
		{1000, 1060, true, true, true},
		{940, 1000, true, true, true},  // ends on the first second
		{900, 999, true, true, false},  // ends just before
		{2000, 2060, true, true, true}, // starts on the last second
		{2001, 2060, true, true, false},
		{500, 3000, true, true, true}, // spans the window
		{1500, 0, true, false, true},
		{2500, 0, true, false, false},
		{0, 999, false, true, false},
		{0, 0, false, false, true}, // no time: always selected
	}
	for _, tt := range tests {
		if got := w.Record(tt.s, tt.hs, tt.e, tt.he); got != tt.selected {
			t.Errorf("Record(%d %v, %d %v) = %v, want %v", tt.s, tt.hs, tt.e, tt.he, got, tt.selected)
		}
	}
	if !All().Record(-5, true, 1<<40, true) {
		t.Error("All does not select a record")
	}
}

func TestSet(t *testing.T) {
	var s Set
	if s.Covers(Span(1, 2)) || s.Record(0, false, 0, false) {
		t.Fatal("empty set covers or selects")
	}
	s = s.Add(Span(100, 200))
	s = s.Add(Span(300, 400))
	if len(s) != 2 || s.Covers(Span(150, 350)) || !s.Covers(Span(120, 180)) {
		t.Fatalf("set %v", s)
	}
	s = s.Add(Span(201, 299)) // fills the gap exactly: adjacent seconds merge
	if len(s) != 1 || !s.Covers(Span(100, 400)) {
		t.Fatalf("merged set %v", s)
	}
	u := Of(Span(500, 600)).Union(Of(All()))
	if len(u) != 1 || !u.IsAllSet() {
		t.Fatalf("union with all = %v", u)
	}
	if !Of(Span(minT, 10)).Add(Span(11, maxT)).IsAllSet() {
		t.Fatal("two halves do not make all")
	}
	if !Of(Span(1, 10), Span(20, 30)).CoversSet(Of(Span(2, 3), Span(25, 30))) {
		t.Fatal("CoversSet")
	}
}

func TestReach(t *testing.T) {
	w := Span(unix("2026-11-01T00:00:00Z"), unix("2026-11-03T23:59:59Z"))
	r := w.Reach()
	if r.FromTime() != time.Date(2026, 10, 31, 23, 50, 0, 0, time.UTC) || r.ToTime() != time.Date(2026, 11, 4, 0, 59, 59, 0, time.UTC) {
		t.Errorf("Reach = %v", r)
	}
	if !All().Reach().IsAll() {
		t.Error("Reach of All is bounded")
	}
	if got := (Span(minT+5, maxT-5)).Reach(); got.From() > minT+5 || got.To() < maxT-5 {
		t.Errorf("Reach overflowed: %v", got)
	}
}

// Parsing never panics, and a window it accepts selects something.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11-01", "24h", "7d", "2w", "now", "2026-11-01T13:00:00Z", "", "-1h", "99999999999d"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		w, err := Parse(from, to, now)
		if err == nil && w.Empty() {
			t.Fatalf("Parse(%q, %q) accepted an empty window %v", from, to, w)
		}
	})
}
