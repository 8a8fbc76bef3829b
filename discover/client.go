package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// apiLister is the part of the API Gateway V2 client discovery calls.
type apiLister interface {
	GetApis(ctx context.Context, in *apigatewayv2.GetApisInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error)
	GetStages(ctx context.Context, in *apigatewayv2.GetStagesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
	GetAuthorizers(ctx context.Context, in *apigatewayv2.GetAuthorizersInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizersOutput, error)
	GetIntegrations(ctx context.Context, in *apigatewayv2.GetIntegrationsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error)
	GetRoutes(ctx context.Context, in *apigatewayv2.GetRoutesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error)
	GetModels(ctx context.Context, in *apigatewayv2.GetModelsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetModelsOutput, error)
	GetRouteResponses(ctx context.Context, in *apigatewayv2.GetRouteResponsesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRouteResponsesOutput, error)
	GetIntegrationResponses(ctx context.Context, in *apigatewayv2.GetIntegrationResponsesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationResponsesOutput, error)
	GetVpcLinks(ctx context.Context, in *apigatewayv2.GetVpcLinksInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetVpcLinksOutput, error)
	GetDomainNames(ctx context.Context, in *apigatewayv2.GetDomainNamesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDomainNamesOutput, error)
	GetApiMappings(ctx context.Context, in *apigatewayv2.GetApiMappingsInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiMappingsOutput, error)
}

// identityGetter is the part of the STS client discovery calls.
type identityGetter interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// regionClients are the clients of one account and region. They share one
// gate, so the quota and the in-flight bound cover both services.
type regionClients struct {
	region string
	api    apiLister
	sts    identityGetter
}

// counters are the live numbers the progress line shows.
type counters struct {
	requests    atomic.Int64 // attempts sent, retries included
	throttled   atomic.Int64 // attempts answered with a throttling error
	regionsDone atomic.Int64
	apisFound   atomic.Int64 // APIs kept by the filters, stages still to list
	apisDone    atomic.Int64 // APIs whose stages are listed (or failed)
}

// loadConfig resolves credentials, region and endpoints the way the AWS CLI
// does: environment, shared config and SSO, then IMDS. With o.shared it
// starts from that configuration instead of loading it again.
func loadConfig(ctx context.Context, o Options, regionCount int) (aws.Config, error) {
	// Every in-flight request may hold a connection; the SDK's default of
	// 10 idle connections per host would make the rest redial each time
	// (all regions share one host behind a custom endpoint).
	conns := o.Concurrency * max(1, min(regionCount, maxParallelRegions))
	pool := func(t *http.Transport) {
		t.MaxIdleConns = conns
		t.MaxIdleConnsPerHost = conns
		o.transports.add(t)
	}
	if o.shared != nil {
		return sharedConfig(ctx, o, pool)
	}
	opts := []func(*config.LoadOptions) error{config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(pool))}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(o.Credentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if o.Profile != "" {
			return aws.Config{}, fmt.Errorf("loading AWS configuration for profile %q: %w", o.Profile, err)
		}
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return cfg, checkCredentials(ctx, o, cfg)
}

// sharedConfig derives one account's configuration from the run's
// (o.shared): its own credentials and connection pool, everything else as
// loaded. Loading the configuration again for every account of an
// organization costs more than it seems: with AWS_CA_BUNDLE set, the SDK
// parses the whole bundle each time (about 3 ms of CPU for a system
// bundle), while the pool built from it can be shared.
func sharedConfig(ctx context.Context, o Options, pool func(*http.Transport)) (aws.Config, error) {
	cfg := o.shared.Copy()
	bc, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: unexpected HTTP client %T", cfg.HTTPClient)
	}
	cfg.HTTPClient = bc.WithTransportOptions(pool)
	if o.Credentials != nil {
		cfg.Credentials = o.Credentials
		if _, cached := o.Credentials.(*aws.CredentialsCache); !cached {
			cfg.Credentials = aws.NewCredentialsCache(o.Credentials)
		}
	}
	return cfg, checkCredentials(ctx, o, cfg)
}

// checkCredentials asks for credentials once, up front.
func checkCredentials(ctx context.Context, o Options, cfg aws.Config) error {
	// When none are found, the SDK's own error names only the last
	// provider of its chain ("no EC2 IMDS role found"), which tells a user
	// nothing about what to do.
	if cfg.Credentials != nil {
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return credentialsError(o, err)
		}
	}
	return nil
}

