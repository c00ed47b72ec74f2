package flowlog

import (
	"bytes"
	"fmt"
	"net/netip"
	"unicode/utf8"
	"unsafe"
)

// Record holds one parsed line. Slices point into the line passed to Parse and are valid only
// until the caller reuses that buffer; sinks copy what they keep.
type Record struct {
	Valid [NumFields]bool   // the field is in the format and its value is not "-"
	Int   [NumFields]int64  // integer fields
	Str   [NumFields][]byte // text fields (addresses, IDs, action, log-status)
	Extra []ExtraValue      // unknown fields, in format order
}

// ExtraValue is the value of a field flowdig does not know. Value is nil for "-".
type ExtraValue struct {
	Name  string
	Value []byte
}

// LineError is a problem with a whole line (field count, encoding).
type LineError struct{ Reason string }

func (e *LineError) Error() string { return e.Reason }

// FieldError names the field whose value is invalid.
type FieldError struct {
	Field  string // text name, e.g. "dstport"
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("field %s: %s (value %q)", e.Field, e.Reason, e.Value)
}

// Parser parses lines of one format. It is not safe for concurrent use; make one per goroutine.
type Parser struct {
	slots []Slot
	kinds []Kind
	toks  [][]byte
}

// NewParser returns a parser for lines written in format f.
func NewParser(f *Format) *Parser {
	p := &Parser{slots: f.slots, kinds: make([]Kind, len(f.slots)), toks: make([][]byte, 0, len(f.slots)+1)}
	for i, s := range f.slots {
		if s.Field >= 0 {
			p.kinds[i] = catalog[s.Field].Kind
		}
	}
	return p
}

// sepTable marks the field separators: AWS writes single spaces, but runs of spaces, tabs and a
// trailing CR (files edited on Windows) are tolerated.
var sepTable = [256]bool{' ': true, '\t': true, '\r': true}

// Parse splits and validates one line into r in a single pass. On error r is partially written
// and must not be used.
func (p *Parser) Parse(line []byte, r *Record) error {
	var hi byte // OR of all bytes seen: non-ASCII lines get a full UTF-8 check
	i, n := 0, len(line)
	r.Extra = r.Extra[:0]
	for si := range p.slots {
		for i < n && sepTable[line[i]] {
			i++
		}
		if i == n {
			return p.lineErr(line, si)
		}
		start := i
		f := p.slots[si].Field
		k := p.kinds[si]
		if f >= 0 && k >= KindInt32 && k <= KindProtocol {
			var v uint64
			bad := false
			for i < n {
				c := line[i]
				if sepTable[c] {
					break
				}
				hi |= c
				if d := c - '0'; d <= 9 {
					v = v*10 + uint64(d)
				} else {
					bad = true
				}
				i++
			}
			tok := line[start:i]
			if len(tok) == 1 && tok[0] == '-' {
				r.Valid[f] = false
				continue
			}
			if bad || len(tok) > 19 {
				if hi >= 0x80 && !utf8.Valid(line) {
					return &LineError{Reason: "invalid UTF-8"}
				}
				if !bad {
					return fieldErr(f, tok, fmt.Sprintf("out of range 0..%d", kindMax(k)))
				}
				return fieldErr(f, tok, "not a non-negative integer")
			}
			if v > kindMax(k) {
				return fieldErr(f, tok, fmt.Sprintf("out of range 0..%d", kindMax(k)))
			}
			r.Int[f] = int64(v)
			r.Valid[f] = true
			continue
		}
		if k == KindAddr && f >= 0 {
			// Validate dotted-quad IPv4 while scanning; anything else goes to netip below.
			octets, digits, val, v4 := 0, 0, 0, true
			for i < n {
				c := line[i]
				if sepTable[c] {
					break
				}
				hi |= c
				if d := c - '0'; d <= 9 {
					v4 = v4 && !(digits == 1 && val == 0) && digits < 3
					val = val*10 + int(d)
					digits++
				} else if c == '.' {
					v4 = v4 && digits > 0 && val <= 255
					octets++
					digits, val = 0, 0
				} else {
					v4 = false
				}
				i++
			}
			tok := line[start:i]
			if v4 && octets == 3 && digits > 0 && val <= 255 {
				r.Str[f] = tok
				r.Valid[f] = true
				continue
			}
			if len(tok) == 1 && tok[0] == '-' {
				r.Valid[f] = false
				continue
			}
			if err := parseValue(k, f, tok, r); err != nil {
				if hi >= 0x80 && !utf8.Valid(line) {
					return &LineError{Reason: "invalid UTF-8"}
				}
				return err
			}
			r.Valid[f] = true
			continue
		}
		for i < n && !sepTable[line[i]] {
			hi |= line[i]
			i++
		}
		tok := line[start:i]
		null := len(tok) == 1 && tok[0] == '-'
		if f < 0 {
			if null {
				tok = nil
			}
			r.Extra = append(r.Extra, ExtraValue{Name: p.slots[si].Name, Value: tok})
			continue
		}
		if null {
			r.Valid[f] = false
			continue
		}
		if err := parseValue(k, f, tok, r); err != nil {
			if hi >= 0x80 && !utf8.Valid(line) {
				return &LineError{Reason: "invalid UTF-8"}
			}
			return err
		}
		r.Valid[f] = true
	}
	for i < n && sepTable[line[i]] {
		i++
	}
	if i < n {
		return p.lineErr(line, len(p.slots))
	}
	if hi >= 0x80 && !utf8.Valid(line) {
		return &LineError{Reason: "invalid UTF-8"}
	}
	return nil
}

