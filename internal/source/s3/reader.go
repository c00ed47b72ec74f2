package s3

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/awsconf"
)

// reader streams one object. When the body breaks (connection reset, a stall past the attempt's
// deadline, a body shorter than its Content-Length) it asks again from the current offset with a
// Range request, with jittered backoff between attempts, and the consumer never sees the break.
// Every request carries If-Match with the listed ETag (and the version once known), and the ETag
// of every response is checked too, so a changed object fails with source.ErrChanged instead of
// mixing two versions' bytes.
type reader struct {
	ctx     context.Context
	s       *Source
	obj     source.Object
	etag    string
	version string
	size    int64 // total size from the first response; -1 until known
	off     int64 // bytes delivered
	body    io.ReadCloser
	cancel  context.CancelFunc // ends the current attempt
	err     error              // sticky: the reader has given up
}

var _ source.Versioned = (*reader)(nil)

// VersionID is the x-amz-version-id of the bytes read ("" for an unversioned bucket).
func (r *reader) VersionID() string { return r.version }

// fetch issues one GET from the current offset.
func (r *reader) fetch() error {
	ctx, cancel := context.WithTimeout(r.ctx, r.s.opt.GetTimeout)
	in := &awss3.GetObjectInput{Bucket: aws.String(r.obj.Bucket), Key: aws.String(r.obj.ObjectKey)}
	if r.etag != "" {
		in.IfMatch = aws.String(r.etag)
	}
	if r.version != "" {
		in.VersionId = aws.String(r.version)
	}
	if r.off > 0 {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", r.off))
	}
	r.s.stats.GetCalls.Add(1)
	out, err := r.s.get.GetObject(ctx, in)
	if err != nil {
		cancel()
		return classify(err)
	}
	if got := aws.ToString(out.ETag); r.etag != "" && got != "" && got != r.etag {
		// A store that ignores If-Match still names what it sent.
		out.Body.Close()
		cancel()
		return fmt.Errorf("%w: listed with ETag %s, now %s", source.ErrChanged, r.etag, got)
	}
	if r.etag == "" {
		r.etag = aws.ToString(out.ETag)
	}
	if v := aws.ToString(out.VersionId); v != "" {
		r.version = v
	}
	if r.size < 0 {
		r.size = r.off + aws.ToInt64(out.ContentLength)
	}
	r.body, r.cancel = out.Body, cancel
	return nil
}

func (r *reader) Read(p []byte) (int, error) {
	for {
		if r.err != nil {
			return 0, r.err
		}
		n, err := r.body.Read(p)
		r.off += int64(n)
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, io.EOF) && r.off >= r.size:
			return n, io.EOF
		case errors.Is(err, io.EOF):
			err = fmt.Errorf("body ended at byte %d of %d", r.off, r.size)
		}
		if r.ctx.Err() != nil {
			r.err = r.ctx.Err()
			return n, r.err
		}
		if rerr := r.resume(err); rerr != nil {
			r.err = rerr
		}
		if n > 0 {
			return n, nil
		}
	}
}

// resume replaces a broken body with a ranged GET from the current offset.
func (r *reader) resume(cause error) error {
	r.closeBody()
	last := cause
	for attempt := 1; attempt <= r.s.opt.Resumes; attempt++ {
		if err := awsconf.Sleep(r.ctx, r.s.opt.Backoff.Delay(attempt)); err != nil {
			return err
		}
		err := r.fetch()
		if err == nil {
			r.s.stats.Resumes.Add(1)
			return nil
		}
		if permanent(err) || r.ctx.Err() != nil {
			return fmt.Errorf("s3: resume at byte %d: %w", r.off, err)
		}
		last = err
	}
	return fmt.Errorf("s3: download broke at byte %d and %d attempts to resume failed: %w", r.off, r.s.opt.Resumes, last)
}

func (r *reader) closeBody() {
	if r.body != nil {
		r.body.Close()
		r.body = nil
	}
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
}

// Close ends the download.
func (r *reader) Close() error {
	r.closeBody()
	return nil
}
