//go:build duckdb_arrow

package cwlogs_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/timewindow"
)

func openCase(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// selected counts the events whose record [start, end] touches w.
func selected(events []fakeEvent, w timewindow.Window) int64 {
	var n int64
	for _, e := range events {
		f := strings.Fields(e.Msg)
		s, _ := strconv.ParseInt(f[10], 10, 64)
		end, _ := strconv.ParseInt(f[11], 10, 64)
		if w.Record(s, true, end, true) {
			n++
		}
	}
	return n
}

func checkCase(t *testing.T, db *store.DB) {
	t.Helper()
	if n := count(t, db, `SELECT count(*) FROM sources WHERE records + quarantined + outside_window + stored_before <> data_lines`); n != 0 {
		t.Errorf("%d ledger rows do not reconcile", n)
	}
	// One CloudWatch event is one record: the same record twice would be a duplicate.
	if n := count(t, db, `SELECT count(*) - count(DISTINCT (interface_id, srcaddr, dstaddr, srcport, dstport, start, bytes)) FROM flows`); n != 0 {
		t.Errorf("%d records stored twice", n)
	}
}

func run(t *testing.T, db *store.DB, f *fakeLogs, w timewindow.Window, now time.Time) *ingest.Summary {
	t.Helper()
	f.mu.Lock()
	f.now = now
	f.mu.Unlock()
	sum, err := ingest.Run(context.Background(), db, f.source(t, w, now), ingest.Options{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) > 0 {
		t.Fatalf("failed: %v", sum.Failed)
	}
	return sum
}

// The window's records, exactly once, through re-runs, a wider window and slices read while
// CloudWatch was still receiving their events.
func TestIngestCloudWatch(t *testing.T) {
	events := flowEvents(t, 6000)
	f := newFakeLogs(t, "vpc-flow-logs", events)
	later := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	narrow := window(t, "2026-11-01T06:00:00Z", "2026-11-01T07:59:59Z")
	wide := window(t, "2026-11-01T03:30:00Z", "2026-11-01T11:00:00Z")

	db := openCase(t)
	sum := run(t, db, f, narrow, later)
	if got, want := count(t, db, `SELECT count(*) FROM flows`), selected(events, narrow); got != want || want == 0 {
		t.Fatalf("stored %d records, the window selects %d", got, want)
	}
	if sum.Outside == 0 {
		t.Error("no record of the whole slices fell outside the window")
	}
	if n := count(t, db, `SELECT count(*) FROM sources WHERE format <> 'text' OR header_origin <> 'default format' OR status <> 'ok' OR uri NOT LIKE 'cwlogs://vpc-flow-logs@2026-11-01T0%'`); n != 0 {
		t.Errorf("%d unexpected ledger rows", n)
	}
	checkCase(t, db)

	calls, _ := f.stats()
	again := run(t, db, f, narrow, later)
	if c, _ := f.stats(); again.Objects != 0 || c-calls != 1 {
		t.Errorf("re-run: %d objects read, %d calls (want only the listing's check)", again.Objects, c-calls)
	}

	wider := run(t, db, f, wide, later)
	if got, want := count(t, db, `SELECT count(*) FROM flows`), selected(events, wide); got != want {
		t.Errorf("after widening: %d records, the wide window selects %d", got, want)
	}
	if wider.Widened != sum.Objects {
		t.Errorf("widened %d slices, the narrow run read %d", wider.Widened, sum.Objects)
	}
	checkCase(t, db)

	// Read while the hour was still open: the slices are partial, and the next run replaces
	// them with their complete content.
	early := time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC)
	fresh := openCase(t)
	first := run(t, fresh, f, narrow, early)
	if n := count(t, fresh, `SELECT count(*) FROM sources WHERE status = 'partial'`); n == 0 {
		t.Errorf("no partial slice after reading at %s: %+v", early, first)
	}
	run(t, fresh, f, narrow, later)
	if got, want := count(t, fresh, `SELECT count(*) FROM flows`), selected(events, narrow); got != want {
		t.Errorf("after re-reading partial slices: %d records, want %d", got, want)
	}
	if n := count(t, fresh, `SELECT count(*) FROM sources WHERE status = 'partial'`); n != 0 {
		t.Errorf("%d partial slices left", n)
	}
	checkCase(t, fresh)
}
