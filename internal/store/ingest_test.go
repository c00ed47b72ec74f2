//go:build duckdb_arrow

package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

func gzipFile(t testing.TB, path, content string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// synthData writes a benchmark-style dataset (default format, plain layout) and returns its
// AWSLogs folder and the number of records a correct ingest loads.
func synthData(t testing.TB, days, records, perFile int) (string, int) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	m, err := synth.Generate(context.Background(), dir, synth.Config{
		Seed: 11, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: days,
		Records: records, RecordsPerFile: perFile, BenchOnly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "AWSLogs"), m.Totals.Records
}

// Two identical files in one folder, read in the same transaction: rows stored once, the second
// recorded as a duplicate of the first.
func TestIngestIdenticalFilesInOneFolder(t *testing.T) {
	dir := t.TempDir()
	body := flowlog.DefaultFormat + "\n" + line("10.4.0.1", 1, 1762000000) + "\n" + line("10.4.0.2", 2, 1762000001) + "\n"
	gzipFile(t, filepath.Join(dir, "a.log.gz"), body)
	gzipFile(t, filepath.Join(dir, "b.log.gz"), body)
	db := openCase(t)
	sum, err := ingest.Run(context.Background(), db, local.New([]string{dir}), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Objects != 2 || sum.Duplicates != 1 || sum.Records != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != 2 {
		t.Errorf("flows has %d rows, want 2", n)
	}
	var first, dupOf int64
	var status string
	if err := db.SQL.QueryRow(`SELECT source_id FROM sources WHERE uri LIKE '%/a.log.gz'`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	err = db.SQL.QueryRow(`SELECT status, duplicate_of FROM sources WHERE uri LIKE '%/b.log.gz'`).Scan(&status, &dupOf)
	if err != nil {
		t.Fatal(err)
	}
	if status != "duplicate" || dupOf != first {
		t.Errorf("b.log.gz: status %s duplicate_of %d, want duplicate of %d", status, dupOf, first)
	}
	if n := count(t, db, `SELECT count(DISTINCT source_id) FROM flows`); n != 1 {
		t.Errorf("rows come from %d sources, want 1", n)
	}
}

// cancelAfter cancels the ingest once the given number of commits have been logged.
type cancelAfter struct {
	commits int
	cancel  context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if strings.HasPrefix(line, "committed ") {
			if c.commits--; c.commits == 0 {
				c.cancel()
			}
		}
	}
	return len(p), nil
}

// checkLedger asserts that every ledger row matches what the case holds: its records are in
// flows under its id, its quarantined lines in quarantine, and records + quarantined = data lines.
func checkLedger(t *testing.T, db *store.DB) {
	t.Helper()
	bad := count(t, db, `WITH f AS (SELECT source_id, count(*) AS n FROM flows GROUP BY ALL),
		q AS (SELECT source_id, count(*) AS n FROM quarantine GROUP BY ALL)
		SELECT count(*) FROM sources s LEFT JOIN f USING (source_id) LEFT JOIN q USING (source_id)
		WHERE s.records <> coalesce(f.n, 0) OR s.quarantined <> coalesce(q.n, 0)
		   OR s.records + s.quarantined <> s.data_lines`)
	if bad != 0 {
		t.Errorf("%d ledger rows disagree with flows/quarantine", bad)
	}
	orphans := count(t, db, `SELECT count(*) FROM flows WHERE source_id NOT IN (SELECT source_id FROM sources)`) +
		count(t, db, `SELECT count(*) FROM quarantine WHERE source_id NOT IN (SELECT source_id FROM sources)`)
	if orphans != 0 {
		t.Errorf("%d rows without a ledger entry", orphans)
	}
}

// Cancelling an ingest between commits keeps exactly the committed objects; running it again
// completes the case with no duplicates and nothing missing.
func TestInterruptedIngestKeepsOnlyCommitted(t *testing.T) {
	dir, want := synthData(t, 1, 60_000, 2000)
	db := openCase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := ingest.Options{CommitRows: 5000, Workers: 2, Log: &cancelAfter{commits: 2, cancel: cancel}}
	sum, err := ingest.Run(ctx, db, local.New([]string{dir}), opt)
	if !errors.Is(err, context.Canceled) || sum == nil || !sum.Interrupted {
		t.Fatalf("interrupted run: err %v summary %+v", err, sum)
	}
	stored := count(t, db, `SELECT count(*) FROM flows`)
	if stored != sum.Records || stored == 0 || stored >= int64(want) {
		t.Errorf("after interruption flows has %d rows; summary says %d committed of %d", stored, sum.Records, want)
	}
	if n := count(t, db, `SELECT count(*) FROM sources`); n != int64(sum.Objects) {
		t.Errorf("ledger has %d objects, summary committed %d", n, sum.Objects)
	}
	checkLedger(t, db)
	if n := count(t, db, `SELECT count(*) FROM ingest_runs WHERE status = 'interrupted' AND finished_at IS NOT NULL`); n != 1 {
		t.Errorf("interrupted runs recorded: %d", n)
	}

	sum, err = ingest.Run(context.Background(), db, local.New([]string{dir}), ingest.Options{CommitRows: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged == 0 || sum.Duplicates != 0 {
		t.Errorf("resumed run: %+v", sum)
	}
	if n := count(t, db, `SELECT count(*) FROM flows`); n != int64(want) {
		t.Errorf("after resuming flows has %d rows, want %d", n, want)
	}
	if n := count(t, db, `SELECT count(*) FROM (SELECT uri FROM sources GROUP BY uri HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d objects in the ledger twice", n)
	}
	if n := count(t, db, `SELECT count(*) FROM (SELECT source_id, line_no FROM flows GROUP BY ALL HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d records stored twice", n)
	}
	checkLedger(t, db)
	if n := count(t, db, `SELECT count(*) FROM sources WHERE layout <> 'plain' OR log_account_id IS NULL`); n != 0 {
		t.Errorf("%d synthetic objects without their key attributes", n)
	}
}
