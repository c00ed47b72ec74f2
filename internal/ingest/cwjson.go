package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/flowdig/flowdig/internal/store"
)

// formatCWJSON is the ledger format of files holding CloudWatch Logs events as JSON: subscription
// filter payloads (what a Lambda, Kinesis or Firehose subscription receives, one or many per
// file) and the output of `aws logs filter-log-events` or `get-log-events`.
const formatCWJSON = "cloudwatch-json"

// isJSON reports whether the buffered content starts (after whitespace and a UTF-8 byte order
// mark) with '{' or '['. A flow-log text line never does: it starts with a field value.
func isJSON(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && (head[0] == '{' || head[0] == '[')
}

// decodeJSON reads the events' messages as header-less text lines, one line per event, in file
// order; the format comes from --fields (events carry no header).
func (d *decoder) decodeJSON(ctx context.Context, br *bufio.Reader, obj *store.Object) error {
	return d.decodeText(ctx, newEventLines(br), obj)
}

// cwPayload is the part of either JSON shape flowdig reads.
type cwPayload struct {
	MessageType string     `json:"messageType"` // DATA_MESSAGE | CONTROL_MESSAGE (subscriptions)
	LogEvents   *[]cwEvent `json:"logEvents"`   // subscription payload
	Events      *[]cwEvent `json:"events"`      // filter-log-events / get-log-events output
}

// errNotCW is the damage of a JSON value that is neither shape: the file is not what flowdig
// reads, and says so rather than count as an empty object.
var errNotCW = errors.New("json: not a CloudWatch Logs subscription payload or filter-log-events output")

type cwEvent struct {
	Message string `json:"message"`
}

// eventLines turns a stream of JSON values (concatenated or one per line, or one top-level
// array of them) into "message\n" lines. A JSON error ends the stream with that error, which
// the text decoder records as damage after the last complete event.
type eventLines struct {
	dec     *json.Decoder
	inArray bool
	started bool
	buf     []byte
	err     error
}

func newEventLines(br *bufio.Reader) *eventLines {
	return &eventLines{dec: json.NewDecoder(br)}
}

func (e *eventLines) Read(p []byte) (int, error) {
	for len(e.buf) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		e.err = e.next()
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// next decodes the next payload into buf; it returns io.EOF after the last one.
func (e *eventLines) next() error {
	if !e.started {
		e.started = true
		if first, err := e.peekByte(); err == nil && first == '[' {
			if _, err := e.dec.Token(); err != nil {
				return fmt.Errorf("json: %w", err)
			}
			e.inArray = true
		}
	}
	var payloads []cwPayload
	if e.inArray {
		if !e.dec.More() {
			if _, err := e.dec.Token(); err != nil {
				return fmt.Errorf("json: %w", err)
			}
			e.inArray = false
			return e.trailing()
		}
		var p cwPayload
		if err := e.dec.Decode(&p); err != nil {
			return fmt.Errorf("json: %w", err)
		}
		payloads = append(payloads, p)
	} else {
		var raw json.RawMessage
		if err := e.dec.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) {
				return io.EOF
			}
			return fmt.Errorf("json: %w", err)
		}
		raw = bytes.TrimLeft(raw, " \t\r\n")
		var err error
		if len(raw) > 0 && raw[0] == '[' {
			err = json.Unmarshal(raw, &payloads)
		} else {
			var p cwPayload
			err = json.Unmarshal(raw, &p)
			payloads = append(payloads, p)
		}
		if err != nil {
			return fmt.Errorf("json: %w", err)
		}
	}
	for _, p := range payloads {
		if p.MessageType == "CONTROL_MESSAGE" {
			continue
		}
		if p.LogEvents == nil && p.Events == nil {
			return errNotCW
		}
		var evs []cwEvent
		if p.LogEvents != nil {
			evs = append(evs, *p.LogEvents...)
		}
		if p.Events != nil {
			evs = append(evs, *p.Events...)
		}
		for _, ev := range evs {
			// One event, one line: a newline inside a message would split a record in two.
			msg := strings.TrimRight(ev.Message, "\r\n")
			msg = strings.NewReplacer("\r", " ", "\n", " ").Replace(msg)
			e.buf = append(append(e.buf, msg...), '\n')
		}
	}
	return nil
}

// trailing reads what follows a top-level array: nothing, or more JSON values.
func (e *eventLines) trailing() error {
	if _, err := e.peekByte(); err != nil {
		return io.EOF
	}
	return nil
}

// peekByte returns the next non-space byte the decoder will read, without consuming it: More
// skips whitespace and buffers the byte after it.
func (e *eventLines) peekByte() (byte, error) {
	if !e.dec.More() {
		return 0, io.EOF
	}
	var b [1]byte
	if n, _ := e.dec.Buffered().Read(b[:]); n == 0 {
		return 0, io.EOF
	}
	return b[0], nil
}
