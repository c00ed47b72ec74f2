package trino

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// macroNames returns the names of the macros trino.sql creates, in order.
func macroNames() []string {
	var names []string
	re := regexp.MustCompile(`(?m)^CREATE OR REPLACE MACRO (\w+)\(`)
	for _, m := range re.FindAllStringSubmatch(Macros(), -1) {
		names = append(names, m[1])
	}
	return names
}

func TestMacroList(t *testing.T) {
	want := []string{
		"trino_format_tokens", "trino_format_literal", "trino_format_error",
		"trino_strftime_pattern", "trino_strptime_pattern",
		"from_unixtime", "to_unixtime", "date_format",
		"trino_parsed_year", "date_parse",
		"from_iso8601_timestamp", "from_iso8601_date", "to_iso8601",
		"trino_unit_interval", "date_add", "date_diff",
		"day_of_week", "dow", "day_of_year", "doy", "day_of_month",
		"week_of_year", "year_of_week", "yow",
		"approx_distinct", "cardinality", "regexp_like", "split_part",
	}
	if got := macroNames(); !slices.Equal(got, want) {
		t.Errorf("macros = %q\nwant %q", got, want)
	}
}

// TestHeaderListsEveryMacro keeps the comment at the top of trino.sql, the
// documentation of what is native and what is a macro, in step with the code.
func TestHeaderListsEveryMacro(t *testing.T) {
	header, _, ok := strings.Cut(Macros(), "\nCREATE ")
	if !ok {
		t.Fatal("no CREATE statement in trino.sql")
	}
	for _, name := range macroNames() {
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(header) {
			t.Errorf("macro %s is not mentioned in the header comment of trino.sql", name)
		}
	}
}

// TestShadowedBuiltins checks that only the built-ins whose semantics differ
// from Trino's are replaced.
func TestShadowedBuiltins(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `
		SELECT DISTINCT function_name FROM duckdb_functions()
		WHERE database_name = 'system' AND function_name = ANY($1)
		ORDER BY function_name`, macroNames())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var shadowed []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		shadowed = append(shadowed, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"cardinality", "date_add", "date_diff", "split_part"}
	if !slices.Equal(shadowed, want) {
		t.Errorf("macros replacing DuckDB built-ins = %q, want %q", shadowed, want)
	}
}

func TestMacrosAreIdempotent(t *testing.T) {
	conn := openConn(t)
	mustExec(t, conn, Macros())
	runExprCases(t, conn, []exprCase{{expr: "day_of_week(DATE '2020-05-03')", want: "7"}})
}

// TestMacrosOncePerDatabase follows the store's contract: macros are created
// once per database, settings are applied on every connection.
func TestMacrosOncePerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flows.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	first := newConn(t, db)
	mustExec(t, first, Macros())
	second := newConn(t, db)
	runExprCases(t, second, []exprCase{
		{expr: "date_format(from_unixtime(1566848875), '%Y/%m/%d %H:%i:%s')", want: "2019/08/26 19:47:55"},
	})
	_ = first.Close()
	_ = second.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The macros persist with the database file.
	db, err = sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runExprCases(t, newConn(t, db), []exprCase{
		{expr: "date_format(from_unixtime(1566848875), '%Y/%m/%d %H:%i:%s')", want: "2019/08/26 19:47:55"},
		{expr: "split_part('a.b', '.', 3)", want: "NULL"},
	})
}

func TestConnSettingsApply(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn := newConn(t, db)
	for name, want := range map[string]string{"TimeZone": "UTC", "integer_division": "true"} {
		var got string
		q := "SELECT CAST(current_setting('" + name + "') AS VARCHAR)"
		if err := conn.QueryRowContext(t.Context(), q).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	settings := ConnSettings()
	settings[0] = "changed"
	if ConnSettings()[0] == "changed" {
		t.Error("ConnSettings returns a shared slice")
	}
}
