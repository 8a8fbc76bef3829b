package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// demoOrgDiscover are the flags that discover the demo organization
// served at url through its member roles.
func demoOrgDiscover(url string) []string {
	return []string{"discover", "--endpoint-url", url, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q",
		"--member-role-name", "apigw2tf-read", "--external-id", demoOrgExternalID}
}

// generatedAccount is the line generate --dir-template prints per directory.
var generatedAccount = regexp.MustCompile(`(?m)^account (\S+) \(`)

// TestShardedCommandsPickTheSameAccounts runs discover, generate and audit
// with --shard I/N over the demo organization (six accounts, one denied)
// for N = 1 to 5 and 8 (more shards than accounts): for every I/N the
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
	for _, c := range []struct {
		name, template string
		weights        []string
	}{
		{"per-account", "{account_name}", nil},
		{"per-region-weighed", "{account_name}/{region}", []string{"--weights", full}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range []int{1, 2, 3, 4, 5, 8} {
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
