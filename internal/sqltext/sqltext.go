// Package sqltext reads the embedded SQL files the query catalogue and the detectors are made
// of: a header of "-- key: value" comment lines, then a body whose {{…}} placeholders are
// expanded when the SQL is rendered. It knows the syntax only; what a key or a placeholder
// means belongs to its user.
package sqltext

import (
	"fmt"
	"strings"
)

// Field is one header line, "-- key: value".
type Field struct {
	Key, Value string
}

// Header splits text into its leading comment lines and the rest. Comment lines with a
// "key: value" become fields in order (keys and values trimmed); other comments are skipped.
// The body is trimmed.
func Header(text string) (fields []Field, body string) {
	lines := strings.Split(text, "\n")
	i := 0
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, "--") {
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(l, "--")), ":")
		if !ok {
			continue // a plain comment
		}
		fields = append(fields, Field{Key: strings.TrimSpace(key), Value: strings.TrimSpace(val)})
	}
	return fields, strings.TrimSpace(strings.Join(lines[i:], "\n"))
}

// Expand copies body to a new string, writing in place of every {{token}} what expand writes
// for the trimmed token. An unclosed {{ is an error, as is any error expand returns.
func Expand(body string, expand func(b *strings.Builder, token string) error) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			b.WriteString(body)
			return b.String(), nil
		}
		j := strings.Index(body[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("unclosed {{")
		}
		b.WriteString(body[:i])
		if err := expand(&b, strings.TrimSpace(body[i+2:i+j])); err != nil {
			return "", err
		}
		body = body[i+j+2:]
	}
}
