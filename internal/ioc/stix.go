package ioc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// stixObject is the part of a STIX 2.x object an IP hunt needs.
type stixObject struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Pattern     string `json:"pattern"`
	PatternType string `json:"pattern_type"` // 2.1; absent in 2.0, where patterns are STIX
	Revoked     bool   `json:"revoked"`
}

// stix reads a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}), a bare array of objects,
// or a single indicator object. Indicators whose pattern compares ipv4-addr:value or
// ipv6-addr:value (or a network-traffic src_ref/dst_ref value) with = , IN or ISSUBSET give one
// indicator per address or CIDR, commented with the indicator's name. Other objects and other
// indicators are listed as ignored. A file that is not valid JSON is an error: nothing after
// the damage could be trusted to be complete.
func (p *parser) stix(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lc := &lineCounter{data: data}
	tok, err := dec.Token()
	if err != nil {
		return lc.jsonErr(dec, err)
	}
	ignored := map[string]int{}
	switch tok {
	case json.Delim('['):
		if err := p.stixArray(dec, lc, ignored); err != nil {
			return err
		}
	case json.Delim('{'):
		top := map[string]json.RawMessage{}
		sawObjects := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return lc.jsonErr(dec, err)
			}
			key, _ := kt.(string)
			if key == "objects" && !sawObjects {
				sawObjects = true
				t, err := dec.Token()
				if err != nil {
					return lc.jsonErr(dec, err)
				}
				if t != json.Delim('[') {
					return fmt.Errorf("line %d: STIX bundle: \"objects\" is not an array", lc.lineAt(int(dec.InputOffset())))
				}
				if err := p.stixArray(dec, lc, ignored); err != nil {
					return err
				}
				continue
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return lc.jsonErr(dec, err)
			}
			top[key] = raw
		}
		if _, err := dec.Token(); err != nil {
			return lc.jsonErr(dec, err)
		}
		var typ string
		_ = json.Unmarshal(top["type"], &typ)
		if !sawObjects {
			if typ != "indicator" {
				return errors.New("not a STIX bundle: no \"objects\" array and not an indicator")
			}
			var o stixObject
			if err := json.Unmarshal(data, &o); err != nil {
				p.bad(1, "indicator", "not a STIX indicator: "+err.Error())
			} else {
				p.stixIndicator(lc.lineAt(bytes.IndexByte(data, '{')), o, ignored)
			}
		} else if typ != "" && typ != "bundle" {
			p.note(1, typ, "top-level type is not \"bundle\"; its objects were read anyway")
		}
	default:
		return errors.New("not a STIX bundle: the file is not a JSON object or array")
	}
	if _, err := dec.Token(); err == nil {
		return fmt.Errorf("line %d: unexpected data after the STIX bundle", lc.lineAt(int(dec.InputOffset())))
	} else if !errors.Is(err, io.EOF) {
		return lc.jsonErr(dec, err)
	}
	kinds := make([]string, 0, len(ignored))
	for k := range ignored {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		p.ignore(0, k, fmt.Sprintf("%d objects of type %s are not indicators", ignored[k], k))
	}
	return nil
}

// stixArray reads the elements of an array whose '[' was just read, up to its ']'.
func (p *parser) stixArray(dec *json.Decoder, lc *lineCounter, ignored map[string]int) error {
	for dec.More() {
		line := lc.lineAt(lc.valueStart(int(dec.InputOffset())))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return lc.jsonErr(dec, err)
		}
		var o stixObject
		if err := json.Unmarshal(raw, &o); err != nil {
			p.bad(line, string(raw), "not a STIX object: "+err.Error())
			continue
		}
		if o.Type != "indicator" {
			t := o.Type
			if t == "" {
				t = "(none)"
			}
			ignored[t]++
			continue
		}
		p.stixIndicator(line, o, ignored)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return lc.jsonErr(dec, err)
	}
	return nil
}

func (p *parser) stixIndicator(line int, o stixObject, ignored map[string]int) {
	label := o.ID
	if label == "" {
		label = o.Pattern
	}
	if o.Revoked {
		p.ignore(line, label, "revoked indicator")
		return
	}
	if o.PatternType != "" && o.PatternType != "stix" {
		p.ignore(line, label, "pattern_type "+o.PatternType+" is not a STIX pattern")
		return
	}
	if strings.TrimSpace(o.Pattern) == "" {
		p.bad(line, label, "indicator without a pattern")
		return
	}
	vals, remarks, err := stixValues(o.Pattern)
	if err != nil {
		p.bad(line, o.Pattern, "STIX pattern: "+err.Error())
		return
	}
	if len(vals) == 0 {
		reason := "no ipv4-addr/ipv6-addr value in the pattern"
		if len(remarks) > 0 {
			reason += " (" + strings.Join(remarks, "; ") + ")"
		}
		p.ignore(line, o.Pattern, reason)
		return
	}
	for _, r := range remarks {
		p.note(line, o.Pattern, r)
	}
	comment := o.Name
	if comment == "" {
		comment = o.Description
	}
	if comment == "" {
		comment = o.ID
	}
	for _, v := range vals {
		p.add(line, v, comment, o.ID, "")
	}
}

