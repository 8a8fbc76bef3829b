package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Values below follow the stand-in provider's state layout.

func apiState(id, name string, tags map[string]any) map[string]any {
	return map[string]any{
		"id": id, "name": name, "protocol_type": "HTTP", "region": "us-east-1",
		"arn":          "arn:aws:apigateway:us-east-1::/apis/" + id,
		"api_endpoint": "https://" + id + ".execute-api.us-east-1.amazonaws.com",
		"description":  "", "version": "",
		"route_selection_expression":   "$request.method $request.path",
		"api_key_selection_expression": "$request.header.x-api-key",
		"disable_execute_api_endpoint": false,
		"cors_configuration":           []any{},
		"tags":                         tags, "tags_all": tags,
	}
}

func stageState(apiID, name, desc string, burst float64) map[string]any {
	return map[string]any{
		"id": name, "api_id": apiID, "name": name, "region": "us-east-1",
		"arn":                   "arn:aws:apigateway:us-east-1::/apis/" + apiID + "/stages/" + name,
		"description":           desc,
		"auto_deploy":           false,
		"client_certificate_id": "",
		"access_log_settings":   []any{},
		"default_route_settings": []any{map[string]any{
			"data_trace_enabled": false, "detailed_metrics_enabled": false, "logging_level": "",
			"throttling_burst_limit": burst, "throttling_rate_limit": 50.0,
		}},
		"route_settings":  []any{},
		"stage_variables": map[string]any{},
		"tags":            map[string]any{"team": "api"},
		"tags_all":        map[string]any{"team": "api"},
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func stateRes(addr, typ string, v map[string]any) *tfjson.StateResource {
	return &tfjson.StateResource{Address: addr, Mode: tfjson.ManagedResourceMode, Type: typ, Name: addr[strings.LastIndex(addr, ".")+1:], AttributeValues: v}
}

// driftScenario is a refresh-only plan after a person changed a stage's
// description, throttle and tags, added route settings, and deleted another
// stage; the API itself is unchanged.
func driftScenario() *tfjson.Plan {
	api := apiState("a1", "orders", map[string]any{"team": "api"})
	prod := stageState("a1", "prod", "production", 100)
	dev := stageState("a1", "dev", "development", 10)
	prodLive := clone(prod)
	prodLive["description"] = "production (edited)"
	prodLive["default_route_settings"] = []any{map[string]any{
		"data_trace_enabled": false, "detailed_metrics_enabled": false, "logging_level": "",
		"throttling_burst_limit": 250.0, "throttling_rate_limit": 50.0,
	}}
	prodLive["tags"] = map[string]any{"team": "payments"}
	prodLive["tags_all"] = map[string]any{"team": "payments"}
	prodLive["route_settings"] = []any{map[string]any{
		"route_key": "GET /orders", "data_trace_enabled": false, "detailed_metrics_enabled": true,
		"logging_level": "", "throttling_burst_limit": 5.0, "throttling_rate_limit": 2.5,
	}}
	return &tfjson.Plan{
		FormatVersion: "1.2",
		PriorState: &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: []*tfjson.StateResource{
			stateRes("aws_apigatewayv2_api.orders", TypeAPI, api),
			stateRes("aws_apigatewayv2_stage.orders_prod", TypeStage, prodLive),
			{Address: "aws_cloudwatch_log_group.x", Mode: tfjson.ManagedResourceMode, Type: "aws_cloudwatch_log_group"},
		}}}},
		ResourceDrift: []*tfjson.ResourceChange{
			{Address: "aws_apigatewayv2_stage.orders_prod", Mode: tfjson.ManagedResourceMode, Type: TypeStage,
				Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionUpdate}, Before: prod, After: prodLive}},
			{Address: "aws_apigatewayv2_stage.orders_dev", Mode: tfjson.ManagedResourceMode, Type: TypeStage,
				Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionDelete}, Before: dev}},
		},
	}
}

