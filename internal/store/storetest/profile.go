// Package storetest holds helpers for tests that inspect how DuckDB executes queries on a case.
package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/flowdig/flowdig/internal/store"
)

// RowsScanned runs EXPLAIN ANALYZE with DuckDB's JSON profiler and adds up the rows every
// operator read from storage: the measure of how much a filter pruned.
func RowsScanned(t testing.TB, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{`PRAGMA enable_profiling = 'json'`,
		`SET custom_profiling_settings = '{"OPERATOR_ROWS_SCANNED": "true", "OPERATOR_CARDINALITY": "true"}'`} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	// The connection goes back to the pool: leave it without profiling.
	defer func() { _, _ = conn.ExecContext(ctx, `PRAGMA disable_profiling`) }()
	var key, plan string
	if err := conn.QueryRowContext(ctx, "EXPLAIN ANALYZE "+q, args...).Scan(&key, &plan); err != nil {
		t.Fatalf("explain analyze %s: %v", q, err)
	}
	type node struct {
		Scanned  *int64 `json:"operator_rows_scanned"`
		Children []node `json:"children"`
	}
	var root node
	if err := json.Unmarshal([]byte(plan), &root); err != nil {
		t.Fatalf("profile: %v\n%s", err, plan)
	}
	var total int64
	seen := false
	var walk func(n node)
	walk = func(n node) {
		if n.Scanned != nil {
			total += *n.Scanned
			seen = true
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(root)
	if !seen {
		t.Fatalf("profile has no operator_rows_scanned:\n%s", plan)
	}
	return total
}
