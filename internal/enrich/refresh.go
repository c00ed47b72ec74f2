// Package enrich describes every address the records contain, offline: its class (private,
// public, special-purpose range), the AWS service and region that own it (AWS ip-ranges.json,
// shipped in the binary and replaceable), and, given MaxMind-format databases, its country and
// autonomous system. Work is done once per distinct address, in Go, into address_info; the view
// flows_enriched joins the records to it, so nothing is copied per record. Refresh also matches
// new addresses against the stored IOC lists, keeping ioc_matches complete.
package enrich

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/ioc"
	"github.com/flowdig/flowdig/internal/store"
)

// Options choose the enrichment data. The zero value keeps what the case uses (the shipped
// ip-ranges on first use, no GeoIP).
type Options struct {
	IPRanges string   // ip-ranges.json to use from now on; Builtin for the shipped copy; "" keeps the case's
	GeoIP    []string // MaxMind-format databases to use from now on; empty keeps the case's
	NoGeoIP  bool     // stop using GeoIP databases
	Version  string   // flowdig version, recorded with the data sources
}

// SourceInfo describes one enrichment data source in use.
type SourceInfo struct {
	URI     string
	SHA256  string
	Version string // ip-ranges createDate; GeoIP database type and build date
	Entries int64
}

// Stats is what a Refresh did.
type Stats struct {
	Addresses int  // in address_info afterwards
	New       int  // addresses enriched by this refresh
	Full      bool // every address was re-enriched because the data sources changed
	Matches   int  // IOC matches added
	Ranges    SourceInfo
	GeoIP     []SourceInfo
	Warnings  []string
	Elapsed   time.Duration
}

