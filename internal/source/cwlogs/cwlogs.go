// Package cwlogs reads VPC flow logs from a CloudWatch Logs group with FilterLogEvents.
//
// A group has one log stream per network interface and one event per record; the event time is
// the record's start, and events carry no header line, so the format comes from --fields. The
// source cuts the window into fixed one-hour slices of event time (aligned to UTC hours), one
// object each, so that the same slice always has the same URI and, once CloudWatch can no longer
// add events to it, the same content: a slice is fetched whole (all pages, every stream prefix),
// de-duplicated by event id and put in a canonical order before it is hashed, and the decoder
// selects the window's records from it. A slice read while it could still receive events is
// recorded as partial, and the next run reads it again and replaces it.
package cwlogs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// filterer is the one CloudWatch Logs call flowdig makes; *cwl.Client has it.
type filterer interface {
	FilterLogEvents(ctx context.Context, in *cwl.FilterLogEventsInput, opts ...func(*cwl.Options)) (*cwl.FilterLogEventsOutput, error)
}

// Lead is how long before the window a record can start and still reach into it: the longest
// aggregation interval (600 s) plus the documented lag of up to 60 s. Event times are starts, so
// the slices begin this much earlier.
const Lead = 11 * time.Minute

// Options tune the source.
type Options struct {
	Window      timewindow.Window // required to start somewhere
	Streams     []string          // log stream name prefixes (ENI ids); empty: every stream
	Slice       time.Duration     // default 1 h; part of every object's identity, so keep it fixed
	Settle      time.Duration     // a slice is complete this long after its end, default 1 h
	CallTimeout time.Duration     // per FilterLogEvents page, default 1 min
	EndpointURL string
	Now         func() time.Time // default time.Now
}

