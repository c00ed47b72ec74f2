package report

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWriteRowsMaxRows(t *testing.T) {
	db := openDB(t)
	for _, tc := range []struct {
		max       int
		wantN     int
		truncated bool
	}{
		{max: 3, wantN: 3, truncated: true},
		{max: 9, wantN: 9, truncated: true},
		{max: 10, wantN: 10, truncated: false},
		{max: 11, wantN: 10, truncated: false},
		{max: 0, wantN: 10, truncated: false},
	} {
		rows, err := db.Query("SELECT range AS i FROM range(10)")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, NDJSON, Options{})
		n, truncated, err := WriteRows(context.Background(), rows, w, tc.max)
		rows.Close()
		if err != nil || n != tc.wantN || truncated != tc.truncated {
			t.Errorf("maxRows %d: n=%d truncated=%v err=%v; want n=%d truncated=%v",
				tc.max, n, truncated, err, tc.wantN, tc.truncated)
		}
		if lines := strings.Count(buf.String(), "\n"); lines != tc.wantN {
			t.Errorf("maxRows %d: wrote %d lines, want %d", tc.max, lines, tc.wantN)
		}
	}
}

// cancelAfter cancels its context once it has received n rows.
type cancelAfter struct {
	Writer
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Row(vals []any) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Writer.Row(vals)
}

func TestWriteRowsStopsOnCancel(t *testing.T) {
	db := openDB(t)
	// The query runs under its own context so that only WriteRows' check
	// between rows can stop it.
	rows, err := db.QueryContext(context.Background(), "SELECT range AS i FROM range(1000)")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var buf bytes.Buffer
	inner, _ := NewWriter(&buf, CSV, Options{})
	n, truncated, err := WriteRows(ctx, rows, &cancelAfter{Writer: inner, n: 2, cancel: cancel}, 0)
	if !errors.Is(err, context.Canceled) || n != 2 || truncated {
		t.Errorf("n=%d truncated=%v err=%v; want 2 rows and context.Canceled", n, truncated, err)
	}
	rows.Close()

	rows2, err := db.Query("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows2.Close()
	w, _ := NewWriter(&buf, CSV, Options{})
	if n, _, err := WriteRows(ctx, rows2, w, 0); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("already cancelled: n=%d err=%v", n, err)
	}
}

func TestWriteRowsCancelInterruptsQuery(t *testing.T) {
	db := openDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT range AS i FROM range(100000000)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	w, _ := NewWriter(&bytes.Buffer{}, NDJSON, Options{})
	n, _, err := WriteRows(ctx, rows, &cancelAfter{Writer: w, n: 5000, cancel: cancel}, 0)
	if !errors.Is(err, context.Canceled) || n != 5000 {
		t.Errorf("n=%d err=%v; want 5000 rows and context.Canceled", n, err)
	}
}
