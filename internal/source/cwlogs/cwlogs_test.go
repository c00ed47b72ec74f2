package cwlogs_test

import (
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/source/cwlogs"
	"github.com/flowdig/flowdig/internal/timewindow"
)

func window(t *testing.T, from, to string) timewindow.Window {
	t.Helper()
	w, err := timewindow.Parse(from, to, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Slices are whole UTC hours of event time from Lead before the window to its end (or now),
// named by their start; those that can still receive events are open.
func TestListSlices(t *testing.T) {
	f := newFakeLogs(t, "/aws/vpc/flowlogs", nil)
	now := time.Date(2026, 11, 1, 14, 20, 0, 0, time.UTC)
	src := f.source(t, window(t, "2026-11-01T10:05:00Z", ""), now, "eni-0b", "eni-0a")
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		state := "closed"
		if o.Open {
			state = "open"
		}
		got = append(got, strings.TrimPrefix(o.URI, "cwlogs:///aws/vpc/flowlogs@")+" "+state)
		if !o.NoStat || o.Key.Region != "eu-west-1" {
			t.Errorf("%+v", o)
		}
	}
	want := []string{ // 09:54 (10:05 - 11 min) to now
		"2026-11-01T09:00Z?streams=eni-0a,eni-0b closed",
		"2026-11-01T10:00Z?streams=eni-0a,eni-0b closed",
		"2026-11-01T11:00Z?streams=eni-0a,eni-0b closed",
		"2026-11-01T12:00Z?streams=eni-0a,eni-0b closed", // ended 13:00, settled 14:00
		"2026-11-01T13:00Z?streams=eni-0a,eni-0b open",   // settles at 15:00
		"2026-11-01T14:00Z?streams=eni-0a,eni-0b open",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("slices:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := cwlogs.New(f.config(t), "cwlogs://g", cwlogs.Options{}); !errors.Is(err, cwlogs.ErrNoStart) {
		t.Errorf("no --from: %v", err)
	}
	other, err := cwlogs.New(f.config(t), "cwlogs://no-such-group", cwlogs.Options{Window: window(t, "2026-11-01", ""), EndpointURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.List(context.Background()); err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("missing group: %v", err)
	}
}

// A slice is every event of its hour, over all pages, in time order, after throttling: the SDK
// backs off and retries ThrottlingException. Stream prefixes select ENIs.
func TestOpenPagesThrottledSlice(t *testing.T) {
	events := flowEvents(t, 4000)
	f := newFakeLogs(t, "vpc-flow-logs", events)
	f.pageSize = 7
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	src := f.source(t, window(t, "2026-11-01T06:00:00Z", "2026-11-01T06:59:59Z"), now)
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slice := objs[1] // 06:00-07:00 (the first is 05:00, for records reaching into the window)
	var in []fakeEvent
	streams := map[string]bool{}
	for _, e := range f.events {
		if e.TS >= slice.Key.FileTime.UnixMilli() && e.TS < slice.Key.FileTime.Add(time.Hour).UnixMilli() {
			in = append(in, e)
			streams[e.Stream] = true
		}
	}
	// The canonical order: time, stream, event id.
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].TS != in[j].TS {
			return in[i].TS < in[j].TS
		}
		if in[i].Stream != in[j].Stream {
			return in[i].Stream < in[j].Stream
		}
		return in[i].ID < in[j].ID
	})
	var want []string
	for _, e := range in {
		want = append(want, e.Msg)
	}
	if len(want) < 30 || len(streams) < 2 {
		t.Fatalf("test data: %d events in the slice, %d streams", len(want), len(streams))
	}
	f.mu.Lock()
	f.throttle = 3
	f.mu.Unlock()
	callsBefore, _ := f.stats()
	rc, err := src.Open(context.Background(), slice)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("slice has %d lines, want %d in time order", len(got), len(want))
	}
	calls, throttled := f.stats()
	if throttled != 3 || calls-callsBefore < 3+len(want)/7 {
		t.Errorf("%d calls, %d throttled", calls-callsBefore, throttled)
	}

	var one string
	for s := range streams {
		one = s
		break
	}
	src = f.source(t, window(t, "2026-11-01T06:00:00Z", "2026-11-01T06:59:59Z"), now, one)
	objs, _ = src.List(context.Background())
	rc, err = src.Open(context.Background(), objs[1])
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(rc)
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.Fields(l)[2] != one {
			t.Fatalf("stream prefix %s let through %q", one, l)
		}
	}
}
