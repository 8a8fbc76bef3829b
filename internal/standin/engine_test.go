package standin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
)

// The engine tests drive real engines (built by `make tools`) against the
// provider built from this tree and the emulator: configurations that omit
// attributes plan clean after apply and after import.

const providerVersion = "6.25.0"

// engines returns the engine binaries make tools built, by name, or skips
// (fails under CI=true) when there are none. The provider comes from this
// tree (buildMirror), not from make tools' mirror.
func engines(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	for _, e := range e2e.EngineBinaries(t) {
		found[e.Name] = e.Bin
	}
	return found
}

var mirror struct {
	once sync.Once
	dir  string
	rc   string
	err  error
}

// TestMain removes the mirror that the engine tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if mirror.dir != "" {
		os.RemoveAll(mirror.dir)
	}
	os.Exit(code)
}

// buildMirror builds the provider from this tree, once per test binary,
// into a filesystem mirror and returns a CLI configuration file that
// installs hashicorp/aws from it.
func buildMirror(t *testing.T) string {
	t.Helper()
	mirror.once.Do(func() { mirror.dir, mirror.rc, mirror.err = makeMirror(e2e.RepoRoot()) })
	if mirror.err != nil {
		t.Fatal(mirror.err)
	}
	return mirror.rc
}

func makeMirror(root string) (dir, rc string, err error) {
	dir, err = os.MkdirTemp("", "standin-mirror-")
	if err != nil {
		return "", "", err
	}
	name := "terraform-provider-aws_v" + providerVersion
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/terraform-provider-aws")
	cmd.Dir = filepath.Join(root, "internal", "standin")
	if out, err := cmd.CombinedOutput(); err != nil {
		return dir, "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return dir, "", err
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		d := filepath.Join(dir, "mirror", host, "hashicorp", "aws", providerVersion, platform)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return dir, "", err
		}
		if err := os.WriteFile(filepath.Join(d, name), data, 0o755); err != nil {
			return dir, "", err
		}
	}
	rc = filepath.Join(dir, "terraformrc")
	text := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
}
`, filepath.Join(dir, "mirror"))
	return dir, rc, os.WriteFile(rc, []byte(text), 0o644)
}

type workdir struct {
	t   *testing.T
	dir string
	tf  *tfexec.Terraform
	env *e2e.Env
	url string
}

// newWorkdir is a working directory for bin against a new emulator holding
// seed (nil for none).
func newWorkdir(t *testing.T, bin, rc string, seed *emulator.Seed) *workdir {
	t.Helper()
	emu := e2e.StartEmulator(t, emulator.Options{Seed: seed})
	dir := t.TempDir()
	tf, err := tfexec.NewTerraform(dir, bin)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"TF_CLI_CONFIG_FILE":          rc,
		"CHECKPOINT_DISABLE":          "1",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"HOME":                        dir,
		"PATH":                        os.Getenv("PATH"),
	}
	if err := tf.SetEnv(env); err != nil {
		t.Fatal(err)
	}
	return &workdir{t: t, dir: dir, tf: tf, env: emu, url: emu.URL}
}

func (w *workdir) write(config string) {
	w.t.Helper()
	provider := fmt.Sprintf(`
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = %[1]q
    sts          = %[1]q
    s3           = %[1]q
  }
  default_tags {
    tags = { owner = "platform" }
  }
}
`, w.url)
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(provider+config), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// plan returns the planned resource changes that are not no-ops.
func (w *workdir) plan() []*tfjson.ResourceChange {
	w.t.Helper()
	ctx := context.Background()
	planFile := filepath.Join(w.dir, "plan.out")
	if _, err := w.tf.Plan(ctx, tfexec.Out(planFile)); err != nil {
		w.t.Fatalf("plan: %v", err)
	}
	p, err := w.tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		w.t.Fatalf("show plan: %v", err)
	}
	var changes []*tfjson.ResourceChange
	for _, rc := range p.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			changes = append(changes, rc)
		}
	}
	return changes
}

// refreshDrift runs a refresh-only plan and returns, per drifted
// resource, the tags attribute's change.
func (w *workdir) refreshDrift() map[string]string {
	w.t.Helper()
	ctx := context.Background()
	planFile := filepath.Join(w.dir, "refresh.out")
	if _, err := w.tf.Plan(ctx, tfexec.RefreshOnly(true), tfexec.Out(planFile)); err != nil {
		w.t.Fatalf("refresh-only plan: %v", err)
	}
	p, err := w.tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		w.t.Fatalf("show plan: %v", err)
	}
	out := map[string]string{}
	for _, rc := range p.ResourceDrift {
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		out[rc.Address] = fmt.Sprintf("tags: %v -> %v", before["tags"], after["tags"])
	}
	return out
}

func (w *workdir) expectClean(when string) {
	w.t.Helper()
	if changes := w.plan(); len(changes) > 0 {
		for _, c := range changes {
			before, _ := json.Marshal(c.Change.Before)
			after, _ := json.Marshal(c.Change.After)
			w.t.Errorf("%s: %s plans %v\n before: %s\n after:  %s", when, c.Address, c.Change.Actions, before, after)
		}
	}
}

const lifecycleConfig = `
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
  # Quick create, so that the API has the route route_settings names.
  route_key = "GET /orders"
  target    = "https://orders.example.com"
  cors_configuration {
    allow_origins = ["https://example.com"]
    allow_methods = ["GET", "post"]
  }
  tags = { env = "test" }
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "prod"
  auto_deploy = true
  description = "%s"
  default_route_settings {
    throttling_burst_limit = 10
    throttling_rate_limit  = 5
  }
  route_settings {
    route_key              = "GET /orders"
    throttling_burst_limit = 1
  }
  stage_variables = { backend = "v1" }
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:access"
    format          = "$context.requestId"
  }
}

