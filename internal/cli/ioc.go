package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/ioc"
	"github.com/flowdig/flowdig/internal/store"
)

func newIOCCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ioc",
		Short: "Threat-intel lists: add, list, remove; sweep the records for them; summarise per indicator",
		Long: `Retro-hunt known indicators (IPv4/IPv6 addresses and CIDRs of any length) in the case.

Lists are named and stored in the case: the playbook's CSV (threat_ip,threat_comment), plain
text (one address or CIDR per line, # comments) or STIX 2.1 bundles. Every address in the
records (srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr) is tested once against every list; the
results are the views ioc_hits (every matching record, labelled by direction from our side)
and ioc_summary (per indicator, seen or not), and the playbook's table incident_iocs.`,
		Example: `  flowdig ioc add --list apt-x iocs.csv
  flowdig ioc add --list feed2 indicators.json
  flowdig ioc sweep --format json
  flowdig ioc summary`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown ioc command %q (add, list, remove, sweep, summary)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newIOCAddCmd(e), newIOCListCmd(e), newIOCRemoveCmd(e), newIOCSweepCmd(e), newIOCSummaryCmd(e))
	return cmd
}

type iocAddOptions struct {
	list    string
	format  string
	comment string
	replace bool
	strict  bool
}

func newIOCAddCmd(e *env) *cobra.Command {
	o := &iocAddOptions{}
	cmd := &cobra.Command{
		Use:   "add --list NAME [flags] FILE",
		Short: "Add a threat-intel list (CSV, plain text or STIX 2.1; FILE - reads stdin)",
		Long: `Add the indicators in FILE to the case as the list NAME and test every address of the records
against them.

Formats (detected from the content unless --format is given):
  csv   the playbook's incident_iocs file: threat_ip,threat_comment; header optional; fields
        quoted with " (a quote inside written "" or \"); a header may name other columns
  text  one address or CIDR per line; # or ; starts a comment, which becomes the indicator's
  stix  a STIX 2.1 bundle: indicators whose pattern compares ipv4-addr:value or ipv6-addr:value
        (=, IN, ISSUBSET); the indicator's name becomes the comment

Bad lines are reported with their line number and skipped; the number of accepted indicators is
printed. Defanged addresses (192.0.2[.]1) are read; CIDRs with host bits set are stored masked.`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIOCAdd(cmd.Context(), e, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.list, "list", "", "name of the list (required)")
	f.StringVar(&o.format, "format", "auto", "list format: auto, csv, text, stix")
	f.StringVar(&o.comment, "comment", "", "comment for indicators that have none")
	f.BoolVar(&o.replace, "replace", false, "replace the list if it exists")
	f.BoolVar(&o.strict, "strict", false, "store nothing and fail when any line is bad")
	return cmd
}

// maxListed bounds how many bad lines and notes ioc add prints; the case keeps them all.
const maxListed = 20

func runIOCAdd(ctx context.Context, e *env, o *iocAddOptions, path string) error {
	name := strings.TrimSpace(o.list)
	if name == "" {
		return usagef("--list NAME is required")
	}
	format, err := ioc.ParseFormat(o.format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	var data []byte
	if path == "-" {
		data, err = io.ReadAll(e.io.In)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return exitError{code: ExitError, err: fmt.Errorf("read list: %w", err)}
	}
	sum := sha256.Sum256(data)
	l, err := ioc.Parse(data, ioc.Options{Format: format, Name: path, DefaultComment: o.comment})
	if err != nil {
		return exitError{code: ExitError, err: fmt.Errorf("list %s: %w", path, err)}
	}
	w := e.io.Err
	printProblems(w, l)
	if len(l.Indicators) == 0 {
		return exitError{code: ExitError, err: fmt.Errorf("list %s: no indicators accepted (%d bad lines); nothing stored", path, len(l.Bad))}
	}
	if o.strict && len(l.Bad) > 0 {
		return exitError{code: ExitError, err: fmt.Errorf("--strict: %d bad lines in %s; nothing stored", len(l.Bad), path)}
	}
	db, err := store.Open(ctx, e.casePath(), store.Options{Version: version()})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := enrich.Refresh(ctx, db, enrich.Options{Version: version()}); err != nil {
		return err
	}
	added, err := ioc.AddList(ctx, db, name, l, ioc.Source{URI: path, SHA256: hex.EncodeToString(sum[:])},
		ioc.AddOptions{Replace: o.replace, Version: version()})
	if err != nil {
		return err
	}
	var addrs, cidrs, v6 int
	for _, i := range l.Indicators {
		if i.Prefix.Bits() == i.Prefix.Addr().BitLen() {
			addrs++
		} else {
			cidrs++
		}
		if i.Prefix.Addr().Is6() {
			v6++
		}
	}
	verb := "added"
	if added.Replaced {
		verb = "replaced"
	}
	fmt.Fprintf(w, "%s list %q: %d indicators accepted from %s (%s): %d addresses, %d CIDRs, %d IPv4, %d IPv6; %d bad lines skipped, %d duplicates\n",
		verb, name, added.Indicators, path, l.Format, addrs, cidrs, added.Indicators-v6, v6, len(l.Bad), l.Duplicates)
	fmt.Fprintf(w, "tested against %d addresses in the records: %d indicators seen, %d never seen (flowdig ioc sweep, flowdig ioc summary)\n",
		added.AddressesTested, added.SeenIndicators, added.Indicators-added.SeenIndicators)
	return nil
}

func printProblems(w io.Writer, l *ioc.List) {
	list := func(title string, ps []ioc.Problem) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(ps))
		for i, p := range ps {
			if i == maxListed {
				fmt.Fprintf(w, "  … and %d more (flowdig ioc list NAME --rejects)\n", len(ps)-maxListed)
				break
			}
			if p.Line > 0 {
				fmt.Fprintf(w, "  line %d: %q: %s\n", p.Line, p.Text, p.Reason)
			} else {
				fmt.Fprintf(w, "  %s\n", p.Reason)
			}
		}
	}
	list("bad lines, skipped", l.Bad)
	list("not IP indicators, skipped", l.Ignored)
	list("notes", l.Notes)
}

