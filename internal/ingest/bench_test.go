//go:build duckdb_arrow

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/synth"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// benchData generates a default-format dataset (FLOWDIG_BENCH_RECORDS records, default 200k)
// once per benchmark binary run.
func benchData(b *testing.B) (string, int) {
	b.Helper()
	n := 200_000
	if s := os.Getenv("FLOWDIG_BENCH_RECORDS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := filepath.Join(b.TempDir(), "data")
	_, err := synth.Generate(context.Background(), dir, synth.Config{Seed: 7, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 1, Records: n, BenchOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "AWSLogs"), n
}

// BenchmarkDecode measures one worker turning gzip objects into Arrow batches (no database).
func BenchmarkDecode(b *testing.B) {
	dir, n := benchData(b)
	src := local.New([]string{dir})
	objs, err := src.List(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, o := range objs {
		size += o.Size
	}
	d := newDecoder(flowlog.MustFormat(flowlog.DefaultFormat), false, 122_880)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, o := range objs {
			obj, err := d.decode(context.Background(), src, o, timewindow.Of(timewindow.All()))
			if err != nil {
				b.Fatal(err)
			}
			obj.Release()
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkIngest measures the whole pipeline into a fresh case database.
func BenchmarkIngest(b *testing.B) {
	dir, n := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		db := openDB(b)
		if _, err := Run(context.Background(), db, local.New([]string{dir}), Options{}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

var _ source.Source = (*local.Source)(nil)
