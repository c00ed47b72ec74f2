package trino

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAWSDocsQueries runs the Athena user guide's example queries for VPC
// flow logs (flowlogs-spec.md section 4.4), verbatim, against a small vpc_flow_logs
// table with the documented columns, including the partition column named
// date.
func TestAWSDocsQueries(t *testing.T) {
	conn := openConn(t)
	mustExec(t, conn, `
		CREATE TABLE vpc_flow_logs (
			interface_id VARCHAR, srcaddr VARCHAR, dstaddr VARCHAR,
			srcport INTEGER, dstport INTEGER, protocol BIGINT, packets BIGINT,
			start BIGINT, "end" BIGINT, action VARCHAR, date DATE);
		INSERT INTO vpc_flow_logs VALUES
			('eni-1', '10.117.1.22', '10.0.1.14', 49152, 443, 6, 10, 1588550400, 1588550460, 'ACCEPT', DATE '2020-05-04'),
			('eni-1', '10.117.1.23', '10.0.1.14', 49153, 22, 6, 3, 1588550401, 1588550461, 'REJECT', DATE '2020-05-04'),
			('eni-2', '10.118.1.1', '10.0.1.15', 49154, 443, 6, 7, 1588636800, 1588636860, 'ACCEPT', DATE '2020-05-05'),
			('eni-2', '10.0.0.9', '10.0.1.14', 49155, 443, 6, 5, 0, 60, 'ACCEPT', current_date - 1),
			('eni-2', '10.0.0.9', '10.0.1.15', 49156, 443, 6, 100, 0, 60, 'ACCEPT', current_date - 30);`)

	queries := []struct {
		name, query string
		want        []string
	}{
		{
			name:  "partition filter with DATE()",
			query: "SELECT * \nFROM vpc_flow_logs \nWHERE date = DATE('2020-05-04') \nLIMIT 100;",
			want: []string{
				"eni-1 10.117.1.22 10.0.1.14 49152 443 6 10 1588550400 1588550460 ACCEPT 2020-05-04",
				"eni-1 10.117.1.23 10.0.1.14 49153 22 6 3 1588550401 1588550461 REJECT 2020-05-04",
			},
		},
		{
			name: "rejected TCP by day of week",
			query: `SELECT day_of_week(date) AS
  day,
  date,
  interface_id,
  srcaddr,
  action,
  protocol
FROM vpc_flow_logs
WHERE action = 'REJECT' AND protocol = 6
LIMIT 100;`,
			want: []string{"1 2020-05-04 eni-1 10.117.1.23 REJECT 6"},
		},
		{
			name: "top HTTPS destinations in the last 7 days",
			query: `SELECT SUM(packets) AS
  packetcount,
  dstaddr
FROM vpc_flow_logs
WHERE dstport = 443 AND date > current_date - interval '7' day
GROUP BY dstaddr
ORDER BY packetcount DESC
LIMIT 10;`,
			want: []string{"5 10.0.1.14"},
		},
		{
			name: "ISO 8601 start and end times",
			query: `SELECT srcaddr, to_iso8601(from_unixtime(start)) AS start_time, to_iso8601(from_unixtime("end")) AS end_time
FROM vpc_flow_logs WHERE srcaddr = '10.117.1.22'`,
			want: []string{"10.117.1.22 2020-05-04T00:00:00.000Z 2020-05-04T00:01:00.000Z"},
		},
		{
			name: "prefix match with split_part",
			query: `SELECT srcaddr FROM vpc_flow_logs
WHERE split_part(srcaddr,'.', 1)='10' AND split_part(srcaddr,'.', 2) ='117'
ORDER BY srcaddr`,
			want: []string{"10.117.1.22", "10.117.1.23"},
		},
		{
			name:  "a column named date next to the date() function",
			query: "SELECT date, date('2020-05-04') FROM (SELECT DATE '2020-01-01' AS date)",
			want:  []string{"2020-01-01 2020-05-04"},
		},
	}
	for _, q := range queries {
		got, err := queryText(t, conn, q.query)
		if err != nil {
			t.Errorf("%s: %v", q.name, err)
			continue
		}
		if strings.Join(got, "\n") != strings.Join(q.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", q.name, got, q.want)
		}
	}
}

// queryText runs query and returns each row as its values, space-separated:
// dates as 2006-01-02, everything else as fmt prints it.
func queryText(t *testing.T, conn *sql.Conn, query string) ([]string, error) {
	t.Helper()
	rows, err := conn.QueryContext(t.Context(), query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if tm, ok := v.(time.Time); ok {
				v = tm.Format("2006-01-02")
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out, rows.Err()
}
