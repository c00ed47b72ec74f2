package s3_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
	s3src "github.com/flowdig/flowdig/internal/source/s3"
	"github.com/flowdig/flowdig/internal/synth"
	"github.com/flowdig/flowdig/internal/timewindow"
)

const (
	acctProd = synth.AccountProd // plain (us-east-1) and Hive hourly (eu-west-1)
	bucket   = "central-logs"
)

func mustWindow(t *testing.T, from, to string) timewindow.Window {
	t.Helper()
	w, err := timewindow.Parse(from, to, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// expect returns the keys of the dataset that a correct listing must return (complete: every
// file whose name stamp is inside the window) and may return (sound: stamps within the reach a
// listing is allowed, 10 minutes before to one hour after).
func expect(m *synth.Manifest, f source.Filter, prefix string) (must, may map[string]bool) {
	must, may = map[string]bool{}, map[string]bool{}
	for _, file := range m.Files {
		fl := flowLog(m, file.FlowLogID)
		if len(f.Accounts) > 0 && !slices.Contains(f.Accounts, fl.Account) || len(f.Regions) > 0 && !slices.Contains(f.Regions, fl.Region) {
			continue
		}
		if !strings.HasPrefix(file.Path, prefix) {
			continue
		}
		t := file.Window.Unix()
		key := "s3://" + bucket + "/" + file.Path
		if f.Window.Contains(t) {
			must[key] = true
		}
		if f.Window.Reach().Contains(t) {
			may[key] = true
		}
	}
	return must, may
}

func flowLog(m *synth.Manifest, id string) synth.FlowLog {
	for _, fl := range m.FlowLogs {
		if fl.ID == id {
			return fl
		}
	}
	return synth.FlowLog{}
}

// TestListPrunes lists the same bucket with different filters and checks both what is listed
// (complete and within reach) and which LIST requests were made: the prefixes the filter allows
// and no wider.
func TestListPrunes(t *testing.T) {
	dir, m := testData(t)
	f := newFakeS3(t, bucket)
	total := f.upload(bucket, "", dir)
	day2 := "2026-11-02"
	tests := []struct {
		name   string
		url    string
		filter source.Filter
		// every LIST must have one of these prefixes (or be exactly one of exact)
		allowed []string
		exact   []string
		lists   int // exact number of distinct LIST requests (prefix, delimiter); -1: not checked
	}{
		{
			name: "account and region known: day prefixes in both forms, nothing above",
			url:  "s3://" + bucket + "/AWSLogs/",
			filter: source.Filter{Accounts: []string{acctProd}, Regions: []string{"us-east-1"},
				Window: mustWindow(t, day2, day2)},
			allowed: []string{"AWSLogs/" + acctProd + "/vpcflowlogs/us-east-1/2026/11/",
				"AWSLogs/aws-account-id=" + acctProd + "/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/"},
			// 11-01 (reach starts 23:50), 11-02, 11-03 (reach ends 00:59), in two forms
			lists: 6,
		},
		{
			name: "hourly layout, two hours: only the hour folders in reach",
			url:  "s3://" + bucket + "/AWSLogs/",
			filter: source.Filter{Accounts: []string{acctProd}, Regions: []string{"eu-west-1"},
				Window: mustWindow(t, "2026-11-01T10:00:00Z", "2026-11-01T11:59:59Z")},
			allowed: []string{"AWSLogs/" + acctProd + "/vpcflowlogs/eu-west-1/2026/11/01/",
				"AWSLogs/aws-account-id=" + acctProd + "/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=01/"},
			// two day folders (one empty form), then hours 09 (from 09:50), 10, 11, 12 (to 12:59)
			lists: 2 + 4,
		},
		{
			// AWSLogs/, each account's service folder (regions), then the day folders.
			name:   "accounts and regions unknown: discovered one folder level at a time",
			url:    "s3://" + bucket + "/AWSLogs/",
			filter: source.Filter{Window: mustWindow(t, day2, day2)},
			lists:  -1,
		},
		{
			name:   "whole bucket, window: the user prefix is found, every flow log pruned by day",
			url:    "s3://" + bucket + "/",
			filter: source.Filter{Window: mustWindow(t, "2026-11-01T23:00:00Z", "2026-11-02T00:30:00Z")},
			lists:  -1,
		},
		{
			name:   "a day folder in the URL",
			url:    "s3://" + bucket + "/AWSLogs/" + acctProd + "/vpcflowlogs/us-east-1/2026/11/02/",
			filter: source.Filter{},
			exact:  []string{"AWSLogs/" + acctProd + "/vpcflowlogs/us-east-1/2026/11/02/"},
			lists:  1,
		},
		{
			name:   "no filter: everything",
			url:    "s3://" + bucket,
			filter: source.Filter{},
			lists:  -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.reset()
			src := f.source(t, tt.url, tt.filter, func(o *s3src.Options) { o.PageSize = 100 })
			objs, err := src.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, o := range objs {
				got[o.URI] = true
				if o.ETag == "" || o.Bucket != bucket || o.Size == 0 {
					t.Errorf("%s: listed without identity: %+v", o.URI, o)
				}
			}
			_, prefix, _ := s3src.ParseURL(tt.url)
			must, may := expect(m, tt.filter, prefix)
			for k := range must {
				if !got[k] {
					t.Errorf("missing %s", k)
				}
			}
			for k := range got {
				if !may[k] {
					t.Errorf("listed %s, outside the filter's reach", k)
				}
			}
			if tt.name == "no filter: everything" && len(got) != total {
				t.Errorf("listed %d objects, bucket holds %d", len(got), total)
			}
			lists, gets := f.requests()
			if len(gets) != 0 {
				t.Errorf("listing made %d GET requests", len(gets))
			}
			distinct := map[listReq]bool{}
			for _, l := range lists {
				distinct[l] = true
			}
			if tt.lists >= 0 && len(distinct) != tt.lists {
				t.Errorf("%d distinct LIST requests, want %d: %v", len(distinct), tt.lists, distinct)
			}
			for l := range distinct {
				ok := slices.Contains(tt.exact, l.prefix)
				for _, a := range tt.allowed {
					ok = ok || strings.HasPrefix(l.prefix, a)
				}
				if len(tt.allowed)+len(tt.exact) > 0 && !ok {
					t.Errorf("LIST of %q (delimiter %q) is outside what the filter allows", l.prefix, l.delim)
				}
				// Pruning possible: nothing is listed recursively above a day or hour folder, and
				// no folder of another service or out of reach is listed at all.
				k := keylayout.Parse(l.prefix)
				if !tt.filter.Window.IsAll() && l.delim == "" && k.Layout == keylayout.None {
					t.Errorf("recursive LIST of %q while a window allows pruning", l.prefix)
				}
				if k.Layout != keylayout.None && !source.InReach(tt.filter.Window, k) {
					t.Errorf("LIST of %q, a folder out of reach", l.prefix)
				}
			}
			if int64(len(lists)) != src.Stats().ListCalls.Load() {
				t.Errorf("source counted %d LIST calls, server saw %d", src.Stats().ListCalls.Load(), len(lists))
			}
			t.Logf("%d objects with %d LIST requests (%d pages)", len(got), len(distinct), len(lists))
		})
	}
}

// A URL naming one object lists exactly that object.
func TestListOneObject(t *testing.T) {
	f := newFakeS3(t, bucket)
	key := "AWSLogs/" + acctProd + "/vpcflowlogs/us-east-1/2026/11/02/" + acctProd + "_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261102T0000Z_0a1b2c3d.log.gz"
	f.put(bucket, key, []byte("x"))
	f.put(bucket, key+".bak", []byte("y"))
	objs, err := f.source(t, "s3://"+bucket+"/"+key, source.Filter{}).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].ObjectKey != key || !objs[0].Explicit || objs[0].Key.FlowLogID != "fl-0123456789abcdef0" {
		t.Fatalf("listed %+v", objs)
	}
}
