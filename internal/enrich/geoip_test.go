package enrich

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/flowdig/flowdig/internal/enrich/enrichtest"
)

func TestGeoIP(t *testing.T) {
	dir := t.TempDir()
	country := filepath.Join(dir, "country.mmdb")
	asn := filepath.Join(dir, "asn.mmdb")
	ipinfo := filepath.Join(dir, "ipinfo.mmdb")
	enrichtest.WriteMMDB(t, country, "GeoLite2-Country", map[string]mmdbtype.Map{
		"45.137.21.0/24":  enrichtest.Country("NL"),
		"185.220.0.0/16":  enrichtest.Country("DE"),
		"2a00:1450::/32":  enrichtest.Country("IE"),
		"193.42.33.14/32": enrichtest.Country("RU"),
	})
	enrichtest.WriteMMDB(t, asn, "GeoLite2-ASN", map[string]mmdbtype.Map{
		"45.137.21.0/24": enrichtest.ASN(64500, "Example Hosting"),
		"2a00:1450::/32": enrichtest.ASN(15169, "Google LLC"),
	})
	enrichtest.WriteMMDB(t, ipinfo, "ipinfo lite", map[string]mmdbtype.Map{
		"185.220.101.0/24": enrichtest.IPinfo("DE", "AS60729", "Tor exit operator"),
	})
	var dbs []*GeoDB
	for _, p := range []string{country, asn, ipinfo} {
		g, err := OpenGeoIP(p)
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		dbs = append(dbs, g)
	}
	if dbs[0].Version != "GeoLite2-Country 2026-08-20" || len(dbs[0].SHA256) != 64 || dbs[0].Size == 0 {
		t.Errorf("fingerprint: %+v", dbs[0])
	}
	for _, tc := range []struct {
		addr string
		want Geo
	}{
		{"45.137.21.9", Geo{"NL", 64500, "Example Hosting"}},
		{"185.220.101.4", Geo{"DE", 60729, "Tor exit operator"}},
		{"185.220.1.1", Geo{"DE", 0, ""}},
		{"2a00:1450::5", Geo{"IE", 15169, "Google LLC"}},
		{"::ffff:45.137.21.9", Geo{"NL", 64500, "Example Hosting"}},
		{"193.42.33.14", Geo{"RU", 0, ""}},
		{"193.42.33.15", Geo{}},
		{"8.8.8.8", Geo{}},
	} {
		var g Geo
		for _, db := range dbs {
			if err := db.Lookup(netip.MustParseAddr(tc.addr), &g); err != nil {
				t.Fatal(err)
			}
		}
		if g != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.addr, g, tc.want)
		}
	}

	notMMDB := filepath.Join(dir, "not.mmdb")
	if err := os.WriteFile(notMMDB, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{notMMDB, filepath.Join(dir, "missing.mmdb")} {
		if _, err := OpenGeoIP(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestASNFrom(t *testing.T) {
	for v, want := range map[any]int64{uint64(7): 7, uint32(8): 8, "AS13335": 13335, "as9": 9, " 42 ": 42, "ASx": 0, nil: 0, "": 0} {
		if got := asnFrom(v); got != want {
			t.Errorf("%v: %d, want %d", v, got, want)
		}
	}
}
