package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/store"
)

type runOptions struct {
	out     outputOptions
	filt    filterOptions
	params  []string
	explain bool
	showSQL bool
}

func newRunCmd(e *env) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run ID|AWS-NAME [flags]",
		Short: "Run a catalogue query (the Athena named queries and the playbook's deep dives)",
		Long: `Run one entry of the query catalogue (see flowdig catalog) against the case. The entry can be
named by its id (top-talkers) or by its AWS name (VpcFlowLogsTopTalkers). Parameters are given as
--param name=value and validated by type; every value is bound, never spliced into the SQL.`,
		Example: `  flowdig run top-talkers --from 2026-11-01 --to 2026-11-02 --format json
  flowdig run data-ratio --param ip=10.0.33.64
  flowdig run VpcFlowLogsTrafficFrmSrcAddr --param srcaddr=74.85.207.89 --account 128580493817 --region us-east-1`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), e, o, args[0])
		},
	}
	o.out.bind(cmd)
	o.filt.bind(cmd)
	f := cmd.Flags()
	f.StringArrayVarP(&o.params, "param", "p", nil, "a parameter as name=value (repeatable)")
	f.BoolVar(&o.explain, "explain", false, "print DuckDB's query plan instead of running the query")
	f.BoolVar(&o.showSQL, "show-sql", false, "print the rendered SQL on stderr before running it")
	return cmd
}

func runRun(ctx context.Context, e *env, o *runOptions, name string) error {
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	entry, ok := cat.Find(name)
	if !ok {
		return usagef("no catalogue entry %q (see flowdig catalog)", name)
	}
	given, err := parseParams(o.params)
	if err != nil {
		return err
	}
	vals, err := entry.Values(given)
	if err != nil {
		return usageError{err}
	}
	f, err := o.filt.filters(time.Now())
	if err != nil {
		return err
	}
	if !entry.Filters && (f != catalog.Filters{}) {
		return usagef("%s takes no --from/--to/--account/--region/--vpc/--interface/--limit (it is the playbook's SQL as written)", entry.ID)
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
	if o.showSQL || o.explain {
		q, err := entry.Render(catalog.DuckDB, catalog.LocalTarget(), vals, f)
		if err != nil {
			return usageError{err}
		}
		if o.showSQL {
			fmt.Fprintf(e.io.Err, "-- %s\n%s\n", entry.ID, q.SQL)
		}
		if o.explain {
			return explain(ctx, db, e, q)
		}
	}
	return runEntry(ctx, db, e.io.Out, e.io.Err, &o.out, format, entry, vals, f)
}

// explain prints DuckDB's physical plan, e.g. to show that a time filter reaches the table scan.
func explain(ctx context.Context, db *store.DB, e *env, q *catalog.Query) error {
	rows, err := db.SQL.QueryContext(ctx, "EXPLAIN "+q.SQL, q.Args...)
	if err != nil {
		return queryError(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, plan string
		if err := rows.Scan(&kind, &plan); err != nil {
			return err
		}
		fmt.Fprintln(e.io.Out, strings.TrimRight(plan, "\n"))
	}
	return rows.Err()
}
