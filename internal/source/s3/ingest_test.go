//go:build duckdb_arrow

package s3_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/timewindow"
)

func openCase(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func run(t *testing.T, db *store.DB, src source.Source, w timewindow.Window) *ingest.Summary {
	t.Helper()
	sum, err := ingest.Run(context.Background(), db, src, ingest.Options{Window: w, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// Checks every case must pass: the ledger reconciles, no record is stored twice (same object,
// same line), and nothing outside the window was stored.
func checkCase(t *testing.T, db *store.DB, w timewindow.Window) {
	t.Helper()
	if n := count(t, db, `SELECT count(*) FROM sources WHERE records + quarantined + outside_window + stored_before <> data_lines`); n != 0 {
		t.Errorf("%d ledger rows do not reconcile", n)
	}
	if n := count(t, db, `SELECT count(*) - count(DISTINCT (s.sha256, f.line_no)) FROM flows f JOIN sources s USING (source_id)`); n != 0 {
		t.Errorf("%d records stored twice", n)
	}
	if !w.IsAll() {
		if n := count(t, db, `SELECT count(*) FROM flows WHERE "end" < ? OR start > ?`, w.From(), w.To()); n != 0 {
			t.Errorf("%d records outside the window %s stored", n, w)
		}
	}
}

// fingerprint is what two cases holding the same records agree on.
func fingerprint(t *testing.T, db *store.DB) [3]int64 {
	return [3]int64{
		count(t, db, `SELECT count(*) FROM flows`),
		count(t, db, `SELECT coalesce(sum(bytes), 0) FROM flows`),
		count(t, db, `SELECT count(*) FROM quarantine`),
	}
}

// Reading the bucket gives the same case as reading a local copy of it: same records, same
// SHA-256 per object; the ledger has bucket, key and ETag; a second run fetches nothing.
func TestIngestS3LikeLocal(t *testing.T) {
	dir, _ := testData(t)
	f := newFakeS3(t, bucket)
	f.upload(bucket, "", dir)
	w := mustWindow(t, "2026-11-01T20:00:00Z", "2026-11-02T03:00:00Z")

	fromLocal := openCase(t)
	run(t, fromLocal, local.New([]string{filepath.Join(dir, "AWSLogs"), filepath.Join(dir, "central-logs")}).Filter(source.Filter{Window: w}), w)
	fromS3 := openCase(t)
	src := f.source(t, "s3://"+bucket+"/", source.Filter{Window: w})
	sum := run(t, fromS3, src, w)
	if len(sum.Failed) != 0 || sum.Objects == 0 {
		t.Fatalf("summary %+v", sum)
	}
	if a, b := fingerprint(t, fromLocal), fingerprint(t, fromS3); a != b {
		t.Errorf("local %v, S3 %v", a, b)
	}
	checkCase(t, fromS3, w)
	if n := count(t, fromS3, `SELECT count(*) FROM sources WHERE bucket <> ? OR key IS NULL OR etag IS NULL OR uri <> 's3://' || bucket || '/' || key`, bucket); n != 0 {
		t.Errorf("%d ledger rows without bucket, key and ETag", n)
	}
	var localSHA, s3SHA string
	q := `SELECT string_agg(sha256, ',' ORDER BY sha256) FROM sources`
	fromLocal.SQL.QueryRow(q).Scan(&localSHA)
	fromS3.SQL.QueryRow(q).Scan(&s3SHA)
	if localSHA != s3SHA || s3SHA == "" {
		t.Error("SHA-256 of the S3 objects differ from the local files'")
	}

	f.reset()
	again := run(t, fromS3, f.source(t, "s3://"+bucket+"/", source.Filter{Window: w}), w)
	_, gets := f.requests()
	if len(gets) != 0 || again.Objects != 0 || again.Unchanged != sum.Objects {
		t.Errorf("second run: %d GETs, %+v", len(gets), again)
	}
}

// Connections cut in the middle of objects are resumed with Range requests; the case holds each
// record once, exactly as without the faults.
func TestIngestS3ResumesCutDownloads(t *testing.T) {
	dir, _ := testData(t)
	f := newFakeS3(t, bucket)
	f.upload(bucket, "", dir)
	src := f.source(t, "s3://"+bucket+"/AWSLogs/", source.Filter{})
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cut := 0
	for i, o := range objs {
		if o.Size > 2000 && i%7 == 0 {
			f.cut(o.ObjectKey, o.Size/3, o.Size/5) // twice: the resumed stream breaks as well
			cut++
		}
	}
	want := openCase(t)
	run(t, want, local.New([]string{filepath.Join(dir, "AWSLogs")}), timewindow.All())
	db := openCase(t)
	sum := run(t, db, src, timewindow.All())
	if len(sum.Failed) != 0 {
		t.Fatalf("failed: %v", sum.Failed)
	}
	if a, b := fingerprint(t, want), fingerprint(t, db); a != b {
		t.Errorf("without faults %v, with cut downloads %v", a, b)
	}
	checkCase(t, db, timewindow.All())
	_, gets := f.requests()
	ranged := 0
	for _, g := range gets {
		if strings.HasPrefix(g.rng, "bytes=") {
			ranged++
		}
	}
	if cut < 10 || ranged != 2*cut || src.Stats().Resumes.Load() != int64(2*cut) {
		t.Errorf("%d objects cut twice, %d ranged GETs, %d resumes counted", cut, ranged, src.Stats().Resumes.Load())
	}
}

// Objects the caller may not read are reported one by one while the rest is ingested; objects
// changed between listing and reading are reported and read by the next run.
func TestIngestS3DeniedAndChanged(t *testing.T) {
	dir, _ := testData(t)
	f := newFakeS3(t, bucket)
	f.upload(bucket, "", dir)
	src := f.source(t, "s3://"+bucket+"/AWSLogs/", source.Filter{})
	l, err := ingest.List(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]bool{}
	changed := map[string]bool{}
	for i, o := range l.Objects {
		switch {
		case i%50 == 3:
			f.deny[o.ObjectKey] = true
			denied[o.URI] = true
		case i%50 == 4:
			f.put(bucket, o.ObjectKey, []byte("version 2\n"))
			changed[o.URI] = true
		}
	}
	db := openCase(t)
	sum, err := ingest.RunListed(context.Background(), db, src, l, ingest.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != len(denied)+len(changed) || sum.Objects != len(l.Objects)-len(denied)-len(changed) {
		t.Fatalf("%d failed, %d ingested of %d (denied %d, changed %d)", len(sum.Failed), sum.Objects, len(l.Objects), len(denied), len(changed))
	}
	for _, fl := range sum.Failed {
		switch {
		case denied[fl.URI] && errors.Is(fl.Err, source.ErrDenied):
		case changed[fl.URI] && errors.Is(fl.Err, source.ErrChanged):
		default:
			t.Errorf("failure %s: %v", fl.URI, fl.Err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM sources`); n != int64(sum.Objects) {
		t.Errorf("ledger has %d rows, %d objects ingested", n, sum.Objects)
	}

	// Access granted again: the next run fetches exactly the objects it has not recorded.
	f.mu.Lock()
	f.deny = map[string]bool{}
	f.mu.Unlock()
	f.reset()
	again := run(t, db, f.source(t, "s3://"+bucket+"/AWSLogs/", source.Filter{}), timewindow.All())
	_, gets := f.requests()
	if len(again.Failed) != 0 || again.Objects != len(denied)+len(changed) || len(gets) != len(denied)+len(changed) {
		t.Errorf("second run: %d objects, %d GETs, failed %v", again.Objects, len(gets), again.Failed)
	}
	checkCase(t, db, timewindow.All())
}

// A later ingest with a wider window reads the objects of the first one again and adds exactly
// the records it lacks: the case equals one ingested with the wide window at once.
func TestIngestS3WiderWindow(t *testing.T) {
	dir, _ := testData(t)
	f := newFakeS3(t, bucket)
	f.upload(bucket, "", dir)
	narrow := mustWindow(t, "2026-11-01T22:00:00Z", "2026-11-01T23:30:00Z")
	wide := mustWindow(t, "2026-11-01T18:00:00Z", "2026-11-02")
	db := openCase(t)
	first := run(t, db, f.source(t, "s3://"+bucket+"/", source.Filter{Window: narrow}), narrow)
	checkCase(t, db, narrow)
	second := run(t, db, f.source(t, "s3://"+bucket+"/", source.Filter{Window: wide}), wide)
	checkCase(t, db, wide)
	if second.Widened == 0 || second.Widened > first.Objects || first.Outside == 0 {
		t.Errorf("first %+v\nsecond %+v", first, second)
	}
	once := openCase(t)
	run(t, once, f.source(t, "s3://"+bucket+"/", source.Filter{Window: wide}), wide)
	if a, b := fingerprint(t, once), fingerprint(t, db); a != b {
		t.Errorf("wide at once %v, narrow then wide %v", a, b)
	}
	// The same wide window again reads nothing; a window inside it neither.
	f.reset()
	third := run(t, db, f.source(t, "s3://"+bucket+"/", source.Filter{Window: narrow}), narrow)
	if _, gets := f.requests(); len(gets) != 0 || third.Objects != 0 {
		t.Errorf("narrow window after the wide one: %d GETs, %+v", len(gets), third)
	}
	if n := count(t, db, `SELECT count(*) FROM sources WHERE extends_source IS NOT NULL AND window_from = ? AND window_to = ?`, wide.From(), wide.To()); n != int64(second.Widened) {
		t.Errorf("%d ledger rows record the widening, want %d", n, second.Widened)
	}
}
