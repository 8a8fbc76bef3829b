package discover

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"golang.org/x/time/rate"

	"github.com/apigw2tf/apigw2tf/internal/regions"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Defaults, applied by Run to zero-valued fields of Options.
const (
	// DefaultConcurrency is the number of requests in flight per account and
	// region. With the default rate it only matters when latency is high
	// (a far region, a slow proxy): 32 requests at 100 ms each already
	// allow 320 requests/s, far above any quota.
	DefaultConcurrency = 32
	// DefaultRate and DefaultBurst match the control-plane quota API Gateway
	// applies per account and region (about 10 requests/s, burst 40), so a
	// run uses the quota without tripping it.
	DefaultRate  = 10
	DefaultBurst = 40
	// DefaultMaxAttempts is higher than the SDK's 3 because discovery would
	// rather wait than lose a resource to a streak of throttles.
	DefaultMaxAttempts = 10
	// DefaultMaxBackoff is the SDK's own cap between attempts.
	DefaultMaxBackoff = 20 * time.Second
	// DefaultPageSize is the maxResults sent with GetApis and each list of
	// an API's children.
	DefaultPageSize = 100
	// MaxPageSize is the largest maxResults sent: API Gateway's REST API
	// documents 500 as its limit, the V2 reference names none, and the
	// emulator enforces the same 500.
	MaxPageSize = 500
)

// Unlimited as Options.Rate turns the client-side rate limiter off, for
// endpoints without a quota (an emulator, a benchmark).
const Unlimited = float64(rate.Inf)

// RegionAll as the only element of Options.Regions means every commercial
// region (regions.Commercial), opt-in ones included: a region the account
// has not enabled fails with an authentication error that lands in the
// inventory's errors, which is the honest answer for "every region".
const RegionAll = "all"

// Protocols are the values of Options.Protocol, as flags and the
// configuration file spell them.
var Protocols = []string{strings.ToLower(inventory.ProtocolHTTP), strings.ToLower(inventory.ProtocolWebSocket)}

// ValidRoleARN reports whether s is the ARN of an IAM role, in any
// partition, like arn:aws:iam::123456789012:role/apigw2tf-read.
func ValidRoleARN(s string) bool {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" || len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "" {
		return false
	}
	name, ok := strings.CutPrefix(a.Resource, "role/")
	return ok && name != ""
}

// CheckConcurrency is the rule for Options.Concurrency as a user gives it:
// at least one request in flight. The error names no flag or key; callers
// add theirs.
func CheckConcurrency(n int) error {
	if n < 1 {
		return fmt.Errorf("%d must be at least 1", n)
	}
	return nil
}

// ValidEndpointURL reports whether s can be Options.EndpointURL: an
// http(s) URL with a host.
func ValidEndpointURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Options say where to look, how hard to push, and what to keep. The zero
// value discovers the configured region with the defaults above.
type Options struct {
	// Regions to discover; empty means the region the SDK configuration
	// names (AWS_REGION, the profile).
	Regions []string
	// Profile is the shared-config profile; empty means the default chain
	// (AWS_PROFILE, then "default").
	Profile string
	// Credentials override the standard chain (env, shared config, SSO,
	// IMDS) when set.
	Credentials aws.CredentialsProvider
	// EndpointURL replaces the API Gateway and STS endpoints, as
	// --endpoint-url does for the AWS CLI. Empty leaves the SDK's choice,
	// which honours AWS_ENDPOINT_URL_APIGATEWAYV2, AWS_ENDPOINT_URL_STS and
	// AWS_ENDPOINT_URL.
	EndpointURL string

	// Concurrency bounds the requests in flight per account and region.
	Concurrency int
	// Rate and Burst shape the client-side token bucket per account and
	// region; every attempt, retries included, takes a token. Rate
	// Unlimited turns the bucket off.
	Rate  float64
	Burst int
	// MaxAttempts bounds the SDK's attempts per call, the first included.
	MaxAttempts int
	// MaxBackoff caps the SDK's jittered wait between attempts.
	MaxBackoff time.Duration
	// PageSize is the maxResults of GetApis and of the child lists.
	PageSize int
	// Types are the resource kinds to discover (inventory.AllKinds values,
	// api among them); empty means all. Each kind but api costs one paged
	// list per API.
	Types []string

	// Include keeps only APIs whose name matches one of these; Exclude
	// drops APIs whose name matches any of these.
	Include, Exclude []*regexp.Regexp
	// APIIDs keeps only these API ids.
	APIIDs []string
	// Tags keeps only APIs carrying every one of these tags.
	Tags map[string]string
	// Protocol keeps only APIs of this protocol type: HTTP or WEBSOCKET
	// (any case); empty keeps both.
	Protocol string

	// CapturedAt stamps the inventory; zero means now. Callers pass
	// SOURCE_DATE_EPOCH here for reproducible output.
	CapturedAt time.Time
	// Logger receives per-region and per-failure records; nil discards.
	Logger *slog.Logger
	// Progress, when set, receives a one-line live status redrawn with
	// carriage returns; give it a terminal only.
	Progress io.Writer

	// transports is set by Run for the clients it builds.
	transports *transports
}

