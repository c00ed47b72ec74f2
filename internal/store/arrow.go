package store

import (
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/timewindow"
)

// int32Array wraps vals (no nulls) as an Arrow array without copying.
func int32Array(vals []int32) arrow.Array {
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), len(vals)*4)
	data := array.NewData(arrow.PrimitiveTypes.Int32, len(vals), []*memory.Buffer{nil, memory.NewBufferBytes(raw)}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

type quarantined struct {
	source int32
	row    QuarantineRow
}

// quarantineBatch builds the Arrow batch for the quarantine table.
func quarantineBatch(rows []quarantined) arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "source_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "line_no", Type: arrow.PrimitiveTypes.Int64},
		{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "reason", Type: arrow.BinaryTypes.String},
		{Name: "text", Type: arrow.BinaryTypes.String},
		{Name: "raw", Type: arrow.BinaryTypes.Binary},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, q := range rows {
		b.Field(0).(*array.Int32Builder).Append(q.source)
		b.Field(1).(*array.Int64Builder).Append(q.row.Line)
		if q.row.Field == "" {
			b.Field(2).(*array.StringBuilder).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(q.row.Field)
		}
		b.Field(3).(*array.StringBuilder).Append(q.row.Reason)
		b.Field(4).(*array.StringBuilder).Append(EscapeText(q.row.Raw))
		b.Field(5).(*array.BinaryBuilder).Append(q.row.Raw)
	}
	return b.NewRecordBatch()
}

// EscapeText renders bytes as text: valid UTF-8 unchanged, each invalid byte as \xNN, so a
// quarantined line stays readable while the raw column keeps it exactly.
func EscapeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			out = append(out, `\x`...)
			if b[0] < 0x10 {
				out = append(out, '0')
			}
			out = strconv.AppendUint(out, uint64(b[0]), 16)
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return string(out)
}

// ledgerBatch builds the Arrow batch for the sources table. Loading the ledger in one statement
// matters: a prepared INSERT per object costs about a millisecond each.
func ledgerBatch(rows []ledgerRow, runID int, version string, now time.Time) arrow.RecordBatch {
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	str, i32, i64 := arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64
	fields := []arrow.Field{
		{Name: "source_id", Type: i32}, {Name: "uri", Type: str}, {Name: "size", Type: i64},
		{Name: "mtime", Type: ts, Nullable: true}, {Name: "sha256", Type: str}, {Name: "format", Type: str},
		{Name: "header", Type: str, Nullable: true}, {Name: "header_origin", Type: str, Nullable: true},
		{Name: "layout", Type: str}, {Name: "part_id", Type: i32, Nullable: true},
		{Name: "log_account_id", Type: str, Nullable: true}, {Name: "log_region", Type: str, Nullable: true},
		{Name: "flow_log_id", Type: str, Nullable: true}, {Name: "key_date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "key_hour", Type: i32, Nullable: true}, {Name: "file_time", Type: ts, Nullable: true},
		{Name: "data_lines", Type: i64}, {Name: "records", Type: i64}, {Name: "quarantined", Type: i64},
		{Name: "blank_lines", Type: i64}, {Name: "min_start", Type: i64, Nullable: true}, {Name: "max_start", Type: i64, Nullable: true},
		{Name: "status", Type: str}, {Name: "damage", Type: str, Nullable: true}, {Name: "duplicate_of", Type: i32, Nullable: true},
		{Name: "run_id", Type: i32}, {Name: "ingested_at", Type: ts}, {Name: "flowdig_version", Type: str},
		{Name: "bucket", Type: str, Nullable: true}, {Name: "key", Type: str, Nullable: true},
		{Name: "etag", Type: str, Nullable: true}, {Name: "version_id", Type: str, Nullable: true},
		{Name: "window_from", Type: i64, Nullable: true}, {Name: "window_to", Type: i64, Nullable: true},
		{Name: "outside_window", Type: i64}, {Name: "stored_before", Type: i64},
		{Name: "extends_source", Type: i32, Nullable: true},
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	col := 0
	next := func() array.Builder { c := b.Field(col); col++; return c }
	str32 := func(v int32, ok bool) {
		c := next().(*array.Int32Builder)
		if ok {
			c.Append(v)
		} else {
			c.AppendNull()
		}
	}
	text := func(v string, nullable bool) {
		c := next().(*array.StringBuilder)
		if v == "" && nullable {
			c.AppendNull()
		} else {
			c.Append(v)
		}
	}
	stamp := func(t time.Time) {
		c := next().(*array.TimestampBuilder)
		if t.IsZero() {
			c.AppendNull()
		} else {
			c.Append(arrow.Timestamp(t.UnixMicro()))
		}
	}
	int64s := func(v int64, ok bool) {
		c := next().(*array.Int64Builder)
		if ok {
			c.Append(v)
		} else {
			c.AppendNull()
		}
	}
	for _, r := range rows {
		col = 0
		s := &r.src
		str32(int32(r.id), true)
		text(s.URI, false)
		int64s(s.Size, true)
		stamp(s.MTime)
		text(s.SHA256, false)
		text(s.Format, false)
		text(s.Header, true)
		text(s.HeaderOrigin, true)
		text(s.Layout, false)
		str32(int32(r.part), r.part > 0)
		text(s.LogAccountID, true)
		text(s.LogRegion, true)
		text(s.FlowLogID, true)
		if d := next().(*array.Date32Builder); s.KeyDate.IsZero() {
			d.AppendNull()
		} else {
			d.Append(arrow.Date32FromTime(s.KeyDate))
		}
		str32(int32(s.KeyHour), s.KeyHour >= 0)
		stamp(s.FileTime)
		int64s(s.DataLines, true)
		int64s(s.Records, true)
		int64s(s.Quarantined, true)
		int64s(s.BlankLines, true)
		int64s(s.MinStart, s.HasStart)
		int64s(s.MaxStart, s.HasStart)
		text(r.status, false)
		text(s.Damage, true)
		str32(int32(r.dupOf), r.dupOf > 0)
		str32(int32(runID), true)
		stamp(now)
		text(version, false)
		text(s.Bucket, true)
		text(s.ObjectKey, true)
		text(s.ETag, true)
		text(s.VersionID, true)
		w := timewindow.All()
		if s.Window != nil {
			w = *s.Window
		}
		int64s(w.From(), w.HasFrom())
		int64s(w.To(), w.HasTo())
		int64s(s.OutsideWindow, true)
		int64s(s.StoredBefore, true)
		str32(int32(r.extends), r.extends > 0)
	}
	return b.NewRecordBatch()
}
