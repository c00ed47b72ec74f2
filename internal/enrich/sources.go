package enrich

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/store"
)

// Kinds of enrichment sources.
const (
	kindRanges = "aws-ip-ranges"
	kindGeoIP  = "geoip"
)

type activeSource struct {
	uri, sha256, version string
	size                 int64
	mtime                sql.NullTime
}

func activeSources(ctx context.Context, conn *sql.Conn, kind string) ([]activeSource, error) {
	rows, err := conn.QueryContext(ctx, `SELECT uri, sha256, coalesce(version, ''), coalesce(size, 0), mtime
		FROM enrich_sources WHERE kind = ? AND active ORDER BY rowid`, kind)
	if err != nil {
		return nil, fmt.Errorf("enrich: read sources: %w", err)
	}
	defer rows.Close()
	var out []activeSource
	for rows.Next() {
		var s activeSource
		if err := rows.Scan(&s.uri, &s.sha256, &s.version, &s.size, &s.mtime); err != nil {
			return nil, fmt.Errorf("enrich: read sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func recordSource(ctx context.Context, conn *sql.Conn, kind, uri, sha, version string, size int64, mtime time.Time, entries int64, flowdig string) error {
	var mt any
	if !mtime.IsZero() {
		mt = mtime
	}
	var sz any
	if size > 0 {
		sz = size
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO enrich_sources VALUES (?, ?, ?, ?, ?, ?, ?, true, now(), ?)`,
		kind, uri, sha, sz, mt, version, entries, flowdig)
	if err != nil {
		return fmt.Errorf("enrich: record source %s: %w", uri, err)
	}
	return nil
}

// resolveRanges returns the ip-ranges to use and whether they differ from the ones the case's
// addresses were tagged with.
func resolveRanges(ctx context.Context, conn *sql.Conn, opt Options) (*Ranges, bool, error) {
	act, err := activeSources(ctx, conn, kindRanges)
	if err != nil {
		return nil, false, err
	}
	if opt.IPRanges == "" && len(act) > 0 {
		r, err := loadStoredRanges(ctx, conn, act[0])
		return r, false, err
	}
	var r *Ranges
	var size int64
	var mtime time.Time
	switch opt.IPRanges {
	case "", Builtin:
		r, err = BuiltinRanges()
	default:
		var data []byte
		data, err = os.ReadFile(opt.IPRanges)
		if err != nil {
			return nil, false, fmt.Errorf("aws ip-ranges: %w", err)
		}
		if fi, serr := os.Stat(opt.IPRanges); serr == nil {
			size, mtime = fi.Size(), fi.ModTime()
		}
		r, err = ParseRanges(data, opt.IPRanges)
	}
	if err != nil {
		return nil, false, err
	}
	if len(act) > 0 && act[0].sha256 == r.SHA256 {
		return r, false, nil // the same file again: nothing to redo
	}
	changed := len(act) > 0 // the first ranges of a case make nothing stale
	if _, err := conn.ExecContext(ctx, `UPDATE enrich_sources SET active = false WHERE kind = ?`, kindRanges); err != nil {
		return nil, false, fmt.Errorf("enrich: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM aws_ip_ranges`); err != nil {
		return nil, false, fmt.Errorf("enrich: %w", err)
	}
	if err := store.InsertArrow(ctx, conn, "aws_ip_ranges", rangesBatch(r)); err != nil {
		return nil, false, err
	}
	if err := recordSource(ctx, conn, kindRanges, r.URI, r.SHA256, r.CreateDate, size, mtime, int64(len(r.Entries)), opt.Version); err != nil {
		return nil, false, err
	}
	return r, changed, nil
}

// loadStoredRanges rebuilds the ranges in use from aws_ip_ranges.
func loadStoredRanges(ctx context.Context, conn *sql.Conn, src activeSource) (*Ranges, error) {
	r := &Ranges{CreateDate: src.version, SHA256: src.sha256, URI: src.uri}
	var bad string
	err := store.QueryArrow(ctx, conn, `SELECT prefix, service, region, network_border_group FROM aws_ip_ranges`, func(rec arrow.RecordBatch) error {
		for i := 0; i < int(rec.NumRows()); i++ {
			p, _ := store.StringAt(rec.Column(0), i)
			svc, _ := store.StringAt(rec.Column(1), i)
			reg, _ := store.StringAt(rec.Column(2), i)
			nbg, _ := store.StringAt(rec.Column(3), i)
			pfx, err := netip.ParsePrefix(p)
			if err != nil {
				bad = strings.Clone(p)
				continue
			}
			r.Entries = append(r.Entries, AWSRange{Prefix: pfx, Service: strings.Clone(svc), Region: strings.Clone(reg), NetworkBorderGroup: strings.Clone(nbg)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("enrich: read aws_ip_ranges: %w", err)
	}
	if bad != "" {
		return nil, fmt.Errorf("enrich: aws_ip_ranges holds an invalid prefix %q", bad)
	}
	r.index()
	return r, nil
}

func rangesBatch(r *Ranges) arrow.RecordBatch {
	str := arrow.BinaryTypes.String
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "prefix", Type: str}, {Name: "service", Type: str},
		{Name: "region", Type: str, Nullable: true}, {Name: "network_border_group", Type: str, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, e := range r.Entries {
		b.Field(0).(*array.StringBuilder).Append(e.Prefix.String())
		b.Field(1).(*array.StringBuilder).Append(e.Service)
		for k, v := range []string{e.Region, e.NetworkBorderGroup} {
			if v == "" {
				b.Field(2 + k).AppendNull()
			} else {
				b.Field(2 + k).(*array.StringBuilder).Append(v)
			}
		}
	}
	return b.NewRecordBatch()
}

// resolveGeoIP opens the GeoIP databases to use and reports whether they differ from the ones
// the case's addresses were described with. A database recorded earlier that is gone is
// skipped with a warning (new addresses then get no country/AS); one whose content changed is
// used, and every address is described again.
func resolveGeoIP(ctx context.Context, conn *sql.Conn, opt Options) (dbs []*GeoDB, changed bool, warnings []string, err error) {
	act, err := activeSources(ctx, conn, kindGeoIP)
	if err != nil {
		return nil, false, nil, err
	}
	closeAll := func() {
		for _, g := range dbs {
			g.Close()
		}
		dbs = nil
	}
	paths := opt.GeoIP
	explicit := len(paths) > 0 || opt.NoGeoIP
	if !explicit {
		for _, a := range act {
			paths = append(paths, a.uri)
		}
	}
	if opt.NoGeoIP {
		paths = nil
	}
	for _, p := range paths {
		g, err := OpenGeoIP(p)
		if err != nil {
			if explicit {
				closeAll()
				return nil, false, nil, err
			}
			warnings = append(warnings, fmt.Sprintf("%v; addresses described from now on get no country or AS (flowdig enrich --geoip FILE to fix, --no-geoip to stop using it)", err))
			continue
		}
		dbs = append(dbs, g)
	}
	was := make([]string, len(act))
	for i, a := range act {
		was[i] = a.sha256
	}
	now := make([]string, len(dbs))
	for i, g := range dbs {
		now[i] = g.SHA256
	}
	if !explicit && len(now) < len(was) {
		return dbs, false, warnings, nil // a database went missing: keep what the case recorded
	}
	if slices.Equal(was, now) {
		return dbs, false, warnings, nil
	}
	if !explicit {
		warnings = append(warnings, "a GeoIP database changed on disk since it was loaded; every address is described again with the new content")
	}
	if _, err := conn.ExecContext(ctx, `UPDATE enrich_sources SET active = false WHERE kind = ?`, kindGeoIP); err != nil {
		closeAll()
		return nil, false, nil, fmt.Errorf("enrich: %w", err)
	}
	for _, g := range dbs {
		if err := recordSource(ctx, conn, kindGeoIP, g.URI, g.SHA256, g.Version, g.Size, g.MTime, int64(g.Nodes), opt.Version); err != nil {
			closeAll()
			return nil, false, nil, err
		}
	}
	return dbs, true, warnings, nil
}

// createViews (re)creates flows_enriched: the records with what address_info says about their
// source and destination. The ip-ranges createDate is a constant column, so every result that
// uses AWS tagging says which ranges it used.
func createViews(ctx context.Context, conn *sql.Conn, r *Ranges) error {
	var cols []string
	for _, side := range []struct{ alias, prefix string }{{"s", "src"}, {"d", "dst"}} {
		for _, c := range []struct{ col, name string }{
			{"class", "class"}, {"range_name", "range"}, {"aws_service", "aws_service"}, {"aws_region", "aws_region"},
			{"country", "country"}, {"asn", "asn"}, {"as_org", "as_org"},
		} {
			cols = append(cols, fmt.Sprintf("%s.%s AS %s_%s", side.alias, c.col, side.prefix, c.name))
		}
	}
	q := `CREATE OR REPLACE VIEW flows_enriched AS
SELECT f.*,
       ` + strings.Join(cols, ",\n       ") + `,
       ` + store.QuoteString(r.CreateDate) + ` AS aws_ranges_created
FROM flows f
LEFT JOIN address_info s ON s.addr = f.srcaddr
LEFT JOIN address_info d ON d.addr = f.dstaddr`
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("enrich: create view flows_enriched: %w", err)
	}
	return nil
}
