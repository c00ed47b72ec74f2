//go:build duckdb_arrow

package cli_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/flowdig/flowdig/internal/enrich/enrichtest"
)

// The fixture (main_test.go) has 10.0.0.5 talking to 203.0.113.9 (five records, three above
// 2^31 bytes), a DNS query to 198.51.100.7, and 192.168.1.1 reaching 10.0.0.55 (rejected).
const cliCSV = `threat_ip,threat_comment
203.0.113.9,"Exfil endpoint, CERT report"
198.51.100.0/24,DNS resolver range
2001:db8::66,never seen (IPv6)
999.1.1.1,bad address
"10.9.9.9,unterminated
`

func TestIOCCommands(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)
	dir := t.TempDir()
	csvPath := writeFile(t, filepath.Join(dir, "iocs.csv"), []byte(cliCSV))

	// add: bad lines named by line number, the accepted count printed, exit 0.
	r := inproc(t, "", "ioc", "add", "--db", db, "--list", "apt-x", csvPath).must(t, "ioc add csv")
	for _, want := range []string{
		`line 5: "999.1.1.1,bad address": not an IPv4/IPv6 address or CIDR: IPv4 field has value >255`,
		`line 6: "\"10.9.9.9,unterminated": unterminated quoted field`,
		`added list "apt-x": 3 indicators accepted from ` + csvPath + ` (csv): 2 addresses, 1 CIDRs, 2 IPv4, 1 IPv6; 2 bad lines skipped`,
		"2 indicators seen, 1 never seen",
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("ioc add output lacks %q:\n%s", want, r.err)
		}
	}
	// The same name again fails; --replace replaces.
	if r := inproc(t, "", "ioc", "add", "--db", db, "--list", "apt-x", csvPath); r.code != 1 || !strings.Contains(r.err, "already exists") {
		t.Errorf("duplicate list: exit %d\n%s", r.code, r.err)
	}
	inproc(t, "", "ioc", "add", "--db", db, "--list", "apt-x", "--replace", csvPath).must(t, "ioc add --replace")

	// Plain text from stdin and a STIX bundle, detected from their content.
	r = inproc(t, "# feed\n10.0.0.55 # the rejected target\n10.0.0.0/33\n", "ioc", "add", "--db", db, "--list", "text", "-").must(t, "ioc add text")
	if !strings.Contains(r.err, `line 3: "10.0.0.0/33"`) || !strings.Contains(r.err, "1 indicators accepted from - (text)") {
		t.Errorf("text list:\n%s", r.err)
	}
	stix := writeFile(t, filepath.Join(dir, "feed.json"), []byte(`{"type":"bundle","id":"bundle--1","objects":[
{"type":"indicator","id":"indicator--1","name":"Phishing host","pattern_type":"stix","pattern":"[ipv4-addr:value = '192.0.2.77']"},
{"type":"indicator","id":"indicator--2","name":"bad","pattern_type":"stix","pattern":"[ipv4-addr:value = '192.0.2']"}]}`))
	r = inproc(t, "", "ioc", "add", "--db", db, "--list", "stix", stix).must(t, "ioc add stix")
	if !strings.Contains(r.err, "line 3:") || !strings.Contains(r.err, "1 indicators accepted") || !strings.Contains(r.err, "0 indicators seen, 1 never seen") {
		t.Errorf("stix list:\n%s", r.err)
	}

	// Failures: no indicators, --strict, missing --list, bad --format, unreadable or invalid file.
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ioc", "add", "--db", db, "--list", "empty", writeFile(t, filepath.Join(dir, "empty.txt"), []byte("# nothing\nnope\n"))}, 1, "no indicators accepted"},
		{[]string{"ioc", "add", "--db", db, "--list", "strict", "--strict", csvPath}, 1, "--strict: 2 bad lines"},
		{[]string{"ioc", "add", "--db", db, csvPath}, 2, "--list NAME is required"},
		{[]string{"ioc", "add", "--db", db, "--list", "x", "--format", "xml", csvPath}, 2, "unknown list format"},
		{[]string{"ioc", "add", "--db", db, "--list", "x", filepath.Join(dir, "missing.csv")}, 1, "no such file"},
		{[]string{"ioc", "add", "--db", db, "--list", "x", "--format", "stix", csvPath}, 1, "invalid JSON"},
		{[]string{"ioc", "list", "--db", db, "nope"}, 1, "no such list"},
		{[]string{"ioc", "remove", "--db", db, "nope"}, 1, "no such list"},
		{[]string{"ioc", "sweep", "--db", db, "--list", "nope"}, 1, "no such list"},
		{[]string{"ioc", "frobnicate", "--db", db}, 2, "unknown ioc command"},
		{[]string{"ioc", "sweep", "--db", filepath.Join(dir, "typo.duckdb")}, 1, "no case database"},
		{[]string{"ioc", "summary", "--db", filepath.Join(dir, "typo.duckdb")}, 1, "no case database"},
		{[]string{"ioc", "list", "--db", filepath.Join(dir, "typo.duckdb")}, 1, "no case database"},
		{[]string{"enrich", "--db", filepath.Join(dir, "typo.duckdb")}, 1, "no case database"},
	} {
		r := inproc(t, "", c.args...)
		if r.code != c.code || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", c.args, r.code, c.code, c.want, r.err)
		}
	}

	if exists(filepath.Join(dir, "typo.duckdb")) {
		t.Error("a report on a missing case created it")
	}

	// list
	lists := decodeJSON(t, inproc(t, "", "ioc", "list", "--db", db, "--format", "json").must(t, "ioc list").out)
	var names []string
	for _, l := range lists {
		names = append(names, text(l["list"])+":"+text(l["indicators"])+":"+text(l["seen"])+":"+text(l["bad_lines"]))
	}
	if want := []string{"apt-x:3:2:2", "stix:1:0:1", "text:1:1:1"}; !reflect.DeepEqual(names, want) {
		t.Errorf("ioc list: %v, want %v", names, want)
	}
	inds := decodeJSON(t, inproc(t, "", "ioc", "list", "--db", db, "--format", "json", "apt-x").must(t, "ioc list NAME").out)
	if len(inds) != 3 || text(inds[1]["indicator"]) != "198.51.100.0/24" || text(inds[1]["addresses_seen"]) != "1" {
		t.Errorf("ioc list apt-x: %v", inds)
	}
	rej := decodeJSON(t, inproc(t, "", "ioc", "list", "--db", db, "--format", "json", "--rejects", "apt-x").must(t, "ioc list --rejects").out)
	if len(rej) != 2 || text(rej[0]["line_no"]) != "5" || text(rej[1]["line_no"]) != "6" {
		t.Errorf("ioc list --rejects: %v", rej)
	}

	// sweep: every matching record, labelled from our side.
	r = inproc(t, "", "ioc", "sweep", "--db", db, "--format", "json", "--list", "apt-x").must(t, "ioc sweep")
	hits := decodeJSON(t, r.out)
	var got []string
	for _, h := range hits {
		got = append(got, strings.Join([]string{text(h["indicator"]), text(h["direction"]), text(h["internal_address"]),
			text(h["internal_port"]), text(h["ioc_port"]), text(h["bytes"]), text(h["action"]), text(h["account"]), text(h["region"]), text(h["interface_id"])}, " "))
	}
	want := []string{
		"203.0.113.9 outbound 10.0.0.5 44321 443 3000000000 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"203.0.113.9 outbound 10.0.0.6 40000 443 99999999999 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"203.0.113.9 inbound 10.0.0.5 44321 443 1000 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"203.0.113.9 inbound 10.0.0.5 44322 443 501 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"203.0.113.9 outbound 10.0.0.5 44322 443 2500000001 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"203.0.113.9 outbound 10.0.0.5 44323 443 2147483648 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
		"198.51.100.0/24 outbound 10.0.0.5 51000 53 10 ACCEPT 123456789012 us-east-1 eni-0a1b2c3d",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sweep:\n got  %q\n want %q", got, want)
	}
	if !strings.Contains(r.err, "7 hits") {
		t.Errorf("sweep footer: %s", r.err)
	}

	// summary: per indicator, including the one never seen.
	r = inproc(t, "", "ioc", "summary", "--db", db, "--format", "json", "--list", "apt-x").must(t, "ioc summary")
	got = nil
	for _, s := range decodeJSON(t, r.out) {
		got = append(got, strings.Join([]string{text(s["indicator"]), text(s["seen"]), text(s["records"]), text(s["internal_hosts"]),
			text(s["bytes_out"]), text(s["bytes_in"]), text(s["accepted"]), text(s["rejected"]), text(s["first_seen"]), text(s["comment"])}, " | "))
	}
	want = []string{
		"203.0.113.9 | true | 6 | 2 | 107647483648 | 1501 | 6 | 0 | 2026-01-01T00:00:00Z | Exfil endpoint, CERT report",
		"198.51.100.0/24 | true | 1 | 1 | 10 | 0 | 1 | 0 | 2026-01-01T01:00:00Z | DNS resolver range",
		"2001:db8::66 | false | 0 | 0 | 0 | 0 | 0 | 0 | null | never seen (IPv6)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary:\n got  %q\n want %q", got, want)
	}
	if !strings.Contains(r.err, "2 of 3 indicators seen in the records; 1 never seen") {
		t.Errorf("summary footer: %s", r.err)
	}

	// The playbook's table, and records ingested after the list: the next sweep sees them.
	if got := scalar(t, db, "SELECT string_agg(threat_ip, ' ' ORDER BY threat_ip) FROM incident_iocs WHERE list_name = 'apt-x'"); got != "198.51.100.0/24 198.51.100.7 2001:db8::66 203.0.113.9" {
		t.Errorf("incident_iocs: %s", got)
	}
	more := t.TempDir()
	writeFile(t, filepath.Join(more, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "01", "02",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260102T0000Z_ffff0000.log.gz"),
		gzipBytes(t, defaultHeader+"\n2 123456789012 eni-0a1b2c3d 10.0.0.8 198.51.100.99 40000 53 17 1 77 1767312000 1767312060 ACCEPT OK\n"))
	inproc(t, "", "ingest", "--progress", "none", "--db", db, more).must(t, "ingest more")
	r = inproc(t, "", "ioc", "summary", "--db", db, "--format", "json", "--list", "apt-x").must(t, "summary after ingest")
	if s := decodeJSON(t, r.out); text(s[1]["records"]) != "2" || text(s[1]["internal_hosts"]) != "2" {
		t.Errorf("summary after a later ingest: %v", s[1])
	}

	// remove
	r = inproc(t, "", "ioc", "remove", "--db", db, "text", "stix").must(t, "ioc remove")
	if !strings.Contains(r.err, `removed list "text" (1 indicators)`) {
		t.Errorf("remove: %s", r.err)
	}
	if got := scalar(t, db, "SELECT string_agg(name, ',') FROM ioc_lists"); got != "apt-x" {
		t.Errorf("after remove: %s", got)
	}
}

