package store

import (
	"context"
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
