package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type sourcesOptions struct {
	out  outputOptions
	full bool
}

func newSourcesCmd(e *env) *cobra.Command {
	o := &sourcesOptions{}
	cmd := &cobra.Command{
		Use:   "sources [flags]",
		Short: "Show the chain-of-custody ledger: every object read, its SHA-256 and counts",
		Long: `Show the ledger of every object ingested into the case: where it came from, its size, mtime
and SHA-256, the format and header used, how many records were stored and lines quarantined
(records + quarantined + outside the window + stored by an earlier read = data lines), the time
range of its records, the --from/--to window it was read with, and when and by which flowdig
version it was read. --full adds every ledger column (S3 bucket, key, ETag, version id).`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSources(cmd.Context(), e, o)
		},
	}
	o.out.bind(cmd)
	cmd.Flags().BoolVar(&o.full, "full", false, "all ledger columns")
	return cmd
}

const sourcesBrief = `SELECT source_id AS id, uri, format, layout, status, records, quarantined, data_lines,
	to_timestamp(min_start) AS first_start, to_timestamp(max_start) AS last_start,
	to_timestamp(window_from) AS window_from, to_timestamp(window_to) AS window_to,
	size, sha256, etag, header, ingested_at, flowdig_version
FROM sources ORDER BY source_id`

const sourcesFull = `SELECT s.*, to_timestamp(min_start) AS first_start, to_timestamp(max_start) AS last_start
FROM sources s ORDER BY source_id`

func runSources(ctx context.Context, e *env, o *sourcesOptions) error {
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	q := sourcesBrief
	if o.full {
		q = sourcesFull
	}
	if err := printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q); err != nil {
		return err
	}
	var n, recs, quar, bad, windowed int64
	err = db.SQL.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(records), 0), coalesce(sum(quarantined), 0),
		count(*) FILTER (WHERE records + quarantined + coalesce(outside_window, 0) + coalesce(stored_before, 0) <> data_lines),
		coalesce(sum(outside_window + stored_before), 0) FROM sources`).Scan(&n, &recs, &quar, &bad, &windowed)
	if err != nil {
		return fmt.Errorf("ledger totals: %w", err)
	}
	verdict := "every source reconciles: records + quarantined = data lines"
	if windowed > 0 {
		verdict = "every source reconciles: records + quarantined + outside_window + stored_before = data lines"
	}
	if bad > 0 {
		verdict = fmt.Sprintf("%d sources do NOT reconcile", bad)
	}
	fmt.Fprintf(e.io.Err, "%d sources, %d records, %d quarantined; %s\n", n, recs, quar, verdict)
	return nil
}
