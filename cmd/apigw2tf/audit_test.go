package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
)

// TestAuditCLI runs `apigw2tf audit` in-process against an adopted
// emulator account with one drifted stage: reports in every format, exit
// codes for drift, --baseline with --fail-on new, --ignore, and a broken
// second directory (exit 3, the first still reported). Both engines are
// covered by audit.TestEndToEnd; the command's behaviour is the same on
// either, so this runs on the first one built.
func TestAuditCLI(t *testing.T) {
	eng := e2e.Engines(t)[0]
	ctx := context.Background()
	env, dir, disc := adoptCLI(t, eng, 2, nil)
	if _, err := env.Client(t, e2e.Region).UpdateStage(ctx, &apigatewayv2.UpdateStageInput{
		ApiId: aws.String("useast1000"), StageName: aws.String("dev"), Description: aws.String("edited in the console"),
	}); err != nil {
		t.Fatal(err)
	}

	auditCmd := func(extra ...string) []string {
		return append(append([]string{"audit", "--dir", dir, "--terraform-bin", eng.Bin}, disc...), extra...)
	}
	reports := filepath.Join(t.TempDir(), "reports")
	code, stdout, stderr := runCLI(ctx, auditCmd("--format", strings.Join(audit.Formats, ","), "--out-dir", reports)...)
	if code != exitDrift {
		t.Fatalf("drift: exit %d, want %d\n%s%s", code, exitDrift, stdout, stderr)
	}
	if !strings.Contains(stdout, "changed (1)") || !strings.Contains(stdout, `+ description = "edited in the console"`) {
		t.Errorf("text report lacks the change:\n%s", stdout)
	}
	for _, f := range audit.Formats {
		if _, err := os.Stat(filepath.Join(reports, audit.FileName(f))); err != nil {
			t.Errorf("no %s report: %v", f, err)
		}
	}
	baseline := filepath.Join(reports, "report.json")

	if code, stdout, stderr := runCLI(ctx, auditCmd("--baseline", baseline, "--fail-on", "new")...); code != exitOK {
		t.Errorf("known drift with --fail-on new: exit %d, want 0\n%s%s", code, stdout, stderr)
	} else if !strings.Contains(stdout, "0 new, 1 known") {
		t.Errorf("baseline run does not say the finding is known:\n%s", stdout)
	}
	if code, _, _ := runCLI(ctx, auditCmd("--baseline", baseline, "--fail-on", "any")...); code != exitDrift {
		t.Errorf("known drift with --fail-on any: exit %d, want %d", code, exitDrift)
	}

	ignore := filepath.Join(t.TempDir(), "ignore.yaml")
	if err := os.WriteFile(ignore, []byte("ignore:\n  - address: \"aws_apigatewayv2_stage.*\"\n    attributes: [description]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(ctx, auditCmd("--ignore", ignore)...); code != exitOK || !strings.Contains(stdout, "1 ignored by rules") {
		t.Errorf("ignored drift: exit %d, want 0\n%s%s", code, stdout, stderr)
	}

	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "main.tf"), []byte("resource {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(ctx, auditCmd("--dir", broken)...)
	if code != exitPartial {
		t.Errorf("one broken directory: exit %d, want %d\n%s%s", code, exitPartial, stdout, stderr)
	}
	if !strings.Contains(stdout, "changed (1)") || !strings.Contains(stdout, broken+": FAILED") || !strings.Contains(stderr, "partial") {
		t.Errorf("partial audit must still report the good directory and name the failed one:\n%s\n%s", stdout, stderr)
	}

	// The same audit from the configuration file: directories relative
	// to it, inline ignore rules, reports; a flag replaces the rules.
	cfg := writeFile(t, filepath.Dir(dir), "apigw2tf.yaml", `version: 1
endpoint_url: `+env.URL+`
rate: 0
terraform_bin: `+eng.Bin+`
audit:
  dirs: [infra]
  formats: [text, json]
  out_dir: reports
  ignore:
    - address: "aws_apigatewayv2_stage.*"
      attributes: [description]
`)
	code, stdout, stderr = runCLI(ctx, "audit", "-c", cfg, "--region", e2e.Region, "-q")
	if code != exitOK || !strings.Contains(stdout, "1 ignored by rules") {
		t.Errorf("audit from the configuration file: exit %d, want 0\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "reports", "report.json")); err != nil {
		t.Errorf("audit.out_dir and audit.formats not applied: %v", err)
	}
	none := writeFile(t, t.TempDir(), "none.yaml", "ignore: []\n")
	if code, stdout, stderr := runCLI(ctx, "audit", "-c", cfg, "--region", e2e.Region, "-q", "--ignore", none); code != exitDrift {
		t.Errorf("--ignore over inline rules: exit %d, want %d\n%s%s", code, exitDrift, stdout, stderr)
	}

	if code, _, stderr := runCLI(ctx, auditCmd("--fail-on", "new")...); code != exitError || !strings.Contains(stderr, "--baseline") {
		t.Errorf("--fail-on new without a baseline: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(ctx, auditCmd("--format", "text,json")...); code != exitError || !strings.Contains(stderr, "--out-dir") {
		t.Errorf("two formats without --out-dir: exit %d, %s", code, stderr)
	}
}

// adoptCLI serves an emulator account of n APIs in e2e.Region, points the
// process's engine environment at it, generates infra/ with the CLI, lets
// edit change the files, and applies the imports with eng. It returns the
// discover flags that reach the account.
func adoptCLI(t *testing.T, eng e2e.Engine, n int, edit func(dir string)) (env *e2e.Env, dir string, disc []string) {
	t.Helper()
	env = e2e.StartEmulator(t, emulator.Options{Seed: discoverSeed(n, e2e.Region)})
	env.Setenv(t)
	ctx := context.Background()
	dir = filepath.Join(t.TempDir(), "infra")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	disc = []string{"--region", e2e.Region, "--endpoint-url", env.URL, "--rate", "0", "-q"}
	if code, _, stderr := runCLI(ctx, append([]string{"generate", "--dir", dir}, disc...)...); code != exitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	if edit != nil {
		edit(dir)
	}
	r := env.Runner(t, eng, dir)
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("apply imports: %v", err)
	}
	return env, dir, disc
}

// TestAuditConfigFlagsWin checks, without an engine run, that audit takes
// its settings from the file and that flags override them: each setting
// is caught by a check that runs before any plan.
func TestAuditConfigFlagsWin(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "infra"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, dir, "apigw2tf.yaml", "version: 1\nterraform_bin: /bin/sh\naudit:\n  dirs: [infra]\n  formats: [text, json]\n  mode: live\n  parallel: 2\n")
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--format with several formats needs --out-dir"},
		// Past the format check, the file's directories and mode reach
		// the audit: live mode has nothing to compare with.
		{[]string{"--format", "json"}, "--mode live compares state with a discovery"},
		{[]string{"--format", "json", "--parallel", "0"}, "--parallel 0 is not valid"},
		// The report directory's parent must exist, as for audit.out_dir,
		// and that is checked before the audit runs.
		{[]string{"--format", "json", "--out-dir", filepath.Join(dir, "no-such", "reports")}, "create the parent first"},
		// Output flags are not discovery flags: they pass.
		{[]string{"--format", "json", "-q", "--log-level", "debug", "--parallel", "0"}, "--parallel 0 is not valid"},
		{[]string{"--format", "json", "--region", "us-east-1", "-q"}, "--no-discover cannot be combined with discover flags (--region); drop one"},
		{[]string{"--format", "json", "--inventory", "inv.json"}, "--no-discover cannot be combined with --inventory; drop one"},
	} {
		args := append([]string{"audit", "-c", cfg, "--no-discover"}, tc.args...)
		if code, _, stderr := runCLI(ctx, args...); code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, stderr, tc.want)
		}
	}
}