// stixValues returns the addresses and CIDRs a STIX pattern compares IP objects with.
func stixValues(pattern string) (vals, remarks []string, err error) {
	toks, err := stixTokens(pattern)
	if err != nil {
		return nil, nil, err
	}
	conj := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokWord {
			switch strings.ToUpper(t.text) {
			case "AND", "FOLLOWEDBY":
				conj = true
			}
		}
		if t.kind != tokWord || !ipPath(t.text) {
			continue
		}
		j := i + 1
		neg := false
		if j < len(toks) && toks[j].kind == tokWord && strings.EqualFold(toks[j].text, "NOT") {
			neg, j = true, j+1
		}
		if j >= len(toks) {
			break
		}
		op := strings.ToUpper(toks[j].text)
		switch {
		case neg || op == "!=" || op == "<>":
			remarks = append(remarks, "negated comparison "+t.text+" ignored")
		case (op == "=" || op == "==" || op == "ISSUBSET") && j+1 < len(toks) && toks[j+1].kind == tokString:
			vals = append(vals, toks[j+1].text)
			i = j + 1
		case op == "IN" && j+1 < len(toks) && toks[j+1].text == "(":
			k := j + 2
			for ; k < len(toks) && toks[k].text != ")"; k++ {
				if toks[k].kind == tokString {
					vals = append(vals, toks[k].text)
				}
			}
			i = k
		default:
			remarks = append(remarks, fmt.Sprintf("comparison %s %s ignored", t.text, toks[j].text))
		}
	}
	if conj && len(vals) > 0 {
		remarks = append(remarks, "pattern combines conditions with AND/FOLLOWEDBY; each address is hunted on its own")
	}
	return vals, remarks, nil
}

// ipPath reports whether an object path names an IP address value.
func ipPath(s string) bool {
	switch strings.ToLower(s) {
	case "ipv4-addr:value", "ipv6-addr:value",
		"network-traffic:src_ref.value", "network-traffic:dst_ref.value":
		return true
	}
	return false
}

type tokKind int

const (
	tokWord   tokKind = iota // object paths, keywords, numbers
	tokString                // a quoted literal, unescaped
	tokPunct                 // [ ] ( ) , and comparison operators
)

type token struct {
	kind tokKind
	text string
}

// stixTokens splits a STIX pattern into words, string literals and punctuation. Only string
// literals need care: they may contain anything, with \' and \\ escaped.
func stixTokens(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || ((c == 't' || c == 'b' || c == 'h') && i+1 < len(s) && s[i+1] == '\'' && (i == 0 || !wordByte(s[i-1]))):
			if c != '\'' {
				i++ // t'…' timestamp, b'…' binary, h'…' hex literal
			}
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(s) {
				if s[j] == '\\' && j+1 < len(s) {
					b.WriteByte(s[j+1])
					j += 2
					continue
				}
				if s[j] == '\'' {
					closed = true
					j++
					break
				}
				b.WriteByte(s[j])
				j++
			}
			if !closed {
				return nil, errors.New("unterminated string literal")
			}
			toks = append(toks, token{tokString, b.String()})
			i = j
		case strings.IndexByte("[](),", c) >= 0:
			toks = append(toks, token{tokPunct, string(c)})
			i++
		case strings.IndexByte("=!<>", c) >= 0:
			j := i + 1
			if j < len(s) && strings.IndexByte("=>", s[j]) >= 0 {
				j++
			}
			toks = append(toks, token{tokPunct, s[i:j]})
			i = j
		case wordByte(c):
			j := i
			for j < len(s) && wordByte(s[j]) {
				j++
			}
			toks = append(toks, token{tokWord, s[i:j]})
			i = j
		default:
			i++ // anything else cannot start a token we look at
		}
	}
	return toks, nil
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == ':' || c == '.' || c == '*' || c >= 0x80
}

// lineCounter maps byte offsets to line numbers, counting forward from the last answer.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (lc *lineCounter) lineAt(off int) int {
	if off < 0 {
		off = 0
	}
	if off > len(lc.data) {
		off = len(lc.data)
	}
	if off < lc.off {
		lc.off, lc.line = 0, 0
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte("\n"))
	lc.off = off
	return lc.line + 1
}

// valueStart skips the whitespace and comma between the decoder's offset and the next value.
func (lc *lineCounter) valueStart(off int) int {
	for off < len(lc.data) && strings.IndexByte(" \t\r\n,", lc.data[off]) >= 0 {
		off++
	}
	return off
}

func (lc *lineCounter) jsonErr(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	off := int(dec.InputOffset())
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("line %d: invalid JSON: the file ends in the middle of the bundle", lc.lineAt(len(lc.data)))
	}
	return fmt.Errorf("line %d: invalid JSON: %v", lc.lineAt(off), err)
}
