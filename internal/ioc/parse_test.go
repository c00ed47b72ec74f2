package ioc

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// got renders a parsed list compactly: indicators as "line:value|comment", problems as "line:reason".
func summarize(l *List) (inds, bad, ignored, notes []string) {
	for _, i := range l.Indicators {
		inds = append(inds, fmt.Sprintf("%d:%s|%s", i.Line, i.Value, i.Comment))
	}
	for _, p := range l.Bad {
		bad = append(bad, fmt.Sprintf("%d:%s", p.Line, p.Reason))
	}
	for _, p := range l.Ignored {
		ignored = append(ignored, fmt.Sprintf("%d:%s", p.Line, p.Reason))
	}
	for _, p := range l.Notes {
		notes = append(notes, fmt.Sprintf("%d:%s", p.Line, p.Reason))
	}
	return
}

func mustParse(t *testing.T, data string, opt Options) *List {
	t.Helper()
	l, err := Parse([]byte(data), opt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return l
}

func check(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestParseIndicator(t *testing.T) {
	ok := []struct{ in, want, remark string }{
		{"1.2.3.4", "1.2.3.4", ""},
		{" 1.2.3.4/32 ", "1.2.3.4", ""},
		{"0.0.0.0/0", "0.0.0.0/0", "matches every IPv4 address"},
		{"::/0", "::/0", "matches every IPv6 address"},
		{"10.1.2.3/8", "10.0.0.0/8", "host bits set; stored as 10.0.0.0/8"},
		{"2001:DB8::1", "2001:db8::1", ""},
		{"2001:db8:0:0:0:0:0:1/128", "2001:db8::1", ""},
		{"2001:db8::/32", "2001:db8::/32", ""},
		{"2001:db8::1/127", "2001:db8::/127", "host bits set; stored as 2001:db8::/127"},
		{"::ffff:192.0.2.1", "192.0.2.1", "IPv4-mapped IPv6 read as IPv4 192.0.2.1"},
		{"::ffff:192.0.2.0/120", "192.0.2.0/24", "IPv4-mapped IPv6 read as IPv4 192.0.2.0/24"},
		{"192.0.2[.]1", "192.0.2.1", "defanged notation read as 192.0.2.1"},
		{"2001[:]db8::5", "2001:db8::5", "defanged notation read as 2001:db8::5"},
	}
	for _, c := range ok {
		p, remark, err := ParseIndicator(c.in)
		if err != nil || Value(p) != c.want || remark != c.remark {
			t.Errorf("%q: got %s %q %v, want %s %q", c.in, Value(p), remark, err, c.want, c.remark)
		}
	}
	for _, in := range []string{"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "::/129", "1.2.3.4/-1",
		"fe80::1%eth0", "example.com", "1.2.3.4:443", "1.2.3.4/255.255.255.0", "2001:db8:::1", "1.2.3.4/"} {
		if p, _, err := ParseIndicator(in); err == nil {
			t.Errorf("%q: accepted as %s", in, p)
		}
	}
}

func TestParseCSV(t *testing.T) {
	// The playbook's file: header, quoted fields (with a comma, a doubled quote and an OpenCSVSerde
	// backslash escape), CRLF endings, a BOM, comments and blank lines, and lines to reject.
	data := "\xef\xbb\xbfthreat_ip,threat_comment\r\n" +
		"198.51.100.7,\"C2, reported by CERT\"\r\n" +
		"\r\n" +
		"# a comment line\r\n" +
		"203.0.113.0/24,\"range \"\"alpha\"\"\"\r\n" +
		"2001:db8::66,\"say \\\"hi\\\"\"\r\n" +
		"not-an-ip,whatever\r\n" +
		"\"198.51.100.9,unterminated\r\n" +
		"198.51.100.7,duplicate\r\n" +
		",empty indicator\r\n" +
		"0.0.0.0/0,everything\r\n" +
		"2001:db8::/128\r\n" +
		"  192.0.2.1  ,  padded  \r\n" +
		"192.0.2.2,no header needed, extra, fields\r\n"
	l := mustParse(t, data, Options{})
	if l.Format != CSV {
		t.Fatalf("format %s", l.Format)
	}
	inds, bad, _, notes := summarize(l)
	check(t, "indicators", inds, []string{
		"2:198.51.100.7|C2, reported by CERT",
		`5:203.0.113.0/24|range "alpha"`,
		`6:2001:db8::66|say "hi"`,
		"11:0.0.0.0/0|everything",
		"12:2001:db8::|",
		"13:192.0.2.1|padded",
		"14:192.0.2.2|no header needed",
	})
	check(t, "bad", bad, []string{
		"7:not an IPv4/IPv6 address or CIDR: unable to parse IP",
		"8:unterminated quoted field",
		"10:no indicator",
	})
	check(t, "notes", notes, []string{
		"9:duplicate of line 2 (198.51.100.7); first kept",
		"11:matches every IPv4 address",
	})
	if l.Duplicates != 1 {
		t.Errorf("duplicates %d", l.Duplicates)
	}

	// Without a header, every line is data and everything after the first comma is the comment.
	l = mustParse(t, "192.0.2.1,C2, second stage\n192.0.2.2\n", Options{Format: CSV})
	inds, bad, _, _ = summarize(l)
	check(t, "headerless", inds, []string{"1:192.0.2.1|C2, second stage", "2:192.0.2.2|"})
	check(t, "headerless bad", bad, nil)

	// A header naming other columns in another order.
	l = mustParse(t, "description,type,indicator\nbeacon,ip,192.0.2.9\n", Options{Format: CSV, DefaultComment: "feed"})
	inds, _, _, _ = summarize(l)
	check(t, "named columns", inds, []string{"2:192.0.2.9|beacon"})
	l = mustParse(t, "indicator\n192.0.2.9\n", Options{Format: CSV, DefaultComment: "from feed"})
	inds, _, _, _ = summarize(l)
	check(t, "default comment", inds, []string{"2:192.0.2.9|from feed"})
}

func TestParseText(t *testing.T) {
	data := "# feed: example\n" +
		"192.0.2.1\n" +
		"192.0.2.0/24   # the whole range\n" +
		"\t2001:db8::1 ; semicolon comment\n" +
		"2001:db8::/32 seen in phishing\n" +
		"1.2.3\n" +
		"192.0.2.1\n" +
		"10.0.0.0/33\n" +
		"\n" +
		"::/0\n" +
		"2001:db8::1:0:0:1/128\n" +
		"198.51.100.1/32\n" +
		"fe80::1%eth0\n" +
		"203.0.113[.]5"
	l := mustParse(t, data, Options{Name: "list.txt"})
	if l.Format != Text {
		t.Fatalf("format %s", l.Format)
	}
	inds, bad, _, notes := summarize(l)
	check(t, "indicators", inds, []string{
		"2:192.0.2.1|", "3:192.0.2.0/24|the whole range", "4:2001:db8::1|semicolon comment",
		"5:2001:db8::/32|seen in phishing", "10:::/0|", "11:2001:db8::1:0:0:1|", "12:198.51.100.1|", "14:203.0.113.5|",
	})
	check(t, "bad", bad, []string{
		"6:not an IPv4/IPv6 address or CIDR: IPv4 address too short",
		"8:not an IPv4/IPv6 CIDR: prefix length out of range",
		"13:not an IPv4/IPv6 address or CIDR: an address with a zone (%eth0) names a local interface",
	})
	check(t, "notes", notes, []string{
		"7:duplicate of line 2 (192.0.2.1); first kept",
		"10:matches every IPv6 address",
		"14:defanged notation read as 203.0.113.5",
	})
	// A one-column header line is not an error.
	l = mustParse(t, "threat_ip\n192.0.2.1\n", Options{Format: Text})
	if len(l.Bad) != 0 || len(l.Indicators) != 1 {
		t.Errorf("header line: %+v", l)
	}
}

func TestParseSTIX(t *testing.T) {
	data := `{
  "type": "bundle",
  "id": "bundle--1",
  "objects": [
    {"type": "identity", "id": "identity--1", "name": "CERT"},
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--a",
      "name": "C2 server", "pattern_type": "stix",
      "pattern": "[ipv4-addr:value = '198.51.100.7']"
    },
    {"type": "indicator", "id": "indicator--b", "name": "Range", "pattern_type": "stix",
     "pattern": "[ipv4-addr:value ISSUBSET '203.0.113.0/24'] OR [ipv6-addr:value = '2001:db8::bad']"},
    {"type": "indicator", "id": "indicator--c", "description": "described only", "pattern_type": "stix",
     "pattern": "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value IN ('192.0.2.1', '192.0.2.2')]"},
    {"type": "indicator", "id": "indicator--d", "name": "a domain", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'evil.example']"},
    {"type": "indicator", "id": "indicator--e", "name": "snort", "pattern_type": "snort", "pattern": "alert tcp any any"},
    {"type": "indicator", "id": "indicator--f", "name": "old", "revoked": true, "pattern": "[ipv4-addr:value = '192.0.2.99']"},
    {"type": "indicator", "id": "indicator--g", "name": "bad address", "pattern": "[ipv4-addr:value = '192.0.2.300']"},
    {"type": "indicator", "id": "indicator--h", "name": "broken", "pattern": "[ipv4-addr:value = '192.0.2.1"},
    {"type": "indicator", "id": "indicator--i", "name": 7, "pattern": "[ipv4-addr:value = '192.0.2.5']"},
    {"type": "indicator", "id": "indicator--j", "name": "negated", "pattern": "[ipv4-addr:value != '192.0.2.6']"},
    {"type": "indicator", "id": "indicator--k", "name": "escaped", "pattern": "[ipv4-addr:value = '192.0.2.7' AND x-y:z = 'it\\'s']"},
    {"type": "relationship", "id": "relationship--1"}
  ]
}`
	l := mustParse(t, data, Options{})
	if l.Format != STIX {
		t.Fatalf("format %s", l.Format)
	}
	inds, bad, ignored, notes := summarize(l)
	check(t, "indicators", inds, []string{
		"6:198.51.100.7|C2 server",
		"11:203.0.113.0/24|Range", "11:2001:db8::bad|Range",
		"13:192.0.2.1|described only", "13:192.0.2.2|described only",
		"23:192.0.2.7|escaped",
	})
	check(t, "bad", bad, []string{
		"19:not an IPv4/IPv6 address or CIDR: IPv4 field has value >255",
		"20:STIX pattern: unterminated string literal",
		"21:not a STIX object: json: cannot unmarshal number into Go struct field stixObject.name of type string",
	})
	check(t, "ignored", ignored, []string{
		"15:no ipv4-addr/ipv6-addr value in the pattern",
		"17:pattern_type snort is not a STIX pattern",
		"18:revoked indicator",
		"22:no ipv4-addr/ipv6-addr value in the pattern (negated comparison ipv4-addr:value ignored)",
		"0:1 objects of type identity are not indicators",
		"0:1 objects of type relationship are not indicators",
	})
	check(t, "notes", notes, []string{
		"13:pattern combines conditions with AND/FOLLOWEDBY; each address is hunted on its own",
		"23:pattern combines conditions with AND/FOLLOWEDBY; each address is hunted on its own",
	})
	if l.Indicators[0].Ref != "indicator--a" {
		t.Errorf("ref %q", l.Indicators[0].Ref)
	}

	// A single indicator, and a bare array.
	l = mustParse(t, `{"type":"indicator","name":"one","pattern":"[ipv6-addr:value = '2001:db8::/48']"}`, Options{})
	inds, _, _, _ = summarize(l)
	check(t, "single", inds, []string{"1:2001:db8::/48|one"})
	l = mustParse(t, "[\n{\"type\":\"indicator\",\"name\":\"x\",\"pattern\":\"[ipv4-addr:value = '192.0.2.1']\"}\n]", Options{})
	inds, _, _, _ = summarize(l)
	check(t, "array", inds, []string{"2:192.0.2.1|x"})
}

func TestParseSTIXErrors(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"{\n\"type\": \"bundle\",\n\"objects\": [\n{\"type\": \"indicator\",}\n]}", "line 4: invalid JSON"},
		{"{\"type\": \"bundle\", \"objects\": [\n{\"type\": \"indicator\"", "line 2: invalid JSON: the file ends in the middle"},
		{`{"type": "bundle", "objects": {}}`, "\"objects\" is not an array"},
		{`{"type": "identity"}`, "not a STIX bundle"},
		{`"just a string"`, "not a STIX bundle"},
		{`{"type": "bundle", "objects": []} {}`, "unexpected data after"},
	} {
		_, err := Parse([]byte(c.data), Options{Format: STIX})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.data, err, c.want)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       Format
	}{
		{"x", "  {\"type\":\"bundle\"}", STIX},
		{"x", "[]", STIX},
		{"x.json", "", STIX},
		{"x.csv", "192.0.2.1\n", CSV},
		{"x", "# c\n\n192.0.2.1,comment\n", CSV},
		{"x", "\"192.0.2.1\"\n", CSV},
		{"x", "# c\n192.0.2.1 # x, y\n", Text},
		{"x", "1.10.16.0/20 ; SBL256894, spamhaus\n", Text},
		{"x", "192.0.2.1,ticket #42\n", CSV},
		{"x", "", Text},
	} {
		if got := Detect(c.name, []byte(c.data)); got != c.want {
			t.Errorf("%s %q: %s, want %s", c.name, c.data, got, c.want)
		}
	}
}

// TestDemoList parses the synthetic dataset's iocs.csv shape: the CSV the playbook loads.
func TestDemoList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iocs.csv")
	body := "threat_ip,threat_comment\n74.85.207.89,\"Exfiltration endpoint, reported by partner CERT\"\n193.42.33.0/24,\"Mining pool range, stratum on 3333\"\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	l := mustParse(t, string(data), Options{Name: path})
	inds, bad, _, _ := summarize(l)
	check(t, "demo", inds, []string{"2:74.85.207.89|Exfiltration endpoint, reported by partner CERT", "3:193.42.33.0/24|Mining pool range, stratum on 3333"})
	check(t, "demo bad", bad, nil)
}
