// Package timewindow is the --from/--to window of an ingest: how the flags are read (dates,
// RFC 3339 instants, durations back from now), which records a window selects (by their start
// and end, never by file name), how far a listing has to reach to find them, and sets of windows
// (everything an object's earlier reads have already stored).
package timewindow

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Window is a closed interval of Unix seconds; flow-log times are whole seconds, so a closed
// interval of seconds is exact. The zero Window is unbounded: it selects every record.
type Window struct {
	lo, hi  int64 // first and last selected second; math.MinInt64/MaxInt64 for an open side
	bounded bool  // false: the zero value, read as All
}

const (
	minT int64 = math.MinInt64
	maxT int64 = math.MaxInt64
)

// Listing reach: files are named after the five minutes whose records they hold (AWS has used
// both "ends in the 5 minutes after the stamp" and "…before the stamp"), and are written after
// their records, so a listing starts a little before the window and reaches one hour past its
// end for late delivery, and no further.
const (
	ReachBefore = 10 * time.Minute
	ReachAfter  = time.Hour
)

// Open sides for Span.
const (
	OpenFrom int64 = minT
	OpenTo   int64 = maxT
)

// All is the unbounded window: every record.
func All() Window { return Window{} }

// Span returns the window of seconds from..to, inclusive; OpenFrom or OpenTo leave a side
// unbounded.
func Span(from, to int64) Window {
	if from == minT && to == maxT {
		return Window{}
	}
	return Window{lo: from, hi: to, bounded: true}
}

// Between returns the window from..to (inclusive); a zero time leaves that side unbounded.
func Between(from, to time.Time) Window {
	lo, hi := minT, maxT
	if !from.IsZero() {
		lo = from.Unix()
	}
	if !to.IsZero() {
		hi = to.Unix()
	}
	return Span(lo, hi)
}

// From is the first selected second, OpenFrom when unbounded.
func (w Window) From() int64 {
	if !w.bounded {
		return minT
	}
	return w.lo
}

// To is the last selected second, OpenTo when unbounded.
func (w Window) To() int64 {
	if !w.bounded {
		return maxT
	}
	return w.hi
}

// IsAll reports whether w is unbounded on both sides.
func (w Window) IsAll() bool { return w.From() == minT && w.To() == maxT }

// HasFrom and HasTo report whether a side is bounded.
func (w Window) HasFrom() bool { return w.From() != minT }
func (w Window) HasTo() bool   { return w.To() != maxT }

// Empty reports whether w selects no second.
func (w Window) Empty() bool { return w.From() > w.To() }

// FromTime and ToTime are the bounds as times; the zero time when unbounded.
func (w Window) FromTime() time.Time {
	if !w.HasFrom() {
		return time.Time{}
	}
	return time.Unix(w.From(), 0).UTC()
}

func (w Window) ToTime() time.Time {
	if !w.HasTo() {
		return time.Time{}
	}
	return time.Unix(w.To(), 0).UTC()
}

// String renders w as "FROM..TO" in RFC 3339 (UTC), with an empty side when unbounded; "all"
// when both are.
func (w Window) String() string {
	if w.IsAll() {
		return "all"
	}
	var b strings.Builder
	if w.HasFrom() {
		b.WriteString(w.FromTime().Format(time.RFC3339))
	}
	b.WriteString("..")
	if w.HasTo() {
		b.WriteString(w.ToTime().Format(time.RFC3339))
	}
	return b.String()
}

// Contains reports whether second t is inside w.
func (w Window) Contains(t int64) bool { return t >= w.From() && t <= w.To() }

// Overlaps reports whether [a, b] shares a second with w.
func (w Window) Overlaps(a, b int64) bool { return a <= w.To() && b >= w.From() }

// Record reports whether w selects a record: its interval [start, end] touches the window. With
// one of the two missing the other stands for both; a record with neither cannot be placed in
// time and every window selects it (so it is stored by the first read of its object and by no
// later one).
func (w Window) Record(start int64, hasStart bool, end int64, hasEnd bool) bool {
	switch {
	case hasStart && hasEnd:
		if end < start {
			start, end = end, start
		}
		return w.Overlaps(start, end)
	case hasStart:
		return w.Contains(start)
	case hasEnd:
		return w.Contains(end)
	}
	return true
}

// Reach is the span a listing must cover to find every object that can hold records selected by
// w: ReachBefore earlier, ReachAfter later. It saturates at the unbounded sides.
func (w Window) Reach() Window { return w.Widen(ReachBefore, ReachAfter) }

// Widen returns w grown by before and after (saturating), e.g. to query CloudWatch Logs, whose
// event time is the record's start, for records that started before the window but reach into it.
func (w Window) Widen(before, after time.Duration) Window {
	lo, hi := w.From(), w.To()
	if w.HasFrom() {
		lo = sat(lo, -int64(before/time.Second))
	}
	if w.HasTo() {
		hi = sat(hi, int64(after/time.Second))
	}
	return Span(lo, hi)
}

func sat(v, d int64) int64 {
	if d > 0 && v > maxT-d-1 {
		return maxT - 1
	}
	if d < 0 && v < minT-d+1 {
		return minT + 1
	}
	return v + d
}

// Parse reads --from and --to. Each accepts a date (2026-11-01, UTC), an RFC 3339 instant, a
// duration back from now (90m, 24h, 7d, 2w) or "now"; empty leaves that side unbounded. A date
// given to --to includes that whole day. It fails when the window selects nothing.
func Parse(from, to string, now time.Time) (Window, error) {
	lo, hi := minT, maxT
	var err error
	if from != "" {
		if lo, err = parseBound(from, now, false); err != nil {
			return All(), fmt.Errorf("--from: %w", err)
		}
	}
	if to != "" {
		if hi, err = parseBound(to, now, true); err != nil {
			return All(), fmt.Errorf("--to: %w", err)
		}
	}
	w := Span(lo, hi)
	if w.Empty() {
		return w, fmt.Errorf("--from %s is after --to %s", from, to)
	}
	return w, nil
}

func parseBound(s string, now time.Time, isTo bool) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "now" {
		return now.Unix(), nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if isTo {
			return d.AddDate(0, 0, 1).Unix() - 1, nil
		}
		return d.Unix(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.Unix(), nil
	}
	if d, ok := parseAgo(s); ok {
		return now.Add(-d).Unix(), nil
	}
	return 0, fmt.Errorf("%q is not a date (2026-11-01), an RFC 3339 time (2026-11-01T13:00:00Z) or a duration back from now (24h, 7d)", s)
}

// parseAgo reads a Go duration or a whole number of days (d) or weeks (w).
func parseAgo(s string) (time.Duration, bool) {
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, true
	}
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 || n > 100*366 {
		return 0, false
	}
	switch s[len(s)-1] {
	case 'd':
		return time.Duration(n) * 24 * time.Hour, true
	case 'w':
		return time.Duration(n) * 7 * 24 * time.Hour, true
	}
	return 0, false
}
