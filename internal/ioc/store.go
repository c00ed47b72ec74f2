package ioc

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/store"
)

//go:embed views.sql
var viewsSQL string

// CreateViews (re)creates ioc_hits and ioc_summary. They read flows, which exists only once the
// case is open, so they are made by code rather than by the schema migration.
func CreateViews(ctx context.Context, q querier) error {
	if _, err := q.ExecContext(ctx, viewsSQL); err != nil {
		return fmt.Errorf("create IOC views: %w", err)
	}
	return nil
}

// ErrListExists means a list of that name is already in the case.
var ErrListExists = errors.New("list already exists")

// ErrNoList means no list of that name is in the case.
var ErrNoList = errors.New("no such list")

// ErrOldSchema means the case predates the IOC tables (a development build's placeholder
// migration); it cannot hold lists.
var ErrOldSchema = errors.New("this case was created by a development build without the IOC tables; ingest into a new case")

// CheckSchema fails with ErrOldSchema when the IOC tables are missing.
func CheckSchema(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('ioc_lists', 'address_info')`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return err
		}
	}
	if n != 2 {
		return ErrOldSchema
	}
	return rows.Err()
}

// Source describes where a list came from.
type Source struct {
	URI    string
	SHA256 string
}

// AddOptions tune AddList.
type AddOptions struct {
	Replace bool   // replace a list of the same name instead of failing
	Version string // flowdig version, recorded with the list
}

// Added is what AddList stored and found.
type Added struct {
	ListID          int32
	Replaced        bool
	Indicators      int
	AddressesTested int // distinct addresses of the records tested against the list
	Matches         int // (address, indicator) pairs
	SeenIndicators  int // indicators containing at least one address of the records
}

// AddList stores a parsed list under name and matches it against every address in
// address_info, in one transaction. address_info must be current (enrich.Refresh) so that the
// matches cover every record.
func AddList(ctx context.Context, db *store.DB, name string, l *List, src Source, opt AddOptions) (*Added, error) {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := CheckSchema(ctx, conn); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_, _ = conn.ExecContext(rctx, "ROLLBACK")
		}
	}()
	out := &Added{Indicators: len(l.Indicators)}
	old, err := listID(ctx, conn, name)
	switch {
	case err == nil && !opt.Replace:
		return nil, fmt.Errorf("ioc list %q: %w (use --replace, or flowdig ioc remove %s)", name, ErrListExists, name)
	case err == nil:
		if err := deleteList(ctx, conn, old); err != nil {
			return nil, err
		}
		out.Replaced = true
	case !errors.Is(err, ErrNoList):
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(list_id), 0) + 1 FROM ioc_lists`).Scan(&out.ListID); err != nil {
		return nil, fmt.Errorf("ioc list %q: %w", name, err)
	}
	_, err = conn.ExecContext(ctx, `INSERT INTO ioc_lists VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)`,
		out.ListID, name, string(l.Format), src.URI, src.SHA256, len(l.Indicators), len(l.Bad), countIgnored(l), l.Duplicates, opt.Version)
	if err != nil {
		return nil, fmt.Errorf("ioc list %q: %w", name, err)
	}
	if err := store.InsertArrow(ctx, conn, "ioc_indicators", indicatorBatch(out.ListID, l.Indicators)); err != nil {
		return nil, err
	}
	if rejects := rejectBatch(out.ListID, l); rejects.NumRows() > 0 {
		if err := store.InsertArrow(ctx, conn, "ioc_rejects", rejects); err != nil {
			return nil, err
		}
	} else {
		rejects.Release()
	}
	m, tested, err := matchKnown(ctx, conn, NewIndex(out.ListID, l.Indicators))
	if err != nil {
		return nil, err
	}
	defer m.Release()
	out.AddressesTested, out.Matches = tested, m.Len()
	if m.Len() > 0 {
		if err := store.InsertArrow(ctx, conn, "ioc_matches", m.Batch()); err != nil {
			return nil, err
		}
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(DISTINCT indicator) FROM ioc_matches WHERE list_id = ?`, out.ListID).Scan(&out.SeenIndicators); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("ioc list %q: commit: %w", name, err)
	}
	committed = true
	return out, nil
}

// matchKnown tests every address in address_info against ix.
func matchKnown(ctx context.Context, conn *sql.Conn, ix *Index) (*Matches, int, error) {
	m := NewMatches()
	if ix.Len() == 0 {
		return m, 0, nil
	}
	var addrs []string
	err := store.QueryArrow(ctx, conn, `SELECT addr FROM address_info WHERE family IS NOT NULL`, func(rec arrow.RecordBatch) error {
		col := rec.Column(0)
		for i := 0; i < col.Len(); i++ {
			if s, ok := store.StringAt(col, i); ok {
				addrs = append(addrs, strings.Clone(s))
			}
		}
		return nil
	})
	if err != nil {
		m.Release()
		return nil, 0, fmt.Errorf("read known addresses: %w", err)
	}
	for _, s := range addrs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		ix.Match(a, func(r Ref) { m.Add(s, r) })
	}
	return m, len(addrs), nil
}

func listID(ctx context.Context, conn *sql.Conn, name string) (int32, error) {
	var id int32
	err := conn.QueryRowContext(ctx, `SELECT list_id FROM ioc_lists WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("ioc list %q: %w", name, ErrNoList)
	}
	if err != nil {
		return 0, fmt.Errorf("ioc list %q: %w", name, err)
	}
	return id, nil
}

