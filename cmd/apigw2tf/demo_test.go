package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestDemo runs the README's main job on each engine: it must find exactly
// the four console changes (and quick create's three resources), write the three reports, and start clean when
// run again.
func TestDemo(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		restoreDemoEnv(t)
		dir := filepath.Join(t.TempDir(), "demo")
		args := []string{"demo", "--dir", dir, "--seed", filepath.Join("..", "..", "testdata", "accounts", "demo.yaml"),
			"--tools-dir", e2e.ToolsDir(), "--terraform-bin", eng.Bin, "--listen", "127.0.0.1:0"}
		for pass := 1; pass <= 2; pass++ {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), args, nil, &out, &errOut); code != exitOK {
				t.Fatalf("pass %d: demo exited %d\n%s\n%s", pass, code, out.String(), errOut.String())
			}
			for _, want := range []string{"$ apigw2tf discover --region us-east-1,eu-west-1", "to import, 0 to add, 0 to change, 0 to destroy", "$ aws apigatewayv2 delete-stage",
				"The emulator stopped with the demo", "run `apigw2tf demo --serve`", "$ aws apigatewayv2 update-integration"} {
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

// TestDemoServe: with --serve the emulator stays up after the demo, and the
// commands the demo prints work as printed, in a clean environment: the plan
// in the demo directory sees the console changes as changes to revert. Ctrl-C
// (the context) ends the demo with exit 0.
func TestDemoServe(t *testing.T) {
	eng := e2e.Engines(t)[0]
	restoreDemoEnv(t)
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out testenv.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--serve", "--dir", dir, "--seed", filepath.Join("..", "..", "testdata", "accounts", "demo.yaml"),
			"--tools-dir", e2e.ToolsDir(), "--terraform-bin", eng.Bin, "--listen", "127.0.0.1:0"}, nil, &out, &out)
	}()
	var cmds []string
	deadline := time.Now().Add(5 * time.Minute)
	for cmds == nil {
		select {
		case code := <-done:
			t.Fatalf("demo --serve returned %d before Ctrl-C:\n%s", code, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo --serve never said how to use its emulator:\n%s", out.String())
		}
		text := out.String()
		if _, after, ok := strings.Cut(text, "In another terminal, from this directory:\n"); ok && strings.Count(after, "\n") >= 3 {
			for _, l := range strings.SplitN(after, "\n", 4)[:3] {
				cmds = append(cmds, strings.TrimSpace(l))
			}
		}
	}
	if !strings.HasPrefix(cmds[0], "export ") || !strings.Contains(cmds[1], " plan") || !strings.HasPrefix(cmds[2], "apigw2tf audit ") {
		t.Fatalf("unexpected commands: %q", cmds)
	}
	// The printed export and plan, in an environment with nothing else.
	plan := exec.Command("sh", "-c", cmds[0]+" && "+cmds[1]+" -input=false -no-color -detailed-exitcode")
	plan.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	b, err := plan.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("plan as printed: %v (want exit 2, changes)\n%s", err, b)
	}
	if !strings.Contains(string(b), "hotfix: raised limits during an incident") {
		t.Errorf("plan does not show the console change:\n%s", b)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("demo --serve exited %d after Ctrl-C", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo --serve did not stop on Ctrl-C")
	}
}

// restoreDemoEnv makes t restore the variables the demo sets for its
// engines (t.Setenv restores them when the test ends).
func restoreDemoEnv(t *testing.T) {
	for _, k := range []string{"TF_CLI_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
		"AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "CHECKPOINT_DISABLE",
		"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_APIGATEWAYV2", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, os.Getenv(k))
	}
}
