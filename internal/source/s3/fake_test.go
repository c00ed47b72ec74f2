package s3_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/awsconf"
	s3src "github.com/flowdig/flowdig/internal/source/s3"
	"github.com/flowdig/flowdig/internal/synth"
)

// fakeS3 is gofakes3 with its in-memory backend behind httptest, plus a middleware that records
// every LIST and GET and can deny, cut or alter answers, so tests drive the real SDK over the
// wire.
type fakeS3 struct {
	t       testing.TB
	backend *s3mem.Backend
	srv     *httptest.Server

	mu       sync.Mutex
	lists    []listReq
	gets     []getReq
	deny     map[string]bool    // key -> 403 AccessDenied on GET
	cutAt    map[string][]int64 // key -> cut the next GETs' connections after this many body bytes
	ifMatch  bool               // answer If-Match like S3 (gofakes3 ignores it on GET)
	throttle int                // answer this many requests with 503 SlowDown first
}

type listReq struct{ prefix, delim string }

type getReq struct{ key, rng, ifMatch, version string }

func newFakeS3(t testing.TB, buckets ...string) *fakeS3 {
	t.Helper()
	f := &fakeS3{t: t, backend: s3mem.New(), deny: map[string]bool{}, cutAt: map[string][]int64{}}
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	fake := gofakes3.New(f.backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	f.srv = httptest.NewUnstartedServer(f.middleware(fake.Server()))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // cut connections make net/http complain
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeS3) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.throttle > 0 {
			f.throttle--
			f.mu.Unlock()
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`))
			return
		}
		f.mu.Unlock()
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		q := r.URL.Query()
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if key == "" && q.Get("list-type") == "2" {
			f.mu.Lock()
			f.lists = append(f.lists, listReq{prefix: q.Get("prefix"), delim: q.Get("delimiter")})
			f.mu.Unlock()
			next.ServeHTTP(w, r)
			return
		}
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		f.gets = append(f.gets, getReq{key: key, rng: r.Header.Get("Range"), ifMatch: r.Header.Get("If-Match"), version: q.Get("versionId")})
		denied := f.deny[key]
		var cut int64
		cuts := f.cutAt[key]
		cutting := len(cuts) > 0
		if cutting {
			cut, f.cutAt[key] = cuts[0], cuts[1:]
		}
		checkMatch := f.ifMatch
		f.mu.Unlock()
		if denied {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`))
			return
		}
		if im := r.Header.Get("If-Match"); checkMatch && im != "" {
			if obj, err := f.backend.HeadObject(bucket, key); err == nil && gofakes3.FormatETag(obj.Hash) != im {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusPreconditionFailed)
				w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`))
				return
			}
		}
		if cutting {
			w = &cutter{ResponseWriter: w, left: cut}
		}
		next.ServeHTTP(w, r)
	})
}

// cut makes the next GETs of key break after the given numbers of body bytes, one each.
func (f *fakeS3) cut(key string, after ...int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cutAt[key] = append(f.cutAt[key], after...)
}

// cutter passes the first left body bytes, then drops the connection as a network fault would.
type cutter struct {
	http.ResponseWriter
	left int64
}

func (c *cutter) Write(p []byte) (int, error) {
	if int64(len(p)) <= c.left {
		c.left -= int64(len(p))
		return c.ResponseWriter.Write(p)
	}
	n, _ := c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	if fl, ok := c.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
	_ = n
	panic(http.ErrAbortHandler)
}

func (f *fakeS3) put(bucket, key string, body []byte) {
	f.t.Helper()
	if _, err := f.backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		f.t.Fatal(err)
	}
}

// upload puts every file under dir into bucket, under prefix, with its relative path as key.
func (f *fakeS3) upload(bucket, prefix, dir string) int {
	f.t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !strings.HasPrefix(filepath.ToSlash(rel), "AWSLogs/") && !strings.HasPrefix(filepath.ToSlash(rel), "central-logs/") {
			return nil // manifest.json, iocs.csv
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.put(bucket, prefix+filepath.ToSlash(rel), b)
		n++
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fakeS3) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists, f.gets = nil, nil
}

func (f *fakeS3) requests() ([]listReq, []getReq) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]listReq(nil), f.lists...), append([]getReq(nil), f.gets...)
}

// config is an SDK configuration pointed at the fake, with static test credentials and fast
// retries.
func (f *fakeS3) config(t testing.TB) aws.Config {
	t.Helper()
	cfg, err := awsconf.Load(context.Background(), awsconf.Options{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", ""),
		Backoff:     awsconf.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (f *fakeS3) source(t testing.TB, rawURL string, filter source.Filter, tune ...func(*s3src.Options)) *s3src.Source {
	t.Helper()
	opt := s3src.Options{
		Filter: filter, EndpointURL: f.srv.URL,
		Backoff: awsconf.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
	}
	for _, fn := range tune {
		fn(&opt)
	}
	s, err := s3src.New(context.Background(), f.config(t), rawURL, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dataRoot holds what the tests of this binary generate; TestMain removes it.
var dataRoot string

// dataset is a small synthetic incident in all four key layouts (one flow log under a user
// prefix), generated once per test binary.
var dataset = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(dataRoot, "demo")
	cfg := synth.DemoConfig()
	cfg.Days, cfg.Records = 2, 2000
	_, err := synth.Generate(context.Background(), dir, cfg)
	return dir, err
})

func testData(t testing.TB) (string, *synth.Manifest) {
	t.Helper()
	dir, err := dataset()
	if err != nil {
		t.Fatal(err)
	}
	m, err := synth.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

func TestMain(m *testing.M) {
	var err error
	if dataRoot, err = os.MkdirTemp("", "flowdig-s3-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dataRoot)
	os.Exit(code)
}
