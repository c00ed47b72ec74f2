package trino

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openConn opens an in-memory DuckDB database and returns one connection
// prepared the way the store prepares connections: ConnSettings, then Macros.
func openConn(t *testing.T) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	conn := newConn(t, db)
	mustExec(t, conn, Macros())
	return conn
}

// newConn returns a connection of db with ConnSettings applied.
func newConn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	for _, stmt := range ConnSettings() {
		mustExec(t, conn, stmt)
	}
	return conn
}

func mustExec(t *testing.T, conn *sql.Conn, query string) {
	t.Helper()
	if _, err := conn.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("exec %q: %v", firstLine(query), err)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// exprCase is a SQL expression and the text DuckDB prints for its value
// (CAST AS VARCHAR, "NULL" for NULL) and its type. A case with wantErr set
// expects an error containing that text instead.
type exprCase struct {
	expr     string
	want     string
	wantType string
	wantErr  string
}

// eval returns the expression's value as DuckDB prints it, and its type.
func eval(conn *sql.Conn, expr string) (value, typ string, err error) {
	var v sql.NullString
	row := conn.QueryRowContext(context.Background(),
		"SELECT CAST(("+expr+") AS VARCHAR), typeof(("+expr+"))")
	if err := row.Scan(&v, &typ); err != nil {
		return "", "", err
	}
	if !v.Valid {
		return "NULL", typ, nil
	}
	return v.String, typ, nil
}

func runExprCases(t *testing.T, conn *sql.Conn, cases []exprCase) {
	t.Helper()
	for _, c := range cases {
		got, typ, err := eval(conn, c.expr)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: got %q, %v; want error containing %q", c.expr, got, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", c.expr, err)
		case got != c.want || (c.wantType != "" && typ != c.wantType):
			t.Errorf("%s = %q (%s), want %q (%s)", c.expr, got, typ, c.want, c.wantType)
		}
	}
}
