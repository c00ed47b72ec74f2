//go:build duckdb_arrow

package catalog_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/store"
)

// BenchmarkEntries runs every catalogue entry with its default parameters against an existing
// case (FLOWDIG_BENCH_CASE, e.g. the 10M-record case from scripts/bench.sh). Entries whose
// fields the case lacks are skipped, as flowdig run refuses them. Address parameters take the
// case's busiest source address.
func BenchmarkEntries(b *testing.B) {
	path := os.Getenv("FLOWDIG_BENCH_CASE")
	if path == "" {
		b.Skip("set FLOWDIG_BENCH_CASE to a case database")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	have, err := db.Columns(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var ip string
	if err := db.SQL.QueryRowContext(ctx, `SELECT srcaddr FROM flows WHERE srcaddr IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&ip); err != nil {
		b.Fatal(err)
	}
	cat, _ := catalog.Load()
	for _, e := range cat.Entries() {
		b.Run(e.ID, func(b *testing.B) {
			given := map[string]string{}
			for _, p := range e.Params {
				if p.Required && p.Type == "ip" {
					given[p.Name] = ip
				}
			}
			vals, err := e.Values(given)
			if err != nil {
				b.Fatal(err)
			}
			var missing *catalog.MissingError
			if err := catalog.CheckNeeds(e.ID, e.Needs, have); errors.As(err, &missing) {
				b.Skip(err)
			}
			t := catalog.LocalTarget()
			t.Columns = catalog.RecordColumns(have)
			q, err := e.Render(catalog.DuckDB, t, vals, catalog.Filters{})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				rows, err := db.SQL.QueryContext(ctx, q.SQL, q.Args...)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
		})
	}
}
