//go:build duckdb_arrow

package ioc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/ingest"
	"github.com/flowdig/flowdig/internal/ioc"
	"github.com/flowdig/flowdig/internal/source/local"
	"github.com/flowdig/flowdig/internal/store"
)

// The fixture: host H (10.0.1.5) talks to a C2 directly and to a Tor relay through NAT gateway
// N (10.0.0.9), whose interface logs the relayed traffic with the real endpoints in pkt_*; an
// IPv6 host talks to IPv6 indicators; default-format (v2) logs without pkt_*/flow_direction
// show a host contacting two addresses of an IOC range.
const v5Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-srcaddr pkt-dstaddr flow-direction traffic-path"

var v5Lines = []string{
	"5 111122223333 eni-host 10.0.1.5 45.137.21.9 40001 443 6 10 1000 1793491200 1793491260 ACCEPT OK 10.0.1.5 45.137.21.9 egress 8",
	"5 111122223333 eni-host 45.137.21.9 10.0.1.5 443 40001 6 8 5000 1793491200 1793491260 ACCEPT OK 45.137.21.9 10.0.1.5 ingress -",
	"5 111122223333 eni-nat 10.0.1.5 10.0.0.9 40002 9001 6 5 300 1793491300 1793491360 ACCEPT OK 10.0.1.5 185.220.101.4 ingress -",
	"5 111122223333 eni-nat 10.0.0.9 10.0.1.5 9001 40002 6 4 700 1793491300 1793491360 ACCEPT OK 185.220.101.4 10.0.1.5 egress 1",
	"5 111122223333 eni-nat 10.0.0.9 185.220.101.4 61000 9001 6 5 300 1793491300 1793491360 ACCEPT OK 10.0.0.9 185.220.101.4 egress 8",
	"5 111122223333 eni-nat 185.220.101.4 10.0.0.9 9001 61000 6 4 700 1793491300 1793491360 ACCEPT OK 185.220.101.4 10.0.0.9 ingress -",
	"5 111122223333 eni-v6 2600:1f18:1::5 2a00:1450::5 40003 443 6 3 200 1793491400 1793491460 REJECT OK 2600:1f18:1::5 2a00:1450::5 egress 8",
	"5 111122223333 eni-v6 2a00:1450:4001::7 2600:1f18:1::5 51515 22 6 2 120 1793491400 1793491460 REJECT OK 2a00:1450:4001::7 2600:1f18:1::5 ingress -",
	"5 111122223333 eni-idle - - - - - - - 1793491400 1793491460 - NODATA - - - -",
}

const v2Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

var v2Lines = []string{
	"2 111122223333 eni-dev 10.0.2.7 193.42.33.14 50000 3333 6 20 2000 1793494800 1793494860 ACCEPT OK",
	"2 111122223333 eni-dev 193.42.33.14 10.0.2.7 3333 50000 6 15 1500 1793494800 1793494860 ACCEPT OK",
	"2 111122223333 eni-dev 10.0.2.7 193.42.33.20 50001 3333 6 20 2100 1793498400 1793498460 ACCEPT OK",
	"2 111122223333 eni-web 198.51.100.23 10.0.1.15 60000 8080 6 1 40 1793498400 1793498460 REJECT OK",
}

const aptCSV = `threat_ip,threat_comment
45.137.21.9,"C2, HTTPS"
185.220.101.4,Tor exit
193.42.33.0/24,Mining pool
2a00:1450::5/128,IPv6 exact
2a00:1450:4001::/48,IPv6 range
91.215.85.17,never seen
not-an-address,bad line
`

const overlapText = `# nested ranges around one address
185.220.0.0/16
185.220.101.0/24 # the /24
185.220.101.4
185.220.101.4/32
`

const everythingText = "0.0.0.0/0\n::/0\n"

const nowhereSTIX = `{"type": "bundle", "id": "bundle--n", "objects": [
  {"type": "indicator", "id": "indicator--1", "name": "doc address", "pattern": "[ipv4-addr:value = '192.0.2.1']", "pattern_type": "stix"},
  {"type": "indicator", "id": "indicator--2", "name": "doc v6 range", "pattern": "[ipv6-addr:value ISSUBSET '2001:db8:ffff::/48']", "pattern_type": "stix"},
  {"type": "indicator", "id": "indicator--3", "name": "cgnat", "pattern": "[ipv4-addr:value ISSUBSET '100.64.0.0/10']", "pattern_type": "stix"}
]}`

