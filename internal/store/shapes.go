package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// A shape is the set of columns one flow-log format fills. Each shape has its own table, so a
// load writes only the columns its records have; flow_records unions them all by name.

// loadShapes returns the shape tables by their column key.
func loadShapes(ctx context.Context, ex execer) (map[string]string, error) {
	rows, err := ex.QueryContext(ctx, `SELECT columns, table_name FROM flow_shapes ORDER BY shape_id`)
	if err != nil {
		return nil, fmt.Errorf("read record shapes: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var cols, table string
		if err := rows.Scan(&cols, &table); err != nil {
			return nil, fmt.Errorf("read record shapes: %w", err)
		}
		out[cols] = table
	}
	return out, rows.Err()
}

// createShape makes the table for a new column set, typed from flow_template.
func createShape(ctx context.Context, ex execer, id int, cols []string) (string, error) {
	table := fmt.Sprintf("flow_records_%d", id)
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = QuoteIdent(c)
	}
	q := "CREATE TABLE " + table + " AS SELECT " + strings.Join(quoted, ", ") + " FROM flow_template LIMIT 0"
	if _, err := ex.ExecContext(ctx, q); err != nil {
		return "", fmt.Errorf("create shape table %s: %w", table, err)
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO flow_shapes VALUES (?, ?, ?)`, id, table, strings.Join(cols, ","))
	if err != nil {
		return "", fmt.Errorf("record shape %s: %w", table, err)
	}
	return table, nil
}

// refreshRecordsView rewrites flow_records as the union of the shape tables over the template.
func refreshRecordsView(ctx context.Context, ex execer) error {
	shapes, err := shapeTables(ctx, ex)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("CREATE OR REPLACE VIEW flow_records AS SELECT * FROM flow_template")
	for _, t := range shapes {
		b.WriteString(" UNION ALL BY NAME SELECT * FROM ")
		b.WriteString(t)
	}
	if _, err := ex.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("create view flow_records: %w", err)
	}
	return nil
}

func shapeTables(ctx context.Context, ex execer) ([]string, error) {
	rows, err := ex.QueryContext(ctx, `SELECT table_name FROM flow_shapes ORDER BY shape_id`)
	if err != nil {
		return nil, fmt.Errorf("read record shapes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// mergeParts concatenates consecutive objects' batches of one shape into one batch of n rows
// with per-row source_id and part_id columns.
func mergeParts(parts []part, n int) arrow.RecordBatch {
	schema := parts[0].rec.Schema()
	ncols := len(schema.Fields())
	cols := make([]arrow.Array, 0, ncols+2)
	for c := 0; c < ncols; c++ {
		if len(parts) == 1 {
			a := parts[0].rec.Column(c)
			a.Retain()
			cols = append(cols, a)
			continue
		}
		arrs := make([]arrow.Array, len(parts))
		for k, p := range parts {
			arrs[k] = p.rec.Column(c)
		}
		merged, err := array.Concatenate(arrs, memory.DefaultAllocator)
		if err != nil {
			panic(fmt.Sprintf("store: concatenate batches of one schema: %v", err)) // same schema: cannot fail
		}
		cols = append(cols, merged)
	}
	src := make([]int32, 0, n)
	prt := array.NewInt32Builder(memory.DefaultAllocator)
	defer prt.Release()
	prt.Reserve(n)
	for _, p := range parts {
		m := int(p.rec.NumRows())
		for range m {
			src = append(src, p.sourceID)
		}
		if p.partID > 0 {
			for range m {
				prt.UnsafeAppend(p.partID)
			}
		} else {
			prt.AppendNulls(m)
		}
	}
	cols = append(cols, int32Array(src), prt.NewArray())
	fields := append(append([]arrow.Field{}, schema.Fields()...),
		arrow.Field{Name: "source_id", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "part_id", Type: arrow.PrimitiveTypes.Int32, Nullable: true})
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
