package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/shard"
)

// shardOrg is the sharded-audit fixture: five accounts in one emulator,
// each with its directories under infra/ and a profile whose access key id
// is the account id, so the emulator serves each account its own APIs.
type shardOrg struct {
	bin, root, config string
	env               []string
}

var shardAccounts = []struct {
	name, id string
	dirs     int
}{{"alpha", "111111111111", 1}, {"bravo", "222222222222", 2}, {"charlie", "333333333333", 1}, {"delta", "444444444444", 3}, {"echo", "555555555555", 1}}

func newShardOrg(t *testing.T) *shardOrg {
	t.Helper()
	eng := Engines(t)[0]
	seed, err := emulator.LoadSeedFile("testdata/shard-org.yaml")
	if err != nil {
		t.Fatal(err)
	}
	emu := StartEmulator(t, emulator.Options{Seed: seed})
	root := t.TempDir()
	bin := filepath.Join(root, "apigw2tf")
	build := exec.Command("go", "build", "-o", bin, "./cmd/apigw2tf")
	build.Dir = RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building apigw2tf: %v\n%s", err, out)
	}
	var cfg, awsCfg, creds strings.Builder
	fmt.Fprintf(&cfg, "version: 1\nendpoint_url: %s\naccounts:\n", emu.URL)
	for _, a := range shardAccounts {
		fmt.Fprintf(&cfg, "  - name: %s\n    profile: %s\n    regions: [us-east-1, eu-west-1]\n    dirs:\n", a.name, a.name)
		fmt.Fprintf(&awsCfg, "[profile %s]\nregion = us-east-1\n", a.name)
		fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n", a.name, a.id, SecretKey)
		for i := range a.dirs {
			fmt.Fprintf(&cfg, "      - infra/%s/part%d\n", a.name, i)
			// An empty root module: every live API and stage of the
			// account is unmanaged, found by its own discovery.
			if err := os.MkdirAll(filepath.Join(root, "infra", a.name, fmt.Sprintf("part%d", i)), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	o := &shardOrg{bin: bin, root: root, config: filepath.Join(root, "apigw2tf.yaml")}
	for name, body := range map[string]string{o.config: cfg.String(), filepath.Join(root, "aws-config"): awsCfg.String(), filepath.Join(root, "aws-credentials"): creds.String()} {
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	o.env = append(os.Environ(),
		"AWS_CONFIG_FILE="+filepath.Join(root, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(root, "aws-credentials"),
		"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_PROFILE=",
		"APIGW2TF_TERRAFORM="+eng.Bin, "TF_CLI_CONFIG_FILE="+CLIConfig(),
	)
	// One discovery of every account of the file; the shards read it, as
	// an audit of several accounts does.
	cmd, out := o.command(nil, "discover", "-c", o.config, "-o", "inventory.json", "--format", "none")
	if err := cmd.Run(); err != nil {
		t.Fatalf("discover: %v\n%s", err, out)
	}
	return o
}

// run starts the binary in the fixture's root with extra environment.
func (o *shardOrg) command(env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(o.bin, args...)
	cmd.Dir = o.root
	cmd.Env = append(append([]string{}, o.env...), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func (o *shardOrg) audit(t *testing.T, outDir string, env []string, extra ...string) (int, string) {
	t.Helper()
	args := append([]string{"audit", "-c", o.config, "--inventory", "inventory.json", "--mode", "live", "--allow-empty",
		"--format", "json", "--out-dir", outDir}, extra...)
	cmd, out := o.command(env, args...)
	return exitCode(cmd.Run()), out.String()
}

// engineEnv is what each batch engine gives shard i of n: Kubernetes
// Indexed Jobs only the index (the count is passed as --shards), AWS Batch
// index and size.
func engineEnv(engine string, i, n int) ([]string, []string) {
	if engine == "kubernetes" {
		return []string{fmt.Sprintf("%s=%d", shard.EnvJobCompletionIndex, i)}, []string{"--shard", "auto", "--shards", fmt.Sprint(n)}
	}
	return []string{fmt.Sprintf("%s=%d", shard.EnvBatchArrayIndex, i), fmt.Sprintf("%s=%d", shard.EnvBatchArraySize, n)}, []string{"--shard", "auto"}
}

func readReport(t *testing.T, path string) *audit.Report {
	t.Helper()
	rep, err := audit.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findingsJSON(t *testing.T, fs []audit.Finding) string {
	t.Helper()
	b, err := json.MarshalIndent(fs, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShardedAuditMergesToTheUnshardedReport runs the real binary as N
// processes at once, each with the environment a Kubernetes Indexed Job or
// an AWS Batch array gives it, against one emulator of five accounts, and
// merges their reports: for N = 1 to 5 the merged findings are the
// unsharded run's, finding for finding, and every account is audited once.
func TestShardedAuditMergesToTheUnshardedReport(t *testing.T) {
	o := newShardOrg(t)
	code, out := o.audit(t, "all", nil)
	if code != 2 {
		b, _ := os.ReadFile(filepath.Join(o.root, "all", "report.json"))
		out += string(b)
		t.Fatalf("unsharded audit exit %d, want 2 (unmanaged drift)\n%s", code, out)
	}
	all := readReport(t, filepath.Join(o.root, "all", "report.json"))
	if len(all.Accounts) != len(shardAccounts) || all.Summary.Unmanaged != 2*2*(1+2+1+3+1) {
		t.Fatalf("unsharded report covers %d accounts with %d unmanaged; want 5 and 32\n%s", len(all.Accounts), all.Summary.Unmanaged, out)
	}
	for n := 1; n <= 5; n++ {
		if err := os.Mkdir(filepath.Join(o.root, fmt.Sprintf("shards-%d", n)), 0o755); err != nil {
			t.Fatal(err)
		}
		engine := "kubernetes"
		if n%2 == 0 {
			engine = "batch"
		}
		t.Run(fmt.Sprintf("%d-shards-%s", n, engine), func(t *testing.T) {
			var wg sync.WaitGroup
			codes, outs := make([]int, n), make([]string, n)
			for i := range n {
				env, flags := engineEnv(engine, i, n)
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i], outs[i] = o.audit(t, fmt.Sprintf("shards-%d/shard-%d", n, i), env, flags...)
				}()
			}
			wg.Wait()
			for i := range n {
				if codes[i] != 2 && codes[i] != 0 {
					t.Fatalf("shard %d/%d exit %d\n%s", i, n, codes[i], outs[i])
				}
			}
			merged := fmt.Sprintf("merged-%d", n)
			cmd, mout := o.command(nil, "report", "merge", fmt.Sprintf("shards-%d", n), "--allow-empty", "--format", "json,sarif", "--out-dir", merged)
			if code := exitCode(cmd.Run()); code != 2 {
				t.Fatalf("merge exit %d, want 2 as unsharded\n%s", code, mout)
			}
			got := readReport(t, filepath.Join(o.root, merged, "report.json"))
			if a, b := findingsJSON(t, got.Findings), findingsJSON(t, all.Findings); a != b {
				t.Errorf("merged findings differ from the unsharded run's:\nmerged %s\nunsharded %s", a, b)
			}
			if got.Summary != all.Summary || len(got.Accounts) != len(all.Accounts) {
				t.Errorf("merged summary %+v over %d accounts; unsharded %+v over %d", got.Summary, len(got.Accounts), all.Summary, len(all.Accounts))
			}
			for i := range n {
				rep := readReport(t, filepath.Join(o.root, fmt.Sprintf("shards-%d/shard-%d/report.json", n, i)))
				if rep.Shard == nil || rep.Shard.Index != i || rep.Shard.Count != n {
					t.Errorf("shard %d/%d's report records shard %+v", i, n, rep.Shard)
				}
			}
		})
	}
}

// TestKilledShardMakesTheMergePartial kills one of three shards as it
// starts; the merge of the others exits 3 and names the missing shard.
func TestKilledShardMakesTheMergePartial(t *testing.T) {
	o := newShardOrg(t)
	const n, killed = 3, 1
	if err := os.Mkdir(filepath.Join(o.root, "shards"), 0o755); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range n {
		env, flags := engineEnv("kubernetes", i, n)
		args := append([]string{"audit", "-c", o.config, "--inventory", "inventory.json", "--mode", "live", "--allow-empty",
			"--format", "json", "--out-dir", fmt.Sprintf("shards/shard-%d", i)}, flags...)
		cmd, out := o.command(env, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if i == killed {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("shard %d was not killed: %v\n%s", i, err, out)
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code := exitCode(cmd.Wait()); code != 2 && code != 0 {
				t.Errorf("shard %d exit %d\n%s", i, code, out)
			}
		}()
	}
	wg.Wait()
	cmd, out := o.command(nil, "report", "merge", "shards", "--allow-empty", "--format", "json", "--out-dir", "merged")
	if code := exitCode(cmd.Run()); code != 3 {
		t.Fatalf("merge without shard %d exit %d, want 3\n%s", killed, code, out)
	}
	if !strings.Contains(out.String(), "1 of 3 shards missing: shard 1") {
		t.Errorf("merge output does not name the missing shard:\n%s", out)
	}
	got := readReport(t, filepath.Join(o.root, "merged", "report.json"))
	if !got.Partial || len(got.MergeErrors) == 0 {
		t.Errorf("merged report partial=%v merge_errors=%v; want partial with the missing shard named", got.Partial, got.MergeErrors)
	}
}
