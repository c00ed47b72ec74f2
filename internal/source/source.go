// Package source defines what the ingester reads: objects (local files today; S3 objects and
// CloudWatch Logs streams through the same interface) with their location facts, listed in a
// stable order and opened one at a time.
package source

import (
	"context"
	"io"
	"sort"
	"time"

	"github.com/flowdig/flowdig/internal/keylayout"
)

// Object is one readable unit of flow-log data.
type Object struct {
	URI   string // what the ledger records: an absolute path, or s3://bucket/key
	Size  int64
	MTime time.Time
	Key   keylayout.Info
	// Explicit is true when the user named the object itself rather than a folder holding it.
	Explicit bool
}

// Source lists objects and opens them.
type Source interface {
	List(ctx context.Context) ([]Object, error)
	Open(ctx context.Context, o Object) (io.ReadCloser, error)
}

// Skipped is an object a listing deliberately left out, with the reason.
type Skipped struct {
	URI    string
	Reason string
}

// SortForLoad orders objects by flow log (account, region, flow-log id), then by the time their
// key or name gives, then by URI. One flow log has one format, so its objects load into the same
// table in long runs; within it, rows land in time order and the per-row-group min/max of start
// prunes time filters well.
func SortForLoad(objs []Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i].Key, objs[j].Key
		if a.AccountID != b.AccountID {
			return a.AccountID < b.AccountID
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.FlowLogID != b.FlowLogID {
			return a.FlowLogID < b.FlowLogID
		}
		ti, tj := objectTime(objs[i]), objectTime(objs[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return objs[i].URI < objs[j].URI
	})
}

func objectTime(o Object) time.Time {
	if !o.Key.FileTime.IsZero() {
		return o.Key.FileTime
	}
	if d := o.Key.Date(); !d.IsZero() {
		if o.Key.Hour >= 0 {
			d = d.Add(time.Duration(o.Key.Hour) * time.Hour)
		}
		return d
	}
	return time.Time{}
}
