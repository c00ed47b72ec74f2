package report

import (
	"io"
	"math/big"
	"testing"
	"time"
)

// benchRow looks like one aggregated flow-log result row.
func benchRow() ([]Column, []any) {
	cols := []Column{{"srcaddr", "VARCHAR"}, {"dstport", "INTEGER"}, {"bytes", "HUGEINT"},
		{"first_seen", "TIMESTAMP"}, {"action", "VARCHAR"}, {"ratio", "DOUBLE"}}
	vals := []any{"10.0.12.34", int32(443), new(big.Int).SetInt64(123456789012),
		time.Date(2026, 11, 1, 10, 0, 0, 123000000, time.UTC), "ACCEPT", 0.125}
	return cols, vals
}

func benchmarkFormat(b *testing.B, f Format) {
	cols, vals := benchRow()
	w, _ := NewWriter(io.Discard, f, Options{BufferRows: 100})
	if err := w.Begin(cols); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Row(vals); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkNDJSON(b *testing.B)   { benchmarkFormat(b, NDJSON) }
func BenchmarkCSV(b *testing.B)      { benchmarkFormat(b, CSV) }
func BenchmarkTable(b *testing.B)    { benchmarkFormat(b, Table) }
func BenchmarkMarkdown(b *testing.B) { benchmarkFormat(b, Markdown) }
