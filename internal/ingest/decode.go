package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"

	"github.com/klauspost/compress/gzip"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/store"
)

// decoder turns one object into a store.Object. One decoder per worker goroutine.
type decoder struct {
	fields      *flowlog.Format // for objects without a header line
	fieldsGiven bool
	batchRows   int
	rd          *bufio.Reader // reused across objects
	zr          *gzip.Reader
}

func newDecoder(fields *flowlog.Format, given bool, batchRows int) *decoder {
	return &decoder{fields: fields, fieldsGiven: given, batchRows: batchRows}
}

// hashingReader computes SHA-256 and counts bytes of everything read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.h.Write(p[:n])
		h.n += int64(n)
	}
	return n, err
}

// decode reads the whole object. An error means the object could not be read at all (open
// failed, I/O error before any data); damage inside the data is reported in the result instead.
func (d *decoder) decode(ctx context.Context, src source.Source, o source.Object) (obj *store.Object, err error) {
	defer func() {
		// A parser bug must not take the whole ingest down: report it against the object.
		if r := recover(); r != nil {
			obj, err = nil, fmt.Errorf("decode %s: internal error: %v", o.URI, r)
		}
	}()
	rc, err := src.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	hr := &hashingReader{r: rc, h: sha256.New()}
	if d.rd == nil {
		d.rd = bufio.NewReaderSize(hr, 256<<10)
	} else {
		d.rd.Reset(hr)
	}
	obj = &store.Object{Source: newSource(o)}
	magic, _ := d.rd.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		obj.Source.Format = "text+gzip"
		err = d.decodeGzip(ctx, obj)
	case bytes.Equal(magic, []byte("PAR1")):
		obj.Source.Format = "parquet"
		err = d.decodeParquet(ctx, obj)
	default:
		obj.Source.Format = "text"
		err = d.decodeText(ctx, d.rd, obj)
	}
	if err != nil {
		obj.Release()
		return nil, fmt.Errorf("read %s: %w", o.URI, err)
	}
	// Hash the whole object even when decoding stopped early (damaged data).
	if _, err := io.Copy(io.Discard, d.rd); err != nil {
		obj.Release()
		return nil, fmt.Errorf("read %s: %w", o.URI, err)
	}
	obj.Source.SHA256 = hex.EncodeToString(hr.h.Sum(nil))
	obj.Source.Size = hr.n
	return obj, nil
}

func (d *decoder) decodeGzip(ctx context.Context, obj *store.Object) error {
	var err error
	if d.zr == nil {
		d.zr, err = gzip.NewReader(d.rd)
	} else {
		err = d.zr.Reset(d.rd)
	}
	if err != nil {
		// The gzip header itself is unreadable: the object is damaged from the first byte.
		obj.Source.Damage = "gzip: " + err.Error()
		obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{Line: 1, Reason: "object damaged: gzip header: " + err.Error()})
		obj.Source.DataLines, obj.Source.Quarantined = 1, 1
		return nil
	}
	return d.decodeText(ctx, d.zr, obj)
}

func newSource(o source.Object) store.Source {
	k := o.Key
	s := store.Source{
		URI:          o.URI,
		Size:         o.Size,
		MTime:        o.MTime,
		Layout:       string(k.Layout),
		LogAccountID: k.AccountID,
		LogRegion:    k.Region,
		FlowLogID:    k.FlowLogID,
		KeyDate:      k.Date(),
		KeyHour:      k.Hour,
		FileTime:     k.FileTime,
	}
	if k.Layout == "" {
		s.Layout = "none"
	}
	return s
}
