//go:build duckdb_arrow

package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// secret is the test secret key; it must never appear in output or in the case.
const secret = "wJalrXUtnFEMI-flowdig-test-secret"

// awsEnv points the SDK's standard chain at static test credentials and nothing else.
var awsEnv = []string{
	"AWS_ACCESS_KEY_ID=AKIDFLOWDIGTEST", "AWS_SECRET_ACCESS_KEY=" + secret,
	"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	"AWS_REGION=", "AWS_DEFAULT_REGION=", "AWS_PROFILE=",
}

// fakeBucket serves gofakes3 holding the fixture object and one of another account and day.
func fakeBucket(t *testing.T) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("central-logs"); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	fixture := writeFixture(t, data)
	body, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(data, fixture)
	put := func(key string, b []byte) {
		if _, err := backend.PutObject("central-logs", key, map[string]string{}, bytes.NewReader(b), int64(len(b)), nil); err != nil {
			t.Fatal(err)
		}
	}
	put("prod/"+filepath.ToSlash(rel), body)
	put("prod/AWSLogs/999999999999/vpcflowlogs/us-east-1/2026/01/02/999999999999_vpcflowlogs_us-east-1_fl-0fedcba987654321_20260102T0000Z_ffff0000.log.gz", body)
	srv := httptest.NewUnstartedServer(gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestIngestFromS3(t *testing.T) {
	t.Parallel()
	endpoint := fakeBucket(t)
	db := filepath.Join(t.TempDir(), "case.duckdb")
	p := proc{env: awsEnv}
	args := []string{"ingest", "--progress", "none", "--db", db, "s3://central-logs/prod/AWSLogs/", "--endpoint-url", endpoint,
		"--account", "123456789012", "--region", "us-east-1", "--from", "2026-01-01", "--to", "2026-01-01"}

	r := p.run(t, append(args, "--dry-run")...).must(t, "dry run")
	if !strings.Contains(r.out, "would read 1 objects") || !strings.Contains(r.out, "plain") ||
		!strings.Contains(r.err, "0 GET") || !strings.Contains(r.err, "nothing was fetched") {
		t.Errorf("dry run:\nstdout:\n%s\nstderr:\n%s", r.out, r.err)
	}
	if exists(db) {
		t.Error("the dry run created a case")
	}

	r = p.run(t, args...).must(t, "ingest from S3")
	if got := summaryLine(t, r.err); !strings.HasPrefix(got, "ingested 1 objects (0 unchanged skipped, 0 duplicate), 9 records, 0 quarantined,") {
		t.Errorf("summary: %s", got)
	}
	if !strings.Contains(r.err, "1 GET") {
		t.Errorf("requests not reported:\n%s", r.err)
	}
	row := query(t, db, `SELECT bucket, key, etag, sha256, window_from, window_to FROM sources`)
	if len(row) != 1 || text(row[0]["bucket"]) != "central-logs" || !strings.HasPrefix(text(row[0]["key"]), "prod/AWSLogs/123456789012/") ||
		!strings.HasPrefix(text(row[0]["etag"]), `"`) || len(text(row[0]["sha256"])) != 64 ||
		text(row[0]["window_from"]) != "1767225600" || text(row[0]["window_to"]) != "1767311999" {
		t.Errorf("ledger: %v", row)
	}
	r = p.run(t, append(args, "--dry-run")...).must(t, "dry run after ingest")
	if !strings.Contains(r.out, "would read 0 objects") || !strings.Contains(r.out, "1 already in the ledger") {
		t.Errorf("dry run after ingest:\n%s", r.out)
	}
	r = p.run(t, args...).must(t, "second ingest")
	if got := summaryLine(t, r.err); !strings.HasPrefix(got, "ingested 0 objects (1 unchanged skipped") || !strings.Contains(r.err, "0 GET") {
		t.Errorf("second ingest: %s", r.err)
	}
	for _, s := range []string{r.out, r.err, scalar(t, db, `SELECT string_agg(inputs || options, ' ') FROM ingest_runs`)} {
		if strings.Contains(s, secret) || strings.Contains(s, "AKIDFLOWDIGTEST") {
			t.Error("credentials in output or ledger")
		}
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Error("the secret key is in the case file")
	}
}

// cwServer answers FilterLogEvents with the fixture's records as events of one ENI stream.
func cwServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "Logs_20140328.FilterLogEvents" {
			w.WriteHeader(400)
			return
		}
		var in struct{ StartTime, EndTime int64 }
		json.NewDecoder(r.Body).Decode(&in)
		var evs []string
		for i, l := range fixtureLines {
			start := strings.Fields(l)[10]
			var s int64
			fmt.Sscan(start, &s)
			if s*1000 >= in.StartTime && s*1000 <= in.EndTime {
				evs = append(evs, fmt.Sprintf(`{"logStreamName":"eni-0a1b2c3d","timestamp":%d,"message":%q,"eventId":"%d"}`, s*1000, l, i))
			}
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		fmt.Fprintf(w, `{"events":[%s]}`, strings.Join(evs, ","))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestIngestFromCloudWatchLogs(t *testing.T) {
	t.Parallel()
	endpoint := cwServer(t)
	db := filepath.Join(t.TempDir(), "case.duckdb")
	p := proc{env: awsEnv}
	r := p.run(t, "ingest", "--db", db, "cwlogs://vpc-flow-logs", "--endpoint-url", endpoint, "--region", "eu-west-1")
	if r.code != 2 || !strings.Contains(r.err, "needs --from") {
		t.Errorf("without --from: exit %d\n%s", r.code, r.err)
	}
	r = p.run(t, "ingest", "--progress", "none", "--db", db, "cwlogs://vpc-flow-logs", "--endpoint-url", endpoint, "--region", "eu-west-1",
		"--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:59:59Z", "--fields", defaultHeader).must(t, "ingest from CloudWatch Logs")
	// The NODATA record has no addresses but a start inside the hour: 8 of the 9 start before 01:00.
	if got := summaryLine(t, r.err); !strings.Contains(got, " 8 records, 0 quarantined") {
		t.Errorf("summary: %s\n%s", got, r.err)
	}
	if got := scalar(t, db, `SELECT string_agg(DISTINCT header_origin || ' ' || format, ',') FROM sources`); got != "--fields text" {
		t.Errorf("ledger: %s", got)
	}
}
