//go:build duckdb_arrow

package ingest

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flowdig/flowdig/internal/flowlog"
)

func payload(stream string, msgs ...string) string {
	var evs []string
	for i, m := range msgs {
		evs = append(evs, `{"id":"e`+stream+string(rune('a'+i))+`","timestamp":1418530010000,"message":"`+m+`"}`)
	}
	return `{"messageType":"DATA_MESSAGE","owner":"123456789010","logGroup":"/aws/vpc/flowlogs","logStream":"` + stream +
		`","subscriptionFilters":["f"],"logEvents":[` + strings.Join(evs, ",") + `]}`
}

func cwLine(src string, port int) string {
	return "2 123456789010 eni-1235b8ca123456789 " + src + " 172.31.16.21 20641 " + strconv.Itoa(port) + " 6 20 4249 1418530010 1418530070 ACCEPT OK"
}

// CloudWatch Logs JSON is recognised by content, gzip or not: subscription payloads (one, many
// concatenated, one per line, or an array; control messages ignored) and filter-log-events
// output, read with --fields since events carry no header. JSON of another shape is damage.
func TestCloudWatchJSON(t *testing.T) {
	dir := t.TempDir()
	control := `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`
	files := map[string][]byte{
		"concatenated.json.gz": gz(t, payload("eni-a", cwLine("10.0.0.1", 22), cwLine("10.0.0.2", 22))+control+payload("eni-b", cwLine("10.0.0.3", 22))),
		"lines.json":           []byte(payload("eni-c", cwLine("10.0.1.1", 80)) + "\n" + payload("eni-d", cwLine("10.0.1.2", 80), "garbage") + "\n"),
		"array.json":           []byte(" \n[" + payload("eni-e", cwLine("10.0.2.1", 443)) + "," + control + "," + payload("eni-f", cwLine("10.0.2.2", 443)) + "]\n"),
		"filter-log-events.json": []byte(`{"events":[{"logStreamName":"eni-g","timestamp":1418530010000,"message":"` + cwLine("10.0.3.1", 3389) +
			`","ingestionTime":1418530070000,"eventId":"1"}],"searchedLogStreams":[],"nextToken":null}`),
		"manifest.json": []byte(`{"seed": 1, "files": []}`),
	}
	var paths []string
	for name, b := range files {
		paths = append(paths, writeFile(t, filepath.Join(dir, name), b))
	}
	paths = append(paths, sample("otel-cloudwatch-subscription-v2.json"))
	db := openDB(t)
	sum := run(t, db, Options{}, paths...)
	if sum.Records != 3+2+2+1+2 || sum.Quarantined != 1+1 {
		t.Errorf("summary %+v", sum)
	}
	got := queryStrings(t, db, `SELECT format || ' ' || status || ' ' || CAST(records AS VARCHAR) || '/' || CAST(data_lines AS VARCHAR) || ' ' || coalesce(header_origin, '-') FROM sources ORDER BY regexp_extract(uri, '[^/]+$')`) // by file name: the sample lives outside the temp dir
	want := []string{
		"cloudwatch-json ok 2/2 default format",      // array.json
		"cloudwatch-json+gzip ok 3/3 default format", // concatenated.json.gz
		"cloudwatch-json ok 1/1 default format",      // filter-log-events.json
		"cloudwatch-json ok 2/3 default format",      // lines.json: "garbage" quarantined
		"cloudwatch-json damaged 0/1 -",              // manifest.json: no event, no format
		"cloudwatch-json ok 2/2 default format",      // the OTel sample
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ledger:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := queryInt(t, db, `SELECT count(*) FROM quarantine WHERE reason LIKE '%not a CloudWatch Logs%'`); n != 1 {
		t.Errorf("non-CloudWatch JSON not reported as damage (%d rows)", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM flows WHERE dstport = 3389 AND srcaddr = '172.31.9.69'`); n != 1 {
		t.Errorf("the sample's REJECT record: %d", n)
	}

	// Custom fields: the format comes from --fields.
	f, err := flowlog.ParseFormat("${srcaddr} ${dstaddr} ${start} ${end}")
	if err != nil {
		t.Fatal(err)
	}
	custom := writeFile(t, filepath.Join(dir, "custom", "events.json"), []byte(`{"events":[{"message":"10.9.9.9 10.8.8.8 1418530010 1418530070"}]}`))
	db2 := openDB(t)
	run(t, db2, Options{Fields: f, FieldsGiven: true}, custom)
	if got := queryStrings(t, db2, `SELECT dstaddr FROM flows WHERE srcaddr = '10.9.9.9'`); len(got) != 1 || got[0] != "10.8.8.8" {
		t.Errorf("custom fields: %v", got)
	}
}
