package s3

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/source"
)

// folder walks a date folder (child level lvl) that is in reach: all of it when the window's
// reach holds it entirely, else one more level down, pruned.
func (w *walker) folder(ctx context.Context, prefix string, hive bool, lvl int, start time.Time, span time.Duration) error {
	reach := w.s.opt.Filter.Window.Reach()
	if lvl > 3 || reach.Contains(start.Unix()) && reach.Contains(start.Add(span).Unix()-1) {
		return w.recursive(ctx, prefix)
	}
	return w.dates(ctx, prefix, hive, lvl, start)
}

// dates lists the date folders of level lvl (0 year, 1 month, 2 day, 3 hour) under prefix and
// walks those in reach; parent is the start of the enclosing folder.
func (w *walker) dates(ctx context.Context, prefix string, hive bool, lvl int, parent time.Time) error {
	objs, dirs, err := w.list(ctx, prefix, "/")
	if err != nil {
		return err
	}
	w.consider(objs)
	for _, d := range dirs {
		name := strings.TrimSuffix(strings.TrimPrefix(d, prefix), "/")
		start, span, ok := dateFolder(name, hive, lvl, parent)
		if !ok {
			// Not a folder AWS writes: read what it holds and let the keys decide.
			w.g.Go(func() error { return w.recursive(ctx, d) })
			continue
		}
		if !source.SpanInReach(w.s.opt.Filter.Window, start, span) {
			w.skipped(d, "outside the time window")
			continue
		}
		w.g.Go(func() error { return w.folder(ctx, d, hive, lvl+1, start, span) })
	}
	return nil
}

// dateFolder reads a year (lvl 0), month, day or hour (3) folder name.
func dateFolder(name string, hive bool, lvl int, parent time.Time) (time.Time, time.Duration, bool) {
	if lvl > 3 {
		return time.Time{}, 0, false
	}
	keys := [...]string{"year", "month", "day", "hour"}
	if hive {
		var ok bool
		if name, ok = strings.CutPrefix(name, keys[lvl]+"="); !ok {
			return time.Time{}, 0, false
		}
	}
	digits := 2
	if lvl == 0 {
		digits = 4
	}
	if len(name) != digits {
		return time.Time{}, 0, false
	}
	v, err := strconv.Atoi(name)
	if err != nil || v < 0 {
		return time.Time{}, 0, false
	}
	switch lvl {
	case 0:
		if v < 1970 {
			return time.Time{}, 0, false
		}
		t := time.Date(v, 1, 1, 0, 0, 0, 0, time.UTC)
		return t, t.AddDate(1, 0, 0).Sub(t), true
	case 1:
		if v < 1 || v > 12 {
			return time.Time{}, 0, false
		}
		t := time.Date(parent.Year(), time.Month(v), 1, 0, 0, 0, 0, time.UTC)
		return t, t.AddDate(0, 1, 0).Sub(t), true
	case 2:
		t := time.Date(parent.Year(), parent.Month(), v, 0, 0, 0, 0, time.UTC)
		if v < 1 || t.Month() != parent.Month() {
			return time.Time{}, 0, false
		}
		return t, 24 * time.Hour, true
	default:
		if v > 23 {
			return time.Time{}, 0, false
		}
		return parent.Add(time.Duration(v) * time.Hour), time.Hour, true
	}
}
