package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// allTypes yields one row with every value type the DuckDB driver scans
// into any. The UUID is fixed so that the output can be compared exactly.
const allTypes = `SELECT
  9223372036854775807::BIGINT AS a,
  170141183460469231731687303715884105727::HUGEINT AS b,
  (SELECT SUM(x) FROM (VALUES (9223372036854775807::BIGINT), (9223372036854775807::BIGINT)) t(x)) AS s,
  340282366920938463463374607431768211455::UHUGEINT AS ub,
  18446744073709551615::UBIGINT AS u64,
  '-128'::TINYINT AS i8,
  NULL AS n,
  'a|b' || chr(10) || 'c' AS str,
  DATE '2026-11-01' AS d,
  TIMESTAMP '2026-11-01 10:00:00.123' AS ts,
  TIMESTAMP '2026-11-01 10:00:00' AS ts0,
  TIMESTAMPTZ '2026-11-01 10:00:00+02' AS tstz,
  TIME '10:11:12.5' AS tm,
  MAP {'k': 1, 'j': 2} AS m,
  [1, 2] AS l,
  {'s': 1, 'a': 'x'} AS st,
  'x'::BLOB AS bl,
  '\xFF\x00a'::BLOB AS bl2,
  1.5::DECIMAL(10,2) AS dcm,
  INTERVAL 1 DAY AS iv,
  '8c3d4a2e-0b7b-4a51-9a51-7b1c5e1d2f30'::UUID AS id,
  'NaN'::DOUBLE AS nan,
  1.25::FLOAT AS f,
  true AS bo,
  [DATE '2026-11-01', NULL] AS ld,
  union_value(num := 2)::UNION(num INTEGER, str VARCHAR) AS un`

func TestAllTypesNDJSON(t *testing.T) {
	got := render(t, openDB(t), NDJSON, Options{}, allTypes)
	want := `{"a":9223372036854775807,"b":170141183460469231731687303715884105727,` +
		`"s":18446744073709551614,"ub":340282366920938463463374607431768211455,` +
		`"u64":18446744073709551615,"i8":-128,"n":null,"str":"a|b\nc","d":"2026-11-01",` +
		`"ts":"2026-11-01T10:00:00.123Z","ts0":"2026-11-01T10:00:00Z","tstz":"2026-11-01T08:00:00Z",` +
		`"tm":"10:11:12.5","m":{"k":1,"j":2},"l":[1,2],"st":{"s":1,"a":"x"},"bl":"x",` +
		`"bl2":"\\xFF\\x00a","dcm":1.50,"iv":"1 day","id":"8c3d4a2e-0b7b-4a51-9a51-7b1c5e1d2f30",` +
		`"nan":null,"f":1.25,"bo":true,"ld":["2026-11-01",null],"un":2}` + "\n"
	if got != want {
		t.Errorf("ndjson\n got: %s\nwant: %s", got, want)
	}
}

func TestAllTypesJSONBigIntsExact(t *testing.T) {
	out := render(t, openDB(t), JSON, Options{}, allTypes)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var rows []map[string]any
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("json output does not parse as an array of objects: %v\n%s", err, out)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d objects, want 1", len(rows))
	}
	for col, want := range map[string]string{
		"a":   "9223372036854775807",
		"b":   "170141183460469231731687303715884105727",
		"s":   "18446744073709551614",
		"ub":  "340282366920938463463374607431768211455",
		"u64": "18446744073709551615",
		"dcm": "1.50",
	} {
		n, ok := rows[0][col].(json.Number)
		if !ok {
			t.Errorf("%s = %#v, want a JSON number", col, rows[0][col])
			continue
		}
		if n.String() != want {
			t.Errorf("%s = %s, want %s", col, n, want)
		}
		if col != "dcm" {
			wantInt, _ := new(big.Int).SetString(want, 10)
			if gotInt, ok := new(big.Int).SetString(n.String(), 10); !ok || gotInt.Cmp(wantInt) != 0 {
				t.Errorf("%s does not round-trip through big.Int: %s", col, n)
			}
		}
	}
	if rows[0]["nan"] != nil || rows[0]["n"] != nil {
		t.Errorf("nan, n = %v, %v; want null, null", rows[0]["nan"], rows[0]["n"])
	}
}

