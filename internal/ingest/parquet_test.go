//go:build duckdb_arrow

package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

// pqRow is one Parquet row by column name; a missing column is NULL.
type pqRow map[string]any

// writeParquet writes rows with the given columns, in the given order, typed as AWS documents
// (INT_32, INT_64, STRING, all nullable), gzip-compressed, in row groups of rowGroup rows.
func writeParquet(t testing.TB, cols []arrow.Field, rows []pqRow, rowGroup int64) []byte {
	t.Helper()
	schema := arrow.NewSchema(cols, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		for i, f := range cols {
			v, ok := r[f.Name]
			switch fb := b.Field(i).(type) {
			case *array.Int32Builder:
				if ok {
					fb.Append(int32(v.(int)))
				} else {
					fb.AppendNull()
				}
			case *array.Int64Builder:
				if ok {
					fb.Append(int64(v.(int)))
				} else {
					fb.AppendNull()
				}
			case *array.StringBuilder:
				if ok {
					fb.Append(v.(string))
				} else {
					fb.AppendNull()
				}
			default:
				t.Fatalf("column %s: unsupported type %s", f.Name, f.Type)
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Gzip), parquet.WithMaxRowGroupLength(rowGroup))
	w, err := pqarrow.NewFileWriter(schema, &buf, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pqCol(name string, typ arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: typ, Nullable: true}
}

var (
	i32 = arrow.PrimitiveTypes.Int32
	i64 = arrow.PrimitiveTypes.Int64
	str = arrow.BinaryTypes.String
)

// flowsRow returns the named columns of the flows row matching where, as text ("NULL" for NULL).
func flowsRow(t testing.TB, db *store.DB, cols []string, where string, args ...any) []string {
	t.Helper()
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = fmt.Sprintf("coalesce(CAST(%s AS VARCHAR), 'NULL')", c)
	}
	got := queryStrings(t, db, "SELECT concat_ws('|', "+strings.Join(exprs, ", ")+") FROM flows WHERE "+where, args...)
	if len(got) != 1 {
		t.Fatalf("flows WHERE %s: %d rows, want 1", where, len(got))
	}
	return strings.Split(got[0], "|")
}

// A Parquet flow-log file is read by column name whatever the column order; NULLs, IPv6, 64-bit
// counters and unknown columns land exactly; a bad value quarantines its row by row number.
func TestParquetFlowLog(t *testing.T) {
	cols := []arrow.Field{ // shuffled: AWS's order must not matter
		pqCol("log_status", str), pqCol("bytes", i64), pqCol("srcaddr", str), pqCol("end", i64),
		pqCol("encryption_status", str), pqCol("version", i32), pqCol("dstport", i32), pqCol("type", str),
		pqCol("account_id", str), pqCol("action", str), pqCol("protocol", i32), pqCol("tcp_flags", i32),
		pqCol("interface_id", str), pqCol("start", i64), pqCol("packets", i64), pqCol("dstaddr", str),
		pqCol("srcport", i32), pqCol("vpc_id", str),
	}
	common := pqRow{"version": 5, "account_id": "123456789012", "interface_id": "eni-0pq", "vpc_id": "vpc-0pq"}
	row := func(extra pqRow) pqRow {
		r := pqRow{}
		for k, v := range common {
			r[k] = v
		}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	rows := []pqRow{
		row(pqRow{"srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2", "srcport": 443, "dstport": 50000, "protocol": 6,
			"packets": 10, "bytes": 4000, "start": 1762000000, "end": 1762000060, "action": "ACCEPT",
			"log_status": "OK", "type": "IPv4", "tcp_flags": 19, "encryption_status": "1"}),
		row(pqRow{"start": 1762000000, "end": 1762000060, "log_status": "NODATA"}),
		row(pqRow{"srcaddr": "2001:db8::1", "dstaddr": "2600:1f18:abcd::7", "srcport": 33000, "dstport": 22,
			"protocol": 6, "packets": 3_000_000_000, "bytes": 5_000_000_000, "start": 1762086400, "end": 1762086459,
			"action": "REJECT", "log_status": "OK", "type": "IPv6", "tcp_flags": 2, "encryption_status": "0"}),
		row(pqRow{"srcaddr": "10.0.0.3", "dstaddr": "10.0.0.4", "srcport": 1, "dstport": 70000, "protocol": 6,
			"packets": 1, "bytes": 40, "start": 1762000000, "end": 1762000060, "action": "ACCEPT", "log_status": "OK"}),
		row(pqRow{"start": 1762000120, "end": 1762000180, "log_status": "SKIPDATA"}),
	}
	data := writeParquet(t, cols, rows, 2)
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/11/01/123456789012_vpcflowlogs_us-east-1_fl-0pq_20251101T1200Z_abc.log.parquet"), data)
	db := openDB(t)
	// Batches of 3 rows over row groups of 2: row numbers must run on across both.
	sum := run(t, db, Options{BatchRows: 3}, good)
	if sum.Records != 4 || sum.Quarantined != 1 || len(sum.Damaged) != 0 || len(sum.Failed) != 0 {
		t.Fatalf("summary %+v", sum)
	}

	fields := []string{"version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
		"packets", "bytes", "start", `"end"`, "action", "log_status", "vpc_id", "tcp_flags", "type",
		"extra['encryption_status']", "line_no", "date", "log_account_id", "flow_log_id", "pkt_srcaddr", "region"}
	want := map[int64]string{
		1: "5|123456789012|eni-0pq|10.0.0.1|10.0.0.2|443|50000|6|10|4000|1762000000|1762000060|ACCEPT|OK|vpc-0pq|19|IPv4|1|1|2025-11-01|123456789012|fl-0pq|NULL|NULL",
		2: "5|123456789012|eni-0pq|NULL|NULL|NULL|NULL|NULL|NULL|NULL|1762000000|1762000060|NULL|NODATA|vpc-0pq|NULL|NULL|NULL|2|2025-11-01|123456789012|fl-0pq|NULL|NULL",
		3: "5|123456789012|eni-0pq|2001:db8::1|2600:1f18:abcd::7|33000|22|6|3000000000|5000000000|1762086400|1762086459|REJECT|OK|vpc-0pq|2|IPv6|0|3|2025-11-02|123456789012|fl-0pq|NULL|NULL",
		5: "5|123456789012|eni-0pq|NULL|NULL|NULL|NULL|NULL|NULL|NULL|1762000120|1762000180|NULL|SKIPDATA|vpc-0pq|NULL|NULL|NULL|5|2025-11-01|123456789012|fl-0pq|NULL|NULL",
	}
	for line, w := range want {
		got := strings.Join(flowsRow(t, db, fields, "line_no = ?", line), "|")
		if got != w {
			t.Errorf("row %d:\n got %s\nwant %s", line, got, w)
		}
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE bytes > 4294967296 AND packets > 2147483647`); n != 1 {
		t.Errorf("64-bit counters: %d rows, want 1", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE map_contains(extra, 'encryption_status')`); n != 4 {
		t.Errorf("extra keeps the unknown column on %d rows, want 4", n)
	}

	q := queryStrings(t, db, `SELECT line_no || '|' || field || '|' || reason || '|' || text FROM quarantine`)
	if len(q) != 1 || !strings.HasPrefix(q[0], "4|dstport|") || !strings.Contains(q[0], "out of range") || !strings.Contains(q[0], "70000") {
		t.Errorf("quarantine = %v, want row 4 field dstport", q)
	}
	src := queryStrings(t, db, `SELECT concat_ws('|', format, header_origin, header, data_lines, records, quarantined, min_start, max_start, status) FROM sources`)
	wantHeader := "log-status bytes srcaddr end encryption_status version dstport type account-id action protocol tcp-flags interface-id start packets dstaddr srcport vpc-id"
	if w := "parquet|parquet schema|" + wantHeader + "|5|4|1|1762000000|1762086400|ok"; len(src) != 1 || src[0] != w {
		t.Errorf("ledger:\n got %v\nwant %s", src, w)
	}
}

// A truncated Parquet file is a damaged object: quarantined and reported, not an ingest failure;
// files next to it still load.
func TestParquetDamaged(t *testing.T) {
	cols := []arrow.Field{pqCol("srcaddr", str), pqCol("start", i64), pqCol("dstaddr", str), pqCol("log_status", str)}
	var rows []pqRow
	for i := range 500 {
		rows = append(rows, pqRow{"srcaddr": fmt.Sprintf("10.7.%d.%d", i/250, i%250), "dstaddr": "10.0.0.1", "start": 1762000000 + i, "log_status": "OK"})
	}
	data := writeParquet(t, cols, rows, 100)
	dir := t.TempDir()
	whole := writeFile(t, filepath.Join(dir, "whole.parquet"), data)
	cut := writeFile(t, filepath.Join(dir, "cut.parquet"), data[:len(data)/2])
	noFooter := writeFile(t, filepath.Join(dir, "nofooter.parquet"), data[:len(data)-4])
	db := openDB(t)
	sum, err := Run(context.Background(), db, local.New([]string{dir}), Options{})
	if err != nil {
		t.Fatalf("damaged Parquet failed the ingest: %v", err)
	}
	if len(sum.Failed) != 0 || len(sum.Damaged) != 2 || sum.Records != 500 {
		t.Fatalf("summary: failed %v damaged %v records %d", sum.Failed, sum.Damaged, sum.Records)
	}
	for _, p := range []string{cut, noFooter} {
		got := queryStrings(t, db, `SELECT concat_ws('|', s.status, s.format, s.data_lines, s.records, s.quarantined, q.line_no, q.reason LIKE 'object damaged: parquet%')
			FROM sources s JOIN quarantine q USING (source_id) WHERE s.uri = ?`, p)
		if want := "damaged|parquet|1|0|1|1|true"; len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want %s", filepath.Base(p), got, want)
		}
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows f JOIN sources s USING (source_id) WHERE s.uri = ?`, whole); n != 500 {
		t.Errorf("whole file stored %d rows, want 500", n)
	}
}
