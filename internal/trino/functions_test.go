package trino

import (
	"strings"
	"testing"
)

const (
	tsType   = "TIMESTAMP"
	tstzType = "TIMESTAMP WITH TIME ZONE"
)

func TestUnixTime(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "from_unixtime(1566848875)", want: "2019-08-26 19:47:55+00", wantType: tstzType},
		// The playbook's DDL declares starttime int: x * 1000 must not overflow.
		{expr: "from_unixtime(CAST(1566848875 AS INTEGER))", want: "2019-08-26 19:47:55+00", wantType: tstzType},
		{expr: "from_unixtime(CAST(1566848875.5 AS DOUBLE))", want: "2019-08-26 19:47:55.5+00", wantType: tstzType},
		// Trino keeps milliseconds, rounded.
		{expr: "from_unixtime(1566848875.1236)", want: "2019-08-26 19:47:55.124+00", wantType: tstzType},
		{expr: "from_unixtime(0)", want: "1970-01-01 00:00:00+00"},
		{expr: "from_unixtime(-1.5)", want: "1969-12-31 23:59:58.5+00"},
		{expr: "from_unixtime(NULL)", want: "NULL"},
		{expr: "CAST(from_unixtime(1566848875) AS TIMESTAMP)", want: "2019-08-26 19:47:55", wantType: tsType},
		{expr: "to_unixtime(from_unixtime(1566848875))", want: "1566848875.0", wantType: "DOUBLE"},
		{expr: "to_unixtime(TIMESTAMP '2019-08-26 19:47:55.5')", want: "1566848875.5", wantType: "DOUBLE"},
		{expr: "to_unixtime(TIMESTAMPTZ '2019-08-26 21:47:55+02')", want: "1566848875.0", wantType: "DOUBLE"},
	})
}

func TestISO8601(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "to_iso8601(from_unixtime(1566848875))", want: "2019-08-26T19:47:55.000Z", wantType: "VARCHAR"},
		{expr: "to_iso8601(from_unixtime(1566848875.25))", want: "2019-08-26T19:47:55.250Z"},
		// Always printed in UTC with Z, whatever offset the input had.
		{expr: "to_iso8601(TIMESTAMPTZ '2019-08-26 21:47:55+02')", want: "2019-08-26T19:47:55.000Z"},
		{expr: "to_iso8601(TIMESTAMP '2019-08-26 19:47:55.123456')", want: "2019-08-26T19:47:55.123"},
		{expr: "to_iso8601(DATE '2019-08-26')", want: "2019-08-26"},
		{expr: "to_iso8601(CAST(NULL AS TIMESTAMPTZ))", want: "NULL"},
		{expr: "from_iso8601_timestamp('2019-08-26T19:47:55Z')", want: "2019-08-26 19:47:55+00", wantType: tstzType},
		{expr: "from_iso8601_timestamp('2019-08-26T21:47:55.123456+02:00')", want: "2019-08-26 19:47:55.123+00"},
		{expr: "from_iso8601_timestamp('2019-08-26T21:47:55+0200')", want: "2019-08-26 19:47:55+00"},
		// No offset: the session zone, UTC, as in Trino.
		{expr: "from_iso8601_timestamp('2019-08-26T19:47:55')", want: "2019-08-26 19:47:55+00"},
		{expr: "from_iso8601_timestamp('2019-08-26')", want: "2019-08-26 00:00:00+00"},
		{expr: "from_iso8601_timestamp('not a time')", wantErr: "Conversion Error"},
		{expr: "from_iso8601_date('2019-08-26')", want: "2019-08-26", wantType: "DATE"},
		{expr: "to_iso8601(from_iso8601_timestamp('2019-08-26T19:47:55.5Z'))", want: "2019-08-26T19:47:55.500Z"},
	})
}

