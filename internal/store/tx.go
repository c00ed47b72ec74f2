//go:build duckdb_arrow

package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Tx is one ingest transaction. Objects are added in order; their records stream into DuckDB
// while later objects are still being decoded, so memory stays bounded whatever the size of the
// transaction. Ledger rows, partitions and quarantined lines are written at Commit, because the
// connection is busy with the streaming INSERT until then.
type Tx struct {
	w          *Writer
	ctx        context.Context
	st         *staged
	ledger     []ledgerRow
	quarantine []quarantined
	settled    []int // partial reads found complete: marked ok at commit
	stream     *shapeStream
	rows       int64
	done       bool
}

// Rows is the number of records added so far.
func (tx *Tx) Rows() int64 { return tx.rows }

// Add stores one object. Content already stored (same SHA-256) under windows that cover what
// this read kept is recorded as a duplicate and adds no rows; stored under narrower windows, only
// the records those windows did not select are added (never one twice), and this read's windows
// join the content's coverage in the same transaction. A read of new content under a URI whose
// earlier reads were damaged or partial replaces their rows. Add takes ownership of the object's
// batches.
func (tx *Tx) Add(o *Object) (out Outcome, err error) {
	defer o.Release()
	src := &o.Source
	st := tx.st
	id := st.nextSource
	st.nextSource++
	out.SourceID = id
	keep := src.KeptSet()
	c, known := st.content[src.SHA256]
	p, hasPrior := st.byURI[src.URI]
	if hasPrior && p.partial && p.sha256 == src.SHA256 && !src.Open {
		// Read again once it could no longer change, and the same: the partial read was complete.
		tx.settled = append(tx.settled, p.ids...)
		p.partial, p.replaceable = false, src.Damage != ""
		st.byURI[src.URI] = p
	}
	if known && c.cov.CoversSet(keep) {
		out.DuplicateOf = c.first
		s := *src
		s.DataLines, s.Records, s.Quarantined, s.BlankLines, s.HasStart = 0, 0, 0, 0, false
		s.OutsideWindow, s.StoredBefore = 0, 0
		tx.ledger = append(tx.ledger, ledgerRow{id: id, dupOf: c.first, src: s, status: "duplicate"})
		return out, nil
	}
	part := st.partition(src)
	switch {
	case known:
		// The same bytes were read before with narrower windows: their records are stored, and
		// so are the lines they quarantined.
		out.Extends = c.first
		o.Batches = dropSelected(o.Batches, c.cov, src)
		src.StoredBefore += src.Quarantined
		src.Quarantined = 0
		o.Quarantine = nil
	case hasPrior && p.sha256 != src.SHA256 && p.replaceable:
		if err := tx.supersede(p.ids, id); err != nil {
			return out, err
		}
		out.Superseded = p.ids[0]
		delete(st.content, p.sha256)
	case hasPrior && p.sha256 != src.SHA256:
		out.ChangedSince = p.ids[len(p.ids)-1]
	}
	for _, b := range o.Batches {
		if err := tx.send(b, int32(id), int32(part)); err != nil {
			return out, err
		}
	}
	for _, q := range o.Quarantine {
		tx.quarantine = append(tx.quarantine, quarantined{source: int32(id), row: q})
	}
	status := "ok"
	switch {
	case src.Damage != "":
		status = "damaged"
	case src.Open:
		status = "partial"
	}
	tx.ledger = append(tx.ledger, ledgerRow{id: id, part: part, extends: out.Extends, src: *src, status: status})
	if known {
		st.content[src.SHA256] = content{first: c.first, cov: c.cov.Union(keep)}
	} else {
		st.content[src.SHA256] = content{first: id, cov: keep}
	}
	ids := []int{id}
	if hasPrior && p.sha256 == src.SHA256 {
		ids = append(append(make([]int, 0, len(p.ids)+1), p.ids...), id)
	}
	st.byURI[src.URI] = prior{ids: ids, sha256: src.SHA256, replaceable: status != "ok", partial: status == "partial"}
	tx.rows += src.Records
	return out, nil
}

// send routes a batch to the stream of its shape, switching streams when the shape changes.
func (tx *Tx) send(b arrow.RecordBatch, sourceID, partID int32) error {
	key := shapeKey(b.Schema())
	if tx.stream != nil && tx.stream.key != key {
		if err := tx.endStream(); err != nil {
			return err
		}
	}
	if tx.stream == nil {
		table, ok := tx.st.shapes[key]
		if !ok {
			var err error
			cols := strings.Split(key, ",")
			if table, err = createShape(tx.ctx, tx.w.conn, len(tx.st.shapes)+1, cols); err != nil {
				return err
			}
			tx.st.shapes[key] = table
			tx.st.newShapes = true
		}
		s, err := tx.w.startStream(tx.ctx, table, key, b.Schema())
		if err != nil {
			return err
		}
		tx.stream = s
	}
	b.Retain()
	return tx.stream.add(tx.ctx, part{rec: b, sourceID: sourceID, partID: partID})
}