func (o *Options) defaults() {
	if o.Slice <= 0 {
		o.Slice = time.Hour
	}
	if o.Settle <= 0 {
		o.Settle = time.Hour
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Source is one log group.
type Source struct {
	api    filterer
	group  string
	region string
	opt    Options
	calls  atomic.Int64
}

var _ source.Source = (*Source)(nil)

// ErrNoStart means the window has no --from: a log group has no folders to discover its extent.
var ErrNoStart = errors.New("cwlogs: a CloudWatch Logs source needs --from")

// New returns the source for cwlogs://GROUP (group names may start with "/":
// cwlogs:///aws/vpc/flowlogs).
func New(cfg aws.Config, rawURL string, opt Options) (*Source, error) {
	opt.defaults()
	group, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if !opt.Window.HasFrom() {
		return nil, ErrNoStart
	}
	client := cwl.NewFromConfig(cfg, func(o *cwl.Options) {
		if opt.EndpointURL != "" {
			o.BaseEndpoint = aws.String(opt.EndpointURL)
		}
	})
	s := &Source{api: client, group: group, region: cfg.Region, opt: opt}
	sort.Strings(s.opt.Streams)
	return s, nil
}

// ParseURL returns the log group of cwlogs://GROUP.
func ParseURL(raw string) (string, error) {
	group, ok := strings.CutPrefix(raw, "cwlogs://")
	if !ok || group == "" {
		return "", fmt.Errorf("cwlogs: %q is not a cwlogs://LOG-GROUP URL", raw)
	}
	return group, nil
}

// Calls is the number of FilterLogEvents requests made (throttled retries inside the SDK are
// one call).
func (s *Source) Calls() int64 { return s.calls.Load() }

// List returns the slices that can hold records of the window. It makes one call to check that
// the group can be read, so a wrong name or missing permission fails the run, not every slice.
func (s *Source) List(ctx context.Context) ([]source.Object, error) {
	q := s.opt.Window.Widen(Lead, 0)
	now := s.opt.Now().UTC()
	from := q.FromTime().Truncate(s.opt.Slice)
	to := now
	if q.HasTo() && q.ToTime().Before(now) {
		to = q.ToTime()
	}
	if _, err := s.page(ctx, s.input(from, from.Add(s.opt.Slice), "", 1), nil); err != nil {
		return nil, err
	}
	var out []source.Object
	for t := from; !t.After(to); t = t.Add(s.opt.Slice) {
		uri := "cwlogs://" + s.group + "@" + t.Format("2006-01-02T15:04Z")
		if len(s.opt.Streams) > 0 {
			uri += "?streams=" + strings.Join(s.opt.Streams, ",")
		}
		out = append(out, source.Object{
			URI:    uri,
			Key:    keylayout.Info{Layout: keylayout.None, Hour: -1, Region: s.region, FileTime: t},
			NoStat: true,
			Open:   now.Before(t.Add(s.opt.Slice + s.opt.Settle)),
		})
	}
	return out, nil
}

// event is one log event, kept for ordering.
type event struct {
	ts     int64
	stream string
	id     string
	msg    string
}

// Open fetches the whole slice and returns its events' messages, one per line, ordered by time,
// stream and event id.
func (s *Source) Open(ctx context.Context, o source.Object) (io.ReadCloser, error) {
	t := o.Key.FileTime
	prefixes := s.opt.Streams
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	seen := map[string]bool{}
	var evs []event
	for _, p := range prefixes {
		in := s.input(t, t.Add(s.opt.Slice), p, 0)
		for {
			out, err := s.page(ctx, in, func(e event) {
				if e.id != "" && seen[e.id] {
					return
				}
				seen[e.id] = true
				evs = append(evs, e)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", o.URI, err)
			}
			if out.NextToken == nil || aws.ToString(out.NextToken) == aws.ToString(in.NextToken) {
				break
			}
			in.NextToken = out.NextToken
		}
	}
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.ts != b.ts {
			return a.ts < b.ts
		}
		if a.stream != b.stream {
			return a.stream < b.stream
		}
		return a.id < b.id
	})
	var buf bytes.Buffer
	for _, e := range evs {
		msg := strings.TrimRight(e.msg, "\r\n")
		msg = strings.NewReplacer("\r", " ", "\n", " ").Replace(msg)
		buf.WriteString(msg)
		buf.WriteByte('\n')
	}
	return io.NopCloser(&buf), nil
}

// input asks for events with times in [from, to).
func (s *Source) input(from, to time.Time, prefix string, limit int32) *cwl.FilterLogEventsInput {
	in := &cwl.FilterLogEventsInput{
		LogGroupName: aws.String(s.group),
		StartTime:    aws.Int64(from.UnixMilli()),
		EndTime:      aws.Int64(to.UnixMilli() - 1),
	}
	if prefix != "" {
		in.LogStreamNamePrefix = aws.String(prefix)
	}
	if limit > 0 {
		in.Limit = aws.Int32(limit)
	}
	return in
}

// page makes one FilterLogEvents call under its own deadline; the SDK retries throttling with
// jittered backoff.
func (s *Source) page(ctx context.Context, in *cwl.FilterLogEventsInput, each func(event)) (*cwl.FilterLogEventsOutput, error) {
	cctx, cancel := context.WithTimeout(ctx, s.opt.CallTimeout)
	defer cancel()
	s.calls.Add(1)
	out, err := s.api.FilterLogEvents(cctx, in)
	if err != nil {
		return nil, fmt.Errorf("cwlogs: filter log events in %s: %w", s.group, classify(err))
	}
	if each != nil {
		for _, e := range out.Events {
			each(event{ts: aws.ToInt64(e.Timestamp), stream: aws.ToString(e.LogStreamName), id: aws.ToString(e.EventId), msg: aws.ToString(e.Message)})
		}
	}
	return out, nil
}

func classify(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException" {
		return fmt.Errorf("%w: %s", source.ErrDenied, ae.ErrorMessage())
	}
	return err
}
