//go:build duckdb_arrow

package catalog_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

var update = flag.Bool("update", false, "rewrite the expected outputs in testdata")

// The fixture: a default-format file (us-east-1) and a version 5 custom-format file
// (eu-west-1) in the S3 layout, with NODATA/SKIPDATA, IPv6, NAT-translated and >2^31-byte records.
var fixtureKeys = map[string]string{
	"default-us-east-1.log": "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/01/111122223333_vpcflowlogs_us-east-1_fl-0aaaaaaaaaaaaaaa1_20261101T0000Z_aaaa0001.log.gz",
	"v5-eu-west-1.log":      "AWSLogs/444455556666/vpcflowlogs/eu-west-1/2026/11/01/444455556666_vpcflowlogs_eu-west-1_fl-0bbbbbbbbbbbbbbb2_20261101T0500Z_bbbb0002.log.gz",
}

type fixtureCase struct {
	once sync.Once
	dir  string
	db   *store.DB
	conn *sql.Conn
	err  error
}

var shared fixtureCase

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.db != nil {
		shared.conn.Close()
		shared.db.Close()
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// fixture ingests the fixture files once and returns a connection on which the playbook's
// incident_iocs list (a temporary table) exists.
func fixture(t *testing.T) (*store.DB, *sql.Conn) {
	t.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		if shared.dir, shared.err = os.MkdirTemp("", "catalog-fixture-"); shared.err != nil {
			return
		}
		for name, key := range fixtureKeys {
			text, err := os.ReadFile(filepath.Join("testdata", "fixture", name))
			if err != nil {
				shared.err = err
				return
			}
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(text)
			zw.Close()
			p := filepath.Join(shared.dir, "data", filepath.FromSlash(key))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if shared.err = os.WriteFile(p, buf.Bytes(), 0o644); shared.err != nil {
				return
			}
		}
		if shared.db, shared.err = store.Open(ctx, filepath.Join(shared.dir, "case.duckdb"), store.Options{Version: "test"}); shared.err != nil {
			return
		}
		if _, shared.err = ingest.Run(ctx, shared.db, local.New([]string{filepath.Join(shared.dir, "data")}), ingest.Options{}); shared.err != nil {
			return
		}
		if shared.conn, shared.err = shared.db.SQL.Conn(ctx); shared.err != nil {
			return
		}
		_, shared.err = shared.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE incident_iocs AS
			SELECT * FROM (VALUES ('203.0.113.50', 'exfil endpoint'), ('198.51.100.7', 'scanner'), ('192.0.2.99', 'never seen'))
			AS t(threat_ip, threat_comment)`)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.db, shared.conn
}

// A case file is testdata/cases/<id>[--variant].txt: "# args:" with parameters (name=value) and
// filters (from=, to=, account=, region=, vpc=, interface=, limit=), then the expected result
// as CSV.
type queryCase struct {
	file, entry string
	params      map[string]string
	filters     catalog.Filters
	want        string
}

func loadCases(t *testing.T) []queryCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []queryCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := queryCase{file: f, params: map[string]string{}}
		c.entry, _, _ = strings.Cut(strings.TrimSuffix(filepath.Base(f), ".txt"), "--")
		text := string(b)
		for strings.HasPrefix(text, "#") {
			line, rest, _ := strings.Cut(text, "\n")
			text = rest
			if args, ok := strings.CutPrefix(line, "# args:"); ok {
				for _, kv := range strings.Fields(args) {
					k, v, _ := strings.Cut(kv, "=")
					if err := setArg(&c, k, v); err != nil {
						t.Fatalf("%s: %v", f, err)
					}
				}
			}
		}
		c.want = text
		out = append(out, c)
	}
	return out
}

func setArg(c *queryCase, k, v string) error {
	var err error
	switch k {
	case "from":
		c.filters.From, err = catalog.ParseTime(v, time.Now(), false)
	case "to":
		c.filters.To, err = catalog.ParseTime(v, time.Now(), true)
	case "account":
		c.filters.Account = v
	case "region":
		c.filters.Region = v
	case "vpc":
		c.filters.VPC = v
	case "interface":
		c.filters.Interface = v
	case "limit":
		c.filters.Limit, err = strconv.ParseInt(v, 10, 64)
	default:
		c.params[k] = v
	}
	return err
}

// Every entry has at least one data-driven case, and each case's rows match exactly.
func TestEntriesAgainstFixture(t *testing.T) {
	db, conn := fixture(t)
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	have, err := db.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range loadCases(t) {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			e, ok := cat.Find(c.entry)
			if !ok {
				t.Fatalf("no entry %s", c.entry)
			}
			covered[e.ID] = true
			vals, err := e.Values(c.params)
			if err != nil {
				t.Fatal(err)
			}
			if err := catalog.CheckNeeds(e.ID, e.NeedsWith(c.filters), have); err != nil {
				t.Fatal(err)
			}
			target := catalog.LocalTarget()
			target.Columns = catalog.RecordColumns(have)
			q, err := e.Render(catalog.DuckDB, target, vals, c.filters)
			if err != nil {
				t.Fatal(err)
			}
			got := runCSV(t, conn, q)
			if *update {
				header := firstLines(readFile(t, c.file))
				if err := os.WriteFile(c.file, []byte(header+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != c.want {
				t.Errorf("%s: rows differ\n--- got\n%s--- want\n%s", c.file, got, c.want)
			}
		})
	}
	var missing []string
	for _, e := range cat.Entries() {
		if !covered[e.ID] {
			missing = append(missing, e.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("entries without a case in testdata/cases: %v", missing)
	}
}

func runCSV(t *testing.T, conn *sql.Conn, q *catalog.Query) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q.SQL, q.Args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, q.SQL)
	}
	defer rows.Close()
	var buf bytes.Buffer
	w, err := report.NewWriter(&buf, report.CSV, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := report.WriteRows(context.Background(), rows, w, 0); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstLines keeps the leading "#" lines of a case file.
func firstLines(s string) string {
	var b strings.Builder
	for strings.HasPrefix(s, "#") {
		line, rest, _ := strings.Cut(s, "\n")
		b.WriteString(line + "\n")
		s = rest
	}
	return b.String()
}

// The case has the playbook's incident_vpc_flow_directional view, made from the ioc-directional
// entry, so the playbook's own "SELECT … FROM incident_vpc_flow_directional" runs.
func TestDirectionalViewMatchesEntry(t *testing.T) {
	_, conn := fixture(t)
	got := runCSV(t, conn, &catalog.Query{SQL: `SELECT * FROM incident_vpc_flow_directional`})
	want := readFile(t, filepath.Join("testdata", "cases", "ioc-directional.txt"))
	if header := firstLines(want); got != strings.TrimPrefix(want, header) {
		t.Errorf("view rows differ from the entry's expected rows:\n%s", got)
	}
}
