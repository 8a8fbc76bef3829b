package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
)

// TestDemo runs the README's main job on each engine: it must find exactly
// the four console changes (and quick create's three resources), write the three reports, and start clean when
// run again.
func TestDemo(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		// demo sets these for its engines; t.Setenv restores them afterwards.
		for _, k := range []string{"TF_CLI_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
			"AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "CHECKPOINT_DISABLE",
			"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_APIGATEWAYV2", "AWS_ENDPOINT_URL_STS"} {
			t.Setenv(k, os.Getenv(k))
		}
		dir := filepath.Join(t.TempDir(), "demo")
		args := []string{"demo", "--dir", dir, "--seed", filepath.Join("..", "..", "testdata", "accounts", "demo.yaml"),
			"--tools-dir", e2e.ToolsDir(), "--terraform-bin", eng.Bin}
		for pass := 1; pass <= 2; pass++ {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), args, nil, &out, &errOut); code != exitOK {
				t.Fatalf("pass %d: demo exited %d\n%s\n%s", pass, code, out.String(), errOut.String())
			}
			for _, want := range []string{"$ apigw2tf discover --region us-east-1,eu-west-1", "to import, 0 to add, 0 to change, 0 to destroy", "$ aws apigatewayv2 delete-stage",
				"$ aws apigatewayv2 update-integration"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("pass %d: narration lacks %q:\n%s", pass, want, out.String())
				}
			}
			rep, err := audit.ReadReport(filepath.Join(dir, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Summary
			if got.Changed != 2 || got.Deleted != 1 || got.Unmanaged != 1 || got.Unimportable != 3 {
				t.Errorf("pass %d: summary %+v, want 2 changed, 1 deleted, 1 unmanaged, 3 unimportable", pass, got)
			}
			for _, f := range []string{"report.html", "report.md", "imports.tf", "providers.tf"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("pass %d: %v", pass, err)
				}
			}
			leftover := filepath.Join(dir, "leftover.tf")
			if _, err := os.Stat(leftover); err == nil {
				t.Errorf("pass %d: %s survived; each run must start clean", pass, leftover)
			}
			if err := os.WriteFile(leftover, []byte("# stale\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestDemoRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"demo", "--dir", dir, "--seed", filepath.Join("..", "..", "testdata", "accounts", "demo.yaml"),
		"--tools-dir", e2e.ToolsDir()}, nil, &out, &errOut)
	if code != exitError || !strings.Contains(errOut.String(), "was not made by the demo") {
		t.Fatalf("exit %d, stderr %q; want a refusal to delete %s", code, errOut.String(), dir)
	}
}