// credentialsError says which credentials were tried and how to give them.
func credentialsError(o Options, err error) error {
	tried := "the default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the default profile of ~/.aws/config and ~/.aws/credentials with SSO, web identity, the ECS container role, the EC2 instance role)"
	switch {
	case o.Credentials != nil:
		tried = "the credentials given (with --role-arn: AssumeRole on top of the profile's or the default chain's)"
	case o.Profile != "":
		tried = fmt.Sprintf("profile %q of ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE)", o.Profile)
	}
	return fmt.Errorf("no usable AWS credentials: tried %s; give them with --profile NAME (for SSO, run `aws sso login --profile NAME` first), "+
		"with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment, "+
		"or with --role-arn ARN on top of working credentials; see docs/troubleshooting.md (the SDK said: %w)", tried, err)
}

// newRegionClients builds the clients of one region. Each region gets its
// own token bucket and in-flight bound, because API Gateway's quota is per
// account and region. endpoint is the custom API Gateway endpoint the SDK
// resolved (flag, AWS_ENDPOINT_URL_APIGATEWAYV2, AWS_ENDPOINT_URL, shared
// config), empty for AWS itself.
func newRegionClients(cfg aws.Config, o Options, region string, c *counters) (rc *regionClients, endpoint string) {
	g := newGate(o, region, c)
	// Standard, not adaptive: adaptive mode learns a send rate from the
	// throttles it sees, starting unlimited and halving on every 429, while
	// the quota here is known up front and enforced by gate. The retry
	// quota is off because gate already paces every attempt; with it on, a
	// burst of 429s would make the SDK give up on calls that would succeed.
	newRetryer := func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = o.MaxAttempts
			so.MaxBackoff = o.MaxBackoff
			so.RateLimiter = ratelimit.None
		})
	}
	api := apigatewayv2.NewFromConfig(cfg, func(ao *apigatewayv2.Options) {
		ao.Region = region
		ao.Retryer = newRetryer()
		ao.RetryMaxAttempts = 0 // else AWS_MAX_ATTEMPTS would override --max-attempts
		ao.APIOptions = append(ao.APIOptions, g.install)
		if o.EndpointURL != "" {
			ao.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	st := sts.NewFromConfig(cfg, func(so *sts.Options) {
		so.Region = region
		so.Retryer = newRetryer()
		so.RetryMaxAttempts = 0
		so.APIOptions = append(so.APIOptions, g.install)
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	return &regionClients{region: region, api: api, sts: st}, aws.ToString(api.Options().BaseEndpoint)
}

// gate is an SDK middleware that runs once per attempt, after the retryer
// and before signing: it bounds the requests in flight, waits for a token
// of the region's bucket and counts what happened.
type gate struct {
	bucket *bucket // nil: no client-side limit (Unlimited)
	slots  chan struct{}
	counts *counters
	log    *slog.Logger
}

func newGate(o Options, region string, c *counters) *gate {
	g := &gate{
		slots:  make(chan struct{}, o.Concurrency),
		counts: c,
		log:    o.Logger.With("region", region),
	}
	if o.Rate != Unlimited {
		g.bucket = newBucket(o.Rate, o.Burst)
	}
	return g
}

func (g *gate) install(stack *middleware.Stack) error {
	return stack.Finalize.Insert(g, "Retry", middleware.After)
}

// ID names the middleware in the SDK's stack.
func (g *gate) ID() string { return "apigw2tf.Gate" }

// HandleFinalize takes an in-flight slot before the token so that a token is
// never spent on a request that then queues behind others.
func (g *gate) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return middleware.FinalizeOutput{}, middleware.Metadata{}, ctx.Err()
	}
	defer func() { <-g.slots }()
	// A request whose caller gave up is not sent, limited or not.
	if err := ctx.Err(); err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	if g.bucket != nil {
		if err := g.bucket.wait(ctx); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		// next returns once the response is read: the token is charged
		// then (see bucket).
		defer func() { g.bucket.done(time.Now()) }()
	}
	g.counts.requests.Add(1)
	out, md, err := next.HandleFinalize(ctx, in)
	if err != nil && !errors.Is(err, context.Canceled) {
		if isThrottle(err) {
			g.counts.throttled.Add(1)
		}
		g.log.Debug("attempt failed", "operation", middleware.GetOperationName(ctx), "error", err)
	}
	return out, md, err
}

// transports collects the HTTP transports a run's clients built, so that
// the run can close their idle connections when done: in a run of several
// accounts, finished accounts would otherwise keep their sockets and
// reader goroutines until the process ends.
type transports struct {
	mu  sync.Mutex
	all []*http.Transport
}

func (ts *transports) add(t *http.Transport) {
	if ts == nil {
		return
	}
	ts.mu.Lock()
	ts.all = append(ts.all, t)
	ts.mu.Unlock()
}

func (ts *transports) closeIdle() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, t := range ts.all {
		t.CloseIdleConnections()
	}
}
