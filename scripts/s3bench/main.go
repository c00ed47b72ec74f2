//go:build duckdb_arrow

// Command s3bench compares ingesting a dataset from local disk with ingesting the same objects
// from an in-process S3 server (gofakes3, in-memory backend, served by httptest) through the
// real AWS SDK, in one process and on the same cores.
//
//	go run -tags duckdb_arrow ./scripts/s3bench -data DIR [-rounds 2]
//
// DIR is a dataset written by `flowdig generate` (its AWSLogs/ folder is uploaded).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/awsconf"
	"github.com/flowdig/flowdig/internal/source/local"
	s3src "github.com/flowdig/flowdig/internal/source/s3"
	"github.com/flowdig/flowdig/internal/store"
)

func main() {
	data := flag.String("data", "", "dataset directory (flowdig generate --out)")
	rounds := flag.Int("rounds", 2, "alternating rounds of local and S3 ingest")
	workers := flag.Int("workers", 0, "decode workers for both (default GOMAXPROCS)")
	s3workers := flag.Int("s3-workers", 0, "decode workers for the S3 ingest (default: -workers)")
	work := flag.String("work", os.TempDir(), "where to put the case files")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the S3 ingests to this file")
	flag.Parse()
	if *data == "" {
		log.Fatal("-data is required")
	}
	if *s3workers == 0 {
		*s3workers = *workers
	}
	ctx := context.Background()
	root := filepath.Join(*data, "AWSLogs")

	backend := s3mem.New()
	if err := backend.CreateBucket("bench"); err != nil {
		log.Fatal(err)
	}
	began := time.Now()
	var files int
	var size int64
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(*data, p)
		files++
		size += int64(len(b))
		_, err = backend.PutObject("bench", filepath.ToSlash(rel), map[string]string{}, bytes.NewReader(b), int64(len(b)), nil)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	defer srv.Close()
	fmt.Printf("machine: %d cores; dataset: %d objects, %.1f MB, uploaded in %.1fs\n", runtime.NumCPU(), files, float64(size)/1e6, time.Since(began).Seconds())

	cfg, err := awsconf.Load(ctx, awsconf.Options{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench", "")})
	if err != nil {
		log.Fatal(err)
	}
	one := func(name string, src source.Source, workers int) (time.Duration, time.Duration) {
		path := filepath.Join(*work, "s3bench-"+name+".duckdb")
		os.Remove(path)
		os.Remove(path + ".wal")
		defer os.Remove(path)
		db, err := store.Open(ctx, path, store.Options{MemoryLimit: "512MB", Version: "bench"})
		if err != nil {
			log.Fatal(err)
		}
		if name == "s3" && *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			if err != nil {
				log.Fatal(err)
			}
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
		start, cpu0 := time.Now(), cpuTime()
		sum, err := ingest.Run(ctx, db, src, ingest.Options{Workers: workers})
		if err != nil {
			log.Fatal(err)
		}
		if err := db.Close(); err != nil {
			log.Fatal(err)
		}
		el, cpu := time.Since(start), cpuTime()-cpu0
		fmt.Printf("  %-6s %6.2fs wall %6.2fs CPU  %d objects, %d records, %d failed\n", name, el.Seconds(), cpu.Seconds(), sum.Objects, sum.Records, len(sum.Failed))
		return el, cpu
	}
	var tl, ts, cl, cs time.Duration
	for r := 0; r < *rounds; r++ {
		fmt.Printf("round %d\n", r+1)
		w, c := one("local", local.New([]string{root}), *workers)
		tl, cl = tl+w, cl+c
		s, err := s3src.New(ctx, cfg, "s3://bench/AWSLogs/", s3src.Options{EndpointURL: srv.URL})
		if err != nil {
			log.Fatal(err)
		}
		w, c = one("s3", s, *s3workers)
		ts, cs = ts+w, cs+c
		st := s.Stats()
		fmt.Printf("         S3 requests: %d LIST, %d GET, %d resumed\n", st.ListCalls.Load(), st.GetCalls.Load(), st.Resumes.Load())
	}
	n := float64(*rounds)
	fmt.Printf("mean wall: local %.2fs, S3 %.2fs, S3/local %.2fx\n", tl.Seconds()/n, ts.Seconds()/n, ts.Seconds()/tl.Seconds())
	fmt.Printf("mean CPU:  local %.2fs, S3 %.2fs, S3/local %.2fx\n", cl.Seconds()/n, cs.Seconds()/n, cs.Seconds()/cl.Seconds())
}

// cpuTime is the user and system time this process (DuckDB's threads included) has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
