//go:build duckdb_arrow

package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/batch"
	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// read decodes lines as the ingest decoder does under window w, keeping the records keep selects
// (keep nil: w). The SHA-256 is of the content, whatever the window.
func read(t *testing.T, uri string, w timewindow.Window, keep timewindow.Set, lines ...string) *store.Object {
	t.Helper()
	f := flowlog.MustFormat(flowlog.DefaultFormat)
	p := flowlog.NewParser(f)
	b := batch.New(f, 0, false)
	if keep == nil {
		keep = timewindow.Of(w)
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	o := &store.Object{Source: store.Source{URI: uri, SHA256: hex.EncodeToString(sum[:]), Format: "text",
		Header: f.String(), HeaderOrigin: "default format", Layout: "none", KeyHour: -1, Kept: keep}}
	if !w.IsAll() {
		o.Source.Window = &w
	}
	src := &o.Source
	var rec flowlog.Record
	for i, l := range lines {
		src.DataLines++
		if err := p.Parse([]byte(l), &rec); err != nil {
			src.Quarantined++
			o.Quarantine = append(o.Quarantine, store.QuarantineRow{Line: int64(i + 1), Reason: err.Error(), Raw: []byte(l)})
			continue
		}
		if !keep.Record(rec.Int[flowlog.FStart], rec.Valid[flowlog.FStart], rec.Int[flowlog.FEnd], rec.Valid[flowlog.FEnd]) {
			src.OutsideWindow++
			continue
		}
		b.Add(&rec, i+1)
		src.Records++
	}
	if rb := b.Flush(); rb != nil {
		o.Batches = append(o.Batches, rb)
	}
	src.Size = int64(len(strings.Join(lines, "\n")))
	return o
}

// tenMinutes is one object: records starting every 100 s from 1000 (each 60 s long), and one
// line that cannot be parsed.
func tenMinutes() []string {
	var lines []string
	for i := range 10 {
		lines = append(lines, line(fmt.Sprintf("10.0.0.%d", i+1), 1000+i, int64(1000+100*i)))
	}
	return append(lines, "2 not a record")
}

func span(a, b int64) timewindow.Window { return timewindow.Span(a, b) }

type ledgerRow struct {
	records, quarantined, outside, before, from, to, extends int64
	status                                                   string
}

func ledgerOf(t *testing.T, db *store.DB, id int) ledgerRow {
	t.Helper()
	var r ledgerRow
	err := db.SQL.QueryRow(`SELECT records, quarantined, outside_window, stored_before, coalesce(window_from, -1),
		coalesce(window_to, -1), coalesce(extends_source, 0), status FROM sources WHERE source_id = ?`, id).
		Scan(&r.records, &r.quarantined, &r.outside, &r.before, &r.from, &r.to, &r.extends, &r.status)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func commitOne(t *testing.T, w *store.Writer, o *store.Object) store.Outcome {
	t.Helper()
	outs, err := w.Commit(context.Background(), []*store.Object{o})
	if err != nil {
		t.Fatal(err)
	}
	return outs[0]
}

func noDuplicates(t *testing.T, db *store.DB) {
	t.Helper()
	if n := count(t, db, `SELECT count(*) - count(DISTINCT (s.sha256, f.line_no)) FROM flows f JOIN sources s USING (source_id)`); n != 0 {
		t.Errorf("%d records stored twice", n)
	}
	if n := count(t, db, `SELECT count(*) - count(DISTINCT (s.sha256, q.line_no)) FROM quarantine q JOIN sources s USING (source_id)`); n != 0 {
		t.Errorf("%d lines quarantined twice", n)
	}
	if n := count(t, db, `SELECT count(*) FROM sources WHERE records + quarantined + outside_window + stored_before <> data_lines`); n != 0 {
		t.Errorf("%d ledger rows do not reconcile", n)
	}
}

// Reading an object again with a wider window adds exactly the records the earlier windows did
// not select, records the new window with them in one transaction, and never stores a record
// (or a quarantined line) twice; a window already covered adds nothing.
func TestWiderWindowAddsOnlyWhatIsMissing(t *testing.T) {
	db := openCase(t)
	lines := tenMinutes()
	w := newWriter(t, db)
	first := commitOne(t, w, read(t, "/case/a.log", span(1000, 1299), nil, lines...))
	if r := ledgerOf(t, db, first.SourceID); r != (ledgerRow{records: 3, quarantined: 1, outside: 7, from: 1000, to: 1299, status: "ok"}) {
		t.Fatalf("first read: %+v", r)
	}

	// A transaction that widens and then rolls back leaves nothing: the next one adds the same.
	tx, err := w.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Add(read(t, "/case/a.log", span(1200, 1599), nil, lines...)); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 3 {
		t.Fatalf("after a rolled back widening: %d records", n)
	}

	// A new writer reads the coverage back from the ledger.
	w2 := newWriter(t, db)
	second := commitOne(t, w2, read(t, "/case/a.log", span(1200, 1599), nil, lines...))
	if second.Extends != first.SourceID || second.DuplicateOf != 0 {
		t.Fatalf("second read outcome %+v", second)
	}
	// Kept 1200..1500 (four records); 1200 was stored by the first read; the bad line too.
	if r := ledgerOf(t, db, second.SourceID); r != (ledgerRow{records: 3, outside: 6, before: 2, from: 1200, to: 1599, extends: int64(first.SourceID), status: "ok"}) {
		t.Fatalf("second read: %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 6 {
		t.Errorf("%d records after widening, want 6", n)
	}

	// Covered by what is stored: a duplicate, nothing added. Then everything: the rest.
	third := commitOne(t, w2, read(t, "/case/copy-of-a.log", span(1100, 1500), nil, lines...))
	if third.DuplicateOf != first.SourceID {
		t.Errorf("covered window: %+v", third)
	}
	all := commitOne(t, w2, read(t, "/case/a.log", timewindow.All(), nil, lines...))
	if r := ledgerOf(t, db, all.SourceID); r.records != 4 || r.before != 7 || r.from != -1 || r.to != -1 {
		t.Errorf("unbounded read: %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 10 {
		t.Errorf("%d records in the end, want 10", n)
	}
	if n := count(t, db, `SELECT count(*) FROM quarantine`); n != 1 {
		t.Errorf("%d quarantined lines, want 1", n)
	}
	noDuplicates(t, db)
	seen, err := db.SeenURIs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s := seen["/case/a.log"]; !s.Covered.IsAllSet() {
		t.Errorf("coverage after an unbounded read: %v", s.Covered)
	}
}

// A damaged read under one window, then the complete object under another: the complete read
// keeps both windows' records (the ingest passes the damaged read's windows along), replaces
// the damaged rows, and the ledger remembers both windows through the superseded read.
func TestCompleteCopyKeepsTheDamagedReadsWindows(t *testing.T) {
	db := openCase(t)
	lines := tenMinutes()[:10]
	w := newWriter(t, db)
	damaged := read(t, "/case/b.log", span(1000, 1399), nil, lines[:6]...)
	damaged.Source.Damage = "gzip: unexpected EOF"
	d := commitOne(t, w, damaged)
	keep := timewindow.Of(span(1700, 1999)).Union(timewindow.Of(span(1000, 1399)))
	full := commitOne(t, w, read(t, "/case/b.log", span(1700, 1999), keep, lines...))
	if full.Superseded != d.SourceID {
		t.Fatalf("complete read: %+v", full)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 4+3 {
		t.Errorf("%d records, want the first window's 4 and the second's 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM flows WHERE source_id = ?`, d.SourceID); n != 0 {
		t.Errorf("the damaged read still holds %d records", n)
	}
	s, err := db.SeenURIs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := s["/case/b.log"].Covered; !got.Covers(span(1000, 1399)) || !got.Covers(span(1700, 1999)) || got.Covers(span(1400, 1699)) {
		t.Errorf("coverage %v", got)
	}
	again := commitOne(t, newWriter(t, db), read(t, "/case/b.log", span(1000, 1999), nil, lines...))
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 10 || again.Extends != full.SourceID {
		t.Errorf("%d records after reading the gap, outcome %+v", n, again)
	}
	noDuplicates(t, db)
}
