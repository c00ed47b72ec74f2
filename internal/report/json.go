package report

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// jsonWriter writes either one JSON array of objects (array) or one object
// per line (NDJSON). Keys are written in column order by hand, since a Go
// map would lose it.
type jsonWriter struct {
	lifecycle
	out   *sink
	array bool
	keys  [][]byte // `"name":`, precomputed and made unique
}

func (w *jsonWriter) format() Format {
	if w.array {
		return JSON
	}
	return NDJSON
}

func (w *jsonWriter) Begin(cols []Column) error {
	if err := w.begin(w.format(), cols); err != nil {
		return err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	for _, name := range uniqueNames(names) {
		w.keys = append(w.keys, append(appendJSONString(nil, name), ':'))
	}
	return nil
}

func (w *jsonWriter) Row(vals []any) error {
	if err := w.row(w.format(), vals); err != nil {
		return err
	}
	b := w.out.buf
	if w.array {
		if w.nrows == 1 {
			b = append(b, "[\n"...)
		} else {
			b = append(b, ",\n"...)
		}
	}
	b = append(b, '{')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, w.keys[i]...)
		b = appendJSON(b, v, w.types[i])
	}
	b = append(b, '}')
	if !w.array {
		b = append(b, '\n')
	}
	w.out.buf = b
	return w.out.maybeFlush()
}

func (w *jsonWriter) End() error {
	if err := w.end(w.format()); err != nil {
		return err
	}
	if w.array {
		if w.nrows == 0 {
			w.out.buf = append(w.out.buf, "[]\n"...)
		} else {
			w.out.buf = append(w.out.buf, "\n]\n"...)
		}
	}
	return w.out.flush()
}

// uniqueNames suffixes repeated column names (a, a_1, a_2) so that no JSON
// object has duplicate keys, which most decoders silently collapse.
func uniqueNames(names []string) []string {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		seen[n] = true
	}
	out := make([]string, len(names))
	used := make(map[string]bool, len(names))
	for i, n := range names {
		name := n
		for k := 1; used[name]; k++ {
			if name = n + "_" + strconv.Itoa(k); seen[name] {
				name = n // taken by another column: try the next suffix
			}
		}
		used[name] = true
		out[i] = name
	}
	return out
}

// appendJSON appends v as a JSON value. Integers, *big.Int and DECIMAL are
// written from their exact decimal digits.
func appendJSON(b []byte, v any, t *sqlType) []byte {
	if nb, ok := appendInteger(b, v); ok {
		return nb
	}
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case float32:
		return appendFloat(b, float64(v), 32, true)
	case float64:
		return appendFloat(b, v, 64, true)
	case *big.Int:
		if v == nil {
			return append(b, "null"...)
		}
		return v.Append(b, 10)
	case duckdb.Decimal:
		if v.Value == nil {
			return append(b, "null"...)
		}
		return appendDecimal(b, v)
	case string:
		return appendJSONString(b, v)
	case duckdb.Union:
		return appendJSON(b, v.Value, t.member(v.Tag))
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e, t.element())
		}
		return append(b, ']')
	case map[string]any:
		return appendStruct(b, v, t)
	case duckdb.OrderedMap:
		return appendMap(b, v.Keys(), v.Values(), t)
	case *duckdb.OrderedMap:
		if v == nil {
			return append(b, "null"...)
		}
		return appendMap(b, v.Keys(), v.Values(), t)
	case duckdb.Map:
		return appendGoMap(b, v, t)
	case []byte, time.Time, duckdb.Interval, duckdb.UUID, *duckdb.UUID, [16]byte:
		return appendQuotedText(b, v, t)
	}
	return appendJSONOther(b, v)
}

// appendQuotedText writes the text form of v as a JSON string.
func appendQuotedText(b []byte, v any, t *sqlType) []byte {
	txt, null := appendText(nil, v, t)
	if null {
		return append(b, "null"...)
	}
	return appendJSONString(b, string(txt))
}

