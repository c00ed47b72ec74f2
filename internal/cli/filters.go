package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/store"
)

// filterOptions are the filters every catalogue entry accepts.
type filterOptions struct {
	from, to, account, region, vpc, iface string
	limit                                 int64
}

func (o *filterOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "records from this time: a date (2026-11-01), RFC 3339, or a duration ago (24h, 7d)")
	f.StringVar(&o.to, "to", "", "records before this time; a date includes that whole day")
	f.StringVar(&o.account, "account", "", "only this AWS account (the key's account or the ENI's account-id)")
	f.StringVar(&o.region, "region", "", "only this region (the key's region or the record's region field)")
	f.StringVar(&o.vpc, "vpc", "", "only this VPC (needs the vpc-id field)")
	f.StringVar(&o.iface, "interface", "", "only this network interface (eni-…)")
	f.Int64Var(&o.limit, "limit", 0, "rows to return (default: the entry's own limit)")
}

func (o *filterOptions) filters(now time.Time) (catalog.Filters, error) {
	f := catalog.Filters{Account: o.account, Region: o.region, VPC: o.vpc, Interface: o.iface, Limit: o.limit}
	var err error
	if o.from != "" {
		if f.From, err = catalog.ParseTime(o.from, now, false); err != nil {
			return f, usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if f.To, err = catalog.ParseTime(o.to, now, true); err != nil {
			return f, usagef("--to: %v", err)
		}
	}
	if err := f.Validate(); err != nil {
		return f, usageError{err}
	}
	return f, nil
}

// parseParams turns repeated --param name=value flags into a map.
func parseParams(kvs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--param %q: want name=value", kv)
		}
		if _, dup := out[k]; dup {
			return nil, usagef("--param %s given twice", k)
		}
		out[k] = v
	}
	return out, nil
}

// runEntry checks that the data has what the entry needs, renders it for the case database,
// and prints its rows.
func runEntry(ctx context.Context, db *store.DB, out, errw io.Writer, o *outputOptions, format report.Format,
	e *catalog.Entry, vals map[string]any, f catalog.Filters) error {
	have, err := db.Columns(ctx)
	if err != nil {
		return err
	}
	if err := catalog.CheckNeeds(e.ID, e.NeedsWith(f), have); err != nil {
		return exitError{code: ExitError, err: err}
	}
	t := catalog.LocalTarget()
	t.Columns = catalog.RecordColumns(have)
	q, err := e.Render(catalog.DuckDB, t, vals, f)
	if err != nil {
		return usageError{err}
	}
	if err := printQuery(ctx, db, out, errw, o, format, q.SQL, q.Args...); err != nil {
		var ee exitError
		if errors.As(err, &ee) && strings.Contains(ee.Error(), "incident_iocs") {
			return exitError{code: ExitError, err: fmt.Errorf("%s reads the IOC list, which this case does not have yet (flowdig ioc add): %w", e.ID, ee.err)}
		}
		return err
	}
	return nil
}
