//go:build duckdb_arrow

package ingest

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/store"
)

const (
	shapeV5     = "flow-direction traffic-path version account-id interface-id pkt-srcaddr srcaddr pkt-dstaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id"
	shapeV5Same = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id pkt-srcaddr pkt-dstaddr flow-direction traffic-path"
	shapeTGW    = "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service"
	shapeNewer  = "version srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status encryption-status next-hop-vpc-id"
)

// shapeFile writes a gzip text object with a header line.
func shapeFile(t *testing.T, path, format string, lines ...string) string {
	t.Helper()
	return writeFile(t, path, gz(t, format+"\n"+strings.Join(lines, "\n")+"\n"))
}

// checkRow asserts the flows row selected by where: the given columns have these values and
// every other catalogue column is NULL.
func checkRow(t *testing.T, db *store.DB, where string, want map[string]string) {
	t.Helper()
	var cols []string
	for _, f := range flowlog.Fields() {
		cols = append(cols, `"`+f.Column+`"`)
	}
	got := flowsRow(t, db, cols, where)
	seen := 0
	for i, f := range flowlog.Fields() {
		w, ok := want[f.Column]
		if ok {
			seen++
		} else {
			w = "NULL"
		}
		if got[i] != w {
			t.Errorf("%s: %s = %s, want %s", where, f.Column, got[i], w)
		}
	}
	if seen != len(want) {
		t.Fatalf("%s: expectation names a column that is not in the catalogue: %v", where, want)
	}
}

// tableSources maps each shape table to the base names of the objects whose rows it holds.
func tableSources(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range queryStrings(t, db, `SELECT table_name FROM flow_shapes ORDER BY shape_id`) {
		var names []string
		for _, u := range queryStrings(t, db, `SELECT DISTINCT s.uri FROM `+table+` r JOIN sources s USING (source_id)`) {
			names = append(names, filepath.Base(u))
		}
		sort.Strings(names)
		out[table] = strings.Join(names, ",")
	}
	return out
}

