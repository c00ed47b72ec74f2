//go:build duckdb_arrow

package enrich

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/flowdig/flowdig/internal/enrich/enrichtest"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

const v5Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-srcaddr pkt-dstaddr flow-direction traffic-path"

// writeLog writes a flow-log object with a header line in the plain S3 layout.
func writeLog(t *testing.T, dir, name, header string, lines ...string) {
	t.Helper()
	p := filepath.Join(dir, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "01",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261101T"+name+"Z_abcd1234.log")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(header+"\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func openCase(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func ingestDir(t *testing.T, db *store.DB, dir string) {
	t.Helper()
	sum, err := ingest.Run(context.Background(), db, local.New([]string{dir}), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Quarantined != 0 {
		t.Fatalf("fixture: %d lines quarantined", sum.Quarantined)
	}
}

// rows runs q and renders every row as "v1|v2|…" with NULL as "-".
func rows(t *testing.T, db *store.DB, q string, args ...any) []string {
	t.Helper()
	r, err := db.SQL.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	var out []string
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "-"
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func refresh(t *testing.T, db *store.DB, opt Options) *Stats {
	t.Helper()
	opt.Version = "test"
	st, err := Refresh(context.Background(), db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestRefresh(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	writeLog(t, data, "0000", v5Header,
		"5 123456789012 eni-a 10.0.1.5 3.5.0.10 40000 443 6 10 5000000 1793491200 1793491260 ACCEPT OK 10.0.1.5 3.5.0.10 egress 7",
		"5 123456789012 eni-a 3.5.0.10 10.0.1.5 443 40000 6 8 4000 1793491200 1793491260 ACCEPT OK 3.5.0.10 10.0.1.5 ingress -",
		"5 123456789012 eni-a 10.0.1.5 45.137.21.9 40001 443 6 10 900 1793491300 1793491360 ACCEPT OK 10.0.1.5 45.137.21.9 egress 8",
		"5 123456789012 eni-b 100.64.3.3 2600:1f18::10 40002 443 6 1 60 1793491300 1793491360 REJECT OK 100.64.3.3 2600:1f18::10 egress 1",
		"5 123456789012 eni-c 10.0.0.9 10.0.1.5 80 40003 6 1 60 1793491300 1793491360 ACCEPT OK 185.220.101.4 10.0.1.5 egress -",
		"5 123456789012 eni-d - - - - - - - 1793491300 1793491360 - NODATA - - - -",
	)
	db := openCase(t)
	ingestDir(t, db, data)
	st := refresh(t, db, Options{})
	if st.New != 7 || st.Addresses != 7 || st.Full || st.Ranges.Version != "2026-08-22-15-17-05" || st.Ranges.URI != Builtin {
		t.Fatalf("first refresh: %+v", st)
	}
	want := []string{
		"10.0.0.9|4|private|RFC 1918|-|-|-",
		"10.0.1.5|4|private|RFC 1918|-|-|-",
		"100.64.3.3|4|private|CGNAT (RFC 6598)|-|-|-",
		"185.220.101.4|4|public|-|-|-|-",
		"2600:1f18::10|6|public|-|EC2|us-east-1|2600:1f18::/33",
		"3.5.0.10|4|public|-|S3|us-east-1|3.5.0.0/19",
		"45.137.21.9|4|public|-|-|-|-",
	}
	got := rows(t, db, `SELECT addr, family, class, range_name, aws_service, aws_region, aws_prefix FROM address_info WHERE addr IN
		('10.0.0.9','10.0.1.5','100.64.3.3','185.220.101.4','2600:1f18::10','3.5.0.10','45.137.21.9') ORDER BY addr`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("address_info:\n got  %q\n want %q", got, want)
	}
	// The example query, and the record count: enrichment adds columns, never rows.
	got = rows(t, db, `SELECT srcaddr, dst_aws_service, dst_aws_region, src_class, aws_ranges_created FROM flows_enriched WHERE dst_aws_service = 'S3' LIMIT 10`)
	if !reflect.DeepEqual(got, []string{"10.0.1.5|S3|us-east-1|private|2026-08-22-15-17-05"}) {
		t.Errorf("flows_enriched S3: %q", got)
	}
	got = rows(t, db, `SELECT (SELECT count(*) FROM flows), (SELECT count(*) FROM flows_enriched), (SELECT count(*) FROM address_info), (SELECT count(DISTINCT addr) FROM address_info)`)
	if got[0] != "6|6|7|7" {
		t.Errorf("counts flows|flows_enriched|addresses|distinct: %s", got[0])
	}

	// Nothing new: nothing done.
	if st := refresh(t, db, Options{}); st.New != 0 || st.Addresses != 7 || st.Full {
		t.Errorf("idle refresh: %+v", st)
	}

	// New records: only their new addresses are described.
	writeLog(t, data, "0100", v5Header,
		"5 123456789012 eni-a 10.0.1.5 45.137.21.10 40005 443 6 10 900 1793494800 1793494860 ACCEPT OK 10.0.1.5 45.137.21.10 egress 8",
		"5 123456789012 eni-a 10.0.1.5 45.137.21.9 40006 443 6 10 900 1793494800 1793494860 ACCEPT OK 10.0.1.5 45.137.21.9 egress 8",
	)
	ingestDir(t, db, data)
	if st := refresh(t, db, Options{}); st.New != 1 || st.Addresses != 8 {
		t.Errorf("incremental refresh: %+v", st)
	}

	// GeoIP: the databases are recorded and every address is described again.
	dir := t.TempDir()
	country, asn := filepath.Join(dir, "country.mmdb"), filepath.Join(dir, "asn.mmdb")
	enrichtest.WriteMMDB(t, country, "GeoLite2-Country", map[string]mmdbtype.Map{
		"45.137.21.0/24": enrichtest.Country("NL"), "2600:1f18::/33": enrichtest.Country("US"), "3.5.0.0/19": enrichtest.Country("US"),
	})
	enrichtest.WriteMMDB(t, asn, "GeoLite2-ASN", map[string]mmdbtype.Map{"45.137.21.0/24": enrichtest.ASN(64500, "Example Hosting")})
	st = refresh(t, db, Options{GeoIP: []string{country, asn}})
	if !st.Full || st.New != 8 || len(st.GeoIP) != 2 || st.GeoIP[1].Version != "GeoLite2-ASN 2026-08-20" {
		t.Errorf("geoip refresh: %+v", st)
	}
	got = rows(t, db, `SELECT DISTINCT dstaddr, dst_country, dst_asn, dst_as_org FROM flows_enriched WHERE dst_country IS NOT NULL ORDER BY 1`)
	want = []string{"2600:1f18::10|US|-|-", "3.5.0.10|US|-|-", "45.137.21.10|NL|64500|Example Hosting", "45.137.21.9|NL|64500|Example Hosting"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("geo columns:\n got  %q\n want %q", got, want)
	}
	// Later refreshes keep using the recorded databases, without re-describing.
	writeLog(t, data, "0200", v5Header,
		"5 123456789012 eni-a 10.0.1.5 45.137.21.77 40007 443 6 10 900 1793498400 1793498460 ACCEPT OK 10.0.1.5 45.137.21.77 egress 8")
	ingestDir(t, db, data)
	if st := refresh(t, db, Options{}); st.Full || st.New != 1 || len(st.GeoIP) != 2 {
		t.Errorf("refresh with recorded geoip: %+v", st)
	}
	if got := rows(t, db, `SELECT country, asn FROM address_info WHERE addr = '45.137.21.77'`); !reflect.DeepEqual(got, []string{"NL|64500"}) {
		t.Errorf("new address with recorded geoip: %q", got)
	}
	// A database replaced on disk is noticed: everything is described again, with a warning.
	enrichtest.WriteMMDB(t, asn, "GeoLite2-ASN", map[string]mmdbtype.Map{"45.137.21.0/24": enrichtest.ASN(64501, "Renamed Hosting")})
	st = refresh(t, db, Options{})
	if !st.Full || len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "changed on disk") {
		t.Errorf("changed geoip: %+v", st)
	}
	if got := rows(t, db, `SELECT asn, as_org FROM address_info WHERE addr = '45.137.21.9'`); !reflect.DeepEqual(got, []string{"64501|Renamed Hosting"}) {
		t.Errorf("after geoip change: %q", got)
	}
	// A database gone from disk: a warning; what is known stays.
	if err := os.Remove(asn); err != nil {
		t.Fatal(err)
	}
	st = refresh(t, db, Options{})
	if st.Full || len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "no country or AS") {
		t.Errorf("missing geoip: %+v", st)
	}
	if got := rows(t, db, `SELECT asn FROM address_info WHERE addr = '45.137.21.9'`); !reflect.DeepEqual(got, []string{"64501"}) {
		t.Errorf("after geoip removal: %q", got)
	}
	// --no-geoip forgets them.
	if st := refresh(t, db, Options{NoGeoIP: true}); !st.Full || len(st.GeoIP) != 0 {
		t.Errorf("no-geoip: %+v", st)
	}
	if got := rows(t, db, `SELECT count(*) FROM address_info WHERE country IS NOT NULL OR asn IS NOT NULL`); got[0] != "0" {
		t.Errorf("geo kept after --no-geoip: %s", got[0])
	}
	if _, err := Refresh(ctx, db, Options{GeoIP: []string{filepath.Join(dir, "nope.mmdb")}}); err == nil {
		t.Error("a missing --geoip file was accepted")
	}

	// --ip-ranges replaces the shipped ranges; the case records which file and createDate.
	ranges := filepath.Join(dir, "ip-ranges.json")
	if err := os.WriteFile(ranges, []byte(`{"syncToken":"9","createDate":"2030-01-02-03-04-05","prefixes":[
		{"ip_prefix":"45.137.21.0/24","region":"eu-west-1","service":"CLOUDFRONT","network_border_group":"eu-west-1"}],
		"ipv6_prefixes":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	st = refresh(t, db, Options{IPRanges: ranges})
	if !st.Full || st.Ranges.Version != "2030-01-02-03-04-05" || st.Ranges.URI != ranges || st.Ranges.Entries != 1 {
		t.Errorf("ip-ranges refresh: %+v", st)
	}
	got = rows(t, db, `SELECT DISTINCT dst_aws_service, aws_ranges_created FROM flows_enriched WHERE dst_aws_service IS NOT NULL`)
	if !reflect.DeepEqual(got, []string{"CLOUDFRONT|2030-01-02-03-04-05"}) {
		t.Errorf("after --ip-ranges: %q", got)
	}
	// The same file again changes nothing; 'builtin' goes back to the shipped copy.
	if st := refresh(t, db, Options{IPRanges: ranges}); st.Full {
		t.Errorf("same ip-ranges again re-described everything")
	}
	if st := refresh(t, db, Options{IPRanges: Builtin}); !st.Full || st.Ranges.Version != "2026-08-22-15-17-05" {
		t.Errorf("back to builtin: %+v", st)
	}
	got = rows(t, db, `SELECT kind, uri, version, active FROM enrich_sources WHERE kind = 'aws-ip-ranges' ORDER BY loaded_at, rowid`)
	want = []string{
		"aws-ip-ranges|builtin|2026-08-22-15-17-05|false",
		"aws-ip-ranges|" + ranges + "|2030-01-02-03-04-05|false",
		"aws-ip-ranges|builtin|2026-08-22-15-17-05|true",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("enrich_sources:\n got  %q\n want %q", got, want)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"prefixes": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Refresh(ctx, db, Options{IPRanges: bad}); err == nil {
		t.Error("an invalid --ip-ranges file was accepted")
	}
	if got := rows(t, db, `SELECT count(*) FROM aws_ip_ranges`); got[0] != "16828" {
		t.Errorf("a failed refresh changed aws_ip_ranges: %s rows", got[0])
	}
}

func TestRefreshEmptyCaseAndReadOnly(t *testing.T) {
	db := openCase(t)
	st := refresh(t, db, Options{})
	if st.Addresses != 0 || st.New != 0 {
		t.Errorf("empty case: %+v", st)
	}
	if got := rows(t, db, `SELECT count(*) FROM flows_enriched`); got[0] != "0" {
		t.Errorf("flows_enriched on an empty case: %s", got[0])
	}
	path := db.Path
	db.Close()
	ro, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := Refresh(context.Background(), ro, Options{}); err == nil {
		t.Error("refresh on a read-only case succeeded")
	}
}
