//go:build duckdb_arrow

package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
)

const v5Format = "version account-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path"

func line(src string, port int, start int64) string {
	return fmt.Sprintf("2 123456789012 eni-0a1b2c3d %s 10.0.0.5 443 %d 6 10 840 %d %d ACCEPT OK", src, port, start, start+60)
}

func v5Line(src, pktSrc string, start int64) string {
	return fmt.Sprintf("5 123456789012 eni-0a1b2c3d %s 10.0.0.5 %s 10.0.0.5 443 8080 6 3 120 %d %d ACCEPT OK ingress -", src, pktSrc, start, start+60)
}

func newWriter(t testing.TB, db *store.DB) *store.Writer {
	t.Helper()
	run, err := db.StartRun(context.Background(), "test", "")
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.NewWriter(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// Identical content twice in one transaction is stored once; the second copy is a ledger row
// with status duplicate pointing at the first.
func TestDuplicateInOneTransaction(t *testing.T) {
	db := openCase(t)
	w := newWriter(t, db)
	lines := []string{line("10.0.0.1", 1000, 1762000000), line("10.0.0.2", 1001, 1762000010)}
	a := object(t, "/case/a/x.log", flowlog.DefaultFormat, lines...)
	b := object(t, "/case/a/y.log", flowlog.DefaultFormat, lines...) // same bytes, other name
	c := object(t, "/case/a/z.log", flowlog.DefaultFormat, line("10.0.0.3", 1002, 1762000020))
	outs, err := w.Commit(context.Background(), []*store.Object{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].DuplicateOf != 0 || outs[1].DuplicateOf != outs[0].SourceID || outs[2].DuplicateOf != 0 {
		t.Fatalf("outcomes %+v", outs)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 3 {
		t.Errorf("flows has %d rows, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM flows WHERE source_id = ?`, outs[1].SourceID); n != 0 {
		t.Errorf("duplicate stored %d rows", n)
	}
	var status string
	var dupOf, recs, data int64
	err = db.SQL.QueryRow(`SELECT status, duplicate_of, records, data_lines FROM sources WHERE uri = '/case/a/y.log'`).Scan(&status, &dupOf, &recs, &data)
	if err != nil {
		t.Fatal(err)
	}
	if status != "duplicate" || dupOf != int64(outs[0].SourceID) || recs != 0 || data != 0 {
		t.Errorf("duplicate ledger row: status %s duplicate_of %d records %d data_lines %d", status, dupOf, recs, data)
	}
	// A later transaction recognises the stored content too.
	again := object(t, "/case/b/x.log", flowlog.DefaultFormat, lines...)
	outs2, err := w.Commit(context.Background(), []*store.Object{again})
	if err != nil {
		t.Fatal(err)
	}
	if outs2[0].DuplicateOf != outs[0].SourceID {
		t.Errorf("later copy: %+v, want duplicate of %d", outs2[0], outs[0].SourceID)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 3 {
		t.Errorf("flows has %d rows after the later copy, want 3", n)
	}
}

// cancelling wraps a batch so that the writer's first look at it cancels the transaction's
// context: cancellation lands deterministically in the middle of Commit.
type cancelling struct {
	arrow.RecordBatch
	cancel context.CancelFunc
}

func (c cancelling) Schema() *arrow.Schema {
	c.cancel()
	return c.RecordBatch.Schema()
}

// A Commit whose context is cancelled while it runs leaves nothing behind: no records, ledger
// rows, quarantine, shape tables or partitions; earlier commits stay, and the writer still works.
func TestCommitCancelledMidwayRollsBack(t *testing.T) {
	const objects = 4
	for at := range objects {
		t.Run(fmt.Sprintf("cancel at object %d", at), func(t *testing.T) {
			db := openCase(t)
			w := newWriter(t, db)
			first := object(t, "/case/first.log", flowlog.DefaultFormat, line("10.9.0.1", 1, 1762000000))
			if _, err := w.Commit(context.Background(), []*store.Object{first}); err != nil {
				t.Fatal(err)
			}
			build := func(tag string) []*store.Object {
				var objs []*store.Object
				for i := range objects {
					uri := fmt.Sprintf("/case/%s/%d.log", tag, i)
					var o *store.Object
					if i%2 == 0 {
						o = object(t, uri, flowlog.DefaultFormat, line(fmt.Sprintf("10.1.%d.1", i), 1, 1762000000),
							line("10.1.0.2", 70000, 1762000001)) // second line quarantined
					} else {
						o = object(t, uri, v5Format, v5Line(fmt.Sprintf("10.2.%d.1", i), "192.0.2.7", 1762000100))
					}
					o.Source.LogAccountID, o.Source.LogRegion, o.Source.FlowLogID = "111122223333", "eu-west-1", "fl-"+tag
					objs = append(objs, o)
				}
				return objs
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			objs := build("cancelled")
			objs[at].Batches[0] = cancelling{RecordBatch: objs[at].Batches[0], cancel: cancel}
			if _, err := w.Commit(ctx, objs); err == nil {
				t.Fatal("commit with a context cancelled midway succeeded")
			} else if !errors.Is(err, context.Canceled) {
				t.Logf("commit error (not context.Canceled): %v", err)
			}
			checks := []struct {
				q    string
				want int64
			}{
				{`SELECT count(*) FROM flows`, 1},
				{`SELECT count(*) FROM sources`, 1},
				{`SELECT count(*) FROM quarantine`, 0},
				{`SELECT count(*) FROM log_partitions`, 0},
				{`SELECT count(*) FROM flow_shapes`, 1},
				{`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'flow_records_%'`, 1},
			}
			for _, c := range checks {
				if n := count(t, db, c.q); n != c.want {
					t.Errorf("after cancelled commit: %s = %d, want %d", c.q, n, c.want)
				}
			}
			// The writer's bookkeeping did not keep the abandoned shapes, partitions or hashes.
			outs, err := w.Commit(context.Background(), build("retry"))
			if err != nil {
				t.Fatalf("commit after a cancelled one: %v", err)
			}
			for i, o := range outs {
				if o.DuplicateOf != 0 {
					t.Errorf("retry object %d recorded as duplicate of %d", i, o.DuplicateOf)
				}
			}
			if n := count(t, db, `SELECT count(*) FROM flows WHERE flow_log_id = 'fl-retry' AND log_region = 'eu-west-1'`); n != 4 {
				t.Errorf("retry stored %d rows with its partition, want 4", n)
			}
			if n := count(t, db, `SELECT count(*) FROM sources WHERE records + quarantined <> data_lines`); n != 0 {
				t.Errorf("%d sources do not reconcile", n)
			}
			if n := count(t, db, `SELECT count(*) FROM flows WHERE pkt_srcaddr = '192.0.2.7'`); n != 2 {
				t.Errorf("v5 rows across shapes: %d, want 2", n)
			}
		})
	}
}
