//go:build duckdb_arrow

package cli_test

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/synth"
)

// fingerprintSQL sums up a case so that two cases compare equal only when they hold the same
// records under the same source ids and line numbers, and the same ledger.
const fingerprintSQL = `SELECT
	(SELECT count(*) FROM flows) AS flows,
	(SELECT sum(hash(source_id, line_no, srcaddr, dstaddr, srcport, dstport, bytes, packets, start, "end", action)) FROM flows) AS hash,
	(SELECT count(*) FROM sources) AS sources,
	(SELECT coalesce(sum(records), 0) FROM sources) AS ledger_records,
	(SELECT count(*) FROM (SELECT source_id, line_no FROM flows GROUP BY ALL HAVING count(*) > 1)) AS dup_pairs,
	(SELECT count(*) FROM sources WHERE records + quarantined <> data_lines) AS unreconciled,
	(SELECT count(*) FROM flows WHERE source_id NOT IN (SELECT source_id FROM sources)) AS orphans`

func fingerprint(t *testing.T, db string) map[string]string {
	t.Helper()
	rows := query(t, db, fingerprintSQL)
	if len(rows) != 1 {
		t.Fatalf("fingerprint: want 1 row, got %d", len(rows))
	}
	fp := map[string]string{}
	for k, v := range rows[0] {
		fp[k] = text(v)
	}
	return fp
}

// benchSet is a generated default-format dataset and the fingerprint of its uninterrupted ingest.
type benchSet struct {
	input string // folder to ingest
	files int
	want  map[string]string
}

// newBenchSet generates ~75 objects of 2,000 records and ingests them once, uninterrupted.
func newBenchSet(t *testing.T) benchSet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bucket")
	cfg := synth.Config{Seed: 42, BenchOnly: true, Records: 150_000, RecordsPerFile: 2000, Days: 1,
		Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	m, err := synth.Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Totals.Files < 50 {
		t.Fatalf("want at least 50 objects to interrupt, generated %d", m.Totals.Files)
	}
	// Ingest only the bucket: manifest.json at the top is not a flow log.
	b := benchSet{input: filepath.Join(dir, "AWSLogs"), files: m.Totals.Files}
	ref := filepath.Join(t.TempDir(), "a.duckdb")
	flowdig(t, "ingest", "--progress", "none", "--db", ref, b.input).must(t, "uninterrupted ingest")
	b.want = fingerprint(t, ref)
	for k, v := range map[string]string{
		"flows": strconv.Itoa(m.Totals.Records), "ledger_records": strconv.Itoa(m.Totals.Records),
		"sources": strconv.Itoa(m.Totals.Files), "dup_pairs": "0", "unreconciled": "0", "orphans": "0",
	} {
		if b.want[k] != v {
			t.Fatalf("uninterrupted ingest: %s = %s, want %s (all: %v)", k, b.want[k], v, b.want)
		}
	}
	return b
}

// signalAfter starts flowdig with args, reads its stderr until the n-th "committed" line, sends
// sig and waits. It returns everything written to stderr and the exit code, failing the test if
// the process ended before the n-th commit.
func signalAfter(t *testing.T, sig syscall.Signal, n int, args ...string) (stderr string, ws syscall.WaitStatus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := proc{}.command(ctx, args...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	sc := bufio.NewScanner(pipe)
	commits := 0
	for commits < n && sc.Scan() {
		buf.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "committed") {
			commits++
		}
	}
	if commits == n {
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatalf("send %v: %v", sig, err)
		}
	}
	rest, _ := io.ReadAll(pipe)
	buf.Write(rest)
	_ = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("flowdig %s: no exit within %v after %v; stderr:\n%s", strings.Join(args, " "), limit, sig, buf.String())
	}
	if commits < n {
		t.Fatalf("flowdig ended after %d commits, before the signal; stderr:\n%s", commits, buf.String())
	}
	return buf.String(), cmd.ProcessState.Sys().(syscall.WaitStatus)
}

