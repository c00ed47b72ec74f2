package s3

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// maxUserDepth bounds how many folders above AWSLogs/ a walk descends looking for it.
const maxUserDepth = 8

// maxBuiltDays is the longest window whose day prefixes are built one by one; a longer (or
// open-ended) window discovers its year and month folders instead, which costs fewer calls.
const maxBuiltDays = 62

// walker lists one location. Every LIST call holds a slot of sem; folders are walked
// concurrently.
type walker struct {
	s     *Source
	g     *errgroup.Group
	sem   chan struct{}
	now   time.Time
	mu    sync.Mutex
	found map[string]source.Object
	skip  []source.Skipped
}

// List walks the location, pruned by the filter (see the package comment), and returns the
// objects in load order.
func (s *Source) List(ctx context.Context) ([]source.Object, error) {
	w := &walker{s: s, sem: make(chan struct{}, s.opt.ListCalls), now: time.Now(), found: map[string]source.Object{}}
	g, gctx := errgroup.WithContext(ctx)
	w.g = g
	start := s.prefix
	if start != "" && !strings.HasSuffix(start, "/") {
		// The URL may name one object; keys sort, so an exact match is the first key listed.
		out, err := w.page(gctx, &awss3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(start), MaxKeys: aws.Int32(1)})
		if err != nil {
			return nil, err
		}
		if len(out.Contents) == 1 && aws.ToString(out.Contents[0].Key) == start {
			c := out.Contents[0]
			o := s.object(start, aws.ToInt64(c.Size), aws.ToTime(c.LastModified), aws.ToString(c.ETag))
			o.Explicit = true
			s.skipped = nil
			return []source.Object{o}, nil
		}
		start += "/"
	}
	g.Go(func() error { return w.start(gctx, start) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]source.Object, 0, len(w.found))
	for _, o := range w.found {
		out = append(out, o)
	}
	source.SortForLoad(out)
	s.skipped = w.skip
	return out, nil
}

// node is a folder whose place in the layout is known.
type node struct {
	prefix     string // the folder, ending in "/"
	user       string // the part before AWSLogs, without its trailing "/"
	hive       bool
	org        string
	acct, regn string
}

// start places the URL's folder in the layout and walks on from there.
func (w *walker) start(ctx context.Context, prefix string) error {
	segs := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	if prefix == "" {
		segs = nil
	}
	at := -1
	for i, s := range segs {
		if s == "AWSLogs" {
			at = i
		}
	}
	if at < 0 {
		return w.userLevel(ctx, prefix, 0)
	}
	n := node{prefix: strings.Join(segs[:at+1], "/") + "/", user: strings.Join(segs[:at], "/")}
	rest := segs[at+1:]
	if len(rest) > 0 && keylayout.ValidOrgID(rest[0]) {
		n.org, n.prefix, rest = rest[0], n.prefix+rest[0]+"/", rest[1:]
	}
	if len(rest) == 0 {
		return w.awsLogsLevel(ctx, n)
	}
	// Account, service and region folders given by the URL.
	fixed := []*string{&n.acct, nil, &n.regn}
	names := []string{"aws-account-id", "aws-service", "aws-region"}
	for i := 0; i < 3 && len(rest) > 0; i++ {
		v := rest[0]
		if i == 0 {
			n.hive = strings.HasPrefix(v, "aws-account-id=")
		}
		if n.hive {
			var ok bool
			if v, ok = strings.CutPrefix(v, names[i]+"="); !ok {
				return w.recursive(ctx, prefix)
			}
		}
		switch {
		case i == 0 && !keylayout.ValidAccountID(v), i == 2 && !keylayout.ValidRegion(v):
			return w.recursive(ctx, prefix)
		case i == 1 && v != keylayout.FlowLogService:
			w.skipped(prefix, "not VPC flow logs (AWSLogs service "+v+")")
			return nil
		}
		if fixed[i] != nil {
			*fixed[i] = v
		}
		n.prefix += rest[0] + "/"
		rest = rest[1:]
		if len(rest) == 0 {
			switch i {
			case 0:
				return w.accountLevel(ctx, n)
			case 1:
				return w.serviceLevel(ctx, n)
			default:
				return w.regionLevel(ctx, n)
			}
		}
	}
	// Date folders given by the URL: check they are in reach, then go on below them.
	var t time.Time
	for lvl := 0; lvl < len(rest); lvl++ {
		child, span, ok := dateFolder(rest[lvl], n.hive, lvl, t)
		if !ok || lvl > 3 {
			return w.recursive(ctx, prefix)
		}
		if !source.SpanInReach(w.s.opt.Filter.Window, child, span) {
			w.skipped(prefix, "outside the time window")
			return nil
		}
		t = child
	}
	return w.dates(ctx, prefix, n.hive, len(rest), t)
}

