package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/store"
)

type outputOptions struct {
	format  string
	maxRows int
	timeout time.Duration
	width   int
}

func (o *outputOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "", "output format: table, csv, json, ndjson, markdown (default: table on a terminal, csv otherwise)")
	f.IntVar(&o.maxRows, "max-rows", 0, "stop after this many rows (0: no limit)")
	f.DurationVar(&o.timeout, "timeout", 0, "cancel the query after this long (0: no limit)")
	f.IntVar(&o.width, "max-width", 60, "table format: cut cells longer than this (0: no limit)")
}

func (o *outputOptions) resolve(out io.Writer) (report.Format, error) {
	if o.format == "" {
		if isTTY(out) {
			return report.Table, nil
		}
		return report.CSV, nil
	}
	f, err := report.ParseFormat(o.format)
	if err != nil {
		return "", usagef("--format: %v", err)
	}
	return f, nil
}

type queryOptions struct {
	out   outputOptions
	write bool
}

func newQueryCmd(e *env) *cobra.Command {
	o := &queryOptions{}
	cmd := &cobra.Command{
		Use:   "query [flags] SQL",
		Short: "Run SQL against the case database",
		Long: `Run SQL (DuckDB, with the Trino/Athena functions the AWS playbook uses) against the case.

Tables and views: flows (the records, Athena column names), vpc_flow_logs (same), vpcflow (the
playbook's column names), sources (the ledger), quarantine, ingest_runs. The database is opened
read-only unless --write is given. With no SQL argument, or "-", the SQL is read from stdin.`,
		Example: `  flowdig query --format json "SELECT action, count(*) AS n FROM flows GROUP BY 1"
  flowdig query "SELECT srcaddr, dstaddr, sum(bytes) AS b FROM flows GROUP BY ALL ORDER BY b DESC LIMIT 50"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			q := strings.TrimSpace(strings.Join(args, " "))
			if q == "" || q == "-" {
				b, err := io.ReadAll(e.io.In)
				if err != nil {
					return fmt.Errorf("read SQL from stdin: %w", err)
				}
				q = strings.TrimSpace(string(b))
			}
			if q == "" {
				return usagef("no SQL given")
			}
			return runQuery(cmd.Context(), e, o, q)
		},
	}
	o.out.bind(cmd)
	cmd.Flags().BoolVar(&o.write, "write", false, "open the case read-write (allows CREATE/INSERT; the default is read-only)")
	return cmd
}

func runQuery(ctx context.Context, e *env, o *queryOptions, q string) error {
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, !o.write)
	if err != nil {
		return err
	}
	defer db.Close()
	return printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q)
}

// printQuery runs q and renders its rows.
func printQuery(ctx context.Context, db *store.DB, out, errw io.Writer, o *outputOptions, format report.Format, q string, args ...any) error {
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return queryError(ctx, err)
	}
	defer rows.Close()
	w, err := report.NewWriter(out, format, report.Options{MaxWidth: o.width, Footer: format == report.Table})
	if err != nil {
		return err
	}
	n, truncated, err := report.WriteRows(ctx, rows, w, o.maxRows)
	if err != nil {
		return queryError(ctx, err)
	}
	if truncated {
		fmt.Fprintf(errw, "flowdig: output stopped at --max-rows %d\n", n)
	}
	return nil
}

// queryError keeps DuckDB's message (it names the problem and position) and marks timeouts.
func queryError(ctx context.Context, err error) error {
	if ctx.Err() == context.DeadlineExceeded {
		return exitError{code: ExitError, err: fmt.Errorf("query cancelled: --timeout reached")}
	}
	return exitError{code: ExitError, err: err}
}
