//go:build duckdb_arrow

package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// chunkRows is the size of the batches handed to DuckDB: about one row group. Objects are
// typically a few thousand records; DuckDB loads many small Arrow batches several times slower
// than a few large ones, so consecutive objects are merged.
const chunkRows = 122_880

// shapeStream is one running INSERT into a shape table, fed batch by batch through a channel
// that DuckDB's Arrow scan reads from. The channel holds two chunks: decoding runs ahead of the
// load by at most that much.
type shapeStream struct {
	key     string
	ch      chan arrow.RecordBatch
	stop    chan struct{} // closed by abort: the reader reports end of stream
	done    chan struct{} // closed when the INSERT returns
	err     error         // the INSERT's error, valid after done
	pending []part
	rows    int
	cleanup func()
}

// part is one object's batch with the ids the writer assigned to it.
type part struct {
	rec      arrow.RecordBatch
	sourceID int32
	partID   int32
}

func (w *Writer) startStream(ctx context.Context, table, key string, batch *arrow.Schema) (*shapeStream, error) {
	fields := append(append([]arrow.Field{}, batch.Fields()...),
		arrow.Field{Name: "source_id", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "part_id", Type: arrow.PrimitiveTypes.Int32, Nullable: true})
	s := &shapeStream{key: key, ch: make(chan arrow.RecordBatch, 2), stop: make(chan struct{}), done: make(chan struct{})}
	rdr := &chanReader{schema: arrow.NewSchema(fields, nil), ch: s.ch, stop: s.stop, ctx: ctx}
	rdr.refs.Store(1)
	view, release, err := w.register(rdr)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", table, err)
	}
	s.cleanup = func() {
		release()
		_, _ = w.conn.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+view)
	}
	go func() {
		defer close(s.done)
		_, err := w.conn.ExecContext(ctx, "INSERT INTO "+table+" BY NAME SELECT * FROM "+view)
		if err != nil {
			s.err = fmt.Errorf("load %s: %w", table, err)
		}
	}()
	return s, nil
}

// register names and registers the Arrow stream of one INSERT.
func (w *Writer) register(rdr array.RecordReader) (string, func(), error) {
	w.seq++
	name := fmt.Sprintf("fd_arrow_%d", w.seq)
	release, err := registerArrow(w.conn, rdr, name)
	if err != nil {
		return "", nil, err
	}
	return name, release, nil
}

func (s *shapeStream) add(ctx context.Context, p part) error {
	s.pending = append(s.pending, p)
	s.rows += int(p.rec.NumRows())
	for s.rows >= chunkRows {
		if err := s.flush(ctx, chunkRows); err != nil {
			return err
		}
	}
	return nil
}

// flush sends the first n pending rows (all when n <= 0) as one batch. Batches of exactly one
// row group let DuckDB write each as a full row group; ragged batches leave partial row groups
// that the next checkpoint has to merge and rewrite.
func (s *shapeStream) flush(ctx context.Context, n int) error {
	if n <= 0 || n > s.rows {
		n = s.rows
	}
	if n == 0 {
		return nil
	}
	var take []part
	left := n
	for left > 0 {
		p := s.pending[0]
		m := int(p.rec.NumRows())
		if m <= left {
			take = append(take, p)
			s.pending = s.pending[1:]
			left -= m
			continue
		}
		head := p.rec.NewSlice(0, int64(left))
		tail := p.rec.NewSlice(int64(left), int64(m))
		p.rec.Release()
		take = append(take, part{rec: head, sourceID: p.sourceID, partID: p.partID})
		s.pending[0] = part{rec: tail, sourceID: p.sourceID, partID: p.partID}
		left = 0
	}
	chunk := mergeParts(take, n)
	for _, p := range take {
		p.rec.Release()
	}
	s.rows -= n
	select {
	case s.ch <- chunk:
		return nil
	case <-s.done:
		chunk.Release()
		if s.err != nil {
			return s.err
		}
		return errors.New("load: stream ended early")
	case <-ctx.Done():
		chunk.Release()
		return ctx.Err()
	}
}

// finish sends what is pending, ends the stream and waits for the INSERT.
func (s *shapeStream) finish(ctx context.Context) error {
	err := s.flush(ctx, 0)
	close(s.ch)
	<-s.done
	s.cleanup()
	if s.err != nil {
		return s.err
	}
	return err
}

// abort ends the stream without sending what is pending; the caller rolls back.
func (s *shapeStream) abort() {
	for _, p := range s.pending {
		p.rec.Release()
	}
	s.pending = nil
	close(s.stop)
	<-s.done
	for {
		select {
		case b := <-s.ch:
			b.Release()
			continue
		default:
		}
		break
	}
	s.cleanup()
}

// chanReader is an Arrow record reader over a channel. DuckDB calls Next from its scan threads
// (one at a time); Next blocks until the writer sends a chunk, closes the channel, aborts, or
// the context ends, so a cancelled load never hangs inside DuckDB.
type chanReader struct {
	refs   atomic.Int64
	schema *arrow.Schema
	ch     <-chan arrow.RecordBatch
	stop   <-chan struct{}
	ctx    context.Context
	cur    arrow.RecordBatch
}

var _ array.RecordReader = (*chanReader)(nil)

func (r *chanReader) Retain() { r.refs.Add(1) }

func (r *chanReader) Release() {
	if r.refs.Add(-1) == 0 && r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *chanReader) Schema() *arrow.Schema { return r.schema }

func (r *chanReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	select {
	case b, ok := <-r.ch:
		if !ok {
			return false
		}
		r.cur = b
		return true
	case <-r.stop:
		return false
	case <-r.ctx.Done():
		return false
	}
}

func (r *chanReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is the deprecated name of RecordBatch, still part of the interface.
func (r *chanReader) Record() arrow.RecordBatch { return r.cur }

func (r *chanReader) Err() error {
	if r.ctx.Err() != nil {
		return r.ctx.Err()
	}
	return nil
}
