// Package e2e is the end-to-end test harness: a seeded emulator on a free
// loopback port, working directories wired to the stand-in provider's
// filesystem mirror, and a runner for each engine that `make tools` built.
//
// Outside CI, tests skip with a message naming `make tools` when the engines
// are missing; under CI=true they fail, because CI builds them itself.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/engine"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Engine is one engine binary that make tools built.
type Engine struct {
	Name string // "tofu" or "terraform"
	Bin  string
}

// Region is the default region tests work in.
const Region = "us-east-1"

// Credentials the emulator accepts; it checks the signature's shape, not the key.
const (
	AccessKey = "AKIDAPIGW2TFTEST"
	SecretKey = "apigw2tf-test-secret"
)

// RepoRoot is the module root, found from this file's location so tests in
// any package agree on where .tools lives.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// ToolsDir is the git-ignored directory make tools builds into.
func ToolsDir() string { return filepath.Join(RepoRoot(), ".tools") }

// CLIConfig is the engine CLI configuration that points hashicorp/aws at the
// stand-in provider's filesystem mirror.
func CLIConfig() string { return filepath.Join(ToolsDir(), "terraformrc") }

// Engines returns every engine make tools built, or skips the test (fails
// under CI=true) when they or the stand-in provider's mirror are missing.
func Engines(t testing.TB) []Engine {
	t.Helper()
	return engines(t, CLIConfig())
}

// EngineBinaries is Engines for tests that install the provider themselves,
// so they need the engines but not make tools' mirror.
func EngineBinaries(t testing.TB) []Engine {
	t.Helper()
	return engines(t)
}

func engines(t testing.TB, alsoNeeded ...string) []Engine {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	var missing []string
	var found []Engine
	for _, name := range []string{"tofu", "terraform"} {
		bin := filepath.Join(ToolsDir(), "bin", name)
		if fi, err := os.Stat(bin); err == nil && !fi.IsDir() {
			found = append(found, Engine{Name: name, Bin: bin})
		} else {
			missing = append(missing, bin)
		}
	}
	for _, p := range alsoNeeded {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		msg := "end-to-end test needs the engines and the stand-in provider; run `make tools` (missing: " + strings.Join(missing, ", ") + ")"
		testenv.MissingTool(t, msg)
	}
	return found
}

// ForEachEngine runs fn as a subtest per available engine.
func ForEachEngine(t *testing.T, fn func(t *testing.T, eng Engine)) {
	t.Helper()
	for _, eng := range Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { fn(t, eng) })
	}
}

// Env is a running emulator plus what engines need to reach it.
type Env struct {
	Emulator *emulator.Server
	URL      string
	Account  string
}

// StartEmulator serves a new emulator on a free loopback port for the
// test's lifetime.
func StartEmulator(t testing.TB, opts emulator.Options) *Env {
	t.Helper()
	srv, url := emutest.Serve(t, opts)
	account := opts.Account
	if account == "" {
		account = "123456789012"
	}
	return &Env{Emulator: srv, URL: url, Account: account}
}

// EngineEnv is the environment an engine process needs to reach the
// emulator through the stand-in provider.
func (e *Env) EngineEnv() map[string]string {
	return map[string]string{
		"TF_CLI_CONFIG_FILE":            CLIConfig(),
		"AWS_ACCESS_KEY_ID":             AccessKey,
		"AWS_SECRET_ACCESS_KEY":         SecretKey,
		"AWS_REGION":                    Region,
		"AWS_ENDPOINT_URL_APIGATEWAYV2": e.URL,
		"AWS_ENDPOINT_URL_STS":          e.URL,
		"AWS_EC2_METADATA_DISABLED":     "true",
		"AWS_CONFIG_FILE":               os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE":   os.DevNull,
		"CHECKPOINT_DISABLE":            "1",
	}
}

// Setenv applies EngineEnv to this process for the test's lifetime, for
// tests that run the CLI in-process (which inherits the environment).
// Tests that call it cannot run in parallel.
func (e *Env) Setenv(t testing.TB) {
	t.Helper()
	for k, v := range e.EngineEnv() {
		t.Setenv(k, v)
	}
}

// Runner opens eng in dir with the emulator's environment.
func (e *Env) Runner(t testing.TB, eng Engine, dir string) *engine.Runner {
	t.Helper()
	r, err := engine.Open(context.Background(), dir, eng.Bin)
	if err != nil {
		t.Fatalf("opening %s in %s: %v", eng.Name, dir, err)
	}
	env := environ()
	for k, v := range e.EngineEnv() {
		env[k] = v
	}
	if err := r.SetEnv(env); err != nil {
		t.Fatalf("setting engine environment: %v", err)
	}
	return r
}

