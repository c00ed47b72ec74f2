package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/flowdig/flowdig/internal/flowlog"
)

// MissingError says which columns an entry needs that the ingested data does not have, and
// which flow-log format would record them.
type MissingError struct {
	Entry   string
	Missing []string // Athena column names
	Empty   bool     // the case holds no records at all
}

func (e *MissingError) Error() string {
	if e.Empty {
		return fmt.Sprintf("%s: the case holds no records yet (run flowdig ingest first)", e.Entry)
	}
	var fields, versions []string
	seen := map[int]bool{}
	for _, c := range e.Missing {
		i, ok := flowlog.Lookup(c)
		if !ok {
			fields = append(fields, c)
			continue
		}
		f := flowlog.FieldAt(i)
		fields = append(fields, "${"+f.Name+"}")
		if !seen[f.Version] {
			seen[f.Version] = true
			versions = append(versions, versionName(f.Version))
		}
	}
	sort.Strings(versions)
	return fmt.Sprintf("%s needs %s, which the ingested flow logs do not record (%s). "+
		"A flow log records them only if its format includes %s; the default format does not.",
		e.Entry, strings.Join(e.Missing, ", "), strings.Join(versions, ", "), strings.Join(fields, " "))
}

func versionName(v int) string {
	if v == 6 {
		return "Transit Gateway (version 6) fields"
	}
	return fmt.Sprintf("version %d fields", v)
}

// CheckNeeds reports the columns of needs that have is missing. have is the set of columns the
// data fills (store.DB.Columns); an empty set means no data.
func CheckNeeds(entry string, needs []string, have map[string]bool) error {
	if len(have) == 0 {
		return &MissingError{Entry: entry, Empty: true}
	}
	var missing []string
	for _, c := range needs {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return &MissingError{Entry: entry, Missing: missing}
	}
	return nil
}

// RecordColumns lists, in the flows view's order, the record columns the data fills (have) plus
// the columns every record has (the key-derived ones and its provenance).
func RecordColumns(have map[string]bool) []string {
	var out []string
	for _, f := range flowlog.Fields() {
		if have[f.Column] {
			out = append(out, f.Column)
		}
	}
	out = append(out, "date", "log_account_id", "log_region", "flow_log_id")
	if have["extra"] {
		out = append(out, "extra")
	}
	return append(out, "source_id", "line_no")
}
