package timewindow

import (
	"sort"
	"strings"
)

// Set is a union of windows, kept sorted, disjoint and merged. The zero value is empty. It is
// what the reads of one object have selected so far: a record is stored iff some read's window
// selected it.
type Set []Window

// Of returns the set holding ws.
func Of(ws ...Window) Set {
	var s Set
	for _, w := range ws {
		s = s.Add(w)
	}
	return s
}

// Add returns s with w added; s itself is not modified.
func (s Set) Add(w Window) Set {
	if w.Empty() {
		return s
	}
	out := make(Set, 0, len(s)+1)
	out = append(out, s...)
	out = append(out, w)
	sort.Slice(out, func(i, j int) bool { return out[i].From() < out[j].From() })
	merged := out[:1]
	for _, x := range out[1:] {
		last := &merged[len(merged)-1]
		// Adjacent seconds merge too: [a, b] and [b+1, c] select the same records as [a, c].
		if last.To() == maxT || x.From() <= last.To()+1 {
			if x.To() > last.To() {
				*last = Span(last.From(), x.To())
			}
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

// Union returns s ∪ t.
func (s Set) Union(t Set) Set {
	out := s
	for _, w := range t {
		out = out.Add(w)
	}
	return out
}

// Empty reports whether s selects nothing.
func (s Set) Empty() bool { return len(s) == 0 }

// Covers reports whether every second of w is in s. An empty w is always covered.
func (s Set) Covers(w Window) bool {
	if w.Empty() {
		return true
	}
	for _, x := range s {
		if x.From() <= w.From() && x.To() >= w.To() {
			return true
		}
	}
	return false
}

// CoversSet reports whether every window of t is covered by s.
func (s Set) CoversSet(t Set) bool {
	for _, w := range t {
		if !s.Covers(w) {
			return false
		}
	}
	return true
}

// Record reports whether some window of s selects the record (see Window.Record).
func (s Set) Record(start int64, hasStart bool, end int64, hasEnd bool) bool {
	for _, w := range s {
		if w.Record(start, hasStart, end, hasEnd) {
			return true
		}
	}
	return false
}

// String renders the windows joined by ", "; "none" when empty.
func (s Set) String() string {
	if len(s) == 0 {
		return "none"
	}
	parts := make([]string, len(s))
	for i, w := range s {
		parts[i] = w.String()
	}
	return strings.Join(parts, ", ")
}

// IsAllSet reports whether s selects every record.
func (s Set) IsAllSet() bool { return len(s) == 1 && s[0].IsAll() }
