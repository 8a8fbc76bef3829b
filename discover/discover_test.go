package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/inventory"
)

func TestDiscoverLargeAccountIsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 APIs x 3 stages; skipped under -short")
	}
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 1000}, stages: 3})
	srv, url := serve(t, emulator.Options{Seed: seed})
	inv, err := Run(context.Background(), testOptions(url, "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstSeed(t, seed, inv)
	if inv.Account != testAccount || inv.Partition != "aws" || inv.Endpoint != url {
		t.Errorf("header: account %q partition %q endpoint %q", inv.Account, inv.Partition, inv.Endpoint)
	}
	if len(inv.Errors) != 0 || len(inv.Skipped) != 0 {
		t.Errorf("errors %v skipped %v", inv.Errors, inv.Skipped)
	}
	ops := srv.Stats().Operations
	// 1000 APIs at 100 per page: 10 pages, then one GetStages each.
	if ops["GetApis"] != 10 || ops["GetStages"] != 1000 {
		t.Errorf("calls: %v, want 10 GetApis and 1000 GetStages", ops)
	}
	for op := range ops {
		if op == "GetTags" || op == "GetApi" || op == "GetStage" {
			t.Errorf("discovery called %s; list responses carry everything", op)
		}
	}
}

// TestPagination walks 0, 1, a full page and a page plus one of both APIs
// and stages, with a page size of 3.
func TestPagination(t *testing.T) {
	const pageSize = 3
	pages := func(n int) int64 { return int64(max(1, (n+pageSize-1)/pageSize)) }
	for _, apis := range []int{0, 1, pageSize, pageSize + 1} {
		for _, stages := range []int{0, 1, pageSize, pageSize + 1} {
			seed := buildSeed(seedSpec{regions: map[string]int{"us-west-2": apis}, stages: stages})
			srv, url := serve(t, emulator.Options{Seed: seed})
			opts := testOptions(url, "us-west-2")
			opts.PageSize = pageSize
			inv, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			checkAgainstSeed(t, seed, inv)
			ops := srv.Stats().Operations
			if ops["GetApis"] != pages(apis) || ops["GetStages"] != int64(apis)*pages(stages) {
				t.Errorf("%d apis x %d stages: calls %v, want %d GetApis and %d GetStages",
					apis, stages, ops, pages(apis), int64(apis)*pages(stages))
			}
		}
	}
}

func TestRegionsAreIsolated(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 7, "eu-west-1": 3, "ap-south-1": 0}, stages: 2})
	_, url := serve(t, emulator.Options{Seed: seed})
	// A region listed twice is walked once.
	inv, err := Run(context.Background(), testOptions(url, "us-east-1", "eu-west-1", "ap-south-1", "eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(inv.Regions, ","); got != "ap-south-1,eu-west-1,us-east-1" {
		t.Errorf("regions = %s", got)
	}
	checkAgainstSeed(t, seed, inv)
	for _, a := range inv.APIs {
		if !strings.HasPrefix(a.ID, regionTag(a.Region)) {
			t.Errorf("api %s reported in %s", a.ID, a.Region)
		}
	}

	// Asking for one region sees only that region's APIs.
	inv, err = Run(context.Background(), testOptions(url, "eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.APIs) != 3 || inv.APIs[0].Region != "eu-west-1" {
		t.Errorf("eu-west-1 alone: %d APIs, first in %s", len(inv.APIs), inv.APIs[0].Region)
	}
}

func TestFilters(t *testing.T) {
	// 10 APIs: index i has team payments/orders/search by i%3, except that
	// 5 has no tags and 6 no team tag, and is WebSocket when i%5 == 4.
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 10}, stages: 1})
	id := func(i int) string { return fmt.Sprintf("useast1%05d", i) }
	cases := []struct {
		name string
		set  func(*Options)
		want []int
	}{
		{"none", func(*Options) {}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"include", func(o *Options) { o.Include = []*regexp.Regexp{regexp.MustCompile(`0000[12]$`)} }, []int{1, 2}},
		{"include any of two", func(o *Options) {
			o.Include = []*regexp.Regexp{regexp.MustCompile(`1$`), regexp.MustCompile(`7$`)}
		}, []int{1, 7}},
		{"exclude", func(o *Options) { o.Exclude = []*regexp.Regexp{regexp.MustCompile(`0000[0-7]$`)} }, []int{8, 9}},
		{"include then exclude", func(o *Options) {
			o.Include = []*regexp.Regexp{regexp.MustCompile(`0000[0-3]$`)}
			o.Exclude = []*regexp.Regexp{regexp.MustCompile(`2$`)}
		}, []int{0, 1, 3}},
		{"api id", func(o *Options) { o.APIIDs = []string{id(3), id(8), "notthere"} }, []int{3, 8}},
		{"tag", func(o *Options) { o.Tags = map[string]string{"team": "orders"} }, []int{1, 4, 7}},
		{"tags all must match", func(o *Options) { o.Tags = map[string]string{"team": "orders", "index": "4"} }, []int{4}},
		{"tag value differs", func(o *Options) { o.Tags = map[string]string{"team": "nobody"} }, nil},
		// 5 (untagged) and 6 (tagged, without team) lack the key: dropped.
		{"tag key missing", func(o *Options) { o.Tags = map[string]string{"team": "search"} }, []int{2, 8}},
		{"tag key no API has", func(o *Options) { o.Tags = map[string]string{"owner": "payments"} }, nil},
		{"tag only some APIs have", func(o *Options) { o.Tags = map[string]string{"index": "6"} }, []int{6}},
		{"protocol websocket", func(o *Options) { o.Protocol = "websocket" }, []int{4, 9}},
		{"protocol http", func(o *Options) { o.Protocol = "HTTP" }, []int{0, 1, 2, 3, 5, 6, 7, 8}},
		{"combined", func(o *Options) {
			o.Protocol = "http"
			o.Tags = map[string]string{"team": "payments"}
		}, []int{0, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, url := serve(t, emulator.Options{Seed: seed})
			opts := testOptions(url, "us-east-1")
			tc.set(&opts)
			inv, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, a := range inv.APIs {
				got = append(got, a.ID)
				if len(a.Stages) != 1 {
					t.Errorf("api %s has %d stages, want 1", a.ID, len(a.Stages))
				}
			}
			for _, i := range tc.want {
				want = append(want, id(i))
			}
			if !slices.Equal(got, want) {
				t.Errorf("kept %v, want %v", got, want)
			}
			// Filtered-out APIs cost no GetStages call.
			if n := srv.Stats().Operations["GetStages"]; n != int64(len(tc.want)) {
				t.Errorf("%d GetStages calls for %d kept APIs", n, len(tc.want))
			}
		})
	}
}

