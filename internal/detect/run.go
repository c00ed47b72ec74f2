package detect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/store"
)

// Options are what a hunt runs with.
type Options struct {
	Rules         Rules
	Only          []string  // detector ids; empty: every enabled detector
	From, To      time.Time // records whose [start, end] touches [From, To); zero: open
	BaselineUntil time.Time // overrides rules detectors.new-talker.baseline_until
	Progress      Progress  // nil: no progress
	Version       string    // flowdig version, recorded with the hunt
	Args          string    // the command line, recorded with the hunt
}

// Progress hears about each stage of a hunt, for a terminal display.
type Progress interface {
	Stage(name string, i, n int)                                  // a stage starts: "records" or a detector id
	Done(name string, findings int, d time.Duration, note string) // it ended; note says why it was skipped
}

// Run is what one detector did in a hunt.
type Run struct {
	Detector string
	Status   string // ok | skipped
	Note     string // why it was skipped
	Findings int
	Elapsed  time.Duration
}

// Result is a hunt's outcome.
type Result struct {
	HuntID        int
	Findings      []*Finding // by severity (high first), then window start, then id
	Runs          []Run
	Records       int64 // records the hunt read
	BaselineUntil time.Time
	Prepare       time.Duration // building hunt_addr and hunt_flows
	Elapsed       time.Duration
}

// Hunt runs the detectors over the case, stores the findings (replacing the stored findings of
// the detectors it ran) and returns them. The case must be open read-write: addresses are
// described first (enrich.Refresh) and findings are written.
func Hunt(ctx context.Context, db *store.DB, opt Options) (*Result, error) {
	began := time.Now()
	if db.ReadOnly {
		return nil, errors.New("hunt: the case is open read-only")
	}
	all, err := Detectors()
	if err != nil {
		return nil, err
	}
	dets, err := Select(all, opt.Only)
	if err != nil {
		return nil, err
	}
	if len(opt.Only) == 0 {
		var on []*Detector
		for _, d := range dets {
			if opt.Rules.Enabled(d.ID) {
				on = append(on, d)
			}
		}
		dets = on
	}
	have, err := db.Columns(ctx)
	if err != nil {
		return nil, err
	}
	if len(have) == 0 {
		return nil, &catalog.MissingError{Entry: "hunt", Empty: true}
	}
	if _, err := enrich.Refresh(ctx, db, enrich.Options{Version: opt.Version}); err != nil {
		return nil, fmt.Errorf("hunt: %w", err)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("hunt: %w", err)
	}
	defer conn.Close()
	defer func() {
		// Temporary tables live as long as the connection, which the pool may keep.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(cctx, `DROP TABLE IF EXISTS hunt_flows; DROP TABLE IF EXISTS hunt_addr; DROP TABLE IF EXISTS hunt_eni`)
	}()

	res := &Result{}
	p := opt.Progress
	if p == nil {
		p = noProgress{}
	}
	p.Stage("records", 0, len(dets))
	t0 := time.Now()
	h, err := prepare(ctx, conn, opt)
	if err != nil {
		return nil, err
	}
	res.Prepare, res.Records = time.Since(t0), h.records
	p.Done("records", 0, res.Prepare, fmt.Sprintf("%d records", h.records))
	res.BaselineUntil = h.baseline
	h.have = have

	var found []*Finding
	for i, d := range dets {
		p.Stage(d.ID, i+1, len(dets))
		t := time.Now()
		run := Run{Detector: d.ID, Status: "ok"}
		if err := catalog.CheckNeeds(d.ID, d.Needs, have); err != nil {
			run.Status, run.Note = "skipped", err.Error()
		} else if h.records == 0 {
			run.Status, run.Note = "skipped", "no records in the hunt's time range"
		} else {
			fs, err := h.run(ctx, d, opt.Rules)
			if err != nil {
				return nil, err
			}
			run.Findings = len(fs)
			found = append(found, fs...)
		}
		run.Elapsed = time.Since(t)
		res.Runs = append(res.Runs, run)
		p.Done(d.ID, run.Findings, run.Elapsed, run.Note)
	}
	res.Findings = found
	res.Elapsed = time.Since(began)
	if err := save(ctx, conn, res, opt, dets); err != nil {
		return nil, err
	}
	return res, nil
}

type noProgress struct{}

func (noProgress) Stage(string, int, int)                  {}
func (noProgress) Done(string, int, time.Duration, string) {}

// hunting is the state a hunt's detectors share.
type hunting struct {
	conn      *sql.Conn
	addrs     *addrTable
	enis      map[int64]string
	instances map[string]string // interface → instance, when recorded
	records   int64
	baseline  time.Time
	have      map[string]bool
	globals   map[string]any
	time      timeClause
}

type timeClause struct {
	sql  string
	vals map[string]any
}