// scenarioInventory is the live account matching driftScenario plus an
// unmanaged API with one stage and a quick-create stage.
func scenarioInventory() *inventory.Inventory {
	burst := int32(250)
	rate := 50.0
	zero := false
	inv := &inventory.Inventory{
		Schema: inventory.Schema, Account: "123456789012", Partition: "aws", Regions: []string{"us-east-1"},
		APIs: []inventory.API{
			{Region: "us-east-1", ID: "a1", Name: "orders", ProtocolType: "HTTP",
				APIEndpoint:               "https://a1.execute-api.us-east-1.amazonaws.com",
				RouteSelectionExpression:  "$request.method $request.path",
				APIKeySelectionExpression: "$request.header.x-api-key",
				Tags:                      map[string]string{"team": "api"},
				Stages: []inventory.Stage{{
					Name: "prod", Description: "production (edited)",
					DefaultRouteSettings: &inventory.RouteSettings{DataTraceEnabled: &zero, DetailedMetricsEnabled: &zero, ThrottlingBurstLimit: &burst, ThrottlingRateLimit: &rate},
					RouteSettings: []inventory.RouteSetting{{RouteKey: "GET /orders", RouteSettings: inventory.RouteSettings{
						DetailedMetricsEnabled: ptr(true), ThrottlingBurstLimit: ptr(int32(5)), ThrottlingRateLimit: ptr(2.5)}}},
					Tags: map[string]string{"team": "payments"},
				}}},
			{Region: "us-east-1", ID: "b2", Name: "billing", ProtocolType: "HTTP",
				Stages: []inventory.Stage{{Name: "live"}}},
		},
		Skipped: []inventory.Skipped{{Region: "us-east-1", APIID: "q9", APIName: "quick", Stage: "$default", Reason: inventory.ReasonQuickCreate}},
	}
	inv.Normalize()
	return inv
}

func ptr[T any](v T) *T { return &v }

// fakeEngine serves canned plans and state and records every call.
type fakeEngine struct {
	refresh, pending *tfjson.Plan
	state            *tfjson.State
	initErr          error
	stateErr         error
	mu               sync.Mutex
	calls            []string
}

func (f *fakeEngine) InitReadOnly(context.Context) error {
	f.record("init")
	return f.initErr
}

func (f *fakeEngine) Close() error { return nil }

func (f *fakeEngine) Plan(_ context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	var args []string
	for _, o := range opts {
		args = append(args, strings.TrimPrefix(fmt.Sprintf("%+v", o), "&"))
	}
	f.record("plan " + strings.Join(args, " "))
	for _, a := range args {
		if a == "{refresh:false}" {
			return f.pending, nil
		}
	}
	return f.refresh, nil
}

// PlanIfChanged answers as the engines do: nil when the refresh found
// nothing, which for these canned plans means no resource drift.
func (f *fakeEngine) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	p, err := f.Plan(ctx, opts...)
	if p != nil && len(p.ResourceDrift) == 0 {
		return nil, err
	}
	return p, err
}

// State is the canned state, or the refresh-only plan's prior state, which
// is the stored state when nothing drifted.
func (f *fakeEngine) State(context.Context) (*tfjson.State, error) {
	f.record("state")
	if f.state == nil && f.refresh != nil {
		return f.refresh.PriorState, f.stateErr
	}
	return f.state, f.stateErr
}

// callsBut lists the calls except those named skip: plan mode reads the
// state next to the plan, so where that read falls among the calls varies.
func (f *fakeEngine) callsBut(skip string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if c != skip {
			out = append(out, c)
		}
	}
	return strings.Join(out, "; ")
}

func (f *fakeEngine) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func openerFor(engines map[string]*fakeEngine) Opener {
	return func(_ context.Context, dir string) (Engine, string, error) {
		e, ok := engines[dir]
		if !ok {
			return nil, "", fmt.Errorf("working directory %s does not exist", dir)
		}
		return e, "tofu", nil
	}
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }

func runScenario(t *testing.T, o Options) *Report {
	t.Helper()
	if o.Open == nil {
		o.Open = openerFor(map[string]*fakeEngine{"infra": {refresh: driftScenario()}})
		o.Dirs = []string{"infra"}
	}
	if o.Now == nil {
		o.Now = fixedNow
	}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func checkClasses(t *testing.T, rep *Report, want ...string) {
	t.Helper()
	if got, w := classes(rep), strings.Join(want, "\n"); got != w {
		t.Errorf("findings:\n%s\nwant:\n%s", got, w)
	}
}

func classes(r *Report) string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, fmt.Sprintf("%s %s %s", f.Class, f.Type, f.ImportID))
	}
	return strings.Join(s, "\n")
}

