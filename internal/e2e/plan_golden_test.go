package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestGoldenPlanJSON pins the plan JSON (`show -json`) both engines produce
// with the stand-in provider for the demo adoption (generate from the demo
// seed, plan the imports) and for the audit's refresh-only plan after a
// console change, so that a change to the stand-in that changes what
// engines see shows up as a diff of these files.
func TestGoldenPlanJSON(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, eng Engine) {
		ctx := context.Background()
		env := StartEmulator(t, emulator.Options{Seed: emutest.Seed(t, "demo.yaml")})
		_, dir, r := env.Adopt(t, eng, env.DiscoverOptions("eu-west-1", "us-east-1"))
		compareGolden(t, env, eng, "adopt", showPlan(t, env, eng, dir))

		if err := r.TF.Apply(ctx); err != nil {
			t.Fatalf("apply imports: %v", err)
		}
		c := env.Client(t, "us-east-1")
		if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{
			ApiId: aws.String("pay7h2k9q1"), StageName: aws.String("prod"),
			Description:    aws.String("changed in the console"),
			StageVariables: map[string]string{"fraudCheck": "", "featureFlag": "on"},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: aws.String("pay7h2k9q1"), Version: aws.String("2026-02")}); err != nil {
			t.Fatal(err)
		}
		compareGolden(t, env, eng, "audit-refresh", showPlan(t, env, eng, dir, "-refresh-only"))
	})
}

// showPlan plans into a file and returns the engine's own `show -json` of
// it, byte for byte, not terraform-json's re-encoding, which drops fields it
// does not know.
func showPlan(t *testing.T, env *Env, eng Engine, dir string, args ...string) []byte {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan.tfplan")
	run := func(args ...string) []byte {
		cmd := exec.Command(eng.Bin, args...)
		cmd.Dir = dir
		cmd.Env = os.Environ()
		for k, v := range env.EngineEnv() {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", eng.Name, strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	run(append([]string{"plan", "-input=false", "-lock=false", "-out=" + planFile}, args...)...)
	return run("show", "-json", planFile)
}

// compareGolden compares plan JSON with testdata/plans/<engine>/<name>.json
// after normalising what changes from run to run.
func compareGolden(t *testing.T, env *Env, eng Engine, name string, raw []byte) {
	t.Helper()
	got := normalisePlan(t, raw, env.URL)
	testenv.Golden(t, filepath.Join("testdata", "plans", eng.Name, name+".json"), got)
}

// normalisePlan drops the fields that vary between runs and engine builds
// (timestamp, engine version) and replaces the emulator's address.
func normalisePlan(t *testing.T, raw []byte, url string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding plan JSON: %v", err)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "timestamp")
			delete(x, "terraform_version")
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			return strings.ReplaceAll(x, url, "http://emulator")
		}
		return v
	}
	out, err := json.MarshalIndent(walk(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}
