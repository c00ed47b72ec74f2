// Package catalog is the playbook as data: every query the "Analyzing VPC Flow Logs" playbook
// and the VPC console's Athena integration name is an embedded .sql file with a metadata header
// (id, AWS name, title, parameters, fields it needs, deviations from AWS). One source renders
// for DuckDB (the local case) and for Amazon Athena (Trino); parameters are validated by type
// and bound, never spliced into the SQL text.
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/flowdig/flowdig/internal/sqltext"
)

//go:embed queries/*.sql
var files embed.FS

// Entry is one catalogue query.
type Entry struct {
	ID          string   // stable kebab-case id, e.g. "top-talkers"
	AWSName     string   // the console's named-query name, e.g. "VpcFlowLogsTopTalkers" ("" for playbook entries)
	Title       string   // one line
	Description string   // what it answers
	Kind        string   // "named" (the 16 Athena named queries) or "deep-dive" (the playbook's own queries)
	Needs       []string // columns the query reads (Athena names), checked against the data
	Params      []Param
	Notes       []string // deviations from AWS, dialect remarks
	Filters     bool     // the common filters (--from/--to/--account/…) apply
	body        string
	file        string
}

// Catalog is the set of entries, in a stable order (named queries first, then deep dives).
type Catalog struct {
	entries []*Entry
	byName  map[string]*Entry
}

// Load parses the embedded entries.
func Load() (*Catalog, error) {
	names, err := fs.Glob(files, "queries/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	c := &Catalog{byName: map[string]*Entry{}}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		e, err := parseEntry(path.Base(n), string(b))
		if err != nil {
			return nil, err
		}
		for _, key := range []string{e.ID, strings.ToLower(e.AWSName)} {
			if key == "" {
				continue
			}
			if _, dup := c.byName[key]; dup {
				return nil, fmt.Errorf("catalog: %s: name %q used twice", n, key)
			}
			c.byName[key] = e
		}
		c.entries = append(c.entries, e)
	}
	sort.SliceStable(c.entries, func(i, j int) bool {
		if c.entries[i].Kind != c.entries[j].Kind {
			return c.entries[i].Kind == "named"
		}
		return c.entries[i].ID < c.entries[j].ID
	})
	return c, nil
}

// Entries returns every entry.
func (c *Catalog) Entries() []*Entry { return c.entries }

// Find looks an entry up by id or by AWS name (case-insensitive; the "VpcFlowLogs" prefix is
// optional).
func (c *Catalog) Find(name string) (*Entry, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if e, ok := c.byName[key]; ok {
		return e, true
	}
	e, ok := c.byName["vpcflowlogs"+key]
	return e, ok
}

// parseEntry reads the "-- key: value" header lines, then the SQL body.
func parseEntry(file, text string) (*Entry, error) {
	e := &Entry{file: file, Filters: true}
	fields, body := sqltext.Header(text)
	for _, f := range fields {
		key, val := f.Key, f.Value
		switch key {
		case "id":
			e.ID = val
		case "aws":
			e.AWSName = val
		case "title":
			e.Title = val
		case "description":
			e.Description = strings.TrimSpace(e.Description + " " + val)
		case "kind":
			e.Kind = val
		case "needs":
			e.Needs = strings.Fields(val)
		case "note":
			e.Notes = append(e.Notes, val)
		case "filters":
			e.Filters = val != "none"
		case "param":
			p, err := parseParam(val)
			if err != nil {
				return nil, fmt.Errorf("catalog: %s: %w", file, err)
			}
			e.Params = append(e.Params, p)
		default:
			return nil, fmt.Errorf("catalog: %s: unknown header key %q", file, key)
		}
	}
	e.body = body
	switch {
	case e.ID == "" || e.Title == "" || e.body == "":
		return nil, fmt.Errorf("catalog: %s: id, title and a query are required", file)
	case e.ID+".sql" != file:
		return nil, fmt.Errorf("catalog: %s: id %q must match the file name", file, e.ID)
	case e.Kind != "named" && e.Kind != "deep-dive":
		return nil, fmt.Errorf("catalog: %s: kind must be named or deep-dive", file)
	}
	if e.Filters && !strings.Contains(e.body, "{{filter}}") {
		return nil, fmt.Errorf("catalog: %s: applies the common filters but has no {{filter}}", file)
	}
	return e, nil
}

// Param looks a parameter up by name.
func (e *Entry) Param(name string) (Param, bool) {
	for _, p := range e.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}
