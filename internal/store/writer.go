//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/flowdig/flowdig/internal/timewindow"
)

// Writer is the single writer of a case database. Objects are loaded in transactions (Tx): an
// object's records, its quarantined lines and its ledger row commit together or not at all.
type Writer struct {
	db    *DB
	conn  *sql.Conn
	runID int
	st    *staged // bookkeeping as of the last commit
	seq   int     // names of registered Arrow views
}

// staged is the writer's bookkeeping; a Tx works on a copy that replaces it on commit.
type staged struct {
	nextSource int
	parts      map[partKey]int
	content    map[string]content // sha256 -> what of that content is stored
	byURI      map[string]prior   // newest live read per URI
	shapes     map[string]string  // column set -> shape table
	newParts   []partKey
	newShapes  bool
}

type partKey struct{ account, region, flowLog string }

// content is what the case holds of one object content (SHA-256): the first read that stored
// it, and the windows whose records are stored.
type content struct {
	first int
	cov   timewindow.Set
}

// prior is the newest live read of a URI: its content, every live read of the URI with that
// content (a first read and the reads that widened it), and whether a read of different content
// replaces them (they were damaged or partial).
type prior struct {
	ids         []int
	sha256      string
	replaceable bool
	partial     bool
}

// clone copies the maps; their values are replaced, never modified, so they are shared.
func (s *staged) clone() *staged {
	c := &staged{nextSource: s.nextSource, parts: make(map[partKey]int, len(s.parts)),
		content: make(map[string]content, len(s.content)), byURI: make(map[string]prior, len(s.byURI)),
		shapes: make(map[string]string, len(s.shapes))}
	for k, v := range s.parts {
		c.parts[k] = v
	}
	for k, v := range s.content {
		c.content[k] = v
	}
	for k, v := range s.byURI {
		c.byURI[k] = v
	}
	for k, v := range s.shapes {
		c.shapes[k] = v
	}
	return c
}

// NewWriter opens the writer for an ingest run.
func (d *DB) NewWriter(ctx context.Context, runID int) (*Writer, error) {
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("writer connection: %w", err)
	}
	w := &Writer{db: d, conn: conn, runID: runID}
	if w.st, err = load(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

func load(ctx context.Context, conn *sql.Conn) (*staged, error) {
	st := &staged{parts: map[partKey]int{}, byURI: map[string]prior{}}
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(source_id), 0) + 1 FROM sources`).Scan(&st.nextSource); err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT part_id, coalesce(log_account_id, ''), coalesce(log_region, ''), coalesce(flow_log_id, '') FROM log_partitions`)
	if err != nil {
		return nil, fmt.Errorf("read log partitions: %w", err)
	}
	for rows.Next() {
		var id int
		var k partKey
		if err := rows.Scan(&id, &k.account, &k.region, &k.flowLog); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read log partitions: %w", err)
		}
		st.parts[k] = id
	}
	rows.Close()
	if st.shapes, err = loadShapes(ctx, conn); err != nil {
		return nil, err
	}
	rs, err := loadReads(ctx, conn)
	if err != nil {
		return nil, err
	}
	cov := rs.coverage()
	st.content = map[string]content{}
	for _, r := range rs {
		if !live(r.status) {
			continue
		}
		if _, ok := st.content[r.sha256]; !ok {
			st.content[r.sha256] = content{first: r.id, cov: cov[r.sha256]}
		}
		p := st.byURI[r.uri]
		if p.sha256 == r.sha256 {
			p.ids = append(p.ids, r.id)
		} else {
			p = prior{ids: []int{r.id}, sha256: r.sha256}
		}
		p.replaceable, p.partial = r.status != "ok", r.status == "partial"
		st.byURI[r.uri] = p
	}
	return st, nil
}

// Close releases the writer's connection.
func (w *Writer) Close() error { return w.conn.Close() }

// Commit stores the objects in one transaction and returns one outcome per object; see Tx.Add.
// It takes ownership of the objects' batches.
func (w *Writer) Commit(ctx context.Context, objs []*Object) ([]Outcome, error) {
	tx, err := w.Begin(ctx)
	if err != nil {
		for _, o := range objs {
			o.Release()
		}
		return nil, err
	}
	out := make([]Outcome, len(objs))
	for i, o := range objs {
		if out[i], err = tx.Add(o); err != nil {
			for _, o := range objs[i+1:] {
				o.Release()
			}
			tx.Rollback()
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// Begin starts a transaction.
func (w *Writer) Begin(ctx context.Context) (*Tx, error) {
	if _, err := w.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{w: w, ctx: ctx, st: w.st.clone()}, nil
}

// rollback undoes the open transaction even when ctx is already cancelled.
func (w *Writer) rollback(ctx context.Context) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, _ = w.conn.ExecContext(rctx, "ROLLBACK")
}
