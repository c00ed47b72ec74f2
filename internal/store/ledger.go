package store

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/flowdig/flowdig/internal/timewindow"
)

// Source is the ledger entry of one object (file, S3 object) as read by a decoder.
type Source struct {
	URI          string
	Size         int64
	MTime        time.Time
	SHA256       string
	Format       string // text | text+gzip | parquet
	Header       string
	HeaderOrigin string
	Layout       string
	LogAccountID string
	LogRegion    string
	FlowLogID    string
	KeyDate      time.Time // zero when the key has no date
	KeyHour      int       // -1 when the key has no hour
	FileTime     time.Time // zero when the file name has no timestamp
	DataLines    int64
	Records      int64
	Quarantined  int64
	BlankLines   int64
	MinStart     int64
	MaxStart     int64
	HasStart     bool // MinStart/MaxStart are set
	Damage       string

	// Remote identity (S3): recorded as read.
	Bucket    string
	ObjectKey string
	ETag      string
	VersionID string
	// Open marks a read of an object that may still grow (a CloudWatch Logs slice within the
	// delivery delay): status partial, replaced by the next read of the same URI.
	Open bool

	// Window is the --from/--to window this read asked for; nil when unbounded.
	Window *timewindow.Window
	// Kept is the set of windows whose records the decoder kept: Window, plus the windows of an
	// earlier read of the same URI that this read may replace (damaged or partial). nil: every
	// record.
	Kept timewindow.Set
	// OutsideWindow counts valid records not kept because Kept does not select them.
	OutsideWindow int64
	// StoredBefore counts lines an earlier read of the same content already stored (set by
	// Tx.Add): records + quarantined + outside_window + stored_before = data_lines.
	StoredBefore int64
}

// KeptSet is Kept, with nil read as every record.
func (s *Source) KeptSet() timewindow.Set {
	if s.Kept == nil {
		return timewindow.Of(timewindow.All())
	}
	return s.Kept
}

// QuarantineRow is a line that could not be stored as a record.
type QuarantineRow struct {
	Line   int64
	Field  string
	Reason string
	Raw    []byte
}

// Object is everything decoded from one object, committed atomically by Writer.Commit.
type Object struct {
	Source     Source
	Batches    []arrow.RecordBatch // records, typed like flow_records (without source_id, part_id)
	Quarantine []QuarantineRow
}

// Release frees the Arrow memory of the object's batches.
func (o *Object) Release() {
	for _, b := range o.Batches {
		b.Release()
	}
	o.Batches = nil
}

// Outcome reports what Commit did with one object.
type Outcome struct {
	SourceID     int
	DuplicateOf  int // non-zero: identical content was already stored; nothing added
	Superseded   int // non-zero: this complete copy replaced the damaged source with this id
	ChangedSince int // non-zero: the same URI was ingested before with different content
	// Extends is non-zero when the same content was stored before under narrower windows (by the
	// source with this id): only records those windows did not select were added.
	Extends int
}

// Seen is what the ledger knows about a URI, used to skip unchanged objects without reading them.
type Seen struct {
	Size     int64
	MTime    time.Time
	SHA256   string
	ETag     string
	SourceID int
	Status   string
	// Covered is the set of windows whose records of this content are stored (every read of the
	// same bytes, under any URI, plus the reads those replaced).
	Covered timewindow.Set
}

// Replaceable reports whether a new read of the URI replaces this one when its content differs:
// the earlier read was damaged or partial.
func (s Seen) Replaceable() bool { return s.Status == "damaged" || s.Status == "partial" }

// SeenURIs returns the newest ledger entry per URI.
func (d *DB) SeenURIs(ctx context.Context) (map[string]Seen, error) {
	reads, err := loadReads(ctx, d.SQL)
	if err != nil {
		return nil, err
	}
	cov := reads.coverage()
	out := map[string]Seen{}
	for i := range reads {
		r := &reads[i]
		if r.status == "superseded" {
			continue
		}
		out[r.uri] = Seen{Size: r.size, MTime: r.mtime, SHA256: r.sha256, ETag: r.etag, SourceID: r.id,
			Status: r.status, Covered: cov[r.sha256]}
	}
	return out, nil
}

// StartRun records the start of an ingest run and returns its id.
func (d *DB) StartRun(ctx context.Context, inputs, options string) (int, error) {
	// Only one process can hold the case open for writing, so a run still marked running was
	// killed (kill -9, power loss) before it could record its end.
	if _, err := d.SQL.ExecContext(ctx, `UPDATE ingest_runs SET status = 'killed' WHERE status = 'running'`); err != nil {
		return 0, fmt.Errorf("record ingest run: %w", err)
	}
	var id int
	err := d.SQL.QueryRowContext(ctx, `INSERT INTO ingest_runs (run_id, started_at, status, inputs, options, flowdig_version)
		SELECT coalesce(max(run_id), 0) + 1, now(), 'running', ?, ?, ? FROM ingest_runs RETURNING run_id`,
		inputs, options, d.version).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record ingest run: %w", err)
	}
	return id, nil
}

// FinishRun records how a run ended. It runs under a context that survives cancellation, so an
// interrupted run is still marked as such.
func (d *DB) FinishRun(ctx context.Context, runID int, status string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := d.SQL.ExecContext(ctx, `UPDATE ingest_runs SET finished_at = now(), status = ? WHERE run_id = ?`, status, runID)
	if err != nil {
		return fmt.Errorf("record end of ingest run %d: %w", runID, err)
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ledgerRow is one sources row waiting for its transaction's commit.
type ledgerRow struct {
	id, part, dupOf, extends int
	src                      Source
	status                   string
}