// userLevel lists a folder above AWSLogs/: its objects are read like any hand-made folder's, its
// AWSLogs/ folder is walked by layout, other folders are searched further.
func (w *walker) userLevel(ctx context.Context, prefix string, depth int) error {
	objs, dirs, err := w.list(ctx, prefix, "/")
	if err != nil {
		return err
	}
	w.consider(objs)
	for _, d := range dirs {
		if d == prefix+"AWSLogs/" {
			n := node{prefix: d, user: strings.TrimSuffix(prefix, "/")}
			w.g.Go(func() error { return w.awsLogsLevel(ctx, n) })
			continue
		}
		if depth+1 >= maxUserDepth {
			w.skipped(d, fmt.Sprintf("more than %d folders above AWSLogs/", maxUserDepth))
			continue
		}
		w.g.Go(func() error { return w.userLevel(ctx, d, depth+1) })
	}
	return nil
}

// awsLogsLevel builds the account folders --account names, in both forms; without --account it
// lists AWSLogs/ (and any organization folder) to discover them.
func (w *walker) awsLogsLevel(ctx context.Context, n node) error {
	if accts := w.s.opt.Filter.Accounts; len(accts) > 0 {
		for _, a := range accts {
			for _, hive := range []bool{false, true} {
				c := n
				c.acct, c.hive = a, hive
				if hive {
					c.prefix += "aws-account-id=" + a + "/"
				} else {
					c.prefix += a + "/"
				}
				w.g.Go(func() error { return w.accountLevel(ctx, c) })
			}
		}
		return nil
	}
	objs, dirs, err := w.list(ctx, n.prefix, "/")
	if err != nil {
		return err
	}
	w.consider(objs)
	for _, d := range dirs {
		name := strings.TrimSuffix(strings.TrimPrefix(d, n.prefix), "/")
		c := n
		c.prefix = d
		switch {
		case n.org == "" && keylayout.ValidOrgID(name):
			c.org = name
			w.g.Go(func() error { return w.awsLogsLevel(ctx, c) })
		case keylayout.ValidAccountID(name):
			c.acct = name
			w.g.Go(func() error { return w.accountLevel(ctx, c) })
		case strings.HasPrefix(name, "aws-account-id=") && keylayout.ValidAccountID(name[len("aws-account-id="):]):
			c.acct, c.hive = name[len("aws-account-id="):], true
			w.g.Go(func() error { return w.accountLevel(ctx, c) })
		default:
			w.skipped(d, "not an account folder")
		}
	}
	return nil
}

// accountLevel goes straight to the flow-log service folder: other services are never listed.
func (w *walker) accountLevel(ctx context.Context, n node) error {
	if n.hive {
		n.prefix += "aws-service=" + keylayout.FlowLogService + "/"
	} else {
		n.prefix += keylayout.FlowLogService + "/"
	}
	return w.serviceLevel(ctx, n)
}

// serviceLevel builds the region folders --region names; without --region it lists the service
// folder to discover them.
func (w *walker) serviceLevel(ctx context.Context, n node) error {
	if regions := w.s.opt.Filter.Regions; len(regions) > 0 {
		for _, r := range regions {
			c := n
			c.regn = r
			if n.hive {
				c.prefix += "aws-region=" + r + "/"
			} else {
				c.prefix += r + "/"
			}
			w.g.Go(func() error { return w.regionLevel(ctx, c) })
		}
		return nil
	}
	objs, dirs, err := w.list(ctx, n.prefix, "/")
	if err != nil {
		return err
	}
	w.consider(objs)
	for _, d := range dirs {
		name := strings.TrimSuffix(strings.TrimPrefix(d, n.prefix), "/")
		if n.hive {
			name = strings.TrimPrefix(name, "aws-region=")
		}
		if !keylayout.ValidRegion(name) {
			w.skipped(d, "not a region folder")
			continue
		}
		c := n
		c.prefix, c.regn = d, name
		w.g.Go(func() error { return w.regionLevel(ctx, c) })
	}
	return nil
}

