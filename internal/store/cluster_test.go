//go:build duckdb_arrow

package store_test

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/store/storetest"
)

// rowGroup is one row group's zone map of start.
type rowGroup struct {
	table    string
	id       int64
	rows     int64
	min, max int64
}

var statsRE = regexp.MustCompile(`\[Min: (-?\d+), Max: (-?\d+)\]`)

func startZoneMaps(t *testing.T, db *store.DB) []rowGroup {
	t.Helper()
	var tables []string
	rows, err := db.SQL.Query(`SELECT table_name FROM flow_shapes ORDER BY shape_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	rows.Close()
	var out []rowGroup
	for _, table := range tables {
		rows, err := db.SQL.Query(`SELECT row_group_id, count, stats FROM pragma_storage_info(?)
			WHERE column_name = 'start' AND segment_type <> 'VALIDITY' ORDER BY row_group_id`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			g := rowGroup{table: table}
			var stats string
			if err := rows.Scan(&g.id, &g.rows, &stats); err != nil {
				t.Fatal(err)
			}
			m := statsRE.FindStringSubmatch(stats)
			if m == nil {
				t.Fatalf("%s row group %d: no min/max in %q", table, g.id, stats)
			}
			g.min, _ = strconv.ParseInt(m[1], 10, 64)
			g.max, _ = strconv.ParseInt(m[2], 10, 64)
			out = append(out, g)
		}
		rows.Close()
	}
	return out
}

// The load keeps row groups in time order, so a one-hour filter on start reads a row group or
// two instead of the whole multi-day table.
func TestRowGroupsAreTimeClustered(t *testing.T) {
	dir, want := synthData(t, 3, 300_000, 0)
	db := openCase(t)
	if _, err := ingest.Run(context.Background(), db, local.New([]string{dir}), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	total := count(t, db, `SELECT count(*) FROM flows`)
	if total != int64(want) {
		t.Fatalf("flows has %d rows, want %d", total, want)
	}
	var lo, hi int64
	if err := db.SQL.QueryRow(`SELECT min(start), max(start) FROM flows`).Scan(&lo, &hi); err != nil {
		t.Fatal(err)
	}
	groups := startZoneMaps(t, db)
	if len(groups) < 3 {
		t.Fatalf("only %d row groups; the test needs several", len(groups))
	}
	// Clustered: the zone maps tile the time range with little overlap (the aggregation interval
	// and AWS's delivery lag let neighbours overlap a few minutes). Unsorted data would give every
	// row group nearly the whole range.
	sort.Slice(groups, func(i, j int) bool { return groups[i].min < groups[j].min })
	var spans int64
	for i, g := range groups {
		spans += g.max - g.min
		if i > 0 && groups[i-1].max-g.min > 3600 {
			t.Errorf("row groups %+v and %+v overlap by more than an hour", groups[i-1], g)
		}
	}
	if limit := (hi - lo) + int64(len(groups))*3600; spans > limit {
		t.Errorf("row groups span %d s in total for a %d s range: not time-clustered: %+v", spans, hi-lo, groups)
	}

	from := (lo+hi)/2 - (lo+hi)/2%3600
	q := `SELECT count(*) FROM flows WHERE start BETWEEN ? AND ?`
	inHour := count(t, db, q, from, from+3599)
	if inHour == 0 {
		t.Fatalf("no records in the hour from %d", from)
	}
	var overlapping int64
	for _, g := range groups {
		if g.max >= from && g.min <= from+3599 {
			overlapping += g.rows
		}
	}
	scanned := storetest.RowsScanned(t, db, q, from, from+3599)
	t.Logf("%d rows, %d row groups; hour from %d: %d records, %d rows scanned (%d in overlapping row groups)",
		total, len(groups), from, inHour, scanned, overlapping)
	if scanned < inHour || scanned > overlapping || 2*scanned > total {
		t.Errorf("one hour scanned %d of %d rows (%d match, %d in row groups whose zone map overlaps)", scanned, total, inHour, overlapping)
	}
}
