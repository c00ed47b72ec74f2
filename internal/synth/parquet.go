package synth

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetSchema is the Arrow schema of a Parquet flow log: AWS column names
// (hyphens become underscores), INT32/INT64/STRING as documented, every
// column nullable because any field can be "-".
func parquetSchema(fields []field) *arrow.Schema {
	cols := make([]arrow.Field, len(fields))
	for i, f := range fields {
		var t arrow.DataType = arrow.BinaryTypes.String
		switch f.kind() {
		case kindInt32:
			t = arrow.PrimitiveTypes.Int32
		case kindInt64:
			t = arrow.PrimitiveTypes.Int64
		}
		cols[i] = arrow.Field{Name: f.column(), Type: t, Nullable: true}
	}
	return arrow.NewSchema(cols, nil)
}

// writeParquet encodes wk.recs in wk.perm order as one gzip-compressed
// Parquet file into wk.out. Values go through the text formatter, so a
// Parquet row always says what the text line would.
func (wk *worker) writeParquet(fl *flowLog) error {
	mem := memory.NewGoAllocator()
	schema := parquetSchema(fl.fields)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Reserve(len(wk.perm))
	scratch := wk.line[:0]
	for _, i := range wk.perm {
		r := &wk.recs[i]
		for c, f := range fl.fields {
			scratch = appendField(scratch[:0], r, f, fl.version)
			fb := b.Field(c)
			if len(scratch) == 1 && scratch[0] == '-' {
				fb.AppendNull()
				continue
			}
			switch f.kind() {
			case kindInt32:
				fb.(*array.Int32Builder).Append(int32(atoi(scratch)))
			case kindInt64:
				fb.(*array.Int64Builder).Append(atoi(scratch))
			default:
				fb.(*array.StringBuilder).Append(string(scratch))
			}
		}
	}
	wk.line = scratch
	batch := b.NewRecordBatch()
	defer batch.Release()
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Gzip),
		parquet.WithAllocator(mem),
		parquet.WithDictionaryDefault(false),
	)
	fw, err := pqarrow.NewFileWriter(schema, &wk.out, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		return err
	}
	if err := fw.Write(batch); err != nil {
		_ = fw.Close()
		return err
	}
	return fw.Close()
}

// atoi parses the decimal integers appendField writes.
func atoi(b []byte) int64 {
	var v int64
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	for _, c := range b {
		v = v*10 + int64(c-'0')
	}
	if neg {
		return -v
	}
	return v
}
