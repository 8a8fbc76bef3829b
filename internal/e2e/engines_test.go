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
)

// TestApplyThenPlanClean applies hand-written HCL with every attribute and
// expects a second plan to be empty: the emulator and the stand-in provider
// must round-trip every value.
func TestApplyThenPlanClean(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
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
