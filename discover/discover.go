// Package discover lists every API Gateway V2 API of one account, across
// regions, with its stages, authorizers, integrations and routes (or the
// kinds Options.Types picks), into an inventory: the first step of
// apigw2tf.
//
// Per region, GetApis pages are fetched one after another (each needs the
// previous page's token) into a bounded queue, and the walks of the queued
// APIs' children (one paged list per kind and API) start at once, so they
// overlap page fetching. All requests of a region pass one gate that
// bounds requests in flight and paces them with a token bucket sized to the
// service quota; the SDK's retryer absorbs what still fails transiently,
// and whatever fails for good is recorded in the inventory's errors instead
// of being dropped.
package discover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/internal/regions"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// maxParallelRegions bounds the regions walked at once. Regions have
// separate quotas, so parallel regions add speed linearly; the bound keeps
// sockets and goroutines in check for --region all (about 35 regions).
const maxParallelRegions = 16

// OperationInterrupted is the operation of the error entries that an
// interrupted run adds for the regions it did not finish.
const OperationInterrupted = "discover"

// Run discovers the APIs and stages the options select. Failed calls do not
// make it fail: they are listed in the inventory's errors (see
// Inventory.Partial). It fails for unusable options or configuration, when
// the account cannot be identified, and when ctx ends; in the last case it
// also returns what it had found, with an error entry per unfinished region,
// for callers that keep partial results.
func Run(ctx context.Context, opts Options) (*inventory.Inventory, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	names := o.Regions
	if len(names) == 1 && names[0] == RegionAll {
		names = regions.Commercial()
	}
	o.transports = &transports{}
	defer o.transports.closeIdle()
	cfg, err := loadConfig(ctx, o, max(1, len(names)))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		if cfg.Region == "" {
			return nil, errors.New("no region configured: pass --region (or --region all), or set AWS_REGION or a region in your AWS profile")
		}
		names = []string{cfg.Region}
	}
	defaultRegion := names[0]
	if slices.Contains(names, cfg.Region) {
		defaultRegion = cfg.Region
	}
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)

	var counts counters
	var endpoint string
	clients := make([]*regionClients, len(names))
	for i, r := range names {
		clients[i], endpoint = newRegionClients(cfg, o, r, &counts)
	}
	inv, err := collect(ctx, o, clients, endpoint, cfg.Region, &counts)
	if inv != nil {
		inv.DefaultRegion = defaultRegion
	}
	return inv, err
}

// regionResult is what one region contributed. mu guards the slices, which
// the region's stage walks append to concurrently.
type regionResult struct {
	mu       sync.Mutex
	apis     []inventory.API
	skipped  []inventory.Skipped
	errors   []inventory.Error
	filtered int
	done     bool
	account  *accountLevel
}

// apisFailed reports a GetApis call that failed for good.
func (r *regionResult) apisFailed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.errors, func(e inventory.Error) bool { return e.Operation == "GetApis" })
}

func (r *regionResult) fail(e inventory.Error) {
	r.mu.Lock()
	r.errors = append(r.errors, e)
	r.mu.Unlock()
}