// One run over default, custom v5, Transit Gateway and newer-than-flowdig formats: every value
// lands under its Athena name, NULL where a format lacks the field, unknown fields in extra, one
// shape table per column set, and filters work across all of them.
func TestMixedShapes(t *testing.T) {
	dir := t.TempDir()
	shapeFile(t, filepath.Join(dir, "a-default.log.gz"), header,
		"2 111122223333 eni-def 10.0.0.1 10.0.0.2 443 50000 6 10 4000 1762000000 1762000060 ACCEPT OK",
		"2 111122223333 eni-def - - - - - - - 1762000000 1762000060 - NODATA")
	shapeFile(t, filepath.Join(dir, "b-default.log.gz"), header,
		"2 111122223333 eni-def2 10.0.0.3 10.0.0.4 22 50001 6 1 60 1762000100 1762000160 REJECT OK")
	shapeFile(t, filepath.Join(dir, "c-v5.log.gz"), shapeV5,
		"egress 8 5 111122223333 eni-v5 10.0.1.5 10.0.1.5 52.94.1.1 52.94.1.1 40000 443 6 12 3400 1762000200 1762000260 ACCEPT OK vpc-0v5",
		"ingress - 5 111122223333 eni-v5 198.51.100.9 10.0.1.6 10.0.1.5 10.0.1.5 51000 8443 6 4 240 1762000200 1762000260 REJECT OK vpc-0v5")
	shapeFile(t, filepath.Join(dir, "d-v5-reordered.log.gz"), shapeV5Same,
		"5 111122223333 eni-v5b 10.0.2.5 10.0.2.6 80 40001 6 2 100 1762000300 1762000360 ACCEPT OK vpc-0v5 10.0.2.5 203.0.113.50 egress 1")
	shapeFile(t, filepath.Join(dir, "e-tgw.log.gz"), shapeTGW,
		"6 TransitGatewayAttachment 123456789012 tgw-0abc tgw-attach-1 111122223333 444455556666 vpc-src vpc-dst subnet-src subnet-dst eni-src eni-dst use1-az1 use1-az2 tgw-attach-2 10.0.1.5 10.1.0.9 50000 5432 6 7 900 1762000400 1762000460 OK IPv4 0 1 2 3 19 us-east-1 ingress - -")
	writeFile(t, filepath.Join(dir, "f-newer.log"), []byte(shapeNewer+"\n"+
		"11 10.0.3.1 10.0.3.2 443 50002 6 5 500 1762000500 1762000560 ACCEPT OK 1 vpc-0next\n"+
		"11 10.0.3.3 10.0.3.4 443 50003 6 5 500 1762000500 1762000560 ACCEPT OK - -\n"))
	db := openDB(t)
	sum := run(t, db, Options{}, dir)
	if sum.Objects != 6 || sum.Records != 9 || sum.Quarantined != 0 {
		t.Fatalf("summary %+v", sum)
	}

	checkRow(t, db, "srcaddr = '10.0.0.1'", map[string]string{"version": "2", "account_id": "111122223333",
		"interface_id": "eni-def", "srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2", "srcport": "443", "dstport": "50000",
		"protocol": "6", "packets": "10", "bytes": "4000", "start": "1762000000", "end": "1762000060",
		"action": "ACCEPT", "log_status": "OK"})
	checkRow(t, db, "log_status = 'NODATA'", map[string]string{"version": "2", "account_id": "111122223333",
		"interface_id": "eni-def", "start": "1762000000", "end": "1762000060", "log_status": "NODATA"})
	checkRow(t, db, "flow_direction = 'ingress' AND interface_id = 'eni-v5'", map[string]string{"version": "5",
		"account_id": "111122223333", "interface_id": "eni-v5", "pkt_srcaddr": "198.51.100.9", "srcaddr": "10.0.1.6",
		"pkt_dstaddr": "10.0.1.5", "dstaddr": "10.0.1.5", "srcport": "51000", "dstport": "8443", "protocol": "6",
		"packets": "4", "bytes": "240", "start": "1762000200", "end": "1762000260", "action": "REJECT",
		"log_status": "OK", "vpc_id": "vpc-0v5", "flow_direction": "ingress"})
	checkRow(t, db, "interface_id = 'eni-v5b'", map[string]string{"version": "5", "account_id": "111122223333",
		"interface_id": "eni-v5b", "srcaddr": "10.0.2.5", "dstaddr": "10.0.2.6", "srcport": "80", "dstport": "40001",
		"protocol": "6", "packets": "2", "bytes": "100", "start": "1762000300", "end": "1762000360", "action": "ACCEPT",
		"log_status": "OK", "vpc_id": "vpc-0v5", "pkt_srcaddr": "10.0.2.5", "pkt_dstaddr": "203.0.113.50",
		"flow_direction": "egress", "traffic_path": "1"})
	checkRow(t, db, "tgw_id IS NOT NULL", map[string]string{"version": "6", "resource_type": "TransitGatewayAttachment",
		"account_id": "123456789012", "tgw_id": "tgw-0abc", "tgw_attachment_id": "tgw-attach-1",
		"tgw_src_vpc_account_id": "111122223333", "tgw_dst_vpc_account_id": "444455556666", "tgw_src_vpc_id": "vpc-src",
		"tgw_dst_vpc_id": "vpc-dst", "tgw_src_subnet_id": "subnet-src", "tgw_dst_subnet_id": "subnet-dst",
		"tgw_src_eni": "eni-src", "tgw_dst_eni": "eni-dst", "tgw_src_az_id": "use1-az1", "tgw_dst_az_id": "use1-az2",
		"tgw_pair_attachment_id": "tgw-attach-2", "srcaddr": "10.0.1.5", "dstaddr": "10.1.0.9", "srcport": "50000",
		"dstport": "5432", "protocol": "6", "packets": "7", "bytes": "900", "start": "1762000400", "end": "1762000460",
		"log_status": "OK", "type": "IPv4", "packets_lost_no_route": "0", "packets_lost_blackhole": "1",
		"packets_lost_mtu_exceeded": "2", "packets_lost_ttl_expired": "3", "tcp_flags": "19", "region": "us-east-1",
		"flow_direction": "ingress"})
	checkRow(t, db, "srcaddr = '10.0.3.1'", map[string]string{"version": "11", "srcaddr": "10.0.3.1", "dstaddr": "10.0.3.2",
		"srcport": "443", "dstport": "50002", "protocol": "6", "packets": "5", "bytes": "500", "start": "1762000500",
		"end": "1762000560", "action": "ACCEPT", "log_status": "OK"})

	extras := queryStrings(t, db, `SELECT concat_ws('|', srcaddr, coalesce(extra['encryption-status'], 'NULL'),
		coalesce(extra['next-hop-vpc-id'], 'NULL'), cardinality(extra)) FROM flows WHERE extra IS NOT NULL ORDER BY srcaddr`)
	if w := "10.0.3.1|1|vpc-0next|2,10.0.3.3|NULL|NULL|2"; strings.Join(extras, ",") != w {
		t.Errorf("extra = %v, want %s", extras, w)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE extra['encryption-status'] = '1'`); n != 1 {
		t.Errorf("filter on extra: %d rows", n)
	}
	if got := queryStrings(t, db, `SELECT srcaddr FROM flows WHERE pkt_srcaddr = '198.51.100.9'`); len(got) != 1 || got[0] != "10.0.1.6" {
		t.Errorf("pkt_srcaddr filter across shapes = %v", got)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE pkt_srcaddr IS NULL`); n != 6 {
		t.Errorf("%d rows without pkt_srcaddr, want 6 (default, TGW and newer formats)", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM vpcflow WHERE pktsrcaddr = '10.0.1.5' AND "traffic-path" = 8`); n != 1 {
		t.Errorf("vpcflow over the v5 shape: %d rows", n)
	}

	want := map[string]string{
		"a-default.log.gz,b-default.log.gz": "",
		"c-v5.log.gz,d-v5-reordered.log.gz": "",
		"e-tgw.log.gz":                      "",
		"f-newer.log":                       "",
	}
	shapes := tableSources(t, db)
	if len(shapes) != len(want) {
		t.Fatalf("shape tables %v, want one per column set", shapes)
	}
	defaultTable := ""
	for table, srcs := range shapes {
		if _, ok := want[srcs]; !ok {
			t.Errorf("shape table %s holds %s", table, srcs)
		}
		if strings.HasPrefix(srcs, "a-default") {
			defaultTable = table
		}
	}
	// A default-format table stores the 14 default columns and the ids, not the whole template.
	cols := queryStrings(t, db, `SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index`, defaultTable)
	if w := "version,account_id,interface_id,srcaddr,dstaddr,srcport,dstport,protocol,packets,bytes,start,end,action,log_status,line_no,date,source_id,part_id"; strings.Join(cols, ",") != w {
		t.Errorf("%s columns %v", defaultTable, cols)
	}

	// A later run with another default-format object reuses its table.
	more := shapeFile(t, filepath.Join(t.TempDir(), "g-default.log.gz"), header,
		"2 111122223333 eni-def3 10.0.9.9 10.0.0.2 443 50009 6 1 40 1762000900 1762000960 ACCEPT OK")
	run(t, db, Options{}, more)
	if n := queryInt(t, db, `SELECT count(*) FROM flow_shapes`); n != 4 {
		t.Errorf("flow_shapes has %d rows after a second default-format run, want 4", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM `+defaultTable+` WHERE srcaddr = '10.0.9.9'`); n != 1 {
		t.Errorf("second default-format run did not land in %s", defaultTable)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows`); n != 10 {
		t.Errorf("flows has %d rows, want 10", n)
	}
}

// keyDay is the UTC day of a key date, as DuckDB prints a DATE.
func keyDay(y, m, d int) string {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// Objects under each S3 layout (and outside any) get the account, region, flow-log id, day, hour
// and file time their key gives, in the ledger and on every row; records without a start time
// take the key's day as date.
func TestKeyDerivedColumns(t *testing.T) {
	type key struct {
		path, layout, acct, region, flowLog, keyDate, keyHour, fileTime string
	}
	keys := []key{
		{"AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/01/02/111111111111_vpcflowlogs_us-east-1_fl-0aaa_20260102T0305Z_a1.log.gz",
			"plain", "111111111111", "us-east-1", "fl-0aaa", keyDay(2026, 1, 2), "NULL", "2026-01-02T03:05"},
		{"AWSLogs/aws-account-id=222222222222/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=01/day=03/222222222222_vpcflowlogs_eu-west-1_fl-0bbb_20260103T0410Z_b2.log.gz",
			"hive", "222222222222", "eu-west-1", "fl-0bbb", keyDay(2026, 1, 3), "NULL", "2026-01-03T04:10"},
		{"AWSLogs/333333333333/vpcflowlogs/ap-southeast-2/2026/01/04/05/333333333333_vpcflowlogs_ap-southeast-2_fl-0ccc_20260104T0515Z_c3.log.gz",
			"plain-hourly", "333333333333", "ap-southeast-2", "fl-0ccc", keyDay(2026, 1, 4), "5", "2026-01-04T05:15"},
		{"AWSLogs/aws-account-id=444444444444/aws-service=vpcflowlogs/aws-region=us-west-2/year=2026/month=01/day=05/hour=23/444444444444_vpcflowlogs_us-west-2_fl-0ddd_20260105T2355Z_d4.log.gz",
			"hive-hourly", "444444444444", "us-west-2", "fl-0ddd", keyDay(2026, 1, 5), "23", "2026-01-05T23:55"},
		{"corp/flow-logs/AWSLogs/555555555555/vpcflowlogs/sa-east-1/2026/01/06/555555555555_vpcflowlogs_sa-east-1_fl-0eee_20260106T0000Z_e5.log.gz",
			"plain", "555555555555", "sa-east-1", "fl-0eee", keyDay(2026, 1, 6), "NULL", "2026-01-06T00:00"},
		{"export/666666666666_vpcflowlogs_ca-central-1_fl-0fff_20260107T1200Z_f6.log.gz",
			"none", "666666666666", "ca-central-1", "fl-0fff", "NULL", "NULL", "2026-01-07T12:00"},
		{"misc/loose.log", "none", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
	}
	root := t.TempDir()
	for i, k := range keys {
		// One record dated by its start (a day after 2026-01-10, not the key's day), one without start.
		lines := []string{
			record("2", "999999999999", "eni-k", fmt.Sprintf("10.8.0.%d", i+1), "10.0.0.9", "443", "1000", "6", "1", "40", "1768003200", "1768003260", "ACCEPT", "OK"),
			record("2", "999999999999", "eni-k", fmt.Sprintf("10.8.1.%d", i+1), "10.0.0.9", "443", "1000", "6", "1", "40", "-", "-", "ACCEPT", "OK"),
		}
		shapeFile(t, filepath.Join(root, filepath.FromSlash(k.path)), header, lines...)
	}
	db := openDB(t)
	sum := run(t, db, Options{}, root)
	if sum.Objects != len(keys) || sum.Records != int64(2*len(keys)) {
		t.Fatalf("summary %+v", sum)
	}
	for i, k := range keys {
		got := queryStrings(t, db, `SELECT concat_ws('|', layout, coalesce(log_account_id, 'NULL'), coalesce(log_region, 'NULL'),
			coalesce(flow_log_id, 'NULL'), coalesce(CAST(key_date AS VARCHAR), 'NULL'), coalesce(CAST(key_hour AS VARCHAR), 'NULL'),
			coalesce(strftime(timezone('UTC', file_time), '%Y-%m-%dT%H:%M'), 'NULL')) FROM sources WHERE uri = ?`,
			filepath.Join(root, filepath.FromSlash(k.path)))
		want := strings.Join([]string{k.layout, k.acct, k.region, k.flowLog, k.keyDate, k.keyHour, k.fileTime}, "|")
		if len(got) != 1 || got[0] != want {
			t.Errorf("ledger of %s:\n got %v\nwant %s", k.path, got, want)
		}
		rowCols := []string{"log_account_id", "log_region", "flow_log_id", "date"}
		dated := strings.Join(flowsRow(t, db, rowCols, "srcaddr = ?", fmt.Sprintf("10.8.0.%d", i+1)), "|")
		if w := strings.Join([]string{k.acct, k.region, k.flowLog, "2026-01-10"}, "|"); dated != w {
			t.Errorf("record with start from %s: %s, want %s", k.path, dated, w)
		}
		undated := strings.Join(flowsRow(t, db, rowCols, "srcaddr = ?", fmt.Sprintf("10.8.1.%d", i+1)), "|")
		if w := strings.Join([]string{k.acct, k.region, k.flowLog, k.keyDate}, "|"); undated != w {
			t.Errorf("record without start from %s: %s, want %s", k.path, undated, w)
		}
	}
	// The playbook's partition columns come from the key too.
	got := queryStrings(t, db, `SELECT concat_ws('|', date_partition, region_partition, account_partition) FROM vpcflow WHERE sourceaddress = '10.8.1.4'`)
	if len(got) != 1 || got[0] != "2026/01/05|us-west-2|444444444444" {
		t.Errorf("vpcflow partitions = %v", got)
	}
}
