package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// generatedAccount is the line generate --dir-template prints per directory.
var generatedAccount = regexp.MustCompile(`(?m)^account (\S+) \(`)

// TestShardedCommandsPickTheSameAccounts runs discover, generate and audit
// with --shard I/N over the demo organization (six accounts, one denied)
// for N = 1 to 5 and 8 (more shards than accounts; with a directory per
// region and --weights, N = 2 to 4): for every I/N the
// three take the same accounts, also when audit reads the inventory the
// sharded discovery wrote (which records its shard), and over the N shards
// every account is taken exactly once. With one directory per account every
// account weighs one, as discover weighs them; with one per region the
// three commands share --weights.
func TestShardedCommandsPickTheSameAccounts(t *testing.T) {
	eng := e2e.Engines(t)[0]
	ctx := context.Background()
	url := serveDemoOrg(t)
	t.Setenv("TF_CLI_CONFIG_FILE", e2e.CLIConfig()) // audit's init finds the stand-in provider
	dir := t.TempDir()
	full := filepath.Join(dir, "inventory.json")
	if code, _, stderr := runCLI(ctx, append(demoOrgDiscover(url), "-o", full)...); code != exitPartial {
		t.Fatalf("discover: exit %d, want %d (data-sandbox is denied)\n%s", code, exitPartial, stderr)
	}
	every, err := inventory.ReadAccountsFile(full)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range every.Accounts {
		names = append(names, a.Label())
	}
	if len(names) != 6 {
		t.Fatalf("the demo organization has %d accounts to discover, want 6: %v", len(names), names)
	}
	const denied = "data-sandbox"
	// Each audit inits every directory in a copy: the weighed case, which
	// only changes the weights, takes fewer N to stay affordable.
	for _, c := range []struct {
		name, template string
		weights        []string
		counts         []int
	}{
		{"per-account", "{account_name}", nil, []int{1, 2, 3, 4, 5, 8}},
		{"per-region-weighed", "{account_name}/{region}", []string{"--weights", full}, []int{2, 3, 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range c.counts {
				taken := map[string]int{}
				for i := range n {
					ref := fmt.Sprintf("%d/%d", i, n)
					flags := append([]string{"--shard", ref}, c.weights...)
					work := filepath.Join(dir, c.name, fmt.Sprintf("%d-%d", i, n))
					tmpl := filepath.Join(work, "infra", c.template)
					if err := os.MkdirAll(work, 0o755); err != nil {
						t.Fatal(err)
					}

					inv := filepath.Join(work, "inventory.json")
					code, _, stderr := runCLI(ctx, append(append(demoOrgDiscover(url), "-o", inv), flags...)...)
					if code != exitOK && code != exitPartial {
						t.Fatalf("discover --shard %s: exit %d\n%s", ref, code, stderr)
					}
					discovered := shardInventoryAccounts(t, inv, i, n)
					if want := map[bool]int{true: exitPartial, false: exitOK}[slices.Contains(discovered, denied)]; code != want {
						t.Fatalf("discover --shard %s: exit %d, want %d\n%s", ref, code, want, stderr)
					}

					code, stdout, stderr := runCLI(ctx, append([]string{"generate", "--inventory", full, "--dir-template", tmpl}, flags...)...)
					if code != exitOK && code != exitPartial {
						t.Fatalf("generate --shard %s: exit %d\n%s%s", ref, code, stdout, stderr)
					}
					var generated []string
					for _, m := range generatedAccount.FindAllStringSubmatch(stdout, -1) {
						if !slices.Contains(generated, m[1]) {
							generated = append(generated, m[1])
						}
					}
					slices.Sort(generated)

					audited := auditShardAccounts(t, ctx, eng, filepath.Join(work, "report"), i, n,
						append([]string{"--inventory", full, "--dir-template", tmpl}, flags...)...)
					// The shard's own inventory, as a pod that discovers and
					// then audits reads it: no --shard needed, and the report
					// still records the shard.
					chained := auditShardAccounts(t, ctx, eng, filepath.Join(work, "chained"), i, n,
						"--inventory", inv, "--dir-template", tmpl)

					if !slices.Equal(audited, discovered) || !slices.Equal(chained, discovered) ||
						!slices.Equal(generated, slices.DeleteFunc(slices.Clone(discovered), func(s string) bool { return s == denied })) {
						t.Errorf("shard %s: discover took %v, generate %v (the denied account has no directory), audit %v, audit of the shard's inventory %v",
							ref, discovered, generated, audited, chained)
					}
					for _, a := range discovered {
						taken[a]++
					}
				}
				for _, a := range names {
					if taken[a] != 1 {
						t.Errorf("%d shards: account %s taken %d times, want once", n, a, taken[a])
					}
				}
				if len(taken) != len(names) {
					t.Errorf("%d shards took %v, want exactly %v", n, taken, names)
				}
			}
		})
	}
}

