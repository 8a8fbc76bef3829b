package generate

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

func change(address, typ string, importing bool, before, after any, actions ...tfjson.Action) *tfjson.ResourceChange {
	c := &tfjson.Change{Actions: actions, Before: before, After: after, AfterUnknown: map[string]any{}}
	if importing {
		c.Importing = &tfjson.Importing{ID: "x"}
	}
	return &tfjson.ResourceChange{Address: address, Mode: tfjson.ManagedResourceMode, Type: typ, Change: c}
}

func TestCheck(t *testing.T) {
	noop := []tfjson.Action{tfjson.ActionNoop}
	stage := map[string]any{"name": "prod", "default_route_settings": []any{map[string]any{"throttling_burst_limit": 0.0, "logging_level": ""}}}
	stageAfter := map[string]any{"name": "prod", "default_route_settings": []any{map[string]any{"throttling_burst_limit": nil, "logging_level": "INFO"}}}
	cases := []struct {
		name    string
		changes []*tfjson.ResourceChange
		pass    bool
		summary string
		text    []string
	}{
		{
			name: "clean import",
			changes: []*tfjson.ResourceChange{
				change("aws_apigatewayv2_api.a", typeAPI, true, map[string]any{"name": "a"}, map[string]any{"name": "a"}, noop...),
				change("aws_apigatewayv2_stage.a_prod", typeStage, true, stage, stage, noop...),
				{Address: "data.aws_region.current", Mode: tfjson.DataResourceMode, Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionRead}}},
			},
			pass:    true,
			summary: "2 to import, 0 to add, 0 to change, 0 to destroy",
		},
		{
			name: "import with update",
			changes: []*tfjson.ResourceChange{
				change("aws_apigatewayv2_stage.a_prod", typeStage, true, stage, stageAfter, tfjson.ActionUpdate),
			},
			summary: "1 to import, 0 to add, 1 to change, 0 to destroy",
			text: []string{
				"aws_apigatewayv2_stage.a_prod: update (importing)",
				"default_route_settings[0].logging_level: \"\" -> \"INFO\"",
				"default_route_settings[0].throttling_burst_limit: 0 -> null",
				"#12893", "#27674",
			},
		},
		{
			name: "create, replace and delete",
			changes: []*tfjson.ResourceChange{
				change("aws_apigatewayv2_api.new", typeAPI, false, nil, map[string]any{"name": "n"}, tfjson.ActionCreate),
				change("aws_apigatewayv2_stage.r", typeStage, true, map[string]any{"deployment_id": "d1"}, map[string]any{"deployment_id": "d2", "auto_deploy": true}, tfjson.ActionDelete, tfjson.ActionCreate),
				change("aws_apigatewayv2_api.old", typeAPI, false, map[string]any{"name": "o"}, nil, tfjson.ActionDelete),
			},
			summary: "1 to import, 2 to add, 0 to change, 2 to destroy",
			text: []string{
				"aws_apigatewayv2_api.new: create\n", "nothing imports this resource",
				"aws_apigatewayv2_stage.r: delete, create (importing)", `deployment_id: "d1" -> "d2"`, "#13633",
				"aws_apigatewayv2_api.old: delete", "no longer declares",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Check(&tfjson.Plan{ResourceChanges: c.changes})
			if rep.Pass() != c.pass {
				t.Errorf("Pass() = %v, want %v", rep.Pass(), c.pass)
			}
			if rep.Summary() != c.summary {
				t.Errorf("Summary() = %q, want %q", rep.Summary(), c.summary)
			}
			var b strings.Builder
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			for _, want := range c.text {
				if !strings.Contains(b.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, b.String())
				}
			}
		})
	}
}

func TestCheckMasksSensitiveValues(t *testing.T) {
	rc := change("aws_apigatewayv2_stage.s", typeStage, true,
		map[string]any{"stage_variables": map[string]any{"token": "old"}},
		map[string]any{"stage_variables": map[string]any{"token": "new"}}, tfjson.ActionUpdate)
	rc.Change.BeforeSensitive = map[string]any{"stage_variables": true}
	rc.Change.AfterSensitive = map[string]any{"stage_variables": true}
	var b strings.Builder
	Check(&tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{rc}}).WriteText(&b)
	if strings.Contains(b.String(), "old") || strings.Contains(b.String(), "new") || !strings.Contains(b.String(), "(sensitive) -> (sensitive)") {
		t.Errorf("sensitive values not masked:\n%s", b.String())
	}
}

func TestCheckUnknownAfter(t *testing.T) {
	rc := change("aws_apigatewayv2_stage.s", typeStage, true, map[string]any{"deployment_id": "d1"}, map[string]any{}, tfjson.ActionUpdate)
	rc.Change.AfterUnknown = map[string]any{"deployment_id": true}
	rep := Check(&tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{rc}})
	if len(rep.Offenders) != 1 || len(rep.Offenders[0].Diffs) != 1 || rep.Offenders[0].Diffs[0].After != "(known after apply)" {
		t.Errorf("offenders = %+v", rep.Offenders)
	}
}

type fakePlanner struct {
	initErr error
	plan    *tfjson.Plan
}

func (f fakePlanner) Init(context.Context) error { return f.initErr }

func (f fakePlanner) Plan(context.Context, ...tfexec.PlanOption) (*tfjson.Plan, error) {
	return f.plan, nil
}

func TestVerify(t *testing.T) {
	boom := errors.New("tofu init in /x: boom")
	if _, err := Verify(context.Background(), fakePlanner{initErr: boom}); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the init error", err)
	}
	rep, err := Verify(context.Background(), fakePlanner{plan: &tfjson.Plan{}})
	if err != nil || !rep.Pass() || rep.Summary() != "0 to import, 0 to add, 0 to change, 0 to destroy" {
		t.Errorf("empty plan: %+v, %v", rep, err)
	}
}

// TestCheckRecordedPlans reads plans recorded with both engines (tofu 1.12.6,
// terraform 1.5.7, the stand-in provider, the demo account): one generated
// by generate, and the same after two hand edits that the provider diffs.
func TestCheckRecordedPlans(t *testing.T) {
	for _, eng := range []string{"tofu", "terraform"} {
		t.Run(eng, func(t *testing.T) {
			clean := readPlan(t, eng+"-clean-import.json")
			rep := Check(clean)
			if !rep.Pass() || rep.Summary() != "14 to import, 0 to add, 0 to change, 0 to destroy" {
				t.Errorf("clean plan: pass %v, %q", rep.Pass(), rep.Summary())
			}
			rep = Check(readPlan(t, eng+"-import-with-changes.json"))
			var b strings.Builder
			rep.WriteText(&b)
			for _, want := range []string{
				"14 to import, 0 to add, 2 to change, 0 to destroy",
				"aws_apigatewayv2_stage.internal_admin_prod: update (importing)",
				`default_route_settings[0].logging_level: "" -> "INFO"`,
				"#12893",
				`aws_apigatewayv2_stage.internal_admin_prod_v2: update (importing)`,
				`deployment_id: "zvvoyp" -> "zzz"`,
				"#13633",
			} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, b.String())
				}
			}
		})
	}
}

func readPlan(t *testing.T, name string) *tfjson.Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "plans", name))
	if err != nil {
		t.Fatal(err)
	}
	var p tfjson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &p
}
