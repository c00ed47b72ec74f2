package report

import (
	"encoding"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// appendText appends the text form of v used by table, CSV and markdown.
// null reports SQL NULL, which each format spells its own way; nothing is
// appended then.
func appendText(b []byte, v any, t *sqlType) (_ []byte, null bool) {
	if nb, ok := appendInteger(b, v); ok {
		return nb, false
	}
	switch v := v.(type) {
	case nil:
		return b, true
	case string:
		return append(b, v...), false
	case []byte:
		return appendBytes(b, v, t), false
	case bool:
		return strconv.AppendBool(b, v), false
	case float32:
		return appendFloat(b, float64(v), 32, false), false
	case float64:
		return appendFloat(b, v, 64, false), false
	case *big.Int:
		if v == nil {
			return b, true
		}
		return v.Append(b, 10), false
	case time.Time:
		return appendTime(b, v, t), false
	case duckdb.Decimal:
		if v.Value == nil {
			return b, true
		}
		return appendDecimal(b, v), false
	case duckdb.Interval:
		return appendInterval(b, v), false
	case duckdb.UUID:
		return appendUUID(b, v), false
	case *duckdb.UUID:
		if v == nil {
			return b, true
		}
		return appendUUID(b, *v), false
	case [16]byte:
		return appendUUID(b, v), false
	case duckdb.Union:
		return appendText(b, v.Value, t.member(v.Tag))
	case []any, map[string]any, duckdb.Map, duckdb.OrderedMap, *duckdb.OrderedMap:
		return appendJSON(b, v, t), false
	}
	return appendOther(b, v)
}

// appendOther renders types the driver does not produce today.
func appendOther(b []byte, v any) (_ []byte, null bool) {
	rv := reflect.ValueOf(v)
	if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice) && rv.IsNil() {
		return b, true
	}
	switch v := v.(type) {
	case fmt.Stringer:
		return append(b, v.String()...), false
	case encoding.TextMarshaler:
		if txt, err := v.MarshalText(); err == nil {
			return append(b, txt...), false
		}
	case error:
		return append(b, v.Error()...), false
	}
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
		return appendBytes(b, rv.Bytes(), nil), false
	}
	if isUUIDArray(rv) {
		var u [16]byte
		reflect.Copy(reflect.ValueOf(u[:]), rv)
		return appendUUID(b, u), false
	}
	return fmt.Append(b, v), false
}

func isUUIDArray(rv reflect.Value) bool {
	return rv.Kind() == reflect.Array && rv.Len() == 16 && rv.Type().Elem().Kind() == reflect.Uint8
}

// appendInteger handles every Go integer type; ok is false for anything else.
func appendInteger(b []byte, v any) (_ []byte, ok bool) {
	switch v := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(v), 10), true
	case int8:
		return strconv.AppendInt(b, int64(v), 10), true
	case int16:
		return strconv.AppendInt(b, int64(v), 10), true
	case int32:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case uint:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint8:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint16:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint64:
		return strconv.AppendUint(b, v, 10), true
	}
	return b, false
}

// appendFloat writes the shortest representation that parses back to f,
// switching to exponent form where encoding/json does (|f| < 1e-6 or
// >= 1e21). Non-finite values are NaN/Infinity/-Infinity, or null when
// json is set.
func appendFloat(b []byte, f float64, bits int, json bool) []byte {
	switch {
	case math.IsNaN(f) && json, math.IsInf(f, 0) && json:
		return append(b, "null"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// 1e-07 → 1e-7, as JavaScript and encoding/json write it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func appendTime(b []byte, v time.Time, t *sqlType) []byte {
	switch t.baseName() {
	case "DATE":
		if h, m, s := v.Clock(); h == 0 && m == 0 && s == 0 && v.Nanosecond() == 0 {
			return v.AppendFormat(b, time.DateOnly)
		}
	case "TIME":
		return v.AppendFormat(b, "15:04:05.999999999")
	case "TIMETZ", "TIME WITH TIME ZONE":
		return v.AppendFormat(b, "15:04:05.999999999Z07:00")
	}
	return v.AppendFormat(b, time.RFC3339Nano)
}

// appendDecimal keeps the declared scale, as DuckDB prints it: 1.50, 0.05.
func appendDecimal(b []byte, d duckdb.Decimal) []byte {
	digits := d.Value.Text(10)
	if digits[0] == '-' {
		b = append(b, '-')
		digits = digits[1:]
	}
	scale := int(d.Scale)
	if scale == 0 {
		return append(b, digits...)
	}
	if pad := scale + 1 - len(digits); pad > 0 {
		digits = strings.Repeat("0", pad) + digits
	}
	b = append(b, digits[:len(digits)-scale]...)
	b = append(b, '.')
	return append(b, digits[len(digits)-scale:]...)
}

// appendInterval writes DuckDB's text form of an INTERVAL, which DuckDB
// parses back: "1 year 2 months -3 days 04:05:06.5".
func appendInterval(b []byte, iv duckdb.Interval) []byte {
	start := len(b)
	unit := func(n int64, name string) {
		if n == 0 {
			return
		}
		if len(b) > start {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, n, 10)
		b = append(b, ' ')
		b = append(b, name...)
		if n != 1 && n != -1 {
			b = append(b, 's')
		}
	}
	unit(int64(iv.Months/12), "year")
	unit(int64(iv.Months%12), "month")
	unit(int64(iv.Days), "day")
	if iv.Micros == 0 && len(b) > start {
		return b
	}
	if len(b) > start {
		b = append(b, ' ')
	}
	micros := uint64(iv.Micros)
	if iv.Micros < 0 {
		b = append(b, '-')
		micros = -micros // two's complement keeps math.MinInt64 exact
	}
	hours := micros / uint64(time.Hour/time.Microsecond)
	rest := micros % uint64(time.Hour/time.Microsecond)
	if hours < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendUint(b, hours, 10)
	b = append(b, ':')
	b = appendTwo(b, rest/60e6)
	b = append(b, ':')
	b = appendTwo(b, rest/1e6%60)
	if frac := rest % 1e6; frac != 0 {
		for frac%10 == 0 {
			frac /= 10
		}
		b = append(b, '.')
		b = fmt.Appendf(b, "%0*d", fracDigits(rest%1e6), frac)
	}
	return b
}

// fracDigits is how many of a microsecond fraction's six digits are
// significant: 500000 → 1, 123450 → 5.
func fracDigits(frac uint64) int {
	n := 6
	for frac%10 == 0 {
		frac /= 10
		n--
	}
	return n
}

func appendTwo(b []byte, n uint64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

func appendUUID(b []byte, u [16]byte) []byte {
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	hex.Encode(s[9:13], u[4:6])
	hex.Encode(s[14:18], u[6:8])
	hex.Encode(s[19:23], u[8:10])
	hex.Encode(s[24:], u[10:])
	s[8], s[13], s[18], s[23] = '-', '-', '-', '-'
	return append(b, s[:]...)
}

// appendBytes: see the package comment for why valid UTF-8 is kept as text
// and anything else gets DuckDB's \xHH escapes.
func appendBytes(b, v []byte, t *sqlType) []byte {
	if len(v) == 16 && t.baseName() == "UUID" {
		return appendUUID(b, [16]byte(v))
	}
	if utf8.Valid(v) {
		return append(b, v...)
	}
	const digits = "0123456789ABCDEF"
	for _, c := range v {
		if c >= 0x20 && c <= 0x7e && c != '\\' && c != '\'' && c != '"' {
			b = append(b, c)
			continue
		}
		b = append(b, '\\', 'x', digits[c>>4], digits[c&0xf])
	}
	return b
}
