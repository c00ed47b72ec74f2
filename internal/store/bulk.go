//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// InsertArrow loads batches into table in one INSERT … BY NAME on conn (inside the caller's
// transaction, if one is open). The batches' column names must be columns of table; the batches
// are released. It is how packages other than the ingest writer (threat lists, enrichment)
// bulk-load rows: a prepared INSERT per row costs a cgo call per value.
func InsertArrow(ctx context.Context, conn *sql.Conn, table string, batches ...arrow.RecordBatch) error {
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	if len(batches) == 0 || batches[0].NumRows() == 0 && len(batches) == 1 {
		return nil
	}
	rdr, err := array.NewRecordReader(batches[0].Schema(), batches)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	defer rdr.Release()
	// Temporary views are per connection; a random name keeps concurrent loads apart without
	// shared state.
	name := fmt.Sprintf("fd_bulk_%016x", rand.Uint64())
	release, err := registerArrow(conn, rdr, name)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	defer release()
	// Only SELECT * from a registered Arrow view: see registerArrow.
	_, err = conn.ExecContext(ctx, "INSERT INTO "+QuoteIdent(table)+" BY NAME SELECT * FROM "+name)
	_, _ = conn.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+name)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	return nil
}

// QueryArrow runs q on conn and hands each result batch to fn (valid only during the call).
// Reading a few hundred thousand rows this way costs a fraction of a database/sql scan.
func QueryArrow(ctx context.Context, conn *sql.Conn, q string, fn func(arrow.RecordBatch) error, args ...any) error {
	var rdr array.RecordReader
	err := conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rdr, err = ar.QueryContext(ctx, q, args...)
		return err
	})
	if err != nil {
		return err
	}
	defer rdr.Release()
	for rdr.Next() {
		if err := fn(rdr.RecordBatch()); err != nil {
			return err
		}
	}
	return rdr.Err()
}

// StringAt returns row i of a string column of any Arrow string layout, and whether it is
// non-NULL. The string shares the batch's memory: strings.Clone it to keep it past fn.
func StringAt(col arrow.Array, i int) (string, bool) {
	if col.IsNull(i) {
		return "", false
	}
	switch c := col.(type) {
	case *array.String:
		return c.Value(i), true
	case *array.LargeString:
		return c.Value(i), true
	case *array.StringView:
		return c.Value(i), true
	}
	return col.ValueStr(i), true
}

// registerArrow exposes an Arrow stream to DuckDB as a temporary view of conn. The view must
// only ever be read with SELECT *: DuckDB's Arrow scan mishandles projections of a Go-exported
// stream (duckdb-go issue #24). release frees the stream once the reading statement is done.
func registerArrow(conn *sql.Conn, rdr array.RecordReader, name string) (release func(), err error) {
	err = conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		release, err = ar.RegisterView(rdr, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("register arrow stream: %w", err)
	}
	return release, nil
}