func TestRunPlanModeFindings(t *testing.T) {
	inv := scenarioInventory()
	eng := &fakeEngine{refresh: driftScenario()}
	rep := runScenario(t, Options{
		Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}),
		Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil },
	})
	checkClasses(t, rep,
		"changed aws_apigatewayv2_stage a1/prod",
		"deleted aws_apigatewayv2_stage a1/dev",
		"unmanaged aws_apigatewayv2_api b2",
		"unmanaged aws_apigatewayv2_stage b2/live",
		"unimportable aws_apigatewayv2_stage q9/$default",
	)
	var paths []string
	for _, c := range rep.Findings[0].Changes {
		paths = append(paths, c.Path)
	}
	wantPaths := `default_route_settings[0].throttling_burst_limit description route_settings["GET /orders"] tags["team"] tags_all["team"]`
	if got := strings.Join(paths, " "); got != wantPaths {
		t.Errorf("changed paths = %s\nwant %s", got, wantPaths)
	}
	if rep.Summary.Managed != 2 || rep.Coverage == nil || rep.Coverage.Total.Managed != 2 || rep.Coverage.Total.Unmanaged != 2 || *rep.Coverage.Total.Percent != 50 {
		t.Errorf("summary %+v coverage %+v", rep.Summary, rep.Coverage)
	}
	if rep.Partial || !rep.Failed(FailOnAny) {
		t.Errorf("partial=%v failed=%v", rep.Partial, rep.Failed(FailOnAny))
	}
	// Read-only: init, then exactly one refresh-only plan without a lock.
	if got := eng.callsBut("state"); got != "init; plan {refreshOnly:true} {lock:false}" {
		t.Errorf("engine calls = %s", got)
	}
}

func TestRunLiveModeMatchesPlanMode(t *testing.T) {
	inv := scenarioInventory()
	disc := func(context.Context) (*inventory.Inventory, error) { return inv, nil }
	plan := runScenario(t, Options{Discover: disc})
	// The state as stored before the refresh: prod as it was, dev present.
	p := driftScenario()
	st := &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: []*tfjson.StateResource{
		p.PriorState.Values.RootModule.Resources[0],
		stateRes("aws_apigatewayv2_stage.orders_prod", TypeStage, p.ResourceDrift[0].Change.Before.(map[string]any)),
		stateRes("aws_apigatewayv2_stage.orders_dev", TypeStage, p.ResourceDrift[1].Change.Before.(map[string]any)),
	}}}}
	eng := &fakeEngine{state: st}
	live := runScenario(t, Options{Mode: ModeLive, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}), Discover: disc})
	if got := strings.Join(eng.calls, "; "); got != "init; state" {
		t.Errorf("live mode engine calls = %s, want no plan", got)
	}
	plan.Mode, live.Mode = "", ""
	pj, lj := mustJSON(t, plan.Findings), mustJSON(t, live.Findings)
	if pj != lj {
		t.Errorf("live mode findings differ from plan mode:\nplan %s\nlive %s", pj, lj)
	}
	if plan.Summary != live.Summary {
		t.Errorf("summaries differ: plan %+v live %+v", plan.Summary, live.Summary)
	}
}

