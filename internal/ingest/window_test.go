//go:build duckdb_arrow

package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
	"github.com/flowdig/flowdig/internal/timewindow"
)

func window(t *testing.T, from, to string) timewindow.Window {
	t.Helper()
	w, err := timewindow.Parse(from, to, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// A local folder under --from/--to: days and file stamps out of reach are not read, records
// outside the window are not stored, and the case holds exactly what a full ingest holds inside
// the window. A wider window later adds exactly the rest of it.
func TestWindowOnLocalFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cfg := synth.DemoConfig()
	cfg.Days, cfg.Records = 2, 2000
	if _, err := synth.Generate(context.Background(), dir, cfg); err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(dir, "AWSLogs"), filepath.Join(dir, "central-logs")}
	full := openDB(t)
	run(t, full, Options{}, paths...)
	inside := func(w timewindow.Window) int64 {
		return queryInt(t, full, `SELECT count(*) FROM flows WHERE start <= ? AND "end" >= ?`, w.To(), w.From())
	}

	narrow := window(t, "2026-11-01T21:00:00Z", "2026-11-01T22:59:59Z")
	wide := window(t, "2026-11-01T12:00:00Z", "2026-11-02")
	ingestWindow := func(db *store.DB, w timewindow.Window) *Summary {
		t.Helper()
		sum, err := Run(context.Background(), db, local.New(paths).Filter(source.Filter{Window: w}), Options{Window: w})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	db := openDB(t)
	first := ingestWindow(db, narrow)
	if got, want := queryInt(t, db, `SELECT count(*) FROM flows`), inside(narrow); got != want || want == 0 {
		t.Errorf("narrow window: %d records, a full ingest has %d inside it", got, want)
	}
	pruned := 0
	for _, s := range first.Skipped {
		if s.Reason == "outside the time window" {
			pruned++
		}
	}
	if pruned == 0 || first.Objects > first.Listed || first.Outside == 0 {
		t.Errorf("narrow window: %d pruned by the listing, %+v", pruned, first)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE "end" < ? OR start > ?`, narrow.From(), narrow.To()); n != 0 {
		t.Errorf("%d records outside the window stored", n)
	}

	second := ingestWindow(db, wide)
	if got, want := queryInt(t, db, `SELECT count(*) FROM flows`), inside(wide); got != want {
		t.Errorf("widened: %d records, a full ingest has %d inside the wide window", got, want)
	}
	if second.Widened == 0 {
		t.Errorf("widening re-read nothing: %+v", second)
	}
	if n := queryInt(t, db, `SELECT count(*) - count(DISTINCT (s.sha256, f.line_no)) FROM flows f JOIN sources s USING (source_id)`); n != 0 {
		t.Errorf("%d records stored twice", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM sources WHERE records + quarantined + outside_window + stored_before <> data_lines`); n != 0 {
		t.Errorf("%d ledger rows do not reconcile", n)
	}
	third := ingestWindow(db, narrow)
	if third.Objects != 0 || third.Unchanged != third.Listed {
		t.Errorf("a window inside what was read: %+v", third)
	}
	if got := queryStrings(t, db, `SELECT options FROM ingest_runs ORDER BY run_id LIMIT 1`); len(got) != 1 || !strings.Contains(got[0], "window=2026-11-01T21:00:00Z..2026-11-01T22:59:59Z") {
		t.Errorf("run options %v", got)
	}
}