// committedObjects reads the ledger of a case left behind by an interrupted ingest and checks
// that it holds whole objects only.
func committedObjects(t *testing.T, db string, files int) int {
	t.Helper()
	fp := fingerprint(t, db)
	if fp["flows"] != fp["ledger_records"] || fp["orphans"] != "0" || fp["dup_pairs"] != "0" || fp["unreconciled"] != "0" {
		t.Fatalf("interrupted case holds partial objects: %v", fp)
	}
	n, err := strconv.Atoi(fp["sources"])
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n >= files {
		t.Fatalf("interrupted ingest committed %d of %d objects; want some but not all", n, files)
	}
	return n
}

func assertSameCase(t *testing.T, db string, want map[string]string) {
	t.Helper()
	got := fingerprint(t, db)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("resumed case: %s = %s, uninterrupted = %s", k, got[k], v)
		}
	}
}

// TestKillAndResume is the must-hold 6: kill -9 in the middle of an ingest (twice), then
// the same command again, ends with exactly the rows of an uninterrupted run.
func TestKillAndResume(t *testing.T) {
	t.Parallel()
	b := newBenchSet(t)
	db := filepath.Join(t.TempDir(), "b.duckdb")
	args := []string{"ingest", "-v", "--progress", "none", "--commit-rows", "4000", "--db", db, b.input}

	_, ws := signalAfter(t, syscall.SIGKILL, 3, args...)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("first run was not killed: %v", ws)
	}
	first := committedObjects(t, db, b.files)
	if first < 6 { // 3 commits of 2 objects of 2,000 records
		t.Fatalf("after 3 commits the ledger has %d objects, want at least 6", first)
	}

	_, ws = signalAfter(t, syscall.SIGKILL, 4, args...)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("second run was not killed: %v", ws)
	}
	second := committedObjects(t, db, b.files)
	if second < first+8 {
		t.Fatalf("second interrupted run: %d objects after %d, want at least 8 more", second, first)
	}

	r := flowdig(t, args...).must(t, "resume")
	if want := "(" + strconv.Itoa(second) + " unchanged skipped, 0 duplicate)"; !strings.Contains(r.err, want) {
		t.Errorf("resumed summary does not say %q:\n%s", want, r.err)
	}
	assertSameCase(t, db, b.want)
	// The killed runs could not record their end; the next run marks them.
	if got := scalar(t, db, "SELECT string_agg(status, ',' ORDER BY run_id) FROM ingest_runs"); got != "killed,killed,ok" {
		t.Errorf("ingest_runs after two kills and a resume = %q, want killed,killed,ok", got)
	}
}

// TestInterruptAndResume: Ctrl-C stops cleanly with exit code 130 and a resumable state.
func TestInterruptAndResume(t *testing.T) {
	t.Parallel()
	b := newBenchSet(t)
	db := filepath.Join(t.TempDir(), "b.duckdb")
	args := []string{"ingest", "-v", "--progress", "none", "--commit-rows", "4000", "--db", db, b.input}

	stderr, ws := signalAfter(t, syscall.SIGINT, 1, args...)
	if ws.Signaled() || ws.ExitStatus() != 130 {
		t.Fatalf("after SIGINT: wait status %v (exit %d), want exit code 130; stderr:\n%s", ws, ws.ExitStatus(), stderr)
	}
	for _, want := range []string{"interrupted after", "run the same command again to resume", "flowdig: interrupted"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr after SIGINT lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "goroutine ") {
		t.Errorf("stderr after SIGINT has a stack trace:\n%s", stderr)
	}
	committedObjects(t, db, b.files)
	if got := scalar(t, db, "SELECT string_agg(status, ',' ORDER BY run_id) FROM ingest_runs"); got != "interrupted" {
		t.Errorf("ingest_runs status after Ctrl-C = %q, want interrupted", got)
	}

	flowdig(t, args...).must(t, "resume")
	assertSameCase(t, db, b.want)
	if got := scalar(t, db, "SELECT string_agg(status, ',' ORDER BY run_id) FROM ingest_runs"); got != "interrupted,ok" {
		t.Errorf("ingest_runs after resume = %q, want interrupted,ok", got)
	}
}