// Refresh brings address_info and ioc_matches up to date with the records: addresses of records
// stored since the last refresh are classified, tagged and matched against every IOC list; when
// the enrichment data changes (Options, or a GeoIP file replaced on disk) every address is done
// again. It also (re)creates the views flows_enriched, ioc_hits and ioc_summary. Everything
// happens in one transaction; a refresh with nothing new costs two small queries.
func Refresh(ctx context.Context, db *store.DB, opt Options) (*Stats, error) {
	began := time.Now()
	if db.ReadOnly {
		return nil, fmt.Errorf("enrich: the case is open read-only")
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	defer conn.Close()
	if err := ioc.CheckSchema(ctx, conn); err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_, _ = conn.ExecContext(rctx, "ROLLBACK")
		}
	}()
	st := &Stats{}
	ranges, rangesChanged, err := resolveRanges(ctx, conn, opt)
	if err != nil {
		return nil, err
	}
	st.Ranges = SourceInfo{URI: ranges.URI, SHA256: ranges.SHA256, Version: ranges.CreateDate, Entries: int64(len(ranges.Entries))}
	geos, geoChanged, warnings, err := resolveGeoIP(ctx, conn, opt)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, g := range geos {
			g.Close()
		}
	}()
	st.Warnings = warnings
	for _, g := range geos {
		st.GeoIP = append(st.GeoIP, SourceInfo{URI: g.URI, SHA256: g.SHA256, Version: g.Version, Entries: int64(g.Nodes)})
	}
	st.Full = rangesChanged || geoChanged

	var last, upTo int64
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(last_source_id), 0) FROM enrich_state`).Scan(&last); err != nil {
		return nil, fmt.Errorf("enrich: read state: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(source_id), 0) FROM sources`).Scan(&upTo); err != nil {
		return nil, fmt.Errorf("enrich: read ledger: %w", err)
	}
	if st.Full {
		for _, t := range []string{"address_info", "ioc_matches"} {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return nil, fmt.Errorf("enrich: clear %s: %w", t, err)
			}
		}
		last = 0
	}
	if upTo > last {
		addrs, err := newAddresses(ctx, conn, last, upTo)
		if err != nil {
			return nil, err
		}
		st.New = len(addrs)
		if len(addrs) > 0 {
			idx, err := ioc.LoadIndex(ctx, conn)
			if err != nil {
				return nil, fmt.Errorf("enrich: %w", err)
			}
			e := &enricher{cls: NewClassifier(), ranges: ranges, geos: geos, iocs: idx}
			info, matches, err := e.run(addrs)
			if err != nil {
				return nil, err
			}
			st.Matches = matches.Len()
			if err := store.InsertArrow(ctx, conn, "address_info", info); err != nil {
				matches.Release()
				return nil, err
			}
			if matches.Len() > 0 {
				err = store.InsertArrow(ctx, conn, "ioc_matches", matches.Batch())
			}
			matches.Release()
			if err != nil {
				return nil, err
			}
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM enrich_state`); err != nil {
			return nil, fmt.Errorf("enrich: state: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO enrich_state VALUES (?, now())`, upTo); err != nil {
			return nil, fmt.Errorf("enrich: state: %w", err)
		}
	}
	if err := createViews(ctx, conn, ranges); err != nil {
		return nil, err
	}
	if err := ioc.CreateViews(ctx, conn); err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM address_info`).Scan(&st.Addresses); err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, err := conn.ExecContext(cctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("enrich: commit: %w", err)
	}
	committed = true
	st.Elapsed = time.Since(began)
	return st, nil
}

// newAddresses returns the distinct addresses of records from sources (after, upTo] that
// address_info does not have yet.
func newAddresses(ctx context.Context, conn *sql.Conn, after, upTo int64) ([]string, error) {
	// The distinct addresses first, then the anti-join: joined the other way round DuckDB
	// probes every record's address against address_info instead of each distinct one.
	q := `WITH d AS MATERIALIZED (
		SELECT DISTINCT a FROM (
			SELECT srcaddr AS a FROM flow_records WHERE source_id > $1 AND source_id <= $2
			UNION ALL SELECT dstaddr FROM flow_records WHERE source_id > $1 AND source_id <= $2
			UNION ALL SELECT pkt_srcaddr FROM flow_records WHERE source_id > $1 AND source_id <= $2
			UNION ALL SELECT pkt_dstaddr FROM flow_records WHERE source_id > $1 AND source_id <= $2
		) t WHERE a IS NOT NULL
	)
	SELECT d.a FROM d ANTI JOIN address_info i ON i.addr = d.a`
	var out []string
	err := store.QueryArrow(ctx, conn, q, func(rec arrow.RecordBatch) error {
		col := rec.Column(0)
		for i := 0; i < col.Len(); i++ {
			if s, ok := store.StringAt(col, i); ok {
				out = append(out, strings.Clone(s))
			}
		}
		return nil
	}, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("enrich: read new addresses: %w", err)
	}
	return out, nil
}

// enricher describes addresses.
type enricher struct {
	cls    *Classifier
	ranges *Ranges
	geos   []*GeoDB
	iocs   *ioc.Index
}

// run builds the address_info batch and the IOC matches for addrs.
func (e *enricher) run(addrs []string) (arrow.RecordBatch, *ioc.Matches, error) {
	str := arrow.BinaryTypes.String
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "addr", Type: str},
		{Name: "family", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "class", Type: str},
		{Name: "range_name", Type: str, Nullable: true},
		{Name: "aws_service", Type: str, Nullable: true},
		{Name: "aws_region", Type: str, Nullable: true},
		{Name: "aws_prefix", Type: str, Nullable: true},
		{Name: "country", Type: str, Nullable: true},
		{Name: "asn", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "as_org", Type: str, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Reserve(len(addrs))
	var (
		addrB    = b.Field(0).(*array.StringBuilder)
		famB     = b.Field(1).(*array.Int8Builder)
		classB   = b.Field(2).(*array.StringBuilder)
		rangeB   = b.Field(3).(*array.StringBuilder)
		svcB     = b.Field(4).(*array.StringBuilder)
		regionB  = b.Field(5).(*array.StringBuilder)
		prefixB  = b.Field(6).(*array.StringBuilder)
		countryB = b.Field(7).(*array.StringBuilder)
		asnB     = b.Field(8).(*array.Int64Builder)
		orgB     = b.Field(9).(*array.StringBuilder)
	)
	opt := func(sb *array.StringBuilder, s string) {
		if s == "" {
			sb.AppendNull()
		} else {
			sb.Append(s)
		}
	}
	matches := ioc.NewMatches()
	for _, s := range addrs {
		addrB.Append(s)
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			famB.AppendNull()
			classB.Append(Invalid)
			for _, sb := range []*array.StringBuilder{rangeB, svcB, regionB, prefixB, countryB} {
				sb.AppendNull()
			}
			asnB.AppendNull()
			orgB.AppendNull()
			continue
		}
		if a.Unmap().Is4() {
			famB.Append(4)
		} else {
			famB.Append(6)
		}
		class, rname := e.cls.Class(a)
		classB.Append(class)
		opt(rangeB, rname)
		var aws AWSRange
		var geo Geo
		if class == Public {
			aws, _ = e.ranges.Lookup(a)
			for _, g := range e.geos {
				if err := g.Lookup(a, &geo); err != nil {
					matches.Release()
					return nil, nil, err
				}
			}
		}
		opt(svcB, aws.Service)
		opt(regionB, aws.Region)
		if aws.Service != "" {
			prefixB.Append(aws.Prefix.String())
		} else {
			prefixB.AppendNull()
		}
		opt(countryB, geo.Country)
		if geo.ASN > 0 {
			asnB.Append(geo.ASN)
		} else {
			asnB.AppendNull()
		}
		opt(orgB, geo.ASOrg)
		e.iocs.Match(a, func(r ioc.Ref) { matches.Add(s, r) })
	}
	return b.NewRecordBatch(), matches, nil
}
