//go:build duckdb_arrow

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
)

// Whatever moment Ctrl-C lands, the summary of an interrupted run counts exactly the records
// that were committed.
func TestInterruptedSummaryMatchesCase(t *testing.T) {
	dir, _ := synthData(t, 2, 200_000, 0)
	for i := range 16 {
		db := openCase(t)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Duration(200+i*30)*time.Millisecond, cancel)
		sum, _ := ingest.Run(ctx, db, local.New([]string{dir}), ingest.Options{CommitRows: 50_000})
		cancel()
		if sum == nil {
			continue
		}
		if n := count(t, db, `SELECT count(*) FROM flows`); n != sum.Records {
			t.Errorf("cancel at %dms: summary says %d records committed, flows holds %d (ledger: %d objects, summary %d)",
				200+i*30, sum.Records, n, count(t, db, `SELECT count(*) FROM sources`), sum.Objects)
		}
		checkLedger(t, db)
		db.Close()
	}
}
