//go:build duckdb_arrow

package detect_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

// BenchmarkHunt measures a whole hunt (every detector, default rules, findings stored) over the
// benchmark world with the hunt scenarios planted: FLOWDIG_BENCH_RECORDS benign records
// (default 1,000,000) over three days. scripts/huntbench measures the same on 10M records with
// precision and recall.
func BenchmarkHunt(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("FLOWDIG_BENCH_RECORDS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dir := b.TempDir()
	data := filepath.Join(dir, "data")
	m, err := synth.Generate(ctx, data, synth.Config{Seed: 1, Records: n, Hunt: true, BenchOnly: true, Days: 3,
		Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "case.duckdb"), store.Options{Version: "bench", MemoryLimit: "1GB"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := ingest.Run(ctx, db, local.New([]string{filepath.Join(data, "AWSLogs")}), ingest.Options{}); err != nil {
		b.Fatal(err)
	}
	var findings int
	b.ResetTimer()
	for b.Loop() {
		res, err := detect.Hunt(ctx, db, detect.Options{Rules: detect.Default(), Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		findings = len(res.Findings)
	}
	if findings == 0 {
		b.Fatal("the hunt found none of the planted scenarios")
	}
	b.ReportMetric(float64(m.Totals.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(findings), "findings")
}
