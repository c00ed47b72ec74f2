package report

import "testing"

// TestTextMatchesDuckDBCast pins the text forms that are meant to be exactly
// DuckDB's own VARCHAR cast, so they can be pasted back into SQL.
func TestTextMatchesDuckDBCast(t *testing.T) {
	db := openDB(t)
	exprs := []string{
		"INTERVAL 1 DAY",
		"INTERVAL '1 year 2 months 3 days 04:05:06.5'",
		"INTERVAL '-13 months'",
		"INTERVAL '1 month -1 day'",
		"INTERVAL 36 HOURS",
		"INTERVAL '0 seconds'",
		"INTERVAL 1500 MILLISECONDS",
		"INTERVAL '-1 microsecond'",
		"INTERVAL '-2 years -3 days -04:00:00.25'",
		"INTERVAL 2 YEAR",
		"INTERVAL 1000000 HOURS",
		"1.5::DECIMAL(10,2)",
		"-0.05::DECIMAL(4,2)",
		"0::DECIMAL(5,3)",
		"-1::DECIMAL(3,1)",
		"123::DECIMAL(38,0)",
		"12345678901234567890123456789.123456789::DECIMAL(38,9)",
		"-99999999999999999999999999999999999.999::DECIMAL(38,3)",
		"DATE '2026-11-01'",
		"DATE '0001-01-01'",
		"TIME '10:11:12.5'",
		"TIME '00:00:00'",
		"TIME '23:59:59.999999'",
		"'8c3d4a2e-0b7b-4a51-9a51-7b1c5e1d2f30'::UUID",
		"'00000000-0000-0000-0000-000000000000'::UUID",
		"'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID",
		`'\xFF\x00a'::BLOB`,
		`'\x80\x5C\x27\x22~'::BLOB`,
		"'x'::BLOB",
		"127::TINYINT", "-1::HUGEINT", "255::UTINYINT", "18446744073709551615::UBIGINT",
		"170141183460469231731687303715884105727::HUGEINT",
		"'-170141183460469231731687303715884105728'::HUGEINT",
		"340282366920938463463374607431768211455::UHUGEINT",
		"123456789012345678901234567890123456789012345::BIGNUM",
		"1.5::DOUBLE", "0.1::FLOAT", "-2.75::DOUBLE",
		"'caf\u00e9'", "'a'::ENUM('a', 'b')", "'101'::BIT", "true", "false",
	}
	for _, e := range exprs {
		var v any
		var want string
		var typ string
		rows, err := db.Query("SELECT " + e + " AS v, (" + e + ")::VARCHAR AS s")
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		cts, _ := rows.ColumnTypes()
		typ = cts[0].DatabaseTypeName()
		rows.Next()
		if err := rows.Scan(&v, &want); err != nil {
			t.Errorf("%s: scan: %v", e, err)
		}
		rows.Close()
		if got := textOf(v, typ); got != want {
			t.Errorf("%s (%s, %T): text %q, DuckDB says %q", e, typ, v, got, want)
		}
	}
}
