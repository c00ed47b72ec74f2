package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/store"
)

type huntOptions struct {
	out        outputOptions
	only       []string
	from, to   string
	rules      string
	printRules bool
	baseline   string
}

func newHuntCmd(e *env) *cobra.Command {
	o := &huntOptions{}
	cmd := &cobra.Command{
		Use:   "hunt [flags]",
		Short: "Run the detectors: scans, sweeps, brute force, exfiltration, beaconing, exposure, spikes, new talkers, DoS",
		Long: `Run every detector over the case and list the findings, most severe first. Each finding has an
id (F-1, F-2, … the same when the same hunt runs again on the same data), the detector, the entity
(and its ENIs), the window, the thresholds used and the values measured, a paragraph explaining
it, and the query that lists its flow records (flowdig finding show ID --evidence). Findings are
stored in the case; a hunt replaces the stored findings of the detectors it ran.

Thresholds, windows and allow-lists are rules: --print-rules shows them with what each does and
where its default comes from; --rules FILE changes any of them (YAML; unknown keys are errors).

Detectors: ` + strings.Join(detect.IDs(), ", ") + `.
Groups --only also takes: ` + groupList() + `.
The table lists id, severity, detector, entity, peer, port, window and a summary; csv, json and
ndjson add the tier, protocol, first/last seen, interfaces, thresholds, measured values,
explanation and evidence query.`,
		Example: `  flowdig hunt
  flowdig hunt --only port-scan,exfil --from 2026-11-01 --format json
  flowdig hunt --rules my-thresholds.yaml --baseline-until 2026-11-02
  flowdig hunt --print-rules > my-thresholds.yaml`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runHunt(cmd.Context(), e, o, commandLine(cmd))
		},
	}
	o.out.bind(cmd)
	f := cmd.Flags()
	f.StringSliceVar(&o.only, "only", nil, "run only these detectors or groups (comma-separated; even those the rules disable)")
	f.StringVar(&o.from, "from", "", "records from this time: a date (2026-11-01), RFC 3339, or a duration ago (24h, 7d)")
	f.StringVar(&o.to, "to", "", "records before this time; a date includes that whole day")
	f.StringVar(&o.rules, "rules", "", "YAML file of thresholds, windows and allow-lists (over the defaults)")
	f.BoolVar(&o.printRules, "print-rules", false, "print the effective rules as YAML, with their sources, and exit")
	f.StringVar(&o.baseline, "baseline-until", "", "end of new-talker's baseline (default: the first day of the data)")
	return cmd
}

// groupList describes the --only groups: "exfil (exfil-volume, large-flow), …".
func groupList() string {
	g := detect.Groups()
	names := make([]string, 0, len(g))
	for n := range g {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = n + " (" + strings.Join(g[n], ", ") + ")"
	}
	return strings.Join(names, ", ")
}

// commandLine is the command as invoked (its flags as given), recorded with the hunt.
func commandLine(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		parts = append(parts, "--"+f.Name+"="+f.Value.String())
	})
	return strings.Join(parts, " ")
}

// huntRules loads the rules and applies --baseline-until.
func (o *huntOptions) huntRules() (detect.Rules, error) {
	r := detect.Default()
	if o.rules != "" {
		b, err := os.ReadFile(o.rules)
		if err != nil {
			return r, usagef("--rules: %v", err)
		}
		if r, err = detect.LoadRules(b, o.rules); err != nil {
			return r, usageError{err}
		}
	}
	if o.baseline != "" {
		if _, err := catalog.ParseTime(o.baseline, time.Now(), false); err != nil {
			return r, usagef("--baseline-until: %v", err)
		}
		r.Detectors.NewTalker.BaselineUntil = o.baseline
	}
	return r, nil
}