// TestTypesPickTheLists counts the calls per API with every type and with
// --types api,stage: each kind but api is one list per API, and a kind
// left out is neither listed nor in the inventory.
func TestTypesPickTheLists(t *testing.T) {
	seed := emutest.Seed(t, "demo.yaml")
	srv, url := serve(t, emulator.Options{Seed: seed, Account: seed.Accounts[0].ID})
	for _, tc := range []struct {
		types []string
		lists []string
	}{
		{nil, []string{"GetStages", "GetAuthorizers", "GetIntegrations", "GetRoutes"}},
		{[]string{"api,stage"}, []string{"GetStages"}},
		{[]string{"api", "route"}, []string{"GetRoutes"}},
	} {
		srv.Reset()
		o := testOptions(url, "us-east-1")
		o.Types = tc.types
		inv, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		apis := int64(len(inv.APIs))
		if apis < 3 {
			t.Fatalf("%d APIs discovered in the demo's us-east-1", apis)
		}
		ops := srv.Stats().Operations
		for _, op := range []string{"GetStages", "GetAuthorizers", "GetIntegrations", "GetRoutes"} {
			want := int64(0)
			if slices.Contains(tc.lists, op) {
				want = apis
			}
			if ops[op] != want {
				t.Errorf("--types %v: %d %s calls for %d APIs, want %d", tc.types, ops[op], op, apis, want)
			}
		}
		routes := 0
		for _, a := range inv.APIs {
			routes += len(a.Routes)
		}
		if got := inv.Has(inventory.KindRoute); got != (routes > 0) || got != slices.Contains(tc.lists, "GetRoutes") {
			t.Errorf("--types %v: inventory types %v with %d routes", tc.types, inv.Types, routes)
		}
	}
	if _, err := Run(context.Background(), Options{Types: []string{"stage"}}); err == nil || !strings.Contains(err.Error(), "must include api") {
		t.Errorf("--types stage: %v, want it refused", err)
	}
}

