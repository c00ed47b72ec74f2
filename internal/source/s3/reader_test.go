package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"

	"github.com/flowdig/flowdig/internal/source"
)

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// listOne lists the bucket and returns the object with key.
func listOne(t *testing.T, src interface {
	List(context.Context) ([]source.Object, error)
}, key string) source.Object {
	t.Helper()
	objs, err := src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if o.ObjectKey == key {
			return o
		}
	}
	t.Fatalf("%s not listed", key)
	return source.Object{}
}

// A download cut twice mid-body is resumed each time with a Range request at the offset
// reached, under If-Match, and the reader delivers the object's exact bytes.
func TestReaderResumesAtOffset(t *testing.T) {
	f := newFakeS3(t, bucket)
	body := randomBytes(3<<20 + 17)
	key := "exports/big.log"
	f.put(bucket, key, body)
	src := f.source(t, "s3://"+bucket+"/exports/", source.Filter{})
	o := listOne(t, src, key)
	f.cut(key, 1<<20, 100<<10) // the first download, then the resumed one
	rc, err := src.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := io.Copy(&got, rc); err != nil {
		t.Fatalf("read after %d bytes: %v", got.Len(), err)
	}
	rc.Close()
	if !bytes.Equal(got.Bytes(), body) {
		t.Fatalf("read %d bytes, want the object's %d exactly", got.Len(), len(body))
	}
	_, gets := f.requests()
	if len(gets) != 3 {
		t.Fatalf("GET requests %+v, want the first and two resumes", gets)
	}
	if gets[0].rng != "" || gets[1].rng != "bytes=1048576-" || gets[2].rng != "bytes=1150976-" {
		t.Errorf("ranges %q %q %q", gets[0].rng, gets[1].rng, gets[2].rng)
	}
	for _, g := range gets {
		if g.ifMatch != o.ETag {
			t.Errorf("GET without If-Match %s: %+v", o.ETag, g)
		}
	}
	if n := src.Stats().Resumes.Load(); n != 2 {
		t.Errorf("resumes counted %d, want 2", n)
	}
}

// An object replaced between listing and reading fails with ErrChanged, whether the store
// enforces If-Match (412) or ignores it (the response's ETag differs); so does one replaced
// while a cut download waits to resume.
func TestReaderDetectsChange(t *testing.T) {
	for _, enforce := range []bool{true, false} {
		f := newFakeS3(t, bucket)
		f.ifMatch = enforce
		key := "exports/a.log"
		f.put(bucket, key, []byte(strings.Repeat("old line\n", 1000)))
		src := f.source(t, "s3://"+bucket+"/exports/", source.Filter{})
		o := listOne(t, src, key)
		f.put(bucket, key, []byte(strings.Repeat("new line\n", 1000)))
		if _, err := src.Open(context.Background(), o); !errors.Is(err, source.ErrChanged) {
			t.Errorf("If-Match enforced %v: open after change: %v, want ErrChanged", enforce, err)
		}

		f.put(bucket, "exports/b.log", randomBytes(1<<20))
		o = listOne(t, src, "exports/b.log")
		f.cut("exports/b.log", 300<<10)
		rc, err := src.Open(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100<<10)
		if _, err := io.ReadFull(rc, buf); err != nil {
			t.Fatal(err)
		}
		f.put(bucket, "exports/b.log", randomBytes(1<<20+1))
		_, err = io.ReadAll(rc)
		if !errors.Is(err, source.ErrChanged) {
			t.Errorf("If-Match enforced %v: resume after change: %v, want ErrChanged", enforce, err)
		}
	}
}

// Access denied is reported as ErrDenied; throttling (503 SlowDown) is retried by the SDK.
func TestReaderDeniedAndThrottled(t *testing.T) {
	f := newFakeS3(t, bucket)
	f.put(bucket, "exports/secret.log", []byte("x\n"))
	f.put(bucket, "exports/open.log", []byte("y\n"))
	src := f.source(t, "s3://"+bucket+"/exports/", source.Filter{})
	o := listOne(t, src, "exports/secret.log")
	f.deny["exports/secret.log"] = true
	_, err := src.Open(context.Background(), o)
	if !errors.Is(err, source.ErrDenied) || !strings.Contains(err.Error(), "s3://central-logs/exports/secret.log") {
		t.Errorf("denied: %v", err)
	}
	o = listOne(t, src, "exports/open.log")
	f.mu.Lock()
	f.throttle = 3
	f.mu.Unlock()
	rc, err := src.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open while throttled: %v", err)
	}
	b, _ := io.ReadAll(rc)
	if string(b) != "y\n" {
		t.Errorf("read %q", b)
	}
}

// In a versioned bucket the reader records the version it read and pins resumed requests to it.
func TestReaderVersioned(t *testing.T) {
	f := newFakeS3(t, bucket)
	if err := f.backend.SetVersioningConfiguration(bucket, gofakes3.VersioningConfiguration{Status: gofakes3.VersioningEnabled}); err != nil {
		t.Fatal(err)
	}
	body := randomBytes(600 << 10)
	f.put(bucket, "exports/v.log", body)
	src := f.source(t, "s3://"+bucket+"/exports/", source.Filter{})
	o := listOne(t, src, "exports/v.log")
	f.cut("exports/v.log", 200<<10)
	rc, err := src.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	v, ok := rc.(source.Versioned)
	if !ok || v.VersionID() == "" {
		t.Fatal("no version recorded")
	}
	_, gets := f.requests()
	if len(gets) != 2 || gets[0].version != "" || gets[1].version != v.VersionID() {
		t.Errorf("GETs %+v, want the resume pinned to version %s", gets, v.VersionID())
	}
}
