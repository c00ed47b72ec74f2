package ioc

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/ipset"
)

// Ref names one stored indicator.
type Ref struct {
	ListID    int32
	Indicator string
}

// Index finds the stored indicators containing an address: one binary search and a short walk,
// whatever the number of indicators.
type Index struct {
	ix *ipset.Index[Ref]
}

// NewIndex indexes indicators of one list.
func NewIndex(listID int32, inds []Indicator) *Index {
	var b ipset.Builder[Ref]
	for _, i := range inds {
		b.Add(i.Prefix, Ref{listID, i.Value})
	}
	return &Index{ix: b.Build()}
}

// Len is the number of indicators indexed.
func (x *Index) Len() int { return x.ix.Len() }

// Match calls fn for every indicator containing a, most specific first.
func (x *Index) Match(a netip.Addr, fn func(Ref)) {
	x.ix.Lookup(a, func(_ netip.Prefix, refs []Ref) bool {
		for _, r := range refs {
			fn(r)
		}
		return true
	})
}

// querier is what *sql.Conn, *sql.Tx and *sql.DB offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// LoadIndex indexes the stored indicators of every list, or of the given lists.
func LoadIndex(ctx context.Context, q querier, listIDs ...int32) (*Index, error) {
	query := `SELECT list_id, indicator FROM ioc_indicators`
	var args []any
	if len(listIDs) > 0 {
		ph := make([]string, len(listIDs))
		for i, id := range listIDs {
			ph[i], args = "?", append(args, id)
		}
		query += ` WHERE list_id IN (` + strings.Join(ph, ",") + `)`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read indicators: %w", err)
	}
	defer rows.Close()
	var b ipset.Builder[Ref]
	for rows.Next() {
		var r Ref
		if err := rows.Scan(&r.ListID, &r.Indicator); err != nil {
			return nil, fmt.Errorf("read indicators: %w", err)
		}
		p, _, err := ParseIndicator(r.Indicator)
		if err != nil {
			return nil, fmt.Errorf("stored indicator %q: %w", r.Indicator, err)
		}
		b.Add(p, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read indicators: %w", err)
	}
	return &Index{ix: b.Build()}, nil
}

// Matches accumulates ioc_matches rows as an Arrow batch.
type Matches struct {
	addr, ind *array.StringBuilder
	list      *array.Int32Builder
	n         int
}

// NewMatches starts an empty set of matches.
func NewMatches() *Matches {
	return &Matches{
		addr: array.NewStringBuilder(memory.DefaultAllocator),
		ind:  array.NewStringBuilder(memory.DefaultAllocator),
		list: array.NewInt32Builder(memory.DefaultAllocator),
	}
}

// Add records that the address written addr (as in the records) is inside the indicator.
func (m *Matches) Add(addr string, r Ref) {
	m.addr.Append(addr)
	m.list.Append(r.ListID)
	m.ind.Append(r.Indicator)
	m.n++
}

// Len is the number of matches added.
func (m *Matches) Len() int { return m.n }

// Batch returns the matches as a batch for the ioc_matches table and resets m.
func (m *Matches) Batch() arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "addr", Type: arrow.BinaryTypes.String},
		{Name: "list_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "indicator", Type: arrow.BinaryTypes.String},
	}, nil)
	cols := []arrow.Array{m.addr.NewArray(), m.list.NewArray(), m.ind.NewArray()}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	rec := array.NewRecordBatch(schema, cols, int64(m.n))
	m.n = 0
	return rec
}

// Release frees the builders.
func (m *Matches) Release() {
	m.addr.Release()
	m.ind.Release()
	m.list.Release()
}