// lineErr explains a field-count mismatch; it is off the hot path, so it re-splits the line.
func (p *Parser) lineErr(line []byte, _ int) error {
	if !utf8.Valid(line) {
		return &LineError{Reason: "invalid UTF-8"}
	}
	got := 0
	for i := 0; i < len(line); {
		for i < len(line) && sepTable[line[i]] {
			i++
		}
		if i == len(line) {
			break
		}
		got++
		for i < len(line) && !sepTable[line[i]] {
			i++
		}
	}
	return &LineError{Reason: fmt.Sprintf("wrong field count: %d fields, format has %d", got, len(p.slots))}
}

func kindMax(k Kind) uint64 {
	switch k {
	case KindPort:
		return 65535
	case KindProtocol:
		return 255
	case KindInt32:
		return 1<<31 - 1
	}
	return 1<<63 - 1
}

// ParseTokens validates one value per slot ("-" meaning NULL), as Parse does after splitting a
// line. Readers of columnar files (Parquet) use it so every value passes the same checks.
func (p *Parser) ParseTokens(toks [][]byte, r *Record) error {
	if len(toks) != len(p.slots) {
		return &LineError{Reason: fmt.Sprintf("wrong field count: %d values, format has %d", len(toks), len(p.slots))}
	}
	r.Extra = r.Extra[:0]
	for i, tok := range toks {
		s := p.slots[i]
		null := len(tok) == 1 && tok[0] == '-'
		if s.Field < 0 {
			if null {
				tok = nil
			}
			r.Extra = append(r.Extra, ExtraValue{Name: s.Name, Value: tok})
			continue
		}
		if null {
			r.Valid[s.Field] = false
			continue
		}
		if err := parseValue(p.kinds[i], s.Field, tok, r); err != nil {
			return err
		}
		r.Valid[s.Field] = true
	}
	return nil
}

func parseValue(k Kind, f int, tok []byte, r *Record) error {
	switch k {
	case KindString:
		r.Str[f] = tok
	case KindAddr:
		if !validAddr(tok) {
			return fieldErr(f, tok, "not an IP address")
		}
		r.Str[f] = tok
	case KindAction:
		if string(tok) != "ACCEPT" && string(tok) != "REJECT" {
			return fieldErr(f, tok, "unknown action (want ACCEPT, REJECT or -)")
		}
		r.Str[f] = tok
	case KindLogStatus:
		if string(tok) != "OK" && string(tok) != "NODATA" && string(tok) != "SKIPDATA" {
			return fieldErr(f, tok, "unknown log-status (want OK, NODATA, SKIPDATA or -)")
		}
		r.Str[f] = tok
	default:
		v, ok := parseUint(tok)
		if !ok {
			if len(tok) > 19 && bytes.IndexFunc(tok, func(c rune) bool { return c < '0' || c > '9' }) < 0 {
				return fieldErr(f, tok, fmt.Sprintf("out of range 0..%d", kindMax(k)))
			}
			return fieldErr(f, tok, "not a non-negative integer")
		}
		if v > kindMax(k) {
			return fieldErr(f, tok, fmt.Sprintf("out of range 0..%d", kindMax(k)))
		}
		r.Int[f] = int64(v)
	}
	return nil
}

func fieldErr(f int, tok []byte, reason string) error {
	v := string(tok)
	if len(v) > 80 {
		v = v[:80] + "…"
	}
	return &FieldError{Field: catalog[f].Name, Value: v, Reason: reason}
}

// parseUint reads a whole number of at most 19 digits (every field fits in an int64, whose
// largest value has 19), as the single-pass parser does: longer runs of digits, even leading
// zeros, are out of range. It rejects signs and empty input.
func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		if v > (1<<64-1-uint64(d))/10 {
			return 0, false
		}
		v = v*10 + uint64(d)
	}
	return v, true
}

// validAddr accepts dotted-quad IPv4 (fast path, no allocation) and anything netip accepts
// without a zone for addresses containing ':'.
func validAddr(b []byte) bool {
	for _, c := range b {
		if c == ':' {
			a, err := netip.ParseAddr(unsafe.String(unsafe.SliceData(b), len(b)))
			return err == nil && a.Zone() == ""
		}
	}
	return validIPv4(b)
}

func validIPv4(b []byte) bool {
	if len(b) < 7 || len(b) > 15 {
		return false
	}
	octets, digits, val := 0, 0, 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == '.' {
			if digits == 0 || val > 255 {
				return false
			}
			octets++
			digits, val = 0, 0
			continue
		}
		d := b[i] - '0'
		if d > 9 || (digits == 1 && val == 0) { // no leading zeros, as netip
			return false
		}
		val = val*10 + int(d)
		digits++
		if digits > 3 {
			return false
		}
	}
	return octets == 4
}