type iocListOptions struct {
	out     outputOptions
	rejects bool
}

func newIOCListCmd(e *env) *cobra.Command {
	o := &iocListOptions{}
	cmd := &cobra.Command{
		Use:   "list [flags] [NAME]",
		Short: "List the threat-intel lists, or the indicators of one",
		Args:  argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := o.out.resolve(e.io.Out)
			if err != nil {
				return err
			}
			if o.rejects && len(args) == 0 {
				return usagef("--rejects needs a list NAME")
			}
			db, err := e.openCase(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := ioc.CheckSchema(cmd.Context(), db.SQL); err != nil {
				return err
			}
			if len(args) == 0 {
				return printQuery(cmd.Context(), db, e.io.Out, e.io.Err, &o.out, format, ioc.ListsQuery)
			}
			var n int
			if err := db.SQL.QueryRowContext(cmd.Context(), `SELECT count(*) FROM ioc_lists WHERE name = ?`, args[0]).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("ioc list %q: %w", args[0], ioc.ErrNoList)
			}
			q := ioc.IndicatorsQuery
			if o.rejects {
				q = ioc.RejectsQuery
			}
			return printQuery(cmd.Context(), db, e.io.Out, e.io.Err, &o.out, format, q, args[0])
		},
	}
	o.out.bind(cmd)
	cmd.Flags().BoolVar(&o.rejects, "rejects", false, "show the list's skipped lines instead of its indicators")
	return cmd
}

func newIOCRemoveCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME...",
		Short: "Remove threat-intel lists (their indicators and matches) from the case",
		Args:  argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := e.openCase(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			removed, err := ioc.RemoveLists(cmd.Context(), db, args)
			if err != nil {
				return err
			}
			for _, r := range removed {
				fmt.Fprintf(e.io.Err, "removed list %q (%d indicators)\n", r.Name, r.Indicators)
			}
			return nil
		},
	}
}

type iocReportOptions struct {
	out   outputOptions
	lists []string
}

