// Package ingest loads flow-log objects into a case database: list -> bounded pool of decode
// workers (sniff, decompress, parse, validate, build Arrow batches) -> one writer that commits
// objects in order, each together with its ledger row. It is idempotent (objects already in the
// ledger are skipped or recognised by SHA-256) and resumable (a crash loses at most the
// uncommitted objects, which the next run reads again).
package ingest

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/store"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// ErrNoInput means the inputs held no object to read.
var ErrNoInput = errors.New("no flow-log objects found")

// Progress receives progress as objects are committed. Implementations must be cheap.
type Progress interface {
	Start(objects int, bytes int64)
	Advance(objects int, bytes, records int64)
	Finish()
}

// Options configure one ingest run.
type Options struct {
	Fields      *flowlog.Format // format of objects without a header line (default: DefaultFormat)
	FieldsGiven bool            // Fields came from --fields
	Workers     int             // decode goroutines (default: GOMAXPROCS)
	CommitRows  int             // records per transaction (default 1,000,000)
	CommitEvery time.Duration   // commit at least this often while objects are pending (default 10 s)
	BatchRows   int             // rows per Arrow batch (default 122,880, one DuckDB row group)
	// Window selects records by start/end; the zero value selects every record. Objects already
	// read under windows that cover it are skipped; objects read under narrower ones are read
	// again and add only the records those windows did not select.
	Window   timewindow.Window
	Inputs   string // recorded in ingest_runs
	Progress Progress
	Log      io.Writer // one line per commit when set
}

