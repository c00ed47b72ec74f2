package source

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/timewindow"
)

func TestInReach(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w := timewindow.Between(day, day.Add(24*time.Hour-time.Second)) // 2026-11-02, whole day
	const base = "AWSLogs/123456789012/vpcflowlogs/us-east-1/"
	name := func(stamp string) string {
		return "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_" + stamp + "_abcd1234.log.gz"
	}
	tests := []struct {
		key  string
		want bool
	}{
		{base + "2026/11/01/" + name("20261101T2345Z"), false}, // 15 min before: out of reach
		{base + "2026/11/01/" + name("20261101T2350Z"), true},  // 10 min before: its records may end inside
		{base + "2026/11/03/" + name("20261103T0055Z"), true},  // late delivery within the hour
		{base + "2026/11/03/" + name("20261103T0105Z"), false}, // no further
		{base + "2026/11/03/", true},                           // the day folder reaches 00:59
		{base + "2026/11/04/", false},
		{base + "2026/11/03/01/", false}, // hour folder after the reach
		{base + "2026/11/01/23/", true},
		{"exports/eni.log", true}, // nothing to judge by
	}
	for _, tt := range tests {
		if got := InReach(w, keylayout.Parse(tt.key)); got != tt.want {
			t.Errorf("InReach(%s) = %v, want %v", tt.key, got, tt.want)
		}
	}
	if !InReach(timewindow.All(), keylayout.Parse(base+"1999/01/01/")) {
		t.Error("the unbounded window leaves something out")
	}
	f := Filter{Accounts: []string{"111122223333"}, Regions: []string{"eu-west-1"}}
	if ok, why := f.Keeps(keylayout.Parse(base + "2026/11/02/" + name("20261102T0000Z"))); ok || !strings.Contains(why, "account") {
		t.Errorf("other account kept: %v %s", ok, why)
	}
	if ok, _ := f.Keeps(keylayout.Parse("exports/eni.log")); !ok {
		t.Error("a key without account or region was left out")
	}
}

type fakeSource struct {
	objs []Object
}

func (f fakeSource) List(context.Context) ([]Object, error) { return f.objs, nil }
func (f fakeSource) Open(_ context.Context, o Object) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(o.URI)), nil
}
func (f fakeSource) Skipped() []Skipped { return []Skipped{{URI: f.objs[0].URI + ".skipped"}} }

func TestMulti(t *testing.T) {
	m := NewMulti(fakeSource{[]Object{{URI: "a"}, {URI: "b"}}}, fakeSource{[]Object{{URI: "s3://x/c"}, {URI: "a"}}})
	objs, err := m.List(context.Background())
	if err != nil || len(objs) != 3 || len(m.Skipped()) != 2 {
		t.Fatalf("List = %v, %v; skipped %v", objs, err, m.Skipped())
	}
	rc, err := m.Open(context.Background(), Object{URI: "s3://x/c"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(rc); string(b) != "s3://x/c" {
		t.Errorf("opened %q", b)
	}
	if _, err := m.Open(context.Background(), Object{URI: "zzz"}); err == nil {
		t.Error("opened an object nobody listed")
	}
}
