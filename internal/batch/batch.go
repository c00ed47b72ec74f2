// Package batch turns parsed flow-log records into Apache Arrow record batches whose columns are
// named and typed like the flow_records table, so the store can bulk-insert them in one columnar
// step. Only the fields present in a format become columns; the database fills the rest with NULL.
package batch

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/flowlog"
)

// Column names of the derived columns the decoder fills.
const (
	ColLine  = "line_no" // line number within the object (row number for Parquet)
	ColDate  = "date"    // UTC day of start (or of the object's key when start is absent)
	ColExtra = "extra"   // unknown fields, name -> value
)

// Builder accumulates records of one format. It is not safe for concurrent use.
type Builder struct {
	plan      []step
	i64       []*intCol[int64]
	i32       []*intCol[int32]
	str       []*strCol
	names     []string // arrow field names, in output order
	line      intCol[int32]
	date      intCol[int32]
	extra     *array.MapBuilder
	n         int
	strHint   []int // bytes per value seen in the last batch, per string column
	fallback  int32
	hasFallbk bool
	hint      int
}

type step struct {
	field int
	class uint8 // which of i64, i32 or str holds the column
	col   int   // index into that slice
}

const (
	classI64 uint8 = iota
	classI32
	classStr
)

// New returns a builder for records of format f. fallbackDay (days since 1970-01-01) fills the
// date column of records without a start time when hasFallback is true.
func New(f *flowlog.Format, fallbackDay int32, hasFallback bool) *Builder {
	b := &Builder{fallback: fallbackDay, hasFallbk: hasFallback, hint: 1024}
	for i := 0; i < flowlog.NumFields; i++ {
		if !f.Has(i) {
			continue
		}
		fd := flowlog.FieldAt(i)
		st := step{field: i}
		switch {
		case fd.Kind == flowlog.KindInt64:
			st.class, st.col = classI64, len(b.i64)
			b.i64 = append(b.i64, &intCol[int64]{})
		case fd.IsInteger():
			st.class, st.col = classI32, len(b.i32)
			b.i32 = append(b.i32, &intCol[int32]{})
		default:
			st.class, st.col = classStr, len(b.str)
			b.str = append(b.str, &strCol{})
			b.strHint = append(b.strHint, 16)
		}
		b.plan = append(b.plan, st)
		b.names = append(b.names, fd.Column)
	}
	if f.Unknown() > 0 {
		b.extra = array.NewMapBuilder(memory.DefaultAllocator, arrow.BinaryTypes.String, arrow.BinaryTypes.String, false)
	}
	return b
}

// Len is the number of records added since the last Flush.
func (b *Builder) Len() int { return b.n }

// Add appends one record read from the given line number.
func (b *Builder) Add(r *flowlog.Record, line int) {
	if b.n == 0 {
		b.reserve(b.hint)
	}
	n := b.n
	for _, st := range b.plan {
		ok := r.Valid[st.field]
		switch st.class {
		case classI64:
			b.i64[st.col].add(n, r.Int[st.field], ok)
		case classI32:
			b.i32[st.col].add(n, int32(r.Int[st.field]), ok)
		default:
			b.str[st.col].add(n, r.Str[st.field], ok)
		}
	}
	b.line.add(n, int32(line), true)
	if r.Valid[flowlog.FStart] {
		b.date.add(n, int32(r.Int[flowlog.FStart]/86400), true)
	} else {
		b.date.add(n, b.fallback, b.hasFallbk)
	}
	if b.extra != nil {
		b.extra.Append(true)
		kb := b.extra.KeyBuilder().(*array.StringBuilder)
		vb := b.extra.ItemBuilder().(*array.StringBuilder)
		for _, e := range r.Extra {
			kb.Append(e.Name)
			if e.Value == nil {
				vb.AppendNull()
			} else {
				vb.BinaryBuilder.Append(e.Value)
			}
		}
	}
	b.n++
}

func (b *Builder) reserve(n int) {
	for _, c := range b.i64 {
		c.reserve(n)
	}
	for _, c := range b.i32 {
		c.reserve(n)
	}
	for i, c := range b.str {
		c.reserve(n, n*b.strHint[i]+64)
	}
	b.line.reserve(n)
	b.date.reserve(n)
}

// Flush returns the accumulated records as one batch and starts a new one. It returns nil when
// the builder is empty. The caller owns the batch and must Release it.
func (b *Builder) Flush() arrow.RecordBatch {
	if b.n == 0 {
		return nil
	}
	fields := make([]arrow.Field, 0, len(b.plan)+3)
	cols := make([]arrow.Array, 0, len(b.plan)+3)
	for i, st := range b.plan {
		var arr arrow.Array
		switch st.class {
		case classI64:
			arr = b.i64[st.col].array(arrow.PrimitiveTypes.Int64, b.n)
		case classI32:
			arr = b.i32[st.col].array(arrow.PrimitiveTypes.Int32, b.n)
		default:
			c := b.str[st.col]
			b.strHint[st.col] = len(c.data)/b.n + 1
			arr = c.array(b.n)
		}
		fields = append(fields, arrow.Field{Name: b.names[i], Type: arr.DataType(), Nullable: true})
		cols = append(cols, arr)
	}
	line := b.line.array(arrow.PrimitiveTypes.Int32, b.n)
	date := b.date.array(arrow.FixedWidthTypes.Date32, b.n)
	fields = append(fields,
		arrow.Field{Name: ColLine, Type: line.DataType(), Nullable: true},
		arrow.Field{Name: ColDate, Type: date.DataType(), Nullable: true})
	cols = append(cols, line, date)
	if b.extra != nil {
		arr := b.extra.NewArray()
		fields = append(fields, arrow.Field{Name: ColExtra, Type: arr.DataType(), Nullable: true})
		cols = append(cols, arr)
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(b.n))
	for _, c := range cols {
		c.Release()
	}
	b.hint = b.n
	b.n = 0
	return rec
}
