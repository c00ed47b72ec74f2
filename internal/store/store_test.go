//go:build duckdb_arrow

package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/batch"
	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
)

func openCase(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// columnTypes maps each column of a table or view to its DuckDB type, and lists the names in order.
func columnTypes(t testing.TB, db *store.DB, table string) (map[string]string, []string) {
	t.Helper()
	rows, err := db.SQL.Query(`SELECT column_name, data_type FROM duckdb_columns()
		WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types := map[string]string{}
	var names []string
	for rows.Next() {
		var n, ty string
		if err := rows.Scan(&n, &ty); err != nil {
			t.Fatal(err)
		}
		types[n] = ty
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no table or view %s", table)
	}
	return types, names
}

func enumType(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	return "ENUM(" + strings.Join(q, ", ") + ")"
}

// Every catalogue field is a column of flows and flow_template typed as the Parquet type AWS
// documents; the derived columns exist; the Athena and playbook views expose their names.
func TestSchemaMatchesCatalogue(t *testing.T) {
	db := openCase(t)
	parquetToDuck := map[string]string{"INT_32": "INTEGER", "INT_64": "BIGINT", "STRING": "VARCHAR"}
	enums := map[string]string{"action": enumType(flowlog.ActionValues()), "log_status": enumType(flowlog.LogStatusValues())}
	derived := map[string]string{
		"date": "DATE", "log_account_id": "VARCHAR", "log_region": "VARCHAR", "flow_log_id": "VARCHAR",
		"extra": "MAP(VARCHAR, VARCHAR)", "source_id": "INTEGER", "line_no": "INTEGER",
	}
	flows, flowNames := columnTypes(t, db, "flows")
	template, _ := columnTypes(t, db, "flow_template")
	for _, f := range flowlog.Fields() {
		want, ok := enums[f.Column]
		if !ok {
			if want, ok = parquetToDuck[f.ParquetType]; !ok {
				t.Errorf("field %s: unexpected Parquet type %q", f.Name, f.ParquetType)
				continue
			}
		}
		for name, cols := range map[string]map[string]string{"flows": flows, "flow_template": template} {
			if got, ok := cols[f.Column]; !ok {
				t.Errorf("%s has no column %s (field %s)", name, f.Column, f.Name)
			} else if got != want {
				t.Errorf("%s.%s is %s, want %s (Parquet %s)", name, f.Column, got, want, f.ParquetType)
			}
		}
	}
	for col, want := range derived {
		if got := flows[col]; got != want {
			t.Errorf("flows.%s is %q, want %s", col, got, want)
		}
	}
	// Nothing else: flows is exactly the catalogue plus the derived columns (part_id is hidden).
	if want := flowlog.NumFields + len(derived); len(flowNames) != want {
		t.Errorf("flows has %d columns, want %d: %v", len(flowNames), want, flowNames)
	}
	// The enum types themselves are declared with the documented values, in order.
	for typ, vals := range map[string][]string{"fd_action": flowlog.ActionValues(), "fd_log_status": flowlog.LogStatusValues()} {
		var got string
		if err := db.SQL.QueryRow(`SELECT CAST(enum_range(NULL::` + typ + `) AS VARCHAR)`).Scan(&got); err != nil {
			t.Fatalf("enum %s: %v", typ, err)
		}
		if want := "[" + strings.Join(vals, ", ") + "]"; got != want {
			t.Errorf("enum %s = %s, want %s", typ, got, want)
		}
	}

	athena, athenaNames := columnTypes(t, db, "vpc_flow_logs")
	if strings.Join(athenaNames, ",") != strings.Join(flowNames, ",") {
		t.Errorf("vpc_flow_logs columns differ from flows:\n%v\n%v", athenaNames, flowNames)
	}
	for c, ty := range flows {
		if athena[c] != ty {
			t.Errorf("vpc_flow_logs.%s is %s, flows.%s is %s", c, athena[c], c, ty)
		}
	}

	playbook, _ := columnTypes(t, db, "vpcflow")
	want := map[string]string{
		"account": "VARCHAR", "interfaceid": "VARCHAR", "sourceaddress": "VARCHAR", "destinationaddress": "VARCHAR",
		"sourceport": "INTEGER", "destinationport": "INTEGER", "protocol": "INTEGER", "numpackets": "BIGINT",
		"numbytes": "BIGINT", "starttime": "BIGINT", "endtime": "BIGINT", "action": enums["action"],
		"logstatus": enums["log_status"], "vpcid": "VARCHAR", "type": "VARCHAR", "tcpflags": "INTEGER",
		"subnetid": "VARCHAR", "sublocationtype": "VARCHAR", "sublocationid": "VARCHAR", "region": "VARCHAR",
		"pktsrcaddr": "VARCHAR", "pktdstaddr": "VARCHAR", "instanceid": "VARCHAR", "azid": "VARCHAR",
		"pkt-src-aws-service": "VARCHAR", "pkt-dst-aws-service": "VARCHAR", "flow-direction": "VARCHAR",
		"traffic-path": "INTEGER", "date_partition": "VARCHAR", "region_partition": "VARCHAR",
		"account_partition": "VARCHAR",
	}
	for c, ty := range want {
		if got, ok := playbook[c]; !ok {
			t.Errorf("vpcflow has no column %q", c)
		} else if got != ty {
			t.Errorf("vpcflow.%s is %s, want %s", c, got, ty)
		}
	}
}

// A fresh case database answers the views with zero rows, and re-opening applies nothing twice.
func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.duckdb")
	for i := range 2 {
		db, err := store.Open(context.Background(), path, store.Options{Version: "test"})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		for _, v := range []string{"flows", "vpc_flow_logs", "vpcflow", "sources", "quarantine"} {
			if n := count(t, db, "SELECT count(*) FROM "+v); n != 0 {
				t.Errorf("open %d: %s has %d rows", i, v, n)
			}
		}
		// Each migration is recorded once, however often the case is opened.
		if n := count(t, db, `SELECT count(*) FROM flowdig_schema`); n != int64(store.SchemaVersion()) {
			t.Errorf("open %d: flowdig_schema has %d rows, want %d", i, n, store.SchemaVersion())
		}
		if n := count(t, db, `SELECT max(version) FROM flowdig_schema`); n != int64(store.SchemaVersion()) {
			t.Errorf("open %d: schema version %d, want %d", i, n, store.SchemaVersion())
		}
		db.Close()
	}
	ro, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	ro.Close()
}

// object builds what a decoder would hand the writer for the given lines of one format.
func object(t testing.TB, uri, format string, lines ...string) *store.Object {
	t.Helper()
	f, err := flowlog.ParseFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	p := flowlog.NewParser(f)
	b := batch.New(f, 0, false)
	content := sha256.Sum256([]byte(format + "\n" + strings.Join(lines, "\n")))
	o := &store.Object{Source: store.Source{
		URI: uri, SHA256: hex.EncodeToString(content[:]), Format: "text", Header: f.String(),
		HeaderOrigin: "header line", Layout: "none", KeyHour: -1,
	}}
	src := &o.Source
	var rec flowlog.Record
	for i, l := range lines {
		src.DataLines++
		if err := p.Parse([]byte(l), &rec); err != nil {
			src.Quarantined++
			o.Quarantine = append(o.Quarantine, store.QuarantineRow{Line: int64(i + 2), Reason: err.Error(), Raw: []byte(l)})
			continue
		}
		b.Add(&rec, i+2)
		src.Records++
	}
	if rb := b.Flush(); rb != nil {
		o.Batches = append(o.Batches, rb)
	}
	src.Size = int64(len(strings.Join(lines, "\n")))
	return o
}