func TestEnrichCommand(t *testing.T) {
	t.Parallel()
	db := fixtureCase(t)
	dir := t.TempDir()
	mmdb := filepath.Join(dir, "country.mmdb")
	enrichtest.WriteMMDB(t, mmdb, "GeoLite2-Country", map[string]mmdbtype.Map{"203.0.113.0/24": enrichtest.Country("AU")})
	asn := filepath.Join(dir, "asn.mmdb")
	enrichtest.WriteMMDB(t, asn, "GeoLite2-ASN", map[string]mmdbtype.Map{"203.0.113.0/25": enrichtest.ASN(64496, "Documentation AS")})

	r := inproc(t, "", "enrich", "--db", db, "--format", "json", "--geoip", mmdb, "--geoip", asn).must(t, "enrich --geoip")
	var got []string
	for _, row := range decodeJSON(t, r.out) {
		got = append(got, text(row["class"])+"/"+text(row["range"])+"/"+text(row["addresses"])+"/"+text(row["with_country"])+"/"+text(row["with_asn"]))
	}
	// 10.0.0.5, .6, .55, 192.168.1.1 are private; 203.0.113.9 and 198.51.100.7 are documentation
	// addresses: special, so no AWS or GeoIP lookup is made for them.
	if want := []string{"private/RFC 1918/4/0/0", "special/documentation (RFC 5737)/2/0/0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("enrich breakdown: %v, want %v", got, want)
	}
	for _, want := range []string{"AWS ip-ranges: builtin, createDate 2026-08-22-15-17-05", "GeoIP: " + mmdb + ", GeoLite2-Country 2026-08-20", "GeoIP: " + asn + ", GeoLite2-ASN 2026-08-20"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("enrich output lacks %q:\n%s", want, r.err)
		}
	}
	if got := scalar(t, db, "SELECT count(*) FROM flows_enriched WHERE src_class = 'private' AND dst_range = 'documentation (RFC 5737)'"); got != "5" {
		t.Errorf("flows_enriched: %s", got)
	}

	// A public address the shipped ranges know, added by a later ingest, described with the
	// recorded GeoIP databases.
	more := t.TempDir()
	writeFile(t, filepath.Join(more, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "01", "02",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260102T0000Z_eeee0000.log.gz"),
		gzipBytes(t, defaultHeader+"\n2 123456789012 eni-0a1b2c3d 10.0.0.5 3.5.0.10 40000 443 6 1 77 1767312000 1767312060 ACCEPT OK\n"))
	inproc(t, "", "ingest", "--progress", "none", "--db", db, more).must(t, "ingest more")
	inproc(t, "", "enrich", "--db", db).must(t, "enrich again")
	if got := query(t, db, "SELECT dst_aws_service, dst_aws_region, aws_ranges_created FROM flows_enriched WHERE dst_aws_service = 'S3' LIMIT 10"); len(got) != 1 ||
		text(got[0]["dst_aws_region"]) != "us-east-1" || text(got[0]["aws_ranges_created"]) != "2026-08-22-15-17-05" {
		t.Errorf("S3 via flows_enriched: %v", got)
	}

	// --ip-ranges replaces the shipped copy; the new createDate shows.
	ranges := writeFile(t, filepath.Join(dir, "ip-ranges.json"), []byte(`{"syncToken":"1","createDate":"2031-01-01-00-00-00",
		"prefixes":[{"ip_prefix":"3.5.0.0/16","region":"eu-west-3","service":"EC2","network_border_group":"eu-west-3"}],"ipv6_prefixes":[]}`))
	r = inproc(t, "", "enrich", "--db", db, "--ip-ranges", ranges).must(t, "enrich --ip-ranges")
	if !strings.Contains(r.err, "createDate 2031-01-01-00-00-00, 1 prefixes") || !strings.Contains(r.err, "re-described") {
		t.Errorf("enrich --ip-ranges:\n%s", r.err)
	}
	if got := scalar(t, db, "SELECT dst_aws_service || ' ' || dst_aws_region || ' ' || aws_ranges_created FROM flows_enriched WHERE dstaddr = '3.5.0.10'"); got != "EC2 eu-west-3 2031-01-01-00-00-00" {
		t.Errorf("after --ip-ranges: %s", got)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"enrich", "--db", db, "--geoip", mmdb, "--no-geoip"}, 2, "exclude each other"},
		{[]string{"enrich", "--db", db, "--geoip", ranges}, 1, "not a MaxMind-format"},
		{[]string{"enrich", "--db", db, "--ip-ranges", mmdb}, 1, "not an ip-ranges.json file"},
		{[]string{"enrich", "--db", db, "extra"}, 2, "unknown command"},
	} {
		r := inproc(t, "", c.args...)
		if r.code != c.code || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", c.args, r.code, c.code, c.want, r.err)
		}
	}
}
