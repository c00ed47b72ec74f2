package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{
		"table": Table, "CSV": CSV, " json ": JSON, "ndjson": NDJSON, "jsonl": NDJSON,
		"markdown": Markdown, "md": Markdown,
	} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParseFormat("xml")
	if err == nil {
		t.Fatal("ParseFormat(xml) succeeded")
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), string(f)) {
			t.Errorf("error %q does not list %q", err, f)
		}
	}
	if _, err := NewWriter(&bytes.Buffer{}, Format("md"), Options{}); err == nil {
		t.Error("NewWriter accepted an alias that ParseFormat should have resolved")
	}
}

func TestCSVQuoting(t *testing.T) {
	db := openDB(t)
	const q = `SELECT 'plain' AS a, 'x,y' AS "b,c", 'say "hi"' AS d, 'line' || chr(10) || 'break' AS e,
		'' AS empty, NULL::VARCHAR AS "null", ' pad ' AS sp, 'cr' || chr(13) AS cr`
	want := "a,\"b,c\",d,e,empty,null,sp,cr\n" +
		"plain,\"x,y\",\"say \"\"hi\"\"\",\"line\nbreak\",\"\",, pad ,\"cr\r\"\n"
	if got := render(t, db, CSV, Options{}, q); got != want {
		t.Errorf("csv\n got: %q\nwant: %q", got, want)
	}
	wantCRLF := "a,\"b,c\",d,e,empty,null,sp,cr\r\n" +
		"plain,\"x,y\",\"say \"\"hi\"\"\",\"line\nbreak\",\"\",, pad ,\"cr\r\"\r\n"
	if got := render(t, db, CSV, Options{CRLF: true}, q); got != wantCRLF {
		t.Errorf("csv crlf\n got: %q\nwant: %q", got, wantCRLF)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	const q = `SELECT 'a|b' || chr(10) || 'c' AS "x|y", 42 AS n, NULL::VARCHAR AS z,
		'back\' AS bs, '<b>&' AS h, 'tab' || chr(9) || 'esc' || chr(27) AS ctl`
	want := "| x\\|y | n | z | bs | h | ctl |\n" +
		"| --- | ---: | --- | --- | --- | --- |\n" +
		"| a\\|b<br>c | 42 | NULL | back\\\\ | &lt;b&gt;&amp; | tab\\tesc\\x1b |\n"
	if got := render(t, openDB(t), Markdown, Options{}, q); got != want {
		t.Errorf("markdown\n got: %s\nwant: %s", got, want)
	}
}

func TestTableLayout(t *testing.T) {
	db := openDB(t)
	const q = `SELECT * FROM (VALUES ('alpha', 1, NULL), ('b', 22, 'x' || chr(9) || 'y')) t(name, n, note)`
	want := "" +
		"name    n  note\n" +
		"-----  --  ----\n" +
		"alpha   1  NULL\n" +
		"b      22  x\\ty\n" +
		"(2 rows)\n"
	if got := render(t, db, Table, Options{Footer: true}, q); got != want {
		t.Errorf("table\n got:\n%s\nwant:\n%s", got, want)
	}

	empty := render(t, db, Table, Options{Footer: true}, "SELECT 1 AS x WHERE false")
	if want := "x\n-\n(0 rows)\n"; empty != want {
		t.Errorf("empty table %q, want %q", empty, want)
	}
}

func TestTableMaxWidth(t *testing.T) {
	const q = `SELECT 'abcdefgh' AS long_name, 'h€llo wörld' AS s, 12345678 AS n`
	want := "" +
		"lon…  s        n\n" +
		"----  ----  ----\n" +
		"abc…  h€l…  123…\n"
	if got := render(t, openDB(t), Table, Options{MaxWidth: 4}, q); got != want {
		t.Errorf("table\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestTableBufferCap(t *testing.T) {
	// Widths are fixed by the first two rows; the third is written as it
	// comes and pushes its line out rather than being cut.
	cols := []Column{{"s", "VARCHAR"}, {"n", "BIGINT"}}
	got := renderValues(t, Table, Options{BufferRows: 2}, cols,
		[]any{"a", int64(1)}, []any{"bb", int64(2)}, []any{"cccc", int64(333)})
	want := "" +
		"s   n\n" +
		"--  -\n" +
		"a   1\n" +
		"bb  2\n" +
		"cccc  333\n"
	if got != want {
		t.Errorf("table\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestJSONEmptyAndDuplicateNames(t *testing.T) {
	db := openDB(t)
	if got := render(t, db, JSON, Options{}, "SELECT 1 AS a WHERE false"); got != "[]\n" {
		t.Errorf("empty json = %q", got)
	}
	if got := render(t, db, NDJSON, Options{}, "SELECT 1 AS a WHERE false"); got != "" {
		t.Errorf("empty ndjson = %q", got)
	}
	got := render(t, db, JSON, Options{}, "SELECT 1 AS a, 2 AS a, 3 AS a_1 UNION ALL SELECT 4, 5, 6")
	want := "[\n{\"a\":1,\"a_2\":2,\"a_1\":3},\n{\"a\":4,\"a_2\":5,\"a_1\":6}\n]\n"
	if got != want {
		t.Errorf("json\n got: %q\nwant: %q", got, want)
	}
}

func TestWriterLifecycle(t *testing.T) {
	for _, f := range Formats() {
		w, _ := NewWriter(&bytes.Buffer{}, f, Options{})
		if err := w.Row([]any{1}); err == nil {
			t.Errorf("%s: Row before Begin succeeded", f)
		}
		if err := w.Begin([]Column{{Name: "a"}}); err != nil {
			t.Fatalf("%s: Begin: %v", f, err)
		}
		if err := w.Row([]any{1, 2}); err == nil {
			t.Errorf("%s: Row with 2 values for 1 column succeeded", f)
		}
		if err := w.End(); err != nil {
			t.Errorf("%s: End: %v", f, err)
		}
		if err := w.Row([]any{1}); err == nil {
			t.Errorf("%s: Row after End succeeded", f)
		}
	}
	if _, err := NewWriter(nil, JSON, Options{}); err == nil {
		t.Error("NewWriter(nil) succeeded")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorSurfaces(t *testing.T) {
	for _, f := range Formats() {
		w, _ := NewWriter(failingWriter{}, f, Options{})
		_ = w.Begin([]Column{{Name: "a"}})
		_ = w.Row([]any{"x"})
		err := w.End()
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: End = %v, want the write error", f, err)
		}
	}
}
