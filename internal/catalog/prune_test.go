//go:build duckdb_arrow

package catalog_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/store/storetest"
	"github.com/flowdig/flowdig/internal/synth"
)

// A time filter must prune: the plan pushes the start/end conditions into the table scan, and
// on a three-day case a one-day window reads about a third of the rows, not all of them.
func TestTimeFilterPrunes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	day0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if _, err := synth.Generate(ctx, dir, synth.Config{Seed: 3, Start: day0, Days: 3, Records: 800_000, BenchOnly: true}); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := ingest.Run(ctx, db, local.New([]string{filepath.Join(dir, "AWSLogs")}), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	cat, _ := catalog.Load()
	e, _ := cat.Find("top-talkers")
	vals, _ := e.Values(nil)
	f := catalog.Filters{From: day0.AddDate(0, 0, 1), To: day0.AddDate(0, 0, 2)}
	q, err := e.Render(catalog.DuckDB, catalog.LocalTarget(), vals, f)
	if err != nil {
		t.Fatal(err)
	}
	var kind, plan string
	if err := db.SQL.QueryRowContext(ctx, "EXPLAIN "+q.SQL, q.Args...).Scan(&kind, &plan); err != nil {
		t.Fatal(err)
	}
	scan := plan[strings.Index(plan, "SEQ_SCAN"):]
	for _, want := range []string{"Filters:", "start<", "end>="} {
		if !strings.Contains(strings.ReplaceAll(scan, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("the table scan does not filter %q:\n%s", want, plan)
		}
	}
	var total, inWindow int64
	err = db.SQL.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE start < $1 AND "end" >= $2) FROM flows`,
		f.To.Unix(), f.From.Unix()).Scan(&total, &inWindow)
	if err != nil {
		t.Fatal(err)
	}
	scanned := storetest.RowsScanned(t, db, q.SQL, q.Args...)
	// top-talkers reads the table twice (source and destination side). Pruning works per row
	// group (122,880 rows): at most the window's rows plus a partial row group at each edge.
	perSide := scanned / 2
	if perSide > inWindow+2*122_880 || perSide >= total || perSide < inWindow {
		t.Errorf("a one-day window (%d rows) over three days (%d rows) read %d rows per side", inWindow, total, perSide)
	}
	t.Logf("one day of three: %d rows scanned per side for %d in the window, of %d", perSide, inWindow, total)
}
