package report

import "strings"

// csvWriter writes RFC 4180 CSV with a header record. A field is quoted
// when it holds a comma, quote, CR or LF, or when it is an empty string,
// so that an empty string ("") and NULL (nothing) stay distinguishable,
// as in DuckDB's and PostgreSQL's COPY.
type csvWriter struct {
	lifecycle
	out  *sink
	crlf bool
	cell []byte
}

func (w *csvWriter) Begin(cols []Column) error {
	if err := w.begin(CSV, cols); err != nil {
		return err
	}
	for i, c := range cols {
		if i > 0 {
			w.out.buf = append(w.out.buf, ',')
		}
		w.out.buf = appendCSVField(w.out.buf, c.Name)
	}
	w.endRecord()
	return w.out.maybeFlush()
}

func (w *csvWriter) Row(vals []any) error {
	if err := w.row(CSV, vals); err != nil {
		return err
	}
	for i, v := range vals {
		if i > 0 {
			w.out.buf = append(w.out.buf, ',')
		}
		var null bool
		w.cell, null = appendText(w.cell[:0], v, w.types[i])
		if !null {
			w.out.buf = appendCSVField(w.out.buf, string(w.cell))
		}
	}
	w.endRecord()
	return w.out.maybeFlush()
}

func (w *csvWriter) End() error {
	if err := w.end(CSV); err != nil {
		return err
	}
	return w.out.flush()
}

func (w *csvWriter) endRecord() {
	if w.crlf {
		w.out.buf = append(w.out.buf, '\r')
	}
	w.out.buf = append(w.out.buf, '\n')
}

func appendCSVField(b []byte, s string) []byte {
	if s != "" && !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}
