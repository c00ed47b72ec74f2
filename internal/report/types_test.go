package report

import (
	"fmt"
	"strings"
	"testing"
)

func describe(t *sqlType) string {
	if t == nil {
		return "?"
	}
	var b strings.Builder
	b.WriteString(t.base)
	if t.key != nil || t.elem != nil {
		fmt.Fprintf(&b, "<%s,%s>", describe(t.key), describe(t.elem))
	}
	if len(t.fields) > 0 {
		b.WriteString("{")
		for i, f := range t.fields {
			if i > 0 {
				b.WriteString(";")
			}
			fmt.Fprintf(&b, "%s:%s", f.name, describe(f.typ))
		}
		b.WriteString("}")
	}
	return b.String()
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "?",
		"BIGINT":                        "BIGINT",
		"decimal(10,2)":                 "DECIMAL",
		"INTEGER[]":                     "LIST<?,INTEGER>",
		"VARCHAR[3][]":                  "LIST<?,LIST<?,VARCHAR>>",
		"MAP(VARCHAR, INTEGER)":         "MAP<VARCHAR,INTEGER>",
		"MAP(VARCHAR, DECIMAL(10,2)[])": "MAP<VARCHAR,LIST<?,DECIMAL>>",
		`STRUCT("s" INTEGER)`:           "STRUCT{s:INTEGER}",
		`STRUCT("a, ""b""" DATE[], c MAP(INTEGER, STRUCT("x" UUID)))`: `STRUCT{a, "b":LIST<?,DATE>;c:MAP<INTEGER,STRUCT{x:UUID}>}`,
		`UNION("num" INTEGER, "str" VARCHAR)`:                         "UNION{num:INTEGER;str:VARCHAR}",
		"ENUM('a', 'b,c')":                                            "ENUM",
		"TIMESTAMP WITH TIME ZONE":                                    "TIMESTAMP WITH TIME ZONE",
	} {
		if got := describe(parseType(in)); got != want {
			t.Errorf("parseType(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestParseTypeFromDuckDB checks the parser against the names DuckDB
// actually reports.
func TestParseTypeFromDuckDB(t *testing.T) {
	rows, err := openDB(t).Query(`SELECT {'x y': [DATE '2026-01-01'], 'q"': MAP {1: 'a'}} AS v`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	got := describe(parseType(cts[0].DatabaseTypeName()))
	if want := `STRUCT{x y:LIST<?,DATE>;q":MAP<INTEGER,VARCHAR>}`; got != want {
		t.Errorf("parseType(%s) = %s, want %s", cts[0].DatabaseTypeName(), got, want)
	}
}

func FuzzParseType(f *testing.F) {
	for _, s := range []string{"INTEGER[]", `STRUCT("a" MAP(VARCHAR, INTEGER[]))`, "DECIMAL(38,9)", `UNION("x"" y" DATE)`, "[]", "(", `STRUCT("`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ := parseType(s) // must not panic
		_ = typ.numeric()
		_ = appendJSON(nil, []any{map[string]any{"a": 1}}, typ)
	})
}
