package ioc

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"threat_ip,threat_comment\n198.51.100.7,\"C2, reported\"\n203.0.113.0/24,\"a \"\"b\"\" \\\"c\\\"\"\n",
	"192.0.2.1\n192.0.2.0/24 # range\n2001:db8::/32 ; v6\n::/0\n0.0.0.0/0\nbad\n",
	"\"unterminated,\n,\n\"\",\"\"\n",
	`{"type":"bundle","objects":[{"type":"indicator","name":"x","pattern":"[ipv4-addr:value = '192.0.2.1' OR ipv6-addr:value ISSUBSET '2001:db8::/48']"},{"type":"indicator","pattern":"[network-traffic:dst_ref.value IN ('192.0.2.2','x')]"}]}`,
	`{"type":"indicator","pattern":"[ipv4-addr:value = t'2020' AND b'x' = h'00' NOT = 'y\\'"}`,
	"[{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value NOT = '1.2.3.4']\"}]",
	"\xef\xbb\xbf\xff\xfe192.0.2.1,\xff\n",
}

// checkList asserts what every parse must guarantee, whatever the input.
func checkList(t *testing.T, data []byte, l *List) {
	t.Helper()
	nlines := bytes.Count(data, []byte("\n")) + 1
	seen := map[string]bool{}
	for _, ind := range l.Indicators {
		p, _, err := ParseIndicator(ind.Value)
		if err != nil || p != ind.Prefix || Value(p) != ind.Value {
			t.Fatalf("indicator %q does not round-trip: %v %v", ind.Value, p, err)
		}
		if seen[ind.Value] {
			t.Fatalf("duplicate indicator %q", ind.Value)
		}
		seen[ind.Value] = true
		if ind.Line < 1 || ind.Line > nlines {
			t.Fatalf("indicator %q on line %d of %d", ind.Value, ind.Line, nlines)
		}
		for _, s := range []string{ind.Comment, ind.Original, ind.Ref} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 kept: %q", s)
			}
		}
	}
	for _, ps := range [][]Problem{l.Bad, l.Notes, l.Ignored} {
		for _, p := range ps {
			if p.Line < 0 || p.Line > nlines || !utf8.ValidString(p.Text) || p.Reason == "" {
				t.Fatalf("problem %+v (lines %d)", p, nlines)
			}
		}
	}
}

func fuzzFormat(f *testing.F, format Format) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data, Options{Format: format})
		if err != nil {
			if format != STIX && format != Auto {
				t.Fatalf("%s parse returned an error: %v", format, err)
			}
			return
		}
		checkList(t, data, l)
	})
}

func FuzzParseAuto(f *testing.F) { fuzzFormat(f, Auto) }
func FuzzParseCSV(f *testing.F)  { fuzzFormat(f, CSV) }
func FuzzParseText(f *testing.F) { fuzzFormat(f, Text) }
func FuzzParseSTIX(f *testing.F) { fuzzFormat(f, STIX) }

// FuzzSTIXPattern feeds patterns straight to the pattern scanner.
func FuzzSTIXPattern(f *testing.F) {
	for _, s := range []string{
		"[ipv4-addr:value = '192.0.2.1']",
		"[ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')] OR [ipv6-addr:value ISSUBSET '2001:db8::/32']",
		"[ipv4-addr:value NOT = 'x'] AND [ipv4-addr:value",
		"t'", "'\\", "[ipv4-addr:value IN (",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		vals, _, err := stixValues(pattern)
		if err != nil && len(vals) > 0 {
			t.Fatalf("values with an error: %v %v", vals, err)
		}
	})
}
