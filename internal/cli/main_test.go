//go:build duckdb_arrow

// End-to-end tests of the flowdig command line. The test binary doubles as the flowdig program:
// with FLOWDIG_TEST_MAIN=1 in its environment, TestMain runs cli.Run exactly as cmd/flowdig does,
// so tests can start real flowdig subprocesses (and kill them) without building anything else.
package cli_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/cli"
)

func TestMain(m *testing.M) {
	if os.Getenv("FLOWDIG_TEST_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// limit bounds every command a test runs, so that a hang fails instead of blocking the suite.
const limit = 3 * time.Minute

// result is what one flowdig invocation did.
type result struct {
	code     int
	out, err string
}

// proc describes how to start a flowdig subprocess.
type proc struct {
	dir string   // working directory ("" keeps the test's)
	env []string // extra KEY=value; FLOWDIG_DB is removed from the inherited environment
}

// command returns a flowdig subprocess bound to ctx.
func (p proc) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Dir = p.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FLOWDIG_DB=") && !strings.HasPrefix(kv, "FLOWDIG_TEST_MAIN=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "FLOWDIG_TEST_MAIN=1"), p.env...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run starts flowdig as a subprocess and waits for it.
func (p proc) run(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := p.command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("flowdig %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("flowdig %s: no exit within %v; stderr:\n%s", strings.Join(args, " "), limit, errb.String())
	}
	return result{code: cmd.ProcessState.ExitCode(), out: out.String(), err: errb.String()}
}

// flowdig runs the CLI as a subprocess with the test's working directory.
func flowdig(t *testing.T, args ...string) result {
	t.Helper()
	return proc{}.run(t, args...)
}

// inproc runs the CLI in the test process, reading stdin from in.
func inproc(t *testing.T, in string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var out, errb bytes.Buffer
	code := cli.Run(ctx, args, cli.Stdio{In: strings.NewReader(in), Out: &out, Err: &errb})
	if ctx.Err() != nil {
		t.Fatalf("flowdig %s: no return within %v", strings.Join(args, " "), limit)
	}
	return result{code: code, out: out.String(), err: errb.String()}
}

// must fails the test unless r exited 0.
func (r result) must(t *testing.T, what string) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit code %d\nstdout:\n%s\nstderr:\n%s", what, r.code, r.out, r.err)
	}
	return r
}

// query runs SQL against db through `flowdig query --format json` and decodes the rows with
// numbers kept as their exact decimal text.
func query(t *testing.T, db, sql string) []map[string]any {
	t.Helper()
	r := inproc(t, "", "query", "--db", db, "--format", "json", sql).must(t, sql)
	return decodeJSON(t, r.out)
}

func decodeJSON(t *testing.T, s string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var rows []map[string]any
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("decode JSON output: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("JSON output has more than one value:\n%s", s)
	}
	return rows
}

// scalar returns the only column of the only row of sql, as text.
func scalar(t *testing.T, db, sql string) string {
	t.Helper()
	rows := query(t, db, sql)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", sql, rows)
	}
	for _, v := range rows[0] {
		return text(v)
	}
	return ""
}

// text renders a decoded JSON value the way the tests compare it.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// defaultHeader is the header line AWS writes for the default format.
const defaultHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

// fixtureLines are hand-written default-format records around 10.0.0.5: one pair moves more
// than 2^31 bytes per record, the reverse pair has an odd total (integer division shows), and
// look-alike addresses (10.0.0.55, 10.0.0.6) must not match the playbook's filter.
var fixtureLines = []string{
	"2 123456789012 eni-0a1b2c3d 10.0.0.5 203.0.113.9 44321 443 6 2000000 3000000000 1767225600 1767225660 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 10.0.0.5 203.0.113.9 44322 443 6 1700000 2500000001 1767225700 1767225760 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 10.0.0.5 203.0.113.9 44323 443 6 1500000 2147483648 1767225800 1767225899 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 203.0.113.9 10.0.0.5 443 44321 6 10 1000 1767225610 1767225620 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 203.0.113.9 10.0.0.5 443 44322 6 7 501 1767225630 1767225700 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 10.0.0.5 198.51.100.7 51000 53 17 1 10 1767229200 1767229259 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 10.0.0.6 203.0.113.9 40000 443 6 9000000 99999999999 1767225600 1767225660 ACCEPT OK",
	"2 123456789012 eni-0a1b2c3d 192.168.1.1 10.0.0.55 40001 22 6 3000000 5000000000 1767225600 1767225660 REJECT OK",
	"2 123456789012 eni-0a1b2c3d - - - - - - - 1767225600 1767225660 - NODATA",
}

// fixtureBytes is the sum of bytes over fixtureLines.
const fixtureBytes = 3000000000 + 2500000001 + 2147483648 + 1000 + 501 + 10 + 99999999999 + 5000000000

// writeFixture writes fixtureLines as a gzip object with a header line in the plain S3 layout
// and returns the file's path.
func writeFixture(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "01", "01",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260101T0000Z_abcd1234.log.gz")
	body := defaultHeader + "\n" + strings.Join(fixtureLines, "\n") + "\n"
	return writeFile(t, name, gzipBytes(t, body))
}

// fixtureCase ingests the fixture into a new case and returns the case's path.
func fixtureCase(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	writeFixture(t, data)
	db := filepath.Join(t.TempDir(), "case.duckdb")
	inproc(t, "", "ingest", "--progress", "none", "--db", db, data).must(t, "ingest fixture")
	return db
}
