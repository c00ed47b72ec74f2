// Package ioc is flowdig's threat-intel side: named indicator lists (the playbook's
// threat_ip,threat_comment CSV, plain text, STIX 2.1 bundles) parsed into IPv4/IPv6 prefixes,
// stored in the case, and matched against every address the records contain. Matching is done
// per distinct address in Go (an ipset index, never a loop over indicators); the flows are then
// joined to the matches on address equality by DuckDB.
package ioc

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/flowdig/flowdig/internal/ipset"
)

// Format is the syntax of an indicator list.
type Format string

// The list formats.
const (
	Auto Format = "auto"
	CSV  Format = "csv"  // threat_ip,threat_comment (the playbook's incident_iocs), header optional
	Text Format = "text" // one address or CIDR per line, # comments
	STIX Format = "stix" // a STIX 2.1 bundle of indicators
)

// ParseFormat accepts a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "", Auto:
		return Auto, nil
	case CSV, Text, STIX:
		return f, nil
	case "txt", "plain":
		return Text, nil
	case "json":
		return STIX, nil
	}
	return "", fmt.Errorf("unknown list format %q (want auto, csv, text or stix)", s)
}

// Indicator is one accepted list entry.
type Indicator struct {
	Prefix   netip.Prefix // canonical: masked; IPv4-mapped IPv6 mapped to IPv4
	Value    string       // Prefix as text: an address for /32 and /128, else a CIDR
	Original string       // as written in the list
	Comment  string
	Line     int    // 1-based line where it was read (STIX: where its object starts)
	Ref      string // STIX: the indicator's id
}

// Problem is a line that was skipped (Bad) or accepted with a remark (Note).
type Problem struct {
	Line   int
	Text   string // the offending text, shortened
	Reason string
}

// List is a parsed indicator list.
type List struct {
	Format     Format
	Indicators []Indicator // distinct values, in file order
	Bad        []Problem   // malformed lines or entries, skipped
	Ignored    []Problem   // well-formed entries that are not IP indicators (STIX domain patterns, revoked…)
	Notes      []Problem   // accepted, but changed or duplicated: worth telling the user
	Duplicates int
}

// Options tune parsing.
type Options struct {
	Format         Format // Auto detects from the name and content
	Name           string // file name, used as a format hint (.csv, .json, .txt)
	DefaultComment string // comment for indicators that have none
}

// Parse reads an indicator list. Bad lines are reported and skipped; an error is returned only
// when the input cannot be read as the format at all (e.g. a STIX file that is not JSON).
func Parse(data []byte, opt Options) (*List, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	f := opt.Format
	if f == "" || f == Auto {
		f = Detect(opt.Name, data)
	}
	p := &parser{list: &List{Format: f}, seen: map[string]int{}, defComment: opt.DefaultComment}
	var err error
	switch f {
	case CSV:
		p.csv(data)
	case Text:
		p.text(data)
	case STIX:
		err = p.stix(data)
	default:
		return nil, fmt.Errorf("unknown list format %q", f)
	}
	if err != nil {
		return nil, err
	}
	return p.list, nil
}

// Detect guesses a list's format: JSON is STIX; a .csv name, or a first data line with a comma
// or a quote, is CSV; anything else is plain text.
func Detect(name string, data []byte) Format {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return STIX
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".stix":
		return STIX
	case ".csv":
		return CSV
	}
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		l := bytes.TrimSpace(line)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		// A comma before any comment marker means fields; text lists may have commas in comments.
		comma, comment := bytes.IndexByte(l, ','), bytes.IndexAny(l, "#;")
		if comma >= 0 && (comment < 0 || comma < comment) || l[0] == '"' {
			return CSV
		}
		return Text
	}
	return Text
}

type parser struct {
	list       *List
	seen       map[string]int // value -> line of first occurrence
	defComment string
}

const maxShown = 120

// clean makes text safe to store and print: valid UTF-8, bounded length.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return s
}

func (p *parser) bad(line int, text, reason string) {
	p.list.Bad = append(p.list.Bad, Problem{Line: line, Text: clean(text, maxShown), Reason: reason})
}

func (p *parser) ignore(line int, text, reason string) {
	p.list.Ignored = append(p.list.Ignored, Problem{Line: line, Text: clean(text, maxShown), Reason: reason})
}

func (p *parser) note(line int, text, reason string) {
	p.list.Notes = append(p.list.Notes, Problem{Line: line, Text: clean(text, maxShown), Reason: reason})
}

// add parses one indicator value and records it, or reports why it cannot. Problems show
// shown (the whole line, for CSV) or else the value.
func (p *parser) add(line int, raw, comment, ref, shown string) {
	if shown == "" {
		shown = raw
	}
	pfx, remark, err := ParseIndicator(raw)
	if err != nil {
		p.bad(line, shown, err.Error())
		return
	}
	if remark != "" {
		p.note(line, shown, remark)
	}
	v := Value(pfx)
	if first, ok := p.seen[v]; ok {
		p.list.Duplicates++
		p.note(line, shown, fmt.Sprintf("duplicate of line %d (%s); first kept", first, v))
		return
	}
	p.seen[v] = line
	comment = strings.TrimSpace(comment)
	if comment == "" {
		comment = p.defComment
	}
	p.list.Indicators = append(p.list.Indicators, Indicator{
		Prefix: pfx, Value: v, Original: clean(strings.TrimSpace(raw), 0), Comment: clean(comment, 0), Line: line, Ref: clean(ref, 0),
	})
}

// Value renders a canonical prefix: the bare address for a single address, else the CIDR.
func Value(p netip.Prefix) string {
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.String()
}

// refang undoes the usual ways threat reports defang addresses: 1.2.3[.]4, 1(.)2(.)3(.)4, [:].
var refang = strings.NewReplacer("[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "(dot)", ".", "[:]", ":")

// ParseIndicator parses an IPv4 or IPv6 address or CIDR of any length. It returns the canonical
// prefix and, when the value had to be changed to get there, a remark saying how.
func ParseIndicator(raw string) (netip.Prefix, string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return netip.Prefix{}, "", fmt.Errorf("no indicator")
	}
	var remarks []string
	if r := refang.Replace(s); r != s {
		s = r
		remarks = append(remarks, "defanged notation read as "+s)
	}
	var p netip.Prefix
	if strings.Contains(s, "/") {
		q, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, "", fmt.Errorf("not an IPv4/IPv6 CIDR: %s", shortErr(err))
		}
		p = q
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, "", fmt.Errorf("not an IPv4/IPv6 address or CIDR: %s", shortErr(err))
		}
		if a.Zone() != "" {
			return netip.Prefix{}, "", fmt.Errorf("not an IPv4/IPv6 address or CIDR: an address with a zone (%%%s) names a local interface", a.Zone())
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	c := ipset.Canonical(p)
	if p.Addr().Is4In6() && c.Addr().Is4() {
		remarks = append(remarks, "IPv4-mapped IPv6 read as IPv4 "+Value(c))
	} else if c != p {
		remarks = append(remarks, "host bits set; stored as "+Value(c))
	}
	if c.Bits() == 0 {
		remarks = append(remarks, "matches every IPv"+map[bool]string{true: "4", false: "6"}[c.Addr().Is4()]+" address")
	}
	return c, strings.Join(remarks, "; "), nil
}

// shortErr drops netip's quoting of the whole input, which the report shows anyway.
func shortErr(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		return msg[i+3:]
	}
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
