//go:build duckdb_arrow

// Command huntbench measures `flowdig hunt` on a generated dataset with ground truth: it
// generates a dataset with the hunt scenarios planted (synth.Config.Hunt: an attack each
// detector must report and a near-miss none may, on realistic benign noise), ingests it, runs
// every detector with the default rules (or -rules FILE), and prints precision and recall per
// detector, the false findings per 10 million benign records, and the hunt's time per detector.
//
//	go run -tags duckdb_arrow ./scripts/huntbench -records 10000000 -bench
//	go run -tags duckdb_arrow ./scripts/huntbench -records 300000            # the multi-account demo world
//
// -data DIR -case FILE reuse a dataset and case made by an earlier run (-keep keeps them).
// It exits 1 when a planted scenario is missed or a detector makes more than one false finding
// per 10 million benign records.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/detect/quality"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

func main() {
	records := flag.Int("records", 1_000_000, "benign records to generate")
	bench := flag.Bool("bench", false, "the benchmark world: one account and region, default format only")
	seed := flag.Int64("seed", 1, "dataset seed")
	work := flag.String("work", "", "working directory (default: a new temporary one)")
	data := flag.String("data", "", "use this generated dataset instead of generating one")
	casePath := flag.String("case", "", "use this case (already ingested from -data) instead of ingesting")
	rulesFile := flag.String("rules", "", "rules file (default: the built-in rules)")
	keep := flag.Bool("keep", false, "keep the working directory")
	verbose := flag.Bool("v", false, "list every finding with its verdict")
	flag.Parse()
	ctx := context.Background()

	dir := *work
	if dir == "" {
		d, err := os.MkdirTemp("", "huntbench-")
		if err != nil {
			log.Fatal(err)
		}
		dir = d
	}
	if !*keep && *work == "" {
		defer os.RemoveAll(dir)
	}
	if *data == "" {
		*data = filepath.Join(dir, "data")
		t := time.Now()
		m, err := synth.Generate(ctx, *data, synth.Config{Seed: *seed, Records: *records, BenchOnly: *bench, Hunt: true,
			Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 3})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("generated %d records (%d planted) in %d files, %.1fs\n", m.Totals.Records, m.Totals.Planted, m.Totals.Files, time.Since(t).Seconds())
	}
	m, err := synth.ReadManifest(*data)
	if err != nil {
		log.Fatal(err)
	}
	if *casePath == "" {
		*casePath = filepath.Join(dir, "case.duckdb")
		if err := ingestData(ctx, *casePath, *data); err != nil {
			log.Fatal(err)
		}
	}
	rules := detect.Default()
	if *rulesFile != "" {
		b, err := os.ReadFile(*rulesFile)
		if err != nil {
			log.Fatal(err)
		}
		if rules, err = detect.LoadRules(b, *rulesFile); err != nil {
			log.Fatal(err)
		}
	}
	db, err := store.Open(ctx, *casePath, store.Options{MemoryLimit: "1GB", Version: "huntbench"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	res, err := detect.Hunt(ctx, db, detect.Options{Rules: rules, Version: "huntbench", Args: "huntbench"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nhunt over %d records: %.1fs (preparing the records %.1fs), %d findings; %d CPUs\n",
		res.Records, res.Elapsed.Seconds(), res.Prepare.Seconds(), len(res.Findings), runtime.NumCPU())
	for _, r := range res.Runs {
		fmt.Printf("  %-20s %6.2fs  %3d findings %s\n", r.Detector, r.Elapsed.Seconds(), r.Findings, r.Note)
	}
	rep := quality.Score(m, res.Findings)
	fmt.Printf("\n%d scenarios (%d near-misses), %d benign records\n\n", len(m.Scenarios), nearMisses(m), rep.BenignRecords)
	rep.Print(os.Stdout)
	if *verbose {
		fmt.Println()
		for _, j := range rep.Judged {
			fmt.Printf("%-6s %-8s %-20s %-9s %s [%s]\n", j.Finding.ID, j.Finding.Severity, j.Finding.Detector, j.Verdict, j.Finding.Summary, j.Scenario)
		}
	}
	fail := false
	for _, d := range rep.Detectors {
		if d.Found < d.Planted || float64(d.False) > max(1, float64(rep.BenignRecords)/1e7) {
			fail = true
		}
	}
	if *keep || *work != "" {
		fmt.Printf("\ndataset %s, case %s\n", *data, *casePath)
	}
	if fail {
		os.Exit(1)
	}
}

func nearMisses(m *synth.Manifest) int {
	n := 0
	for _, s := range m.Scenarios {
		if s.NearMiss {
			n++
		}
	}
	return n
}

// ingestData loads every flow-log folder of the dataset (AWSLogs/ and the dev flow log's
// user prefix) into a new case.
func ingestData(ctx context.Context, casePath, data string) error {
	var roots []string
	for _, r := range []string{"AWSLogs", "central-logs"} {
		if _, err := os.Stat(filepath.Join(data, r)); err == nil {
			roots = append(roots, filepath.Join(data, r))
		}
	}
	db, err := store.Open(ctx, casePath, store.Options{MemoryLimit: "512MB", Version: "huntbench"})
	if err != nil {
		return err
	}
	defer db.Close()
	t := time.Now()
	sum, err := ingest.Run(ctx, db, local.New(roots), ingest.Options{Inputs: data})
	if err != nil {
		return err
	}
	fmt.Printf("ingested %d records in %.1fs\n", sum.Records, time.Since(t).Seconds())
	return nil
}
