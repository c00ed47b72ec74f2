package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

type ingestOptions struct {
	fields      string
	strict      bool
	workers     int
	progress    string
	verbose     bool
	commitRows  int
	memoryLimit string
}

func newIngestCmd(e *env) *cobra.Command {
	o := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest [flags] PATH...",
		Short: "Load flow-log files and folders into the case database",
		Long: `Load VPC and Transit Gateway flow logs into the case database.

PATH is a file or a folder (walked recursively), e.g. a bucket copied with 'aws s3 sync'. Any S3
key layout is understood (plain, Hive-compatible, hourly, with a prefix before AWSLogs/); gzip
text, plain text and Parquet are recognised by their content. The field order comes from each
file's header line; files without one use --fields (default: the 14-field default format).

Every object is recorded in the ledger (flowdig sources) with its SHA-256. Lines that cannot be
stored go to the quarantine table with the reason; nothing is dropped silently. Running the same
ingest again adds nothing, and an interrupted ingest resumes where it stopped.`,
		Example: `  flowdig ingest --db case.duckdb ./AWSLogs/
  flowdig ingest --fields 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status' eni-export.log`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), e, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.fields, "fields", "", "field order of files without a header line, e.g. '${version} ${srcaddr} ...' (default: the default format)")
	f.BoolVar(&o.strict, "strict", false, "exit with an error when any line was quarantined or any object was damaged or unreadable")
	f.IntVar(&o.workers, "workers", runtime.GOMAXPROCS(0), "parallel decoders")
	f.StringVar(&o.progress, "progress", "auto", "progress display: auto (a bar on a terminal), bar, none")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "log every commit to stderr")
	f.StringVar(&o.memoryLimit, "memory-limit", "512MB", "DuckDB memory limit during ingest")
	f.IntVar(&o.commitRows, "commit-rows", 0, "records per transaction (default 1000000)")
	_ = f.MarkHidden("commit-rows")
	return cmd
}

func runIngest(ctx context.Context, e *env, o *ingestOptions, paths []string) error {
	opt := ingest.Options{Workers: o.workers, CommitRows: o.commitRows, Inputs: strings.Join(paths, " ")}
	if o.fields != "" {
		f, err := flowlog.ParseFormat(o.fields)
		if err != nil {
			return usagef("--fields: %v", err)
		}
		opt.Fields, opt.FieldsGiven = f, true
	}
	switch o.progress {
	case "auto":
		if isTTY(e.io.Err) {
			opt.Progress = newBarProgress(e.io.Err)
		}
	case "bar":
		opt.Progress = newBarProgress(e.io.Err)
	case "none":
	default:
		return usagef("--progress: want auto, bar or none, not %q", o.progress)
	}
	if o.verbose {
		opt.Log = e.io.Err
	}
	src := local.New(paths)
	listing, err := ingest.List(ctx, src)
	if errors.Is(err, ingest.ErrNoInput) {
		return exitError{code: ExitError, err: fmt.Errorf("%w in %s", err, strings.Join(paths, ", "))}
	} else if err != nil {
		return err
	}
	db, err := store.Open(ctx, e.casePath(), store.Options{MemoryLimit: o.memoryLimit, Version: version()})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := ingest.RunListed(ctx, db, src, listing, opt)
	if sum != nil {
		printSummary(e.io.Err, sum)
	}
	if err != nil {
		return err
	}
	if o.strict && (sum.Quarantined > 0 || len(sum.Damaged) > 0 || len(sum.Failed) > 0) {
		return exitError{code: ExitError, err: fmt.Errorf("--strict: %d lines quarantined, %d objects damaged, %d unreadable",
			sum.Quarantined, len(sum.Damaged), len(sum.Failed))}
	}
	return nil
}

// printSummary writes the one summary line, then names what needs the analyst's attention.
func printSummary(w io.Writer, s *ingest.Summary) {
	secs := s.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Records) / secs
	}
	status := "ingested"
	if s.Interrupted {
		status = "interrupted after"
	}
	fmt.Fprintf(w, "%s %d objects (%d unchanged skipped, %d duplicate), %d records, %d quarantined, %.1f MB in %.1fs (%.0f records/s)\n",
		status, s.Objects, s.Unchanged, s.Duplicates, s.Records, s.Quarantined, float64(s.Bytes)/1e6, secs, rate)
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(items))
		for i, it := range items {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more (see: flowdig sources)\n", len(items)-10)
				break
			}
			fmt.Fprintf(w, "  %s\n", it)
		}
	}
	list("damaged objects, read up to the damage", s.Damaged)
	list("objects with quarantined lines (see: flowdig query 'SELECT * FROM quarantine')", s.Quarantines)
	failed := make([]string, len(s.Failed))
	for i, f := range s.Failed {
		failed[i] = f.Err.Error()
	}
	list("objects that could not be read", failed)
	if s.Interrupted {
		fmt.Fprintln(w, "run the same command again to resume; committed objects are kept and skipped")
	}
}
