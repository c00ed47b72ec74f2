package store

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/flowdig/flowdig/internal/timewindow"
)

// dropSelected removes from batches the records that cov selects (by their start and end, as
// the decoder selected them), so a read of known content adds only what earlier reads left out.
// It moves the dropped records from src.Records to src.StoredBefore and recomputes the start
// range of what remains. Kept rows are zero-copy slices of the input batches.
func dropSelected(batches []arrow.RecordBatch, cov timewindow.Set, src *Source) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	var dropped int64
	src.HasStart, src.MinStart, src.MaxStart = false, 0, 0
	for _, b := range batches {
		starts, ends := int64Column(b, "start"), int64Column(b, "end")
		n := int(b.NumRows())
		runStart := -1
		flush := func(end int) {
			if runStart >= 0 {
				out = append(out, b.NewSlice(int64(runStart), int64(end)))
				runStart = -1
			}
		}
		for i := 0; i < n; i++ {
			s, hasS := value(starts, i)
			e, hasE := value(ends, i)
			if cov.Record(s, hasS, e, hasE) {
				dropped++
				flush(i)
				continue
			}
			if runStart < 0 {
				runStart = i
			}
			if hasS {
				if !src.HasStart || s < src.MinStart {
					src.MinStart = s
				}
				if !src.HasStart || s > src.MaxStart {
					src.MaxStart = s
				}
				src.HasStart = true
			}
		}
		flush(n)
		b.Release()
	}
	src.Records -= dropped
	src.StoredBefore += dropped
	return out
}

func int64Column(b arrow.RecordBatch, name string) *array.Int64 {
	idx := b.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil
	}
	col, _ := b.Column(idx[0]).(*array.Int64)
	return col
}

func value(col *array.Int64, i int) (int64, bool) {
	if col == nil || col.IsNull(i) {
		return 0, false
	}
	return col.Value(i), true
}