// regionLevel lists the days in reach of the window: built one by one when the window is short
// and starts somewhere, discovered through the year and month folders otherwise; without a window,
// the whole region folder.
func (w *walker) regionLevel(ctx context.Context, n node) error {
	win := w.s.opt.Filter.Window
	if win.IsAll() {
		return w.recursive(ctx, n.prefix)
	}
	reach := win.Reach()
	if !reach.HasFrom() || n.org != "" {
		return w.dates(ctx, n.prefix, n.hive, 0, time.Time{})
	}
	// Nothing can be delivered after now (plus the lateness allowance): an open end stops there.
	to := reach.ToTime()
	if !reach.HasTo() || to.After(w.now.Add(timewindow.ReachAfter)) {
		to = w.now.Add(timewindow.ReachAfter)
	}
	from := reach.FromTime()
	if to.Sub(from) > maxBuiltDays*24*time.Hour {
		return w.dates(ctx, n.prefix, n.hive, 0, time.Time{})
	}
	layout := keylayout.Plain
	if n.hive {
		layout = keylayout.Hive
	}
	for i, p := range keylayout.DayPrefixes(n.user, layout, n.acct, n.regn, from, to) {
		day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		w.g.Go(func() error { return w.folder(ctx, p, n.hive, 3, day, 24*time.Hour) })
	}
	return nil
}

// recursive lists everything under prefix.
func (w *walker) recursive(ctx context.Context, prefix string) error {
	objs, _, err := w.list(ctx, prefix, "")
	if err != nil {
		return err
	}
	w.consider(objs)
	return nil
}

// consider keeps the listed objects that are flow logs the filter selects.
func (w *walker) consider(objs []listed) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, l := range objs {
		if strings.HasSuffix(l.key, "/") {
			continue // a folder marker
		}
		o := w.s.object(l.key, l.size, l.mtime, l.etag)
		if !o.Key.IsFlowLogService() {
			w.skip = append(w.skip, source.Skipped{URI: o.URI, Reason: "not VPC flow logs (AWSLogs service " + o.Key.Service + ")"})
			continue
		}
		if ok, why := w.s.opt.Filter.Keeps(o.Key); !ok {
			w.skip = append(w.skip, source.Skipped{URI: o.URI, Reason: why})
			continue
		}
		w.found[o.URI] = o
	}
}

func (w *walker) skipped(prefix, why string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.skip = append(w.skip, source.Skipped{URI: "s3://" + w.s.bucket + "/" + prefix, Reason: why})
}

// listed is one object of a LIST answer.
type listed struct {
	key   string
	size  int64
	mtime time.Time
	etag  string
}

// list pages through prefix, with delimiter "/" (one folder level) or "" (everything below).
func (w *walker) list(ctx context.Context, prefix, delim string) ([]listed, []string, error) {
	in := &awss3.ListObjectsV2Input{Bucket: aws.String(w.s.bucket), Prefix: aws.String(prefix)}
	if delim != "" {
		in.Delimiter = aws.String(delim)
	}
	if w.s.opt.PageSize > 0 {
		in.MaxKeys = aws.Int32(w.s.opt.PageSize)
	}
	var objs []listed
	var dirs []string
	for {
		out, err := w.page(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range out.Contents {
			objs = append(objs, listed{key: aws.ToString(c.Key), size: aws.ToInt64(c.Size), mtime: aws.ToTime(c.LastModified), etag: aws.ToString(c.ETag)})
		}
		for _, p := range out.CommonPrefixes {
			dirs = append(dirs, aws.ToString(p.Prefix))
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextContinuationToken) == "" {
			return objs, dirs, nil
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

// page makes one LIST call, holding a slot and under its own deadline.
func (w *walker) page(ctx context.Context, in *awss3.ListObjectsV2Input) (*awss3.ListObjectsV2Output, error) {
	select {
	case w.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-w.sem }()
	cctx, cancel := context.WithTimeout(ctx, w.s.opt.ListTimeout)
	defer cancel()
	w.s.stats.ListCalls.Add(1)
	out, err := w.s.list.ListObjectsV2(cctx, in)
	if err != nil {
		return nil, fmt.Errorf("s3: list s3://%s/%s: %w", w.s.bucket, aws.ToString(in.Prefix), classify(err))
	}
	return out, nil
}
