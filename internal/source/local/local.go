// Package local lists and opens flow-log objects in local files and folders, such as a bucket
// copied to a laptop with `aws s3 sync`.
package local

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
)

// Source reads the given files and folders.
type Source struct {
	paths   []string
	filter  source.Filter
	skipped []source.Skipped
}

var _ source.Source = (*Source)(nil)

// New returns a source over paths (files or folders, walked recursively).
func New(paths []string) *Source { return &Source{paths: paths} }

// Filter makes List keep only what f selects inside folders (account, region, date folders and
// file-name timestamps in reach of the window); files named explicitly are always listed.
func (s *Source) Filter(f source.Filter) *Source {
	s.filter = f
	return s
}

// Skipped returns what the last List left out on purpose (hidden files, other AWS services).
func (s *Source) Skipped() []source.Skipped { return s.skipped }

// List walks the paths. Files named explicitly are always listed; inside folders, hidden entries
// and objects of other AWS services under AWSLogs/ (CloudTrail, ELB…) are skipped and reported.
func (s *Source) List(ctx context.Context) ([]source.Object, error) {
	s.skipped = nil
	var out []source.Object
	seen := map[string]bool{}
	for _, p := range s.paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", p, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", p, err)
		}
		if !fi.IsDir() {
			if !seen[abs] {
				seen[abs] = true
				out = append(out, object(abs, fi, true))
			}
			continue
		}
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if path != abs && strings.HasPrefix(d.Name(), ".") {
				s.skipped = append(s.skipped, source.Skipped{URI: path, Reason: "hidden"})
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() && path != abs {
				// A day or hour folder out of reach of the window is not walked at all.
				if k := keylayout.Parse(filepath.ToSlash(path) + "/"); k.Layout != keylayout.None && !source.InReach(s.filter.Window, k) {
					s.skipped = append(s.skipped, source.Skipped{URI: path, Reason: "outside the time window"})
					return filepath.SkipDir
				}
			}
			if d.IsDir() || seen[path] {
				return nil
			}
			if !d.Type().IsRegular() {
				s.skipped = append(s.skipped, source.Skipped{URI: path, Reason: "not a regular file"})
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			o := object(path, info, false)
			if !o.Key.IsFlowLogService() {
				s.skipped = append(s.skipped, source.Skipped{URI: path, Reason: "not VPC flow logs (AWSLogs service " + o.Key.Service + ")"})
				return nil
			}
			if ok, why := s.filter.Keeps(o.Key); !ok {
				s.skipped = append(s.skipped, source.Skipped{URI: path, Reason: why})
				return nil
			}
			seen[path] = true
			out = append(out, o)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", p, err)
		}
	}
	source.SortForLoad(out)
	return out, nil
}

func object(path string, fi fs.FileInfo, explicit bool) source.Object {
	return source.Object{
		URI:      path,
		Size:     fi.Size(),
		MTime:    fi.ModTime().UTC().Truncate(time.Microsecond), // the ledger keeps microseconds
		Key:      keylayout.Parse(filepath.ToSlash(path)),
		Explicit: explicit,
	}
}

// Open opens the file. The returned file also implements io.ReaderAt, which Parquet needs.
func (s *Source) Open(_ context.Context, o source.Object) (io.ReadCloser, error) {
	f, err := os.Open(o.URI)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", o.URI, err)
	}
	return f, nil
}
