package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// DefaultAccountConcurrency bounds the accounts discovered at once. The
// control-plane quota is per account and region, so every account in
// flight adds its own 10 requests/s and a run takes about as long as its
// largest account only while all accounts fit in flight. An account in
// flight costs little: a few goroutines and about rate × latency open
// connections per region. 64 lets an organization of 64 accounts run
// entirely side by side, keeps the AssumeRole calls at the start of a run
// to a modest burst (STS publishes no rate), and stays well inside one
// process's file descriptors (64 accounts × a few sockets per region).
const DefaultAccountConcurrency = 64

// DefaultAccountsConcurrency is the requests in flight per account and
// region in a run of several accounts, where DefaultConcurrency would
// multiply into thousands of connections (64 accounts × regions × 32) for
// nothing: at the quota's 10 requests/s, 8 in flight cover 800 ms of
// latency, and the burst of 40 at the start takes half a second at 100 ms.
// Measured at 50 accounts × 2 regions (docs/benchmarks.md): 8 instead of 32
// halves peak RSS and makes the run faster on a loaded machine.
const DefaultAccountsConcurrency = 8

// DefaultSessionName is the role session name of every AssumeRole, which
// shows in the member accounts' CloudTrail.
const DefaultSessionName = "apigw2tf"

// Target is one account of a several-account run.
type Target struct {
	// Name labels the account in reports and directory names.
	Name string
	// ID is the account id when known up front (from Organizations); the
	// discovered account must then match it.
	ID string
	// Profile, when set, replaces Options.Profile for this account.
	Profile string
	// RoleARN, when set, is assumed with the base credentials (Options'
	// profile or credentials) to reach the account.
	RoleARN string
	// Regions, when set, replace Options.Regions for this account.
	Regions []string
}

// AccountsOptions configure a several-account run. Options is the base:
// its credentials (Profile, Credentials) assume the targets' roles, and its
// regions, filters and pacing apply to every account, each account and
// region with its own token bucket.
type AccountsOptions struct {
	Options
	Targets []Target
	// Skipped are accounts left out on purpose, copied to the inventory.
	Skipped []inventory.SkippedAccount
	// Organization is the organization id the targets were listed from.
	Organization string
	// ExternalID and SessionName go with every AssumeRole.
	ExternalID  string
	SessionName string
	// AccountConcurrency bounds the accounts in flight.
	AccountConcurrency int
	// Progress, when set, receives a one-line live status (accounts done,
	// running, failed) redrawn with carriage returns; give it a terminal.
	Progress io.Writer
	// Shard, when set, says the targets are one shard of a larger run
	// (discover --shard); the inventory records it. A shard may hold no
	// account (more shards than accounts), and one whose accounts all
	// fail is partial, not an error: its few accounts say nothing about
	// the role or the credentials, and the other shards go on.
	Shard *inventory.ShardRef
}

// withDefaults returns a copy with zero fields filled in: the one place a
// several-account run's defaults are applied, its base's included. Fewer
// requests are in flight per account and region than in a run of one
// (DefaultAccountsConcurrency).
func (ao AccountsOptions) withDefaults() AccountsOptions {
	if ao.AccountConcurrency == 0 {
		ao.AccountConcurrency = DefaultAccountConcurrency
	}
	if ao.SessionName == "" {
		ao.SessionName = DefaultSessionName
	}
	if ao.Concurrency == 0 {
		ao.Concurrency = DefaultAccountsConcurrency
	}
	ao.Options = ao.Options.withDefaults()
	return ao
}

// Validate checks the options before anything runs; it changes nothing.
func (ao AccountsOptions) Validate() error {
	if len(ao.Targets) == 0 && ao.Shard == nil {
		return errors.New("no accounts to discover")
	}
	if ao.AccountConcurrency < 0 {
		return fmt.Errorf("--account-concurrency %d must be at least 1", ao.AccountConcurrency)
	}
	return ao.Options.Validate()
}

// accountCounts are the numbers the several-account progress line shows.
type accountCounts struct {
	done, running, failed atomic.Int64
}