// TestRunPlanModeUnchanged covers the usual night: the engine reports that
// nothing drifted, so the plan is never shown and the managed resources
// come from the state read next to it; a failed state read is then the
// directory's failure, while after a drift it does not matter.
func TestRunPlanModeUnchanged(t *testing.T) {
	clean := driftScenario()
	clean.ResourceDrift = nil
	disc := func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }
	eng := &fakeEngine{refresh: clean}
	rep := runScenario(t, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}), Discover: disc})
	checkClasses(t, rep,
		"unmanaged aws_apigatewayv2_api b2",
		"unmanaged aws_apigatewayv2_stage b2/live",
		"unimportable aws_apigatewayv2_stage q9/$default",
	)
	if rep.Partial || rep.Summary.Managed != 2 || !rep.Failed(FailOnNew) {
		t.Errorf("partial=%v summary=%+v", rep.Partial, rep.Summary)
	}
	if got := eng.callsBut(""); !strings.Contains(got, "state") {
		t.Errorf("engine calls = %s, want a state read", got)
	}

	broken := &fakeEngine{refresh: clean, stateErr: errors.New("tofu show -json in infra: exit status 1")}
	rep = runScenario(t, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": broken})})
	if !rep.Partial || !strings.Contains(rep.Dirs[0].Error, "show -json") {
		t.Errorf("a failed state read after an unchanged plan: partial=%v dirs=%+v", rep.Partial, rep.Dirs)
	}

	drifted := &fakeEngine{refresh: driftScenario(), stateErr: errors.New("killed")}
	rep = runScenario(t, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": drifted})})
	if rep.Partial || rep.Summary.Changed != 1 || rep.Summary.Deleted != 1 {
		t.Errorf("a drifted plan needs no state read: partial=%v summary=%+v dirs=%+v", rep.Partial, rep.Summary, rep.Dirs)
	}
}

// TestRunRediscoversAfterThrottling: a discovery refused for the request
// quota while the plans ran is tried again once they are done (plan mode);
// other failures, and live mode, which runs no plan, are reported as they are.
func TestRunRediscoversAfterThrottling(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mode      Mode
		throttled bool
		calls     int
		partial   bool
	}{
		{"throttled in plan mode", ModePlan, true, 2, false},
		{"denied in plan mode", ModePlan, false, 1, true},
		{"throttled in live mode", ModeLive, true, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			disc := func(context.Context) (*inventory.Inventory, error) {
				inv := scenarioInventory()
				if calls.Add(1) == 1 {
					inv.Errors = []inventory.Error{{Region: "us-east-1", APIID: "b2", Operation: "GetStages", Message: "refused", Throttled: tc.throttled}}
				}
				return inv, nil
			}
			eng := &fakeEngine{refresh: driftScenario(), state: driftScenario().PriorState}
			rep := runScenario(t, Options{Mode: tc.mode, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}), Discover: disc})
			if int(calls.Load()) != tc.calls || rep.Partial != tc.partial {
				t.Errorf("discoveries = %d, partial = %v; want %d, %v", calls.Load(), rep.Partial, tc.calls, tc.partial)
			}
		})
	}
}

func TestRunPartialWhenOneDirectoryFails(t *testing.T) {
	ok := &fakeEngine{refresh: driftScenario()}
	bad := &fakeEngine{initErr: errors.New("tofu init in bad: provider not found")}
	rep := runScenario(t, Options{Dirs: []string{"good", "bad"}, Open: openerFor(map[string]*fakeEngine{"good": ok, "bad": bad})})
	if !rep.Partial {
		t.Fatal("report is not partial")
	}
	if rep.Dirs[1].Error == "" || rep.Dirs[0].Error != "" {
		t.Errorf("dir results = %+v", rep.Dirs)
	}
	if rep.Summary.Changed != 1 || rep.Summary.Deleted != 1 {
		t.Errorf("the good directory's findings are missing: %+v", rep.Summary)
	}
	if bad.calls[len(bad.calls)-1] != "init" {
		t.Errorf("planned after a failed init: %v", bad.calls)
	}
}

// TestPendingMigrationIsNoDrift: the moves, imports and forgets that
// apigw2tf migrate writes are pending with no attribute changes, never
// changed or deleted.
func TestPendingMigrationIsNoDrift(t *testing.T) {
	pending := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		{Address: "module.payments.aws_apigatewayv2_api.orders", PreviousAddress: "aws_apigatewayv2_api.orders", Mode: tfjson.ManagedResourceMode, Type: TypeAPI,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionNoop}, Before: apiState("a1", "orders", nil), After: apiState("a1", "orders", nil)}},
		{Address: "aws_apigatewayv2_stage.orders_prod", Mode: tfjson.ManagedResourceMode, Type: TypeStage,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionForget}, Before: stageState("a1", "prod", "production", 100)}},
	}}
	eng := &fakeEngine{refresh: &tfjson.Plan{}, pending: pending}
	rep := runScenario(t, Options{Dirs: []string{"infra"}, IncludePending: true, Open: openerFor(map[string]*fakeEngine{"infra": eng})})
	want := "pending aws_apigatewayv2_api a1\npending aws_apigatewayv2_stage a1/prod"
	if got := classes(rep); got != want {
		t.Errorf("findings:\n%s\nwant\n%s", got, want)
	}
	for _, f := range rep.Findings {
		if len(f.Changes) > 0 {
			t.Errorf("%s: a move or forget changes no attribute, got %+v", f.Address, f.Changes)
		}
	}
}