func TestJSONKeysInColumnOrder(t *testing.T) {
	db := openDB(t)
	out := render(t, db, JSON, Options{}, allTypes+" UNION ALL "+allTypes)
	rows, err := db.Query(allTypes)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()

	objects := objectKeys(t, out)
	if len(objects) != 2 {
		t.Fatalf("got %d objects, want 2:\n%s", len(objects), out)
	}
	for i, keys := range objects {
		if strings.Join(keys, ",") != strings.Join(cols, ",") {
			t.Errorf("object %d keys %v, want column order %v", i, keys, cols)
		}
	}
}

// objectKeys reads a JSON array of objects token by token and returns each
// object's top-level keys in the order they were written.
func objectKeys(t *testing.T, data string) [][]string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	expect := func(want json.Delim) {
		tok, err := dec.Token()
		if err != nil || tok != want {
			t.Fatalf("token %v (%v), want %v", tok, err, want)
		}
	}
	expect('[')
	var all [][]string
	for dec.More() {
		expect('{')
		var keys []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("key: %v", err)
			}
			keys = append(keys, tok.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatalf("value of %v: %v", tok, err)
			}
		}
		expect('}')
		all = append(all, keys)
	}
	expect(']')
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("trailing data after array: %v", err)
	}
	return all
}

func TestAllTypesCSVParses(t *testing.T) {
	out := render(t, openDB(t), CSV, Options{}, allTypes)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v\n%s", err, out)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want header + 1", len(recs))
	}
	got := map[string]string{}
	for i, name := range recs[0] {
		got[name] = recs[1][i]
	}
	for col, want := range map[string]string{
		"b": "170141183460469231731687303715884105727", "n": "", "str": "a|b\nc",
		"d": "2026-11-01", "ts": "2026-11-01T10:00:00.123Z", "m": `{"k":1,"j":2}`,
		"l": "[1,2]", "st": `{"s":1,"a":"x"}`, "bl2": `\xFF\x00a`, "dcm": "1.50",
		"iv": "1 day", "id": "8c3d4a2e-0b7b-4a51-9a51-7b1c5e1d2f30", "nan": "NaN",
	} {
		if got[col] != want {
			t.Errorf("csv %s = %q, want %q", col, got[col], want)
		}
	}
}

func TestAllTypesMarkdownAndTable(t *testing.T) {
	db := openDB(t)
	md := render(t, db, Markdown, Options{}, allTypes)
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("markdown has %d lines, want 3 (header, rule, row):\n%s", len(lines), md)
	}
	for _, want := range []string{`| a\|b<br>c |`, "| NULL |", "| 1.50 |", `| \\xFF\\x00a |`} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("markdown row lacks %q:\n%s", want, lines[2])
		}
	}
	if !strings.HasPrefix(lines[1], "| ---: | ---: |") {
		t.Errorf("numeric columns not right-aligned: %s", lines[1])
	}

	tbl := render(t, db, Table, Options{Footer: true}, allTypes)
	tlines := strings.Split(strings.TrimSuffix(tbl, "\n"), "\n")
	if len(tlines) != 4 || tlines[3] != "(1 row)" {
		t.Fatalf("table should be header, rule, row, footer:\n%s", tbl)
	}
	for _, want := range []string{`a|b\nc`, "NULL", "2026-11-01", `{"k":1,"j":2}`} {
		if !strings.Contains(tlines[2], want) {
			t.Errorf("table row lacks %q:\n%s", want, tlines[2])
		}
	}
}

func TestRandomUUIDMatchesDuckDB(t *testing.T) {
	db := openDB(t)
	rows, err := db.Query("SELECT u, u::VARCHAR AS s FROM (SELECT uuid() AS u FROM range(3))")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	canonical := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	for rows.Next() {
		var u any
		var s string
		if err := rows.Scan(&u, &s); err != nil {
			t.Fatal(err)
		}
		got := string(appendJSON(nil, u, parseType("UUID")))
		if got != `"`+s+`"` || !canonical.MatchString(s) {
			t.Errorf("uuid %#v rendered %s, DuckDB says %s", u, got, s)
		}
	}
}

func TestEveryFormatRendersAllTypes(t *testing.T) {
	db := openDB(t)
	for _, f := range Formats() {
		out := render(t, db, f, Options{}, allTypes)
		if !bytes.Contains([]byte(out), []byte("9223372036854775807")) {
			t.Errorf("%s output lacks the BIGINT value:\n%s", f, out)
		}
	}
}
