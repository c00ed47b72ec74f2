package report

import (
	"context"
	"database/sql"
	"fmt"
)

// WriteRows streams rows into w: Begin with the result's columns, one Row
// per result row, then End. With maxRows > 0 it stops after that many rows
// and reports truncated when at least one more row was available.
//
// ctx is checked between rows; run the query itself with the same ctx so
// that DuckDB also interrupts a long-running scan. On error End is not
// called: the output is incomplete, and the caller may still call End to
// flush what was written. WriteRows does not close rows.
func WriteRows(ctx context.Context, rows *sql.Rows, w Writer, maxRows int) (n int, truncated bool, err error) {
	names, err := rows.Columns()
	if err != nil {
		return 0, false, fmt.Errorf("report: read columns: %w", err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, false, fmt.Errorf("report: read column types: %w", err)
	}
	cols := make([]Column, len(names))
	for i, name := range names {
		cols[i] = Column{Name: name, Type: types[i].DatabaseTypeName()}
	}
	if err := w.Begin(cols); err != nil {
		return 0, false, err
	}

	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for {
		if err := ctx.Err(); err != nil {
			return n, false, fmt.Errorf("report: after %d rows: %w", n, err)
		}
		if !rows.Next() {
			break
		}
		if maxRows > 0 && n >= maxRows {
			truncated = true
			break
		}
		clear(vals)
		if err := rows.Scan(ptrs...); err != nil {
			return n, false, fmt.Errorf("report: scan row %d: %w", n+1, err)
		}
		if err := w.Row(vals); err != nil {
			return n, false, err
		}
		n++
	}
	if !truncated {
		if err := rows.Err(); err != nil {
			return n, false, fmt.Errorf("report: read row %d: %w", n+1, err)
		}
	}
	return n, truncated, w.End()
}