// RunAccounts discovers every target, AccountConcurrency at a time. An
// account whose role cannot be assumed, or whose discovery fails, is
// recorded with the error and the others go on (see Accounts.Partial). It
// fails when no account could be discovered at all, which is a
// configuration problem (a role name, an external id), and when ctx ends,
// returning nothing, so an interrupted run writes nothing partial.
func RunAccounts(ctx context.Context, ao AccountsOptions) (*inventory.Accounts, error) {
	if err := ao.Validate(); err != nil {
		return nil, err
	}
	ao = ao.withDefaults()
	base := ao.Options
	var stsClient *sts.Client
	for _, t := range ao.Targets {
		// A target with its own profile signs AssumeRole with that
		// profile (runTarget), so only one without needs the default
		// chain, which may well hold nothing.
		if t.RoleARN != "" && t.Profile == "" {
			cfg, err := loadConfig(ctx, base, 1)
			if err != nil {
				return nil, err
			}
			stsClient = newSTSClient(cfg, base)
			break
		}
	}

	start := time.Now()
	var counts accountCounts
	if ao.Progress != nil {
		stop := startAccountProgress(ao.Progress, &counts, len(ao.Targets), start, progressInterval)
		defer stop()
	}
	results := make([]inventory.Account, len(ao.Targets))
	denied := make([]bool, len(ao.Targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(ao.AccountConcurrency)
	for i, t := range ao.Targets {
		g.Go(func() error {
			counts.running.Add(1)
			defer counts.running.Add(-1)
			results[i], denied[i] = runTarget(gctx, ao, base, stsClient, t)
			if gctx.Err() != nil {
				return gctx.Err()
			}
			if results[i].Error != "" {
				counts.failed.Add(1)
			}
			counts.done.Add(1)
			return nil
		})
	}
	if err := g.Wait(); err != nil || ctx.Err() != nil {
		return nil, fmt.Errorf("discovery interrupted; nothing written: %w", context.Cause(ctx))
	}
	if ao.Organization != "" && ao.Shard == nil {
		if err := allDenied(ao.Targets, results, denied); err != nil {
			return nil, err
		}
	}
	if ao.Shard == nil && !slices.ContainsFunc(results, func(a inventory.Account) bool { return a.Error == "" }) {
		first := slices.MinFunc(results, func(a, b inventory.Account) int { return strings.Compare(a.Label(), b.Label()) })
		return nil, fmt.Errorf("no account could be discovered (%d of %d failed); nothing written; first: account %s: %s", len(results), len(results), first.Label(), first.Error)
	}
	all := &inventory.Accounts{
		Schema: inventory.SchemaAccounts, CapturedAt: base.CapturedAt.UTC(), Organization: ao.Organization,
		ExternalID: ao.ExternalID, SessionName: ao.SessionName,
		Accounts: results, Skipped: ao.Skipped, Shard: ao.Shard,
	}
	if all.CapturedAt.IsZero() {
		all.CapturedAt = time.Now().UTC().Truncate(time.Second)
	}
	all.Normalize()
	base.Logger.Info("several-account discovery done", "accounts", len(all.Accounts), "failed", len(all.Failed()),
		"skipped", len(all.Skipped), "elapsed", time.Since(start).Round(time.Millisecond))
	return all, nil
}

// allDenied fails an organization run when no member role could be
// assumed: the role name and external id are the same for every member, so
// then they (or the listing credentials) are wrong, which is a
// configuration error, not a partial run. Accounts reached without a role
// do not count.
func allDenied(targets []Target, results []inventory.Account, denied []bool) error {
	withRole, first := 0, -1
	for i, t := range targets {
		if t.RoleARN == "" {
			continue
		}
		withRole++
		if !denied[i] {
			return nil
		}
		if first < 0 || results[i].Label() < results[first].Label() {
			first = i
		}
	}
	if withRole == 0 {
		return nil
	}
	return fmt.Errorf("no member role could be assumed (%d of %d denied); nothing written; check the role name and external id; first: account %s: %s",
		withRole, withRole, results[first].Label(), results[first].Error)
}

// newSTSClient is the client that assumes the member roles: the base
// credentials, the run's endpoint, and the SDK's standard retryer (STS
// publishes no rate, so its throttles are backed off like any other).
func newSTSClient(cfg aws.Config, o Options) *sts.Client {
	return sts.NewFromConfig(cfg, func(so *sts.Options) {
		if so.Region == "" {
			so.Region = "us-east-1" // STS answers everywhere; the signer needs one
		}
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
}

// runTarget discovers one account; every failure lands in the result.
// denied reports that the account's role could not be assumed.
func runTarget(ctx context.Context, ao AccountsOptions, base Options, stsClient *sts.Client, t Target) (res inventory.Account, denied bool) {
	res = inventory.Account{Name: t.Name, ID: t.ID, RoleARN: t.RoleARN, Profile: t.Profile}
	o := base
	o.Progress = nil
	o.Logger = base.Logger.With("account", res.Label())
	if len(t.Regions) > 0 {
		o.Regions = t.Regions
	}
	if t.Profile != "" {
		o.Profile = t.Profile
	}
	if t.RoleARN != "" {
		if t.Profile != "" {
			// The account's own profile is the source of its role.
			cfg, err := loadConfig(ctx, o, 1)
			if err != nil {
				res.Error = err.Error()
				return res, false
			}
			stsClient = newSTSClient(cfg, o)
		}
		// One AssumeRole per account and run: the cache hands the same
		// credentials to every region's clients and renews them only
		// shortly before they expire.
		o.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsClient, t.RoleARN, func(a *stscreds.AssumeRoleOptions) {
			a.RoleSessionName = ao.SessionName
			if ao.ExternalID != "" {
				a.ExternalID = aws.String(ao.ExternalID)
			}
		}))
		if _, err := o.Credentials.Retrieve(ctx); err != nil {
			res.Error = "assuming " + t.RoleARN + ": " + awsMessage(err)
			return res, true
		}
	}
	inv, err := Run(ctx, o)
	switch {
	case err != nil:
		res.Error = err.Error()
	case t.ID != "" && inv.Account != t.ID:
		res.Error = fmt.Sprintf("credentials for account %s reached account %s; check the role or profile", t.ID, inv.Account)
	default:
		res.ID = inv.Account
		res.Inventory = inv
	}
	return res, false
}

// awsMessage keeps AWS's code and message of an API error, dropping the
// SDK's operation and request-id wrapping that says nothing to a user.
func awsMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

// startAccountProgress redraws the several-account status line on w until
// stop is called, which erases it.
func startAccountProgress(w io.Writer, c *accountCounts, total int, start time.Time, every time.Duration) (stop func()) {
	return startRedraw(w, every, func(now time.Time) string {
		return fmt.Sprintf("discover: accounts %d/%d done  %d running  %d failed  %s",
			c.done.Load(), total, c.running.Load(), c.failed.Load(), now.Sub(start).Round(time.Second))
	})
}
