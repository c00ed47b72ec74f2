package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/awsconf"
	"github.com/flowdig/flowdig/internal/source/cwlogs"
	"github.com/flowdig/flowdig/internal/source/local"
	s3src "github.com/flowdig/flowdig/internal/source/s3"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// remoteOptions are the flags of ingest that select what to read and how to reach AWS.
type remoteOptions struct {
	from, to    string
	accounts    []string
	regions     []string
	profile     string
	roleARN     string
	endpointURL string
	streams     []string
	dryRun      bool
}

// sources is what one ingest reads, with what it needs to report.
type sources struct {
	src    source.Source
	window timewindow.Window
	s3     []*s3src.Source
	cw     []*cwlogs.Source
	inputs string // recorded in ingest_runs, without secrets
}

// buildSources turns the arguments into one source: local paths, s3:// URLs and cwlogs:// URLs.
func buildSources(ctx context.Context, o *remoteOptions, args []string, now time.Time) (*sources, error) {
	w, err := timewindow.Parse(o.from, o.to, now)
	if err != nil {
		return nil, usagef("%v", err)
	}
	for _, a := range o.accounts {
		if !keylayout.ValidAccountID(a) {
			return nil, usagef("--account: %q is not a 12-digit account id", a)
		}
	}
	for _, r := range o.regions {
		if !keylayout.ValidRegion(r) {
			return nil, usagef("--region: %q is not a region name such as us-east-1", r)
		}
	}
	filter := source.Filter{Accounts: o.accounts, Regions: o.regions, Window: w}
	out := &sources{window: w}
	var locals []string
	var remote []string
	var srcs []source.Source
	var cfg *aws.Config
	loadCfg := func(apiRegion string) (aws.Config, error) {
		if cfg != nil {
			return *cfg, nil
		}
		c, err := awsconf.Load(ctx, awsconf.Options{Profile: o.profile, Region: apiRegion, RoleARN: o.roleARN})
		if err != nil {
			return aws.Config{}, err
		}
		cfg = &c
		return c, nil
	}
	apiRegion := ""
	if len(o.regions) == 1 {
		apiRegion = o.regions[0]
	}
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "s3://"):
			if _, _, err := s3src.ParseURL(a); err != nil {
				return nil, usagef("%v", err)
			}
			c, err := loadCfg(apiRegion)
			if err != nil {
				return nil, err
			}
			s, err := s3src.New(ctx, c, a, s3src.Options{Filter: filter, EndpointURL: o.endpointURL})
			if err != nil {
				return nil, err
			}
			out.s3 = append(out.s3, s)
			srcs = append(srcs, s)
			remote = append(remote, a)
		case strings.HasPrefix(a, "cwlogs://"):
			if len(o.regions) > 1 {
				return nil, usagef("cwlogs:// reads one region: give one --region")
			}
			if _, err := cwlogs.ParseURL(a); err != nil {
				return nil, usagef("%v", err)
			}
			if !w.HasFrom() {
				return nil, usagef("cwlogs:// needs --from (a date, an RFC 3339 time or a duration such as 24h)")
			}
			c, err := loadCfg(apiRegion)
			if err != nil {
				return nil, err
			}
			s, err := cwlogs.New(c, a, cwlogs.Options{Window: w, Streams: o.streams, EndpointURL: o.endpointURL})
			if err != nil {
				return nil, err
			}
			out.cw = append(out.cw, s)
			srcs = append(srcs, s)
			remote = append(remote, a)
		case strings.Contains(a, "://"):
			return nil, usagef("%q: want a path, s3://bucket/prefix or cwlogs://log-group", a)
		default:
			locals = append(locals, a)
		}
	}
	if len(locals) > 0 {
		srcs = append([]source.Source{local.New(locals).Filter(filter)}, srcs...)
	}
	if len(srcs) == 1 {
		out.src = srcs[0]
	} else {
		out.src = source.NewMulti(srcs...)
	}
	inputs := append(append([]string{}, locals...), remote...)
	if o.endpointURL != "" {
		inputs = append(inputs, "--endpoint-url "+awsconf.RedactURL(o.endpointURL))
	}
	out.inputs = strings.Join(inputs, " ")
	return out, nil
}

// dryRun prints what an ingest would read, per layout, without fetching any object.
func dryRun(ctx context.Context, e *env, srcs *sources, l *ingest.Listing) error {
	todo, unchanged := l.Objects, 0
	if _, err := os.Stat(e.casePath()); err == nil {
		db, err := e.openCase(ctx, true)
		if err != nil {
			return err
		}
		todo, unchanged, err = ingest.Pending(ctx, db, l, srcs.window)
		db.Close()
		if err != nil {
			return err
		}
	}
	type row struct {
		objects int
		bytes   int64
		parts   map[string]bool
		noSize  bool
	}
	rows := map[string]*row{}
	var total int64
	for _, o := range todo {
		layout := string(o.Key.Layout)
		part := path.Dir(o.URI)
		if strings.HasPrefix(o.URI, "cwlogs://") {
			layout, part = "cloudwatch-logs", o.URI
		}
		r := rows[layout]
		if r == nil {
			r = &row{parts: map[string]bool{}}
			rows[layout] = r
		}
		r.objects++
		r.bytes += o.Size
		r.noSize = r.noSize || o.NoStat
		r.parts[part] = true
		total += o.Size
	}
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	sort.Strings(names)
	out := e.io.Out
	fmt.Fprintf(out, "dry run: would read %d objects, %s (window %s)", len(todo), mb(total), srcs.window)
	if unchanged > 0 {
		fmt.Fprintf(out, "; %d already in the ledger would be skipped", unchanged)
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layout\tobjects\tbytes\tpartitions\t")
	for _, n := range names {
		r := rows[n]
		b := mb(r.bytes)
		if r.noSize {
			b = "unknown"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t\n", n, r.objects, b, len(r.parts))
	}
	tw.Flush()
	reportRequests(e.io.Err, srcs)
	fmt.Fprintln(e.io.Err, "nothing was fetched")
	return nil
}

// reportRequests names the AWS requests the sources made.
func reportRequests(w io.Writer, srcs *sources) {
	var list, get, resumes, cw int64
	for _, s := range srcs.s3 {
		st := s.Stats()
		list, get, resumes = list+st.ListCalls.Load(), get+st.GetCalls.Load(), resumes+st.Resumes.Load()
	}
	for _, s := range srcs.cw {
		cw += s.Calls()
	}
	if len(srcs.s3) > 0 {
		fmt.Fprintf(w, "S3 requests: %d LIST, %d GET (%d resumed downloads)\n", list, get, resumes)
	}
	if len(srcs.cw) > 0 {
		fmt.Fprintf(w, "CloudWatch Logs requests: %d FilterLogEvents\n", cw)
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// failureGroups counts failed objects by cause, for the summary.
func failureGroups(fs []ingest.Failure) string {
	var denied, changed, other int
	for _, f := range fs {
		switch {
		case errors.Is(f.Err, source.ErrDenied):
			denied++
		case errors.Is(f.Err, source.ErrChanged):
			changed++
		default:
			other++
		}
	}
	var parts []string
	if denied > 0 {
		parts = append(parts, fmt.Sprintf("%d access denied", denied))
	}
	if changed > 0 {
		parts = append(parts, fmt.Sprintf("%d changed since listed, read them on the next run", changed))
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	return strings.Join(parts, ", ")
}