resource "aws_apigatewayv2_api" "ws" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "live"
  default_route_settings {
    data_trace_enabled     = true
    logging_level          = "INFO"
    throttling_burst_limit = 5
    throttling_rate_limit  = 5
  }
}
`

func TestEngineLifecycle(t *testing.T) {
	bins := engines(t)
	rc := buildMirror(t)
	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorkdir(t, bin, rc, nil)
			w.write(fmt.Sprintf(lifecycleConfig, "first"))
			if err := w.tf.Init(ctx); err != nil {
				t.Fatalf("init: %v", err)
			}
			if err := w.tf.Apply(ctx); err != nil {
				t.Fatalf("apply: %v", err)
			}
			w.expectClean("after create")
			// SDKv2 stores a create as planned and a read as read: the first
			// refresh turns the planned null tags of a stage without tags
			// into the {} its read sets, as with the real provider.
			if drift := w.refreshDrift(); drift["aws_apigatewayv2_stage.live"] != "tags: <nil> -> map[]" {
				t.Errorf("first refresh after create: drift %v, want the live stage's tags null -> {}", drift)
			}

			st, err := w.tf.Show(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range st.Values.RootModule.Resources {
				if r.Address == "aws_apigatewayv2_stage.prod" {
					v := r.AttributeValues
					if got, want := v["invoke_url"], fmt.Sprintf("https://%s.execute-api.us-east-1.amazonaws.com/prod", v["api_id"]); got != want {
						t.Errorf("invoke_url = %v, want %v", got, want)
					}
					if got, want := v["execution_arn"], fmt.Sprintf("arn:aws:execute-api:us-east-1:%s:%s/prod", w.env.Account, v["api_id"]); got != want {
						t.Errorf("execution_arn = %v, want %v", got, want)
					}
					if got := v["client_certificate_id"]; got != "" {
						t.Errorf("client_certificate_id = %#v, want \"\" as SDKv2 stores it", got)
					}
					if got := fmt.Sprint(v["tags_all"]); got != "map[owner:platform]" {
						t.Errorf("tags_all = %s, want the default tags", got)
					}
				}
			}

			w.write(fmt.Sprintf(lifecycleConfig, "second"))
			changes := w.plan()
			if len(changes) != 1 || changes[0].Address != "aws_apigatewayv2_stage.prod" || !changes[0].Change.Actions.Update() {
				t.Fatalf("changing the description: want one in-place update of the stage, got %d changes", len(changes))
			}
			if err := w.tf.Apply(ctx); err != nil {
				t.Fatalf("apply: %v", err)
			}
			w.expectClean("after update")

			// Deleted outside the engine: the next plan creates it again.
			for _, r := range st.Values.RootModule.Resources {
				if r.Address == "aws_apigatewayv2_stage.live" {
					if _, err := w.env.Client(t, "us-east-1").DeleteStage(ctx, &apigatewayv2.DeleteStageInput{
						ApiId: aws.String(r.AttributeValues["api_id"].(string)), StageName: aws.String("live"),
					}); err != nil {
						t.Fatal(err)
					}
				}
			}
			changes = w.plan()
			if len(changes) != 1 || changes[0].Address != "aws_apigatewayv2_stage.live" || !changes[0].Change.Actions.Create() {
				t.Fatalf("after deleting the stage outside: want one create, got %v", changes)
			}
			if err := w.tf.Destroy(ctx); err != nil {
				t.Fatalf("destroy: %v", err)
			}
		})
	}
}

// importConfig is what the generator writes for the seeded resources: only
// what the API returned, throttles written as read, the WebSocket API in
// another region through an aliased provider.
const importConfig = `
provider "aws" {
  alias                       = "west"
  region                      = "us-west-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    apigatewayv2 = %[1]q
  }
}

