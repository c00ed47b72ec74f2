package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/flowdig/flowdig/internal/batch"
	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
)

// maxLine bounds one line; a flow-log record is a few hundred bytes, so anything longer is not a
// record. Its first maxRaw bytes are kept in quarantine.
const (
	maxLine = 1 << 20
	maxRaw  = 64 << 10
)

// lineReader yields lines without their terminator, tolerating lines longer than its buffer.
type lineReader struct {
	br   *bufio.Reader
	long []byte
}

// next returns the next line. At the end of a final line without a newline it returns the line
// and io.EOF; a read error is returned with whatever partial line was read before it.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	frag, err := l.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return trimEOL(frag), false, err
	}
	l.long = append(l.long[:0], frag...)
	for err == bufio.ErrBufferFull {
		frag, err = l.br.ReadSlice('\n')
		if len(l.long) < maxLine {
			l.long = append(l.long, frag...)
		} else {
			tooLong = true
		}
	}
	if len(l.long) >= maxLine {
		tooLong = true
	}
	return trimEOL(l.long), tooLong, err
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return b
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// decodeText reads space-separated records. The first non-blank line is the header when it
// names fields; otherwise the configured (or default) format applies and the line is data.
func (d *decoder) decodeText(ctx context.Context, r io.Reader, obj *store.Object) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	lr := lineReader{br: br}
	src := &obj.Source
	var (
		p       *flowlog.Parser
		b       *batch.Builder
		rec     flowlog.Record
		lineNo  int64
		fallbkD int32
		hasDate = !src.KeyDate.IsZero()
	)
	if hasDate {
		fallbkD = int32(src.KeyDate.Unix() / 86400)
	}
	start := func(f *flowlog.Format, origin string) {
		src.Header, src.HeaderOrigin = f.String(), origin
		p = flowlog.NewParser(f)
		b = batch.New(f, fallbkD, hasDate)
	}
	flush := func() {
		if rb := b.Flush(); rb != nil {
			obj.Batches = append(obj.Batches, rb)
		}
	}
	quarantine := func(line []byte, field, reason string) {
		raw := line
		if len(raw) > maxRaw {
			raw = raw[:maxRaw]
		}
		obj.Quarantine = append(obj.Quarantine, store.QuarantineRow{
			Line: lineNo, Field: field, Reason: reason, Raw: bytes.Clone(raw),
		})
		src.Quarantined++
	}
	for {
		line, tooLong, err := lr.next()
		if len(line) > 0 || err == nil {
			lineNo++
		}
		damaged := err != nil && err != io.EOF
		switch {
		case len(line) == 0 && err != nil:
			// nothing read on this call
		case damaged:
			// A partial line cut by the damage: keep it, never parse half a record.
			src.DataLines++
			quarantine(line, "", "object damaged: line cut short: "+err.Error())
		case isBlank(line):
			src.BlankLines++
		case p == nil && !tooLong:
			if f, ok := flowlog.DetectHeader(line); ok {
				start(f, "header line")
				continue
			}
			origin := "default format"
			if d.fieldsGiven {
				origin = "--fields"
			}
			start(d.fields, origin)
			fallthrough
		default:
			if p == nil {
				start(d.fields, "default format")
			}
			src.DataLines++
			if tooLong {
				quarantine(line, "", fmt.Sprintf("line longer than %d bytes", maxLine))
				break
			}
			if perr := p.Parse(line, &rec); perr != nil {
				var fe *flowlog.FieldError
				field := ""
				if errors.As(perr, &fe) {
					field = fe.Field
				}
				quarantine(line, field, perr.Error())
				break
			}
			if !d.keeps(&rec, src) {
				break
			}
			b.Add(&rec, int(lineNo))
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
			if b.Len() >= d.batchRows {
				flush()
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		}
		if err == io.EOF {
			break
		}
		if damaged {
			src.Damage = fmt.Sprintf("data unreadable after line %d: %v", lineNo, err)
			if len(line) == 0 {
				// The cut fell on a line boundary: record the damage as its own quarantine
				// entry so the quarantine shows where the object stops being readable.
				lineNo++
				src.DataLines++
				quarantine(nil, "", "object damaged: nothing after this point could be read: "+err.Error())
			}
			break
		}
	}
	if b != nil {
		flush()
	}
	return nil
}
