package main

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// loadConfigText loads text as the configuration file of a fresh
// directory, next to files (name → content; "" makes the directory only).
func loadConfigText(t *testing.T, text string, files map[string]string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	files = maps.Clone(files)
	if files == nil {
		files = map[string]string{}
	}
	files[config.DefaultFile] = text
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if content == "" {
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := config.Load(filepath.Join(dir, config.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const oneAccountConfig = `version: 1
accounts:
  - profile: prod
    regions: [us-east-1, eu-west-1]
filters:
  include: ["^pay,ments"]
  api_ids: [a1b2c3d4e5, b1b2c3d4e5]
  tags: {team: payments, env: prod}
  protocol: websocket
  types: [api, stage, route]
rate: 0
burst: 5
max_attempts: 3
endpoint_url: http://127.0.0.1:4566
terraform_bin: /bin/sh
generate:
  layout: per-api
`

func TestDiscoverFromConfig(t *testing.T) {
	c := loadConfigText(t, oneAccountConfig, nil)
	// The command line wins over the file.
	o := resolve(t, "discover", c, "--burst", "7", "--region", "ap-south-1").discover
	if !reflect.DeepEqual(o.Regions, []string{"ap-south-1"}) || o.Burst != 7 {
		t.Errorf("flags given: regions %v, burst %d; want the command line's", o.Regions, o.Burst)
	}
	if o.Profile != "prod" || o.EndpointURL != "http://127.0.0.1:4566" || o.MaxAttempts != 3 || o.Protocol != "websocket" {
		t.Errorf("profile %q, endpoint %q, max attempts %d, protocol %q", o.Profile, o.EndpointURL, o.MaxAttempts, o.Protocol)
	}
	if o.Concurrency != discover.DefaultConcurrency { // not in the file: the flag default stays
		t.Errorf("concurrency = %d", o.Concurrency)
	}
	if o.Rate != discover.Unlimited { // rate: 0 turns the limit off
		t.Errorf("rate = %v", o.Rate)
	}
	// A regular expression with a comma stays one expression.
	if len(o.Include) != 1 || o.Include[0].String() != "^pay,ments" || len(o.Exclude) != 0 {
		t.Errorf("include %v, exclude %v", o.Include, o.Exclude)
	}
	if !reflect.DeepEqual(o.Types, []string{"api", "stage", "route"}) {
		t.Errorf("types %v", o.Types)
	}
	if !reflect.DeepEqual(o.APIIDs, []string{"a1b2c3d4e5", "b1b2c3d4e5"}) || !reflect.DeepEqual(o.Tags, map[string]string{"team": "payments", "env": "prod"}) {
		t.Errorf("api ids %v, tags %v", o.APIIDs, o.Tags)
	}
	// --tag replaces the file's tags.
	if o := resolve(t, "discover", c, "--tag", "k=v").discover; !reflect.DeepEqual(o.Tags, map[string]string{"k": "v"}) {
		t.Errorf("--tag k=v: tags %v", o.Tags)
	}
}

func TestGenerateAndVerifyFromConfig(t *testing.T) {
	c := loadConfigText(t, oneAccountConfig+"  dir: .\n  output: apigw.tf\n", nil)
	dir := filepath.Dir(c.Path)
	r := resolve(t, "generate", c)
	g, f := r.generate, r.flags.(generateFlags)
	if g.Dir != dir || g.Output != "apigw.tf" || g.Layout != "per-api" || f.terraformBin != "/bin/sh" {
		t.Errorf("generate: dir=%q output=%q layout=%q terraform-bin=%q", g.Dir, g.Output, g.Layout, f.terraformBin)
	}
	if r.discover.Profile != "prod" {
		t.Errorf("generate: profile = %q, want prod", r.discover.Profile)
	}
	v := resolve(t, "verify", c).flags.(verifyFlags)
	if v.dir != dir || v.bin != "/bin/sh" {
		t.Errorf("verify: dir=%q terraform-bin=%q", v.dir, v.bin)
	}
	if v := resolve(t, "verify", c, "--dir", "elsewhere").flags.(verifyFlags); v.dir != "elsewhere" {
		t.Errorf("verify --dir elsewhere: dir=%q", v.dir)
	}
}

func TestAuditFromConfig(t *testing.T) {
	t.Setenv(engine.EnvBinary, "/bin/true")
	c := loadConfigText(t, `version: 1
accounts:
  - {name: a, profile: a, regions: [us-east-1]}
  - {name: b, profile: b, regions: [us-east-1]}
audit:
  dirs: [infra/prod, infra/staging]
  formats: [markdown, junit, markdown]
  out_dir: reports
  ignore: ignore.yaml
  baseline: base.json
  fail_on: new
  parallel: 3
  mode: live
  include_pending: false
  redact: [tags, stage_variables]
`, map[string]string{
		"infra/prod/main.tf":    "",
		"infra/staging/main.tf": "",
		"ignore.yaml":           "ignore:\n  - address: \"x.*\"\n",
		"base.json":             `{"schema": "apigw2tf.audit/v1"}`,
	})
	dir := filepath.Dir(c.Path)
	r := resolve(t, "audit", c, "--account", "b", "--mode", "plan")
	o, f := r.audit, r.flags.(auditFlags)
	want := []string{filepath.Join(dir, "infra/prod"), filepath.Join(dir, "infra/staging")}
	if !reflect.DeepEqual(o.Dirs, want) || o.Parallel != 3 || o.Mode != "plan" || o.IncludePending ||
		!reflect.DeepEqual(o.Redact, []string{"tags", "stage_variables"}) {
		t.Errorf("audit options: dirs %v parallel %d mode %q include pending %v redact %v", o.Dirs, o.Parallel, o.Mode, o.IncludePending, o.Redact)
	}
	if !reflect.DeepEqual(r.formats, []string{"markdown", "junit"}) || r.failOn != "new" || f.outDir != filepath.Join(dir, "reports") {
		t.Errorf("formats %v, fail on %q, out dir %q", r.formats, r.failOn, f.outDir)
	}
	if o.Ignore == nil || len(o.Ignore.Rules) != 1 || o.Baseline == nil || f.ignore != filepath.Join(dir, "ignore.yaml") {
		t.Errorf("ignore %+v (%q), baseline %v", o.Ignore, f.ignore, o.Baseline)
	}
	if r.discover.Profile != "b" {
		t.Errorf("--account b: profile %q", r.discover.Profile)
	}
	// Two accounts and a discovery need a choice.
	if _, err := resolveErr("audit", c); err == nil || !strings.Contains(err.Error(), "pick one with --account NAME (accounts are a, b)") {
		t.Errorf("two accounts, no --account: %v", err)
	}
}

// A run from a saved inventory, or one that skips discovery, discovers
// nothing, so several accounts are no error and the discovery settings of
// the file stay out (they would clash with --inventory).
func TestFromConfigSkipsDiscoveryWithInventory(t *testing.T) {
	c := loadConfigText(t, `version: 1
accounts:
  - {name: prod, profile: prod, regions: [us-east-1]}
  - {name: staging, role_arn: "arn:aws:iam::123456789012:role/read", regions: [eu-west-1]}
filters:
  protocol: http
`, nil)
	for _, tc := range []struct {
		cmd  string
		args []string
	}{{"generate", []string{"--inventory", "inv.json"}}, {"audit", []string{"--no-discover", "--dir", "."}}} {
		o := resolve(t, tc.cmd, c, tc.args...).discover
		if o.Protocol != "" || o.Regions != nil || o.Profile != "" {
			t.Errorf("%s %v: discovery settings taken from the file: protocol=%q regions=%v profile=%q", tc.cmd, tc.args, o.Protocol, o.Regions, o.Profile)
		}
	}
}

func TestOrganizationFromConfig(t *testing.T) {
	c := loadConfigText(t, `version: 1
account_concurrency: 8
organization:
  profile: org-admin
  member_role_name: apigw2tf-read
  external_id: shared-secret
  organizational_units: [ou-ab12-cd34ef56]
  include_accounts: ["111111111111", payments]
  exclude_accounts: [sandbox]
  regions: [us-east-1, eu-west-1]
`, nil)
	r := resolve(t, "discover", c)
	a := r.accounts
	if r.discover.Profile != "org-admin" || !reflect.DeepEqual(r.discover.Regions, []string{"us-east-1", "eu-west-1"}) {
		t.Errorf("profile %q, regions %v", r.discover.Profile, r.discover.Regions)
	}
	got := []any{a.memberRoleName, a.externalID, a.units, a.include, a.exclude, a.accountConcurrency}
	want := []any{"apigw2tf-read", "shared-secret", []string{"ou-ab12-cd34ef56"}, []string{"111111111111", "payments"}, []string{"sandbox"}, 8}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("organization flags:\n got %v\nwant %v", got, want)
	}
	// Commands that do not list organizations say what to do instead.
	if _, err := resolveErr("generate", c); err == nil || !strings.Contains(err.Error(), "pass --inventory") {
		t.Errorf("generate with an organization: %v", err)
	}
}