func (o *iocReportOptions) bind(cmd *cobra.Command) {
	o.out.bind(cmd)
	cmd.Flags().StringArrayVar(&o.lists, "list", nil, "only these lists (repeatable)")
}

// where renders the --list filter over a view with a list column.
func (o *iocReportOptions) where() (string, []any) {
	if len(o.lists) == 0 {
		return "", nil
	}
	ph := make([]string, len(o.lists))
	args := make([]any, len(o.lists))
	for i, l := range o.lists {
		ph[i], args[i] = "?", l
	}
	return " WHERE list IN (" + strings.Join(ph, ", ") + ")", args
}

func newIOCSweepCmd(e *env) *cobra.Command {
	o := &iocReportOptions{}
	cmd := &cobra.Command{
		Use:   "sweep [flags]",
		Short: "Every record that touches a listed indicator, labelled by direction from our side",
		Long: `Print every record whose srcaddr, dstaddr, pkt_srcaddr or pkt_dstaddr is inside a listed
indicator (pkt_* catches traffic through NAT gateways and load balancers). Each hit says which
side matched (ioc_side, matched_on), the direction from our side (outbound: we sent to the
indicator; inbound: it sent to us; flow_direction decides where the record has it and the match
is on the interface's own address), the internal address and port on the other side, action,
bytes, packets, times, interface, account and region, with the record's source_id and line_no.
The same rows are the view ioc_hits.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			where, args := o.where()
			q := `SELECT * EXCLUDE (start, "end", list_id) FROM ioc_hits` + where +
				` ORDER BY start_time, end_time, indicator, list, source_id, line_no, ioc_side`
			return runIOCReport(cmd.Context(), e, o, q, args, func(db *store.DB) error {
				var hits, lists int
				err := db.SQL.QueryRowContext(cmd.Context(), `SELECT (SELECT count(*) FROM ioc_hits`+where+`), (SELECT count(*) FROM ioc_lists)`, args...).Scan(&hits, &lists)
				if err == nil {
					fmt.Fprintf(e.io.Err, "%d hits for %d lists\n", hits, lists)
				}
				return err
			})
		},
	}
	o.bind(cmd)
	return cmd
}

func newIOCSummaryCmd(e *env) *cobra.Command {
	o := &iocReportOptions{}
	cmd := &cobra.Command{
		Use:   "summary [flags]",
		Short: "Per indicator: first/last seen, internal hosts, bytes each way, accepted/rejected; and those never seen",
		Long: `One row per listed indicator, including those that appear nowhere in the records (seen =
false): first and last seen, records, number of internal hosts (and the first ten), bytes our
side sent to it (bytes_out) and received from it (bytes_in), accepted and rejected records, how
many of its addresses were seen, its list and comment. The same rows are the view ioc_summary.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			where, args := o.where()
			q := `SELECT * EXCLUDE (list_id, line_no) FROM ioc_summary` + where +
				` ORDER BY seen DESC, first_seen NULLS LAST, list, line_no, indicator`
			return runIOCReport(cmd.Context(), e, o, q, args, func(db *store.DB) error {
				var total, seen int
				err := db.SQL.QueryRowContext(cmd.Context(), `SELECT count(*), count(*) FILTER (WHERE seen) FROM ioc_summary`+where, args...).Scan(&total, &seen)
				if err == nil {
					fmt.Fprintf(e.io.Err, "%d of %d indicators seen in the records; %d never seen\n", seen, total, total-seen)
				}
				return err
			})
		},
	}
	o.bind(cmd)
	return cmd
}

// runIOCReport brings the matches up to date with the records, then prints q and a footer.
func runIOCReport(ctx context.Context, e *env, o *iocReportOptions, q string, args []any, footer func(*store.DB) error) error {
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := enrich.Refresh(ctx, db, enrich.Options{Version: version()}); err != nil {
		return err
	}
	if len(o.lists) > 0 {
		for _, l := range o.lists {
			var n int
			if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM ioc_lists WHERE name = ?`, l).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("ioc list %q: %w", l, ioc.ErrNoList)
			}
		}
	}
	if err := printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, q, args...); err != nil {
		return err
	}
	return footer(db)
}
