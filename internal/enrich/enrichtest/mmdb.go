// Package enrichtest builds small MaxMind-format databases for tests, with MaxMind's own writer
// library, in the layouts of GeoLite2-Country, GeoLite2-ASN and IPinfo Lite.
package enrichtest

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Country is a GeoLite2-Country record for a network.
func Country(iso string) mmdbtype.Map {
	return mmdbtype.Map{
		"country":            mmdbtype.Map{"iso_code": mmdbtype.String(iso), "names": mmdbtype.Map{"en": mmdbtype.String(iso + " (name)")}},
		"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String(iso)},
	}
}

// ASN is a GeoLite2-ASN record for a network.
func ASN(n uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{
		"autonomous_system_number":       mmdbtype.Uint32(n),
		"autonomous_system_organization": mmdbtype.String(org),
	}
}

// IPinfo is an IPinfo Lite record: country code and AS written as text ("AS13335").
func IPinfo(country, asn, name string) mmdbtype.Map {
	return mmdbtype.Map{
		"country_code": mmdbtype.String(country),
		"asn":          mmdbtype.String(asn),
		"as_name":      mmdbtype.String(name),
	}
}

// Build is the build time written into test databases.
var Build = time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)

// WriteMMDB writes a database of the given type with one record per CIDR to path.
func WriteMMDB(t testing.TB, path, dbType string, records map[string]mmdbtype.Map) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		RecordSize:              24,
		IPVersion:               6,
		BuildEpoch:              Build.Unix(),
		IncludeReservedNetworks: true, // tests use documentation ranges too
	})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range records {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(n, rec); err != nil {
			t.Fatalf("insert %s: %v", cidr, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
