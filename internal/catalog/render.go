package catalog

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/flowdig/flowdig/internal/sqltext"
)

// Dialect is the SQL engine an entry is rendered for.
type Dialect int

// The dialects. Entries are written in the SQL both engines share (Trino functions work in the
// case database through flowdig's macros); what differs is rendered here, in one place: table
// names, parameter markers, and the partition predicates Athena needs.
const (
	DuckDB Dialect = iota
	Athena
)

func (d Dialect) String() string {
	if d == Athena {
		return "athena"
	}
	return "duckdb"
}

// Target names the relations an entry reads.
type Target struct {
	Flows   string // Athena column names
	VPCFlow string // the playbook's column names
	IOCs    string // the playbook's incident_iocs (threat_ip, threat_comment)
	Dir     string // the playbook's incident_vpc_flow_directional view
	// Provenance orders rows that tie on time in a stable way: the ledger id and line number
	// locally, Athena's "$path" pseudo-column (the S3 object) there.
	Provenance string
	// Columns replaces {{columns}} (record listings) with the columns the data fills, so a
	// default-format case does not print forty empty columns; empty means SELECT *.
	Columns []string
}

// LocalTarget is the case database.
func LocalTarget() Target {
	return Target{Flows: "flows", VPCFlow: "vpcflow", IOCs: "incident_iocs", Dir: "incident_vpc_flow_directional",
		Provenance: "source_id, line_no"}
}

// AthenaTarget is flowdig's table and views in an Athena (Glue) database.
func AthenaTarget(database, table string) Target {
	q := func(n string) string { return quoteIdent(database) + "." + quoteIdent(n) }
	return Target{Flows: q(table), VPCFlow: q("vpcflow"), IOCs: q("incident_iocs"), Dir: q("incident_vpc_flow_directional"),
		Provenance: `"$path"`}
}

// Query is a rendered entry. For DuckDB, Args are named parameters for database/sql; for Athena
// they are the ExecutionParameters: SQL literals for the ? markers, in order.
type Query struct {
	SQL  string
	Args []any
}

// Render produces the SQL for dialect d. vals come from Values; f adds the common filters.
func (e *Entry) Render(d Dialect, t Target, vals map[string]any, f Filters) (*Query, error) {
	if f.Limit > 0 {
		if _, ok := e.Param("limit"); !ok {
			return nil, fmt.Errorf("%s does not take --limit", e.ID)
		}
		vals = withValue(vals, "limit", f.Limit)
	}
	r := &renderer{d: d, named: map[string]bool{}}
	text, err := sqltext.Expand(e.body, func(b *strings.Builder, tok string) error {
		switch {
		case tok == "flows":
			b.WriteString(t.Flows)
		case tok == "vpcflow":
			b.WriteString(t.VPCFlow)
		case tok == "iocs":
			b.WriteString(t.IOCs)
		case tok == "directional":
			b.WriteString(t.Dir)
		case tok == "provenance":
			b.WriteString(t.Provenance)
		case tok == "columns":
			if len(t.Columns) == 0 {
				b.WriteString("*")
			} else {
				quoted := make([]string, len(t.Columns))
				for i, c := range t.Columns {
					quoted[i] = quoteIdent(c)
				}
				b.WriteString(strings.Join(quoted, ", "))
			}
		case tok == "filter":
			if !e.Filters {
				return fmt.Errorf("{{filter}} in an entry without filters")
			}
			cl := f.clauses(d, r.bind)
			if len(cl) == 0 {
				b.WriteString("TRUE")
			} else {
				b.WriteString("(" + strings.Join(cl, " AND ") + ")")
			}
		case tok == "$limit":
			// LIMIT is the one value written into the text: DuckDB plans a top-N only for a
			// constant limit (a bound one sorts every group: twice as slow on 10M records), and
			// Trino takes no parameter there. It is a validated whole number, formatted here.
			n, ok := vals["limit"].(int64)
			if !ok {
				return fmt.Errorf("LIMIT needs an int parameter named limit")
			}
			b.WriteString(strconv.FormatInt(n, 10))
		case strings.HasPrefix(tok, "$"):
			v, ok := vals[tok[1:]]
			if !ok {
				return fmt.Errorf("parameter %s has no value", tok)
			}
			b.WriteString(r.bind(tok[1:], v))
		default:
			return fmt.Errorf("unknown placeholder {{%s}}", tok)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.ID, err)
	}
	return &Query{SQL: text, Args: r.args}, nil
}

func withValue(vals map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(vals)+1)
	for n, x := range vals {
		out[n] = x
	}
	out[k] = v
	return out
}

type renderer struct {
	d     Dialect
	args  []any
	named map[string]bool
}

// bind returns the marker for a value and records the value. A list becomes one marker per
// element, for use inside IN (…).
func (r *renderer) bind(name string, v any) string {
	if list, ok := v.([]int64); ok {
		marks := make([]string, len(list))
		for i, x := range list {
			marks[i] = r.bind(name+"_"+strconv.Itoa(i+1), x)
		}
		return strings.Join(marks, ", ")
	}
	if r.d == Athena {
		// Whole numbers are validated int64s and are written inline (Trino does not take
		// parameters everywhere); text goes in ExecutionParameters.
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10)
		}
		r.args = append(r.args, literal(v))
		return "?"
	}
	if !r.named[name] {
		r.named[name] = true
		r.args = append(r.args, sql.Named(name, v))
	}
	return "$" + name
}

// literal renders a validated value as a Trino literal, for Athena's ExecutionParameters.
func literal(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	panic(fmt.Sprintf("catalog: no literal for %T", v))
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Needs is every column the entry with these filters reads.
func (e *Entry) NeedsWith(f Filters) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range append(append([]string{}, e.Needs...), f.needs()...) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
