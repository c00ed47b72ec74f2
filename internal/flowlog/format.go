package flowlog

import (
	"fmt"
	"strings"
)

// Slot is one position of a format: a documented field, or an unknown (newer) field kept by name.
type Slot struct {
	Field int    // index into the catalogue, or -1 for a field this version of flowdig does not know
	Name  string // the name as written in the format or header
}

// Format is the ordered list of fields of one flow log, from its header line or format string.
type Format struct {
	slots   []Slot
	present [NumFields]bool
	unknown int
}

// ParseFormat reads a format written as AWS's LogFormat (`${version} ${srcaddr}`) or as a header
// line (`version srcaddr`). Field names may use hyphens or the Athena underscore spelling.
func ParseFormat(s string) (*Format, error) {
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, fmt.Errorf("format: no fields in %q", s)
	}
	f := &Format{slots: make([]Slot, 0, len(toks))}
	seen := make(map[string]bool, len(toks))
	for _, t := range toks {
		name := t
		if strings.HasPrefix(t, "${") && strings.HasSuffix(t, "}") {
			name = t[2 : len(t)-1]
		}
		if !isFieldName(name) {
			return nil, fmt.Errorf("format: %q is not a field name (want e.g. srcaddr or ${srcaddr})", t)
		}
		idx, known := Lookup(name)
		key := name
		if known {
			key = catalog[idx].Name
		}
		if seen[key] {
			return nil, fmt.Errorf("format: field %q appears twice", name)
		}
		seen[key] = true
		f.add(idx, name)
	}
	return f, nil
}

// MustFormat is ParseFormat for formats known at compile time.
func MustFormat(s string) *Format {
	f, err := ParseFormat(s)
	if err != nil {
		panic(err)
	}
	return f
}

func (f *Format) add(idx int, name string) {
	f.slots = append(f.slots, Slot{Field: idx, Name: name})
	if idx >= 0 {
		f.present[idx] = true
	} else {
		f.unknown++
	}
}

// DetectHeader decides whether a first line is a header line: every token is a field name and at
// least one is a documented field. Data lines always contain a number, an address or "-", so they
// never qualify.
func DetectHeader(line []byte) (*Format, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, false
	}
	known := false
	for _, t := range toks {
		if !isFieldName(t) {
			return nil, false
		}
		if _, ok := Lookup(t); ok {
			known = true
		}
	}
	if !known {
		return nil, false
	}
	f, err := ParseFormat(s)
	if err != nil {
		return nil, false
	}
	return f, true
}

// isFieldName accepts lower-case names of letters, digits, '-' and '_', starting with a letter.
func isFieldName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Len is the number of fields per record.
func (f *Format) Len() int { return len(f.slots) }

// Slots returns the positions in order. The slice must not be modified.
func (f *Format) Slots() []Slot { return f.slots }

// Has reports whether the documented field with index i is part of the format.
func (f *Format) Has(i int) bool { return f.present[i] }

// Unknown is the number of fields flowdig does not know (kept by name).
func (f *Format) Unknown() int { return f.unknown }

// String is the format as a header line.
func (f *Format) String() string {
	names := make([]string, len(f.slots))
	for i, s := range f.slots {
		names[i] = s.Name
	}
	return strings.Join(names, " ")
}

// Missing returns the text names of the given documented fields the format lacks.
func (f *Format) Missing(fields ...int) []string {
	var out []string
	for _, i := range fields {
		if !f.present[i] {
			out = append(out, catalog[i].Name)
		}
	}
	return out
}
