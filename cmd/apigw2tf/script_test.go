package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestMain lets the test binary stand in for the apigw2tf binary: scripts
// run it as a real child process, so exit codes, stdout and stderr are the
// ones a user sees.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"apigw2tf": func() {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			stop()
			os.Exit(code)
		},
	})
}

// Script credentials for the emulator, which checks only that requests are
// signed.
const (
	scriptAccessKey = "AKIDAPIGW2TFSCRIPT"
	scriptSecretKey = "apigw2tf-script-secret"
)

func TestScripts(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: testenv.Update(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			// The child processes get only these AWS settings: a developer's
			// profile, region or endpoint must never leak into a script.
			for k, v := range map[string]string{
				"AWS_ACCESS_KEY_ID":           scriptAccessKey,
				"AWS_SECRET_ACCESS_KEY":       scriptSecretKey,
				"AWS_EC2_METADATA_DISABLED":   "true",
				"AWS_CONFIG_FILE":             os.DevNull,
				"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
				"CHECKPOINT_DISABLE":          "1",
				"SOURCE_DATE_EPOCH":           "1767225600", // 2026-01-01: inventories are byte-stable
			} {
				env.Setenv(k, v)
			}
			// Under -race every child sleeps 1 s before exiting by default;
			// scripts run dozens of them. A GORACE the caller set is kept.
			if os.Getenv("GORACE") == "" {
				env.Setenv("GORACE", "atexit_sleep_ms=0")
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "engines" {
				return enginesBuilt(repo)
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"emulator-start":        cmdEmulatorStart,
			"emulator-update-stage": cmdEmulatorUpdateStage,
			"exitcode":              cmdExitCode,
		},
	})
}

// enginesBuilt reports whether `make tools` has built tofu and the stand-in
// provider's CLI config. In CI a missing engine is a broken pipeline, not a
// reason to skip.
func enginesBuilt(repo string) (bool, error) {
	for _, p := range []string{
		filepath.Join(repo, ".tools", "bin", "tofu"),
		filepath.Join(repo, ".tools", "terraformrc"),
	} {
		if _, err := os.Stat(p); err != nil {
			if testenv.InCI() {
				return false, fmt.Errorf("CI=true but %s is missing: run `make tools` before the tests", p)
			}
			return false, nil
		}
	}
	return true, nil
}

// cmdEmulatorStart serves an emulator seeded from a file for the rest of the
// script and puts its URL in $EMULATOR_URL (or the -env variable). Serving it
// from the test process avoids parsing a background command's output for the
// port.
//
//	emulator-start [-env NAME] [-deny-region REGION]... SEED.yaml
func cmdEmulatorStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulator-start")
	}
	fs := flag.NewFlagSet("emulator-start", flag.ContinueOnError)
	fs.SetOutput(ts.Stderr())
	envName := fs.String("env", "EMULATOR_URL", "variable that receives the URL")
	var deny regionList
	fs.Var(&deny, "deny-region", "region answered with AccessDeniedException (repeatable)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		ts.Fatalf("usage: emulator-start [-env NAME] [-deny-region REGION]... SEED.yaml")
	}
	seed, err := emulator.LoadSeedFile(ts.MkAbs(fs.Arg(0)))
	ts.Check(err)
	srv, err := emulator.New(emulator.Options{Seed: seed, Faults: emulator.Faults{DenyRegions: deny}})
	ts.Check(err)
	hs := httptest.NewServer(srv)
	ts.Defer(hs.Close)
	ts.Setenv(*envName, hs.URL)
}

type regionList []string

func (l *regionList) String() string { return strings.Join(*l, ",") }

func (l *regionList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// cmdEmulatorUpdateStage changes a stage's description behind Terraform's
// back, as someone in the console would, so an audit has drift to find.
//
//	emulator-update-stage URL REGION API_ID STAGE DESCRIPTION
func cmdEmulatorUpdateStage(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulator-update-stage")
	}
	if len(args) != 5 {
		ts.Fatalf("usage: emulator-update-stage URL REGION API_ID STAGE DESCRIPTION")
	}
	url, region, apiID, stage, desc := args[0], args[1], args[2], args[3], args[4]
	c := apigatewayv2.New(apigatewayv2.Options{
		Region:       region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider(scriptAccessKey, scriptSecretKey, ""),
	})
	_, err := c.UpdateStage(context.Background(), &apigatewayv2.UpdateStageInput{ApiId: &apiID, StageName: &stage, Description: &desc})
	if err != nil {
		ts.Fatalf("updating stage %s of api %s in %s: %v", stage, apiID, region, err)
	}
}

// cmdExitCode runs a command like exec and asserts its exact exit status;
// `! exec` only tells zero from non-zero, and apigw2tf's codes 1, 2 and 3
// mean different things.
//
//	exitcode N COMMAND [ARG]...
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode (give the expected status instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N COMMAND [ARG]...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 {
		ts.Fatalf("exitcode: %q is not an exit status", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("running %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// TestHelpGolden pins the --help output of the root command and of every
// subcommand, one golden file each, so a changed flag or text shows up in
// review. Regenerate with `go test ./cmd/apigw2tf -run TestHelpGolden -update`.
func TestHelpGolden(t *testing.T) {
	dir := filepath.Join("testdata", "help")
	want := map[string]bool{}
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		name := "root"
		if len(path) > 0 {
			name = strings.Join(path, "-")
		}
		file := name + ".golden"
		want[file] = true
		t.Run(name, func(t *testing.T) {
			if c.Example == "" {
				t.Errorf("apigw2tf %s has no Example in its help", strings.Join(path, " "))
			}
			var out, errOut bytes.Buffer
			args := append(append([]string{}, path...), "--help")
			if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != exitOK || errOut.Len() > 0 {
				t.Fatalf("apigw2tf %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, errOut.String())
			}
			testenv.Golden(t, filepath.Join(dir, file), out.Bytes())
		})
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub, append(append([]string{}, path...), sub.Name()))
			}
		}
	}
	walk(newRootCmd(streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}}), nil)

	// A golden left behind by a removed or renamed command would pin nothing.
	files, err := filepath.Glob(filepath.Join(dir, "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if want[filepath.Base(f)] {
			continue
		}
		if testenv.Update() {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s belongs to no command; delete it or run with -update", f)
	}
}

func TestEnginesConditionFailsInCI(t *testing.T) {
	repo := t.TempDir()
	t.Setenv("CI", "")
	if ok, err := enginesBuilt(repo); ok || err != nil {
		t.Errorf("without engines outside CI: got %v, %v; want a skip (false, nil)", ok, err)
	}
	t.Setenv("CI", "true")
	if _, err := enginesBuilt(repo); err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Errorf("without engines in CI: got error %v; want one naming `make tools`", err)
	}
	for _, p := range []string{filepath.Join(repo, ".tools", "bin", "tofu"), filepath.Join(repo, ".tools", "terraformrc")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := enginesBuilt(repo); !ok || err != nil {
		t.Errorf("with engines: got %v, %v; want true, nil", ok, err)
	}
}