// shardInventoryAccounts reads what discover --shard i/n wrote: it must
// record the shard; it returns the accounts, sorted.
func shardInventoryAccounts(t *testing.T, path string, i, n int) []string {
	t.Helper()
	all, err := inventory.ReadAccountsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if all.Shard == nil || *all.Shard != (inventory.ShardRef{Index: i, Count: n}) {
		t.Errorf("%s records shard %+v, want %d/%d", path, all.Shard, i, n)
	}
	var out []string
	for _, a := range all.Accounts {
		out = append(out, a.Label())
	}
	slices.Sort(out)
	return out
}

// auditShardAccounts audits in live mode into outDir and returns the
// accounts the report covers, sorted; the report must record shard i/n.
func auditShardAccounts(t *testing.T, ctx context.Context, eng e2e.Engine, outDir string, i, n int, args ...string) []string {
	t.Helper()
	args = append([]string{"audit", "--mode", "live", "--allow-empty", "--terraform-bin", eng.Bin, "--format", "json", "--out-dir", outDir}, args...)
	code, stdout, stderr := runCLI(ctx, args...)
	if code != exitOK && code != exitDrift && code != exitPartial {
		b, _ := os.ReadFile(filepath.Join(outDir, "report.json"))
		t.Fatalf("%s: %s: exit %d\n%s%s", strings.Join(args, " "), b, code, stdout, stderr)
	}
	rep := readJSONReport(t, filepath.Join(outDir, "report.json"))
	if rep.Shard == nil || *rep.Shard != (inventory.ShardRef{Index: i, Count: n}) {
		t.Errorf("%s: report records shard %+v, want %d/%d", strings.Join(args, " "), rep.Shard, i, n)
	}
	var out []string
	for _, a := range rep.Accounts {
		if a.Error != "" && a.Name != "data-sandbox" {
			t.Errorf("%s: account %s failed: %s", strings.Join(args, " "), a.Name, a.Error)
		}
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

// TestShardedPlanAuditsMergeToTheUnshardedReport takes the demo
// organization through discover, generate (assume_role in every member's
// provider) and apply in each account's directory, then changes four
// accounts from the console: a stage edited in payments-prod and one in
// management, an API created in chat-dev, a stage deleted in
// payments-staging. Audits in plan mode, sharded N = 1 to 5 and merged,
// give the unsharded audit's findings, finding for finding, with the
// changed accounts spread over several shards.
func TestShardedPlanAuditsMergeToTheUnshardedReport(t *testing.T) {
	eng := e2e.Engines(t)[0]
	ctx := context.Background()
	dir := t.TempDir()
	env, tmpl := generateDemoOrg(t, eng, dir)
	for _, acct := range []string{"management", "payments-prod", "identity-prod-eu", "payments-staging", "chat-dev"} {
		r := env.Runner(t, eng, filepath.Join(dir, "infra", acct))
		if err := r.TF.Init(ctx); err != nil {
			t.Fatalf("init %s: %v", acct, err)
		}
		if err := r.TF.Apply(ctx); err != nil {
			t.Fatalf("apply %s: %v", acct, err)
		}
	}

	editInTheConsole(t, env.URL, "222222222222", "eu-west-1", "pay0euw101", "555555555555")
	if _, err := consoleClient(env.URL, "111111111111", "us-east-1").UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: aws.String("mgmt0api01"),
		StageName: aws.String("prod"), Description: aws.String("edited by the finance team")}); err != nil {
		t.Fatal(err)
	}
	if _, err := consoleClient(env.URL, "444444444444", "us-east-1").DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: aws.String("pay0stag01"),
		StageName: aws.String("staging")}); err != nil {
		t.Fatal(err)
	}

	now := filepath.Join(dir, "inventory-now.json")
	if code, _, stderr := runCLI(ctx, append(demoOrgDiscover(env.URL), "-o", now)...); code != exitPartial {
		t.Fatalf("second discover: exit %d\n%s", code, stderr)
	}
	runAudit := func(outDir string, extra ...string) (int, audit.Report) {
		t.Helper()
		args := append([]string{"audit", "--inventory", now, "--dir-template", tmpl, "--terraform-bin", eng.Bin, "--mode", "plan",
			"--format", "json", "--out-dir", filepath.Join(dir, outDir)}, extra...)
		code, stdout, stderr := runCLI(ctx, args...)
		if code != exitOK && code != exitDrift && code != exitPartial {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		return code, readJSONReport(t, filepath.Join(dir, outDir, "report.json"))
	}
	code, whole := runAudit("all")
	if code != exitPartial {
		t.Fatalf("unsharded audit: exit %d, want %d (data-sandbox is denied)", code, exitPartial)
	}
	drifted := map[string]bool{}
	var drift []string
	for _, f := range whole.Findings {
		if f.Class.Drift() {
			drifted[f.Account] = true
			drift = append(drift, string(f.Class)+" "+f.Account+" "+f.Type)
		}
	}
	slices.Sort(drift)
	if want := []string{"changed management " + audit.TypeStage, "changed payments-prod " + audit.TypeStage,
		"deleted payments-staging " + audit.TypeStage, "unmanaged chat-dev " + audit.TypeAPI}; !slices.Equal(drift, want) {
		t.Fatalf("unsharded drift %q, want %q", drift, want)
	}
	for n := 1; n <= 5; n++ {
		if err := os.Mkdir(filepath.Join(dir, fmt.Sprintf("shards-%d", n)), 0o755); err != nil {
			t.Fatal(err)
		}
		spread := map[int]bool{}
		for i := range n {
			_, rep := runAudit(fmt.Sprintf("shards-%d/shard-%d", n, i), "--shard", fmt.Sprintf("%d/%d", i, n))
			for _, a := range rep.Accounts {
				if drifted[a.Name] {
					spread[i] = true
				}
			}
		}
		if n > 1 && len(spread) < 2 {
			t.Errorf("%d shards: the changed accounts all fall on one shard; the test proves less than it says", n)
		}
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", n))
		code, stdout, stderr := runCLI(ctx, "report", "merge", filepath.Join(dir, fmt.Sprintf("shards-%d", n)), "--format", "json", "--out-dir", merged)
		if code != exitPartial {
			t.Fatalf("merge of %d shards: exit %d, want %d as unsharded\n%s%s", n, code, exitPartial, stdout, stderr)
		}
		got := readJSONReport(t, filepath.Join(merged, "report.json"))
		if a, b := mustMarshal(t, got.Findings), mustMarshal(t, whole.Findings); a != b {
			t.Errorf("%d shards: merged findings differ from the unsharded run's:\nmerged %s\nunsharded %s", n, a, b)
		}
		if got.Summary != whole.Summary || mustMarshal(t, got.Accounts) != mustMarshal(t, whole.Accounts) || mustMarshal(t, got.Coverage) != mustMarshal(t, whole.Coverage) {
			t.Errorf("%d shards: merged summary %+v, accounts %+v; unsharded %+v, %+v", n, got.Summary, got.Accounts, whole.Summary, whole.Accounts)
		}
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
