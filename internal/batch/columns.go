package batch

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Columns are plain Go slices handed to Arrow without copying when the batch is flushed; a
// flushed column starts over with fresh slices because the batch still references the old ones.

// validity is an Arrow validity bitmap (least-significant bit first) with its null count.
type validity struct {
	bits  []byte
	nulls int
}

func (v *validity) add(i int, ok bool) {
	if i&7 == 0 {
		v.bits = append(v.bits, 0)
	}
	if ok {
		v.bits[i>>3] |= 1 << (i & 7)
	} else {
		v.nulls++
	}
}

func (v *validity) buffer() *memory.Buffer {
	if v.nulls == 0 {
		return nil
	}
	return memory.NewBufferBytes(v.bits)
}

type integer interface{ int32 | int64 }

type intCol[T integer] struct {
	vals []T
	v    validity
}

func (c *intCol[T]) reserve(n int) {
	c.vals = make([]T, 0, n)
	c.v = validity{bits: make([]byte, 0, n/8+1)}
}

func (c *intCol[T]) add(x T, ok bool) {
	c.v.add(len(c.vals), ok)
	if !ok {
		x = 0
	}
	c.vals = append(c.vals, x)
}

func (c *intCol[T]) array(t arrow.DataType, n int) arrow.Array {
	var zero T
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c.vals))), len(c.vals)*int(unsafe.Sizeof(zero)))
	data := array.NewData(t, n, []*memory.Buffer{c.v.buffer(), memory.NewBufferBytes(raw)}, nil, c.v.nulls, 0)
	defer data.Release()
	*c = intCol[T]{}
	return array.MakeFromData(data)
}

type strCol struct {
	offs []int32
	data []byte
	v    validity
}

func (c *strCol) reserve(n int) {
	c.offs = make([]int32, 1, n+1)
	c.data = make([]byte, 0, n*12)
	c.v = validity{bits: make([]byte, 0, n/8+1)}
}

func (c *strCol) add(s []byte, ok bool) {
	c.v.add(len(c.offs)-1, ok)
	if ok {
		c.data = append(c.data, s...)
	}
	c.offs = append(c.offs, int32(len(c.data)))
}

func (c *strCol) array(n int) arrow.Array {
	offs := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c.offs))), len(c.offs)*4)
	data := array.NewData(arrow.BinaryTypes.String, n,
		[]*memory.Buffer{c.v.buffer(), memory.NewBufferBytes(offs), memory.NewBufferBytes(c.data)}, nil, c.v.nulls, 0)
	defer data.Release()
	*c = strCol{}
	return array.MakeFromData(data)
}
