package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/inventory"
)

// accountFlag picks one account of the configuration file; config.ApplyTo
// reads it by this name.
const accountFlag = "account"

// discoverFlags are the flags that choose and tune a discovery. discover,
// generate and audit register the same set, so a scope means the same thing
// everywhere.
type discoverFlags struct {
	s           streams
	regions     []string
	account     string
	profile     string
	roleARN     string
	endpointURL string
	concurrency int
	rate        float64
	burst       int
	maxAttempts int
	pageSize    int
	include     []string
	exclude     []string
	apiIDs      []string
	tags        []string
	protocol    string
	types       []string
	logLevel    string
	logFormat   string
	quiet       bool
}

// newDiscoverFlags returns the flag set; s.err receives logs and progress.
func newDiscoverFlags(s streams) *discoverFlags { return &discoverFlags{s: s} }

func (f *discoverFlags) register(fs *pflag.FlagSet) {
	fs.StringSliceVar(&f.regions, "region", nil, `regions to discover, repeatable or comma-separated; "all" = every commercial region (default: the configured region)`)
	fs.StringVar(&f.account, accountFlag, "", "account of the configuration file to run against (its profile, role and regions)")
	fs.StringVar(&f.profile, "profile", "", "AWS shared-config profile (default: AWS_PROFILE or default)")
	fs.StringVar(&f.roleARN, "role-arn", "", "IAM role to assume for discovery, with the --profile credentials or the default chain's")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "custom API Gateway and STS endpoint, e.g. an emulator (default: AWS, or AWS_ENDPOINT_URL_APIGATEWAYV2 / AWS_ENDPOINT_URL)")
	fs.IntVar(&f.concurrency, "concurrency", discover.DefaultConcurrency, "requests in flight per account and region")
	fs.Float64Var(&f.rate, "rate", discover.DefaultRate, "requests per second per account and region, retries included; 0 = no client-side limit")
	fs.IntVar(&f.burst, "burst", discover.DefaultBurst, "token-bucket burst per account and region")
	fs.IntVar(&f.maxAttempts, "max-attempts", discover.DefaultMaxAttempts, "attempts per call before it is recorded as failed (SDK standard retryer)")
	fs.IntVar(&f.pageSize, "page-size", discover.DefaultPageSize, fmt.Sprintf("maxResults of GetApis and of each list of an API's stages, routes, ... (1-%d)", discover.MaxPageSize))
	fs.StringArrayVar(&f.include, "include", nil, "keep only APIs whose name matches this regular expression (repeatable: any)")
	fs.StringArrayVar(&f.exclude, "exclude", nil, "drop APIs whose name matches this regular expression (repeatable)")
	fs.StringSliceVar(&f.apiIDs, "api-id", nil, "keep only these API ids (repeatable or comma-separated)")
	fs.StringArrayVar(&f.tags, "tag", nil, "keep only APIs tagged key=value (repeatable: all must match)")
	fs.StringVar(&f.protocol, "protocol", "", "keep only APIs of this protocol: http or websocket")
	fs.StringSliceVar(&f.types, "types", nil, "resource types, comma-separated: "+strings.Join(inventory.AllKinds, ", ")+"; api is required; each other type is one list per API (default: all)")
	fs.StringVar(&f.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display and no summary")
}

// discoverMemoryLimit is the Go heap size the garbage collector keeps a
// discovery under unless GOMEMLIMIT says otherwise: most of what a walk
// allocates is response garbage, and without a limit the heap grows to
// twice the live inventory before a collection (355 MB peak RSS for
// 20,000 APIs with every type, 215 MB with the limit; docs/benchmarks.md).
// It is soft: a larger live inventory still fits, collected more often.
const discoverMemoryLimit = 200 << 20

