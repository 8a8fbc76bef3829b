package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// largeAccount is a refresh-only plan over 100 APIs with 10 stages each,
// one stage in ten drifted, with the matching state and discovery: what the
// audit itself adds to an engine's plan for 1,000 managed stages.
func largeAccount() (*tfjson.Plan, *tfjson.State, *inventory.Inventory) {
	var prior, stored []*tfjson.StateResource
	var drift []*tfjson.ResourceChange
	inv := &inventory.Inventory{Schema: inventory.Schema, Regions: []string{"us-east-1"}}
	burst := int32(100)
	rate := 50.0
	f := false
	for i := range 100 {
		id := fmt.Sprintf("api%07d", i)
		api := apiState(id, "api-"+id, map[string]any{"team": "api"})
		prior = append(prior, stateRes("aws_apigatewayv2_api.a"+id, TypeAPI, api))
		stored = append(stored, stateRes("aws_apigatewayv2_api.a"+id, TypeAPI, api))
		ia := inventory.API{Region: "us-east-1", ID: id, Name: "api-" + id, ProtocolType: "HTTP",
			APIEndpoint:               "https://" + id + ".execute-api.us-east-1.amazonaws.com",
			RouteSelectionExpression:  "$request.method $request.path",
			APIKeySelectionExpression: "$request.header.x-api-key", Tags: map[string]string{"team": "api"}}
		for j := range 10 {
			name := fmt.Sprintf("s%d", j)
			addr := "aws_apigatewayv2_stage.a" + id + "_" + name
			st := stageState(id, name, "stage "+name, 100)
			stored = append(stored, stateRes(addr, TypeStage, st))
			is := inventory.Stage{Name: name, Description: "stage " + name, Tags: map[string]string{"team": "api"},
				DefaultRouteSettings: &inventory.RouteSettings{DataTraceEnabled: &f, DetailedMetricsEnabled: &f, ThrottlingBurstLimit: &burst, ThrottlingRateLimit: &rate}}
			if j == 0 {
				lv := clone(st)
				lv["description"] = "edited"
				is.Description = "edited"
				drift = append(drift, &tfjson.ResourceChange{Address: addr, Mode: tfjson.ManagedResourceMode, Type: TypeStage,
					Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionUpdate}, Before: st, After: lv}})
				st = lv
			}
			prior = append(prior, stateRes(addr, TypeStage, st))
			ia.Stages = append(ia.Stages, is)
		}
		inv.APIs = append(inv.APIs, ia)
	}
	inv.Normalize()
	plan := &tfjson.Plan{PriorState: &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: prior}}}, ResourceDrift: drift}
	state := &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: stored}}}
	return plan, state, inv
}

// decodingEngine decodes show -json output on every call, as the real
// engine does, so the benchmarks include terraform-json's decoding.
type decodingEngine struct{ plan, state []byte }

func (e decodingEngine) InitReadOnly(context.Context) error { return nil }
func (e decodingEngine) Close() error                       { return nil }

func (e decodingEngine) Plan(context.Context, ...tfexec.PlanOption) (*tfjson.Plan, error) {
	var p tfjson.Plan
	return &p, json.Unmarshal(e.plan, &p)
}

func (e decodingEngine) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	return e.Plan(ctx, opts...)
}

func (e decodingEngine) State(context.Context) (*tfjson.State, error) {
	var s tfjson.State
	return &s, json.Unmarshal(e.state, &s)
}

func benchmarkRun(b *testing.B, mode Mode) {
	plan, state, inv := largeAccount()
	plan.FormatVersion, plan.PriorState.FormatVersion, state.FormatVersion = "1.2", "1.0", "1.0"
	pj, err := json.Marshal(plan)
	if err != nil {
		b.Fatal(err)
	}
	sj, err := json.Marshal(state)
	if err != nil {
		b.Fatal(err)
	}
	eng := decodingEngine{plan: pj, state: sj}
	o := Options{Dirs: []string{"infra"}, Mode: mode, Open: func(context.Context, string) (Engine, string, error) { return eng, "tofu", nil },
		Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil }}
	b.SetBytes(int64(len(pj)))
	if mode == ModeLive {
		b.SetBytes(int64(len(sj)))
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Run(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Changed != 100 || rep.Summary.Managed != 1100 {
			b.Fatalf("summary %+v", rep.Summary)
		}
	}
}

// BenchmarkAnalyzePlan1000 is plan mode's own work once the engine has
// answered: decoding show -json, diffing, matching against the discovery,
// assembling.
func BenchmarkAnalyzePlan1000(b *testing.B) { benchmarkRun(b, ModePlan) }

// BenchmarkAnalyzeLive1000 is live mode's work once the engine has shown
// the state and the discovery is in memory.
func BenchmarkAnalyzeLive1000(b *testing.B) { benchmarkRun(b, ModeLive) }

func BenchmarkRender1000(b *testing.B) {
	plan, state, inv := largeAccount()
	rep, err := Run(context.Background(), Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: plan, state: state}}),
		Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil }})
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(io.Discard, rep, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
