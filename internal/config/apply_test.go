package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// commandFlags builds a throwaway flag set shaped like the real commands':
// discover's scope flags and audit's flags, with the same kinds of values
// (StringSlice, StringArray, plain strings, numbers, bools).
func commandFlags(t *testing.T, extra ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.StringSlice("region", nil, "")
	fs.String("profile", "", "")
	fs.String("endpoint-url", "", "")
	fs.Int("concurrency", 32, "")
	fs.Float64("rate", 10, "")
	fs.Int("burst", 40, "")
	fs.Int("max-attempts", 10, "")
	fs.StringArray("include", nil, "")
	fs.StringArray("exclude", nil, "")
	fs.StringSlice("api-id", nil, "")
	fs.StringArray("tag", nil, "")
	fs.String("protocol", "", "")
	fs.StringSlice("types", nil, "")
	fs.String("dir", "", "")
	fs.String("layout", "single", "")
	fs.StringP("output", "o", "imports.tf", "")
	fs.String("terraform-bin", "", "")
	for _, name := range extra {
		fs.String(name, "", "")
	}
	return fs
}

func auditFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("audit", pflag.ContinueOnError)
	fs.StringArray("dir", nil, "")
	fs.Int("parallel", 4, "")
	fs.String("mode", "plan", "")
	fs.Bool("include-pending", false, "")
	fs.String("ignore", "", "")
	fs.String("baseline", "", "")
	fs.String("fail-on", "any", "")
	fs.String("format", "text", "")
	fs.String("out-dir", "", "")
	fs.StringSlice("redact", nil, "")
	fs.String("terraform-bin", "", "")
	return fs
}

// flagsOf hands fs's flags over the way the commands do, found here by
// the names the commands give them.
func flagsOf(fs *pflag.FlagSet) Flags {
	l := fs.Lookup
	return Flags{
		Account: l("account"), Inventory: l("inventory"), NoDiscover: l("no-discover"),
		Region: l("region"), Profile: l("profile"), RoleARN: l("role-arn"), EndpointURL: l("endpoint-url"),
		Concurrency: l("concurrency"), Rate: l("rate"), Burst: l("burst"), MaxAttempts: l("max-attempts"),
		Include: l("include"), Exclude: l("exclude"), APIID: l("api-id"), Tag: l("tag"), Protocol: l("protocol"), Types: l("types"),
		Dir: l("dir"), Output: l("output"), Layout: l("layout"), TerraformBin: l("terraform-bin"),
		Format: l("format"), OutDir: l("out-dir"), Ignore: l("ignore"), Baseline: l("baseline"), FailOn: l("fail-on"),
		Parallel: l("parallel"), Mode: l("mode"), IncludePending: l("include-pending"), Redact: l("redact"),
		MemberRoleName: l("member-role-name"), ExternalID: l("external-id"), SessionName: l("session-name"),
		OrgUnit: l("org-unit"), IncludeAccount: l("include-account"), ExcludeAccount: l("exclude-account"),
		AccountConcurrency: l("account-concurrency"),
	}
}

func flagValues(t *testing.T, fs *pflag.FlagSet) map[string]string {
	t.Helper()
	out := map[string]string{}
	fs.VisitAll(func(f *pflag.Flag) { out[f.Name] = f.Value.String() })
	return out
}

