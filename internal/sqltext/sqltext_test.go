package sqltext

import (
	"fmt"
	"strings"
	"testing"
)

func TestHeader(t *testing.T) {
	text := "-- id: top-talkers\n  -- a plain comment\n-- note: first: with a colon\n--note:  second \nSELECT 1\n-- not header\n"
	fields, body := Header(text)
	want := []Field{{"id", "top-talkers"}, {"note", "first: with a colon"}, {"note", "second"}}
	if fmt.Sprint(fields) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
	if body != "SELECT 1\n-- not header" {
		t.Errorf("body %q", body)
	}
	if f, b := Header("SELECT 2"); len(f) != 0 || b != "SELECT 2" {
		t.Errorf("no header: %v %q", f, b)
	}
}

func TestExpand(t *testing.T) {
	var seen []string
	got, err := Expand("SELECT {{ columns }} FROM {{flows}} WHERE x = {{$x}}", func(b *strings.Builder, tok string) error {
		seen = append(seen, tok)
		b.WriteString("<" + tok + ">")
		return nil
	})
	if err != nil || got != "SELECT <columns> FROM <flows> WHERE x = <$x>" || len(seen) != 3 {
		t.Errorf("got %q %v %v", got, seen, err)
	}
	if _, err := Expand("SELECT {{x", func(*strings.Builder, string) error { return nil }); err == nil {
		t.Error("unclosed {{ accepted")
	}
	boom := fmt.Errorf("boom")
	if _, err := Expand("{{a}}", func(*strings.Builder, string) error { return boom }); err != boom {
		t.Errorf("error not passed on: %v", err)
	}
}
