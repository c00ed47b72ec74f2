//go:build duckdb_arrow

package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/flowdig/flowdig/internal/source/local"
)

// A Parquet object whose gzip page is corrupt (header and footer intact) must be recorded as a
// damaged source with a quarantine row, like a truncated one, not dropped as "unreadable".
func TestParquetCorruptPageIsDamaged(t *testing.T) {
	cols := []arrow.Field{pqCol("srcaddr", str), pqCol("start", i64), pqCol("dstaddr", str), pqCol("log_status", str)}
	var rows []pqRow
	for i := range 500 {
		rows = append(rows, pqRow{"srcaddr": fmt.Sprintf("10.7.%d.%d", i/250, i%250), "dstaddr": "10.0.0.1", "start": 1762000000 + i, "log_status": "OK"})
	}
	data := writeParquet(t, cols, rows, 100)
	at := len(data) * 30 / 100
	for i := at; i < at+40; i++ {
		data[i] ^= 0x5a // corrupt the deflate stream of one page
	}
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "corrupt-page.parquet"), data)
	db := openDB(t)
	sum, err := Run(context.Background(), db, local.New([]string{dir}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != 0 || len(sum.Damaged) != 1 {
		t.Errorf("failed %v, damaged %v: want the object damaged, not failed", sum.Failed, sum.Damaged)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM sources WHERE uri = ? AND status = 'damaged' AND records + quarantined = data_lines`, p); n != 1 {
		t.Errorf("no damaged ledger row for %s", p)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine WHERE reason LIKE 'object damaged%'`); n != 1 {
		t.Errorf("no quarantine row for the corrupt page")
	}
}
