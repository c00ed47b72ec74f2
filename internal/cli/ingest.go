package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/ingest"
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
	remote      remoteOptions
}

func newIngestCmd(e *env) *cobra.Command {
	o := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest [flags] PATH|s3://BUCKET/PREFIX|cwlogs://LOG-GROUP...",
		Short: "Load flow logs from files, folders, S3 or CloudWatch Logs into the case database",
		Long: `Load VPC and Transit Gateway flow logs into the case database.

PATH is a file or a folder (walked recursively), e.g. a bucket copied with 'aws s3 sync'. Any S3
key layout is understood (plain, Hive-compatible, hourly, with a prefix before AWSLogs/); gzip
text, plain text, Parquet and CloudWatch Logs JSON (subscription payloads, 'aws logs
filter-log-events' output) are recognised by their content. The field order comes from each
file's header line; files without one use --fields (default: the 14-field default format).

s3://BUCKET/PREFIX reads a bucket directly, with the standard AWS credential chain (or --profile,
--role-arn). Only the account, region and day folders that --account, --region, --from and --to
select are listed; cut downloads resume where they broke. cwlogs://LOG-GROUP reads a CloudWatch
Logs group (--stream: ENI ids) over --from..--to; its events have no header, so give --fields.

--from/--to select records by start and end (a date given to --to includes that whole day).
Records outside the window are not stored; a later ingest with a wider window reads the objects
again and adds only the records it lacks.

Every object is recorded in the ledger (flowdig sources) with its SHA-256 (and bucket, key, ETag,
version for S3). Lines that cannot be stored go to the quarantine table with the reason; nothing
is dropped silently. Running the same ingest again adds nothing, and an interrupted ingest resumes
where it stopped.`,
		Example: `  flowdig ingest --db case.duckdb ./AWSLogs/
  flowdig ingest --fields 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status' eni-export.log
  flowdig ingest s3://central-logs/prod/AWSLogs/ --account 128580493817 --region us-east-1 --from 2026-11-01 --to 2026-11-03 --profile ir-readonly
  flowdig ingest cwlogs://vpc-flow-logs --region eu-west-1 --from 24h --fields '${version} ${vpc-id} ...'
  flowdig ingest s3://bucket/AWSLogs/ --dry-run`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), e, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.fields, "fields", "", "field order of files without a header line, e.g. '${version} ${srcaddr} ...' (default: the default format)")
	f.BoolVar(&o.strict, "strict", false, "exit with an error when any line was quarantined or any object was damaged or unreadable")
	f.IntVar(&o.workers, "workers", 0, "parallel decoders (default: one per core; with s3:// or cwlogs://, 4 per core and at least 8, so downloads overlap)")
	f.StringVar(&o.progress, "progress", "auto", "progress display: auto (a bar on a terminal), bar, none")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "log every commit to stderr")
	f.StringVar(&o.memoryLimit, "memory-limit", "512MB", "DuckDB memory limit during ingest")
	f.IntVar(&o.commitRows, "commit-rows", 0, "records per transaction (default 1000000)")
	_ = f.MarkHidden("commit-rows")
	r := &o.remote
	f.StringVar(&r.from, "from", "", "keep records that end at or after this: 2026-11-01, 2026-11-01T13:00:00Z, or a duration back from now (24h, 7d)")
	f.StringVar(&r.to, "to", "", "keep records that start at or before this (a date includes the whole day)")
	f.StringSliceVar(&r.accounts, "account", nil, "only these AWS accounts (repeat or comma-separate)")
	f.StringSliceVar(&r.regions, "region", nil, "only these regions; with one region, also the AWS API region")
	f.StringVar(&r.profile, "profile", "", "AWS shared config profile (default: the standard credential chain)")
	f.StringVar(&r.roleARN, "role-arn", "", "IAM role to assume for S3 and CloudWatch Logs")
	f.StringVar(&r.endpointURL, "endpoint-url", "", "S3-compatible or test endpoint for s3:// and cwlogs://")
	f.StringSliceVar(&r.streams, "stream", nil, "cwlogs://: log stream name prefixes, i.e. ENI ids (repeat or comma-separate)")
	f.BoolVar(&r.dryRun, "dry-run", false, "list what would be read (objects, bytes, partitions per layout) and fetch nothing")
	return cmd
}

func runIngest(ctx context.Context, e *env, o *ingestOptions, paths []string) error {
	opt := ingest.Options{Workers: o.workers, CommitRows: o.commitRows}
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
	srcs, err := buildSources(ctx, &o.remote, paths, time.Now())
	if err != nil {
		return err
	}
	opt.Window, opt.Inputs = srcs.window, srcs.inputs
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
		if len(srcs.s3)+len(srcs.cw) > 0 {
			opt.Workers = max(8, 4*opt.Workers)
		}
	}
	listing, err := ingest.List(ctx, srcs.src)
	if errors.Is(err, ingest.ErrNoInput) {
		if o.remote.dryRun {
			return dryRun(ctx, e, srcs, listing)
		}
		return exitError{code: ExitError, err: fmt.Errorf("%w in %s", err, strings.Join(paths, ", "))}
	} else if err != nil {
		return err
	}
	if o.remote.dryRun {
		return dryRun(ctx, e, srcs, listing)
	}
	db, err := store.Open(ctx, e.casePath(), store.Options{MemoryLimit: o.memoryLimit, Version: version()})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := ingest.RunListed(ctx, db, srcs.src, listing, opt)
	if sum != nil {
		printSummary(e.io.Err, sum)
		reportRequests(e.io.Err, srcs)
	}
	if err != nil {
		return err
	}
	// Describe the new addresses (class, AWS range, GeoIP) while the case is open for writing;
	// flows_enriched and the IOC sweep read them.
	if err := refreshAfterIngest(ctx, e, db); err != nil {
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
	if s.Outside > 0 || s.Widened > 0 {
		fmt.Fprintf(w, "window: %d records outside it not stored; %d objects read before with a narrower window added only what they lacked\n",
			s.Outside, s.Widened)
	}
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
	title := "objects that could not be read"
	if len(s.Failed) > 0 {
		title += " (" + failureGroups(s.Failed) + ")"
	}
	list(title, failed)
	if s.Interrupted {
		fmt.Fprintln(w, "run the same command again to resume; committed objects are kept and skipped")
	}
}
