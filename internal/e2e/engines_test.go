package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// TestApplyThenPlanClean applies hand-written HCL with every attribute and
// expects a second plan to be empty: the emulator and the stand-in provider
// must round-trip every value.
func TestApplyThenPlanClean(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
		_, r, vars := applyFull(t, eng)
		ctx := context.Background()
		plan, err := r.Plan(ctx, vars)
		if err != nil {
			t.Fatal(err)
		}
		if changes := nonNoop(plan); len(changes) > 0 {
			t.Fatalf("second plan is not empty:\n%s", strings.Join(changes, "\n"))
		}
		st, err := r.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stage := findResource(t, st, "aws_apigatewayv2_stage.http_prod")
		wantPrefix := "arn:aws:execute-api:us-east-1:"
		if got, _ := stage.AttributeValues["execution_arn"].(string); !strings.HasPrefix(got, wantPrefix) {
			t.Errorf("execution_arn = %q, want prefix %q", got, wantPrefix)
		}
		if got, _ := stage.AttributeValues["invoke_url"].(string); !strings.HasSuffix(got, ".execute-api.us-east-1.amazonaws.com/prod") {
			t.Errorf("invoke_url = %q", got)
		}
	})
}

// TestImportBlocksPlanClean imports resources that already exist in the
// emulator: the plan must consist of imports with no-op actions only.
func TestImportBlocksPlanClean(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
		env := StartEmulator(t, emulator.Options{})
		ctx := context.Background()
		c := env.Client(t, Region)
		api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("imported"), ProtocolType: "HTTP", Description: aws.String("made in the console")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("dev"), StageVariables: map[string]string{"k": "v"}}); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), ProviderHCL(env.URL, Region)+`
import {
  to = aws_apigatewayv2_api.imported
  id = "`+*api.ApiId+`"
}
resource "aws_apigatewayv2_api" "imported" {
  name          = "imported"
  protocol_type = "HTTP"
  description   = "made in the console"
}
import {
  to = aws_apigatewayv2_stage.dev
  id = "`+*api.ApiId+`/dev"
}
resource "aws_apigatewayv2_stage" "dev" {
  api_id          = aws_apigatewayv2_api.imported.id
  name            = "dev"
  stage_variables = { k = "v" }
}
`)
		r := env.Runner(t, eng, dir)
		if err := r.Init(ctx); err != nil {
			t.Fatal(err)
		}
		plan, err := r.Plan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if changes := nonNoop(plan); len(changes) > 0 {
			t.Fatalf("import plan has changes:\n%s", strings.Join(changes, "\n"))
		}
		imports := 0
		for _, rc := range plan.ResourceChanges {
			if rc.Change.Importing != nil {
				imports++
			}
		}
		if imports != 2 {
			t.Fatalf("plan imports %d resources, want 2", imports)
		}
	})
}

// TestImportQuickCreateRefused checks the provider's own refusal text for a
// stage API Gateway manages (provider issue #24852).
func TestImportQuickCreateRefused(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
		env := StartEmulator(t, emulator.Options{})
		ctx := context.Background()
		c := env.Client(t, Region)
		api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: "HTTP", Target: aws.String("https://example.com")})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), ProviderHCL(env.URL, Region)+`
import {
  to = aws_apigatewayv2_stage.default
  id = "`+*api.ApiId+`/$default"
}
resource "aws_apigatewayv2_stage" "default" {
  api_id = "`+*api.ApiId+`"
  name   = "$default"
}
`)
		r := env.Runner(t, eng, dir)
		if err := r.Init(ctx); err != nil {
			t.Fatal(err)
		}
		_, err = r.Plan(ctx)
		// The real provider names the stage alone, not the import id.
		want := "API Gateway v2 Stage ($default) was created via quick create"
		if err == nil || !strings.Contains(strings.Join(strings.Fields(err.Error()), " "), want) {
			t.Fatalf("plan error = %v, want it to contain %q", err, want)
		}
	})
}

// nonNoop lists the addresses of changes that are not no-ops.
func nonNoop(plan *tfjson.Plan) []string {
	var out []string
	for _, rc := range plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			out = append(out, rc.Address+": "+strings.Join(actionStrings(rc.Change.Actions), ","))
		}
	}
	return out
}

func actionStrings(a tfjson.Actions) []string {
	s := make([]string, len(a))
	for i, x := range a {
		s[i] = string(x)
	}
	return s
}

