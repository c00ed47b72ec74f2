//go:build duckdb_arrow

package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowdig/flowdig/internal/flowlog"
	"github.com/flowdig/flowdig/internal/source/local"
)

const acct = "123456789012"

func goodLine(src string, port int, bytes string) string {
	return record("2", acct, "eni-0a1b2c3d4e5f67890", src, "10.0.0.5", "443", strconv.Itoa(port), "6", "10", bytes, "1762000000", "1762000060", "ACCEPT", "OK")
}

// Every documented sample ingests with the format SOURCES.md gives, and every value lands.
func TestIngestSamples(t *testing.T) {
	db := openDB(t)
	noHeader := map[string]string{
		"aws-docs-v2-default-noheader.log":              flowlog.DefaultFormat,
		"aws-docs-v3-tcp-flag-sequence-noheader.log":    "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
		"aws-docs-custom-nat-gateway-noheader.log":      "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr",
		"aws-docs-v3-transit-gateway-path-noheader.log": "version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status",
		"aws-docs-v5-traffic-path-noheader.log":         "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status",
	}
	want := 0
	for name, format := range noHeader {
		f, err := flowlog.ParseFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		sum := run(t, db, Options{Fields: f, FieldsGiven: true}, sample(name))
		if sum.Quarantined != 0 || sum.Objects != 1 {
			t.Fatalf("%s: %+v", name, sum)
		}
		want += int(sum.Records)
	}
	for _, name := range []string{"otel-s3-v2-with-header-nodata.log", "otel-s3-tgw-v6-with-header.log", "otel-s3-ecs-v7-fields-with-header.log"} {
		sum := run(t, db, Options{}, sample(name))
		if sum.Records != 1 || sum.Quarantined != 0 {
			t.Fatalf("%s: %+v", name, sum)
		}
		want++
	}
	if want != 7+8+6+4+2+3 {
		t.Fatalf("records = %d", want)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows`); n != int64(want) {
		t.Errorf("flows has %d rows, want %d", n, want)
	}
	// Spot checks of values through the views.
	checks := []struct{ q, want string }{
		{`SELECT CAST(bytes AS VARCHAR) FROM flows WHERE srcaddr = '52.213.180.42' AND "end" = 1566849113`, "23294588"},
		{`SELECT CAST(packets AS VARCHAR) FROM flows WHERE bytes = 568`, "8"},
		{`SELECT log_status FROM flows WHERE srcaddr IS NULL AND account_id = '12345678910' AND version = 2`, "NODATA"},
		{`SELECT CAST(packets_lost_ttl_expired AS VARCHAR) FROM flows WHERE tgw_id = 'tgw-0abc12345def67890'`, "4"},
		{`SELECT ecs_service_name FROM flows WHERE ecs_cluster_name = 'my-cluster'`, "my-service"},
		{`SELECT CAST(traffic_path AS VARCHAR) FROM flows WHERE flow_direction = 'egress'`, "8"},
		{`SELECT pkt_dstaddr FROM flows WHERE instance_id = 'i-01234567890123456' AND srcaddr = '203.0.113.5' AND pkt_srcaddr = '203.0.113.5' AND version IS NULL`, "10.0.1.5"},
		{`SELECT sourceaddress FROM vpcflow WHERE numbytes = 4249 AND destinationport = 3389`, "172.31.9.69"},
		{`SELECT CAST(count(*) AS VARCHAR) FROM sources WHERE records + quarantined <> data_lines`, "0"},
	}
	for _, c := range checks {
		got := queryStrings(t, db, c.q)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s = %v, want %s", c.q, got, c.want)
		}
	}
}

// Bad lines are quarantined with file, line number, field and reason; counts reconcile exactly.
func TestQuarantineAndDamage(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		header,
		goodLine("10.0.0.1", 1000, "100"),  // line 2
		"",                                 // blank, line 3
		goodLine("10.0.0.2", 70000, "100"), // bad port, line 4
		goodLine("10.0.0.3", 1001, "1x0"),  // non-numeric bytes, line 5
		"2 " + acct + " eni-1 10.0.0.4 10.0.0.5 443",                                  // field count, line 6
		strings.Replace(goodLine("10.0.0.6", 1002, "100"), "eni-", "eni-\xff\xfe", 1), // invalid UTF-8, line 7
		goodLine("10.0.0.7", 1003, "100") + "\r",                                      // CRLF, line 8
		"  " + strings.ReplaceAll(goodLine("10.0.0.8", 1004, "100"), " ", "   "),      // runs of spaces, line 9
	}
	good := writeFile(t, filepath.Join(dir, "mixed.log.gz"), gz(t, strings.Join(lines, "\n")+"\n"))
	// A gzip object cut in the middle of its third record.
	full := gz(t, header+"\n"+goodLine("10.1.0.1", 1, "1")+"\n"+goodLine("10.1.0.2", 2, "2")+"\n"+strings.Repeat(goodLine("10.1.0.3", 3, "3")+"\n", 200))
	cut := writeFile(t, filepath.Join(dir, "cut.log.gz"), full[:len(full)*2/3])
	db := openDB(t)
	sum := run(t, db, Options{}, good, cut)
	if len(sum.Damaged) != 1 || sum.Damaged[0] != cut {
		t.Errorf("damaged = %v", sum.Damaged)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE srcaddr IN ('10.0.0.1','10.0.0.7','10.0.0.8')`); n != 3 {
		t.Errorf("good records stored: %d, want 3", n)
	}
	type q struct {
		line          int64
		field, reason string
	}
	rows, err := db.SQL.Query(`SELECT line_no, coalesce(field, ''), reason FROM quarantine q JOIN sources s USING (source_id) WHERE s.uri = ? ORDER BY line_no`, good)
	if err != nil {
		t.Fatal(err)
	}
	var got []q
	for rows.Next() {
		var r q
		if err := rows.Scan(&r.line, &r.field, &r.reason); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	rows.Close()
	want := []q{{4, "dstport", "out of range"}, {5, "bytes", "not a non-negative integer"}, {6, "", "wrong field count: 6 fields, format has 14"}, {7, "", "invalid UTF-8"}}
	if len(got) != len(want) {
		t.Fatalf("quarantine = %+v", got)
	}
	for i := range want {
		if got[i].line != want[i].line || got[i].field != want[i].field || !strings.Contains(got[i].reason, want[i].reason) {
			t.Errorf("quarantine[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	raw := queryStrings(t, db, `SELECT text FROM quarantine WHERE line_no = 7 AND field IS NULL`)
	if len(raw) != 1 || !strings.Contains(raw[0], `eni-\xff\xfe`) {
		t.Errorf("escaped text = %v", raw)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine WHERE line_no = 7 AND raw = ?::BLOB`, []byte(lines[6])); n != 1 {
		t.Errorf("raw bytes not kept exactly")
	}
	var data, recs, quar, blank int64
	var status, damage string
	err = db.SQL.QueryRow(`SELECT data_lines, records, quarantined, blank_lines, status, coalesce(damage,'') FROM sources WHERE uri = ?`, good).Scan(&data, &recs, &quar, &blank, &status, &damage)
	if err != nil {
		t.Fatal(err)
	}
	if data != 7 || recs != 3 || quar != 4 || blank != 1 || status != "ok" || damage != "" {
		t.Errorf("ledger: data %d records %d quarantined %d blank %d status %s", data, recs, quar, blank, status)
	}
	err = db.SQL.QueryRow(`SELECT data_lines, records, quarantined, status, damage FROM sources WHERE uri = ?`, cut).Scan(&data, &recs, &quar, &status, &damage)
	if err != nil {
		t.Fatal(err)
	}
	if status != "damaged" || recs < 1 || quar != 1 || recs+quar != data || !strings.Contains(damage, "unexpected EOF") {
		t.Errorf("damaged ledger: data %d records %d quarantined %d status %s damage %q", data, recs, quar, status, damage)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine q JOIN sources s USING (source_id) WHERE s.uri = ? AND reason LIKE 'object damaged%'`, cut); n != 1 {
		t.Errorf("damage quarantine rows = %d", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM sources WHERE records + quarantined <> data_lines`); n != 0 {
		t.Errorf("%d sources do not reconcile", n)
	}
}

// Empty files, header-only files and plain (uncompressed) text named .gz are fine.
func TestEdgeShapes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "empty.log.gz"), nil)
	writeFile(t, filepath.Join(dir, "header-only.log.gz"), gz(t, header+"\n"))
	writeFile(t, filepath.Join(dir, "plain-named-gz.log.gz"), []byte(header+"\n"+goodLine("10.2.0.1", 5, "5")))
	writeFile(t, filepath.Join(dir, "gzip-named-txt.txt"), gz(t, goodLine("10.2.0.2", 6, "6")))
	writeFile(t, filepath.Join(dir, ".hidden.log"), []byte("junk"))
	db := openDB(t)
	sum := run(t, db, Options{}, dir)
	if sum.Objects != 4 || sum.Records != 2 || sum.Quarantined != 0 || len(sum.Skipped) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	got := queryStrings(t, db, `SELECT format || ':' || coalesce(header_origin, '-') FROM sources ORDER BY uri`)
	want := []string{"text:-", "text+gzip:default format", "text+gzip:header line", "text:header line"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("formats %v, want %v", got, want)
	}
}

func TestNoInput(t *testing.T) {
	db := openDB(t)
	_, err := Run(context.Background(), db, local.New([]string{t.TempDir()}), Options{})
	if !errors.Is(err, ErrNoInput) {
		t.Fatalf("err = %v", err)
	}
}

// Re-ingesting adds nothing; the same content under another name is a recorded duplicate; a
// damaged object later copied again in full replaces its partial rows.
func TestIdempotentAndSupersede(t *testing.T) {
	dir := t.TempDir()
	body := header + "\n" + goodLine("10.3.0.1", 1, "1") + "\n" + goodLine("10.3.0.2", 2, "2") + "\n"
	a := writeFile(t, filepath.Join(dir, "a", "x.log.gz"), gz(t, body))
	db := openDB(t)
	run(t, db, Options{}, dir)
	sum := run(t, db, Options{}, dir)
	if sum.Unchanged != 1 || sum.Objects != 0 {
		t.Fatalf("second run: %+v", sum)
	}
	// Touching the file forces a re-read; its hash is known, so nothing is added.
	if err := os.Chtimes(a, time.Now().Add(time.Hour), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "b", "copy.log.gz"), gz(t, body))
	sum = run(t, db, Options{}, dir)
	if sum.Duplicates != 2 || sum.Records != 0 {
		t.Fatalf("duplicates run: %+v", sum)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows`); n != 2 {
		t.Fatalf("rows = %d", n)
	}
	// Damaged copy first, then the complete one at the same path.
	var more strings.Builder
	for i := range 300 {
		more.WriteString(goodLine("10.3.1."+strconv.Itoa(i%250), 1024+i*7, strconv.Itoa(i*7919%100003)) + "\n")
	}
	full := gz(t, body+more.String())
	c := writeFile(t, filepath.Join(dir, "c", "y.log.gz"), full[:len(full)/2])
	run(t, db, Options{}, c)
	partial := queryInt(t, db, `SELECT count(*) FROM flows`)
	if partial <= 2 {
		t.Fatalf("damaged object stored %d rows", partial-2)
	}
	writeFile(t, c, full)
	sum = run(t, db, Options{}, c)
	if sum.Records != 302 {
		t.Fatalf("complete copy: %+v", sum)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows`); n != 2+302 {
		t.Errorf("rows after supersede = %d, want %d", n, 2+302)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM sources WHERE status = 'superseded' AND superseded_by IS NOT NULL`); n != 1 {
		t.Errorf("superseded sources = %d", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine`); n != 0 {
		t.Errorf("quarantine of the superseded object kept: %d", n)
	}
}