func deleteList(ctx context.Context, conn *sql.Conn, id int32) error {
	for _, t := range []string{"ioc_matches", "ioc_rejects", "ioc_indicators", "ioc_lists"} {
		if _, err := conn.ExecContext(ctx, "DELETE FROM "+t+" WHERE list_id = ?", id); err != nil {
			return fmt.Errorf("remove ioc list %d from %s: %w", id, t, err)
		}
	}
	return nil
}

// Removed is one list RemoveLists deleted.
type Removed struct {
	Name       string
	Indicators int
}

// RemoveLists deletes lists with their indicators and matches, all or none.
func RemoveLists(ctx context.Context, db *store.DB, names []string) ([]Removed, error) {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := CheckSchema(ctx, conn); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, err
	}
	var out []Removed
	for _, n := range names {
		id, err := listID(ctx, conn, n)
		if err == nil {
			var r Removed
			r.Name = n
			err = conn.QueryRowContext(ctx, `SELECT indicators FROM ioc_lists WHERE list_id = ?`, id).Scan(&r.Indicators)
			if err == nil {
				err = deleteList(ctx, conn, id)
			}
			out = append(out, r)
		}
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return nil, err
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("remove ioc lists: commit: %w", err)
	}
	return out, nil
}

func countIgnored(l *List) int {
	n := 0
	for _, p := range l.Ignored {
		if p.Line > 0 {
			n++
		}
	}
	return n
}

func indicatorBatch(listID int32, inds []Indicator) arrow.RecordBatch {
	str := arrow.BinaryTypes.String
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "list_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "indicator", Type: str},
		{Name: "family", Type: arrow.PrimitiveTypes.Int8},
		{Name: "bits", Type: arrow.PrimitiveTypes.Int16},
		{Name: "comment", Type: str, Nullable: true},
		{Name: "line_no", Type: arrow.PrimitiveTypes.Int32},
		{Name: "original", Type: str},
		{Name: "ref", Type: str, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, i := range inds {
		b.Field(0).(*array.Int32Builder).Append(listID)
		b.Field(1).(*array.StringBuilder).Append(i.Value)
		fam := int8(6)
		if i.Prefix.Addr().Is4() {
			fam = 4
		}
		b.Field(2).(*array.Int8Builder).Append(fam)
		b.Field(3).(*array.Int16Builder).Append(int16(i.Prefix.Bits()))
		appendOpt(b.Field(4).(*array.StringBuilder), i.Comment)
		b.Field(5).(*array.Int32Builder).Append(int32(i.Line))
		b.Field(6).(*array.StringBuilder).Append(i.Original)
		appendOpt(b.Field(7).(*array.StringBuilder), i.Ref)
	}
	return b.NewRecordBatch()
}

func rejectBatch(listID int32, l *List) arrow.RecordBatch {
	str := arrow.BinaryTypes.String
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "list_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "line_no", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "kind", Type: str},
		{Name: "text", Type: str, Nullable: true},
		{Name: "reason", Type: str},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	add := func(kind string, ps []Problem) {
		for _, p := range ps {
			b.Field(0).(*array.Int32Builder).Append(listID)
			if p.Line > 0 {
				b.Field(1).(*array.Int32Builder).Append(int32(p.Line))
			} else {
				b.Field(1).AppendNull()
			}
			b.Field(2).(*array.StringBuilder).Append(kind)
			appendOpt(b.Field(3).(*array.StringBuilder), p.Text)
			b.Field(4).(*array.StringBuilder).Append(p.Reason)
		}
	}
	add("bad", l.Bad)
	add("ignored", l.Ignored)
	return b.NewRecordBatch()
}

func appendOpt(b *array.StringBuilder, s string) {
	if s == "" {
		b.AppendNull()
	} else {
		b.Append(s)
	}
}

// ListsQuery lists the stored lists.
const ListsQuery = `SELECT l.name AS list, l.indicators,
	count(*) FILTER (WHERE i.bits = CASE i.family WHEN 4 THEN 32 ELSE 128 END) AS addresses,
	count(*) FILTER (WHERE i.bits < CASE i.family WHEN 4 THEN 32 ELSE 128 END) AS cidrs,
	count(*) FILTER (WHERE i.family = 6) AS ipv6,
	(SELECT count(DISTINCT m.indicator) FROM ioc_matches m WHERE m.list_id = l.list_id) AS seen,
	l.bad_lines, l.ignored, l.duplicates, l.format, l.uri, l.sha256, l.added_at
FROM ioc_lists l LEFT JOIN ioc_indicators i USING (list_id)
GROUP BY ALL ORDER BY l.name`

// IndicatorsQuery lists one list's indicators ($1: list name).
const IndicatorsQuery = `SELECT i.indicator, i.comment, i.line_no, i.original, i.ref,
	(SELECT count(*) FROM ioc_matches m WHERE m.list_id = i.list_id AND m.indicator = i.indicator) AS addresses_seen
FROM ioc_indicators i JOIN ioc_lists l USING (list_id)
WHERE l.name = ? ORDER BY i.line_no, i.indicator`

// RejectsQuery lists one list's skipped lines ($1: list name).
const RejectsQuery = `SELECT r.line_no, r.kind, r.reason, r.text
FROM ioc_rejects r JOIN ioc_lists l USING (list_id)
WHERE l.name = ? ORDER BY r.line_no NULLS LAST`