// collect walks every region and assembles the inventory. It is Run minus
// client construction, so tests can hand it fakes. home is the configured
// region, where STS is asked first.
func collect(ctx context.Context, o Options, clients []*regionClients, endpoint, home string, counts *counters) (*inventory.Inventory, error) {
	start := time.Now()
	if o.Progress != nil {
		stop := startProgress(o.Progress, counts, len(clients), start, progressInterval)
		defer stop()
	}
	results := make([]*regionResult, len(clients))
	var account, partition string
	keep := newFilter(o)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallelRegions + 1) // +1: the identity lookup
	g.Go(func() error {
		var err error
		account, partition, err = identify(gctx, stsOrder(clients, home))
		return err
	})
	for i, rc := range clients {
		res := &regionResult{}
		results[i] = res
		g.Go(func() error {
			if err := walkRegion(gctx, o, rc, keep, res, counts); err != nil {
				return err
			}
			counts.regionsDone.Add(1)
			return nil
		})
	}
	err := g.Wait()
	if err != nil && ctx.Err() == nil {
		return nil, err
	}

	inv := &inventory.Inventory{
		Schema:     inventory.Schema,
		Types:      o.Types,
		CapturedAt: o.CapturedAt.UTC(),
		Account:    account,
		Partition:  partition,
		Endpoint:   endpoint,
	}
	if inv.CapturedAt.IsZero() {
		inv.CapturedAt = time.Now().UTC().Truncate(time.Second)
	}
	for i, res := range results {
		inv.Regions = append(inv.Regions, clients[i].region)
		inv.APIs = append(inv.APIs, res.apis...)
		if res.account != nil {
			inv.DomainNames = append(inv.DomainNames, res.account.domains...)
			inv.VPCLinks = append(inv.VPCLinks, res.account.vpcLinks...)
			inv.Errors = append(inv.Errors, res.account.failures...)
		}
		inv.Skipped = append(inv.Skipped, res.skipped...)
		inv.Errors = append(inv.Errors, res.errors...)
		if !res.done && ctx.Err() != nil {
			inv.Errors = append(inv.Errors, inventory.Error{
				Region:    clients[i].region,
				Operation: OperationInterrupted,
				Message:   "interrupted before the region was complete: " + ctx.Err().Error(),
			})
		}
	}
	inv.Normalize()
	if ctx.Err() != nil {
		return inv, fmt.Errorf("discovery interrupted: %w", ctx.Err())
	}
	warnMissingIDs(o, inv)
	o.Logger.Info("discovery done", "regions", len(inv.Regions), "apis", len(inv.APIs),
		"skipped", len(inv.Skipped), "errors", len(inv.Errors), "requests", counts.requests.Load(),
		"throttled", counts.throttled.Load(), "elapsed", time.Since(start).Round(time.Millisecond))
	return inv, nil
}

// stsOrder lists the regions to ask STS in: the configured region, then
// us-east-1 (always enabled), then the rest, so that --region all does not
// start with an opt-in region the account may not have enabled.
func stsOrder(clients []*regionClients, home string) []*regionClients {
	rank := func(r string) int {
		switch r {
		case home:
			return 0
		case "us-east-1":
			return 1
		}
		return 2
	}
	out := slices.Clone(clients)
	slices.SortStableFunc(out, func(a, b *regionClients) int { return rank(a.region) - rank(b.region) })
	return out
}

// identify asks STS who the credentials belong to, trying the regions in
// turn so that one region denying STS does not sink the run.
func identify(ctx context.Context, clients []*regionClients) (account, partition string, err error) {
	var first error
	for _, rc := range clients {
		out, err := rc.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil {
			partition = "aws"
			if a, perr := arn.Parse(aws.ToString(out.Arn)); perr == nil {
				partition = a.Partition
			}
			return aws.ToString(out.Account), partition, nil
		}
		if ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		if first == nil {
			first = fmt.Errorf("identifying the account with STS GetCallerIdentity in %s: %w", rc.region, err)
		}
	}
	return "", "", first
}

