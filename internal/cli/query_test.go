//go:build duckdb_arrow

package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// typed is a one-row query whose values need care in every format: a comma, a NULL, an integer
// that float64 cannot hold.
const typed = `SELECT 'a,b' AS s, 42 AS n, NULL AS z, 9223372036854775807 AS big`

func TestQueryFormats(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)

	t.Run("json keeps big integers exact", func(t *testing.T) {
		rows := query(t, db, `SELECT 9223372036854775807 AS big, sum(bytes) AS s, sum(bytes) * 100000000 AS huge FROM flows`)
		want := []map[string]any{{
			"big":  json.Number("9223372036854775807"),
			"s":    json.Number(strconv.FormatInt(fixtureBytes, 10)),
			"huge": json.Number(strconv.FormatInt(fixtureBytes, 10) + "00000000"),
		}}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("got %v, want %v", rows, want)
		}
	})

	t.Run("json is an array of objects keyed by column", func(t *testing.T) {
		rows := query(t, db, typed+` UNION ALL SELECT 'x', 7, NULL, 1`)
		want := []map[string]any{
			{"s": "a,b", "n": json.Number("42"), "z": nil, "big": json.Number("9223372036854775807")},
			{"s": "x", "n": json.Number("7"), "z": nil, "big": json.Number("1")},
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("got %v, want %v", rows, want)
		}
		if got := query(t, db, `SELECT * FROM flows WHERE false`); got == nil || len(got) != 0 {
			t.Errorf("no rows: got %#v, want an empty array", got)
		}
	})

	t.Run("csv", func(t *testing.T) {
		for _, args := range [][]string{{"--format", "csv"}, {}} { // csv is the default off a terminal
			r := inproc(t, "", append([]string{"query", "--db", db, typed}, args...)...).must(t, "csv")
			recs, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, r.out)
			}
			want := [][]string{{"s", "n", "z", "big"}, {"a,b", "42", "", "9223372036854775807"}}
			if !reflect.DeepEqual(recs, want) {
				t.Errorf("%v: got %q, want %q", args, recs, want)
			}
		}
	})

	t.Run("ndjson", func(t *testing.T) {
		r := inproc(t, "", "query", "--db", db, "--format", "ndjson",
			`SELECT srcaddr, sum(bytes) AS b FROM flows WHERE srcaddr IN ('10.0.0.5', '10.0.0.6') GROUP BY 1 ORDER BY 1`).must(t, "ndjson")
		lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
		want := []string{`{"srcaddr":"10.0.0.5","b":7647483659}`, `{"srcaddr":"10.0.0.6","b":99999999999}`}
		if !reflect.DeepEqual(lines, want) {
			t.Errorf("got %q, want %q", lines, want)
		}
	})

	t.Run("markdown", func(t *testing.T) {
		r := inproc(t, "", "query", "--db", db, "--format", "markdown", typed).must(t, "markdown")
		lines := strings.Split(strings.TrimSpace(r.out), "\n")
		if len(lines) != 3 || lines[0] != "| s | n | z | big |" || !strings.HasPrefix(lines[1], "| --- |") ||
			lines[2] != "| a,b | 42 | NULL | 9223372036854775807 |" {
			t.Errorf("markdown:\n%s", r.out)
		}
	})

	t.Run("table", func(t *testing.T) {
		r := inproc(t, "", "query", "--db", db, "--format", "table", typed).must(t, "table")
		lines := strings.Split(strings.TrimSpace(r.out), "\n")
		if len(lines) != 4 || strings.Fields(lines[0])[0] != "s" || strings.Trim(lines[1], "- ") != "" ||
			!reflect.DeepEqual(strings.Fields(lines[2]), []string{"a,b", "42", "NULL", "9223372036854775807"}) ||
			lines[3] != "(1 row)" {
			t.Errorf("table:\n%s", r.out)
		}
	})

	t.Run("max rows", func(t *testing.T) {
		r := inproc(t, "", "query", "--db", db, "--max-rows", "2", "SELECT * FROM range(5) t(i)").must(t, "--max-rows")
		if r.out != "i\n0\n1\n" || !strings.Contains(r.err, "--max-rows 2") {
			t.Errorf("--max-rows 2: stdout %q, stderr %q", r.out, r.err)
		}
	})

	t.Run("sql from stdin", func(t *testing.T) {
		r := inproc(t, "SELECT count(*) AS n FROM flows WHERE log_status = 'NODATA'", "query", "--db", db, "-").must(t, "stdin")
		if r.out != "n\n1\n" {
			t.Errorf("got %q", r.out)
		}
	})

	t.Run("unknown format is a usage error", func(t *testing.T) {
		r := inproc(t, "", "query", "--db", db, "--format", "xml", typed)
		if r.code != 2 || !strings.Contains(r.err, "xml") {
			t.Errorf("exit %d, stderr %q; want 2 naming the format", r.code, r.err)
		}
	})
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)

	// A real process: a panic would show as a stack trace on its stderr.
	r := flowdig(t, "query", "--db", db, "SELEC srcaddr FROM flows")
	if r.code != 1 {
		t.Errorf("bad SQL: exit code %d, want 1", r.code)
	}
	if !strings.Contains(r.err, `Parser Error: syntax error at or near "SELEC"`) {
		t.Errorf("bad SQL: stderr lacks DuckDB's message:\n%s", r.err)
	}
	for _, bad := range []string{"goroutine ", "panic", ".go:"} {
		if strings.Contains(r.err, bad) {
			t.Errorf("bad SQL: stderr has %q:\n%s", bad, r.err)
		}
	}
	if r.out != "" {
		t.Errorf("bad SQL: stdout %q, want nothing", r.out)
	}

	r = flowdig(t, "query", "--db", db, "SELECT nosuchcolumn FROM flows")
	if r.code != 1 || !strings.Contains(r.err, "nosuchcolumn") {
		t.Errorf("unknown column: exit %d, stderr %q", r.code, r.err)
	}

	r = inproc(t, "", "query", "--db", db, "--timeout", "300ms", "SELECT count(*) FROM range(100000000000) t(x) WHERE x % 7 = 3")
	if r.code != 1 || !strings.Contains(r.err, "--timeout reached") {
		t.Errorf("--timeout: exit %d, stderr %q; want 1 and the query cancelled", r.code, r.err)
	}
}

