package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/flowdig/flowdig/internal/store"
)

// committer feeds decoded objects, in listing order, into store transactions of about
// CommitRows records (or whatever arrived within CommitEvery). Records stream into the
// database as objects arrive, so decoding and loading overlap; the summary only counts what
// was committed.
type committer struct {
	w     *store.Writer
	opt   Options
	sum   *Summary
	tx    *store.Tx
	began time.Time
	srcs  []store.Source
	outs  []store.Outcome
}

func (c *committer) add(ctx context.Context, obj *store.Object) error {
	if c.tx == nil {
		tx, err := c.w.Begin(ctx)
		if err != nil {
			obj.Release()
			return err
		}
		c.tx, c.began = tx, time.Now()
	}
	out, err := c.tx.Add(obj)
	if err != nil {
		return err
	}
	src := obj.Source // as recorded: Add moves records an earlier read stored to StoredBefore
	c.srcs, c.outs = append(c.srcs, src), append(c.outs, out)
	// Progress shows what has been read and handed to the database; the summary counts commits.
	c.opt.Progress.Advance(1, src.Size, src.Records)
	if c.tx.Rows() >= int64(c.opt.CommitRows) {
		return c.commit()
	}
	return nil
}

func (c *committer) commit() error {
	if c.tx == nil {
		return nil
	}
	tx := c.tx
	c.tx = nil
	if err := tx.Commit(); err != nil {
		return err
	}
	var recs int64
	for i, s := range c.srcs {
		c.sum.Objects++
		c.sum.Bytes += s.Size
		if c.outs[i].DuplicateOf > 0 {
			c.sum.Duplicates++
			continue
		}
		if c.outs[i].Extends > 0 {
			c.sum.Widened++
		}
		c.sum.Records += s.Records
		c.sum.Outside += s.OutsideWindow
		c.sum.Quarantined += s.Quarantined
		recs += s.Records
		if s.Damage != "" {
			c.sum.Damaged = append(c.sum.Damaged, s.URI)
		}
		if s.Quarantined > 0 {
			c.sum.Quarantines = append(c.sum.Quarantines, s.URI)
		}
	}
	if c.opt.Log != nil {
		fmt.Fprintf(c.opt.Log, "committed %d objects, %d records in %.2fs (total %d objects)\n",
			len(c.srcs), recs, time.Since(c.began).Seconds(), c.sum.Objects)
	}
	c.srcs, c.outs = c.srcs[:0], c.outs[:0]
	return nil
}

func (c *committer) abort() {
	if c.tx != nil {
		c.tx.Rollback()
		c.tx = nil
	}
}

// writeLoop restores listing order (results arrive as workers finish) and hands each object to
// the committer. An object's inflight token is returned once it is back in order.
func writeLoop(ctx context.Context, w *store.Writer, results <-chan decoded, inflight <-chan struct{}, opt Options, sum *Summary) (err error) {
	c := &committer{w: w, opt: opt, sum: sum}
	next := 0
	waiting := map[int]decoded{}
	ticker := time.NewTicker(opt.CommitEvery / 4)
	defer ticker.Stop()
	defer func() {
		for _, d := range waiting {
			if d.obj != nil {
				d.obj.Release()
			}
		}
		if err != nil {
			c.abort()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			if c.tx != nil && time.Since(c.began) >= opt.CommitEvery {
				if err := c.commit(); err != nil {
					return err
				}
			}
			continue
		case d, ok := <-results:
			if !ok {
				return c.commit()
			}
			waiting[d.seq] = d
		}
		for {
			d, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			<-inflight
			if d.err != nil {
				sum.Failed = append(sum.Failed, Failure{URI: d.uri, Err: d.err})
				opt.Progress.Advance(1, 0, 0)
				continue
			}
			if err := c.add(ctx, d.obj); err != nil {
				return err
			}
		}
	}
}