func environ() map[string]string {
	m := make(map[string]string)
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	// terraform-exec refuses to be handed the variables it manages itself.
	return tfexec.CleanEnv(m)
}

// Client is an API Gateway V2 client for region, pointed at the emulator,
// for tests that act as a person in the console would.
func (e *Env) Client(t testing.TB, region string) *apigatewayv2.Client {
	t.Helper()
	return apigatewayv2.New(apigatewayv2.Options{
		Region:       region,
		BaseEndpoint: aws.String(e.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// DiscoverOptions discover the emulator's regions with the test
// credentials and no client-side rate limit.
func (e *Env) DiscoverOptions(regions ...string) discover.Options {
	return discover.Options{Regions: regions, EndpointURL: e.URL, Rate: discover.Unlimited,
		Credentials: credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, "")}
}

// Adopt discovers the emulator with o, generates the configuration of what
// it found into a new directory and initialises eng there: how every test
// of an adopted account begins. Nothing is applied yet; the runner's
// directory is dir.
func (e *Env) Adopt(t testing.TB, eng Engine, o discover.Options) (inv *inventory.Inventory, dir string, r *engine.Runner) {
	t.Helper()
	ctx := context.Background()
	inv, err := discover.Run(ctx, o)
	if err != nil || inv.Partial() {
		t.Fatalf("discover: %v %v", err, inv)
	}
	dir = t.TempDir()
	if _, err := generate.Run(ctx, inv, generate.Options{Dir: dir}); err != nil {
		t.Fatalf("generate: %v", err)
	}
	r = e.Runner(t, eng, dir)
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	return inv, dir, r
}

// ProviderHCL is a provider "aws" block for region that reaches the emulator
// at endpoint, the way a LocalStack user writes one.
func ProviderHCL(endpoint, region string) string {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("provider", []string{"aws"}).Body()
	b.SetAttributeValue("region", cty.StringVal(region))
	b.SetAttributeValue("access_key", cty.StringVal(AccessKey))
	b.SetAttributeValue("secret_key", cty.StringVal(SecretKey))
	for _, k := range []string{"skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check"} {
		b.SetAttributeValue(k, cty.True)
	}
	ep := b.AppendNewBlock("endpoints", nil).Body()
	ep.SetAttributeValue("apigatewayv2", cty.StringVal(endpoint))
	ep.SetAttributeValue("sts", cty.StringVal(endpoint))
	return string(hclwrite.Format(f.Bytes()))
}

// Terraform18 is the binary `tools/build.sh terraform18` builds: Terraform
// 1.8, the newest release that builds from the module proxy and the first
// line with removed blocks. It runs the migrate tests only (BUSL: built for
// tests, never shipped).
func Terraform18() string { return filepath.Join(ToolsDir(), "bin", "terraform1.8") }

// MigrateEngines returns the engines the migrate tests run on: OpenTofu and
// Terraform 1.8 (skipping, or failing under CI=true, when either is
// missing), plus a newer HashiCorp release found on PATH as terraform,
// when there is one, which the test log names. The existing suites keep
// Engines (OpenTofu and Terraform 1.5.7).
func MigrateEngines(t testing.TB) []Engine {
	t.Helper()
	var out []Engine
	for _, e := range Engines(t) {
		if e.Name == "tofu" {
			out = append(out, e)
		}
	}
	if fi, err := os.Stat(Terraform18()); err != nil || fi.IsDir() {
		msg := "migrate end-to-end tests need Terraform 1.8; run `tools/build.sh terraform18` (missing: " + Terraform18() + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out = append(out, Engine{Name: "terraform1.8", Bin: Terraform18()})
	if bin, ver, ok := newerTerraformOnPath(); ok {
		t.Logf("also running on %s %s found on PATH", bin, ver)
		out = append(out, Engine{Name: "terraform" + ver, Bin: bin})
	}
	return out
}

// newerTerraformOnPath finds a terraform on PATH newer than 1.8 that is a
// HashiCorp release (not one of ours, not OpenTofu under that name).
func newerTerraformOnPath() (bin, ver string, ok bool) {
	p, err := exec.LookPath("terraform")
	if err != nil || strings.HasPrefix(p, ToolsDir()) {
		return "", "", false
	}
	out, err := exec.Command(p, "version").Output()
	if err != nil {
		return "", "", false
	}
	line, _, _ := strings.Cut(string(out), "\n")
	v, found := strings.CutPrefix(strings.TrimSpace(line), "Terraform v")
	if !found {
		return "", "", false
	}
	var major, minor int
	if _, err := fmt.Sscanf(v, "%d.%d", &major, &minor); err != nil || major != 1 || minor <= 8 {
		return "", "", false
	}
	return p, v, true
}
