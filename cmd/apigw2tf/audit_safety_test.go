package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
)

// Values a report must never show under --redact tags: a tag a person set
// in the console, the provider's default tag, and the value the default
// tag was changed to in the console.
const (
	consoleSecret  = "owner-secret-7c1f"
	defaultSecret  = "cc-default-secret-42"
	rotatedDefault = "cc-rotated-secret-43"
)

// useProviderAccount rewrites the generated providers.tf the way a real
// account's is: the provider asks for the account (so execute-api ARNs in
// the state name it) and sets default_tags.
func useProviderAccount(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "providers.tf")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclwrite.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	found := false
	for _, b := range f.Body().Blocks() {
		if b.Type() != "provider" {
			continue
		}
		found = true
		b.Body().RemoveAttribute("skip_requesting_account_id")
		dt := b.Body().AppendNewBlock("default_tags", nil).Body()
		dt.SetAttributeValue("tags", cty.MapVal(map[string]cty.Value{"cost-center": cty.StringVal(defaultSecret)}))
	}
	if !found {
		t.Fatalf("no provider block in %s", path)
	}
	if err := os.WriteFile(path, f.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAuditCLISafety runs audit on each engine against an adopted account
// whose provider sets default_tags:
//   - "redact tags": with --redact tags no report format, nor stdout or
//     stderr, holds a tag value, in plan and live mode, though tags and
//     tags_all (default tags included) drifted;
//   - "another account": an inventory of another account is refused with
//     exit 1, naming both accounts, in both modes;
//   - "empty directory": a directory with no state is an error (exit 1)
//     unless --allow-empty.
func TestAuditCLISafety(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		env, dir, disc := adoptCLI(t, eng, 1, func(dir string) { useProviderAccount(t, dir) })
		arn := "arn:aws:apigateway:" + e2e.Region + "::/apis/useast1000/stages/dev"
		if _, err := env.Client(t, e2e.Region).TagResource(ctx, &apigatewayv2.TagResourceInput{
			ResourceArn: aws.String(arn), Tags: map[string]string{"owner": consoleSecret, "cost-center": rotatedDefault},
		}); err != nil {
			t.Fatal(err)
		}
		auditArgs := func(extra ...string) []string {
			return append([]string{"audit", "--dir", dir, "--terraform-bin", eng.Bin}, extra...)
		}

		t.Run("redact tags", func(t *testing.T) {
			for _, mode := range []string{string(audit.ModePlan), string(audit.ModeLive)} {
				out := filepath.Join(t.TempDir(), "reports")
				code, stdout, stderr := runCLI(ctx, auditArgs(append([]string{"--mode", mode, "--redact", "tags", "--format", strings.Join(audit.Formats, ","), "--out-dir", out}, disc...)...)...)
				if code != exitDrift {
					t.Fatalf("%s mode: exit %d, want %d\n%s%s", mode, code, exitDrift, stdout, stderr)
				}
				if !strings.Contains(stdout, `tags_all["cost-center"]`) || !strings.Contains(stdout, `tags["owner"]`) {
					t.Errorf("%s mode: the tag drift is not reported:\n%s", mode, stdout)
				}
				texts := map[string]string{"stdout": stdout, "stderr": stderr}
				for _, f := range audit.Formats {
					b, err := os.ReadFile(filepath.Join(out, audit.FileName(f)))
					if err != nil {
						t.Fatal(err)
					}
					texts[f] = string(b)
				}
				for where, text := range texts {
					for _, secret := range []string{consoleSecret, defaultSecret, rotatedDefault} {
						if strings.Contains(text, secret) {
							t.Errorf("%s mode: %s holds the redacted value %q", mode, where, secret)
						}
					}
				}
			}
		})

		t.Run("another account", func(t *testing.T) {
			inv := filepath.Join(t.TempDir(), "inventory.json")
			if code, _, stderr := runCLI(ctx, append([]string{"discover", "-o", inv}, disc...)...); code != exitOK {
				t.Fatalf("discover: exit %d\n%s", code, stderr)
			}
			var doc map[string]any
			b, err := os.ReadFile(inv)
			if err == nil {
				err = json.Unmarshal(b, &doc)
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc["account"] != env.Account {
				t.Fatalf("inventory account %v, want %s", doc["account"], env.Account)
			}
			doc["account"] = "111122223333"
			if b, err = json.Marshal(doc); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(inv, b, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, mode := range []string{string(audit.ModePlan), string(audit.ModeLive)} {
				code, stdout, stderr := runCLI(ctx, auditArgs("--mode", mode, "--inventory", inv)...)
				if code != exitError || !strings.Contains(stderr, "111122223333") || !strings.Contains(stderr, env.Account) {
					t.Errorf("%s mode: exit %d, want %d and both accounts named\n%s%s", mode, code, exitError, stdout, stderr)
				}
				if strings.Contains(stdout, "deleted") {
					t.Errorf("%s mode: reported deletions from another account:\n%s", mode, stdout)
				}
			}
		})

		t.Run("empty directory", func(t *testing.T) {
			empty := t.TempDir()
			writeFile(t, empty, "providers.tf", e2e.ProviderHCL(env.URL, e2e.Region))
			for _, mode := range []string{string(audit.ModePlan), string(audit.ModeLive)} {
				code, stdout, stderr := runCLI(ctx, auditArgs(append([]string{"--dir", empty, "--mode", mode}, disc...)...)...)
				if code != exitError || !strings.Contains(stderr, "nothing to audit in "+empty) || !strings.Contains(stdout, "WARNING: 1 of 2 directories have no API or stage") {
					t.Errorf("%s mode: exit %d, want %d and a warning\n%s%s", mode, code, exitError, stdout, stderr)
				}
			}
			code, stdout, stderr := runCLI(ctx, "audit", "--dir", empty, "--terraform-bin", eng.Bin, "--no-discover", "--allow-empty")
			if code != exitOK || !strings.Contains(stdout, "WARNING") {
				t.Errorf("--allow-empty: exit %d, want 0 with the warning kept\n%s%s", code, stdout, stderr)
			}
		})
	})
}
