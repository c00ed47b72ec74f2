package batch

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Columns are plain Go slices handed to Arrow without copying when the batch is flushed; a
// flushed column starts over with fresh slices because the batch still references the old ones.
// Add is on the hot path (once per value), so values are stored by index into slices sized up
// front, and a validity bitmap is only made when a column meets its first NULL.

// validity is an Arrow validity bitmap (least-significant bit first). It stays nil while every
// value is valid; the first NULL allocates it with all bits set, then NULLs clear their bit.
type validity struct {
	bits  []byte
	nulls int
}

func (v *validity) null(i, capacity int) {
	for need := max(i>>3+1, capacity>>3+1); len(v.bits) < need; {
		v.bits = append(v.bits, 0xff)
	}
	v.bits[i>>3] &^= 1 << (i & 7)
	v.nulls++
}

// grow extends a bitmap that exists to cover capacity values (new values start valid).
func (v *validity) grow(capacity int) {
	if v.bits == nil {
		return
	}
	for len(v.bits) < capacity>>3+1 {
		v.bits = append(v.bits, 0xff)
	}
}

func (v *validity) buffer(n int) *memory.Buffer {
	if v.nulls == 0 {
		return nil
	}
	return memory.NewBufferBytes(v.bits[:(n+7)>>3])
}

type integer interface{ int32 | int64 }

type intCol[T integer] struct {
	vals []T
	v    validity
}

func (c *intCol[T]) reserve(n int) {
	c.vals = make([]T, n)
	c.v = validity{}
}

func (c *intCol[T]) add(i int, x T, ok bool) {
	if i >= len(c.vals) {
		c.vals = append(c.vals, make([]T, len(c.vals)+1)...)
		c.v.grow(len(c.vals))
	}
	if ok {
		c.vals[i] = x
	} else {
		c.vals[i] = 0
		c.v.null(i, len(c.vals))
	}
}

func (c *intCol[T]) array(t arrow.DataType, n int) arrow.Array {
	var zero T
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c.vals))), n*int(unsafe.Sizeof(zero)))
	data := array.NewData(t, n, []*memory.Buffer{c.v.buffer(n), memory.NewBufferBytes(raw)}, nil, c.v.nulls, 0)
	defer data.Release()
	*c = intCol[T]{}
	return array.MakeFromData(data)
}

type strCol struct {
	offs []int32 // offs[i+1] is the end of value i
	data []byte
	v    validity
}

func (c *strCol) reserve(n, dataHint int) {
	c.offs = make([]int32, n+1)
	c.data = make([]byte, 0, dataHint)
	c.v = validity{}
}

func (c *strCol) add(i int, s []byte, ok bool) {
	if i+1 >= len(c.offs) {
		c.offs = append(c.offs, make([]int32, len(c.offs))...)
		c.v.grow(len(c.offs))
	}
	if ok {
		c.data = append(c.data, s...)
	} else {
		c.v.null(i, len(c.offs))
	}
	c.offs[i+1] = int32(len(c.data))
}

func (c *strCol) array(n int) arrow.Array {
	offs := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c.offs))), (n+1)*4)
	data := array.NewData(arrow.BinaryTypes.String, n,
		[]*memory.Buffer{c.v.buffer(n), memory.NewBufferBytes(offs), memory.NewBufferBytes(c.data)}, nil, c.v.nulls, 0)
	defer data.Release()
	*c = strCol{}
	return array.MakeFromData(data)
}
