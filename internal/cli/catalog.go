package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/report"
)

type catalogOptions struct {
	out     outputOptions
	dialect string
	db      string
	table   string
	params  []string
	filt    filterOptions
}

func newCatalogCmd(e *env) *cobra.Command {
	o := &catalogOptions{}
	cmd := &cobra.Command{
		Use:   "catalog [flags]",
		Short: "List the query catalogue: the 16 Athena named queries and the playbook's deep dives",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalog.Load()
			if err != nil {
				return err
			}
			format, err := o.out.resolve(e.io.Out)
			if err != nil {
				return err
			}
			w, err := report.NewWriter(e.io.Out, format, report.Options{MaxWidth: o.out.width, Footer: format == report.Table})
			if err != nil {
				return err
			}
			cols := []report.Column{{Name: "id"}, {Name: "aws_name"}, {Name: "kind"}, {Name: "title"}, {Name: "parameters"}, {Name: "needs"}}
			if err := w.Begin(cols); err != nil {
				return err
			}
			for _, en := range cat.Entries() {
				if err := w.Row([]any{en.ID, en.AWSName, en.Kind, en.Title, paramSummary(en), strings.Join(en.Needs, " ")}); err != nil {
					return err
				}
			}
			return w.End()
		},
	}
	o.out.bind(cmd)
	show := &cobra.Command{
		Use:   "show ID|AWS-NAME [flags]",
		Short: "Describe one entry and print its SQL for DuckDB or Athena",
		Example: `  flowdig catalog show top-talkers
  flowdig catalog show data-ratio --dialect athena --param ip=10.0.33.64 --athena-db vpcflowlogs`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showEntry(e, o, args[0])
		},
	}
	f := show.Flags()
	f.StringVar(&o.dialect, "dialect", "duckdb", "render for duckdb or athena")
	f.StringVar(&o.db, "athena-db", "vpcflowlogs", "athena: the Glue database")
	f.StringVar(&o.table, "athena-table", "vpc_flow_logs", "athena: flowdig's flow-log table")
	f.StringArrayVarP(&o.params, "param", "p", nil, "a parameter as name=value (repeatable)")
	o.filt.bind(show)
	cmd.AddCommand(show)
	return cmd
}

func paramSummary(e *catalog.Entry) string {
	var parts []string
	for _, p := range e.Params {
		s := p.Name + ":" + p.Type
		if p.Required {
			s += " (required)"
		} else {
			s += "=" + p.Default
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func showEntry(e *env, o *catalogOptions, name string) error {
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	en, ok := cat.Find(name)
	if !ok {
		return usagef("no catalogue entry %q (see flowdig catalog)", name)
	}
	d, t := catalog.DuckDB, catalog.LocalTarget()
	switch o.dialect {
	case "duckdb":
	case "athena":
		d, t = catalog.Athena, catalog.AthenaTarget(o.db, o.table)
	default:
		return usagef("--dialect: want duckdb or athena, not %q", o.dialect)
	}
	given, err := parseParams(o.params)
	if err != nil {
		return err
	}
	// Show the SQL even when required parameters are missing: use a placeholder value.
	for _, p := range en.Params {
		if _, ok := given[p.Name]; !ok && p.Required {
			given[p.Name] = map[string]string{"ip": "192.0.2.1", "port": "22", "account": "123456789012", "region": "us-east-1"}[p.Type]
		}
	}
	vals, err := en.Values(given)
	if err != nil {
		return usageError{err}
	}
	f, err := o.filt.filters(time.Now())
	if err != nil {
		return err
	}
	q, err := en.Render(d, t, vals, f)
	if err != nil {
		return usageError{err}
	}
	out := e.io.Out
	fmt.Fprintf(out, "%s", en.ID)
	if en.AWSName != "" {
		fmt.Fprintf(out, " (%s)", en.AWSName)
	}
	fmt.Fprintf(out, "\n%s\n\n%s\n", en.Title, en.Description)
	if len(en.Params) > 0 {
		fmt.Fprintln(out, "\nparameters:")
		for _, p := range en.Params {
			def := "required"
			if !p.Required {
				def = "default " + p.Default
			}
			fmt.Fprintf(out, "  %-8s %-7s %s; %s\n", p.Name, p.Type, def, p.Help)
		}
	}
	fmt.Fprintf(out, "\nneeds: %s\n", strings.Join(en.Needs, " "))
	for _, n := range en.Notes {
		fmt.Fprintf(out, "note: %s\n", n)
	}
	fmt.Fprintf(out, "\n-- %s\n%s\n", d, q.SQL)
	if len(q.Args) > 0 {
		fmt.Fprintln(out, "-- parameters, in order:")
		for _, a := range q.Args {
			fmt.Fprintf(out, "--   %v\n", a)
		}
	}
	return nil
}
