package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Columns returns the record columns that some ingested data fills: the union of the shape
// tables' column sets. A column of the schema that no format provided is absent.
func (d *DB) Columns(ctx context.Context) (map[string]bool, error) {
	rows, err := d.SQL.QueryContext(ctx, `SELECT columns FROM flow_shapes`)
	if err != nil {
		return nil, fmt.Errorf("read record shapes: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var cols string
		if err := rows.Scan(&cols); err != nil {
			return nil, fmt.Errorf("read record shapes: %w", err)
		}
		for _, c := range strings.Split(cols, ",") {
			out[c] = true
		}
	}
	return out, rows.Err()
}

// ScanValues scans the current row of rows, which has n columns, into plain Go values as the
// driver returns them.
func ScanValues(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}
