package report

import "strings"

// sqlType is the part of a DuckDB type name that rendering needs: the base
// name, and for nested types their children. The driver scans STRUCT into a
// map[string]any, so the declared field order is only known from here.
type sqlType struct {
	base   string   // upper case, without parameters: "DECIMAL", "LIST", "STRUCT"
	elem   *sqlType // LIST/ARRAY element, MAP value
	key    *sqlType // MAP key
	fields []field  // STRUCT fields and UNION members, in declared order
}

type field struct {
	name string
	typ  *sqlType
}

// parseType reads names as DuckDB's DatabaseTypeName spells them, such as
// `DECIMAL(10,2)`, `INTEGER[]`, `VARCHAR[3]`, `MAP(VARCHAR, INTEGER)` and
// `STRUCT("a" INTEGER, "b c" DATE[])`. It never fails: whatever it does not
// understand is kept as a plain base name, and "" gives nil (unknown).
func parseType(s string) *sqlType {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.HasSuffix(s, "]") {
		if i := strings.LastIndexByte(s, '['); i > 0 {
			return &sqlType{base: "LIST", elem: parseType(s[:i])}
		}
	}
	base, args, hasArgs := s, "", false
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		base, args, hasArgs = s[:i], s[i+1:len(s)-1], true
	}
	t := &sqlType{base: strings.ToUpper(strings.TrimSpace(base))}
	if !hasArgs {
		return t
	}
	switch t.base {
	case "MAP":
		if parts := splitTop(args); len(parts) == 2 {
			t.key, t.elem = parseType(parts[0]), parseType(parts[1])
		}
	case "STRUCT", "UNION":
		for _, p := range splitTop(args) {
			if name, rest, ok := cutFieldName(p); ok {
				t.fields = append(t.fields, field{name: name, typ: parseType(rest)})
			}
		}
	}
	return t
}

// splitTop splits s at commas that are outside brackets and quotes.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and reopens: same result
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// cutFieldName splits `"name" TYPE` or `name TYPE`; "" inside a quoted name
// stands for one quote.
func cutFieldName(p string) (name, rest string, ok bool) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, `"`) {
		name, rest, ok = strings.Cut(p, " ")
		return name, rest, ok && name != ""
	}
	var b strings.Builder
	for i := 1; i < len(p); i++ {
		if p[i] != '"' {
			b.WriteByte(p[i])
			continue
		}
		if i+1 < len(p) && p[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		return b.String(), p[i+1:], true
	}
	return "", "", false
}

func (t *sqlType) baseName() string {
	if t == nil {
		return ""
	}
	return t.base
}

func (t *sqlType) element() *sqlType {
	if t == nil {
		return nil
	}
	return t.elem
}

func (t *sqlType) mapKey() *sqlType {
	if t == nil {
		return nil
	}
	return t.key
}

// member returns the type of a STRUCT field or UNION member, or nil.
func (t *sqlType) member(name string) *sqlType {
	if t == nil {
		return nil
	}
	for _, f := range t.fields {
		if f.name == name {
			return f.typ
		}
	}
	return nil
}

// numeric reports whether values of t are right-aligned in table output.
func (t *sqlType) numeric() bool {
	switch t.baseName() {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
		"INT1", "INT2", "INT4", "INT8", "INT", "SHORT", "LONG",
		"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8",
		"DECIMAL", "NUMERIC", "BIGNUM", "VARINT":
		return true
	}
	return false
}
