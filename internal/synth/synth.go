// Package synth generates deterministic, realistic synthetic VPC Flow Logs
// datasets on disk, laid out exactly as AWS delivers them to S3: the four key
// layouts, AWS file names, gzip text objects with a header line in default
// and custom formats, Parquet objects, and a Transit Gateway flow log.
//
// A dataset is a pure function of its Config: the same seed gives the same
// bytes in every file, whatever the number of workers. Outside BenchOnly
// mode it also carries a planted incident (port scan, SSH brute force,
// exfiltration, beaconing, an IOC range contact) with its ground truth, an
// IOC list, and two deliberately damaged objects; dir/manifest.json records
// all of it so that tests and the demo can check what an ingester and the
// detections find.
package synth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Config selects what Generate writes. Zero values take the defaults noted.
type Config struct {
	Seed  int64
	Start time.Time // first UTC day (truncated to midnight); default 2026-11-01
	Days  int       // default 3
	// Records is the target number of benign records (planted scenario
	// records come on top). Default 200,000.
	Records int
	// RecordsPerFile caps records per object; a busy window is split into
	// several objects. Default 4350 (10M records ≈ 2,300 files, like real
	// 5-minute files).
	RecordsPerFile int
	// BenchOnly writes only default-format (version 2) gzip text in the
	// plain layout, for one account and region, with no scenarios and no
	// damage: the benchmark dataset. Files are full (RecordsPerFile each).
	BenchOnly bool
	// Workers is the number of parallel file writers; default GOMAXPROCS.
	Workers int
	// Hunt adds the detection scenarios to the prod us-east-1 flow log
	// (also with BenchOnly, which then keeps the incident's scenarios that
	// fit its one flow log): for each `flowdig hunt` detector an attack it
	// must report and a near-miss it must not, with the detectors expected
	// of every scenario and the environment's benign exposures in the
	// manifest. Without it the dataset is unchanged.
	Hunt bool
}

// DemoConfig is the dataset behind `flowdig demo`.
func DemoConfig() Config {
	return Config{
		Seed:           20261101,
		Start:          time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Days:           3,
		Records:        200_000,
		RecordsPerFile: 4350,
	}
}

func (c Config) withDefaults() (Config, error) {
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	c.Start = c.Start.UTC().Truncate(24 * time.Hour)
	if c.Days == 0 {
		c.Days = 3
	}
	if c.Records == 0 {
		c.Records = 200_000
	}
	if c.RecordsPerFile == 0 {
		c.RecordsPerFile = 4350
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.Days < 0 || c.Days > 366:
		return c, fmt.Errorf("synth: days must be between 1 and 366, got %d", c.Days)
	case c.Records < 0:
		return c, fmt.Errorf("synth: records must be positive, got %d", c.Records)
	case c.RecordsPerFile < 0:
		return c, fmt.Errorf("synth: records per file must be positive, got %d", c.RecordsPerFile)
	}
	return c, nil
}

// Generate writes a dataset under dir, which must be empty or absent, and
// returns its manifest (also written to dir/manifest.json). If ctx is
// cancelled it stops between files and returns ctx's error, leaving the
// files written so far and no manifest.
func Generate(ctx context.Context, dir string, cfg Config) (*Manifest, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ensureEmptyDir(dir); err != nil {
		return nil, err
	}
	w, err := newWorld(cfg.Seed, cfg.BenchOnly)
	if err != nil {
		return nil, err
	}
	st := story{start: cfg.Start.Unix(), end: cfg.Start.Unix() + int64(cfg.Days)*86400, days: cfg.Days}
	p := newPlanner(cfg, w)
	var sets []plantedSet
	var jobs []job
	switch {
	case cfg.Hunt:
		sets = huntSets(cfg.Seed, w, st)
		if cfg.BenchOnly {
			jobs = p.attachPlanted(p.benchJobs(), sets)
		} else {
			jobs = p.demoJobs(sets)
		}
	case cfg.BenchOnly:
		jobs = p.benchJobs()
	default:
		sets = plantScenarios(cfg.Seed, w, st)
		jobs = p.demoJobs(sets)
	}
	if err := makeDirs(dir, jobs); err != nil {
		return nil, err
	}
	results, err := runJobs(ctx, w, dir, jobs, cfg.Workers)
	if err != nil {
		return nil, err
	}
	m := buildManifest(cfg, w, st, jobs, results, sets)
	if cfg.Hunt {
		m.Hunt, m.Exposures = true, exposures(w)
	}
	if !cfg.BenchOnly {
		body, iocs := iocList()
		if err := os.WriteFile(filepath.Join(dir, "iocs.csv"), body, 0o644); err != nil {
			return nil, fmt.Errorf("synth: write iocs.csv: %w", err)
		}
		m.IOCFile, m.IOCs = "iocs.csv", iocs
	}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return m, nil
}

func ensureEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("synth: read dir %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("synth: output directory %s is not empty", dir)
	}
	return nil
}

func makeDirs(dir string, jobs []job) error {
	seen := map[string]bool{}
	for i := range jobs {
		d := path.Dir(jobs[i].key)
		if seen[d] {
			continue
		}
		seen[d] = true
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return fmt.Errorf("synth: create %s: %w", d, err)
		}
	}
	return nil
}

// runJobs writes every job with a fixed pool of workers. Results land at
// their job's index, so the manifest order does not depend on scheduling.
func runJobs(ctx context.Context, w *world, dir string, jobs []job, workers int) ([]result, error) {
	results := make([]result, len(jobs))
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range min(workers, max(1, len(jobs))) {
		g.Go(func() error {
			wk := newWorker(w, dir)
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return nil
				}
				r, err := wk.run(&jobs[i])
				if err != nil {
					return err
				}
				results[i] = r
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}

func buildManifest(cfg Config, w *world, st story, jobs []job, results []result, sets []plantedSet) *Manifest {
	m := &Manifest{
		Seed: cfg.Seed, BenchOnly: cfg.BenchOnly, RecordsPerFile: cfg.RecordsPerFile,
		Start: time.Unix(st.start, 0).UTC(), End: time.Unix(st.end, 0).UTC(),
	}
	index := map[string]int{}
	for _, fl := range w.flowLogs {
		kind := "plain-text"
		if fl.parquet {
			kind = "parquet"
		}
		index[fl.id] = len(m.FlowLogs)
		m.FlowLogs = append(m.FlowLogs, FlowLog{
			ID: fl.id, Account: fl.vpc.account, Region: fl.vpc.region, Resource: fl.vpc.id, Kind: "vpc",
			FileFormat: kind, Layout: fl.layout, Prefix: fl.prefix, Format: fl.format, Version: fl.version,
			Description: fl.describe,
		})
	}
	if t := w.tgw; t != nil {
		index[t.flowLogID] = len(m.FlowLogs)
		m.FlowLogs = append(m.FlowLogs, FlowLog{
			ID: t.flowLogID, Account: AccountProd, Region: t.prod.vpc.region, Resource: t.tgwID,
			Kind: "transit-gateway", FileFormat: "plain-text", Layout: LayoutPlain, Format: formatTGW, Version: 6,
			Description: "prod transit gateway (prod us-east-1 <-> shared services), default TGW format",
		})
	}
	for i, r := range results {
		f := r.file
		m.Files = append(m.Files, f)
		fl := &m.FlowLogs[index[f.FlowLogID]]
		fl.Files++
		fl.Records += f.Records
		t := &m.Totals
		t.Files++
		if f.Format == "parquet" {
			t.ParquetFiles++
		} else {
			t.TextFiles++
		}
		t.Records += f.Records
		t.Planted += len(jobs[i].planted)
		t.DataLines += f.DataLines
		t.LostRecords += r.lost
		t.Bytes += f.Bytes
		if r.damage != nil {
			m.Damaged = append(m.Damaged, *r.damage)
			m.ExpectedQuarantinedLines += r.damage.QuarantinedLines
		}
	}
	for _, s := range sets {
		m.Scenarios = append(m.Scenarios, s.truth)
	}
	return m
}
