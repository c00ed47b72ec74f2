package report

import (
	"encoding/json"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

type rawUUID [16]byte

type port uint16

func (p port) String() string { return "port " + string(rune('0'+p%10)) }

// TestValuesWithoutDuckDB covers values the driver documents but that a
// query does not easily produce, and the fallbacks.
func TestValuesWithoutDuckDB(t *testing.T) {
	u := duckdb.UUID{0x8c, 0x3d, 0x4a, 0x2e, 0x0b, 0x7b, 0x4a, 0x51, 0x9a, 0x51, 0x7b, 0x1c, 0x5e, 0x1d, 0x2f, 0x30}
	const us = "8c3d4a2e-0b7b-4a51-9a51-7b1c5e1d2f30"
	plus2 := time.FixedZone("", 2*3600)
	for _, tc := range []struct {
		name string
		v    any
		typ  string
		json string
		text string
	}{
		{"go map sorted", duckdb.Map{"b": int32(1), "a": int32(2)}, "MAP(VARCHAR, INTEGER)", `{"a":2,"b":1}`, `{"a":2,"b":1}`},
		{"map int keys", duckdb.Map{int64(10): "x", int64(9): nil}, "", `{"10":"x","9":null}`, `{"10":"x","9":null}`},
		{"uuid", u, "", `"` + us + `"`, us},
		{"uuid ptr", &u, "", `"` + us + `"`, us},
		{"nil uuid ptr", (*duckdb.UUID)(nil), "", "null", "NULL"},
		{"array uuid", [16]byte(u), "", `"` + us + `"`, us},
		{"named array uuid", rawUUID(u), "", `"` + us + `"`, us},
		{"blob in uuid column", u[:], "UUID", `"` + us + `"`, us},
		{"uint64 max", uint64(math.MaxUint64), "", "18446744073709551615", "18446744073709551615"},
		{"int64 min", int64(math.MinInt64), "", "-9223372036854775808", "-9223372036854775808"},
		{"big negative", new(big.Int).Lsh(big.NewInt(-1), 127), "", "-170141183460469231731687303715884105728", "-170141183460469231731687303715884105728"},
		{"nil big", (*big.Int)(nil), "", "null", "NULL"},
		{"nil decimal", duckdb.Decimal{Scale: 2}, "", "null", "NULL"},
		{"decimal small", duckdb.Decimal{Width: 4, Scale: 3, Value: big.NewInt(-5)}, "", "-0.005", "-0.005"},
		{"+inf", math.Inf(1), "", "null", "Infinity"},
		{"-inf float32", float32(math.Inf(-1)), "", "null", "-Infinity"},
		{"huge float", 1e21, "", "1e+21", "1e+21"},
		{"tiny float", 1e-7, "", "1e-7", "1e-7"},
		{"float32 exact", float32(0.1), "", "0.1", "0.1"},
		{"offset time", time.Date(2026, 11, 1, 10, 0, 0, 5000, plus2), "TIMESTAMPTZ", `"2026-11-01T10:00:00.000005+02:00"`, "2026-11-01T10:00:00.000005+02:00"},
		{"timetz", time.Date(1, 1, 1, 10, 11, 12, 0, plus2), "TIMETZ", `"10:11:12+02:00"`, "10:11:12+02:00"},
		{"date not midnight", time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC), "DATE", `"2026-11-01T01:00:00Z"`, "2026-11-01T01:00:00Z"},
		{"midnight untyped", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "", `"2026-11-01T00:00:00Z"`, "2026-11-01T00:00:00Z"},
		{"union", duckdb.Union{Tag: "d", Value: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, `UNION("n" INTEGER, "d" DATE)`, `"2026-11-01"`, "2026-11-01"},
		{"struct order from type", map[string]any{"z": 1, "a": 2, "extra": 3}, `STRUCT("z" INTEGER, "a" INTEGER)`, `{"z":1,"a":2,"extra":3}`, `{"z":1,"a":2,"extra":3}`},
		{"struct no type", map[string]any{"z": 1, "a": 2}, "", `{"a":2,"z":1}`, `{"a":2,"z":1}`},
		{"nested dates", []any{map[string]any{"d": time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}, `STRUCT("d" DATE)[]`, `[{"d":"2026-01-02"}]`, `[{"d":"2026-01-02"}]`},
		{"string escapes", "q\"\\\x01<&>\u2028", "", `"q\"\\\u0001<&>\u2028"`, "q\"\\\x01<&>\u2028"},
		{"invalid utf8 string", "a\xffb", "", `"a\ufffdb"`, "a\xffb"},
		{"raw json", json.RawMessage(`{ "x" : [1, 2] }`), "", `{"x":[1,2]}`, `{ "x" : [1, 2] }`},
		{"stringer", port(3), "", `"port 3"`, "port 3"},
		{"named int", time.Month(3), "", `"March"`, "March"},
		{"int slice", []int32{1, 2}, "", `[1,2]`, "[1 2]"},
		{"nil slice", []int32(nil), "", "null", "NULL"},
		{"interval", duckdb.Interval{Months: 14, Days: -1, Micros: 1}, "", `"1 year 2 months -1 day 00:00:00.000001"`, "1 year 2 months -1 day 00:00:00.000001"},
	} {
		if got := string(appendJSON(nil, tc.v, parseType(tc.typ))); got != tc.json {
			t.Errorf("%s: json %s, want %s", tc.name, got, tc.json)
		}
		if !json.Valid([]byte(tc.json)) {
			t.Errorf("%s: expected JSON %s is not valid JSON", tc.name, tc.json)
		}
		if got := textOf(tc.v, tc.typ); got != tc.text {
			t.Errorf("%s: text %q, want %q", tc.name, got, tc.text)
		}
	}
}

func TestOrderedMapKeepsOrder(t *testing.T) {
	var m duckdb.OrderedMap
	m.Set("z", 1)
	m.Set("a", []any{1.5, nil})
	if got := string(appendJSON(nil, m, parseType("MAP(VARCHAR, DOUBLE[])"))); got != `{"z":1,"a":[1.5,null]}` {
		t.Errorf("ordered map = %s", got)
	}
	if got := string(appendJSON(nil, &m, nil)); got != `{"z":1,"a":[1.5,null]}` {
		t.Errorf("*ordered map = %s", got)
	}
}
