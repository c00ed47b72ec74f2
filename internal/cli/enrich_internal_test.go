//go:build duckdb_arrow

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

// TestRefreshAfterIngest: the hook for the end of an ingest describes the new addresses, matches
// them against the stored lists, and says so; with nothing new it is silent.
func TestRefreshAfterIngest(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	p := filepath.Join(data, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "01", "01",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260101T0000Z_abcd1234.log")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	body := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		"2 123456789012 eni-1 10.0.0.5 3.5.0.10 40000 443 6 1 100 1767225600 1767225660 ACCEPT OK\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := ingest.Run(ctx, db, local.New([]string{data}), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	e := &env{io: Stdio{Out: &out, Err: &out}}
	if err := refreshAfterIngest(ctx, e, db); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "described 2 new addresses (AWS ip-ranges 2026-08-22-15-17-05), 0 IOC matches") {
		t.Errorf("output: %q", out.String())
	}
	var svc string
	if err := db.SQL.QueryRow(`SELECT dst_aws_service FROM flows_enriched`).Scan(&svc); err != nil || svc != "S3" {
		t.Errorf("flows_enriched: %q %v", svc, err)
	}
	out.Reset()
	if err := refreshAfterIngest(ctx, e, db); err != nil || out.Len() != 0 {
		t.Errorf("second refresh: %v, %q", err, out.String())
	}
}
