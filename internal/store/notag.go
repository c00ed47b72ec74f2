//go:build !duckdb_arrow

package store

// flowdig loads records into DuckDB through its Arrow interface, which duckdb-go compiles only
// with the build tag duckdb_arrow. Build and test with: go build -tags duckdb_arrow ./...
var _ = flowdig_must_be_built_with_tags_duckdb_arrow__see_README