func TestDateDiff(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		// The directional view of the playbook.
		{expr: "date_diff('second', from_unixtime(1566848875), from_unixtime(1566848935))", want: "60", wantType: "BIGINT"},
		{expr: "date_diff('second', from_unixtime(1566848935), from_unixtime(1566848875))", want: "-60"},
		// Whole units elapsed (Trino), not boundaries crossed (DuckDB's own
		// date_diff would say 1 for both).
		{expr: "date_diff('second', TIMESTAMP '2020-01-01 00:00:00.9', TIMESTAMP '2020-01-01 00:00:01.1')", want: "0"},
		{expr: "date_diff('day', TIMESTAMP '2020-01-01 23:00', TIMESTAMP '2020-01-02 01:00')", want: "0"},
		{expr: "date_diff('day', TIMESTAMP '2020-01-02 01:00', TIMESTAMP '2020-01-01 23:00')", want: "0"},
		{expr: "date_diff('hour', TIMESTAMPTZ '2020-01-01 00:00:00+00', TIMESTAMPTZ '2020-01-01 05:59:00+00')", want: "5"},
		{expr: "date_diff('DAY', DATE '2020-01-01', DATE '2020-03-01')", want: "60"},
		{expr: "date_diff('week', DATE '2020-01-01', DATE '2020-01-20')", want: "2"},
		{expr: "date_diff('month', DATE '2020-01-31', DATE '2020-02-29')", want: "1"},
		{expr: "date_diff('month', TIMESTAMP '2020-01-31 10:00', TIMESTAMP '2020-02-29 09:00')", want: "0"},
		{expr: "date_diff('quarter', DATE '2020-01-01', DATE '2020-07-20')", want: "2"},
		{expr: "date_diff('year', DATE '2020-01-01', DATE '2021-07-20')", want: "1"},
		{expr: "date_diff('millisecond', TIMESTAMP '2020-01-01', TIMESTAMP '2020-01-01 00:00:01.5')", want: "1500"},
		// DuckDB's boundary-counting function stays available as datediff.
		{expr: "datediff('day', TIMESTAMP '2020-01-01 23:00', TIMESTAMP '2020-01-02 01:00')", want: "1"},
	})
}

func TestDateAdd(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "date_add('day', 3, TIMESTAMP '2019-08-26 19:47:55')", want: "2019-08-29 19:47:55", wantType: tsType},
		{expr: "date_add('day', -7, from_unixtime(1566848875))", want: "2019-08-19 19:47:55+00", wantType: tstzType},
		{expr: "date_add('hour', 5, from_unixtime(1566848875))", want: "2019-08-27 00:47:55+00"},
		{expr: "date_add('millisecond', 250, TIMESTAMP '2019-08-26 19:47:55')", want: "2019-08-26 19:47:55.25"},
		{expr: "date_add('SECOND', 65, TIMESTAMP '2019-08-26 19:47:55')", want: "2019-08-26 19:49:00"},
		{expr: "date_add('minute', 13, TIMESTAMP '2019-08-26 19:47:55')", want: "2019-08-26 20:00:55"},
		{expr: "date_add('week', 2, TIMESTAMP '2019-08-26 19:47:55')", want: "2019-09-09 19:47:55"},
		// Month arithmetic clamps to the end of the month, as Joda does.
		{expr: "date_add('month', 1, TIMESTAMP '2020-01-31 10:00:00')", want: "2020-02-29 10:00:00"},
		{expr: "date_add('quarter', 1, TIMESTAMP '2020-01-31 10:00:00')", want: "2020-04-30 10:00:00"},
		{expr: "date_add('year', 1, TIMESTAMP '2020-02-29 10:00:00')", want: "2021-02-28 10:00:00"},
		// A date comes back as a timestamp at midnight (Trino: a date),
		// which still compares equal to the date.
		{expr: "date_add('day', 1, DATE '2020-02-28')", want: "2020-02-29 00:00:00", wantType: tsType},
		{expr: "date_add('month', 1, DATE '2020-01-31') = DATE '2020-02-29'", want: "true"},
		{expr: "date_add('fortnight', 1, TIMESTAMP '2020-01-31')", wantErr: "is not a valid Timestamp field"},
		{expr: "date_add(NULL, 1, TIMESTAMP '2020-01-31')", want: "NULL"},
		// DuckDB's own two-argument form still works.
		{expr: "date_add(DATE '2020-01-01', INTERVAL 1 DAY)", want: "2020-01-02 00:00:00", wantType: tsType},
	})
}

