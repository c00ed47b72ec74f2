//go:build duckdb_arrow

package ingest

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

// The CloudWatch JSON reader never panics or loops, whatever the bytes; every line it yields is
// one event's message.
func FuzzCloudWatchJSON(f *testing.F) {
	f.Add([]byte(payload("eni-a", cwLine("10.0.0.1", 22))))
	f.Add([]byte("[" + payload("eni-a", "x") + "," + payload("eni-b", "y") + "]"))
	f.Add([]byte(`{"events":[{"message":"a\nb"}]}{"events":[]}`))
	f.Add([]byte(`[{"messageType":"CONTROL_MESSAGE"}] {"logEvents":null}`))
	f.Add([]byte(`{"events":[{"message":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(bytes.NewReader(data))
		if !isJSON(br) {
			return
		}
		out, _ := io.ReadAll(io.LimitReader(newEventLines(br), 1<<24))
		if len(out) > 0 && !strings.HasSuffix(string(out), "\n") {
			t.Fatalf("output does not end with a newline: %q", out)
		}
	})
}
