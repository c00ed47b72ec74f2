package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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
}

// Seen is what the ledger knows about a URI, used to skip unchanged objects without reading them.
type Seen struct {
	Size     int64
	MTime    time.Time
	SHA256   string
	SourceID int
	Status   string
}

// SeenURIs returns the newest ledger entry per URI.
func (d *DB) SeenURIs(ctx context.Context) (map[string]Seen, error) {
	rows, err := d.SQL.QueryContext(ctx, `SELECT uri, size, mtime, sha256, source_id, status FROM sources
		WHERE status <> 'superseded' ORDER BY source_id`)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	defer rows.Close()
	out := map[string]Seen{}
	for rows.Next() {
		var uri string
		var s Seen
		var mt sql.NullTime
		if err := rows.Scan(&uri, &s.Size, &mt, &s.SHA256, &s.SourceID, &s.Status); err != nil {
			return nil, fmt.Errorf("read ledger: %w", err)
		}
		s.MTime = mt.Time
		out[uri] = s
	}
	return out, rows.Err()
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
	id, part, dupOf int
	src             Source
	status          string
}
