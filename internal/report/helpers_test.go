package report

import (
	"bytes"
	"context"
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openDB returns a fresh in-memory DuckDB, closed when the test ends.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatalf("open duckdb: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// render runs query and renders its whole result in format f.
func render(t testing.TB, db *sql.DB, f Format, opt Options, query string) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, f, opt)
	if err != nil {
		t.Fatalf("NewWriter(%s): %v", f, err)
	}
	rows, err := db.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	defer rows.Close()
	if _, truncated, err := WriteRows(context.Background(), rows, w, 0); err != nil || truncated {
		t.Fatalf("WriteRows(%s) = truncated %v, err %v", f, truncated, err)
	}
	return buf.String()
}

// renderValues renders Go values directly, without DuckDB.
func renderValues(t testing.TB, f Format, opt Options, cols []Column, rows ...[]any) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, f, opt)
	if err != nil {
		t.Fatalf("NewWriter(%s): %v", f, err)
	}
	if err := w.Begin(cols); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatalf("Row: %v", err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatalf("End: %v", err)
	}
	return buf.String()
}

// textOf is appendText as a string, "NULL" for SQL NULL.
func textOf(v any, typ string) string {
	b, null := appendText(nil, v, parseType(typ))
	if null {
		return "NULL"
	}
	return string(b)
}
