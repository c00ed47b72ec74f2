package report

import (
	"unicode"
	"unicode/utf8"
)

// markdownWriter writes a GitHub-flavoured pipe table. Rows stream: GitHub
// aligns the columns itself, so no widths are needed.
type markdownWriter struct {
	lifecycle
	out  *sink
	cell []byte
}

func (w *markdownWriter) Begin(cols []Column) error {
	if err := w.begin(Markdown, cols); err != nil {
		return err
	}
	b := append(w.out.buf, '|')
	for _, c := range cols {
		b = append(b, ' ')
		b = appendMarkdownCell(b, c.Name)
		b = append(b, " |"...)
	}
	b = append(b, "\n|"...)
	for i := range cols {
		if w.types[i].numeric() {
			b = append(b, " ---: |"...)
		} else {
			b = append(b, " --- |"...)
		}
	}
	w.out.buf = append(b, '\n')
	return w.out.maybeFlush()
}

func (w *markdownWriter) Row(vals []any) error {
	if err := w.row(Markdown, vals); err != nil {
		return err
	}
	b := append(w.out.buf, '|')
	for i, v := range vals {
		var null bool
		w.cell, null = appendText(w.cell[:0], v, w.types[i])
		b = append(b, ' ')
		if null {
			b = append(b, "NULL"...)
		} else {
			b = appendMarkdownCell(b, string(w.cell))
		}
		b = append(b, " |"...)
	}
	w.out.buf = append(b, '\n')
	return w.out.maybeFlush()
}

func (w *markdownWriter) End() error {
	if err := w.end(Markdown); err != nil {
		return err
	}
	return w.out.flush()
}

// appendMarkdownCell keeps s inside one table cell and shows it literally:
// backslash is escaped first so that a trailing "\" cannot swallow the
// "\|" that follows; line breaks become <br>; &, < and > become entities
// so that data is never interpreted as HTML; other control characters are
// shown as escapes.
func appendMarkdownCell(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\':
			b = append(b, `\\`...)
		case r == '|':
			b = append(b, `\|`...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b = append(b, "<br>"...)
			size = 2
		case r == '\n' || r == '\r':
			b = append(b, "<br>"...)
		case r == utf8.RuneError && size == 1, unicode.IsControl(r):
			b = appendControl(b, r, s[i])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