func load(t *testing.T, text string) *Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), DefaultFile)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const oneAccount = `version: 1
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

func TestApplyToDiscover(t *testing.T) {
	c := load(t, oneAccount)
	fs := commandFlags(t)
	// The command line wins over the file.
	if err := fs.Parse([]string{"--burst", "7", "--region", "ap-south-1"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatal(err)
	}
	got := flagValues(t, fs)
	want := map[string]string{
		"region":       "[ap-south-1]",
		"profile":      "prod",
		"endpoint-url": "http://127.0.0.1:4566",
		"concurrency":  "32", // not in the file: the flag default stays
		"rate":         "0",
		"burst":        "7",
		"max-attempts": "3",
		"include":      `["^pay,ments"]`,
		"exclude":      "[]",
		"api-id":       "[a1b2c3d4e5,b1b2c3d4e5]",
		"tag":          "[env=prod,team=payments]",
		"protocol":     "websocket",
		"types":        "[api,stage,route]",
		// discover does not generate: these keep their defaults.
		"dir":           "",
		"layout":        "single",
		"output":        "imports.tf",
		"terraform-bin": "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags after ApplyTo:\n got %v\nwant %v", got, want)
	}
	// Values from the file are not command-line values.
	if fs.Changed("profile") || fs.Changed("include") || !fs.Changed("burst") {
		t.Error("ApplyTo changed the Changed marks")
	}
	// A regular expression with a comma survives as one element.
	if inc, _ := fs.GetStringArray("include"); len(inc) != 1 || inc[0] != "^pay,ments" {
		t.Errorf("include = %q", inc)
	}
}

func TestApplyToGenerateAndVerify(t *testing.T) {
	c := load(t, oneAccount+"  dir: .\n  output: apigw.tf\n")
	for _, cmd := range []string{"generate", "verify"} {
		fs := commandFlags(t)
		if err := c.ApplyTo(flagsOf(fs), cmd); err != nil {
			t.Fatal(err)
		}
		got := flagValues(t, fs)
		if got["dir"] != filepath.Dir(c.Path) || got["output"] != "apigw.tf" || got["layout"] != "per-api" || got["terraform-bin"] != "/bin/sh" {
			t.Errorf("%s: dir=%q output=%q layout=%q terraform-bin=%q", cmd, got["dir"], got["output"], got["layout"], got["terraform-bin"])
		}
		wantProfile := map[string]string{"generate": "prod", "verify": ""}[cmd]
		if got["profile"] != wantProfile {
			t.Errorf("%s: profile = %q, want %q", cmd, got["profile"], wantProfile)
		}
	}
}

func TestApplyToAudit(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"infra/prod", "infra/staging"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ignore.yaml"), []byte("ignore:\n  - address: \"x.*\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DefaultFile)
	text := `version: 1
accounts:
  - {name: a, profile: a, regions: [us-east-1]}
  - {name: b, profile: b, regions: [us-east-1]}
audit:
  dirs: [infra/prod, infra/staging]
  formats: [markdown, junit]
  out_dir: reports
  ignore: ignore.yaml
  baseline: base.json
  fail_on: new
  parallel: 3
  mode: live
  include_pending: false
  redact: [tags, stage_variables]
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	fs := auditFlags()
	if err := fs.Parse([]string{"--mode", "plan"}); err != nil {
		t.Fatal(err)
	}
	// Several accounts are no error for a command without credential flags.
	if err := c.ApplyTo(flagsOf(fs), "audit"); err != nil {
		t.Fatal(err)
	}
	got := flagValues(t, fs)
	want := map[string]string{
		"dir":             "[" + filepath.Join(dir, "infra/prod") + "," + filepath.Join(dir, "infra/staging") + "]",
		"parallel":        "3",
		"mode":            "plan",
		"include-pending": "false",
		"ignore":          filepath.Join(dir, "ignore.yaml"),
		"baseline":        filepath.Join(dir, "base.json"),
		"fail-on":         "new",
		"format":          "markdown,junit",
		"out-dir":         filepath.Join(dir, "reports"),
		"redact":          "[tags,stage_variables]",
		"terraform-bin":   "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags after ApplyTo:\n got %v\nwant %v", got, want)
	}
}

const twoAccounts = `version: 1
accounts:
  - name: prod
    profile: prod
    regions: [us-east-1]
  - name: staging
    role_arn: arn:aws:iam::123456789012:role/read
    regions: [eu-west-1]
`

