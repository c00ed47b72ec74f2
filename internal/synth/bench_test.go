package synth

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkGenerate writes the benchmark dataset (default 1M records; set
// SYNTH_BENCH_RECORDS to change it) and reports records per second.
func BenchmarkGenerate(b *testing.B) {
	cfg := Config{Seed: 1, BenchOnly: true, Records: 1_000_000}
	if s := os.Getenv("SYNTH_BENCH_RECORDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		cfg.Records = n
	}
	b.ReportAllocs()
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		dir := filepath.Join(root, strconv.Itoa(i))
		if _, err := Generate(context.Background(), dir, cfg); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(cfg.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
