package detect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNoFinding means a finding id is not in the case.
var ErrNoFinding = errors.New("no such finding")

// save numbers the findings (keeping the number of every finding seen before), sorts them,
// and stores the hunt, its runs and the findings, replacing the stored findings of the
// detectors that ran, in one transaction.
func save(ctx context.Context, conn *sql.Conn, res *Result, opt Options, dets []*Detector) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("hunt: store findings: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = tx.QueryRowContext(ctx, `SELECT coalesce(max(hunt_id), 0) + 1 FROM hunts`).Scan(&res.HuntID); err != nil {
		return fmt.Errorf("hunt: store findings: %w", err)
	}
	if err = number(ctx, tx, res); err != nil {
		return err
	}
	var rules bytes.Buffer
	if err = Print(&rules, opt.Rules, ""); err != nil {
		return err
	}
	sum := sha256.Sum256(rules.Bytes())
	_, err = tx.ExecContext(ctx, `INSERT INTO hunts VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		res.HuntID, time.Now().Add(-res.Elapsed).UTC(), opt.Args, nullTime(opt.From), nullTime(opt.To), nullTime(res.BaselineUntil),
		res.Records, len(res.Findings), rules.String(), hex.EncodeToString(sum[:]), opt.Version)
	if err != nil {
		return fmt.Errorf("hunt: store hunt: %w", err)
	}
	for _, r := range res.Runs {
		if _, err = tx.ExecContext(ctx, `INSERT INTO hunt_runs VALUES (?, ?, ?, ?, ?, ?)`,
			res.HuntID, r.Detector, r.Status, r.Note, r.Findings, r.Elapsed.Seconds()); err != nil {
			return fmt.Errorf("hunt: store runs: %w", err)
		}
	}
	ids := make([]string, len(dets))
	for i, d := range dets {
		ids[i] = d.ID
	}
	if len(ids) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM findings WHERE detector IN (`+ph+`)`, args...); err != nil {
			return fmt.Errorf("hunt: replace findings: %w", err)
		}
	}
	for _, f := range res.Findings {
		if err = insertFinding(ctx, tx, res.HuntID, f); err != nil {
			return err
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("hunt: store findings: %w", err)
	}
	return nil
}

// number gives every finding its number: the stored one for a key seen before, the next
// free ones for new keys, handed out in a fixed order (detector, window, entity), so two runs
// of the same hunt on the same data number alike.
func number(ctx context.Context, tx *sql.Tx, res *Result) error {
	known := map[string]int{}
	rows, err := tx.QueryContext(ctx, `SELECT key, finding_no FROM finding_ids`)
	if err != nil {
		return fmt.Errorf("hunt: read finding ids: %w", err)
	}
	next := 1
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return fmt.Errorf("hunt: read finding ids: %w", err)
		}
		known[k] = n
		next = max(next, n+1)
	}
	rows.Close()
	order := map[string]int{}
	for i, id := range IDs() {
		order[id] = i
	}
	fs := append([]*Finding(nil), res.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if order[a.Detector] != order[b.Detector] {
			return order[a.Detector] < order[b.Detector]
		}
		if !a.WindowStart.Equal(b.WindowStart) {
			return a.WindowStart.Before(b.WindowStart)
		}
		return a.Key < b.Key
	})
	for _, f := range fs {
		n, ok := known[f.Key]
		if !ok {
			n = next
			next++
			known[f.Key] = n
			if _, err := tx.ExecContext(ctx, `INSERT INTO finding_ids VALUES (?, ?, ?)`, n, f.Key, res.HuntID); err != nil {
				return fmt.Errorf("hunt: store finding id: %w", err)
			}
		}
		f.No, f.ID = n, "F-"+strconv.Itoa(n)
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if severityRank(a.Severity) != severityRank(b.Severity) {
			return severityRank(a.Severity) > severityRank(b.Severity)
		}
		if !a.WindowStart.Equal(b.WindowStart) {
			return a.WindowStart.Before(b.WindowStart)
		}
		return a.No < b.No
	})
	return nil
}

func insertFinding(ctx context.Context, tx *sql.Tx, hunt int, f *Finding) error {
	th, err := json.Marshal(f.Thresholds)
	if err != nil {
		return fmt.Errorf("hunt: %s: %w", f.ID, err)
	}
	me, err := json.Marshal(f.Measured)
	if err != nil {
		return fmt.Errorf("hunt: %s: %w", f.ID, err)
	}
	ev, err := json.Marshal(f.EvidenceParams)
	if err != nil {
		return fmt.Errorf("hunt: %s: %w", f.ID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[], ?::VARCHAR[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.No, hunt, f.Detector, f.Title, f.Severity, f.Tier, f.Summary, f.Entity, f.EntityKind,
		nullString(f.Peer), nullInt(f.Port), nullInt(f.Protocol), listLiteral(f.Interfaces), listLiteral(f.Instances),
		f.WindowStart, f.WindowEnd, f.FirstSeen, f.LastSeen, string(th), string(me), f.Explanation,
		f.EvidenceSQL, string(ev), f.Key)
	if err != nil {
		return fmt.Errorf("hunt: store %s: %w", f.ID, err)
	}
	return nil
}

// listLiteral renders a list of ids as DuckDB list text, cast by the INSERT; the values are
// interface and instance ids from the records.
func listLiteral(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// FindingColumns are the columns of a stored finding, in the order Load returns them.
const FindingColumns = `finding_id, severity, detector, tier, entity, peer, port, protocol, window_start, window_end,
	first_seen, last_seen, summary, interfaces, instances, thresholds, measured, explanation, evidence_sql, evidence_params, hunt_id, title`

// Evidence returns the stored evidence query of a finding and its bound arguments.
func Evidence(ctx context.Context, db *sql.DB, id string) (string, []any, error) {
	var q, params string
	err := db.QueryRowContext(ctx, `SELECT evidence_sql, evidence_params FROM findings WHERE finding_id = ?`, normalizeID(id)).Scan(&q, &params)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("finding %s: %w (flowdig hunt lists them)", id, ErrNoFinding)
	}
	if err != nil {
		return "", nil, fmt.Errorf("finding %s: %w", id, err)
	}
	used, err := decodeParams(params)
	if err != nil {
		return "", nil, fmt.Errorf("finding %s: evidence parameters: %w", id, err)
	}
	return q, bindArgs(used), nil
}

// normalizeID accepts "F-12", "f-12" and "12".
func normalizeID(id string) string {
	id = strings.TrimSpace(id)
	if _, err := strconv.Atoi(id); err == nil {
		return "F-" + id
	}
	return strings.ToUpper(id[:min(1, len(id))]) + id[min(1, len(id)):]
}

// NormalizeID is normalizeID for callers outside the package.
func NormalizeID(id string) string { return normalizeID(id) }

// decodeParams reads stored evidence parameters back with their types: whole numbers as
// int64, other numbers as float64, lists of numbers as []int64 and of text as []string.
func decodeParams(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, v := range raw {
		switch x := v.(type) {
		case json.Number:
			out[k] = number64(x)
		case []any:
			var ints []int64
			var strs []string
			for _, e := range x {
				switch y := e.(type) {
				case json.Number:
					n, _ := number64(y).(int64)
					ints = append(ints, n)
				case string:
					strs = append(strs, y)
				}
			}
			if strs != nil {
				out[k] = strs
			} else {
				out[k] = ints
			}
		default:
			out[k] = x
		}
	}
	return out, nil
}

func number64(n json.Number) any {
	if i, err := n.Int64(); err == nil {
		return i
	}
	f, _ := n.Float64()
	return f
}
