package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/inventory"
)

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
	log         logFlags
	types       []string
	quiet       bool
	// fileTags are filters.tags of the configuration file, used when
	// --tag is not given.
	fileTags map[string]string
	// refs are the flags the configuration file also sets.
	refs flagRefs
	// discovery holds the flags that say what to discover.
	discovery *pflag.FlagSet
}

// newDiscoverFlags returns the flag set; s.err receives logs and progress.
func newDiscoverFlags(s streams) *discoverFlags { return &discoverFlags{s: s} }

// discoverFlagSet registers the discover flags on a set of their own, for
// generate and audit, which add it to their flags.
func discoverFlagSet(s streams) (*discoverFlags, *pflag.FlagSet) {
	df := newDiscoverFlags(s)
	set := pflag.NewFlagSet("discover", pflag.ContinueOnError)
	df.register(set)
	return df, set
}

func (f *discoverFlags) register(out *pflag.FlagSet) {
	// The flags that say what to discover get a set of their own, which
	// tells those the command line gave; the output flags (logging, -q)
	// say nothing about that, so they combine with --inventory.
	f.discovery = pflag.NewFlagSet("discover", pflag.ContinueOnError)
	fs, ff := f.discovery, &f.refs
	ff.Region = flagVar(fs, fs.StringSliceVar, &f.regions, "region", nil, `regions to discover, repeatable or comma-separated; "all" = every commercial region (default: the configured region)`)
	ff.Account = flagVar(fs, fs.StringVar, &f.account, "account", "", "account of the configuration file to run against (its profile, role and regions)")
	ff.Profile = flagVar(fs, fs.StringVar, &f.profile, "profile", "", "AWS shared-config profile (default: AWS_PROFILE or default)")
	ff.RoleARN = flagVar(fs, fs.StringVar, &f.roleARN, "role-arn", "", "IAM role to assume for discovery, with the --profile credentials or the default chain's")
	ff.EndpointURL = flagVar(fs, fs.StringVar, &f.endpointURL, "endpoint-url", "", "custom API Gateway and STS endpoint, e.g. an emulator (default: AWS, or AWS_ENDPOINT_URL_APIGATEWAYV2 / AWS_ENDPOINT_URL)")
	ff.Concurrency = flagVar(fs, fs.IntVar, &f.concurrency, "concurrency", discover.DefaultConcurrency, "requests in flight per account and region (default 8 when several accounts run)")
	ff.Rate = flagVar(fs, fs.Float64Var, &f.rate, "rate", discover.DefaultRate, "requests per second per account and region, retries included; 0 = no client-side limit")
	ff.Burst = flagVar(fs, fs.IntVar, &f.burst, "burst", discover.DefaultBurst, "token-bucket burst per account and region")
	ff.MaxAttempts = flagVar(fs, fs.IntVar, &f.maxAttempts, "max-attempts", discover.DefaultMaxAttempts, "attempts per call before it is recorded as failed (SDK standard retryer)")
	fs.IntVar(&f.pageSize, "page-size", discover.DefaultPageSize, fmt.Sprintf("maxResults of GetApis and of each list of an API's stages, routes, ... (1-%d)", discover.MaxPageSize))
	ff.Include = flagVar(fs, fs.StringArrayVar, &f.include, "include", nil, "keep only APIs whose name matches this regular expression (repeatable: any)")
	ff.Exclude = flagVar(fs, fs.StringArrayVar, &f.exclude, "exclude", nil, "drop APIs whose name matches this regular expression (repeatable)")
	ff.APIID = flagVar(fs, fs.StringSliceVar, &f.apiIDs, "api-id", nil, "keep only these API ids (repeatable or comma-separated)")
	ff.Tag = flagVar(fs, fs.StringArrayVar, &f.tags, "tag", nil, "keep only APIs tagged key=value (repeatable: all must match)")
	ff.Protocol = flagVar(fs, fs.StringVar, &f.protocol, "protocol", "", "keep only APIs of this protocol: http or websocket")
	ff.Types = flagVar(fs, fs.StringSliceVar, &f.types, "types", nil, "resource types, comma-separated: "+strings.Join(inventory.AllKinds, ", ")+"; api is required, a *_response type needs its route or integration, api_mapping needs domain_name; an API's types are one list per API (responses one per route or integration), domain_name and vpc_link one per region, api_mapping one per domain name (default: all)")
	out.AddFlagSet(fs)
	f.log.register(out, "warn")
	out.BoolVarP(&f.quiet, "quiet", "q", false, "no progress display and no summary")
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
		if !discover.ValidRoleARN(f.roleARN) {
			return o, fmt.Errorf("--role-arn %q is not an ARN of an IAM role; use arn:aws:iam::ACCOUNT:role/NAME", f.roleARN)
		}
		o.Credentials = assumeRole(f.profile, f.roleARN, f.endpointURL, f.regions)
	}
	// Zero in Options means "default"; on the command line the user means it.
	if err := discover.CheckConcurrency(f.concurrency); err != nil {
		return o, fmt.Errorf("--%s %w", f.refs.Concurrency.Name, err)
	}
	switch {
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
	o.Tags = maps.Clone(f.fileTags)
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
	if o.Logger, err = f.log.logger(f.s.err); err != nil {
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

// flagVar defines a flag with define, one of pflag's XxxVar methods, and
// returns it, so that the configuration file's values can tell whether
// the flag was given (flagRefs) without its name being written twice.
func flagVar[T any](fs *pflag.FlagSet, define func(p *T, name string, value T, usage string), p *T, name string, value T, usage string) *pflag.Flag {
	define(p, name, value, usage)
	return fs.Lookup(name)
}

// flagVarP is flagVar for a flag with a shorthand.
func flagVarP[T any](fs *pflag.FlagSet, define func(p *T, name, shorthand string, value T, usage string), p *T, name, shorthand string, value T, usage string) *pflag.Flag {
	define(p, name, shorthand, value, usage)
	return fs.Lookup(name)
}

// changedScope lists the flags that say what to discover given on the
// command line.
func (f *discoverFlags) changedScope() []string {
	var changed []string
	f.discovery.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed {
			changed = append(changed, "--"+fl.Name)
		}
	})
	return changed
}

// checkInventory refuses discover flags beside --inventory: a saved
// inventory is not discovered again, so they would silently do nothing.
func (f *discoverFlags) checkInventory() error {
	if changed := f.changedScope(); len(changed) > 0 {
		return fmt.Errorf("--inventory cannot be combined with discover flags (%s); drop one or the other", strings.Join(changed, ", "))
	}
	return nil
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