// withDefaults returns a copy with zero fields filled in.
func (o Options) withDefaults() Options {
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.Burst == 0 {
		o.Burst = DefaultBurst
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.PageSize == 0 {
		o.PageSize = DefaultPageSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	// Validate has refused a bad list already.
	o.Types, _ = inventory.ParseKinds(o.Types)
	o.Protocol = strings.ToUpper(o.Protocol)
	return o
}

// Validate reports the first unusable option, naming it the way the CLI
// flag does.
func (o Options) Validate() error {
	for _, r := range o.Regions {
		if r == RegionAll {
			if len(o.Regions) > 1 {
				return errors.New("--region all cannot be combined with other regions")
			}
			continue
		}
		// Checked here so that a typo is one clear error, not a DNS
		// failure recorded per region.
		if !regions.Valid(r) {
			return fmt.Errorf("--region %q is not an AWS region (like us-east-1) or %q", r, RegionAll)
		}
	}
	if o.EndpointURL != "" {
		if !ValidEndpointURL(o.EndpointURL) {
			return fmt.Errorf("--endpoint-url %q is not an http(s) URL like https://apigateway.example:4566", o.EndpointURL)
		}
	}
	if o.Concurrency != 0 { // zero means the default
		if err := CheckConcurrency(o.Concurrency); err != nil {
			return fmt.Errorf("--concurrency %w", err)
		}
	}
	switch {
	case o.Rate < 0 || math.IsNaN(o.Rate):
		return fmt.Errorf("--rate %v must not be negative (requests per second; 0 = no limit)", o.Rate)
	case o.Burst < 0:
		return fmt.Errorf("--burst %d must be at least 1", o.Burst)
	case o.MaxAttempts < 0:
		return fmt.Errorf("--max-attempts %d must be at least 1", o.MaxAttempts)
	case o.MaxBackoff < 0:
		return fmt.Errorf("max backoff %v must not be negative", o.MaxBackoff)
	case o.PageSize < 0 || o.PageSize > MaxPageSize:
		return fmt.Errorf("--page-size %d must be between 1 and %d", o.PageSize, MaxPageSize)
	}
	for _, re := range append(append([]*regexp.Regexp(nil), o.Include...), o.Exclude...) {
		if re == nil {
			return errors.New("--include/--exclude: nil regular expression")
		}
	}
	for _, id := range o.APIIDs {
		if err := inventory.CheckAPIID(id); err != nil {
			return fmt.Errorf("--api-id %w", err)
		}
	}
	for k := range o.Tags {
		if k == "" {
			return errors.New("--tag needs a key: use --tag key=value")
		}
	}
	if _, err := inventory.ParseKinds(o.Types); err != nil {
		return err
	}
	if o.Protocol != "" && !slices.Contains(Protocols, strings.ToLower(o.Protocol)) {
		return fmt.Errorf("--protocol %q must be %s", o.Protocol, strings.Join(Protocols, " or "))
	}
	return nil
}