// prepare builds hunt_addr and hunt_flows and reads what the findings are named with.
func prepare(ctx context.Context, conn *sql.Conn, opt Options) (*hunting, error) {
	h := &hunting{conn: conn, enis: map[int64]string{}, instances: map[string]string{}}
	var err error
	if h.addrs, err = loadAddresses(ctx, conn, opt.Rules); err != nil {
		return nil, err
	}
	h.time = timeClause{sql: "TRUE", vals: map[string]any{}}
	var conds []string
	if !opt.To.IsZero() {
		conds = append(conds, `start < {{$f_to}}`)
		h.time.vals["f_to"] = opt.To.Unix()
	}
	if !opt.From.IsZero() {
		conds = append(conds, `"end" >= {{$f_from}}`)
		h.time.vals["f_from"] = opt.From.Unix()
	}
	if len(conds) > 0 {
		h.time.sql = strings.Join(conds, " AND ")
	}
	base, err := sqlFiles.ReadFile("sql/_base.sql")
	if err != nil {
		return nil, err
	}
	for _, st := range strings.Split(string(base), ";\n") {
		if strings.TrimSpace(stripComments(st)) == "" {
			continue
		}
		q, err := render(strings.ReplaceAll(st, "{{time}}", h.time.sql), h.time.vals, nil)
		if err != nil {
			return nil, fmt.Errorf("hunt: base: %w", err)
		}
		if _, err := conn.ExecContext(ctx, q.SQL, q.Args...); err != nil {
			return nil, fmt.Errorf("hunt: prepare records: %w", err)
		}
	}
	var first, last sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT count(*), min(start), max("end") FROM hunt_flows`).Scan(&h.records, &first, &last); err != nil {
		return nil, fmt.Errorf("hunt: count records: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT id, interface_id FROM hunt_eni`)
	if err != nil {
		return nil, fmt.Errorf("hunt: read interfaces: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("hunt: read interfaces: %w", err)
		}
		h.enis[id] = name
	}
	rows.Close()
	if err := h.readInstances(ctx); err != nil {
		return nil, err
	}
	// The baseline: the flag, the rules, or the first default_baseline of the data.
	nt := opt.Rules.Detectors.NewTalker
	switch {
	case !opt.BaselineUntil.IsZero():
		h.baseline = opt.BaselineUntil
	case nt.BaselineUntil != "":
		h.baseline, _ = catalog.ParseTime(nt.BaselineUntil, time.Now(), false) // checked by Validate
	case first.Valid:
		h.baseline = time.Unix(first.Int64, 0).UTC().Add(time.Duration(nt.DefaultBaseline))
	}
	h.globals = map[string]any{"baseline_until": h.baseline.Unix()}
	for k, v := range allowBits {
		h.globals[k] = v
	}
	rs := opt.Rules.Detectors.RejectSpike
	h.globals["lookback_windows"] = int64(rs.Lookback.Seconds() / rs.Window.Seconds())
	return h, nil
}

// readInstances maps interfaces to instances when the flow logs record instance-id.
func (h *hunting) readInstances(ctx context.Context) error {
	var n int
	if err := h.conn.QueryRowContext(ctx, `SELECT count(*) FROM flow_shapes WHERE list_contains(string_split(columns, ','), 'instance_id')`).Scan(&n); err != nil {
		return fmt.Errorf("hunt: read shapes: %w", err)
	}
	if n == 0 {
		return nil
	}
	rows, err := h.conn.QueryContext(ctx, `SELECT interface_id, any_value(instance_id) FROM flow_records
		WHERE instance_id IS NOT NULL AND instance_id <> '-' AND interface_id IS NOT NULL GROUP BY interface_id`)
	if err != nil {
		return fmt.Errorf("hunt: read instances: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eni, inst string
		if err := rows.Scan(&eni, &inst); err != nil {
			return fmt.Errorf("hunt: read instances: %w", err)
		}
		h.instances[eni] = inst
	}
	return rows.Err()
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// params are the values a detector's SQL binds: its section (and the one it uses), the
// allow-list bits, the baseline.
func (h *hunting) params(d *Detector, r Rules) map[string]any {
	vals := map[string]any{}
	for k, v := range h.globals {
		vals[k] = v
	}
	if d.Uses != "" {
		for k, v := range r.Params(d.Uses) {
			vals[k] = v
		}
	}
	for k, v := range r.Params(d.Section) {
		vals[k] = v
	}
	return vals
}

// run executes one detector and turns its rows into findings.
func (h *hunting) run(ctx context.Context, d *Detector, r Rules) ([]*Finding, error) {
	vals := h.params(d, r)
	q, err := render(d.query, vals, nil)
	if err != nil {
		return nil, fmt.Errorf("hunt: %s: %w", d.ID, err)
	}
	rows, err := h.conn.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, fmt.Errorf("hunt: %s: %w", d.ID, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("hunt: %s: %w", d.ID, err)
	}
	var out []row
	for rows.Next() {
		vals, err := store.ScanValues(rows, len(cols))
		if err != nil {
			return nil, fmt.Errorf("hunt: %s: %w", d.ID, err)
		}
		rw := row{}
		for i, c := range cols {
			rw[c] = norm(vals[i])
		}
		out = append(out, rw)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("hunt: %s: %w", d.ID, err)
	}
	merged := mergeRows(d, out)
	thresholds := r.Thresholds(d.Section)
	if d.Uses != "" {
		for k, v := range r.Thresholds(d.Uses) {
			if _, ok := thresholds[k]; !ok {
				thresholds[k] = v
			}
		}
	}
	findings := make([]*Finding, 0, len(merged))
	for _, rw := range merged {
		f, err := h.finding(d, rw, thresholds, vals)
		if err != nil {
			return nil, err
		}
		findings = append(findings, f)
	}
	return findings, nil
}
