package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/coverage"
	"github.com/flowdig/flowdig/internal/report"
)

type coverageOptions struct {
	out      outputOptions
	by       string
	from, to string
}

func newCoverageCmd(e *env) *cobra.Command {
	o := &coverageOptions{}
	cmd := &cobra.Command{
		Use:   "coverage [flags]",
		Short: "What the flow logs cover: hours with data and gaps per account, region and interface; interval; NODATA/SKIPDATA",
		Long: `Per account, region and network interface (or, with --by, per region or account): the first and
last hour with records, the hours with data, the gaps between them (hours without a single
record, not even NODATA), the aggregation interval the records show (records longer than 60 s
mean the 10-minute interval), and the NODATA and SKIPDATA records. Then what flow logs never
record (Amazon DNS, instance metadata, DHCP, time sync, mirrored traffic): absence of evidence
is not evidence of absence. The note goes to stdout after a table, to stderr otherwise.`,
		Example: `  flowdig coverage
  flowdig coverage --by region --from 2026-11-01 --format json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCoverage(cmd.Context(), e, o)
		},
	}
	o.out.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&o.by, "by", coverage.ByInterface, "group by interface, region or account")
	f.StringVar(&o.from, "from", "", "records from this time: a date (2026-11-01), RFC 3339, or a duration ago (24h, 7d)")
	f.StringVar(&o.to, "to", "", "records before this time; a date includes that whole day")
	return cmd
}

func runCoverage(ctx context.Context, e *env, o *coverageOptions) error {
	now := time.Now()
	var from, to time.Time
	var err error
	if o.from != "" {
		if from, err = catalog.ParseTime(o.from, now, false); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if to, err = catalog.ParseTime(o.to, now, true); err != nil {
			return usagef("--to: %v", err)
		}
	}
	q, args, err := coverage.Query(o.by, from, to)
	if err != nil {
		return usageError{err}
	}
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q, args...); err != nil {
		return err
	}
	note := e.io.Err
	if format == report.Table || format == report.Markdown {
		note = e.io.Out
	}
	fmt.Fprintf(note, "\n%s\n", coverage.NeverLogged)
	return nil
}
