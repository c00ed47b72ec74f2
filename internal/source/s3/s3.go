// Package s3 lists and reads VPC flow-log objects straight from an S3 bucket (or an S3-compatible
// store) with the AWS SDK for Go v2.
//
// Listing is pruned by the key layout: below AWSLogs/ it builds the account, service, region and
// day prefixes that --account, --region and the time window select, in the plain and the Hive
// form, and lists a folder level with a delimiter only to discover what is not given (accounts,
// regions, hour folders at the window's edges). Objects are read as streams; a stream cut
// mid-object is resumed at its offset with a Range request pinned to the listed ETag (If-Match),
// so a changed object is reported rather than stitched together from two versions.
package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/source"
	"github.com/flowdig/flowdig/internal/source/awsconf"
)

// The S3 calls flowdig makes, one small interface each; *awss3.Client has them all.
type (
	lister interface {
		ListObjectsV2(ctx context.Context, in *awss3.ListObjectsV2Input, opts ...func(*awss3.Options)) (*awss3.ListObjectsV2Output, error)
	}
	getter interface {
		GetObject(ctx context.Context, in *awss3.GetObjectInput, opts ...func(*awss3.Options)) (*awss3.GetObjectOutput, error)
	}
	bucketHeader interface {
		HeadBucket(ctx context.Context, in *awss3.HeadBucketInput, opts ...func(*awss3.Options)) (*awss3.HeadBucketOutput, error)
	}
)

// Options tune the source. Zero values take the defaults noted.
type Options struct {
	Filter      source.Filter
	EndpointURL string        // S3-compatible store: path-style requests to this endpoint
	ListTimeout time.Duration // per LIST call, default 1 min
	GetTimeout  time.Duration // per GET attempt, body included, default 10 min
	Resumes     int           // attempts to resume one cut download, default 8
	ListCalls   int           // concurrent LIST calls while walking, default 8
	PageSize    int32         // keys per LIST page; 0 leaves the server's default (1,000)
	Backoff     awsconf.Backoff
}

func (o *Options) defaults() {
	if o.ListTimeout <= 0 {
		o.ListTimeout = time.Minute
	}
	if o.GetTimeout <= 0 {
		o.GetTimeout = 10 * time.Minute
	}
	if o.Resumes <= 0 {
		o.Resumes = 8
	}
	if o.ListCalls <= 0 {
		o.ListCalls = 8
	}
}

// Stats counts what the source asked S3 for.
type Stats struct {
	ListCalls atomic.Int64 // ListObjectsV2 pages
	GetCalls  atomic.Int64 // GetObject requests, resumes included
	Resumes   atomic.Int64 // downloads resumed with a Range request
}

// Source is one s3://bucket/prefix location.
type Source struct {
	list    lister
	get     getter
	bucket  string
	prefix  string // key prefix from the URL, "" for the whole bucket
	opt     Options
	skipped []source.Skipped
	stats   Stats
}

var _ source.Source = (*Source)(nil)

// New returns the source for an s3://bucket/prefix URL. Unless an endpoint is given, the bucket's
// own region is looked up (HeadBucket) so that a bucket in another region than the profile's
// still works.
func New(ctx context.Context, cfg aws.Config, rawURL string, opt Options) (*Source, error) {
	opt.defaults()
	bucket, prefix, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3 needs a signing region; HeadBucket names the real one
	}
	clientOpts := func(o *awss3.Options) {
		// S3-compatible stores and older S3 versions send no response checksums; do not warn.
		o.DisableLogOutputChecksumValidationSkipped = true
		if opt.EndpointURL != "" {
			o.BaseEndpoint = aws.String(opt.EndpointURL)
			o.UsePathStyle = true
		}
	}
	client := awss3.NewFromConfig(cfg, clientOpts)
	if opt.EndpointURL == "" {
		region, err := bucketRegion(ctx, client, bucket, opt.ListTimeout)
		if err != nil {
			return nil, err
		}
		if region != "" && region != cfg.Region {
			cfg.Region = region
			client = awss3.NewFromConfig(cfg, clientOpts)
		}
	}
	return &Source{list: client, get: client, bucket: bucket, prefix: prefix, opt: opt}, nil
}

// ParseURL splits s3://bucket/prefix.
func ParseURL(raw string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(raw, "s3://")
	if !ok {
		return "", "", fmt.Errorf("s3: %q is not an s3://bucket/prefix URL", raw)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("s3: %q names no bucket", raw)
	}
	return bucket, prefix, nil
}

// bucketRegion asks S3 where the bucket lives: HeadBucket answers with x-amz-bucket-region, also
// when it fails with a redirect or access denied.
func bucketRegion(ctx context.Context, c bucketHeader, bucket string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := c.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil {
		return aws.ToString(out.BucketRegion), nil
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		if r := re.Response.Header.Get("X-Amz-Bucket-Region"); r != "" {
			return r, nil
		}
	}
	return "", fmt.Errorf("s3: find the region of bucket %s: %w", bucket, classify(err))
}

// Stats returns the request counters.
func (s *Source) Stats() *Stats { return &s.stats }

// Skipped returns what the last List left out on purpose.
func (s *Source) Skipped() []source.Skipped { return s.skipped }

// Open starts reading o. The reader resumes a cut stream where it stopped.
func (s *Source) Open(ctx context.Context, o source.Object) (io.ReadCloser, error) {
	r := &reader{ctx: ctx, s: s, obj: o, etag: o.ETag, version: o.VersionID, size: -1}
	if err := r.fetch(); err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", o.URI, err)
	}
	return r, nil
}

// object turns a listed S3 object into a source object.
func (s *Source) object(key string, size int64, mtime time.Time, etag string) source.Object {
	uri := "s3://" + s.bucket + "/" + key
	return source.Object{
		URI:       uri,
		Size:      size,
		MTime:     mtime.UTC().Truncate(time.Microsecond),
		Key:       keylayout.Parse(uri),
		Bucket:    s.bucket,
		ObjectKey: key,
		ETag:      etag,
	}
}

// classify maps S3 errors that concern one object to the sources' sentinels.
func classify(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "Forbidden", "AllAccessDisabled", "InvalidObjectState":
			return fmt.Errorf("%w: %s", source.ErrDenied, ae.ErrorMessage())
		case "PreconditionFailed":
			return fmt.Errorf("%w: ETag no longer matches", source.ErrChanged)
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("%w: it no longer exists", source.ErrChanged)
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case 403:
			return fmt.Errorf("%w: %v", source.ErrDenied, err)
		case 412:
			return fmt.Errorf("%w: ETag no longer matches", source.ErrChanged)
		}
	}
	return err
}

// permanent reports whether retrying err cannot help.
func permanent(err error) bool {
	return errors.Is(err, source.ErrDenied) || errors.Is(err, source.ErrChanged)
}