func TestApplyToAccounts(t *testing.T) {
	c := load(t, twoAccounts)

	fs := commandFlags(t)
	err := c.ApplyTo(flagsOf(fs), "discover")
	if err == nil || !strings.Contains(err.Error(), DefaultFile+":3:3: 2 accounts are configured and `apigw2tf discover` runs one at a time") {
		t.Errorf("two accounts, no --account flag: err = %v", err)
	}

	fs = commandFlags(t, "account")
	err = c.ApplyTo(flagsOf(fs), "discover")
	if err == nil || !strings.Contains(err.Error(), "pick one with --account NAME (accounts are prod, staging)") {
		t.Errorf("two accounts, --account not given: err = %v", err)
	}

	fs = commandFlags(t, "account")
	if err := fs.Parse([]string{"--account", "prod"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatal(err)
	}
	if got := flagValues(t, fs); got["profile"] != "prod" || got["region"] != "[us-east-1]" {
		t.Errorf("--account prod: profile=%q region=%q", got["profile"], got["region"])
	}

	fs = commandFlags(t, "account")
	if err := fs.Parse([]string{"--account", "nope"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err == nil || !strings.Contains(err.Error(), `--account "nope" is not in`) {
		t.Errorf("--account nope: err = %v", err)
	}

	// A role needs a command that can assume it.
	fs = commandFlags(t, "account")
	if err := fs.Parse([]string{"--account", "staging"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err == nil || !strings.Contains(err.Error(), `account "staging" assumes role_arn, which `+"`apigw2tf discover`"+` cannot do yet`) {
		t.Errorf("role without --role-arn: err = %v", err)
	}
	fs = commandFlags(t, "account", "role-arn")
	if err := fs.Parse([]string{"--account", "staging"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatal(err)
	}
	if got := flagValues(t, fs); got["role-arn"] != "arn:aws:iam::123456789012:role/read" || got["profile"] != "" {
		t.Errorf("--account staging: role-arn=%q profile=%q", got["role-arn"], got["profile"])
	}

	// The command line naming both profile and regions needs no account.
	fs = commandFlags(t)
	if err := fs.Parse([]string{"--profile", "x", "--region", "us-west-2"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatal(err)
	}
}

func TestApplyToErrors(t *testing.T) {
	c := load(t, oneAccount)
	if err := c.ApplyTo(flagsOf(commandFlags(t)), "emulator"); err == nil || !strings.Contains(err.Error(), `no settings for command "emulator"`) {
		t.Errorf("unknown command: err = %v", err)
	}
	// A flag that rejects the value reports the key and its position.
	fs := commandFlags(t)
	fs.Lookup("burst").Value = rejecting{}
	if err := c.ApplyTo(flagsOf(fs), "discover"); err == nil || !strings.Contains(err.Error(), DefaultFile+":12:8: burst: --burst does not accept \"5\": no") {
		t.Errorf("rejected value: err = %v", err)
	}
	// Several values with a comma cannot go into a plain string flag.
	fs = pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("include", "", "")
	c = load(t, "version: 1\nfilters:\n  include: [\"a,b\", c]\n")
	if err := c.ApplyTo(flagsOf(fs), "discover"); err == nil || !strings.Contains(err.Error(), ":3:12: filters.include has several values and one holds a comma") {
		t.Errorf("comma in a plain flag: err = %v", err)
	}
}

type rejecting struct{}

func (rejecting) String() string   { return "" }
func (rejecting) Set(string) error { return errors.New("no") }
func (rejecting) Type() string     { return "int" }

func TestFromFlags(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	fs := pflag.NewFlagSet("root", pflag.ContinueOnError)
	AddFlag(fs)
	c, err := FromFlags(fs)
	if c != nil || err != nil {
		t.Fatalf("no file, no flag: %v, %v; want nil, nil", c, err)
	}

	if err := os.WriteFile(DefaultFile, []byte("version: 1\nburst: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = FromFlags(fs)
	if err != nil || c == nil || c.Burst != 3 {
		t.Fatalf("default file: %+v, %v", c, err)
	}

	if err := os.WriteFile("other.yaml", []byte("version: 1\nburts: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"-c", "other.yaml"}); err != nil {
		t.Fatal(err)
	}
	_, err = FromFlags(fs)
	if err == nil || err.Error() != `other.yaml:2:1: unknown key "burts"; did you mean "burst"?` {
		t.Fatalf("explicit file with a typo: err = %v", err)
	}

	if err := fs.Parse([]string{"--config", "missing.yaml"}); err != nil {
		t.Fatal(err)
	}
	if _, err = FromFlags(fs); err == nil || !strings.Contains(err.Error(), "missing.yaml: cannot read the configuration file") {
		t.Fatalf("explicit missing file: err = %v", err)
	}
}

// A run from a saved inventory discovers nothing, so several accounts are
// no error and the scope flags stay untouched (they would clash with
// --inventory).
func TestApplyToSkipsDiscoveryWithInventory(t *testing.T) {
	c := load(t, twoAccounts+"filters:\n  protocol: http\n")
	for _, args := range [][]string{{"--inventory", "inv.json"}, {"--no-discover"}} {
		fs := commandFlags(t, "account", "role-arn", "inventory")
		fs.Bool("no-discover", false, "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if err := c.ApplyTo(flagsOf(fs), "generate"); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if got := flagValues(t, fs); got["protocol"] != "" || got["region"] != "[]" {
			t.Errorf("%v: discovery flags set from the file: protocol=%q region=%q", args, got["protocol"], got["region"])
		}
	}

	empty := load(t, "version: 1\n")
	fs := commandFlags(t, "account")
	if err := fs.Parse([]string{"--account", "prod"}); err != nil {
		t.Fatal(err)
	}
	if err := empty.ApplyTo(flagsOf(fs), "discover"); err == nil || !strings.Contains(err.Error(), "it lists no accounts") {
		t.Errorf("--account with no accounts in the file: err = %v", err)
	}
}