func TestRunIncludePendingPlansWithoutRefresh(t *testing.T) {
	cfgChanged := clone(stageState("a1", "prod", "production", 100))
	cfgChanged["description"] = "from config"
	pending := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		{Address: "aws_apigatewayv2_api.orders", Mode: tfjson.ManagedResourceMode, Type: TypeAPI,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionNoop}, Before: apiState("a1", "orders", nil), After: apiState("a1", "orders", nil)}},
		{Address: "aws_apigatewayv2_stage.orders_prod", Mode: tfjson.ManagedResourceMode, Type: TypeStage,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionUpdate}, Before: stageState("a1", "prod", "production", 100), After: cfgChanged}},
		{Address: "aws_apigatewayv2_stage.new", Mode: tfjson.ManagedResourceMode, Type: TypeStage,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionCreate}, After: map[string]any{"api_id": "a1", "name": "new"},
				AfterUnknown: map[string]any{"arn": true}}},
	}}
	eng := &fakeEngine{refresh: &tfjson.Plan{}, pending: pending}
	rep := runScenario(t, Options{Dirs: []string{"infra"}, IncludePending: true, Open: openerFor(map[string]*fakeEngine{"infra": eng})})
	want := "pending aws_apigatewayv2_stage a1/new\npending aws_apigatewayv2_stage a1/prod"
	if got := classes(rep); got != want {
		t.Errorf("findings:\n%s\nwant\n%s", got, want)
	}
	if got := eng.callsBut("state"); got != "init; plan {refreshOnly:true} {lock:false}; plan {refresh:false} {lock:false}" {
		t.Errorf("pending plan = %s", got)
	}
	for _, c := range rep.Findings[0].Changes {
		if c.Path == "arn" && c.After != UnknownMask {
			t.Errorf("unknown arn shows as %v", c.After)
		}
	}
}

func TestRunBoundsParallelism(t *testing.T) {
	var running, peak atomic.Int32
	engines := map[string]*fakeEngine{}
	var dirs []string
	for i := range 12 {
		d := fmt.Sprintf("d%02d", i)
		dirs = append(dirs, d)
		engines[d] = &fakeEngine{refresh: &tfjson.Plan{}}
	}
	open := func(ctx context.Context, dir string) (Engine, string, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		running.Add(-1)
		return engines[dir], "tofu", nil
	}
	rep := runScenario(t, Options{Dirs: dirs, Parallel: 3, Open: open})
	if peak.Load() > 3 {
		t.Errorf("%d directories at once, limit 3", peak.Load())
	}
	for i, d := range rep.Dirs {
		if d.Dir != dirs[i] {
			t.Errorf("dir %d = %s, want input order", i, d.Dir)
		}
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: driftScenario()}})})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	open := openerFor(nil)
	tests := []struct {
		o    Options
		want string
	}{
		{Options{Open: open}, "pass --dir"},
		{Options{Dirs: []string{"a", "a"}, Open: open}, "listed twice"},
		{Options{Dirs: []string{"a"}, Mode: "fast", Open: open}, `--mode "fast"`},
		{Options{Dirs: []string{"a"}, Mode: ModeLive, Open: open}, "--inventory"},
		{Options{Dirs: []string{"a"}, Redact: []string{"tags.team"}, Open: open}, "--redact"},
		{Options{Dirs: []string{"a"}, Parallel: -1, Open: open}, "--parallel"},
	}
	for _, tt := range tests {
		err := tt.o.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want it to mention %q", tt.o, err, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	rep := runScenario(t, Options{Redact: []string{"tags", "tags_all"}})
	for _, c := range rep.Findings[0].Changes {
		top := tfvalue.TopAttribute(c.Path)
		hidden := c.Before == RedactedMask && c.After == RedactedMask && c.Redacted
		if (top == "tags" || top == "tags_all") != hidden {
			t.Errorf("change %+v: redacted=%v", c, hidden)
		}
	}
	if strings.Contains(mustJSON(t, rep), "payments") {
		t.Error("redacted tag value leaks into the report")
	}
}