func runHunt(ctx context.Context, e *env, o *huntOptions, args string) error {
	rules, err := o.huntRules()
	if err != nil {
		return err
	}
	if o.printRules {
		header := "flowdig hunt rules (effective). Each key says what it does and where its default comes from.\n" +
			"Copy this file, change what you need, and pass it with --rules FILE."
		return detect.Print(e.io.Out, rules, header)
	}
	all, err := detect.Detectors()
	if err != nil {
		return err
	}
	if _, err := detect.Select(all, o.only); err != nil {
		return usageError{err}
	}
	now := time.Now()
	opt := detect.Options{Rules: rules, Only: o.only, Version: version(), Args: args}
	if o.from != "" {
		if opt.From, err = catalog.ParseTime(o.from, now, false); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if opt.To, err = catalog.ParseTime(o.to, now, true); err != nil {
			return usagef("--to: %v", err)
		}
	}
	if !opt.From.IsZero() && !opt.To.IsZero() && !opt.From.Before(opt.To) {
		return usagef("--from %s is not before --to %s", opt.From.Format(time.RFC3339), opt.To.Format(time.RFC3339))
	}
	if o.baseline != "" {
		opt.BaselineUntil, _ = catalog.ParseTime(o.baseline, now, false)
	}
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	if o.out.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.out.timeout)
		defer cancel()
	}
	// A hunt's working table of 10 million records fits in 1 GB; DuckDB spills beyond it.
	db, err := e.openCaseWith(ctx, store.Options{MemoryLimit: "1GB"})
	if err != nil {
		return err
	}
	defer db.Close()
	opt.Progress = &huntProgress{w: e.io.Err, tty: isTTY(e.io.Err)}
	res, err := detect.Hunt(ctx, db, opt)
	if err != nil {
		switch ctx.Err() {
		case context.DeadlineExceeded:
			return exitError{code: ExitError, err: fmt.Errorf("hunt cancelled: --timeout reached")}
		case context.Canceled:
			return ctx.Err() // interrupted: exit 130, nothing stored
		}
		if _, ok := err.(*catalog.MissingError); ok {
			return exitError{code: ExitError, err: err}
		}
		return err
	}
	for _, r := range res.Runs {
		if r.Status == "skipped" {
			fmt.Fprintf(e.io.Err, "flowdig: %s skipped: %s\n", r.Detector, r.Note)
		}
	}
	if err := writeFindings(e.io.Out, format, &o.out, res.Findings); err != nil {
		return err
	}
	fmt.Fprintf(e.io.Err, "hunt %d: %d detectors over %d records, %d findings in %.1fs (flowdig finding show ID --evidence)\n",
		res.HuntID, len(res.Runs), res.Records, len(res.Findings), res.Elapsed.Seconds())
	return nil
}

// findingColumns are what every format shows; fullColumns are added by csv, json and ndjson.
var (
	findingColumns = []string{"id", "severity", "detector", "entity", "peer", "port", "window_start", "window_end", "summary"}
	fullColumns    = []string{"tier", "protocol", "first_seen", "last_seen", "interfaces", "instances", "thresholds",
		"measured", "explanation", "evidence_sql", "evidence_params"}
)

func writeFindings(out io.Writer, format report.Format, o *outputOptions, fs []*detect.Finding) error {
	cols := findingColumns
	full := format == report.CSV || format == report.JSON || format == report.NDJSON
	if full {
		cols = append(append([]string{}, findingColumns...), fullColumns...)
	}
	w, err := report.NewWriter(out, format, report.Options{MaxWidth: o.width, Footer: format == report.Table})
	if err != nil {
		return err
	}
	rc := make([]report.Column, len(cols))
	for i, c := range cols {
		rc[i] = report.Column{Name: c}
		if c == "port" || c == "protocol" {
			rc[i].Type = "INTEGER"
		}
	}
	if err := w.Begin(rc); err != nil {
		return err
	}
	for i, f := range fs {
		if o.maxRows > 0 && i == o.maxRows {
			break
		}
		vals := []any{f.ID, f.Severity, f.Detector, f.Entity, nullable(f.Peer), ptr(f.Port), f.WindowStart, f.WindowEnd, f.Summary}
		if full {
			vals = append(vals, f.Tier, ptr(f.Protocol), f.FirstSeen, f.LastSeen, f.Interfaces, f.Instances,
				rawJSON(f.Thresholds), rawJSON(f.Measured), f.Explanation, f.EvidenceSQL, rawJSON(f.EvidenceParams))
		}
		if err := w.Row(vals); err != nil {
			return err
		}
	}
	return w.End()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptr(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func rawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`null`)
	}
	return b
}

// huntProgress prints one line per stage: on a terminal the stage's name while it runs, then its
// time and findings; elsewhere (a log file, CI) only the finished line.
type huntProgress struct {
	w   io.Writer
	tty bool
	i   int
	n   int
}

func (p *huntProgress) Stage(name string, i, n int) {
	p.i, p.n = i, n
	if !p.tty {
		return
	}
	fmt.Fprintf(p.w, "%s …", p.label(name))
}

func (p *huntProgress) Done(name string, findings int, d time.Duration, note string) {
	if p.tty {
		fmt.Fprint(p.w, "\r")
	}
	switch {
	case name == "records":
		fmt.Fprintf(p.w, "%-26s %6.1fs  %s\n", p.label(name), d.Seconds(), note)
	case note != "":
		fmt.Fprintf(p.w, "%-26s %6.1fs  skipped\n", p.label(name), d.Seconds())
	default:
		fmt.Fprintf(p.w, "%-26s %6.1fs  %d findings\n", p.label(name), d.Seconds(), findings)
	}
}

func (p *huntProgress) label(name string) string {
	if name == "records" {
		return "preparing records"
	}
	return fmt.Sprintf("[%d/%d] %s", p.i, p.n, name)
}