// options turns the flags into discover.Options, with errors that name the
// flag. SOURCE_DATE_EPOCH, when set, fixes the inventory's captured_at.
func (f *discoverFlags) options() (discover.Options, error) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(discoverMemoryLimit)
	}
	o := discover.Options{
		Regions:     f.regions,
		Profile:     f.profile,
		EndpointURL: f.endpointURL,
		Concurrency: f.concurrency,
		Rate:        f.rate,
		Burst:       f.burst,
		MaxAttempts: f.maxAttempts,
		PageSize:    f.pageSize,
		APIIDs:      f.apiIDs,
		Protocol:    f.protocol,
		Types:       f.types,
	}
	if f.roleARN != "" {
		if _, err := arn.Parse(f.roleARN); err != nil || !strings.HasPrefix(f.roleARN, "arn:") {
			return o, fmt.Errorf("--role-arn %q is not an ARN; use arn:aws:iam::ACCOUNT:role/NAME", f.roleARN)
		}
		o.Credentials = assumeRole(f.profile, f.roleARN, f.endpointURL, f.regions)
	}
	// Zero in Options means "default"; on the command line the user means it.
	switch {
	case f.concurrency < 1:
		return o, fmt.Errorf("--concurrency %d must be at least 1", f.concurrency)
	case f.burst < 1:
		return o, fmt.Errorf("--burst %d must be at least 1", f.burst)
	case f.maxAttempts < 1:
		return o, fmt.Errorf("--max-attempts %d must be at least 1", f.maxAttempts)
	case f.pageSize < 1:
		return o, fmt.Errorf("--page-size %d must be between 1 and %d", f.pageSize, discover.MaxPageSize)
	case f.rate == 0:
		o.Rate = discover.Unlimited
	}
	var err error
	if o.Include, err = compileAll("--include", f.include); err != nil {
		return o, err
	}
	if o.Exclude, err = compileAll("--exclude", f.exclude); err != nil {
		return o, err
	}
	for _, kv := range f.tags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return o, fmt.Errorf("--tag %q must be key=value", kv)
		}
		if o.Tags == nil {
			o.Tags = map[string]string{}
		}
		o.Tags[k] = v
	}
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return o, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a Unix time in seconds; unset it or fix it", epoch)
		}
		o.CapturedAt = time.Unix(sec, 0).UTC()
	}
	if o.Logger, err = f.logger(f.s.err); err != nil {
		return o, err
	}
	if !f.quiet && isTerminalWriter(f.s.err) {
		o.Progress = f.s.err
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, nil
}

func (f *discoverFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q must be debug, info, warn or error", f.logLevel)
	}
	ho := &slog.HandlerOptions{Level: level}
	switch f.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	}
	return nil, fmt.Errorf("--log-format %q must be text or json", f.logFormat)
}

func compileAll(flag string, exprs []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a valid regular expression: %w", flag, e, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// isTerminalWriter reports whether w is a terminal, where a redrawn progress line
// makes sense; pipes and files get none.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// assumeRole returns the credentials of roleARN, assumed with the profile's
// credentials (or the default chain's) and renewed before they expire. The
// base configuration is loaded on first use, with that call's context.
func assumeRole(profile, roleARN, endpointURL string, regions []string) aws.CredentialsProvider {
	return aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		var opts []func(*awsconfig.LoadOptions) error
		if profile != "" {
			opts = append(opts, awsconfig.WithSharedConfigProfile(profile))
		}
		cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("loading the AWS configuration to assume %s: %w", roleARN, err)
		}
		// STS answers in every region; the SDK only needs one to sign for.
		if cfg.Region == "" {
			cfg.Region = "us-east-1"
			if len(regions) > 0 && regions[0] != "all" {
				cfg.Region = regions[0]
			}
		}
		client := sts.NewFromConfig(cfg, func(so *sts.Options) {
			if endpointURL != "" {
				so.BaseEndpoint = aws.String(endpointURL)
			}
		})
		creds, err := stscreds.NewAssumeRoleProvider(client, roleARN, func(ao *stscreds.AssumeRoleOptions) {
			ao.RoleSessionName = "apigw2tf"
		}).Retrieve(ctx)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("assuming role %s: %w", roleARN, err)
		}
		return creds, nil
	}))
}