func TestIgnoreRulesAndBaseline(t *testing.T) {
	first := runScenario(t, Options{})
	for _, f := range first.Findings {
		if f.Status != StatusNew {
			t.Errorf("without a baseline %s is %s", f.ImportID, f.Status)
		}
	}
	rules := &IgnoreRules{Rules: []IgnoreRule{
		{Address: "aws_apigatewayv2_stage.*", Attributes: []string{"tags", "tags_all", "description"}},
		{ImportID: "a1/dev", Classes: []Class{ClassDeleted}},
	}}
	rep := runScenario(t, Options{Ignore: rules, Baseline: first})
	if got := classes(rep); got != "changed aws_apigatewayv2_stage a1/prod" {
		t.Fatalf("after ignore rules: %s", got)
	}
	var paths []string
	for _, c := range rep.Findings[0].Changes {
		paths = append(paths, c.Path)
	}
	if got := strings.Join(paths, " "); got != `default_route_settings[0].throttling_burst_limit route_settings["GET /orders"]` {
		t.Errorf("kept paths: %s", got)
	}
	if rep.Summary.Ignored != 4 {
		t.Errorf("ignored = %d, want 3 attribute changes and 1 finding", rep.Summary.Ignored)
	}
	// Fingerprints are taken before ignore rules, so adding a rule never
	// turns an accepted finding into a new one.
	if rep.Findings[0].Status != StatusKnown {
		t.Errorf("narrowed finding is %s", rep.Findings[0].Status)
	}
	// A value that changes again is new, though the attribute is the same.
	moved := driftScenario()
	moved.ResourceDrift[0].Change.After.(map[string]any)["description"] = "edited twice"
	rep = runScenario(t, Options{Baseline: first, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: moved}})})
	if got := rep.Findings[0]; got.Status != StatusNew || rep.Findings[1].Status != StatusKnown {
		t.Errorf("after a second edit: %s is %s, %s is %s", got.ImportID, got.Status, rep.Findings[1].ImportID, rep.Findings[1].Status)
	}
	again := runScenario(t, Options{Baseline: first})
	for _, f := range again.Findings {
		if f.Status != StatusKnown {
			t.Errorf("%s %s is %s, want known", f.Class, f.ImportID, f.Status)
		}
	}
	if again.Failed(FailOnNew) || !again.Failed(FailOnAny) {
		t.Errorf("fail-on new=%v any=%v", again.Failed(FailOnNew), again.Failed(FailOnAny))
	}
}

func TestReportRoundTrip(t *testing.T) {
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	got, err := DecodeReport(strings.NewReader(mustJSON(t, rep)), "report.json")
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != mustJSON(t, rep) {
		t.Error("report does not round-trip through JSON")
	}
	if _, err := DecodeReport(strings.NewReader(`{"schema":"apigw2tf.audit/v0"}`), "old.json"); err == nil || !strings.Contains(err.Error(), "old.json") {
		t.Errorf("old schema: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	if err := renderJSONValue(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// failOnce fails its first plan, as an engine does when the lock file or
// modules changed since the last init.
type failOnce struct {
	*fakeEngine
	failed bool
}

func (f *failOnce) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	if !f.failed {
		f.failed = true
		f.record("plan (fails: init required)")
		return nil, errors.New("Error: Inconsistent dependency lock file")
	}
	return f.fakeEngine.PlanIfChanged(ctx, opts...)
}

func TestRunInitialisesOnlyWhenNeeded(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".terraform"), 0o755); err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{refresh: driftScenario()}
	runScenario(t, Options{Dirs: []string{dir}, Open: openerFor(map[string]*fakeEngine{dir: eng})})
	if got := eng.callsBut("state"); got != "plan {refreshOnly:true} {lock:false}" {
		t.Errorf("initialised directory: engine calls = %s, want the plan alone", got)
	}

	stale := &failOnce{fakeEngine: &fakeEngine{refresh: driftScenario()}}
	open := func(context.Context, string) (Engine, string, error) { return stale, "tofu", nil }
	rep := runScenario(t, Options{Dirs: []string{dir}, Open: open})
	if got := stale.callsBut("state"); got != "plan (fails: init required); init; plan {refreshOnly:true} {lock:false}" {
		t.Errorf("stale initialisation: engine calls = %s", got)
	}
	if rep.Partial || rep.Summary.Changed != 1 {
		t.Errorf("after init the audit must succeed: partial=%v %+v", rep.Partial, rep.Summary)
	}
}

