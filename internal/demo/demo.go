// Package demo runs flowdig end to end on built-in data: it generates a synthetic incident in
// the real S3 layout (several accounts, regions and days; default and custom formats; gzip text
// and Parquet; a port scan, SSH brute force, exfiltration, beaconing and IOC contacts), ingests
// it into a fresh case, prints the playbook's first questions and their answers, and runs the
// hunt.
package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/ioc"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/synth"
)

//go:embed queries/*.sql
var queries embed.FS

// marker identifies a workspace the demo created, so it only ever deletes its own files.
const marker = ".flowdig-demo"

// Options configure a demo run.
type Options struct {
	Dir      string // workspace: data/ and case.duckdb are created here
	Out      io.Writer
	Err      io.Writer
	Format   report.Format
	Progress ingest.Progress
	Version  string
}

// Run generates, ingests and analyses the demo dataset.
func Run(ctx context.Context, opt Options) error {
	began := time.Now()
	if err := prepare(opt.Dir); err != nil {
		return err
	}
	data := filepath.Join(opt.Dir, "data")
	casePath := filepath.Join(opt.Dir, "case.duckdb")
	fmt.Fprintf(opt.Err, "generating a synthetic incident in %s …\n", data)
	m, err := synth.Generate(ctx, data, synth.DemoConfig())
	if err != nil {
		return err
	}
	fmt.Fprintf(opt.Err, "generated %d objects (%d gzip text, %d Parquet), %d records, %.1f MB\n",
		m.Totals.Files, m.Totals.TextFiles, m.Totals.ParquetFiles, m.Totals.Records, float64(m.Totals.Bytes)/1e6)
	db, err := store.Open(ctx, casePath, store.Options{Version: opt.Version, MemoryLimit: "512MB"})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := ingest.Run(ctx, db, local.New([]string{filepath.Join(data, "AWSLogs"), filepath.Join(data, "central-logs")}),
		ingest.Options{Progress: opt.Progress, Inputs: data})
	if err != nil {
		return err
	}
	fmt.Fprintf(opt.Err, "ingested %d objects, %d records, %d lines quarantined (%d expected from the planted damage) in %.1fs\n",
		sum.Objects, sum.Records, sum.Quarantined, m.ExpectedQuarantinedLines, sum.Elapsed.Seconds())
	if err := loadIOCs(ctx, db, opt, filepath.Join(data, m.IOCFile)); err != nil {
		return err
	}
	ip := ""
	for _, s := range m.Scenarios {
		if s.Name == "exfiltration" {
			ip = s.SrcAddr
		}
	}
	if err := printQueries(ctx, db, opt, map[string]any{"ip": ip}); err != nil {
		return err
	}
	res, err := hunt(ctx, db, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(opt.Out, "\nDemo finished in %.0fs. Explore the case yourself:\n", time.Since(began).Seconds())
	fmt.Fprintf(opt.Out, "  flowdig query --db %s \"SELECT * FROM flows LIMIT 10\"\n  flowdig sources --db %s\n", casePath, casePath)
	fmt.Fprintf(opt.Out, "  flowdig hunt --db %s\n", casePath)
	if len(res.Findings) > 0 {
		fmt.Fprintf(opt.Out, "  flowdig finding show --db %s --evidence %s\n", casePath, res.Findings[0].ID)
	}
	return nil
}

// prepare empties a workspace the demo made earlier, or creates a new one; it refuses to touch
// a non-empty folder that is not a demo workspace.
func prepare(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("demo workspace %s: %w", dir, err)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
			return fmt.Errorf("demo workspace %s is not empty and was not made by flowdig demo; choose another --dir", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("demo workspace %s: %w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo workspace %s: %w", dir, err)
	}
	return os.WriteFile(filepath.Join(dir, marker), []byte("created by flowdig demo; safe to delete\n"), 0o644)
}

// loadIOCs enriches the case's addresses (AWS service tagging keeps S3 gateway-endpoint traffic
// out of the exfiltration question) and adds the dataset's indicator list the way
// `flowdig ioc add` does, which also fills the playbook's incident_iocs.
func loadIOCs(ctx context.Context, db *store.DB, opt Options, path string) error {
	st, err := enrich.Refresh(ctx, db, enrich.Options{Version: opt.Version})
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load IOC list: %w", err)
	}
	l, err := ioc.Parse(data, ioc.Options{Name: path})
	if err != nil {
		return fmt.Errorf("load IOC list %s: %w", path, err)
	}
	sum := sha256.Sum256(data)
	added, err := ioc.AddList(ctx, db, "demo-iocs", l, ioc.Source{URI: path, SHA256: hex.EncodeToString(sum[:])}, ioc.AddOptions{Version: opt.Version})
	if err != nil {
		return err
	}
	fmt.Fprintf(opt.Err, "described %d addresses (AWS ip-ranges createDate %s); IOC list demo-iocs: %d indicators, %d seen in the records\n",
		st.Addresses, st.Ranges.Version, added.Indicators, added.SeenIndicators)
	return nil
}

func printQueries(ctx context.Context, db *store.DB, opt Options, params map[string]any) error {
	names, err := fs.Glob(queries, "queries/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := queries.ReadFile(name)
		if err != nil {
			return err
		}
		text := string(b)
		title, _, _ := strings.Cut(strings.TrimPrefix(text, "-- title: "), "\n")
		fmt.Fprintf(opt.Out, "\n== %s\n", title)
		var args []any
		for k, v := range params {
			if strings.Contains(text, "$"+k) {
				args = append(args, namedArg(k, v))
			}
		}
		if err := runQuery(ctx, db, opt, text, args); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func runQuery(ctx context.Context, db *store.DB, opt Options, q string, args []any) error {
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	w, err := report.NewWriter(opt.Out, opt.Format, report.Options{MaxWidth: 48, Footer: opt.Format == report.Table})
	if err != nil {
		return err
	}
	_, _, err = report.WriteRows(ctx, rows, w, 0)
	return err
}

func namedArg(name string, v any) any { return sql.Named(name, v) }
