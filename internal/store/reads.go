package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/flowdig/flowdig/internal/timewindow"
)

// A read is one ledger row as the coverage bookkeeping needs it.
type read struct {
	id           int
	uri, sha256  string
	size         int64
	mtime        time.Time
	etag         string
	status       string
	window       timewindow.Window
	supersededBy int
}

// reads is the ledger in source-id order.
type reads []read

// live reports whether the read's records are in the case: ok, damaged and partial reads hold
// rows; duplicates never stored any; superseded reads' rows were replaced.
func live(status string) bool { return status == "ok" || status == "damaged" || status == "partial" }

func loadReads(ctx context.Context, q execer) (reads, error) {
	rows, err := q.QueryContext(ctx, `SELECT source_id, uri, size, mtime, sha256, status, coalesce(etag, ''),
		window_from, window_to, coalesce(superseded_by, 0) FROM sources ORDER BY source_id`)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	defer rows.Close()
	var out reads
	for rows.Next() {
		var r read
		var mt sql.NullTime
		var from, to sql.NullInt64
		if err := rows.Scan(&r.id, &r.uri, &r.size, &mt, &r.sha256, &r.status, &r.etag, &from, &to, &r.supersededBy); err != nil {
			return nil, fmt.Errorf("read ledger: %w", err)
		}
		r.mtime = mt.Time
		lo, hi := timewindow.OpenFrom, timewindow.OpenTo
		if from.Valid {
			lo = from.Int64
		}
		if to.Valid {
			hi = to.Int64
		}
		r.window = timewindow.Span(lo, hi)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	return out, nil
}

// coverage returns, per content (SHA-256), the windows whose records are stored: the windows of
// its live reads, plus those of every read a live read replaced (a complete or later copy read
// again the windows of the damaged or partial read it superseded).
func (rs reads) coverage() map[string]timewindow.Set {
	byID := make(map[int]*read, len(rs))
	for i := range rs {
		byID[rs[i].id] = &rs[i]
	}
	out := map[string]timewindow.Set{}
	for i := range rs {
		r := &rs[i]
		switch {
		case live(r.status):
			out[r.sha256] = out[r.sha256].Add(r.window)
		case r.status == "superseded":
			// Follow the chain to the read that holds the rows now.
			at := r
			for hops := 0; at != nil && at.status == "superseded" && hops < len(rs); hops++ {
				at = byID[at.supersededBy]
			}
			if at != nil && live(at.status) {
				out[at.sha256] = out[at.sha256].Add(r.window)
			}
		}
	}
	return out
}