// failingPlan fails every plan with err, as an engine does against an
// endpoint it cannot reach.
type failingPlan struct {
	*fakeEngine
	err error
}

func (f *failingPlan) PlanIfChanged(context.Context, ...tfexec.PlanOption) (*tfjson.Plan, error) {
	f.record("plan")
	return nil, f.err
}

// TestRunRetriesInitOnlyWhenRequired: in an initialised directory a failed
// plan is retried after an init only when the engine says init is
// required; a connection error fails at once, after one plan.
func TestRunRetriesInitOnlyWhenRequired(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".terraform"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		msg, calls string
	}{
		{"Error: Retrieving AWS account details: dial tcp 127.0.0.1:1: connect: connection refused", "plan"},
		{"Error: reading API Gateway V2 API (a1): operation error ApiGatewayV2: GetApi, exceeded maximum number of attempts, 25", "plan"},
		{"Error: Backend initialization required, please run \"tofu init\"", "plan; init; plan"},
		{"Error: Required plugins are not installed", "plan; init; plan"},
		{"Error: Module not installed", "plan; init; plan"},
	} {
		eng := &failingPlan{fakeEngine: &fakeEngine{}, err: errors.New(tc.msg)}
		open := func(context.Context, string) (Engine, string, error) { return eng, "tofu", nil }
		rep := runScenario(t, Options{Dirs: []string{dir}, Open: open})
		if got := eng.callsBut("state"); got != tc.calls {
			t.Errorf("%s: engine calls = %s, want %s", tc.msg, got, tc.calls)
		}
		if !rep.Partial || !strings.Contains(rep.Dirs[0].Error, tc.msg) {
			t.Errorf("%s: dir = %+v", tc.msg, rep.Dirs[0])
		}
	}
}

// blockingEngine plans until its context ends.
type blockingEngine struct{ *fakeEngine }

func (b blockingEngine) PlanIfChanged(ctx context.Context, _ ...tfexec.PlanOption) (*tfjson.Plan, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("tofu plan in slow: %w", ctx.Err())
}

// TestRunTimeoutPerDirectory: a directory that runs out of its --timeout
// fails alone, saying so; the others are audited.
func TestRunTimeoutPerDirectory(t *testing.T) {
	slow := blockingEngine{&fakeEngine{}}
	ok := &fakeEngine{refresh: driftScenario()}
	open := func(_ context.Context, dir string) (Engine, string, error) {
		if dir == "slow" {
			return slow, "tofu", nil
		}
		return ok, "tofu", nil
	}
	rep := runScenario(t, Options{Dirs: []string{"slow", "infra"}, Open: open, Timeout: 50 * time.Millisecond})
	if !rep.Partial || !strings.Contains(rep.Dirs[0].Error, "--timeout 50ms") || rep.Dirs[1].Error != "" || rep.Summary.Changed != 1 {
		t.Errorf("partial=%v dirs=%+v summary=%+v", rep.Partial, rep.Dirs, rep.Summary)
	}
	if err := (&Options{Dirs: []string{"a"}, Open: open, Timeout: -time.Second}).Validate(); err == nil || !strings.Contains(err.Error(), "--timeout") {
		t.Errorf("negative timeout: %v", err)
	}
}