func writeLog(t *testing.T, dir, name, header string, lines []string) {
	t.Helper()
	p := filepath.Join(dir, "AWSLogs", "111122223333", "vpcflowlogs", "eu-west-1", "2026", "11", "01",
		"111122223333_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20261101T"+name+"Z_abcd1234.log")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(header+"\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

type fixture struct {
	t    *testing.T
	db   *store.DB
	data string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "case.duckdb"), store.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &fixture{t: t, db: db, data: t.TempDir()}
}

// ingest loads the fixture logs and refreshes enrichment, as an ingest does.
func (f *fixture) ingest() {
	f.t.Helper()
	writeLog(f.t, f.data, "0000", v5Header, v5Lines)
	writeLog(f.t, f.data, "0100", v2Header, v2Lines)
	sum, err := ingest.Run(context.Background(), f.db, local.New([]string{f.data}), ingest.Options{})
	if err != nil || sum.Quarantined != 0 {
		f.t.Fatalf("ingest: %v, %+v", err, sum)
	}
	f.refresh()
}

func (f *fixture) refresh() {
	f.t.Helper()
	if _, err := enrich.Refresh(context.Background(), f.db, enrich.Options{Version: "test"}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) add(name, body string, replace bool) (*ioc.Added, error) {
	f.t.Helper()
	l, err := ioc.Parse([]byte(body), ioc.Options{})
	if err != nil {
		f.t.Fatal(err)
	}
	return ioc.AddList(context.Background(), f.db, name, l, ioc.Source{URI: name, SHA256: "x"}, ioc.AddOptions{Replace: replace, Version: "test"})
}

func (f *fixture) mustAdd(name, body string) *ioc.Added {
	f.t.Helper()
	a, err := f.add(name, body, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) rows(q string, args ...any) []string {
	f.t.Helper()
	r, err := f.db.SQL.QueryContext(context.Background(), q, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", q, err)
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
			f.t.Fatal(err)
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
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) expect(what string, got, want []string) {
	f.t.Helper()
	if !reflect.DeepEqual(got, want) {
		f.t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

const hitCols = `SELECT indicator, ioc_side, matched_on, ioc_address, direction, internal_address, internal_port, ioc_port, action, bytes, interface_id
FROM ioc_hits WHERE list = ? ORDER BY start_time, interface_id, internal_address, ioc_side`

func TestSweep(t *testing.T) {
	f := newFixture(t)
	f.ingest()
	a := f.mustAdd("apt", aptCSV)
	if a.Indicators != 6 || a.SeenIndicators != 5 || a.Matches != 6 {
		t.Errorf("apt: %+v", a)
	}
	f.expect("apt hits", f.rows(hitCols, "apt"), []string{
		// direct: the interface's own addresses, direction from flow_direction
		"45.137.21.9|destination|dstaddr+pkt_dstaddr|45.137.21.9|outbound|10.0.1.5|40001|443|ACCEPT|1000|eni-host",
		"45.137.21.9|source|srcaddr+pkt_srcaddr|45.137.21.9|inbound|10.0.1.5|40001|443|ACCEPT|5000|eni-host",
		// through the NAT gateway: the instance side shows the indicator only in pkt_*; the
		// internal address is the real host, not the NAT gateway
		"185.220.101.4|destination|dstaddr+pkt_dstaddr|185.220.101.4|outbound|10.0.0.9|61000|9001|ACCEPT|300|eni-nat",
		"185.220.101.4|source|srcaddr+pkt_srcaddr|185.220.101.4|inbound|10.0.0.9|61000|9001|ACCEPT|700|eni-nat",
		"185.220.101.4|destination|pkt_dstaddr|185.220.101.4|outbound|10.0.1.5|40002|9001|ACCEPT|300|eni-nat",
		"185.220.101.4|source|pkt_srcaddr|185.220.101.4|inbound|10.0.1.5|40002|9001|ACCEPT|700|eni-nat",
		// IPv6: a /128 and a /48
		"2a00:1450::5|destination|dstaddr+pkt_dstaddr|2a00:1450::5|outbound|2600:1f18:1::5|40003|443|REJECT|200|eni-v6",
		"2a00:1450:4001::/48|source|srcaddr+pkt_srcaddr|2a00:1450:4001::7|inbound|2600:1f18:1::5|22|51515|REJECT|120|eni-v6",
		// v2 records: no pkt_*, no flow_direction; a CIDR indicator, two of its addresses
		"193.42.33.0/24|destination|dstaddr|193.42.33.14|outbound|10.0.2.7|50000|3333|ACCEPT|2000|eni-dev",
		"193.42.33.0/24|source|srcaddr|193.42.33.14|inbound|10.0.2.7|50000|3333|ACCEPT|1500|eni-dev",
		"193.42.33.0/24|destination|dstaddr|193.42.33.20|outbound|10.0.2.7|50001|3333|ACCEPT|2100|eni-dev",
	})
	f.expect("hit context", f.rows(`SELECT DISTINCT account, region, list, comment FROM ioc_hits WHERE indicator = '45.137.21.9'`),
		[]string{"111122223333|eu-west-1|apt|C2, HTTPS"})
	f.expect("apt summary", f.rows(`SELECT indicator, seen, records, internal_hosts, bytes_out, bytes_in, accepted, rejected, ioc_addresses, hosts, comment
		FROM ioc_summary WHERE list = 'apt' ORDER BY line_no`), []string{
		"45.137.21.9|true|2|1|1000|5000|2|0|1|[10.0.1.5]|C2, HTTPS",
		"185.220.101.4|true|4|2|600|1400|4|0|1|[10.0.0.9 10.0.1.5]|Tor exit",
		"193.42.33.0/24|true|3|1|4100|1500|3|0|2|[10.0.2.7]|Mining pool",
		"2a00:1450::5|true|1|1|200|0|0|1|1|[2600:1f18:1::5]|IPv6 exact",
		"2a00:1450:4001::/48|true|1|1|0|120|0|1|1|[2600:1f18:1::5]|IPv6 range",
		"91.215.85.17|false|0|0|0|0|0|0|0|-|never seen",
	})
	f.expect("first/last seen", f.rows(`SELECT epoch(first_seen), epoch(last_seen) FROM ioc_summary WHERE indicator = '193.42.33.0/24'`),
		[]string{"1.7934948e+09|1.79349846e+09"})
	f.expect("rejects", f.rows(`SELECT line_no, kind, text FROM ioc_rejects`), []string{"8|bad|not-an-address,bad line"})

	// The playbook's incident_iocs and its directional view (the case's view, made from the
	// catalogue entry ioc-directional, verbatim but for the table name): exact-text matching, which finds the CIDR's addresses through incident_iocs' extra rows but
	// not the NAT gateway's pkt_* traffic.
	f.expect("incident_iocs", f.rows(`SELECT threat_ip, threat_comment FROM incident_iocs WHERE indicator = '193.42.33.0/24' ORDER BY 1`),
		[]string{"193.42.33.0/24|Mining pool", "193.42.33.14|Mining pool", "193.42.33.20|Mining pool"})
	f.expect("playbook view", f.rows(`SELECT direction, connecting_ip, destination FROM incident_vpc_flow_directional
		ORDER BY startTime, endTime, sessionTime, interfaceid, connecting_ip, direction`), []string{
		"INBOUND|10.0.1.5|45.137.21.9:443",
		"OUTBOUND|10.0.1.5|10.0.1.5:40001",
		"INBOUND|10.0.0.9|185.220.101.4:9001",
		"OUTBOUND|10.0.0.9|10.0.0.9:61000",
		"INBOUND|2600:1f18:1::5|2a00:1450::5:443",
		"OUTBOUND|2600:1f18:1::5|2600:1f18:1::5:22",
		"INBOUND|10.0.2.7|193.42.33.14:3333",
		"OUTBOUND|10.0.2.7|10.0.2.7:50000",
		"INBOUND|10.0.2.7|193.42.33.20:3333",
	})

	// Overlapping indicators: every one containing the address is a hit.
	o := f.mustAdd("overlap", overlapText)
	if o.Indicators != 3 || o.SeenIndicators != 3 {
		t.Errorf("overlap: %+v", o)
	}
	f.expect("overlap summary", f.rows(`SELECT indicator, records, internal_hosts, bytes_out, bytes_in FROM ioc_summary WHERE list = 'overlap' ORDER BY line_no`), []string{
		"185.220.0.0/16|4|2|600|1400", "185.220.101.0/24|4|2|600|1400", "185.220.101.4|4|2|600|1400",
	})

	// /0: every address; where flow_direction exists and the match is on the interface's own
	// address, it decides the direction.
	e := f.mustAdd("everything", everythingText)
	if e.Indicators != 2 || e.SeenIndicators != 2 {
		t.Errorf("everything: %+v", e)
	}
	f.expect("/0 hits", f.rows(`SELECT indicator, direction, count(*) FROM ioc_hits WHERE list = 'everything' GROUP BY ALL ORDER BY ALL`), []string{
		"0.0.0.0/0|inbound|10", "0.0.0.0/0|outbound|10", "::/0|inbound|2", "::/0|outbound|2",
	})
	f.expect("/0 by record", f.rows(`SELECT interface_id, flow_direction, ioc_side, direction FROM ioc_hits
		WHERE list = 'everything' AND interface_id IN ('eni-host', 'eni-dev') AND bytes IN (1000, 2000) ORDER BY ALL`), []string{
		"eni-dev|-|destination|outbound", "eni-dev|-|source|inbound",
		"eni-host|egress|destination|outbound", "eni-host|egress|source|outbound",
	})

	// A list whose indicators appear nowhere: no hit, and every indicator reported unseen.
	n := f.mustAdd("nowhere", nowhereSTIX)
	if n.Indicators != 3 || n.SeenIndicators != 0 || n.Matches != 0 {
		t.Errorf("nowhere: %+v", n)
	}
	f.expect("nowhere hits", f.rows(`SELECT count(*) FROM ioc_hits WHERE list = 'nowhere'`), []string{"0"})
	f.expect("nowhere summary", f.rows(`SELECT indicator, seen, records, comment FROM ioc_summary WHERE list = 'nowhere' ORDER BY indicator`), []string{
		"100.64.0.0/10|false|0|cgnat", "192.0.2.1|false|0|doc address", "2001:db8:ffff::/48|false|0|doc v6 range",
	})

	// Names are unique unless replaced; replacing and removing take the matches along.
	if _, err := f.add("overlap", "185.220.101.4\n", false); !errors.Is(err, ioc.ErrListExists) {
		t.Errorf("adding an existing list: %v", err)
	}
	r, err := f.add("overlap", "185.220.101.0/24\n", true)
	if err != nil || !r.Replaced || r.Indicators != 1 {
		t.Fatalf("replace: %+v %v", r, err)
	}
	f.expect("replaced", f.rows(`SELECT indicator, count(*) FROM ioc_hits WHERE list = 'overlap' GROUP BY 1`), []string{"185.220.101.0/24|4"})
	if _, err := ioc.RemoveLists(context.Background(), f.db, []string{"everything", "no-such-list"}); !errors.Is(err, ioc.ErrNoList) {
		t.Errorf("removing an unknown list: %v", err)
	}
	if got := f.rows(`SELECT count(*) FROM ioc_lists WHERE name = 'everything'`); got[0] != "1" {
		t.Error("a failed remove removed something")
	}
	removed, err := ioc.RemoveLists(context.Background(), f.db, []string{"everything", "overlap"})
	if err != nil || len(removed) != 2 || removed[0].Indicators != 2 {
		t.Fatalf("remove: %+v %v", removed, err)
	}
	f.expect("after remove", f.rows(`SELECT l.name, count(m.addr) FROM ioc_lists l LEFT JOIN ioc_matches m USING (list_id) GROUP BY 1 ORDER BY 1`),
		[]string{"apt|6", "nowhere|0"})
	f.expect("no orphans", f.rows(`SELECT (SELECT count(*) FROM ioc_matches WHERE list_id NOT IN (SELECT list_id FROM ioc_lists)),
		(SELECT count(*) FROM ioc_indicators WHERE list_id NOT IN (SELECT list_id FROM ioc_lists))`), []string{"0|0"})
}

// TestListBeforeRecords: a list added to an empty case matches records ingested later, once the
// ingest's refresh has run.
func TestListBeforeRecords(t *testing.T) {
	f := newFixture(t)
	f.refresh()
	a := f.mustAdd("apt", aptCSV)
	if a.AddressesTested != 0 || a.Matches != 0 {
		t.Errorf("empty case: %+v", a)
	}
	f.ingest()
	f.expect("hits after ingest", f.rows(`SELECT indicator, count(*) FROM ioc_hits GROUP BY 1 ORDER BY 1`), []string{
		"185.220.101.4|4", "193.42.33.0/24|3", "2a00:1450:4001::/48|1", "2a00:1450::5|1", "45.137.21.9|2",
	})
}
