package batch

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/flowdig/flowdig/internal/flowlog"
)

func parse(t testing.TB, p *flowlog.Parser, line string) *flowlog.Record {
	t.Helper()
	var r flowlog.Record
	if err := p.Parse([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func column(t *testing.T, rec arrow.RecordBatch, name string) arrow.Array {
	t.Helper()
	for i, f := range rec.Schema().Fields() {
		if f.Name == name {
			return rec.Column(i)
		}
	}
	t.Fatalf("no column %s in %s", name, rec.Schema())
	return nil
}

func TestBuilderColumnsAndNulls(t *testing.T) {
	f := flowlog.MustFormat(flowlog.DefaultFormat + " pkt-srcaddr brand-new-field")
	p := flowlog.NewParser(f)
	b := New(f, 20000, true) // fallback day 20000 = 2024-10-04
	lines := []string{
		"2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 50000 6 10 3000000000 1700000000 1700000060 ACCEPT OK 10.0.0.1 x",
		"2 123456789012 eni-1 - - - - - - - - - - NODATA - -",
		"2 123456789012 eni-2 2001:db8::1 2001:db8::2 0 0 58 1 64 1700086400 1700086460 REJECT OK - y",
	}
	for i, l := range lines {
		b.Add(parse(t, p, l), i+2)
	}
	if b.Len() != 3 {
		t.Fatalf("Len = %d", b.Len())
	}
	rec := b.Flush()
	defer rec.Release()
	if b.Len() != 0 || b.Flush() != nil {
		t.Fatal("builder not reset by Flush")
	}
	if rec.NumRows() != 3 {
		t.Fatalf("rows = %d", rec.NumRows())
	}
	// Only the format's fields plus the derived columns; in catalogue order.
	var names []string
	for _, fd := range rec.Schema().Fields() {
		names = append(names, fd.Name)
	}
	want := []string{"version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
		"packets", "bytes", "start", "end", "action", "log_status", "pkt_srcaddr", ColLine, ColDate, ColExtra}
	if len(names) != len(want) {
		t.Fatalf("columns %v", names)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("columns %v, want %v", names, want)
		}
	}
	bytes := column(t, rec, "bytes").(*array.Int64)
	if bytes.Value(0) != 3000000000 || !bytes.IsNull(1) || bytes.Value(2) != 64 || bytes.NullN() != 1 {
		t.Errorf("bytes = %v", bytes)
	}
	port := column(t, rec, "dstport").(*array.Int32)
	if port.Value(0) != 50000 || !port.IsNull(1) || port.Value(2) != 0 || port.IsNull(2) {
		t.Errorf("dstport = %v", port)
	}
	src := column(t, rec, "srcaddr").(*array.String)
	if src.Value(0) != "10.0.0.1" || !src.IsNull(1) || src.Value(2) != "2001:db8::1" {
		t.Errorf("srcaddr = %v", src)
	}
	status := column(t, rec, "log_status").(*array.String)
	if status.Value(1) != "NODATA" {
		t.Errorf("log_status = %v", status)
	}
	line := column(t, rec, ColLine).(*array.Int32)
	if line.Value(0) != 2 || line.Value(2) != 4 {
		t.Errorf("line_no = %v", line)
	}
	date := column(t, rec, ColDate).(*array.Date32)
	if date.Value(0) != arrow.Date32(1700000000/86400) || date.Value(1) != 20000 || date.Value(2) != arrow.Date32(1700086400/86400) {
		t.Errorf("date = %v", date)
	}
	extra := column(t, rec, ColExtra).(*array.Map)
	keys := extra.Keys().(*array.String)
	items := extra.Items().(*array.String)
	if keys.Len() != 3 || keys.Value(0) != "brand-new-field" || items.Value(0) != "x" || !items.IsNull(1) || items.Value(2) != "y" {
		t.Errorf("extra = %v", extra)
	}
}

func TestBuilderNoFallbackDate(t *testing.T) {
	f := flowlog.MustFormat("srcaddr dstaddr")
	b := New(f, 0, false)
	b.Add(parse(t, flowlog.NewParser(f), "10.0.0.1 10.0.0.2"), 1)
	rec := b.Flush()
	defer rec.Release()
	if d := column(t, rec, ColDate); !d.IsNull(0) {
		t.Errorf("date without start and without key date must be NULL")
	}
	for _, fd := range rec.Schema().Fields() {
		if fd.Name == ColExtra {
			t.Errorf("extra column without unknown fields")
		}
	}
}

func BenchmarkBuilderAdd(b *testing.B) {
	f := flowlog.MustFormat(flowlog.DefaultFormat)
	p := flowlog.NewParser(f)
	r := parse(b, p, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
	bl := New(f, 0, false)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		bl.Add(r, n)
		n++
		if n == 122_880 {
			bl.Flush().Release()
			n = 0
		}
	}
}
