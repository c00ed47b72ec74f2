package detect

import (
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/flowdig/flowdig/internal/sqltext"
)

// rendered is SQL with its named parameters.
type rendered struct {
	SQL  string
	Args []any
	Used map[string]any // the values bound, by placeholder name
}

// render replaces {{$name}} with bound parameters (a list becomes one parameter per element,
// for IN (…); an empty list becomes NULL), {{#name}} with a whole number, and {{name}} with
// the text in lit (column lists: never user values).
func render(body string, vals map[string]any, lit map[string]string) (*rendered, error) {
	r := &rendered{Used: map[string]any{}}
	seen := map[string]bool{}
	bind := func(name string, v any) string {
		if !seen[name] {
			seen[name] = true
			r.Args = append(r.Args, sql.Named(name, v))
		}
		return "$" + name
	}
	text, err := sqltext.Expand(body, func(b *strings.Builder, tok string) error {
		if name, ok := strings.CutPrefix(tok, "#"); ok {
			// A whole number written into the text, where DuckDB takes no parameter (window
			// frame offsets). It comes from validated rules, never from the user as text.
			n, ok := vals[name].(int64)
			if !ok {
				return fmt.Errorf("literal %s needs a whole number", name)
			}
			b.WriteString(strconv.FormatInt(n, 10))
			return nil
		}
		name, isParam := strings.CutPrefix(tok, "$")
		if !isParam {
			s, ok := lit[tok]
			if !ok {
				return fmt.Errorf("unknown placeholder {{%s}}", tok)
			}
			b.WriteString(s)
			return nil
		}
		v, ok := vals[name]
		if !ok {
			return fmt.Errorf("parameter %s has no value", name)
		}
		r.Used[name] = v
		switch list := v.(type) {
		case []int64:
			b.WriteString(bindList(name, len(list), func(k int) any { return list[k] }, bind))
		case []string:
			b.WriteString(bindList(name, len(list), func(k int) any { return list[k] }, bind))
		default:
			b.WriteString(bind(name, v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.SQL = text
	return r, nil
}

func bindList(name string, n int, at func(int) any, bind func(string, any) string) string {
	if n == 0 {
		return "NULL"
	}
	marks := make([]string, n)
	for k := range n {
		marks[k] = bind(name+"_"+strconv.Itoa(k+1), at(k))
	}
	return strings.Join(marks, ", ")
}

// bindArgs turns stored evidence parameters back into named arguments, expanding lists the
// way render did.
func bindArgs(used map[string]any) []any {
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []any
	for _, n := range names {
		switch list := used[n].(type) {
		case []int64:
			for k, x := range list {
				out = append(out, sql.Named(n+"_"+strconv.Itoa(k+1), x))
			}
		case []string:
			for k, x := range list {
				out = append(out, sql.Named(n+"_"+strconv.Itoa(k+1), x))
			}
		default:
			out = append(out, sql.Named(n, list))
		}
	}
	return out
}