func TestDateParts(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		// 2020-05-03 is a Sunday, 2020-05-04 a Monday.
		{expr: "day_of_week(DATE '2020-05-03')", want: "7", wantType: "BIGINT"},
		{expr: "day_of_week(DATE '2020-05-04')", want: "1"},
		{expr: "dow(TIMESTAMP '2020-05-09 23:59:59')", want: "6"},
		{expr: "day_of_week(from_unixtime(1566848875))", want: "1"},
		{expr: "day_of_year(DATE '2020-12-31')", want: "366", wantType: "BIGINT"},
		{expr: "doy(from_unixtime(1566848875))", want: "238"},
		{expr: "day_of_month(DATE '2020-05-04')", want: "4"},
		{expr: "week_of_year(DATE '2021-01-01')", want: "53"},
		{expr: "year_of_week(DATE '2021-01-01')", want: "2020"},
		{expr: "yow(DATE '2021-01-04')", want: "2021"},
	})
}

func TestCollectionsAndStrings(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "cardinality([1, 2, 3])", want: "3", wantType: "BIGINT"},
		{expr: "cardinality(['10.0.0.1', NULL])", want: "2"},
		{expr: "cardinality(CAST([] AS VARCHAR[]))", want: "0"},
		{expr: "cardinality([[1, 2], [3]])", want: "2"},
		{expr: "cardinality(MAP {'a': 1, 'b': 2})", want: "2", wantType: "BIGINT"},
		{expr: "cardinality(MAP {443: [1], 80: NULL})", want: "2"},
		{expr: "cardinality(CAST(NULL AS INTEGER[]))", want: "NULL"},
		{expr: "regexp_like('10.117.1.22', '^10\\.117\\.')", want: "true", wantType: "BOOLEAN"},
		{expr: "regexp_like('10.117.1.22', '1\\.2')", want: "true"}, // partial match
		{expr: "regexp_like('10.117.1.22', '^117')", want: "false"},
		{expr: "regexp_like(NULL, 'x')", want: "NULL"},
		{expr: "split_part('10.117.1.22', '.', 1)", want: "10", wantType: "VARCHAR"},
		{expr: "split_part('10.117.1.22', '.', 4)", want: "22"},
		{expr: "split_part('10.117.1.22', '.', 5)", want: "NULL"},
		{expr: "split_part('a..b', '.', 2)", want: ""},
		{expr: "split_part('a.b.', '.', 3)", want: ""},
		{expr: "split_part('', '.', 1)", want: ""},
		{expr: "split_part('a::b::c', '::', 2)", want: "b"},
		{expr: "split_part('abc', '', 2)", want: "b"},
		{expr: "split_part('abc', '', 4)", want: "NULL"},
		{expr: "split_part(NULL, '.', 1)", want: "NULL"},
		{expr: "split_part('a.b', '.', 0)", wantErr: "Index must be greater than zero"},
		{expr: "split_part('a.b', '.', -1)", wantErr: "Index must be greater than zero"},
	})
}

func TestApproxDistinct(t *testing.T) {
	conn := openConn(t)
	var one, two, grouped int64
	err := conn.QueryRowContext(t.Context(), `
		SELECT approx_distinct(x % 1000), approx_distinct(CAST(x % 37 AS VARCHAR), 0.01)
		FROM range(100000) t(x)`).Scan(&one, &two)
	if err != nil {
		t.Fatal(err)
	}
	if one != 1000 || two != 37 {
		t.Errorf("approx_distinct = %d, %d; want 1000, 37", one, two)
	}
	err = conn.QueryRowContext(t.Context(), `
		SELECT max(n) FROM (
			SELECT approx_distinct(x) AS n FROM range(100) t(x) GROUP BY x % 4)`).Scan(&grouped)
	if err != nil || grouped != 25 {
		t.Errorf("grouped approx_distinct = %d, %v; want 25", grouped, err)
	}
}

