// Package source defines what the ingester reads: objects (local files, S3 objects, slices of a
// CloudWatch Logs group) with their location facts, listed in a stable order and opened one at a
// time, and the listing filter (account, region, time window) every source applies.
package source

import (
	"context"
	"errors"
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

	// Remote identity, recorded in the ledger. Bucket, ObjectKey and ETag are set for S3; an
	// object whose ETag is known is "unchanged" when the ledger has the same ETag.
	Bucket    string
	ObjectKey string
	ETag      string
	VersionID string // when the listing knows it; the reader reports the version it read
	// NoStat marks objects whose size and mtime are unknown until read (CloudWatch Logs slices):
	// the URI alone identifies them.
	NoStat bool
	// Open marks an object that may still grow (a CloudWatch Logs slice within the delivery
	// delay). Its ledger row says so, and a later read of the same URI replaces it.
	Open bool
}

// Versioned is implemented by readers that learn the object version while reading (S3).
type Versioned interface {
	VersionID() string
}

// Per-object failures a source reports through Open or the reader; the ingest names them against
// the object and goes on with the others.
var (
	ErrChanged = errors.New("object changed since it was listed")
	ErrDenied  = errors.New("access denied")
)

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
