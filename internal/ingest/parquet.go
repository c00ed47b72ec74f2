package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/flowdig/flowdig/internal/batch"
	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
)

// decodeParquet reads a Parquet flow-log file. Columns are matched by name (as Athena does);
// every value goes through the same validation as text, and a row that fails is quarantined with
// its values joined by spaces as its text. Row numbers stand in for line numbers.
func (d *decoder) decodeParquet(ctx context.Context, obj *store.Object) error {
	data, err := io.ReadAll(d.rd) // Parquet needs random access; AWS writes objects of at most ~75 MB
	if err != nil {
		return err
	}
	src := &obj.Source
	damage := func(err error) error {
		src.Damage = "parquet: " + err.Error()
		src.DataLines++
		src.Quarantined++
		obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{
			Line: src.DataLines, Reason: "object damaged: parquet: " + err.Error(),
		})
		return nil
	}
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		return damage(err)
	}
	defer pf.Close()
	// The reader allocates a whole batch per column up front: size it to the file.
	batchRows := min(int64(d.batchRows), max(pf.NumRows(), 1))
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: batchRows}, memory.DefaultAllocator)
	if err != nil {
		return damage(err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return damage(err)
	}
	names := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		names[i] = f.Name
		if idx, ok := flowlog.Lookup(f.Name); ok {
			names[i] = flowlog.FieldAt(idx).Name
		}
	}
	f, err := flowlog.ParseFormat(strings.Join(names, " "))
	if err != nil {
		return damage(fmt.Errorf("unsupported schema: %w", err))
	}
	src.Header, src.HeaderOrigin = f.String(), "parquet schema"
	var fallbk int32
	if !src.KeyDate.IsZero() {
		fallbk = int32(src.KeyDate.Unix() / 86400)
	}
	b := batch.New(f, fallbk, !src.KeyDate.IsZero())
	p := flowlog.NewParser(f)
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return damage(err)
	}
	defer rr.Release()
	var (
		rec  flowlog.Record
		toks = make([][]byte, len(names))
		bufs = make([][]byte, len(names))
		row  int64
	)
	for {
		ok, perr := nextBatch(rr)
		if perr != nil {
			src.Damage = fmt.Sprintf("parquet: data unreadable after row %d: %v", row, perr)
			src.DataLines++
			src.Quarantined++
			obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{
				Line: row + 1, Reason: "object damaged: nothing after this point could be read: " + perr.Error(),
			})
			return nil
		}
		if !ok {
			break
		}
		rb := rr.RecordBatch()
		for i := 0; i < int(rb.NumRows()); i++ {
			row++
			for c := range toks {
				bufs[c] = appendValue(bufs[c][:0], rb.Column(c), i)
				toks[c] = bufs[c]
			}
			src.DataLines++
			if perr := p.ParseTokens(toks, &rec); perr != nil {
				var fe *flowlog.FieldError
				field := ""
				if errors.As(perr, &fe) {
					field = fe.Field
				}
				src.Quarantined++
				obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{
					Line: row, Field: field, Reason: perr.Error(), Raw: bytes.Join(toks, []byte(" ")),
				})
				continue
			}
			if !d.keeps(&rec, src) {
				continue
			}
			b.Add(&rec, int(row))
			src.Records++
			if rec.Valid[flowlog.FStart] {
				s := rec.Int[flowlog.FStart]
				if !src.HasStart || s < src.MinStart {
					src.MinStart = s
				}
				if !src.HasStart || s > src.MaxStart {
					src.MaxStart = s
				}
				src.HasStart = true
			}
		}
		if out := b.Flush(); out != nil {
			obj.Batches = append(obj.Batches, out)
		}
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		src.Damage = fmt.Sprintf("parquet: data unreadable after row %d: %v", row, err)
		src.DataLines++
		src.Quarantined++
		obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{
			Line: row + 1, Reason: "object damaged: nothing after this point could be read: " + err.Error(),
		})
	}
	return nil
}

// appendValue writes the text form of one value; NULL becomes "-" as in text flow logs.
func appendValue(dst []byte, col arrow.Array, i int) []byte {
	if col.IsNull(i) {
		return append(dst, '-')
	}
	switch a := col.(type) {
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10)
	case *array.String:
		return append(dst, a.Value(i)...)
	case *array.LargeString:
		return append(dst, a.Value(i)...)
	case *array.Binary:
		return append(dst, a.Value(i)...)
	default:
		return append(dst, col.ValueStr(i)...)
	}
}

// nextBatch advances the Parquet reader. arrow-go's decompressors panic on some corrupt pages;
// that is damage in this object, reported like any other read error, not a reason to lose it.
func nextBatch(rr pqarrow.RecordReader) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			ok, err = false, fmt.Errorf("corrupt data: %v", r)
		}
	}()
	return rr.Next(), nil
}
