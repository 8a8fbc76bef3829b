package discover

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// overlapFake serves two GetApis pages, and refuses to serve the second
// until a GetStages call for the first page has begun.
type overlapFake struct {
	stagesBegan chan struct{}
	once        sync.Once
}

func (f *overlapFake) GetApis(ctx context.Context, in *apigatewayv2.GetApisInput, _ ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error) {
	if in.NextToken == nil {
		return &apigatewayv2.GetApisOutput{Items: []types.Api{{ApiId: aws.String("first"), Name: aws.String("first")}}, NextToken: aws.String("page2")}, nil
	}
	select {
	case <-f.stagesBegan:
	case <-time.After(10 * time.Second): // a hang guard; the overlap makes this immediate
		return nil, errors.New("page 2 was requested before stage listing of page 1 began, and stages never began")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &apigatewayv2.GetApisOutput{Items: []types.Api{{ApiId: aws.String("second"), Name: aws.String("second")}}}, nil
}

func (f *overlapFake) GetStages(_ context.Context, in *apigatewayv2.GetStagesInput, _ ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error) {
	f.once.Do(func() { close(f.stagesBegan) })
	return &apigatewayv2.GetStagesOutput{Items: []types.Stage{{StageName: aws.String("prod")}}}, nil
}

func (f *overlapFake) GetAuthorizers(context.Context, *apigatewayv2.GetAuthorizersInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizersOutput, error) {
	return &apigatewayv2.GetAuthorizersOutput{}, nil
}

func (f *overlapFake) GetIntegrations(context.Context, *apigatewayv2.GetIntegrationsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationsOutput, error) {
	return &apigatewayv2.GetIntegrationsOutput{}, nil
}

func (f *overlapFake) GetRoutes(context.Context, *apigatewayv2.GetRoutesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error) {
	return &apigatewayv2.GetRoutesOutput{}, nil
}

func (f *overlapFake) GetModels(context.Context, *apigatewayv2.GetModelsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetModelsOutput, error) {
	return &apigatewayv2.GetModelsOutput{}, nil
}

func (f *overlapFake) GetRouteResponses(context.Context, *apigatewayv2.GetRouteResponsesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRouteResponsesOutput, error) {
	return &apigatewayv2.GetRouteResponsesOutput{}, nil
}

func (f *overlapFake) GetIntegrationResponses(context.Context, *apigatewayv2.GetIntegrationResponsesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationResponsesOutput, error) {
	return &apigatewayv2.GetIntegrationResponsesOutput{}, nil
}

func (f *overlapFake) GetVpcLinks(context.Context, *apigatewayv2.GetVpcLinksInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetVpcLinksOutput, error) {
	return &apigatewayv2.GetVpcLinksOutput{}, nil
}

func (f *overlapFake) GetDomainNames(context.Context, *apigatewayv2.GetDomainNamesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDomainNamesOutput, error) {
	return &apigatewayv2.GetDomainNamesOutput{}, nil
}

func (f *overlapFake) GetApiMappings(context.Context, *apigatewayv2.GetApiMappingsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiMappingsOutput, error) {
	return &apigatewayv2.GetApiMappingsOutput{}, nil
}

func (f *overlapFake) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String(testAccount), Arn: aws.String("arn:aws-cn:iam::" + testAccount + ":user/x")}, nil
}

// TestStagesOverlapPageFetching blocks page 2 of GetApis until stage listing
// for page 1 has started: a strictly sequential walk would fail here.
func TestStagesOverlapPageFetching(t *testing.T) {
	fake := &overlapFake{stagesBegan: make(chan struct{})}
	o := Options{}.withDefaults()
	inv, err := collect(context.Background(), o, []*regionClients{{region: "us-east-1", api: fake, sts: fake}}, "", "", &counters{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 || len(inv.APIs) != 2 {
		t.Fatalf("apis %+v errors %+v", inv.APIs, inv.Errors)
	}
	if inv.Partition != "aws-cn" {
		t.Errorf("partition %q, want it from the caller ARN", inv.Partition)
	}
}

// TestGateBoundsInFlight drives the gate from many goroutines and checks
// that no more than its slots ever run at once, and that throttles are
// counted.
func TestGateBoundsInFlight(t *testing.T) {
	var c counters
	o := Options{Concurrency: 3, Rate: Unlimited}.withDefaults()
	g := newGate(o, "us-east-1", &c)
	var cur, peak atomic.Int64
	next := middleware.FinalizeHandlerFunc(func(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
		n := cur.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(time.Millisecond) // hold the slot so that callers pile up
		cur.Add(-1)
		return middleware.FinalizeOutput{}, middleware.Metadata{}, &smithy.GenericAPIError{Code: "TooManyRequestsException"}
	})
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() { _, _, _ = g.HandleFinalize(context.Background(), middleware.FinalizeInput{}, next) })
	}
	wg.Wait()
	if p := peak.Load(); p > 3 {
		t.Errorf("%d requests in flight, bound is 3", p)
	}
	if c.requests.Load() != 30 || c.throttled.Load() != 30 {
		t.Errorf("requests %d throttled %d, want 30 and 30", c.requests.Load(), c.throttled.Load())
	}
}