func (tx *Tx) endStream() error {
	if tx.stream == nil {
		return nil
	}
	err := tx.stream.finish(tx.ctx)
	tx.stream = nil
	return err
}

// supersede removes the rows of earlier reads (damaged or partial) that a read of the same URI
// replaces.
func (tx *Tx) supersede(old []int, by int) error {
	if err := tx.endStream(); err != nil {
		return err
	}
	list := make([]string, len(old))
	for i, id := range old {
		list[i] = strconv.Itoa(id)
	}
	in := "(" + strings.Join(list, ",") + ")"
	qs := []string{`DELETE FROM quarantine WHERE source_id IN ` + in}
	for _, table := range tx.st.shapes {
		qs = append(qs, "DELETE FROM "+table+" WHERE source_id IN "+in)
	}
	qs = append(qs, `UPDATE sources SET status = 'superseded', superseded_by = `+strconv.Itoa(by)+` WHERE source_id IN `+in)
	for _, q := range qs {
		if _, err := tx.w.conn.ExecContext(tx.ctx, q); err != nil {
			return fmt.Errorf("supersede sources %s: %w", in, err)
		}
	}
	return nil
}

// Commit finishes the records, writes the ledger, quarantine and partitions, and commits.
func (tx *Tx) Commit() (err error) {
	if tx.done {
		return fmt.Errorf("commit: transaction already ended")
	}
	tx.done = true
	defer func() {
		if err != nil {
			tx.w.rollback(tx.ctx)
		}
	}()
	if err := tx.endStream(); err != nil {
		return err
	}
	ctx, conn := tx.ctx, tx.w.conn
	for _, k := range tx.st.newParts {
		_, err := conn.ExecContext(ctx, `INSERT INTO log_partitions VALUES (?, ?, ?, ?)`,
			tx.st.parts[k], nullString(k.account), nullString(k.region), nullString(k.flowLog))
		if err != nil {
			return fmt.Errorf("record log partition: %w", err)
		}
	}
	if len(tx.ledger) > 0 {
		if err := InsertArrow(ctx, tx.w.conn, "sources", ledgerBatch(tx.ledger, tx.w.runID, tx.w.db.version, time.Now())); err != nil {
			return err
		}
	}
	if len(tx.settled) > 0 {
		list := make([]string, len(tx.settled))
		for i, id := range tx.settled {
			list[i] = strconv.Itoa(id)
		}
		q := `UPDATE sources SET status = 'ok' WHERE status = 'partial' AND source_id IN (` + strings.Join(list, ",") + `)`
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("record complete reads: %w", err)
		}
	}
	if len(tx.quarantine) > 0 {
		rec := quarantineBatch(tx.quarantine)
		err := InsertArrow(ctx, tx.w.conn, "quarantine", rec)
		if err != nil {
			return err
		}
	}
	if len(tx.st.newParts) > 0 {
		if err := refreshPartitionMacros(ctx, conn); err != nil {
			return err
		}
	}
	if tx.st.newShapes {
		if err := refreshRecordsView(ctx, conn); err != nil {
			return err
		}
	}
	// COMMIT must not be interrupted: DuckDB may have committed by the time an interrupt lands,
	// and the caller would then count committed objects as lost.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, err := conn.ExecContext(cctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	tx.st.newParts, tx.st.newShapes = nil, false
	tx.w.st = tx.st
	return nil
}

// Rollback abandons the transaction; nothing added through it remains.
func (tx *Tx) Rollback() {
	if tx.done {
		return
	}
	tx.done = true
	if tx.stream != nil {
		tx.stream.abort()
		tx.stream = nil
	}
	tx.w.rollback(tx.ctx)
}

func (s *staged) partition(src *Source) int {
	k := partKey{src.LogAccountID, src.LogRegion, src.FlowLogID}
	if k == (partKey{}) {
		return 0
	}
	if id, ok := s.parts[k]; ok {
		return id
	}
	id := len(s.parts) + 1
	s.parts[k] = id
	s.newParts = append(s.newParts, k)
	return id
}

// shapeKey is the comma-joined column list a batch fills, plus the writer's id columns.
func shapeKey(s *arrow.Schema) string {
	var b strings.Builder
	for _, f := range s.Fields() {
		b.WriteString(f.Name)
		b.WriteByte(',')
	}
	b.WriteString("source_id,part_id")
	return b.String()
}