// appendStruct writes STRUCT fields in their declared order; fields the
// type does not name (or all of them, when it is unknown) follow sorted.
func appendStruct(b []byte, m map[string]any, t *sqlType) []byte {
	b = append(b, '{')
	n := 0
	field := func(k string, ft *sqlType) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSON(b, m[k], ft)
	}
	var declared map[string]bool
	if t != nil && len(t.fields) > 0 {
		declared = make(map[string]bool, len(t.fields))
		for _, f := range t.fields {
			if _, ok := m[f.name]; ok && !declared[f.name] {
				declared[f.name] = true
				field(f.name, f.typ)
			}
		}
	}
	if len(declared) < len(m) {
		rest := make([]string, 0, len(m)-len(declared))
		for k := range m {
			if !declared[k] {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			field(k, nil)
		}
	}
	return append(b, '}')
}

// appendMap writes a MAP as an object whose keys are the keys' text forms.
func appendMap(b []byte, keys, vals []any, t *sqlType) []byte {
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kt, null := appendText(nil, k, t.mapKey())
		if null {
			kt = append(kt, "NULL"...)
		}
		b = appendJSONString(b, string(kt))
		b = append(b, ':')
		b = appendJSON(b, vals[i], t.element())
	}
	return append(b, '}')
}

// appendGoMap orders the keys of an unordered duckdb.Map by their text so
// that output is deterministic.
func appendGoMap(b []byte, m duckdb.Map, t *sqlType) []byte {
	type entry struct {
		key string
		val any
	}
	entries := make([]entry, 0, len(m))
	for k, v := range m {
		kt, _ := appendText(nil, k, t.mapKey())
		entries = append(entries, entry{string(kt), v})
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
	keys, vals := make([]any, len(entries)), make([]any, len(entries))
	for i, e := range entries {
		keys[i], vals[i] = e.key, e.val
	}
	return appendMap(b, keys, vals, &sqlType{base: "MAP", elem: t.element()})
}

// appendJSONOther renders types the driver does not produce today: the
// type's own JSON if it has one, numbers and strings by kind, otherwise text.
func appendJSONOther(b []byte, v any) []byte {
	rv := reflect.ValueOf(v)
	if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice) && rv.IsNil() {
		return append(b, "null"...)
	}
	if m, ok := v.(json.Marshaler); ok {
		if raw, err := m.MarshalJSON(); err == nil {
			var buf bytes.Buffer
			if json.Compact(&buf, raw) == nil {
				return append(b, buf.Bytes()...)
			}
		}
	}
	_, isText := v.(encoding.TextMarshaler)
	_, isStringer := v.(fmt.Stringer)
	if !isText && !isStringer {
		switch rv.Kind() {
		case reflect.Bool:
			return strconv.AppendBool(b, rv.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return strconv.AppendInt(b, rv.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return strconv.AppendUint(b, rv.Uint(), 10)
		case reflect.Float32:
			return appendFloat(b, rv.Float(), 32, true)
		case reflect.Float64:
			return appendFloat(b, rv.Float(), 64, true)
		case reflect.String:
			return appendJSONString(b, rv.String())
		case reflect.Slice, reflect.Array:
			if rv.Type().Elem().Kind() != reflect.Uint8 {
				b = append(b, '[')
				for i := range rv.Len() {
					if i > 0 {
						b = append(b, ',')
					}
					b = appendJSON(b, rv.Index(i).Interface(), nil)
				}
				return append(b, ']')
			}
		}
	}
	txt, _ := appendOther(nil, v)
	return appendJSONString(b, string(txt))
}

// appendJSONString quotes s without encoding/json's HTML escaping, which
// would turn "<" into \u003c in terminal output. Invalid UTF-8 becomes
// U+FFFD, as in encoding/json.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid inside JavaScript string literals.
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