func findResource(t *testing.T, st *tfjson.State, addr string) *tfjson.StateResource {
	t.Helper()
	if st.Values != nil && st.Values.RootModule != nil {
		for _, r := range st.Values.RootModule.Resources {
			if r.Address == addr {
				return r
			}
		}
	}
	t.Fatalf("state has no %s", addr)
	return nil
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPlanIfChanged checks the engines' -detailed-exitcode verdict that
// audit relies on to skip `show -json` of an unchanged refresh-only plan:
// no verdict of "nothing to apply" may hide a change made in the console.
func TestPlanIfChanged(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
		env, r, vars := applyFull(t, eng)
		ctx := context.Background()
		// SDKv2 stores a created resource as planned (tags and unset
		// throttles in route_settings as null) and its next read stores
		// them as read ({} and 0), so the first refresh after a create
		// changes the state. Accept that once, as `apply -refresh-only`
		// does, so the account is unchanged for what follows.
		if err := r.TF.Apply(ctx, vars, tfexec.RefreshOnly(true)); err != nil {
			t.Fatalf("apply -refresh-only: %v", err)
		}
		refreshOnly := []tfexec.PlanOption{vars, tfexec.RefreshOnly(true), tfexec.Lock(false)}
		plan, err := r.PlanIfChanged(ctx, refreshOnly...)
		if err != nil || plan != nil {
			t.Fatalf("refresh-only plan of an unchanged account = %v, %v; want nil, nil", plan, err)
		}
		st := findResource(t, mustState(t, r), "aws_apigatewayv2_stage.http_prod")
		apiID, _ := st.AttributeValues["api_id"].(string)
		if _, err := env.Client(t, Region).UpdateStage(ctx, &apigatewayv2.UpdateStageInput{
			ApiId: aws.String(apiID), StageName: aws.String("prod"), Description: aws.String("edited in the console"),
		}); err != nil {
			t.Fatal(err)
		}
		plan, err = r.PlanIfChanged(ctx, refreshOnly...)
		if err != nil {
			t.Fatal(err)
		}
		if plan == nil || len(plan.ResourceDrift) != 1 || plan.ResourceDrift[0].Address != "aws_apigatewayv2_stage.http_prod" {
			t.Fatalf("refresh-only plan after a console edit = %+v, want the drift of aws_apigatewayv2_stage.http_prod", plan)
		}
	})
}

// TestIdentifyBuiltEngines names each engine from its build information,
// and a tfenv-style shim script, which has none, from what it prints.
func TestIdentifyBuiltEngines(t *testing.T) {
	ctx := context.Background()
	for _, eng := range EngineBinaries(t) {
		if got := engine.Identify(ctx, eng.Bin); got != eng.Name {
			t.Errorf("Identify(%s) = %s, want %s", eng.Bin, got, eng.Name)
		}
		// The shim is named after the other engine so that only the
		// engine's own answer can name it right.
		other := map[string]string{"tofu": "terraform", "terraform": "tofu"}[eng.Name]
		shim := filepath.Join(t.TempDir(), other)
		writeFile(t, shim, "#!/bin/sh\nexec "+eng.Bin+" \"$@\"\n")
		if err := os.Chmod(shim, 0o755); err != nil {
			t.Fatal(err)
		}
		if got := engine.Identify(ctx, shim); got != eng.Name {
			t.Errorf("Identify(shim %s running %s) = %s, want %s", shim, eng.Bin, got, eng.Name)
		}
	}
}

// applyFull applies testdata/full, which sets every attribute, against a
// new emulator, and returns the runner and the variable that points the
// configuration at the emulator.
func applyFull(t *testing.T, eng Engine) (*Env, *engine.Runner, *tfexec.VarOption) {
	t.Helper()
	seed, err := emulator.LoadSeedFile("testdata/full/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := StartEmulator(t, emulator.Options{Seed: seed})
	dir := t.TempDir()
	copyFile(t, "testdata/full/main.tf", filepath.Join(dir, "main.tf"))
	r := env.Runner(t, eng, dir)
	ctx := context.Background()
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	vars := tfexec.Var("endpoint=" + env.URL)
	if err := r.TF.Apply(ctx, vars); err != nil {
		t.Fatalf("apply: %v", err)
	}
	return env, r, vars
}

func mustState(t *testing.T, r *engine.Runner) *tfjson.State {
	t.Helper()
	st, err := r.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
