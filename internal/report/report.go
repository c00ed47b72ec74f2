// Package report renders query results as table, CSV, JSON, NDJSON or
// Markdown. It is shared by the CLI and the web UI.
//
// A Writer is streamed: Begin with the columns, Row once per row, End once.
// WriteRows drives a Writer from a *sql.Rows produced by the DuckDB driver.
//
// Value rendering, the same in every format unless noted:
//
//   - NULL: "NULL" in table and markdown, an empty unquoted field in CSV
//     (an empty string is written as ""), null in JSON.
//   - Integers of any width, *big.Int (HUGEINT, UHUGEINT, BIGNUM) and
//     DECIMAL are exact: JSON numbers are written from the decimal string,
//     never through float64. DECIMAL keeps its scale (1.50, not 1.5).
//   - Floats use the shortest exact representation; NaN and ±Inf become
//     JSON null and "NaN", "Infinity", "-Infinity" in the text formats.
//   - time.Time is RFC 3339 with fractional seconds only when non-zero
//     (UTC ends in "Z"); DATE columns give YYYY-MM-DD, TIME gives hh:mm:ss.
//   - BLOB ([]byte) that is valid UTF-8 is written as text. Otherwise it is
//     written the way DuckDB casts BLOB to VARCHAR: printable ASCII as is,
//     every other byte (and \ ' ") as \xHH, so '<text>'::BLOB restores the
//     bytes. A 16-byte BLOB in a UUID column is written as a UUID.
//   - INTERVAL is written as DuckDB's own text form ("1 year 2 days 01:00:00").
//   - LIST, STRUCT and MAP are nested JSON in JSON/NDJSON and compact JSON
//     text in the other formats. STRUCT fields follow the declared order
//     taken from the column type; MAP keys keep the driver's order and are
//     stringified.
//   - Table and markdown show control characters as escapes (\n, \t, \x1b)
//     so that data cannot break the layout or drive the terminal.
package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format names an output format.
type Format string

// The supported formats.
const (
	Table    Format = "table"
	CSV      Format = "csv"
	JSON     Format = "json"
	NDJSON   Format = "ndjson"
	Markdown Format = "markdown"
)

// Formats returns every supported format, in the order help text lists them.
func Formats() []Format {
	return []Format{Table, CSV, JSON, NDJSON, Markdown}
}

// ParseFormat accepts a format name, case-insensitively; "md" and "jsonl"
// are accepted as aliases of markdown and ndjson.
func ParseFormat(s string) (Format, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	switch name {
	case "md":
		return Markdown, nil
	case "jsonl":
		return NDJSON, nil
	}
	for _, f := range Formats() {
		if string(f) == name {
			return f, nil
		}
	}
	return "", unknownFormat(s)
}

func unknownFormat(s string) error {
	valid := Formats()
	names := make([]string, len(valid))
	for i, f := range valid {
		names[i] = string(f)
	}
	return fmt.Errorf("report: unknown format %q (valid: %s)", s, strings.Join(names, ", "))
}

// Column describes one result column.
type Column struct {
	Name string
	// Type is the DuckDB type name as reported by
	// sql.ColumnType.DatabaseTypeName, e.g. "BIGINT", "DECIMAL(10,2)",
	// "DATE", "INTEGER[]". It decides alignment and how some values render.
	// It may be empty.
	Type string
}

// DefaultBufferRows is how many rows the table format holds back to size its
// columns when Options.BufferRows is zero.
const DefaultBufferRows = 1000

// maxBufferedBytes also bounds the table buffer, whatever BufferRows says,
// so that a few huge cells cannot hold unbounded memory.
const maxBufferedBytes = 8 << 20

// Options tunes the writers. The zero value is usable.
type Options struct {
	// MaxWidth cuts table cells (and headers) longer than this many
	// characters, ending them with "…". Zero means no limit.
	MaxWidth int
	// Footer makes the table format print "(N rows)" after the rows.
	Footer bool
	// BufferRows is how many rows the table format buffers to compute
	// column widths before it writes anything; later rows reuse those
	// widths, and a longer cell then pushes its row out of line rather than
	// being cut. Zero means DefaultBufferRows.
	BufferRows int
	// CRLF ends CSV records with \r\n, as RFC 4180 specifies. By default
	// records end with \n, which is what Unix tools and DuckDB's COPY expect.
	CRLF bool
}

// Writer streams one result set. Begin must come first and End last; Row
// takes exactly one value per column. A Writer does not retain vals after
// Row returns, so the caller may reuse the slice. Output may be buffered
// until End.
type Writer interface {
	Begin(cols []Column) error
	Row(vals []any) error
	End() error
}

// NewWriter returns a Writer that renders format f onto w.
func NewWriter(w io.Writer, f Format, opt Options) (Writer, error) {
	if w == nil {
		return nil, errors.New("report: nil io.Writer")
	}
	out := &sink{w: w, format: f}
	switch f {
	case Table:
		return newTableWriter(out, opt), nil
	case CSV:
		return &csvWriter{out: out, crlf: opt.CRLF}, nil
	case JSON:
		return &jsonWriter{out: out, array: true}, nil
	case NDJSON:
		return &jsonWriter{out: out}, nil
	case Markdown:
		return &markdownWriter{out: out}, nil
	}
	return nil, unknownFormat(string(f))
}

// lifecycle enforces Begin → Row* → End for every writer and parses the
// column types once.
type lifecycle struct {
	cols  []Column
	types []*sqlType
	begun bool
	ended bool
	nrows int
}

func (l *lifecycle) begin(f Format, cols []Column) error {
	if l.begun {
		return fmt.Errorf("report: %s: Begin called twice", f)
	}
	l.begun = true
	l.cols = append([]Column(nil), cols...)
	l.types = make([]*sqlType, len(cols))
	for i, c := range cols {
		l.types[i] = parseType(c.Type)
	}
	return nil
}

func (l *lifecycle) row(f Format, vals []any) error {
	switch {
	case !l.begun:
		return fmt.Errorf("report: %s: Row before Begin", f)
	case l.ended:
		return fmt.Errorf("report: %s: Row after End", f)
	case len(vals) != len(l.cols):
		return fmt.Errorf("report: %s: row %d has %d values for %d columns", f, l.nrows+1, len(vals), len(l.cols))
	}
	l.nrows++
	return nil
}

func (l *lifecycle) end(f Format) error {
	switch {
	case !l.begun:
		return fmt.Errorf("report: %s: End before Begin", f)
	case l.ended:
		return fmt.Errorf("report: %s: End called twice", f)
	}
	l.ended = true
	return nil
}

// flushAt is the size at which a sink hands its buffer to the io.Writer.
const flushAt = 64 << 10

// sink batches small appends into few Write calls and keeps the first
// write error.
type sink struct {
	w      io.Writer
	format Format
	buf    []byte
	err    error
}

func (s *sink) maybeFlush() error {
	if len(s.buf) < flushAt {
		return s.err
	}
	return s.flush()
}

func (s *sink) flush() error {
	if s.err != nil || len(s.buf) == 0 {
		return s.err
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	if err != nil {
		s.err = fmt.Errorf("report: write %s: %w", s.format, err)
	}
	return s.err
}