func TestQuickCreateAndManagedAreSkipped(t *testing.T) {
	seed := &emulator.Seed{Accounts: []emulator.AccountSeed{{ID: testAccount, Regions: []emulator.RegionSeed{{
		Name: "us-east-1",
		APIs: []emulator.APISeed{
			{ID: "quick", Name: "quick", ProtocolType: "HTTP", Target: ptr("arn:aws:lambda:us-east-1:210987654321:function:f"),
				Stages: []emulator.StageSeed{{Name: "prod"}}},
			{ID: "managed", Name: "managed", ProtocolType: "HTTP", APIGatewayManaged: true,
				Stages: []emulator.StageSeed{{Name: "prod"}}},
			{ID: "plain", Name: "plain", ProtocolType: "HTTP", Stages: []emulator.StageSeed{{Name: "$default", AutoDeploy: true}}},
		},
	}}}}}
	srv, url := serve(t, emulator.Options{Seed: seed})
	inv, err := Run(context.Background(), testOptions(url, "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	want := []inventory.Skipped{
		{Region: "us-east-1", APIID: "managed", APIName: "managed", Reason: inventory.ReasonManagedAPI},
		{Region: "us-east-1", APIID: "quick", APIName: "quick", Kind: inventory.KindIntegration, Reason: inventory.ReasonQuickCreateChild},
		{Region: "us-east-1", APIID: "quick", APIName: "quick", Kind: inventory.KindRoute, Reason: inventory.ReasonQuickCreateChild},
		{Region: "us-east-1", APIID: "quick", APIName: "quick", Stage: "$default", Reason: inventory.ReasonQuickCreate},
	}
	// Quick create's integration and route ids are generated.
	skipped := slices.Clone(inv.Skipped)
	for i := range skipped {
		if skipped[i].Kind != "" && skipped[i].ID == "" {
			t.Errorf("skipped %s without its id", skipped[i].Kind)
		}
		skipped[i].ID = ""
	}
	if !slices.Equal(skipped, want) {
		t.Errorf("skipped = %+v\nwant %+v", inv.Skipped, want)
	}
	for _, a := range inv.APIs {
		if len(a.Routes)+len(a.Integrations) > 0 {
			t.Errorf("api %s: quick create's route or integration listed as importable: %+v %+v", a.ID, a.Routes, a.Integrations)
		}
	}
	var got []string
	for _, a := range inv.APIs {
		for _, s := range a.Stages {
			got = append(got, a.ID+"/"+s.Name)
		}
	}
	// A $default stage the user made is importable; the quick-create API
	// itself and its other stages are too.
	if strings.Join(got, " ") != "plain/$default quick/prod" {
		t.Errorf("importable stages = %v", got)
	}
	if n := srv.Stats().Operations["GetStages"]; n != 2 {
		t.Errorf("%d GetStages calls; the managed API's stages must not be listed", n)
	}
}

// TestFaultsDoNotChangeTheResult runs against 30% injected throttles and
// 5% internal errors with ten fault seeds: retries must absorb them all.
func TestFaultsDoNotChangeTheResult(t *testing.T) {
	if testing.Short() {
		t.Skip("ten runs of 200 APIs; skipped under -short")
	}
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 120, "eu-west-1": 80}, stages: 3})
	encode := func(inv *inventory.Inventory) []byte {
		inv.Endpoint = ""
		var b bytes.Buffer
		if err := inv.Encode(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	_, url := serve(t, emulator.Options{Seed: seed})
	opts := testOptions(url, "us-east-1", "eu-west-1")
	opts.PageSize = 25
	clean, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := encode(clean)
	for fs := int64(1); fs <= 10; fs++ {
		srv, url := serve(t, emulator.Options{Seed: seed, FaultSeed: fs,
			Faults: emulator.Faults{Throttle: 0.30, Internal: 0.05}})
		opts.EndpointURL = url
		inv, err := Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("fault seed %d: %v", fs, err)
		}
		if got := encode(inv); !bytes.Equal(got, want) {
			t.Fatalf("fault seed %d: inventory differs from the fault-free one; errors: %+v", fs, inv.Errors)
		}
		if st := srv.Stats(); st.Injected == 0 {
			t.Fatalf("fault seed %d: no fault injected; the test proves nothing", fs)
		}
	}
}

func TestAccessDeniedRegionIsPartial(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 5, "eu-west-1": 4, "ap-northeast-1": 3}, stages: 2})
	_, url := serve(t, emulator.Options{Seed: seed, Faults: emulator.Faults{DenyRegions: []string{"eu-west-1"}}})
	inv, err := Run(context.Background(), testOptions(url, "us-east-1", "eu-west-1", "ap-northeast-1"))
	if err != nil {
		t.Fatal(err)
	}
	// One entry: the region's account-level lists are not tried once its
	// API list was refused.
	if !inv.Partial() || len(inv.Errors) != 1 {
		t.Fatalf("errors = %+v, want one for eu-west-1", inv.Errors)
	}
	e := inv.Errors[0]
	if e.Region != "eu-west-1" || e.Operation != "GetApis" || !strings.HasPrefix(e.Message, "AccessDeniedException: ") || !strings.Contains(e.Message, "(HTTP 403)") {
		t.Errorf("error entry = %+v", e)
	}
	if len(inv.APIs) != 8 {
		t.Errorf("%d APIs from the other two regions, want 8", len(inv.APIs))
	}
	for _, a := range inv.APIs {
		if a.Region == "eu-west-1" {
			t.Errorf("api %s from the denied region", a.ID)
		}
	}
}

