// Package detect is `flowdig hunt`: explainable detections over the case. Each detector is an
// embedded .sql file (sql/<id>.sql) with a metadata header (title, logic, the columns it needs,
// how its findings merge, an explanation template) followed by the detection query and the
// evidence query. Thresholds, windows and allow-lists come from Rules (one YAML file) and are
// bound as parameters, never written into the SQL text.
//
// A hunt first builds one compact temporary table of the records (integer address ids, the
// class of each side, allow-list bits, and whether a record is the answering side of a
// connection seen in both directions), then runs every detector over it. Each result row is
// one window in which a detector's thresholds were crossed; adjacent windows of the same
// entity merge into one Finding, which carries its thresholds, measured values, a paragraph
// that explains it and the evidence query (with bound parameters) that lists the flow records
// behind it. Findings are stored in the case (schema 4) with ids (F-1, F-2, …) that stay the
// same when the same hunt runs again on the same data.
package detect

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/flowdig/flowdig/internal/sqltext"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// Detector is one detection.
type Detector struct {
	ID       string
	Title    string   // one line
	Logic    string   // what it measures and when it fires, one paragraph
	Severity string   // how severity is chosen
	Needs    []string // record columns (Athena names) the logic reads
	Sum      []string // measured values added up when windows merge (the others keep their maximum)
	Section  string   // the rules section whose values it binds (default: its id)
	Uses     string   // another section whose values it also binds (brute-force-success: brute-force)
	Key      []string // measured values that are part of a finding's identity (large-flow: the source port)
	Headline string   // the measured value a finding's summary shows

	explain  *template.Template
	query    string
	evidence string
}

// errNoDetector is returned for an unknown detector name.
type errNoDetector struct{ name string }

func (e errNoDetector) Error() string {
	var groups []string
	for g := range Groups() {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	return fmt.Sprintf("no detector %q (known: %s; groups: %s)", e.name, strings.Join(IDs(), ", "), strings.Join(groups, ", "))
}

// Detectors returns every detector, in a fixed order (the order they run in).
func Detectors() ([]*Detector, error) {
	names, err := fs.Glob(sqlFiles, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	var out []*Detector
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, "_") {
			continue // shared SQL (the base table), not a detector
		}
		b, err := sqlFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		d, err := parseDetector(base, string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	order := map[string]int{}
	for i, id := range IDs() {
		order[id] = i
	}
	for _, d := range out {
		if _, ok := order[d.ID]; !ok {
			return nil, fmt.Errorf("detect: %s.sql is not in the detector order", d.ID)
		}
	}
	if len(out) != len(order) {
		return nil, fmt.Errorf("detect: %d detector files for %d detectors", len(out), len(order))
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].ID] < order[out[j].ID] })
	return out, nil
}

// IDs lists the detector ids in run order: cheap, high-signal detectors first.
func IDs() []string {
	return []string{
		"port-scan", "port-sweep", "brute-force", "brute-force-success", "exfil-volume", "large-flow",
		"beaconing", "unusual-protocol", "unusual-port", "exposed-admin-port", "reject-spike",
		"new-talker", "dos-volume",
	}
}

// Groups are names --only takes for several detectors at once.
func Groups() map[string][]string {
	return map[string][]string{
		"exfil":       {"exfil-volume", "large-flow"},
		"scan":        {"port-scan", "port-sweep"},
		"brute":       {"brute-force", "brute-force-success"},
		"unusual":     {"unusual-protocol", "unusual-port"},
		"exposure":    {"exposed-admin-port"},
		"dos":         {"dos-volume"},
		"beacon":      {"beaconing"},
		"new-talkers": {"new-talker"},
	}
}

// Select returns the detectors named in only (all when only is empty), in run order. A name is
// a detector id or a group (Groups).
func Select(all []*Detector, only []string) ([]*Detector, error) {
	if len(only) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	groups := Groups()
	for _, n := range only {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		ids, ok := groups[n]
		if !ok {
			ids = []string{n}
		}
		for _, id := range ids {
			if !slices.ContainsFunc(all, func(d *Detector) bool { return d.ID == id }) {
				return nil, errNoDetector{n}
			}
			want[id] = true
		}
	}
	var out []*Detector
	for _, d := range all {
		if want[d.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// parseDetector reads the "-- key: value" header, the detection query and, after a line
// "-- @evidence", the evidence query.
func parseDetector(file, text string) (*Detector, error) {
	d := &Detector{}
	var explain []string
	fields, body := sqltext.Header(text)
	for _, f := range fields {
		val := f.Value
		switch f.Key {
		case "id":
			d.ID = val
		case "title":
			d.Title = val
		case "logic":
			d.Logic = strings.TrimSpace(d.Logic + " " + val)
		case "severity":
			d.Severity = strings.TrimSpace(d.Severity + " " + val)
		case "needs":
			d.Needs = strings.Fields(val)
		case "sum":
			d.Sum = strings.Fields(val)
		case "section":
			d.Section = val
		case "uses":
			d.Uses = val
		case "key":
			d.Key = strings.Fields(val)
		case "headline":
			d.Headline = val
		case "explain":
			explain = append(explain, val)
		default:
			return nil, fmt.Errorf("detect: %s: unknown header key %q", file, f.Key)
		}
	}
	q, ev, ok := strings.Cut(body, "-- @evidence")
	if !ok {
		return nil, fmt.Errorf("detect: %s: no -- @evidence query", file)
	}
	d.query, d.evidence = strings.TrimSpace(q), strings.TrimSpace(ev)
	switch {
	case d.ID == "" || d.Title == "" || d.Logic == "" || d.Headline == "" || len(explain) == 0 || d.query == "" || d.evidence == "":
		return nil, fmt.Errorf("detect: %s: id, title, logic, headline, explain, a query and an evidence query are required", file)
	case d.ID+".sql" != file:
		return nil, fmt.Errorf("detect: %s: id %q must match the file name", file, d.ID)
	}
	if d.Section == "" {
		d.Section = d.ID
	}
	t, err := template.New(d.ID).Funcs(templateFuncs).Option("missingkey=error").Parse(strings.Join(explain, " "))
	if err != nil {
		return nil, fmt.Errorf("detect: %s: explain: %w", file, err)
	}
	d.explain = t
	return d, nil
}
