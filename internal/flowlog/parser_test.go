package flowlog

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func samplePath(name string) string {
	return filepath.Join("..", "..", "testdata", "samples", name)
}

func readLines(t *testing.T, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(samplePath(name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		out = append(out, bytes.Clone(sc.Bytes()))
	}
	return out
}

func mustParse(t *testing.T, f *Format, line string) *Record {
	t.Helper()
	var r Record
	if err := NewParser(f).Parse([]byte(line), &r); err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	return &r
}

func idx(t *testing.T, name string) int {
	t.Helper()
	i, ok := Lookup(name)
	if !ok {
		t.Fatalf("no field %s", name)
	}
	return i
}

// The AWS documentation's example records, with the format SOURCES.md gives for each file.
func TestParseAWSDocSamples(t *testing.T) {
	cases := []struct {
		file   string
		format string
		lines  int
		check  func(t *testing.T, line int, r *Record)
	}{
		{"aws-docs-v2-default-noheader.log", DefaultFormat, 7, func(t *testing.T, line int, r *Record) {
			if line == 0 && (r.Int[FBytes] != 4249 || string(r.Str[FAction]) != "ACCEPT" || r.Int[FDstPort] != 22) {
				t.Errorf("line 1: bytes=%d action=%s dstport=%d", r.Int[FBytes], r.Str[FAction], r.Int[FDstPort])
			}
		}},
		{"aws-docs-v3-tcp-flag-sequence-noheader.log",
			"version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
			8, func(t *testing.T, line int, r *Record) {
				tf := idx(t, "tcp-flags")
				switch line {
				case 0: // bytes come before packets in this format
					if r.Int[FBytes] != 568 || r.Int[FPackets] != 8 || r.Int[tf] != 2 {
						t.Errorf("line 1: bytes=%d packets=%d flags=%d", r.Int[FBytes], r.Int[FPackets], r.Int[tf])
					}
				case 5:
					if r.Int[FBytes] != 23294588 {
						t.Errorf("line 6 bytes = %d", r.Int[FBytes])
					}
				case 7: // the doc's double space
					if r.Int[FDstPort] != 43638 || string(r.Str[idx(t, "pkt-srcaddr")]) != "10.0.0.62" || r.Int[tf] != 19 {
						t.Errorf("line 8: dstport=%d pkt-srcaddr=%s flags=%d", r.Int[FDstPort], r.Str[idx(t, "pkt-srcaddr")], r.Int[tf])
					}
				}
			}},
		{"aws-docs-custom-nat-gateway-noheader.log", "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr", 6,
			func(t *testing.T, line int, r *Record) {
				inst := idx(t, "instance-id")
				if line == 0 && r.Valid[inst] {
					t.Errorf("instance-id '-' must be NULL, got %q", r.Str[inst])
				}
				if line == 5 && string(r.Str[inst]) != "i-01234567890123456" {
					t.Errorf("line 6 instance-id = %q", r.Str[inst])
				}
			}},
		{"aws-docs-v3-transit-gateway-path-noheader.log",
			"version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status",
			4, nil},
		{"aws-docs-v5-traffic-path-noheader.log",
			"version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status",
			2, func(t *testing.T, line int, r *Record) {
				tp, dir := idx(t, "traffic-path"), idx(t, "flow-direction")
				if line == 0 && (r.Valid[tp] || string(r.Str[dir]) != "ingress" || string(r.Str[idx(t, "pkt-src-aws-service")]) != "S3") {
					t.Errorf("line 1: traffic-path valid=%v dir=%s", r.Valid[tp], r.Str[dir])
				}
				if line == 1 && (r.Int[tp] != 8 || string(r.Str[dir]) != "egress") {
					t.Errorf("line 2: traffic-path=%d dir=%s", r.Int[tp], r.Str[dir])
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := ParseFormat(c.format)
			if err != nil {
				t.Fatal(err)
			}
			lines := readLines(t, c.file)
			if len(lines) != c.lines {
				t.Fatalf("%d lines, want %d", len(lines), c.lines)
			}
			if _, ok := DetectHeader(lines[0]); ok {
				t.Fatalf("data line taken for a header: %s", lines[0])
			}
			p := NewParser(f)
			for i, l := range lines {
				var r Record
				if err := p.Parse(l, &r); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				if c.check != nil {
					c.check(t, i, &r)
				}
			}
		})
	}
}

func TestParseSamplesWithHeader(t *testing.T) {
	for _, name := range []string{"otel-s3-v2-with-header-nodata.log", "otel-s3-tgw-v6-with-header.log", "otel-s3-ecs-v7-fields-with-header.log"} {
		t.Run(name, func(t *testing.T) {
			lines := readLines(t, name)
			f, ok := DetectHeader(lines[0])
			if !ok {
				t.Fatalf("header not detected: %s", lines[0])
			}
			if f.Unknown() != 0 {
				t.Errorf("%d unknown fields in %s", f.Unknown(), f)
			}
			var r Record
			if err := NewParser(f).Parse(lines[1], &r); err != nil {
				t.Fatal(err)
			}
			switch name {
			case "otel-s3-v2-with-header-nodata.log":
				if r.Valid[FSrcAddr] || r.Valid[FBytes] || r.Valid[FAction] || string(r.Str[FLogStatus]) != "NODATA" || !r.Valid[FStart] {
					t.Errorf("NODATA record: %+v", r.Valid)
				}
			case "otel-s3-tgw-v6-with-header.log":
				if r.Int[idx(t, "packets-lost-ttl-expired")] != 4 || string(r.Str[idx(t, "tgw-id")]) != "tgw-0abc12345def67890" {
					t.Errorf("TGW record parsed wrong")
				}
			case "otel-s3-ecs-v7-fields-with-header.log":
				if string(r.Str[idx(t, "ecs-service-name")]) != "my-service" {
					t.Errorf("ecs-service-name = %q", r.Str[idx(t, "ecs-service-name")])
				}
			}
		})
	}
}

func TestFormatParsing(t *testing.T) {
	f, err := ParseFormat("${version} ${srcaddr}  ${new-field-v12} dstaddr")
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 4 || f.Unknown() != 1 || !f.Has(FSrcAddr) || f.Has(FBytes) {
		t.Fatalf("format = %s, len %d, unknown %d", f, f.Len(), f.Unknown())
	}
	if got := f.String(); got != "version srcaddr new-field-v12 dstaddr" {
		t.Errorf("String() = %q", got)
	}
	if got := f.Missing(FSrcAddr, FBytes, FStart); strings.Join(got, ",") != "bytes,start" {
		t.Errorf("Missing = %v", got)
	}
	for _, bad := range []string{"", "   ", "version version", "version pkt_srcaddr pkt-srcaddr", "Version", "ver$ion", "${}", "10.0.0.1"} {
		if _, err := ParseFormat(bad); err == nil {
			t.Errorf("ParseFormat(%q) accepted", bad)
		}
	}
	if f, err := ParseFormat("pkt_srcaddr start"); err != nil || !f.Has(idx(t, "pkt-srcaddr")) {
		t.Errorf("underscore names: %v", err)
	}
}

func TestDetectHeader(t *testing.T) {
	yes := []string{DefaultFormat, DefaultFormat + "\r", "srcaddr dstaddr brand-new-field"}
	no := []string{"", "brand-new-field other-field", "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
		"i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5", "version version"}
	for _, s := range yes {
		if _, ok := DetectHeader([]byte(s)); !ok {
			t.Errorf("DetectHeader(%q) = false", s)
		}
	}
	for _, s := range no {
		if _, ok := DetectHeader([]byte(s)); ok {
			t.Errorf("DetectHeader(%q) = true", s)
		}
	}
}

func TestParseRejects(t *testing.T) {
	f := MustFormat(DefaultFormat)
	good := "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	mustParse(t, f, good)
	mustParse(t, f, "  "+strings.ReplaceAll(good, " ", " \t ")+"\r")
	cases := []struct {
		line, field, reason string
	}{
		{strings.Replace(good, " OK", "", 1), "", "wrong field count"},
		{good + " extra", "", "wrong field count"},
		{strings.Replace(good, " 4249 ", " 42x9 ", 1), "bytes", "not a non-negative integer"},
		{strings.Replace(good, " 22 ", " 70000 ", 1), "dstport", "out of range 0..65535"},
		{strings.Replace(good, " 6 20 ", " 256 20 ", 1), "protocol", "out of range 0..255"},
		{strings.Replace(good, " 20 4249", " -20 4249", 1), "packets", "not a non-negative integer"},
		{strings.Replace(good, " 4249 ", " 99999999999999999999 ", 1), "bytes", "out of range"},
		{strings.Replace(good, " 4249 ", " 9223372036854775808 ", 1), "bytes", "out of range"},
		{strings.Replace(good, "172.31.16.139", "172.31.16.256", 1), "srcaddr", "not an IP address"},
		{strings.Replace(good, "172.31.16.139", "172.031.16.1", 1), "srcaddr", "not an IP address"},
		{strings.Replace(good, "172.31.16.139", "fe80::1%eth0", 1), "srcaddr", "not an IP address"},
		{strings.Replace(good, "ACCEPT", "ALLOW", 1), "action", "unknown action"},
		{strings.Replace(good, " OK", " FINE", 1), "log-status", "unknown log-status"},
		{strings.Replace(good, "eni-", "eni-\xff", 1), "", "invalid UTF-8"},
	}
	p := NewParser(f)
	for _, c := range cases {
		var r Record
		err := p.Parse([]byte(c.line), &r)
		if err == nil {
			t.Errorf("accepted %q", c.line)
			continue
		}
		if !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%q: error %q, want %q", c.line, err, c.reason)
		}
		var fe *FieldError
		if got := errors.As(err, &fe); got != (c.field != "") || (got && fe.Field != c.field) {
			t.Errorf("%q: field error %v, want field %q", c.line, err, c.field)
		}
	}
	r := mustParse(t, f, strings.Replace(good, "172.31.16.139", "2001:db8::1", 1))
	if string(r.Str[FSrcAddr]) != "2001:db8::1" {
		t.Errorf("IPv6 srcaddr = %q", r.Str[FSrcAddr])
	}
	r = mustParse(t, f, strings.Replace(good, " 4249 ", " 9223372036854775807 ", 1))
	if r.Int[FBytes] != 1<<63-1 {
		t.Errorf("max bytes = %d", r.Int[FBytes])
	}
}

func TestParseUnknownFields(t *testing.T) {
	f := MustFormat("version srcaddr encryption-status next-hop-vpc-id")
	r := mustParse(t, f, "10 10.0.0.1 1 -")
	if len(r.Extra) != 2 || r.Extra[0].Name != "encryption-status" || string(r.Extra[0].Value) != "1" || r.Extra[1].Value != nil {
		t.Fatalf("extra = %+v", r.Extra)
	}
}

func TestParseUint(t *testing.T) {
	for s, want := range map[string]uint64{"0": 0, "007": 7, "9999999999999999999": 9999999999999999999} {
		if v, ok := parseUint([]byte(s)); !ok || v != want {
			t.Errorf("parseUint(%s) = %d, %v", s, v, ok)
		}
	}
	for _, s := range []string{"", "+1", "-1", "1.0", "18446744073709551615", "00000000000000000000", "99999999999999999999", "1e3"} {
		if _, ok := parseUint([]byte(s)); ok {
			t.Errorf("parseUint(%q) accepted", s)
		}
	}
}