// TestGetStagesFailureIsRecorded makes every GetStages call fail for good:
// each API stays in the inventory, and each failure names its API.
func TestGetStagesFailureIsRecorded(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 4}, stages: 2})
	_, url := serve(t, emulator.Options{Seed: seed, Faults: emulator.Faults{
		PerOperation: map[string]emulator.OpFaults{"GetStages": {Internal: 1}}}})
	opts := testOptions(url, "us-east-1")
	opts.MaxAttempts = 2
	inv, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.APIs) != 4 || len(inv.Errors) != 4 {
		t.Fatalf("%d APIs and %d errors, want 4 and 4: %+v", len(inv.APIs), len(inv.Errors), inv.Errors)
	}
	for i, e := range inv.Errors {
		if e.APIID != inv.APIs[i].ID || e.Operation != "GetStages" || !strings.HasSuffix(e.Message, "gave up after 2 attempts") || e.Throttled {
			t.Errorf("error %d = %+v", i, e)
		}
	}
}

// TestThrottledFailureIsMarked: a call that ran out of attempts on 429s is
// marked throttled, so a caller knows a later try may succeed.
func TestThrottledFailureIsMarked(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 2}, stages: 1})
	_, url := serve(t, emulator.Options{Seed: seed, Faults: emulator.Faults{
		PerOperation: map[string]emulator.OpFaults{"GetStages": {Throttle: 1}}}})
	opts := testOptions(url, "us-east-1")
	opts.MaxAttempts, opts.MaxBackoff = 2, time.Millisecond
	inv, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 2 {
		t.Fatalf("errors = %+v, want one per API", inv.Errors)
	}
	for _, e := range inv.Errors {
		if !e.Throttled || !strings.HasPrefix(e.Message, "TooManyRequestsException") {
			t.Errorf("error %+v is not marked throttled", e)
		}
	}
}

// TestCancelReturnsPromptly cancels a slow run midway. Run must return the
// cancellation (with what it had) well within a second; the bound is a hang
// guard, not a speed measurement.
func TestCancelReturnsPromptly(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 300, "eu-west-1": 300}, stages: 2})
	_, url := serve(t, emulator.Options{Seed: seed, Faults: emulator.Faults{Latency: 200 * time.Millisecond}})
	opts := testOptions(url, "us-east-1", "eu-west-1")
	opts.Concurrency = 4
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		inv *inventory.Inventory
		err error
	}
	done := make(chan result, 1)
	go func() {
		inv, err := Run(ctx, opts)
		done <- result{inv, err}
	}()
	time.Sleep(500 * time.Millisecond) // mid-run: the whole run needs about 30 s
	cancel()
	select {
	case r := <-done:
		if !errors.Is(r.err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", r.err)
		}
		if r.inv == nil || !r.inv.Partial() {
			t.Fatal("an interrupted run must return its partial inventory, marked partial")
		}
		for _, e := range r.inv.Errors {
			if e.Operation != OperationInterrupted {
				t.Errorf("unexpected error entry %+v", e)
			}
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1 s of cancellation")
	}
}

func TestEndpointFromEnvironment(t *testing.T) {
	seed := buildSeed(seedSpec{regions: map[string]int{"us-east-1": 2}, stages: 1})
	_, url := serve(t, emulator.Options{Seed: seed})
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_REGION", "us-east-1")
	opts := testOptions("")
	inv, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Endpoint != url || len(inv.APIs) != 2 || inv.Account != testAccount {
		t.Errorf("endpoint %q, %d APIs, account %q", inv.Endpoint, len(inv.APIs), inv.Account)
	}
	if strings.Join(inv.Regions, ",") != "us-east-1" {
		t.Errorf("regions = %v, want the configured us-east-1", inv.Regions)
	}
}

func TestNoRegionIsAClearError(t *testing.T) {
	_, err := Run(context.Background(), testOptions("http://127.0.0.1:1"))
	if err == nil || !strings.Contains(err.Error(), "--region") {
		t.Fatalf("err = %v, want one naming --region", err)
	}
}
