package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/store"
)

func newFindingCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "finding",
		Short: "The stored findings of flowdig hunt: list them, show one and the flow records behind it",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown finding command %q (list, show)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newFindingListCmd(e), newFindingShowCmd(e))
	return cmd
}

func newFindingListCmd(e *env) *cobra.Command {
	o := &outputOptions{}
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List the stored findings, most severe first (what the last hunts found)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := o.resolve(e.io.Out)
			if err != nil {
				return err
			}
			db, err := e.openCase(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			q := `SELECT finding_id AS id, severity, detector, entity, peer, port, window_start, window_end, summary
				FROM findings ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, window_start, finding_no`
			return printQuery(cmd.Context(), db, e.io.Out, e.io.Err, o, format, q)
		},
	}
	o.bind(cmd)
	return cmd
}

type findingShowOptions struct {
	out      outputOptions
	evidence bool
}

func newFindingShowCmd(e *env) *cobra.Command {
	o := &findingShowOptions{}
	cmd := &cobra.Command{
		Use:   "show ID [flags]",
		Short: "Show one finding: thresholds, measured values, explanation, evidence query; --evidence: its flow records",
		Long: `Show one stored finding. With --evidence, run the finding's stored evidence query (with its bound
parameters) and print the flow records behind it: in the table format after the finding, in the
other formats instead of it.`,
		Example: `  flowdig finding show F-12
  flowdig finding show F-12 --evidence --format csv > F-12.csv`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFindingShow(cmd.Context(), e, o, args[0])
		},
	}
	o.out.bind(cmd)
	cmd.Flags().BoolVar(&o.evidence, "evidence", false, "print the flow records behind the finding")
	return cmd
}

func runFindingShow(ctx context.Context, e *env, o *findingShowOptions, id string) error {
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	q, args, err := detect.Evidence(ctx, db.SQL, id)
	if errors.Is(err, detect.ErrNoFinding) {
		return exitError{code: ExitError, err: err}
	}
	if err != nil {
		return err
	}
	if !o.evidence || format == report.Table {
		if err := showFinding(ctx, db, e, o, format, detect.NormalizeID(id)); err != nil {
			return err
		}
	}
	if !o.evidence {
		return nil
	}
	if format == report.Table {
		fmt.Fprintln(e.io.Out, "\nevidence:")
	}
	return printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q, args...)
}

// showFinding prints one finding: as "field: value" lines in the table format, else as one row.
func showFinding(ctx context.Context, db *store.DB, e *env, o *findingShowOptions, format report.Format, id string) error {
	q := `SELECT ` + detect.FindingColumns + ` FROM findings WHERE finding_id = ?`
	if format != report.Table {
		return printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q, id)
	}
	rows, err := db.SQL.QueryContext(ctx, q, id)
	if err != nil {
		return queryError(ctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if !rows.Next() {
		return exitError{code: ExitError, err: fmt.Errorf("finding %s: %w", id, detect.ErrNoFinding)}
	}
	vals, err := store.ScanValues(rows, len(cols))
	if err != nil {
		return err
	}
	for i, c := range cols {
		v := vals[i]
		s := fmt.Sprint(v)
		switch x := v.(type) {
		case nil:
			continue
		case time.Time:
			s = x.UTC().Format(time.RFC3339)
		case []any:
			if len(x) == 0 {
				continue
			}
			parts := make([]string, len(x))
			for k, e := range x {
				parts[k] = fmt.Sprint(e)
			}
			s = strings.Join(parts, ", ")
		}
		if c == "evidence_sql" {
			s = "\n" + s
		}
		fmt.Fprintf(e.io.Out, "%-16s %s\n", c+":", s)
	}
	return rows.Err()
}