func (o *Options) defaults() {
	if o.Fields == nil {
		o.Fields = flowlog.MustFormat(flowlog.DefaultFormat)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.CommitRows <= 0 {
		o.CommitRows = 1_000_000
	}
	if o.CommitEvery <= 0 {
		o.CommitEvery = 10 * time.Second
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 122_880
	}
	if o.Progress == nil {
		o.Progress = noProgress{}
	}
}

type noProgress struct{}

func (noProgress) Start(int, int64)          {}
func (noProgress) Advance(int, int64, int64) {}
func (noProgress) Finish()                   {}

// Summary is what a run did.
type Summary struct {
	Listed      int   // objects found
	Unchanged   int   // skipped: already in the ledger (same size and mtime, or ETag) for this window
	Objects     int   // objects read and committed (including duplicates)
	Duplicates  int   // identical content already stored under another source
	Widened     int   // content read before under narrower windows; only the records they left out were added
	Outside     int64 // valid records not stored because they are outside the window
	Records     int64
	Quarantined int64
	Bytes       int64
	Elapsed     time.Duration
	Skipped     []source.Skipped // left out by the listing (hidden, other services)
	Damaged     []string         // URIs of objects that could not be read to the end
	Quarantines []string         // URIs of objects with quarantined lines
	Failed      []Failure        // objects that could not be read at all
	Interrupted bool
}

// Failure is an object that could not be opened or read.
type Failure struct {
	URI string
	Err error
}

type decoded struct {
	seq int
	obj *store.Object
	err error
	uri string
}

// Listing is what a source holds, listed once.
type Listing struct {
	Objects []source.Object
	Skipped []source.Skipped // left out on purpose (hidden files, other AWS services)
}

// List lists src. It returns ErrNoInput when there is nothing to read, so a caller can stop
// before creating a case.
func List(ctx context.Context, src source.Source) (*Listing, error) {
	objs, err := src.List(ctx)
	if err != nil {
		return nil, err
	}
	l := &Listing{Objects: objs}
	if sk, ok := src.(interface{ Skipped() []source.Skipped }); ok {
		l.Skipped = sk.Skipped()
	}
	if len(objs) == 0 {
		return l, ErrNoInput
	}
	return l, nil
}

// Run lists src and ingests everything it holds into db.
func Run(ctx context.Context, db *store.DB, src source.Source, opt Options) (*Summary, error) {
	l, err := List(ctx, src)
	if err != nil {
		if l != nil {
			return &Summary{Skipped: l.Skipped}, err
		}
		return nil, err
	}
	return RunListed(ctx, db, src, l, opt)
}

// RunListed ingests the objects of a listing made by List.
func RunListed(ctx context.Context, db *store.DB, src source.Source, l *Listing, opt Options) (*Summary, error) {
	opt.defaults()
	began := time.Now()
	objs := l.Objects
	sum := &Summary{Skipped: l.Skipped, Listed: len(objs)}
	seen, err := db.SeenURIs(ctx)
	if err != nil {
		return nil, err
	}
	todo, unchanged := plan(seen, objs, opt.Window)
	sum.Unchanged = unchanged
	var total int64
	for _, j := range todo {
		total += j.obj.Size
	}
	defer func() { sum.Elapsed = time.Since(began) }()
	if len(todo) == 0 {
		return sum, nil
	}
	runID, err := db.StartRun(ctx, opt.Inputs, runOptions(opt))
	if err != nil {
		return nil, err
	}
	w, err := db.NewWriter(ctx, runID)
	if err != nil {
		_ = db.FinishRun(ctx, runID, "failed")
		return nil, err
	}
	defer w.Close()
	opt.Progress.Start(len(todo), total)
	defer opt.Progress.Finish()
	err = pipeline(ctx, w, src, todo, opt, sum)
	status := "ok"
	switch {
	case err != nil && ctx.Err() != nil:
		status, sum.Interrupted = "interrupted", true
		err = ctx.Err()
	case err != nil:
		status = "failed"
	}
	if ferr := db.FinishRun(ctx, runID, status); ferr != nil && err == nil {
		err = ferr
	}
	return sum, err
}

func runOptions(o Options) string {
	parts := []string{"fields=" + o.Fields.String()}
	if o.FieldsGiven {
		parts = append(parts, "fields-given=true")
	}
	if !o.Window.IsAll() {
		parts = append(parts, "window="+o.Window.String())
	}
	return strings.Join(parts, "; ")
}

// Pending returns the objects of a listing that an ingest with window w would read, and how many
// it would skip as already in the ledger (what --dry-run reports).
func Pending(ctx context.Context, db *store.DB, l *Listing, w timewindow.Window) ([]source.Object, int, error) {
	seen, err := db.SeenURIs(ctx)
	if err != nil {
		return nil, 0, err
	}
	jobs, unchanged := plan(seen, l.Objects, w)
	out := make([]source.Object, len(jobs))
	for i, j := range jobs {
		out[i] = j.obj
	}
	return out, unchanged, nil
}

// plan decides, per listed object, whether to read it and which records to keep: objects the
// ledger has read as they are now under windows covering w are skipped.
func plan(seen map[string]store.Seen, objs []source.Object, w timewindow.Window) ([]job, int) {
	todo := make([]job, 0, len(objs))
	unchangedN := 0
	asked := timewindow.Of(w)
	for _, o := range objs {
		keep := asked
		if s, ok := seen[o.URI]; ok {
			if unchanged(o, s) && s.Covered.Covers(w) {
				unchangedN++
				continue
			}
			// A read of new content replaces a damaged or partial one, so it must keep what
			// that one had stored too.
			if s.Replaceable() {
				keep = keep.Union(s.Covered)
			}
		}
		todo = append(todo, job{obj: o, keep: keep})
	}
	return todo, unchangedN
}

// job is one object to read and the windows whose records to keep.
type job struct {
	obj  source.Object
	keep timewindow.Set
}

// unchanged reports whether the ledger's newest read of the URI read what the listing shows:
// the same ETag when both know one, else the same size and mtime; an object without size and
// mtime (a CloudWatch Logs slice) is identified by its URI. A partial read is never current.
func unchanged(o source.Object, s store.Seen) bool {
	switch {
	case s.Status == "partial":
		return false
	case o.NoStat:
		return true
	case o.ETag != "" && s.ETag != "":
		return o.ETag == s.ETag && o.Size == s.Size
	}
	return s.Size == o.Size && s.MTime.Equal(o.MTime)
}

// pipeline runs the workers and the writer. Objects are committed in listing order, so source
// ids are deterministic and rows land roughly in time order.
func pipeline(ctx context.Context, w *store.Writer, src source.Source, todo []job, opt Options, sum *Summary) error {
	g, gctx := errgroup.WithContext(ctx)
	// inflight bounds the objects decoded but not yet committed (memory), including those
	// waiting for an earlier, slower object to finish so that order is kept.
	inflight := make(chan struct{}, opt.Workers*4)
	jobs := make(chan int)
	results := make(chan decoded, opt.Workers)
	g.Go(func() error {
		defer close(jobs)
		for i := range todo {
			select {
			case inflight <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			select {
			case jobs <- i:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	workers, wctx := errgroup.WithContext(gctx)
	for range opt.Workers {
		workers.Go(func() error {
			d := newDecoder(opt.Fields, opt.FieldsGiven, opt.BatchRows)
			for i := range jobs {
				obj, err := d.decode(wctx, src, todo[i].obj, todo[i].keep)
				if err != nil && wctx.Err() != nil {
					return wctx.Err()
				}
				if obj != nil && !opt.Window.IsAll() {
					win := opt.Window
					obj.Source.Window = &win
				}
				select {
				case results <- decoded{seq: i, obj: obj, err: err, uri: todo[i].obj.URI}:
				case <-wctx.Done():
					if obj != nil {
						obj.Release()
					}
					return wctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		err := workers.Wait()
		close(results)
		return err
	})
	g.Go(func() error { return writeLoop(gctx, w, results, inflight, opt, sum) })
	return g.Wait()
}
