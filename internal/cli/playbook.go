package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/report"
)

// playbookSteps is the playbook's per-address deep dive, in order.
func playbookSteps() []string {
	return []string{"ip-summary", "data-ratio", "ip-ports", "ip-records"}
}

type playbookOptions struct {
	out  outputOptions
	filt filterOptions
	ip   string
}

func newPlaybookCmd(e *env) *cobra.Command {
	o := &playbookOptions{}
	cmd := &cobra.Command{
		Use:   "playbook --ip ADDRESS [flags]",
		Short: "Run the playbook's deep dive for one address, step by step",
		Long: `Run the "Analyzing VPC Flow Logs" deep dive for one address: what it did as source and as
destination, the playbook's data-ratio query (peers, bytes per record, first and last seen), the
ports it used and was reached on, and its records in time order. Each step prints its title.
The filters (--from, --to, --account, …) apply to every step except the data-ratio query, which
runs as the playbook wrote it.`,
		Example: `  flowdig playbook --ip 10.0.33.64
  flowdig playbook --ip 10.0.33.64 --from 2026-11-02 --to 2026-11-02 --format markdown`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlaybook(cmd.Context(), e, o)
		},
	}
	o.out.bind(cmd)
	o.filt.bind(cmd)
	cmd.Flags().StringVar(&o.ip, "ip", "", "the address to investigate (required)")
	return cmd
}

func runPlaybook(ctx context.Context, e *env, o *playbookOptions) error {
	if o.ip == "" {
		return usagef("--ip is required")
	}
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	f, err := o.filt.filters(time.Now())
	if err != nil {
		return err
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
	if format == report.JSON {
		fmt.Fprint(e.io.Out, "[")
	}
	for i, id := range playbookSteps() {
		entry, ok := cat.Find(id)
		if !ok {
			return fmt.Errorf("playbook step %s is not in the catalogue", id)
		}
		vals, err := entry.Values(map[string]string{"ip": o.ip})
		if err != nil {
			return usageError{err}
		}
		sf := f
		if !entry.Filters {
			sf = catalog.Filters{}
		} else if _, ok := entry.Param("limit"); !ok {
			sf.Limit = 0
		}
		stepHeader(e.io.Out, format, i, entry)
		err = runEntry(ctx, db, e.io.Out, e.io.Err, &o.out, format, entry, vals, sf)
		var missing *catalog.MissingError
		switch {
		case errors.As(err, &missing) && !missing.Empty:
			// A step the data cannot answer is skipped with the reason; the others still run.
			fmt.Fprintf(e.io.Err, "flowdig: step %d skipped: %v\n", i+1, missing)
			if format == report.JSON {
				fmt.Fprint(e.io.Out, "[]")
			}
		case err != nil:
			return err
		}
		if format == report.JSON {
			fmt.Fprint(e.io.Out, "}")
		}
	}
	if format == report.JSON {
		fmt.Fprintln(e.io.Out, "]")
	}
	return nil
}

// stepHeader introduces a step: a heading in text formats, the opening of a step object in JSON.
func stepHeader(w io.Writer, format report.Format, i int, en *catalog.Entry) {
	switch format {
	case report.JSON:
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, "\n{\"step\":%d,\"id\":%q,\"title\":%q,\"rows\":", i+1, en.ID, en.Title)
	case report.Markdown:
		fmt.Fprintf(w, "\n## Step %d: %s\n\n", i+1, en.Title)
	case report.Table:
		fmt.Fprintf(w, "\n== Step %d: %s (%s)\n", i+1, en.Title, en.ID)
	default:
		fmt.Fprintf(w, "# step %d: %s (%s)\n", i+1, en.Title, en.ID)
	}
}
