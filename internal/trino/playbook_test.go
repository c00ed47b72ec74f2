package trino

import (
	"database/sql"
	"math/big"
	"strings"
	"testing"
)

// dataRatioQuery is the data-ratio query of the aws-samples playbook
// "Analyzing VPC Flow Logs" (flowlogs-spec.md section 5 item 4), verbatim.
const dataRatioQuery = `SELECT sourceaddress,
         destinationaddress,
         count(*) AS record_count,
         SUM(numbytes) AS total_bytes,
         SUM(numbytes)/count(*) AS data_ratio,
         date_format(from_unixtime(min(starttime)),
         '%Y/%m/%d %H:%i:%s') AS first_seen, date_format(from_unixtime(max(endtime)), '%Y/%m/%d %H:%i:%s') AS last_seen
FROM "<database>"."<table>"
WHERE (sourceaddress = '10.10.10.10'
        OR destinationaddress = '10.10.10.10')
GROUP BY  sourceaddress, destinationaddress
ORDER BY  total_bytes DESC 
`

func TestPlaybookDataRatio(t *testing.T) {
	conn := openConn(t)
	mustExec(t, conn, `
		CREATE TABLE vpcflow (
			sourceaddress VARCHAR, destinationaddress VARCHAR,
			numbytes BIGINT, starttime BIGINT, endtime BIGINT);
		INSERT INTO vpcflow VALUES
			-- 6001 bytes in 3 records: ratio 2000, not 2000.33.
			('10.10.10.10', '8.8.8.8', 1000, 1566848875, 1566848935),
			('10.10.10.10', '8.8.8.8', 2001, 1566848935, 1566848995),
			('10.10.10.10', '8.8.8.8', 3000, 1566849000, 1566849060),
			-- 1201 bytes in 2 records: ratio 600, not 600.5.
			('8.8.8.8', '10.10.10.10', 500, 1566848880, 1566848940),
			('8.8.8.8', '10.10.10.10', 701, 1566852000, 1566852060),
			-- Beyond 32 bits, across New Year.
			('10.10.10.10', '172.16.0.5', 5000000000, 1577836799, 1577836800),
			('10.10.10.10', '172.16.0.5', 3, 1577836800, 1577836861),
			-- Not about 10.10.10.10.
			('192.168.1.1', '192.168.1.2', 99999999999, 1566848875, 1566848935);`)

	query := strings.Replace(dataRatioQuery, `"<database>"."<table>"`, "vpcflow", 1)
	rows, err := conn.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	wantCols := "sourceaddress destinationaddress record_count total_bytes data_ratio first_seen last_seen"
	if got := strings.Join(cols, " "); got != wantCols {
		t.Fatalf("columns = %s, want %s", got, wantCols)
	}

	type row struct {
		src, dst              string
		records               int64
		totalBytes, dataRatio string
		firstSeen, lastSeen   string
	}
	want := []row{
		{"10.10.10.10", "172.16.0.5", 2, "5000000003", "2500000001", "2019/12/31 23:59:59", "2020/01/01 00:01:01"},
		{"10.10.10.10", "8.8.8.8", 3, "6001", "2000", "2019/08/26 19:47:55", "2019/08/26 19:51:00"},
		{"8.8.8.8", "10.10.10.10", 2, "1201", "600", "2019/08/26 19:48:00", "2019/08/26 20:41:00"},
	}
	var got []row
	for rows.Next() {
		var r row
		// SUM(bigint) is a HUGEINT in DuckDB, which the driver returns as
		// *big.Int: see the known differences in trino.sql.
		var total, ratio *big.Int
		if err := rows.Scan(&r.src, &r.dst, &r.records, &total, &ratio, &r.firstSeen, &r.lastSeen); err != nil {
			t.Fatal(err)
		}
		r.totalBytes, r.dataRatio = total.String(), ratio.String()
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestPlaybookDirectionalView runs the playbook's incident_vpc_flow_directional
// view: its first branch verbatim, its second branch mirrored as the spec
// describes.
func TestPlaybookDirectionalView(t *testing.T) {
	conn := openConn(t)
	mustExec(t, conn, `
		CREATE TABLE vpcflow (
			account VARCHAR, interfaceid VARCHAR,
			sourceaddress VARCHAR, destinationaddress VARCHAR,
			sourceport INTEGER, destinationport INTEGER, protocol INTEGER,
			numpackets INTEGER, numbytes BIGINT, starttime INTEGER, endtime INTEGER,
			action VARCHAR, logstatus VARCHAR);
		CREATE TABLE incident_iocs (threat_ip VARCHAR, threat_comment VARCHAR);
		INSERT INTO incident_iocs VALUES ('203.0.113.9', 'c2');
		INSERT INTO vpcflow VALUES
			('111122223333', 'eni-1', '10.0.0.5', '203.0.113.9', 49152, 443, 6, 10, 4000, 1566848875, 1566848935, 'ACCEPT', 'OK'),
			('111122223333', 'eni-1', '203.0.113.9', '10.0.0.5', 443, 49152, 6, 8, 9000, 1566848875, 1566848995, 'ACCEPT', 'OK'),
			('111122223333', 'eni-1', '10.0.0.5', '198.51.100.1', 49153, 53, 17, 1, 70, 1566848875, 1566848935, 'ACCEPT', 'OK');`)

	const branch = `SELECT vpc.account,
         vpc.interfaceid,
         vpc.sourceaddress || ':' || CAST(vpc.sourceport AS VARCHAR) AS source,
         vpc.destinationaddress || ':' || CAST(vpc.destinationport AS VARCHAR) AS destination,
         'INBOUND' AS direction,
         vpc.sourceaddress AS connecting_ip,
         vpc.sourceport AS connecting_port,
         vpc.protocol,
         vpc.numpackets,
         vpc.numbytes,
         vpc.action,
         vpc.logstatus,
         CAST(from_unixtime(vpc.starttime) AS TIMESTAMP) AS startTime, 
         CAST(from_unixtime(vpc.endtime) AS TIMESTAMP) AS endTime,
         date_diff('second', from_unixtime(vpc.starttime), from_unixtime(vpc.endtime)) as sessionTime
         
FROM "<database>"."<table>" AS vpc

WHERE 
    vpc.destinationaddress IN (SELECT threat_ip FROM incident_iocs)
`
	mirrored := strings.NewReplacer(
		"'INBOUND'", "'OUTBOUND'",
		"vpc.sourceaddress AS connecting_ip", "vpc.destinationaddress AS connecting_ip",
		"vpc.sourceport AS connecting_port", "vpc.destinationport AS connecting_port",
		"vpc.destinationaddress IN", "vpc.sourceaddress IN",
	).Replace(branch)
	view := "CREATE VIEW incident_vpc_flow_directional AS\n" + branch + "\nUNION ALL\n\n" + mirrored +
		"\nORDER BY startTime, endTime, sessionTime, interfaceid, connecting_ip, direction"
	mustExec(t, conn, strings.ReplaceAll(view, `"<database>"."<table>"`, "vpcflow"))

	rows, err := conn.QueryContext(t.Context(), `
		SELECT source, destination, direction, connecting_ip, connecting_port,
			CAST(startTime AS VARCHAR), CAST(endTime AS VARCHAR), sessionTime,
			typeof(startTime), typeof(sessionTime)
		FROM incident_vpc_flow_directional
		ORDER BY direction`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []string{
		"10.0.0.5:49152 203.0.113.9:443 INBOUND 10.0.0.5 49152 2019-08-26 19:47:55 2019-08-26 19:48:55 60 TIMESTAMP BIGINT",
		"203.0.113.9:443 10.0.0.5:49152 OUTBOUND 10.0.0.5 49152 2019-08-26 19:47:55 2019-08-26 19:49:55 120 TIMESTAMP BIGINT",
	}
	var got []string
	for rows.Next() {
		vals := make([]sql.NullString, 10)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
		}
		got = append(got, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("view rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