// walkRegion lists one region. It returns an error only when ctx ends;
// failed calls are recorded in res.
func walkRegion(ctx context.Context, o Options, rc *regionClients, keep filter, res *regionResult, counts *counters) error {
	start := time.Now()
	log := o.Logger.With("region", rc.region)
	// The queue holds one page, so the next GetApis page is fetched while
	// the stages of this one are listed, and memory stays bounded when
	// stage listing is the slower side.
	queue := make(chan types.Api, o.PageSize)
	lister, lctx := errgroup.WithContext(ctx)
	// The region's account-level lists follow its API list, beside the
	// API walks; a region whose API list failed (denied, most often) is
	// partial already and is not asked again.
	account := &accountLevel{}
	lister.Go(func() error {
		err := func() error {
			defer close(queue)
			return listAPIs(lctx, o, rc, keep, res, queue, counts)
		}()
		if err != nil || res.apisFailed() {
			return err
		}
		account, err = walkAccountLevel(lctx, o, rc)
		return err
	})
	stages, sctx := errgroup.WithContext(ctx)
	stages.SetLimit(o.Concurrency)
	for api := range queue {
		if sctx.Err() != nil {
			continue // drain; the lister stops on its own ctx
		}
		stages.Go(func() error {
			err := walkAPI(sctx, o, rc, api, res)
			counts.apisDone.Add(1)
			return err
		})
	}
	stageErr := stages.Wait()
	if err := errors.Join(lister.Wait(), stageErr); err != nil {
		return err
	}
	account.keepFor(keep, res.apis)
	res.account = account
	res.done = true
	nStages := 0
	for _, a := range res.apis {
		nStages += len(a.Stages)
	}
	log.Info("region done", "apis", len(res.apis), "stages", nStages, "skipped", len(res.skipped),
		"filtered_out", res.filtered, "errors", len(res.errors), "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// listAPIs pages through GetApis, queueing the APIs the filter keeps.
func listAPIs(ctx context.Context, o Options, rc *regionClients, keep filter, res *regionResult, queue chan<- types.Api, counts *counters) error {
	in := &apigatewayv2.GetApisInput{MaxResults: aws.String(strconv.Itoa(o.PageSize))}
	for {
		out, err := rc.api.GetApis(ctx, in)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// Without this page's token the rest of the region is out of
			// reach; the error entry marks the inventory partial.
			res.fail(inventory.Error{Region: rc.region, Operation: "GetApis", Message: describe(err), Throttled: isThrottle(err)})
			o.Logger.Warn("listing apis failed", "region", rc.region, "error", err)
			return nil
		}
		for _, a := range out.Items {
			if !keep.keep(a) {
				res.mu.Lock()
				res.filtered++
				res.mu.Unlock()
				continue
			}
			if aws.ToBool(a.ApiGatewayManaged) {
				res.mu.Lock()
				res.skipped = append(res.skipped, inventory.Skipped{
					Region: rc.region, APIID: aws.ToString(a.ApiId), APIName: aws.ToString(a.Name),
					Reason: inventory.ReasonManagedAPI,
				})
				res.mu.Unlock()
				continue
			}
			counts.apisFound.Add(1)
			select {
			case queue <- a:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		next := aws.ToString(out.NextToken)
		if next == "" {
			return nil
		}
		if next == aws.ToString(in.NextToken) {
			res.fail(inventory.Error{Region: rc.region, Operation: "GetApis",
				Message: "the service returned the same nextToken twice; listing stopped to avoid a loop"})
			return nil
		}
		in.NextToken = aws.String(next)
	}
}

// describe turns an SDK error into a stable one-line message: the service's
// error code and message, the HTTP status, and how many attempts were made.
// Request ids and the SDK's framing are left out so that reruns against an
// unchanged account produce the same inventory.
// isThrottle tells a refusal for the request quota from other failures, the
// way the SDK's retryer does.
func isThrottle(err error) bool {
	return retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary
}

func describe(err error) string {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return err.Error()
	}
	msg := ae.ErrorCode()
	if m := ae.ErrorMessage(); m != "" {
		msg += ": " + m
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		msg += fmt.Sprintf(" (HTTP %d)", re.HTTPStatusCode())
	}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		msg += fmt.Sprintf(", gave up after %d attempts", me.Attempt)
	}
	return msg
}

// warnMissingIDs logs the --api-id values no region had, which usually
// means a typo or a region left out.
func warnMissingIDs(o Options, inv *inventory.Inventory) {
	if len(o.APIIDs) == 0 {
		return
	}
	seen := make(map[string]bool, len(inv.APIs)+len(inv.Skipped))
	for _, a := range inv.APIs {
		seen[a.ID] = true
	}
	for _, s := range inv.Skipped {
		seen[s.APIID] = true
	}
	for _, id := range o.APIIDs {
		if !seen[id] {
			o.Logger.Warn("api id not found in the discovered regions", "api_id", id, "regions", inv.Regions)
		}
	}
}
