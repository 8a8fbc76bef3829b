package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
)

const demoInventory = "../../generate/testdata/demo.json"

func TestGenerateFromInventory(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(context.Background(), "generate", "--inventory", demoInventory, "--dir", dir, "--layout", "per-region")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"4 APIs, 4 stages, 0 authorizers, 0 integrations and 0 routes to import",
		"wrote " + filepath.Join(dir, "imports.eu-west-1.tf"),
		"wrote " + filepath.Join(dir, "providers.tf"),
		`not imported: stage "$default" of api "quick" (q1u2i3c4k5) in eu-west-1: quick-create stage`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// Output flags (-q, --log-level, --log-format) say nothing about what to
// discover, so generate and audit both take them beside --inventory (issue
// 12: generate once refused -q there while audit took it).
func TestInventoryTakesOutputFlags(t *testing.T) {
	ctx := context.Background()
	output := []string{"-q", "--log-level", "debug", "--log-format", "json"}
	args := append([]string{"generate", "--inventory", demoInventory, "--dir", t.TempDir()}, output...)
	if code, _, stderr := runCLI(ctx, args...); code != exitOK {
		t.Errorf("generate %v: exit %d, stderr %q", output, code, stderr)
	}
	// audit gets as far as the engine, which /bin/false is not.
	args = append([]string{"audit", "--inventory", demoInventory, "--dir", t.TempDir(), "--terraform-bin", "/bin/false", "--format", "json"}, output...)
	if _, _, stderr := runCLI(ctx, args...); strings.Contains(stderr, "cannot be combined") {
		t.Errorf("audit %v: %s", output, stderr)
	}
	for _, cmd := range []string{"generate", "audit"} {
		code, _, stderr := runCLI(ctx, cmd, "--inventory", demoInventory, "--dir", t.TempDir(), "-q", "--region", "us-east-1")
		if want := "--inventory cannot be combined with discover flags (--region); drop one or the other"; code != exitError || !strings.Contains(stderr, want) {
			t.Errorf("%s --region: exit %d, stderr %q, want %q", cmd, code, stderr, want)
		}
	}
}

// Every failure is one line on stderr, exit 1, and leaves no file behind.
func TestGenerateErrors(t *testing.T) {
	tmp := t.TempDir()
	wrongSchema := filepath.Join(tmp, "old.json")
	os.WriteFile(wrongSchema, []byte(`{"schema": "apigw2tf.inventory/v0"}`), 0o644)
	notJSON := filepath.Join(tmp, "notjson.json")
	os.WriteFile(notJSON, []byte("apis: []"), 0o644)
	blocked := t.TempDir()
	os.Mkdir(filepath.Join(blocked, "imports.tf"), 0o755)
	demo, err := os.ReadFile(demoInventory)
	if err != nil {
		t.Fatal(err)
	}
	mars := filepath.Join(tmp, "mars.json")
	os.WriteFile(mars, []byte(strings.Replace(string(demo), `"region": "us-east-1", "id": "a1b2c3d4e5"`, `"region": "mars-west-9", "id": "a1b2c3d4e5"`, 1)), 0o644)
	dup := filepath.Join(tmp, "dup.json")
	first := strings.Index(string(demo), "    {\n      \"region\"")
	second := strings.Index(string(demo), "    {\n      \"region\": \"us-east-1\", \"id\": \"z9y8x7w6v5\"")
	if first < 0 || second < 0 {
		t.Fatal("demo inventory changed shape; fix the duplicate-entry case")
	}
	os.WriteFile(dup, []byte(string(demo[:second])+string(demo[first:second])+string(demo[second:])), 0o644)
	cases := []struct {
		name string
		dir  string
		args []string
		want string
	}{
		{"missing inventory", "", []string{"--inventory", filepath.Join(tmp, "nope.json")}, "nope.json"},
		{"unreadable inventory", "", []string{"--inventory", tmp}, tmp},
		{"wrong schema", "", []string{"--inventory", wrongSchema}, `schema "apigw2tf.inventory/v0"`},
		{"not JSON", "", []string{"--inventory", notJSON}, "not valid JSON"},
		{"missing dir", filepath.Join(tmp, "absent"), []string{"--inventory", demoInventory}, "--dir"},
		{"unwritable output", blocked, []string{"--inventory", demoInventory}, "imports.tf"},
		{"inventory and discover flags", "", []string{"--inventory", demoInventory, "--region", "us-east-1"}, "--region"},
		{"bad layout", "", []string{"--inventory", demoInventory, "--layout", "flat"}, "--layout"},
		{"bad output", "", []string{"--inventory", demoInventory, "-o", "x/imports.tf"}, "--output"},
		{"unknown region in inventory", "", []string{"--inventory", mars}, `inventory ` + mars + `: api a1b2c3d4e5 has region "mars-west-9"`},
		{"unknown default region", "", []string{"--inventory", demoInventory, "--default-region", "mars-1"}, `--default-region "mars-1" is not an AWS region`},
		{"duplicated api", "", []string{"--inventory", dup}, `inventory ` + dup + `: api a1b2c3d4e5 in us-east-1 is listed twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := c.dir
			if dir == "" {
				dir = t.TempDir()
			}
			code, _, stderr := runCLI(context.Background(), append([]string{"generate", "--dir", dir}, c.args...)...)
			if code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			if lines := strings.Count(stderr, "\n"); lines != 1 || !strings.HasPrefix(stderr, "apigw2tf: ") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr = %q, want one line mentioning %q", stderr, c.want)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "imports.tf" || c.dir != blocked {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

// A name override for an id the inventory lacks is most likely a typo: it
// is named on stderr, and the rest is generated.
func TestGenerateWarnsOfUnusedName(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(context.Background(), "generate", "--inventory", demoInventory, "--dir", dir,
		"--name", "unknownid=foo", "--name", "a1b2c3d4e5=orders")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	want := "warning: name override unknownid=foo (--name or generate.names) is unused: the inventory has no API unknownid; check the id\n"
	if stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	if !strings.Contains(stdout, "4 APIs, 4 stages, 0 authorizers, 0 integrations and 0 routes to import") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// TestGenerateThenVerify runs the commands as a user does, discovering first
// from the demo account, on each engine: a clean import plan exits 0; a
// hand edit the provider diffs exits 2 and names the attribute.
func TestGenerateThenVerify(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		env := demoEmulator(t)
		dir := t.TempDir()
		ctx := context.Background()
		code, stdout, stderr := runCLI(ctx, "generate", "--endpoint-url", env.URL, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q", "--dir", dir)
		if code != exitOK {
			t.Fatalf("generate: exit %d\n%s%s", code, stdout, stderr)
		}
		code, stdout, stderr = runCLI(ctx, "verify", "--dir", dir, "--terraform-bin", eng.Bin)
		if code != exitOK || !strings.HasSuffix(stdout, " to import, 0 to add, 0 to change, 0 to destroy\n") {
			t.Fatalf("verify: exit %d\n%s%s", code, stdout, stderr)
		}

		// verify initialised the directory, so generate now reads its
		// (empty) state through the engine; the output does not move.
		path := filepath.Join(dir, "imports.tf")
		src, _ := os.ReadFile(path)
		code, stdout, stderr = runCLI(ctx, "generate", "--endpoint-url", env.URL, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q", "--dir", dir, "--terraform-bin", eng.Bin)
		if again, _ := os.ReadFile(path); code != exitOK || string(again) != string(src) {
			t.Fatalf("generate in an initialised directory: exit %d, output changed: %v\n%s%s", code, string(again) != string(src), stdout, stderr)
		}
		edited := strings.Replace(string(src), `  auto_deploy = true`, "  auto_deploy = true\n  deployment_id = \"pinned\"", 1)
		if edited == string(src) {
			t.Fatal("no auto_deploy stage in the demo account to edit")
		}
		os.WriteFile(path, []byte(edited), 0o644)
		code, stdout, stderr = runCLI(ctx, "verify", "--dir", dir, "--terraform-bin", eng.Bin)
		if code != exitDrift || !strings.Contains(stdout, "1 to change") || !strings.Contains(stdout, `-> "pinned"`) || !strings.Contains(stdout, "#13633") {
			t.Errorf("verify after an edit: exit %d\n%s%s", code, stdout, stderr)
		}
	})
}

// TestGenerateConfigFile takes dir, layout, output and names from the file
// (paths relative to it), and lets flags override each.
func TestGenerateConfigFile(t *testing.T) {
	root := t.TempDir()
	infra := filepath.Join(root, "infra")
	if err := os.Mkdir(infra, 0o755); err != nil {
		t.Fatal(err)
	}
	// Two accounts are no obstacle: a saved inventory needs none.
	cfg := writeFile(t, root, "apigw2tf.yaml", `version: 1
accounts:
  - {name: a, profile: a, regions: [us-east-1]}
  - {name: b, profile: b, regions: [us-east-1]}
generate:
  dir: infra
  layout: per-region
  output: apigw.tf
  names: {a1b2c3d4e5: orders, z9y8x7w6v5: chat_ws}
`)
	ctx := context.Background()
	code, stdout, stderr := runCLI(ctx, "generate", "-c", cfg, "--inventory", demoInventory)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+filepath.Join(infra, "apigw.eu-west-1.tf")) {
		t.Errorf("dir, layout and output not taken from the file:\n%s", stdout)
	}
	text := dirText(t, infra)
	for _, want := range []string{"aws_apigatewayv2_api.orders\n", "aws_apigatewayv2_stage.orders_prod\n", "aws_apigatewayv2_api.chat_ws\n"} {
		if !strings.Contains(text, "to = "+want) {
			t.Errorf("generate.names not applied: no import to %s", want)
		}
	}

	other := t.TempDir()
	code, stdout, stderr = runCLI(ctx, "generate", "-c", cfg, "--inventory", demoInventory,
		"--dir", other, "--layout", "single", "--name", "a1b2c3d4e5=orders_v2")
	if code != exitOK {
		t.Fatalf("flags over the file: exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+filepath.Join(other, "apigw.tf")) {
		t.Errorf("--dir and --layout do not override the file:\n%s", stdout)
	}
	text = dirText(t, other)
	for _, want := range []string{"aws_apigatewayv2_api.orders_v2\n", "aws_apigatewayv2_api.chat_ws\n"} {
		if !strings.Contains(text, "to = "+want) {
			t.Errorf("--name merged with generate.names: no import to %s", want)
		}
	}

	for _, tc := range []struct{ name, want string }{
		{"orders", `--name "orders" must be apiId=name`},
		{"a1b2c3d4e5=1orders", `"1orders" is not a Terraform name`},
		{"a1b2c3d4e5=chat_ws", `"chat_ws" is already the name of API`},
	} {
		if code, _, stderr := runCLI(ctx, "generate", "-c", cfg, "--inventory", demoInventory, "--dir", t.TempDir(), "--name", tc.name); code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("--name %s: exit %d, stderr %q, want %q", tc.name, code, stderr, tc.want)
		}
	}
}

// dirText concatenates the *.tf files of dir, with runs of spaces (the
// alignment of attributes) folded into one.
func dirText(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data...)
	}
	return regexp.MustCompile(` +`).ReplaceAllString(string(out), " ")
}

// TestPrintGeneratePruneOneLinePerResource: --prune reports each resource
// once, saying both that it is in the state and that its import block went.
func TestPrintGeneratePruneOneLinePerResource(t *testing.T) {
	var out bytes.Buffer
	printGenerate(streams{out: &out}, &generate.Result{
		Managed: []generate.Managed{
			{Address: "aws_apigatewayv2_api.payments", ImportID: "pay7h2k9q1", Source: "state"},
			{Address: "aws_apigatewayv2_stage.payments_prod", ImportID: "pay7h2k9q1/prod", Source: "state"},
			{Address: "aws_apigatewayv2_api.orders", ImportID: "ord3r5x8m2", Source: "imports.tf"},
		},
		Pruned: []string{"aws_apigatewayv2_api.payments", "aws_apigatewayv2_stage.payments_prod"},
	})
	want := `0 APIs, 0 stages, 0 authorizers, 0 integrations and 0 routes to import
pruned import block of aws_apigatewayv2_api.payments (pay7h2k9q1): in the state
pruned import block of aws_apigatewayv2_stage.payments_prod (pay7h2k9q1/prod): in the state
already managed: aws_apigatewayv2_api.orders (ord3r5x8m2) by an import block in imports.tf
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
