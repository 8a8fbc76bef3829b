package audit_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestDemoAccountEveryType adopts the demo account's us-east-1 (HTTP APIs
// with Lambda and HTTP integrations, JWT and Lambda authorizers, a
// WebSocket API, a quick-create API, a custom domain with two mappings, a
// VPC link) on each engine with every resource type, checks that the plan
// after apply is empty, then makes the changes that break production most
// often through the API: an integration's URI, a route's authorizer, a
// deleted route, a route added by hand, a WebSocket route response (through
// the AWS CLI) and model, and through the AWS CLI a mapping moved to another
// stage. The audit
// reports exactly those, in plan and in live mode, besides what quick
// create made, which cannot be imported.
func TestDemoAccountEveryType(t *testing.T) {
	seed, err := emulator.LoadSeedFile(filepath.Join("..", "testdata", "accounts", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		a := adopt(t, eng, emulator.Options{Seed: seed})
		st, err := a.runner.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, r := range st.Values.RootModule.Resources {
			counts[r.Type]++
		}
		for _, typ := range []string{audit.TypeAPI, audit.TypeStage, audit.TypeAuthorizer, audit.TypeIntegration, audit.TypeRoute,
			audit.TypeModel, audit.TypeRouteResponse, audit.TypeIntegrationResponse,
			audit.TypeDomainName, audit.TypeAPIMapping, audit.TypeVPCLink} {
			if counts[typ] == 0 {
				t.Errorf("no %s in the state after adoption: %v", typ, counts)
			}
		}
		rep, err := generate.Verify(ctx, a.runner)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Pass() || rep.Summary() != "0 to import, 0 to add, 0 to change, 0 to destroy" {
			var b strings.Builder
			rep.WriteText(&b)
			t.Fatalf("plan after adoption is not empty:\n%s", b.String())
		}

		c := a.env.Client(t, e2e.Region)
		id := inventory.ChildImportID
		var edits []edit
		if _, err := c.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: aws.String("pay7h2k9q1"), IntegrationId: aws.String("paycrt1"),
			IntegrationUri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:create-payment-canary")}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassChanged, audit.TypeIntegration, id("pay7h2k9q1", "paycrt1"), []string{"integration_uri"}})
		if _, err := c.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: aws.String("pay7h2k9q1"), RouteId: aws.String("rpayget"),
			AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: aws.String("lmbauth")}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassChanged, audit.TypeRoute, id("pay7h2k9q1", "rpayget"), []string{"authorization_type", "authorizer_id"}})
		if _, err := c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String("ord3r5x8m2"), RouteId: aws.String("rordlst")}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassDeleted, audit.TypeRoute, id("ord3r5x8m2", "rordlst"), nil})
		added, err := c.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: aws.String("pay7h2k9q1"), RouteKey: aws.String("DELETE /payments/{id}"),
			Target: aws.String("integrations/payget1")})
		if err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassUnmanaged, audit.TypeRoute, id("pay7h2k9q1", aws.ToString(added.RouteId)), nil})
		// The WebSocket API's children, one through the AWS CLI as a
		// person at a terminal would.
		consoleCLI(t, a.env, "update-route-response", "--api-id", "chat9w5s0c", "--route-id", "rsendms", "--route-response-id", "rrsend1",
			"--model-selection-expression", "$request.body.kind")
		edits = append(edits, edit{audit.ClassChanged, audit.TypeRouteResponse, inventory.ResponseImportID("chat9w5s0c", "rsendms", "rrsend1"),
			[]string{"model_selection_expression"}})
		if _, err := c.UpdateModel(ctx, &apigatewayv2.UpdateModelInput{ApiId: aws.String("chat9w5s0c"), ModelId: aws.String("mdlmsg1"),
			Description: aws.String("changed by hand")}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassChanged, audit.TypeModel, id("chat9w5s0c", "mdlmsg1"), []string{"description"}})
		consoleCLI(t, a.env, "update-api-mapping", "--domain-name", "api.example.com", "--api-mapping-id", "m4pay1", "--api-id", "pay7h2k9q1", "--stage", "staging")
		edits = append(edits, edit{audit.ClassChanged, audit.TypeAPIMapping, inventory.APIMappingImportID("m4pay1", "api.example.com"), []string{"stage"}})
		edits = append(edits, unimportable(a.inv)...)

		open := func(context.Context, string) (audit.Engine, string, error) { return a.runner, a.runner.Name, nil }
		plan, err := audit.Run(ctx, audit.Options{Dirs: []string{a.dir}, IncludePending: true, Open: open, Discover: a.disc})
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, "plan mode", plan, edits)
		live, err := audit.Run(ctx, audit.Options{Dirs: []string{a.dir}, Mode: audit.ModeLive, Open: open, Discover: a.disc})
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, "live mode", live, edits)

		// apply puts back what the configuration says: the deleted route
		// returns, the URI and the authorizer are restored.
		if err := a.runner.TF.Apply(ctx); err != nil {
			t.Fatalf("apply to revert: %v", err)
		}
		undoCreates(t, c, edits)
		wantClean(t, a.dir, open, a.disc)
	})
}

// consoleCLI runs `aws apigatewayv2 <args>` against the test's emulator, an
// independent client for the changes people make by hand.
func consoleCLI(t *testing.T, env *e2e.Env, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		testenv.MissingTool(t, "aws not installed (pip install awscli, or apt-get install -y awscli)")
	}
	cmd := exec.CommandContext(context.Background(), "aws", append([]string{"--endpoint-url", env.URL, "--region", e2e.Region, "apigatewayv2"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+e2e.AccessKey, "AWS_SECRET_ACCESS_KEY="+e2e.SecretKey, "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("aws apigatewayv2 %v: %v\n%s", args, err, out)
	}
}
