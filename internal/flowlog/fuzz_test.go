package flowlog

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary lines to parsers of several formats. No input may panic, and a line
// that parses must only yield values taken from the line and within their documented ranges.
func FuzzParse(f *testing.F) {
	formats := []*Format{
		MustFormat(DefaultFormat),
		MustFormat("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status"),
		MustFormat("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr"),
		MustFormat("version srcaddr brand-new-field traffic-path"),
	}
	for _, s := range []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
		"- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5",
		"11 2001:db8::1 x 8",
		DefaultFormat,
		"\xff\xfe 1 2",
	} {
		for i := range formats {
			f.Add([]byte(s), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, line []byte, which uint8) {
		fm := formats[int(which)%len(formats)]
		p := NewParser(fm)
		var r Record
		err := p.Parse(line, &r)
		DetectHeader(line)
		// The single-pass parser must agree with split-then-ParseTokens (the Parquet path).
		var r2 Record
		err2 := p.ParseTokens(bytes.FieldsFunc(line, func(c rune) bool { return c == ' ' || c == '\t' || c == '\r' }), &r2)
		if !utf8.Valid(line) {
			err2 = &LineError{Reason: "invalid UTF-8"}
		}
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Parse error %v, ParseTokens error %v for %q", err, err2, line)
		}
		if err != nil {
			return
		}
		for i := 0; i < NumFields; i++ {
			if r.Valid[i] != r2.Valid[i] || r.Valid[i] && (r.Int[i] != r2.Int[i] || !bytes.Equal(r.Str[i], r2.Str[i])) {
				t.Fatalf("field %s differs between parsers for %q", catalog[i].Name, line)
			}
		}
		for i := 0; i < NumFields; i++ {
			if !r.Valid[i] {
				continue
			}
			if !fm.Has(i) {
				t.Fatalf("field %s valid but not in format", catalog[i].Name)
			}
			fd := catalog[i]
			switch {
			case fd.IsInteger():
				if r.Int[i] < 0 || fd.Kind == KindPort && r.Int[i] > 65535 || fd.Kind == KindProtocol && r.Int[i] > 255 {
					t.Fatalf("%s = %d out of range", fd.Name, r.Int[i])
				}
			default:
				if len(r.Str[i]) == 0 || !bytes.Contains(line, r.Str[i]) {
					t.Fatalf("%s = %q not taken from the line", fd.Name, r.Str[i])
				}
			}
		}
	})
}

func BenchmarkParseDefault(b *testing.B) {
	line := []byte("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
	p := NewParser(MustFormat(DefaultFormat))
	var r Record
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Parse(line, &r); err != nil {
			b.Fatal(err)
		}
	}
}