// TestNative pins the Trino functions DuckDB already provides, listed as
// native in trino.sql, so that a DuckDB upgrade that changes them shows up.
func TestNative(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "DATE('2020-05-04')", want: "2020-05-04", wantType: "DATE"},
		{expr: "date(from_unixtime(1566863275))", want: "2019-08-26", wantType: "DATE"},
		{expr: "date(TIMESTAMP '2019-08-26 23:59:59')", want: "2019-08-26"},
		{expr: "current_date - interval '7' day = CAST(current_date AS TIMESTAMP) - INTERVAL 7 DAY", want: "true"},
		{expr: "DATE '2020-05-04' > DATE '2020-05-11' - interval '7' day", want: "false"},
		{expr: "DATE '2020-05-05' > DATE '2020-05-11' - interval '7' day", want: "true"},
		{expr: "CAST(443 AS VARCHAR)", want: "443", wantType: "VARCHAR"},
		{expr: "'10.0.0.1' || ':' || CAST(CAST(443 AS INTEGER) AS VARCHAR)", want: "10.0.0.1:443"},
		{expr: "CAST(from_unixtime(1566848875) AS TIMESTAMP)", want: "2019-08-26 19:47:55"},
		{expr: "year(from_unixtime(1566848875))", want: "2019", wantType: "BIGINT"},
		{expr: "month(from_unixtime(1566848875))", want: "8"},
		{expr: "day(from_unixtime(1566848875))", want: "26"},
		{expr: "hour(from_unixtime(1566848875))", want: "19"},
		{expr: "minute(from_unixtime(1566848875))", want: "47"},
		{expr: "second(from_unixtime(1566848875))", want: "55"},
		{expr: "quarter(from_unixtime(1566848875))", want: "3"},
		{expr: "week(from_unixtime(1566848875))", want: "35"},
		{expr: "date_trunc('hour', from_unixtime(1566848875))", want: "2019-08-26 19:00:00+00", wantType: tstzType},
		{expr: "date_trunc('day', TIMESTAMP '2019-08-26 19:47:55')", want: "2019-08-26 00:00:00", wantType: tsType},
		{expr: "regexp_extract('eni-0a1b2c', 'eni-([0-9a-f]+)', 1)", want: "0a1b2c"},
		{expr: "strpos('10.117.1.22', '117')", want: "4"},
	})
}

// TestKnownDifferences pins the differences trino.sql documents as
// irreducible, so the comment stays true.
func TestKnownDifferences(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "SUM(CAST(7 AS BIGINT)) / count(*)", want: "7", wantType: "HUGEINT"},
		{expr: "CAST(7 AS BIGINT) / 2", want: "3", wantType: "BIGINT"},
		{expr: "CAST(-7 AS BIGINT) / 2", want: "-3"}, // truncation toward zero, as in Trino
		{expr: "CAST(7 AS BIGINT) / 0", want: "NULL"},
		{expr: "typeof(current_date - interval '7' day)", want: "TIMESTAMP"},
		{expr: "CAST(TIMESTAMP '2019-08-26 19:47:55' AS VARCHAR)", want: "2019-08-26 19:47:55"},
		{expr: "CAST(from_unixtime(1566848875) AS VARCHAR)", want: "2019-08-26 19:47:55+00"},
		{expr: "millisecond(TIMESTAMP '2020-01-01 00:00:55.123')", want: "55123"},
		{expr: "date_trunc('day', DATE '2020-01-01')", want: "2020-01-01 00:00:00", wantType: tsType},
		{expr: "from_unixtime(1566848875, 'UTC')", wantErr: "does not support the supplied arguments"},
		{expr: "date_format(TIMESTAMP '2019-08-26 19:47:55', '%w')", want: "1"},
		{expr: "date_format(TIMESTAMP '2019-08-26 19:47:55', '')", wantErr: "Empty format string"},
		{expr: "date_format(TIMESTAMP '2019-08-26 19:47:55', '%D')", wantErr: "Could not convert string '%D not supported in date format string'"},
		{expr: "date_add('day', 1, DATE '2020-02-28')", want: "2020-02-29 00:00:00", wantType: tsType},
		{expr: "date_add('hour', 1, DATE '2020-01-31')", want: "2020-01-31 01:00:00"},
		{expr: "date_parse('19:47:55.1234567', '%T.%f')", wantErr: "Could not parse"},
		{expr: "from_iso8601_timestamp('2019-08-26T19')", wantErr: "Conversion Error"},
		{expr: "regexp_like('aa', '(a)\\1')", wantErr: "invalid escape sequence"},
	})

	// strftime and strptime, under date_format and date_parse, need a
	// constant format.
	conn := openConn(t)
	for query, want := range map[string]string{
		"SELECT date_format(TIMESTAMP '2019-08-26', f) FROM (SELECT '%Y' AS f)": "strftime format must be a constant",
		"SELECT date_parse('2019', f) FROM (SELECT '%Y' AS f)":                  "strptime format must be a constant",
	} {
		var v any
		err := conn.QueryRowContext(t.Context(), query).Scan(&v)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, %v; want an error containing %q", query, v, err, want)
		}
	}
}
