package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestGenerateReadsStateOfFreshCheckout is a directory after adoption, with
// a block in the state edited by hand, as a fresh clone has it: no
// .terraform/. generate must read the state (initialising read-only into a
// temporary data directory), keep the edits byte for byte and write nothing
// else; --prune must work there too. Local state on every engine; an S3
// backend (gofakes3) on tofu only, because Terraform 1.5.7's s3 backend
// takes older argument names (endpoint, force_path_style).
func TestGenerateReadsStateOfFreshCheckout(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		t.Run("local state", func(t *testing.T) { freshCheckout(t, eng, "") })
		if eng.Name != "tofu" {
			return
		}
		t.Run("s3 backend", func(t *testing.T) {
			be := s3mem.New()
			if err := be.CreateBucket("tfstate"); err != nil {
				t.Fatal(err)
			}
			s3 := httptest.NewServer(gofakes3.New(be).Server())
			t.Cleanup(s3.Close)
			freshCheckout(t, eng, s3BackendHCL(s3.URL))
		})
	})
}

func s3BackendHCL(endpoint string) string {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("terraform", nil).Body().AppendNewBlock("backend", []string{"s3"}).Body()
	b.SetAttributeValue("bucket", cty.StringVal("tfstate"))
	b.SetAttributeValue("key", cty.StringVal("adopt/terraform.tfstate"))
	b.SetAttributeValue("region", cty.StringVal(e2e.Region))
	b.SetAttributeValue("endpoints", cty.ObjectVal(map[string]cty.Value{"s3": cty.StringVal(endpoint)}))
	b.SetAttributeValue("use_path_style", cty.True)
	b.SetAttributeValue("access_key", cty.StringVal(e2e.AccessKey))
	b.SetAttributeValue("secret_key", cty.StringVal(e2e.SecretKey))
	for _, k := range []string{"skip_credentials_validation", "skip_requesting_account_id", "skip_region_validation", "skip_metadata_api_check"} {
		b.SetAttributeValue(k, cty.True)
	}
	return string(hclwrite.Format(f.Bytes()))
}

func freshCheckout(t *testing.T, eng e2e.Engine, backend string) {
	ctx := context.Background()
	env := demoEmulator(t)
	dir := t.TempDir()
	inv := filepath.Join(t.TempDir(), "inventory.json")
	if code, stdout, stderr := runCLI(ctx, "discover", "--endpoint-url", env.URL, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q", "-o", inv); code != exitOK {
		t.Fatalf("discover: exit %d\n%s%s", code, stdout, stderr)
	}
	r := env.Runner(t, eng, dir)
	if backend != "" {
		writeFile(t, dir, "backend.tf", backend)
		if err := r.Init(ctx); err != nil {
			t.Fatal(err)
		}
	}
	generateOK := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := runCLI(ctx, append([]string{"generate", "--inventory", inv, "--dir", dir, "--terraform-bin", eng.Bin}, args...)...)
		if code != exitOK {
			t.Fatalf("generate %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		return stdout
	}
	generateOK()
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); (err == nil) != (backend == "") {
		t.Fatalf("local state file present: %v; want it only without a backend", err == nil)
	}

	path := filepath.Join(dir, "imports.tf")
	src, _ := os.ReadFile(path)
	header := regexp.MustCompile(`(?m)^resource "aws_apigatewayv2_stage" "[a-z_]+" \{\n`).Find(src)
	if header == nil {
		t.Fatalf("no stage resource block in:\n%s", src)
	}
	edited := strings.Replace(string(src), string(header),
		"# Payments production: adopted, do not recreate.\n"+string(header)+"  lifecycle {\n    prevent_destroy = true\n  }\n", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	if err := os.RemoveAll(filepath.Join(dir, ".terraform")); err != nil {
		t.Fatal(err)
	}
	before := testenv.Tree(t, dir)

	stdout := generateOK()
	if !strings.Contains(stdout, "0 APIs, 0 stages, 0 authorizers, 0 integrations and 0 routes to import") || !strings.Contains(stdout, "already managed: ") {
		t.Errorf("generate in the fresh checkout did not find the state:\n%s", stdout)
	}
	if d := testenv.TreeDiff(before, testenv.Tree(t, dir)); d != "" {
		t.Errorf("generate in the fresh checkout changed the directory: %s", d)
	}

	stdout = generateOK("--prune")
	got, _ := os.ReadFile(path)
	if !strings.Contains(stdout, "pruned import block of ") || bytes.Contains(got, []byte("import {")) {
		t.Errorf("--prune in the fresh checkout left import blocks:\n%s\n%s", stdout, got)
	}
	if !bytes.Contains(got, []byte("# Payments production: adopted, do not recreate.\n"+string(header)+"  lifecycle {\n    prevent_destroy = true\n  }\n")) {
		t.Errorf("--prune lost the hand edits:\n%s", got)
	}
	after := testenv.Tree(t, dir)
	delete(after, "imports.tf")
	delete(before, "imports.tf")
	if d := testenv.TreeDiff(before, after); d != "" {
		t.Errorf("--prune changed more than imports.tf: %s", d)
	}

	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := generate.Verify(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary() != "0 to import, 0 to add, 0 to change, 0 to destroy" || !rep.Pass() {
		t.Errorf("plan after the fresh-checkout runs: %s", rep.Summary())
	}
}

// demoEmulator serves the demo account and points this process's engines
// at it.
func demoEmulator(t *testing.T) *e2e.Env {
	t.Helper()
	seed := emutest.Seed(t, "demo.yaml")
	env := e2e.StartEmulator(t, emulator.Options{Seed: seed})
	env.Setenv(t)
	return env
}

// TestGenerateKeepsPendingRename renames an adopted stage with a moved
// block, in imports.tf and, separately, in a file of its own, and runs
// generate again: the renamed block and the moved block stay, and the plan
// destroys nothing.
func TestGenerateKeepsPendingRename(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		for _, where := range []string{"imports.tf", "moves.tf"} {
			t.Run(where, func(t *testing.T) { pendingRename(t, eng, where) })
		}
	})
}

