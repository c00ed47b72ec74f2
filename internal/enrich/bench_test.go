//go:build duckdb_arrow

package enrich

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/ioc"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

// benchCase returns an ingested case without enrichment: FLOWDIG_BENCH_CASE (e.g. 10M records
// ingested by `flowdig ingest`), or FLOWDIG_BENCH_RECORDS (default 200k) benchmark records
// generated and ingested here.
func benchCase(b *testing.B) string {
	b.Helper()
	if p := os.Getenv("FLOWDIG_BENCH_CASE"); p != "" {
		return p
	}
	n := 200_000
	if s := os.Getenv("FLOWDIG_BENCH_RECORDS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := synth.Generate(context.Background(), data, synth.Config{Seed: 7, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 1, Records: n, BenchOnly: true}); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "case.duckdb")
	db, err := store.Open(context.Background(), path, store.Options{Version: "bench", MemoryLimit: "512MB"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ingest.Run(context.Background(), db, local.New([]string{data}), ingest.Options{}); err != nil {
		b.Fatal(err)
	}
	db.Close()
	return path
}

// copyCase copies a closed case file, so every iteration starts from the same state.
func copyCase(b *testing.B, from, dir string) string {
	b.Helper()
	to := filepath.Join(dir, "run.duckdb")
	os.Remove(to)
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	return to
}

// benchList is the list: 100,000 indicators, 10,000 of them CIDRs. 1,000 are addresses
// sampled from the records, so there are hits; the rest are random, 10% IPv6; the CIDRs are
// random IPv4 /12../31 and IPv6 /16../64 (a /12 covers a million addresses: many hits).
func benchList(b *testing.B, casePath string) []byte {
	b.Helper()
	db, err := store.Open(context.Background(), casePath, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL.Query(`SELECT DISTINCT dstaddr FROM flows WHERE dstaddr NOT LIKE '10.%' ORDER BY hash(dstaddr) LIMIT 1000`)
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("threat_ip,threat_comment\n")
	seen := map[string]bool{}
	add := func(v, c string) {
		if !seen[v] {
			seen[v] = true
			fmt.Fprintf(&sb, "%s,\"%s\"\n", v, c)
		}
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			b.Fatal(err)
		}
		add(a, "seen address")
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(11, 12))
	for len(seen) < 90_000 {
		if rng.IntN(10) == 0 {
			var a [16]byte
			for i := range a {
				a[i] = byte(rng.IntN(256))
			}
			add(netip.AddrFrom16(a).String(), "random IPv6 address")
		} else {
			add(netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}).String(), "random address")
		}
	}
	for len(seen) < 100_000 {
		if rng.IntN(10) == 0 {
			var a [16]byte
			for i := range a {
				a[i] = byte(rng.IntN(256))
			}
			add(netip.PrefixFrom(netip.AddrFrom16(a), 16+rng.IntN(49)).Masked().String(), "random IPv6 range")
		} else {
			a := netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
			add(netip.PrefixFrom(a, 12+rng.IntN(20)).Masked().String(), "random range")
		}
	}
	return []byte(sb.String())
}

// BenchmarkSweep is the speed target: 100,000 indicators (10,000 CIDRs) swept against
// every record of the case. One iteration: parse the list, bring the case's address enrichment
// up to date (cold: nothing enriched yet, every distinct address described and matched;
// enriched: as after an ingest that ran Refresh), store the list and match it, then compute
// every hit (all ioc_hits columns, materialised by DuckDB) and the per-indicator summary.
func BenchmarkSweep(b *testing.B) {
	base := benchCase(b)
	list := benchList(b, base)
	for _, mode := range []string{"cold", "enriched"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			var parse, refresh, add, sweep, summary, cpu time.Duration
			var hits, seen int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := copyCase(b, base, dir)
				db, err := store.Open(context.Background(), path, store.Options{Version: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				if mode == "enriched" {
					if _, err := Refresh(context.Background(), db, Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				ctx := context.Background()
				c0 := cpuTime()
				t0 := time.Now()
				l, err := ioc.Parse(list, ioc.Options{})
				if err != nil || len(l.Indicators) != 100_000 {
					b.Fatalf("parse: %v, %d indicators", err, len(l.Indicators))
				}
				t1 := time.Now()
				if _, err := Refresh(ctx, db, Options{}); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if _, err := ioc.AddList(ctx, db, "bench", l, ioc.Source{URI: "bench", SHA256: "-"}, ioc.AddOptions{}); err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				if _, err := db.SQL.ExecContext(ctx, `CREATE TEMP TABLE hits AS SELECT * FROM ioc_hits`); err != nil {
					b.Fatal(err)
				}
				t4 := time.Now()
				if _, err := db.SQL.ExecContext(ctx, `CREATE TEMP TABLE summary AS SELECT * FROM ioc_summary`); err != nil {
					b.Fatal(err)
				}
				t5 := time.Now()
				cpu += cpuTime() - c0
				parse, refresh, add, sweep, summary = parse+t1.Sub(t0), refresh+t2.Sub(t1), add+t3.Sub(t2), sweep+t4.Sub(t3), summary+t5.Sub(t4)
				b.StopTimer()
				if err := db.SQL.QueryRow(`SELECT (SELECT count(*) FROM hits), (SELECT count(*) FROM summary WHERE seen)`).Scan(&hits, &seen); err != nil {
					b.Fatal(err)
				}
				db.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(parse.Seconds()/n, "parse-s")
			b.ReportMetric(refresh.Seconds()/n, "refresh-s")
			b.ReportMetric(add.Seconds()/n, "add-s")
			b.ReportMetric(sweep.Seconds()/n, "sweep-s")
			b.ReportMetric(summary.Seconds()/n, "summary-s")
			b.ReportMetric(cpu.Seconds()/n, "cpu-s")
			b.ReportMetric(float64(hits), "hits")
			b.ReportMetric(float64(seen), "indicators-seen")
		})
	}
}
