package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tableWriter writes aligned plain-text columns separated by two spaces,
// with a dashed line under the header. Numeric columns are right-aligned.
//
// Column widths need the rows, so the first BufferRows rows (and at most
// maxBufferedBytes of text) are held back; once that is full the widths are
// frozen and later rows are written as they come. Widths count runes, so
// wide East Asian characters can still misalign.
type tableWriter struct {
	lifecycle
	out        *sink
	maxWidth   int
	bufferRows int
	footer     bool

	header   []string
	widths   []int
	held     [][]string
	heldSize int
	frozen   bool
	cell     []byte
}

func newTableWriter(out *sink, opt Options) *tableWriter {
	w := &tableWriter{out: out, maxWidth: opt.MaxWidth, bufferRows: opt.BufferRows, footer: opt.Footer}
	if w.bufferRows <= 0 {
		w.bufferRows = DefaultBufferRows
	}
	return w
}

func (w *tableWriter) Begin(cols []Column) error {
	if err := w.begin(Table, cols); err != nil {
		return err
	}
	w.header = make([]string, len(cols))
	w.widths = make([]int, len(cols))
	for i, c := range cols {
		w.header[i] = w.display([]byte(c.Name))
		w.widths[i] = max(1, utf8.RuneCountInString(w.header[i]))
	}
	return nil
}

func (w *tableWriter) Row(vals []any) error {
	if err := w.row(Table, vals); err != nil {
		return err
	}
	cells := make([]string, len(vals))
	for i, v := range vals {
		var null bool
		w.cell, null = appendText(w.cell[:0], v, w.types[i])
		if null {
			cells[i] = "NULL"
		} else {
			cells[i] = w.display(w.cell)
		}
	}
	if w.frozen {
		w.writeLine(cells)
		return w.out.maybeFlush()
	}
	for i, c := range cells {
		w.widths[i] = max(w.widths[i], utf8.RuneCountInString(c))
		w.heldSize += len(c)
	}
	w.held = append(w.held, cells)
	if len(w.held) >= w.bufferRows || w.heldSize >= maxBufferedBytes {
		return w.release()
	}
	return nil
}

func (w *tableWriter) End() error {
	if err := w.end(Table); err != nil {
		return err
	}
	if err := w.release(); err != nil {
		return err
	}
	if w.footer {
		w.out.buf = append(w.out.buf, '(')
		w.out.buf = strconv.AppendInt(w.out.buf, int64(w.nrows), 10)
		if w.nrows == 1 {
			w.out.buf = append(w.out.buf, " row)\n"...)
		} else {
			w.out.buf = append(w.out.buf, " rows)\n"...)
		}
	}
	return w.out.flush()
}

// release writes the header and the held rows, once, and freezes widths.
func (w *tableWriter) release() error {
	if w.frozen {
		return nil
	}
	w.frozen = true
	w.writeLine(w.header)
	for i, width := range w.widths {
		if i > 0 {
			w.out.buf = append(w.out.buf, "  "...)
		}
		w.out.buf = append(w.out.buf, strings.Repeat("-", width)...)
	}
	w.out.buf = append(w.out.buf, '\n')
	for _, cells := range w.held {
		w.writeLine(cells)
		if err := w.out.maybeFlush(); err != nil {
			return err
		}
	}
	w.held, w.heldSize = nil, 0
	return w.out.maybeFlush()
}

func (w *tableWriter) writeLine(cells []string) {
	b := w.out.buf
	for i, c := range cells {
		if i > 0 {
			b = append(b, "  "...)
		}
		pad := w.widths[i] - utf8.RuneCountInString(c)
		if w.types[i].numeric() {
			b = appendSpaces(b, pad)
			b = append(b, c...)
			continue
		}
		b = append(b, c...)
		if i < len(cells)-1 {
			b = appendSpaces(b, pad)
		}
	}
	w.out.buf = append(b, '\n')
}

func appendSpaces(b []byte, n int) []byte {
	for range n {
		b = append(b, ' ')
	}
	return b
}

// display makes s safe for one terminal line (control characters become
// escapes) and cuts it to maxWidth runes.
func (w *tableWriter) display(s []byte) string {
	var b []byte
	width := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		before := len(b)
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) {
			b = appendControl(b, r, s[i])
			width += len(b) - before // escapes are ASCII
		} else {
			b = append(b, s[i:i+size]...)
			width++
		}
		if w.maxWidth > 0 && width > w.maxWidth {
			return truncate(b, w.maxWidth)
		}
		i += size
	}
	return string(b)
}

// truncate keeps the first n-1 runes of b and adds "…".
func truncate(b []byte, n int) string {
	cut, kept := 0, 0
	for cut < len(b) && kept < n-1 {
		_, size := utf8.DecodeRune(b[cut:])
		cut += size
		kept++
	}
	return string(b[:cut]) + "…"
}

// appendControl shows a control character (or an invalid UTF-8 byte raw)
// as a visible escape.
func appendControl(b []byte, r rune, raw byte) []byte {
	const digits = "0123456789abcdef"
	switch r {
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	}
	c := raw
	if r != utf8.RuneError {
		c = byte(r) // control characters are all below U+0100
	}
	return append(b, '\\', 'x', digits[c>>4], digits[c&0xf])
}