func pendingRename(t *testing.T, eng e2e.Engine, where string) {
	ctx := context.Background()
	env := demoEmulator(t)
	dir := t.TempDir()
	args := []string{"generate", "--endpoint-url", env.URL, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q", "--dir", dir, "--terraform-bin", eng.Bin}
	if code, stdout, stderr := runCLI(ctx, args...); code != exitOK {
		t.Fatalf("generate: exit %d\n%s%s", code, stdout, stderr)
	}
	r := env.Runner(t, eng, dir)
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}

	path := filepath.Join(dir, "imports.tf")
	src, _ := os.ReadFile(path)
	m := regexp.MustCompile(`(?m)^resource "aws_apigatewayv2_stage" "([a-z_]+)" \{\n`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("no stage resource block in:\n%s", src)
	}
	old := string(m[1])
	renamed := strings.ReplaceAll(string(src), "aws_apigatewayv2_stage."+old+"\n", "aws_apigatewayv2_stage.staging\n")
	renamed = strings.Replace(renamed, `resource "aws_apigatewayv2_stage" "`+old+`"`, `resource "aws_apigatewayv2_stage" "staging"`, 1)
	f := hclwrite.NewEmptyFile()
	mb := f.Body().AppendNewBlock("moved", nil).Body()
	mb.SetAttributeTraversal("from", traversal("aws_apigatewayv2_stage", old))
	mb.SetAttributeTraversal("to", traversal("aws_apigatewayv2_stage", "staging"))
	moved := string(hclwrite.Format(f.Bytes()))
	if where == "imports.tf" {
		renamed += "\n" + moved
	} else {
		writeFile(t, dir, where, moved)
	}
	os.WriteFile(path, []byte(renamed), 0o644)
	noDestroy := func(when string) {
		t.Helper()
		rep, err := generate.Verify(ctx, r)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if rep.Destroy != 0 || rep.Add != 0 || rep.Change != 0 {
			t.Fatalf("%s: plan %s", when, rep.Summary())
		}
	}
	noDestroy("after the rename")
	before := testenv.Tree(t, dir)

	code, stdout, stderr := runCLI(ctx, args...)
	if code != exitOK || strings.Contains(stdout, "dropped") || !strings.Contains(stdout, "already managed: aws_apigatewayv2_stage.staging ") {
		t.Fatalf("generate after the rename: exit %d\n%s%s", code, stdout, stderr)
	}
	after := testenv.Tree(t, dir)
	for _, name := range []string{"imports.tf", where} {
		if before[name] != after[name] {
			t.Errorf("generate changed %s:\n%s", name, after[name])
		}
	}
	noDestroy("after generate")
}

func traversal(typ, name string) hcl.Traversal {
	return hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}}
}
