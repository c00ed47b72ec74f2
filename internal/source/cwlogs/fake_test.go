package cwlogs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/klauspost/compress/gzip"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/source/awsconf"
	"github.com/flowdig/flowdig/internal/source/cwlogs"
	"github.com/flowdig/flowdig/internal/synth"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// fakeLogs speaks the CloudWatch Logs JSON protocol (X-Amz-Target Logs_20140328.FilterLogEvents)
// over one log group, pages its answers and can throttle.
type fakeLogs struct {
	t      testing.TB
	srv    *httptest.Server
	group  string
	events []fakeEvent // sorted by time, then stream

	mu        sync.Mutex
	pageSize  int
	throttle  int // answer this many requests with ThrottlingException first
	calls     int // requests answered, throttled ones included
	throttled int
	now       time.Time // when set, events ingested after it do not exist yet
}

type fakeEvent struct {
	Stream string `json:"logStreamName"`
	TS     int64  `json:"timestamp"`
	Msg    string `json:"message"`
	ID     string `json:"eventId"`
	Ingest int64  `json:"ingestionTime"`
}

type filterIn struct {
	LogGroupName        string
	StartTime, EndTime  *int64
	LogStreamNamePrefix string
	NextToken           string
	Limit               int
}

func newFakeLogs(t testing.TB, group string, events []fakeEvent) *fakeLogs {
	f := &fakeLogs{t: t, group: group, events: events, pageSize: 100}
	sort.SliceStable(f.events, func(i, j int) bool { return f.events[i].TS < f.events[j].TS })
	for i := range f.events {
		f.events[i].ID = fmt.Sprintf("%020d", i)
		f.events[i].Ingest = f.events[i].TS + 300_000
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLogs) fail(w http.ResponseWriter, code int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"__type":%q,"message":%q}`, typ, msg)
}

func (f *fakeLogs) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Amz-Target") != "Logs_20140328.FilterLogEvents" || r.Method != http.MethodPost {
		f.fail(w, 400, "UnknownOperationException", "only FilterLogEvents")
		return
	}
	f.mu.Lock()
	f.calls++
	if f.throttle > 0 {
		f.throttle--
		f.throttled++
		f.mu.Unlock()
		f.fail(w, 400, "ThrottlingException", "Rate exceeded")
		return
	}
	page, now := f.pageSize, f.now
	f.mu.Unlock()
	var in filterIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.fail(w, 400, "InvalidParameterException", err.Error())
		return
	}
	if in.LogGroupName != f.group {
		f.fail(w, 400, "ResourceNotFoundException", "The specified log group does not exist.")
		return
	}
	if in.Limit > 0 && in.Limit < page {
		page = in.Limit
	}
	start := 0
	if in.NextToken != "" {
		start, _ = strconv.Atoi(in.NextToken)
	}
	var out struct {
		Events    []fakeEvent `json:"events"`
		NextToken *string     `json:"nextToken,omitempty"`
	}
	out.Events = []fakeEvent{}
	i := start
	for ; i < len(f.events) && len(out.Events) < page; i++ {
		e := f.events[i]
		if in.StartTime != nil && e.TS < *in.StartTime || in.EndTime != nil && e.TS > *in.EndTime {
			continue
		}
		if !strings.HasPrefix(e.Stream, in.LogStreamNamePrefix) || !now.IsZero() && e.Ingest > now.UnixMilli() {
			continue
		}
		out.Events = append(out.Events, e)
	}
	if i < len(f.events) {
		tok := strconv.Itoa(i)
		out.NextToken = &tok
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

func (f *fakeLogs) stats() (calls, throttled int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.throttled
}

func (f *fakeLogs) config(t testing.TB) aws.Config {
	t.Helper()
	cfg, err := awsconf.Load(context.Background(), awsconf.Options{
		Region:      "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
		Backoff:     awsconf.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (f *fakeLogs) source(t testing.TB, w timewindow.Window, now time.Time, streams ...string) *cwlogs.Source {
	t.Helper()
	s, err := cwlogs.New(f.config(t), "cwlogs://"+f.group, cwlogs.Options{
		Window: w, Streams: streams, EndpointURL: f.srv.URL, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// flowEvents turns the default-format flow log of a generated dataset into CloudWatch Logs events
// as the VPC delivers them: one event per record, the stream named after the ENI, the event time
// the record's start.
func flowEvents(t testing.TB, records int) []fakeEvent {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := synth.DemoConfig()
	cfg.Days, cfg.Records = 1, records
	m, err := synth.Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []fakeEvent
	for _, file := range m.Files {
		if file.FlowLogID != m.FlowLogs[0].ID || file.Damage != "" || m.FlowLogs[0].Format != flowlog.DefaultFormat {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(file.Path))
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(text)), "\n")
		for _, l := range lines[1:] { // the header line: CloudWatch events have none
			f := strings.Fields(l)
			start, _ := strconv.ParseInt(f[10], 10, 64)
			out = append(out, fakeEvent{Stream: f[2], TS: start * 1000, Msg: l})
		}
	}
	if len(out) == 0 {
		t.Fatal("no default-format records generated")
	}
	return out
}