func TestGateHonoursCancellation(t *testing.T) {
	o := Options{Concurrency: 1, Rate: 0.001, Burst: 1}.withDefaults()
	g := newGate(o, "us-east-1", &counters{})
	next := middleware.FinalizeHandlerFunc(func(context.Context, middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, nil
	})
	if _, _, err := g.HandleFinalize(context.Background(), middleware.FinalizeInput{}, next); err != nil {
		t.Fatal(err) // the burst token
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := g.HandleFinalize(ctx, middleware.FinalizeInput{}, next); err == nil {
		t.Fatal("a cancelled caller waiting for a token must get an error")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string // substring of the error; empty = valid
	}{
		{"zero", Options{}, ""},
		{"all", Options{Regions: []string{"all"}}, ""},
		{"regions", Options{Regions: []string{"us-east-1", "cn-north-1", "us-gov-west-1"}}, ""},
		{"all plus one", Options{Regions: []string{"all", "us-east-1"}}, "cannot be combined"},
		{"typo region", Options{Regions: []string{"us-east1"}}, `--region "us-east1"`},
		{"endpoint", Options{EndpointURL: "http://127.0.0.1:4566"}, ""},
		{"endpoint no scheme", Options{EndpointURL: "localhost:4566"}, "--endpoint-url"},
		{"concurrency", Options{Concurrency: -1}, "--concurrency"},
		{"rate", Options{Rate: -1}, "--rate"},
		{"unlimited", Options{Rate: Unlimited}, ""},
		{"burst", Options{Burst: -2}, "--burst"},
		{"attempts", Options{MaxAttempts: -1}, "--max-attempts"},
		{"page", Options{PageSize: 501}, "--page-size"},
		{"nil regexp", Options{Include: []*regexp.Regexp{nil}}, "--include"},
		{"empty id", Options{APIIDs: []string{""}}, "--api-id"},
		// The flag follows the inventory's rule, as filters.api_ids does.
		{"upper-case id", Options{APIIDs: []string{"A1B2"}}, `--api-id "A1B2" is not an API id`},
		{"id", Options{APIIDs: []string{"a1b2c3d4e5"}}, ""},
		{"empty tag key", Options{Tags: map[string]string{"": "x"}}, "--tag"},
		{"protocol", Options{Protocol: "rest"}, `--protocol "rest"`},
		{"protocol case", Options{Protocol: "WebSocket"}, ""},
	}
	for _, tc := range cases {
		err := tc.o.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	var c counters
	c.regionsDone.Add(1)
	c.apisFound.Add(7)
	c.apisDone.Add(5)
	c.requests.Add(12)
	c.throttled.Add(2)
	var out testenv.SyncBuffer
	stop := startProgress(&out, &c, 3, time.Now(), time.Millisecond)
	for !strings.Contains(out.String(), "regions 1/3  apis 5/7  requests 12") {
		time.Sleep(time.Millisecond) // polls for the first redraw; the test timeout is the hang guard
	}
	stop()
	got := out.String()
	if !strings.Contains(got, "throttled 2") || !strings.HasPrefix(got, "\r\033[K") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("progress output %q", got)
	}
}

func TestSTSOrder(t *testing.T) {
	var clients []*regionClients
	for _, r := range []string{"af-south-1", "eu-west-1", "us-east-1", "us-west-2"} {
		clients = append(clients, &regionClients{region: r})
	}
	var got []string
	for _, rc := range stsOrder(clients, "us-west-2") {
		got = append(got, rc.region)
	}
	if strings.Join(got, ",") != "us-west-2,us-east-1,af-south-1,eu-west-1" {
		t.Errorf("sts order = %v", got)
	}
}

func TestDescribe(t *testing.T) {
	plain := errors.New("dial tcp: connection refused")
	if got := describe(plain); got != plain.Error() {
		t.Errorf("describe(plain) = %q", got)
	}
	api := fmt.Errorf("operation error: %w", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not allowed"})
	if got := describe(api); got != "AccessDeniedException: not allowed" {
		t.Errorf("describe(api error) = %q", got)
	}
}

func TestWriteSummary(t *testing.T) {
	inv := &inventory.Inventory{
		Account: testAccount,
		Regions: []string{"eu-west-1", "us-east-1"},
		APIs: []inventory.API{
			{Region: "us-east-1", ID: "a", Stages: []inventory.Stage{{Name: "x"}, {Name: "y"}}},
			{Region: "eu-west-1", ID: "b"},
		},
		Skipped: []inventory.Skipped{{Region: "us-east-1", APIID: "a", Stage: "$default", Reason: inventory.ReasonQuickCreate}},
		Errors:  []inventory.Error{{Region: "eu-west-1", APIID: "b", Operation: "GetStages", Message: "InternalFailure: boom"}},
	}
	var b strings.Builder
	if err := WriteSummary(&b, inv, 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	want := `discovered 2 APIs and 2 stages in 2 regions of account 210987654321 in 1.5s
  REGION     APIS  STAGES  SKIPPED  ERRORS
  eu-west-1  1     0       0        1
  us-east-1  1     2       1        0
skipped 1:
  1 x quick-create stage managed by API Gateway; cannot be imported
errors 1 (the inventory is partial):
  eu-west-1 api b GetStages: InternalFailure: boom
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
