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
	"github.com/flowdig/flowdig/internal/timewindow"
)

// decoder turns one object into a store.Object. One decoder per worker goroutine.
type decoder struct {
	fields      *flowlog.Format // for objects without a header line
	fieldsGiven bool
	batchRows   int
	rd          *bufio.Reader // reused across objects
	zr          *gzip.Reader
	zbuf        *bufio.Reader // over zr, reused
	// keep selects the records to store of the object being decoded; keepAll skips the test.
	keep    timewindow.Set
	keepAll bool
}

func newDecoder(fields *flowlog.Format, given bool, batchRows int) *decoder {
	return &decoder{fields: fields, fieldsGiven: given, batchRows: batchRows}
}

// hashingReader computes SHA-256 and counts bytes of everything read through it, and keeps the
// first error other than io.EOF: the object could not be fetched (as opposed to bytes that were
// fetched but do not decode), so it is reported as unreadable and read again by the next run
// rather than recorded as damaged.
type hashingReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	err error
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.h.Write(p[:n])
		h.n += int64(n)
	}
	if err != nil && err != io.EOF && h.err == nil {
		h.err = err
	}
	return n, err
}

// decode reads the whole object, keeping the records keep selects. An error means the object
// could not be fetched (open failed, or the source's reader failed: a download that could not be
// resumed, a changed object), so nothing of it is committed and the next run reads it again;
// bytes that were fetched but do not decode are damage, reported in the result instead.
func (d *decoder) decode(ctx context.Context, src source.Source, o source.Object, keep timewindow.Set) (obj *store.Object, err error) {
	d.keep, d.keepAll = keep, keep.IsAllSet()
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
	if !keep.IsAllSet() {
		obj.Source.Kept = keep
	}
	magic, _ := d.rd.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		obj.Source.Format = "text+gzip"
		err = d.decodeGzip(ctx, obj)
	case bytes.Equal(magic, []byte("PAR1")):
		obj.Source.Format = "parquet"
		err = d.decodeParquet(ctx, obj)
	case isJSON(d.rd):
		obj.Source.Format = formatCWJSON
		err = d.decodeJSON(ctx, d.rd, obj)
	default:
		obj.Source.Format = "text"
		err = d.decodeText(ctx, d.rd, obj)
	}
	if err == nil {
		// Hash the whole object even when decoding stopped early (damaged data).
		_, err = io.Copy(io.Discard, d.rd)
	}
	if err == nil {
		err = hr.err
	}
	if err != nil {
		obj.Release()
		return nil, fmt.Errorf("read %s: %w", o.URI, err)
	}
	obj.Source.SHA256 = hex.EncodeToString(hr.h.Sum(nil))
	obj.Source.Size = hr.n
	if v, ok := rc.(source.Versioned); ok {
		obj.Source.VersionID = v.VersionID()
	}
	return obj, nil
}

// keeps reports whether the record just parsed is selected, counting it when it is not.
func (d *decoder) keeps(rec *flowlog.Record, src *store.Source) bool {
	if d.keepAll || d.keep.Record(rec.Int[flowlog.FStart], rec.Valid[flowlog.FStart], rec.Int[flowlog.FEnd], rec.Valid[flowlog.FEnd]) {
		return true
	}
	src.OutsideWindow++
	return false
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
	if d.zbuf == nil {
		d.zbuf = bufio.NewReaderSize(d.zr, 256<<10)
	} else {
		d.zbuf.Reset(d.zr)
	}
	if isJSON(d.zbuf) {
		obj.Source.Format = formatCWJSON + "+gzip"
		return d.decodeJSON(ctx, d.zbuf, obj)
	}
	return d.decodeText(ctx, d.zbuf, obj)
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
		Bucket:       o.Bucket,
		ObjectKey:    o.ObjectKey,
		ETag:         o.ETag,
		VersionID:    o.VersionID,
		Open:         o.Open,
	}
	if k.Layout == "" {
		s.Layout = "none"
	}
	return s
}
