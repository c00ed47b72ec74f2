package trino

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated block of trino.sql")

// specifier is one MySQL-style conversion of Trino's date_format and
// date_parse: what Trino documents, the DuckDB strftime and strptime text it
// becomes, and what Trino prints for the three reference timestamps of
// TestDateFormatSpecifiers.
type specifier struct {
	spec    byte
	meaning string
	// format is the strftime text, parse the strptime text. Both empty means
	// Trino rejects the specifier with "%<c> not supported in date format
	// string", and so do the macros.
	format, parse string
	want          [3]string
}

// referenceTimestamps are the inputs whose Trino output specifier.want holds:
// a Monday evening with microseconds, a Wednesday morning with single-digit
// fields, and a New Year's midnight that falls in ISO week 53 of 2020.
func referenceTimestamps() [3]string {
	return [3]string{
		"TIMESTAMP '2019-08-26 19:47:55.123456'",
		"TIMESTAMP '2021-02-03 04:05:06.007'",
		"TIMESTAMP '2021-01-01 00:00:00'",
	}
}

// specifiers follows the table of Trino's DateTimeFunctions.createDateTimeFormatter
// (the MySQL date functions page of the Trino docs).
func specifiers() []specifier {
	return []specifier{
		{'a', "abbreviated weekday name", "%a", "%a", [3]string{"Mon", "Wed", "Fri"}},
		{'b', "abbreviated month name", "%b", "%b", [3]string{"Aug", "Feb", "Jan"}},
		{'c', "month, 1..12", "%-m", "%-m", [3]string{"8", "2", "1"}},
		{'D', "day of month with English suffix", "", "", [3]string{}},
		{'d', "day of month, 01..31", "%d", "%d", [3]string{"26", "03", "01"}},
		{'e', "day of month, 1..31", "%-d", "%-d", [3]string{"26", "3", "1"}},
		// Trino truncates to milliseconds and prints six digits.
		{'f', "fraction of second", "%g000", "%f", [3]string{"123000", "007000", "000000"}},
		{'H', "hour, 00..23", "%H", "%H", [3]string{"19", "04", "00"}},
		{'h', "hour, 01..12", "%I", "%I", [3]string{"07", "04", "12"}},
		{'I', "hour, 01..12", "%I", "%I", [3]string{"07", "04", "12"}},
		{'i', "minutes, 00..59", "%M", "%M", [3]string{"47", "05", "00"}},
		{'j', "day of year, 001..366", "%j", "%j", [3]string{"238", "034", "001"}},
		{'k', "hour, 0..23", "%-H", "%-H", [3]string{"19", "4", "0"}},
		{'l', "hour, 1..12", "%-I", "%-I", [3]string{"7", "4", "12"}},
		{'M', "month name", "%B", "%B", [3]string{"August", "February", "January"}},
		{'m', "month, 01..12", "%m", "%m", [3]string{"08", "02", "01"}},
		{'p', "AM or PM", "%p", "%p", [3]string{"PM", "AM", "AM"}},
		{'r', "time, 12-hour, hh:mm:ss AM", "%I:%M:%S %p", "%I:%M:%S %p", [3]string{"07:47:55 PM", "04:05:06 AM", "12:00:00 AM"}},
		{'S', "seconds, 00..59", "%S", "%S", [3]string{"55", "06", "00"}},
		{'s', "seconds, 00..59", "%S", "%S", [3]string{"55", "06", "00"}},
		{'T', "time, 24-hour, hh:mm:ss", "%H:%M:%S", "%H:%M:%S", [3]string{"19:47:55", "04:05:06", "00:00:00"}},
		{'U', "week, Sunday first, 00..53", "", "", [3]string{}},
		{'u', "week, Monday first, 00..53", "", "", [3]string{}},
		{'V', "week, Sunday first, 01..53, with %X", "", "", [3]string{}},
		{'v', "ISO week, 01..53, with %x", "%V", "%V", [3]string{"35", "05", "53"}},
		{'W', "weekday name", "%A", "%A", [3]string{"Monday", "Wednesday", "Friday"}},
		// Trino rejects %w. Kept with its MySQL meaning, a harmless superset.
		{'w', "day of week, 0 = Sunday", "%w", "%w", [3]string{"1", "3", "5"}},
		{'X', "year of %V week, four digits", "", "", [3]string{}},
		{'x', "ISO week-year, four digits", "%G", "%G", [3]string{"2019", "2021", "2020"}},
		{'Y', "year, four digits", "%Y", "%Y", [3]string{"2019", "2021", "2021"}},
		{'y', "year, two digits", "%y", "%y", [3]string{"19", "21", "21"}},
		{'%', "a literal %", "%%", "%%", [3]string{"%", "%", "%"}},
	}
}

const (
	generatedBegin = "-- BEGIN GENERATED from specifiers_test.go. Refresh: go test ./internal/trino -run TestGeneratedMacros -update\n"
	generatedEnd   = "-- END GENERATED\n"
)

// generatedMacros renders the two translation macros from specifiers().
func generatedMacros() string {
	var b strings.Builder
	writeTranslation(&b, "trino_strftime_pattern", func(s specifier) string { return s.format })
	b.WriteString("\n")
	writeTranslation(&b, "trino_strptime_pattern", func(s specifier) string { return s.parse })
	return b.String()
}

func writeTranslation(b *strings.Builder, name string, pick func(specifier) string) {
	fmt.Fprintf(b, "CREATE OR REPLACE MACRO %s(fmt) AS array_to_string(list_transform(\n", name)
	b.WriteString("    trino_format_tokens(fmt),\n")
	b.WriteString("    lambda tok: CASE tok\n")
	for _, s := range specifiers() {
		token := sqlString("%" + string(s.spec))
		if text := pick(s); text != "" {
			fmt.Fprintf(b, "        WHEN %s THEN %s -- %s\n", token, sqlString(text), s.meaning)
			continue
		}
		msg := sqlString(fmt.Sprintf("%%%c not supported in date format string", s.spec))
		fmt.Fprintf(b, "        WHEN %s THEN trino_format_error(%s) -- %s\n", token, msg, s.meaning)
	}
	b.WriteString("        ELSE trino_format_literal(tok)\n")
	b.WriteString("    END), '');\n")
}

func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func TestGeneratedMacros(t *testing.T) {
	const path = "trino.sql"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	begin := strings.Index(text, generatedBegin)
	end := strings.Index(text, generatedEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s: generated block markers missing or out of order", path)
	}
	begin += len(generatedBegin)
	got, want := text[begin:end], generatedMacros()
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("%s: generated block is stale, run: go test ./internal/trino -run TestGeneratedMacros -update", path)
	}
	if err := os.WriteFile(path, []byte(text[:begin]+want+text[end:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSpecifiersAreUnique(t *testing.T) {
	seen := map[byte]bool{}
	for _, s := range specifiers() {
		if seen[s.spec] {
			t.Errorf("%%%c listed twice", s.spec)
		}
		seen[s.spec] = true
		if (s.format == "") != (s.parse == "") {
			t.Errorf("%%%c: format and parse must be both set or both empty", s.spec)
		}
	}
}
