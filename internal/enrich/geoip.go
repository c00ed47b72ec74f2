package enrich

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"
)

// GeoDB is an open MaxMind-format (.mmdb) database: GeoLite2/GeoIP2 Country, City or ASN, or a
// database using the same keys (DB-IP lite; IPinfo's country_code/asn/as_name are read too).
type GeoDB struct {
	URI     string
	SHA256  string
	Size    int64
	MTime   time.Time
	Version string // database type and build date, e.g. "GeoLite2-ASN 2026-08-20"
	Nodes   uint
	r       *maxminddb.Reader
}

// geoRecord is the union of the keys flowdig reads.
type geoRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
	ASN   uint64 `maxminddb:"autonomous_system_number"`
	ASOrg string `maxminddb:"autonomous_system_organization"`
	// IPinfo-style layouts.
	CountryCode string `maxminddb:"country_code"`
	ASText      any    `maxminddb:"asn"`
	ASName      string `maxminddb:"as_name"`
}

// Geo is what GeoIP databases say about an address.
type Geo struct {
	Country string
	ASN     int64 // 0: unknown
	ASOrg   string
}

// OpenGeoIP opens a MaxMind-format database and fingerprints it.
func OpenGeoIP(path string) (*GeoDB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip %s: %w", path, err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	fi, serr := f.Stat()
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("geoip %s: %w", path, err)
	}
	if serr != nil {
		return nil, fmt.Errorf("geoip %s: %w", path, serr)
	}
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip %s: not a MaxMind-format (.mmdb) database: %w", path, err)
	}
	md := r.Metadata
	ver := md.DatabaseType
	if md.BuildEpoch > 0 {
		ver += " " + md.BuildTime().UTC().Format("2006-01-02")
	}
	return &GeoDB{URI: path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, MTime: fi.ModTime(),
		Version: strings.TrimSpace(ver), Nodes: md.NodeCount, r: r}, nil
}

// Close releases the database.
func (g *GeoDB) Close() error { return g.r.Close() }

// Lookup fills what the database knows about a into out, keeping what out already has.
func (g *GeoDB) Lookup(a netip.Addr, out *Geo) error {
	res := g.r.Lookup(a.Unmap())
	if !res.Found() {
		return res.Err()
	}
	var rec geoRecord
	if err := res.Decode(&rec); err != nil {
		return fmt.Errorf("geoip %s: %s: %w", g.URI, a, err)
	}
	if out.Country == "" {
		out.Country = firstNonEmpty(rec.Country.ISOCode, rec.RegisteredCountry.ISOCode, rec.CountryCode)
	}
	if out.ASN == 0 {
		out.ASN = int64(rec.ASN)
		if out.ASN == 0 {
			out.ASN = asnFrom(rec.ASText)
		}
	}
	if out.ASOrg == "" {
		out.ASOrg = firstNonEmpty(rec.ASOrg, rec.ASName)
	}
	return nil
}

// asnFrom reads an AS number written as a number or as "AS13335".
func asnFrom(v any) int64 {
	switch x := v.(type) {
	case uint64:
		return int64(x)
	case uint32:
		return int64(x)
	case int:
		return int64(x)
	case string:
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(x)), "AS"), 10, 64)
		if err == nil && n > 0 {
			return n
		}
	}
	return 0
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