func TestQueryReadOnlyByDefault(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)

	r := inproc(t, "", "query", "--db", db, "DELETE FROM sources")
	if r.code != 1 || !strings.Contains(r.err, "read-only") {
		t.Errorf("DELETE without --write: exit %d, stderr %q; want 1 and a read-only error", r.code, r.err)
	}
	r = inproc(t, "", "query", "--db", db, "CREATE TABLE notes AS SELECT 1 AS x")
	if r.code != 1 || !strings.Contains(r.err, "read-only") {
		t.Errorf("CREATE without --write: exit %d, stderr %q", r.code, r.err)
	}
	if got := scalar(t, db, "SELECT count(*) FROM sources"); got != "1" {
		t.Errorf("sources after a refused DELETE: %s rows, want 1", got)
	}

	inproc(t, "", "query", "--write", "--db", db, "CREATE TABLE notes AS SELECT 'pivot to 10.0.0.5' AS note").must(t, "CREATE with --write")
	if got := scalar(t, db, "SELECT note FROM notes"); got != "pivot to 10.0.0.5" {
		t.Errorf("notes table: %q", got)
	}

	missing := filepath.Join(t.TempDir(), "missing.duckdb")
	r = inproc(t, "", "query", "--db", missing, "SELECT 1")
	if r.code != 1 || !strings.Contains(r.err, missing) {
		t.Errorf("query on a missing case: exit %d, stderr %q; want 1 naming the path", r.code, r.err)
	}
	if exists(missing) {
		t.Errorf("a read-only query created %s", missing)
	}
}

// TestPlaybookDataRatio runs the playbook's data-ratio query (flowlogs-spec.md section 5 item 4)
// verbatim but for the table name and the address.
func TestPlaybookDataRatio(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)
	const q = `SELECT sourceaddress,
         destinationaddress,
         count(*) AS record_count,
         SUM(numbytes) AS total_bytes,
         SUM(numbytes)/count(*) AS data_ratio,
         date_format(from_unixtime(min(starttime)),
         '%Y/%m/%d %H:%i:%s') AS first_seen, date_format(from_unixtime(max(endtime)), '%Y/%m/%d %H:%i:%s') AS last_seen
FROM vpcflow
WHERE (sourceaddress = '10.0.0.5'
        OR destinationaddress = '10.0.0.5')
GROUP BY  sourceaddress, destinationaddress
ORDER BY  total_bytes DESC `
	// A non-UTC local zone must not shift the times: Athena works in UTC.
	r := proc{env: []string{"TZ=Asia/Kolkata"}}.run(t, "query", "--db", db, "--format", "json", q).must(t, "data ratio")
	got := decodeJSON(t, r.out)
	row := func(src, dst string, n, total, ratio int64, first, last string) map[string]any {
		return map[string]any{"sourceaddress": src, "destinationaddress": dst,
			"record_count": json.Number(strconv.FormatInt(n, 10)), "total_bytes": json.Number(strconv.FormatInt(total, 10)),
			"data_ratio": json.Number(strconv.FormatInt(ratio, 10)), "first_seen": first, "last_seen": last}
	}
	want := []map[string]any{
		// 7647483649 / 3 = 2549161216.33: Trino divides integers.
		row("10.0.0.5", "203.0.113.9", 3, 7647483649, 2549161216, "2026/01/01 00:00:00", "2026/01/01 00:04:59"),
		row("203.0.113.9", "10.0.0.5", 2, 1501, 750, "2026/01/01 00:00:10", "2026/01/01 00:01:40"),
		row("10.0.0.5", "198.51.100.7", 1, 10, 10, "2026/01/01 01:00:00", "2026/01/01 01:00:59"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("data ratio:\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(r.out, `"data_ratio":2549161216,`) {
		t.Errorf("data_ratio is not written as an integer:\n%s", r.out)
	}
}