import {
  to = aws_apigatewayv2_api.orders
  id = "httpapi01"
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  description   = "Orders"
  cors_configuration {
    allow_origins = ["*"]
    allow_methods = ["get"]
    max_age       = 300
  }
  tags = { team = "a" }
}

import {
  to = aws_apigatewayv2_stage.prod
  id = "httpapi01/prod"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = "httpapi01"
  name        = "prod"
  auto_deploy = true
  default_route_settings {
    detailed_metrics_enabled = true
    throttling_burst_limit   = 0
    throttling_rate_limit    = 0
  }
  route_settings {
    route_key             = "GET /x"
    throttling_rate_limit = 2.5
  }
  stage_variables = { k = "v" }
}

import {
  to = aws_apigatewayv2_stage.default
  id = "httpapi01/$default"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id        = "httpapi01"
  name          = "$default"
  deployment_id = "dep2"
  description   = "manual"
}

import {
  provider = aws.west
  to       = aws_apigatewayv2_api.chat
  id       = "wsapi0001"
}

resource "aws_apigatewayv2_api" "chat" {
  provider                   = aws.west
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

import {
  provider = aws.west
  to       = aws_apigatewayv2_stage.live
  id       = "wsapi0001/live"
}

resource "aws_apigatewayv2_stage" "live" {
  provider      = aws.west
  api_id        = "wsapi0001"
  name          = "live"
  deployment_id = "dep3"
  access_log_settings {
    destination_arn = "arn:aws:logs:us-west-2:123456789012:log-group:ws:*"
    format          = "$context.requestId"
  }
  default_route_settings {
    logging_level          = "ERROR"
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
  route_settings {
    route_key                = "$connect"
    logging_level            = "INFO"
    data_trace_enabled       = true
    detailed_metrics_enabled = true
  }
}
`

func TestEngineImport(t *testing.T) {
	bins := engines(t)
	rc := buildMirror(t)
	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			seed, err := emulator.LoadSeedFile(filepath.Join("testdata", "import-seed.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			w := newWorkdir(t, bin, rc, seed)
			w.write(fmt.Sprintf(importConfig, w.url))
			if err := w.tf.Init(ctx); err != nil {
				t.Fatalf("init: %v", err)
			}
			planFile := filepath.Join(w.dir, "plan.out")
			if _, err := w.tf.Plan(ctx, tfexec.Out(planFile)); err != nil {
				t.Fatalf("plan: %v", err)
			}
			p, err := w.tf.ShowPlanFile(ctx, planFile)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.ResourceChanges) != 5 {
				t.Errorf("plan has %d resource changes, want 5 imports", len(p.ResourceChanges))
			}
			for _, rc := range p.ResourceChanges {
				if !rc.Change.Actions.NoOp() || rc.Change.Importing == nil {
					before, _ := json.Marshal(rc.Change.Before)
					after, _ := json.Marshal(rc.Change.After)
					t.Errorf("%s: actions %v importing %v, want a no-op import\n before: %s\n after:  %s",
						rc.Address, rc.Change.Actions, rc.Change.Importing != nil, before, after)
				}
				if rc.Address == "aws_apigatewayv2_stage.live" {
					after := rc.Change.After.(map[string]any)
					if got, want := after["execution_arn"], "arn:aws:execute-api:us-west-2::wsapi0001/live"; got != want {
						t.Errorf("live execution_arn = %v, want %v (no account with skip_requesting_account_id)", got, want)
					}
					if got, want := after["invoke_url"], "wss://wsapi0001.execute-api.us-west-2.amazonaws.com/live"; got != want {
						t.Errorf("live invoke_url = %v, want %v", got, want)
					}
				}
				if rc.Address == "aws_apigatewayv2_stage.default" {
					if got, want := rc.Change.After.(map[string]any)["invoke_url"], "https://httpapi01.execute-api.us-east-1.amazonaws.com/"; got != want {
						t.Errorf("$default invoke_url = %v, want %v", got, want)
					}
				}
			}

			// A stage API Gateway manages cannot be imported.
			w.write(fmt.Sprintf(importConfig, w.url) + `
import {
  to = aws_apigatewayv2_stage.quick
  id = "httpapi01/quick"
}

resource "aws_apigatewayv2_stage" "quick" {
  api_id = "httpapi01"
  name   = "quick"
}
`)
			_, err = w.tf.Plan(ctx)
			if err == nil || !strings.Contains(err.Error(), "API Gateway v2 Stage (quick) was created via quick create") {
				t.Errorf("importing a quick-create stage: got %v, want the provider's refusal", err)
			}
		})
	}
}
