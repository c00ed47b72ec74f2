// Package awsconf builds the AWS SDK configuration that flowdig's remote sources (S3, CloudWatch
// Logs) share: the standard credential chain, or a named profile, optionally assuming a role;
// the API region; and one retry policy, jittered exponential backoff, used by the SDK for every
// call and by the sources for what the SDK cannot retry (a download cut mid-body).
//
// Nothing here prints or records credentials; errors name the profile or role, never a key.
package awsconf

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Options select how to reach AWS.
type Options struct {
	Profile     string // shared config profile (--profile); empty: the default chain
	Region      string // API region (--region when one is given); empty: from the profile or environment
	RoleARN     string // role to assume with the chain's credentials (--role-arn)
	EndpointURL string // S3-compatible or test endpoint (--endpoint-url); applied per service, not to STS
	MaxAttempts int    // attempts per API call, default 8
	Backoff     Backoff
	// Credentials replaces the chain (tests); HTTPClient replaces the SDK's (tests).
	Credentials aws.CredentialsProvider
	HTTPClient  *http.Client
}

// Load resolves the configuration. Credentials are resolved lazily, on the first call.
func Load(ctx context.Context, o Options) (aws.Config, error) {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	b := o.Backoff.withDefaults()
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = o.MaxAttempts
				so.MaxBackoff = b.Max
				so.Backoff = b
				// Throttling is expected on a large FilterLogEvents or LIST run: back off and
				// keep going rather than fail once a shared retry budget is spent.
				so.RateLimiter = ratelimit.None
			})
		}),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(o.Credentials))
	}
	if o.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(o.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if o.Profile != "" {
			return aws.Config{}, fmt.Errorf("aws: load configuration for profile %q: %w", o.Profile, err)
		}
		return aws.Config{}, fmt.Errorf("aws: load configuration: %w", err)
	}
	if o.RoleARN != "" {
		prov := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), o.RoleARN, func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = fmt.Sprintf("flowdig-%d", time.Now().Unix())
		})
		cfg.Credentials = aws.NewCredentialsCache(prov)
	}
	return cfg, nil
}

// RedactURL returns u without user information, for logs and the ledger.
func RedactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = nil
	return p.String()
}

// Backoff is full-jitter exponential backoff: before retry n (1-based) it waits a uniformly
// random time in [0, min(Max, Base·2^(n-1))), so concurrent clients spread out instead of
// retrying in step. It is the SDK's retry delay for every call and the sources' delay between
// attempts to resume a download.
type Backoff struct {
	Base time.Duration // default 200 ms
	Max  time.Duration // default 20 s
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = 200 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 20 * time.Second
	}
	return b
}

// Delay is the wait before retry attempt (1-based).
func (b Backoff) Delay(attempt int) time.Duration {
	b = b.withDefaults()
	ceil := b.Max
	if attempt < 1 {
		attempt = 1
	}
	if attempt < 32 {
		if d := b.Base << (attempt - 1); d > 0 && d < ceil {
			ceil = d
		}
	}
	return rand.N(ceil) + 1
}

// BackoffDelay implements the SDK's retry.BackoffDelayer.
func (b Backoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return b.Delay(attempt), nil
}

// Sleep waits d or until ctx ends, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
