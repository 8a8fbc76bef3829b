package generate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

func readInventory(t testing.TB, name string) *inventory.Inventory {
	t.Helper()
	inv, err := inventory.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func run(t testing.TB, inv *inventory.Inventory, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), inv, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// dirText concatenates every *.tf file of dir as "-- name --" sections.
func dirText(t testing.TB, dir string) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("-- " + e.Name() + " --\n")
		b.Write(data)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testenv.Golden(t, filepath.Join("testdata", "golden", name), got)
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		inv    string
		layout Layout
		edit   func(*inventory.Inventory)
	}{
		{"demo.single.txt", "demo", LayoutSingle, nil},
		{"demo.per-region.txt", "demo", LayoutPerRegion, nil},
		{"demo.per-api.txt", "demo", LayoutPerAPI, nil},
		{"demo.endpoint.txt", "demo", LayoutSingle, func(inv *inventory.Inventory) { inv.Endpoint = "http://127.0.0.1:4566" }},
		{"hostile.single.txt", "hostile", LayoutSingle, nil},
		// API Gateway may return a throttling rate limit alone (botocore's
		// RouteSettings requires no member; the emulator stores what it
		// is sent); the block must still be written, zero included.
		{"ratelimit.single.txt", "ratelimit", LayoutSingle, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := readInventory(t, c.inv)
			if c.edit != nil {
				c.edit(inv)
			}
			dir := t.TempDir()
			run(t, inv, Options{Dir: dir, Layout: c.layout})
			first := dirText(t, dir)
			golden(t, c.name, first)
			for _, f := range filesOf(t, dir) {
				parseFile(t, f)
				wantFormatted(t, f)
			}
			// A second pass over the same inventory must be byte-identical.
			run(t, inv, Options{Dir: dir, Layout: c.layout})
			if second := dirText(t, dir); !bytes.Equal(first, second) {
				t.Errorf("second pass differs:\n%s", testenv.FirstDifference(first, second))
			}
		})
	}
}

// wantFormatted holds a generated file to hclwrite.Format, which is what
// `tofu fmt -check` and `terraform fmt -check` apply.
func wantFormatted(t testing.TB, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f := hclwrite.Format(src); !bytes.Equal(f, src) {
		t.Errorf("%s is not formatted:\n%s", path, testenv.FirstDifference(f, src))
	}
}

func filesOf(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func parseFile(t testing.TB, path string) *hclsyntax.Body {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s does not parse: %s\n%s", path, diags.Error(), src)
	}
	return f.Body.(*hclsyntax.Body)
}

// blocksOf lists "import:<to>" and "resource:<type>.<name>" for a directory.
func blocksOf(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range filesOf(t, dir) {
		for _, b := range parseFile(t, f).Blocks {
			switch b.Type {
			case "import":
				trav, _ := hcl.AbsTraversalForExpr(b.Body.Attributes["to"].Expr)
				out = append(out, "import:"+traversalString(trav))
			case "resource":
				out = append(out, "resource:"+b.Labels[0]+"."+b.Labels[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

func addressesByID(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range filesOf(t, dir) {
		for _, b := range parseFile(t, f).Blocks {
			if b.Type == "import" {
				k, addr, ok := importTarget(b)
				if !ok {
					t.Fatalf("bad import block in %s", f)
				}
				out[k.id] = addr
			}
		}
	}
	return out
}

func TestNamingStableWhenAPIsAddedOrRemoved(t *testing.T) {
	base := readInventory(t, "demo")
	dir := t.TempDir()
	run(t, base, Options{Dir: dir})
	want := addressesByID(t, dir)

	// Another, unrelated API does not move any name in a fresh directory.
	grown := readInventory(t, "demo")
	grown.APIs = append(grown.APIs, inventory.API{Region: "us-east-1", ID: "n3wn3wn3w0", Name: "payments", ProtocolType: "HTTP",
		Stages: []inventory.Stage{{Name: "prod"}}})
	grown.Normalize()
	fresh := t.TempDir()
	run(t, grown, Options{Dir: fresh})
	got := addressesByID(t, fresh)
	for id, addr := range want {
		if got[id] != addr {
			t.Errorf("fresh dir with one more API: %s named %s, want %s", id, got[id], addr)
		}
	}

	// Discovery order does not matter.
	shuffled := readInventory(t, "demo")
	slices.Reverse(shuffled.APIs)
	fresh2 := t.TempDir()
	run(t, shuffled, Options{Dir: fresh2})
	if got := addressesByID(t, fresh2); !mapsEqual(got, want) {
		t.Errorf("reversed discovery order renamed resources:\n got %v\nwant %v", got, want)
	}

	// In the same directory, a newcomer that collides with an existing name
	// gets the suffix; the existing resource keeps its address.
	same := readInventory(t, "demo")
	same.APIs = append(same.APIs, inventory.API{Region: "us-east-1", ID: "c0ll1d3r00", Name: "chat", ProtocolType: "WEBSOCKET",
		RouteSelectionExpression: "$request.body.action"})
	same.Normalize()
	run(t, same, Options{Dir: dir})
	got = addressesByID(t, dir)
	for id, addr := range want {
		if got[id] != addr {
			t.Errorf("existing %s renamed from %s to %s", id, addr, got[id])
		}
	}
	if got["c0ll1d3r00"] != "aws_apigatewayv2_api.chat_c0ll1d3r00" {
		t.Errorf("newcomer named %q, want aws_apigatewayv2_api.chat_c0ll1d3r00", got["c0ll1d3r00"])
	}

	// Removing the API the others once collided with renames nobody.
	shrunk := readInventory(t, "demo")
	shrunk.APIs = slices.DeleteFunc(shrunk.APIs, func(a inventory.API) bool { return a.ID == "e1u2r3o4p5" })
	run(t, shrunk, Options{Dir: dir})
	got = addressesByID(t, dir)
	if got["a1b2c3d4e5"] != want["a1b2c3d4e5"] {
		t.Errorf("after removing its namesake, a1b2c3d4e5 renamed to %s", got["a1b2c3d4e5"])
	}
	if _, ok := got["e1u2r3o4p5"]; ok {
		t.Errorf("removed API still has an import block")
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// fakeState is a StateReader over fixed resources.
type fakeState struct{ resources []*tfjson.StateResource }

func (f fakeState) State(context.Context) (*tfjson.State, error) {
	return &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: f.resources}}}, nil
}

func stateAPI(address, id string) *tfjson.StateResource {
	typ, name, _ := strings.Cut(address, ".")
	return &tfjson.StateResource{Address: address, Mode: tfjson.ManagedResourceMode, Type: typ, Name: name,
		AttributeValues: map[string]any{"id": id}}
}

func stateStage(address, apiID, stage string) *tfjson.StateResource {
	typ, name, _ := strings.Cut(address, ".")
	return &tfjson.StateResource{Address: address, Mode: tfjson.ManagedResourceMode, Type: typ, Name: name,
		AttributeValues: map[string]any{"id": stage, "api_id": apiID, "name": stage}}
}

func TestSkipsResourcesInState(t *testing.T) {
	dir := t.TempDir()
	st := fakeState{[]*tfjson.StateResource{
		stateAPI("aws_apigatewayv2_api.legacy_chat", "z9y8x7w6v5"),
		stateStage("aws_apigatewayv2_stage.legacy_live", "z9y8x7w6v5", "live"),
		stateAPI("aws_apigatewayv2_api.orders", "a1b2c3d4e5"),
	}}
	res := run(t, readInventory(t, "demo"), Options{Dir: dir, State: st})
	wantManaged := []Managed{
		{"aws_apigatewayv2_api.orders", "a1b2c3d4e5", "state"},
		{"aws_apigatewayv2_api.legacy_chat", "z9y8x7w6v5", "state"},
		{"aws_apigatewayv2_stage.legacy_live", "z9y8x7w6v5/live", "state"},
	}
	if !slices.Equal(res.Managed, wantManaged) {
		t.Errorf("Managed = %v, want %v", res.Managed, wantManaged)
	}
	ids := addressesByID(t, dir)
	for _, m := range wantManaged {
		if _, ok := ids[m.ImportID]; ok {
			t.Errorf("%s is in the state but got an import block", m.ImportID)
		}
	}
	// The stages of a state-managed API refer to its state address.
	src, _ := os.ReadFile(filepath.Join(dir, "imports.tf"))
	if !bytes.Contains(src, []byte("api_id        = aws_apigatewayv2_api.orders.id")) {
		t.Errorf("stage of a state-managed API does not reference aws_apigatewayv2_api.orders:\n%s", src)
	}
	if res.APIs != 2 || res.Stages != 3 {
		t.Errorf("wrote %d APIs, %d stages; want 2, 3", res.APIs, res.Stages)
	}
}

func TestSkipsResourcesInConfiguration(t *testing.T) {
	dir := t.TempDir()
	user := `import {
  to = aws_apigatewayv2_api.mine
  id = "z9y8x7w6v5"
}

resource "aws_apigatewayv2_api" "mine" {
  name          = "chat"
  protocol_type = "WEBSOCKET"
}

import {
  to = aws_apigatewayv2_api.orders
  id = "a1b2c3d4e5"
}

import {
  to = module.legacy["eu"].aws_apigatewayv2_stage.live
  id = "z9y8x7w6v5/live"
}

# Taken by something else: generate must not reuse the name.
resource "aws_apigatewayv2_api" "quick" {
  name          = "another"
  protocol_type = "HTTP"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run(t, readInventory(t, "demo"), Options{Dir: dir})
	want := []Managed{
		{"aws_apigatewayv2_api.orders", "a1b2c3d4e5", "main.tf"},
		{"aws_apigatewayv2_api.mine", "z9y8x7w6v5", "main.tf"},
		{`module.legacy["eu"].aws_apigatewayv2_stage.live`, "z9y8x7w6v5/live", "main.tf"},
	}
	if !slices.Equal(res.Managed, want) {
		t.Errorf("Managed = %v, want %v", res.Managed, want)
	}
	ids := addressesByID(t, dir)
	if ids["z9y8x7w6v5"] != "aws_apigatewayv2_api.mine" {
		t.Errorf("chat imported again as %s", ids["z9y8x7w6v5"])
	}
	if got := ids["q1u2i3c4k5"]; got != "aws_apigatewayv2_api.quick_q1u2i3c4k5" {
		t.Errorf("api quick named %s; aws_apigatewayv2_api.quick is taken", got)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "imports.tf"))
	if !bytes.Contains(src, []byte("api_id        = aws_apigatewayv2_api.orders.id")) {
		t.Errorf("stages of an API imported by the user do not reference its address:\n%s", src)
	}
	// A second pass is stable and reports each managed resource once.
	first := dirText(t, dir)
	res = run(t, readInventory(t, "demo"), Options{Dir: dir})
	if !bytes.Equal(first, dirText(t, dir)) {
		t.Error("second pass differs")
	}
	if !slices.Equal(res.Managed, want) {
		t.Errorf("second pass Managed = %v", res.Managed)
	}
}

// After apply, every resource is in the state: a rerun keeps the blocks
// byte for byte (even if the live resource drifted), --prune drops only the
// import blocks.
func TestKeepsAppliedBlocksAndPrunes(t *testing.T) {
	dir := t.TempDir()
	inv := readInventory(t, "demo")
	run(t, inv, Options{Dir: dir})
	before := dirText(t, dir)
	st := allInState(t, dir)
	drifted := readInventory(t, "demo")
	drifted.APIs[0].Description = "changed in the console"
	res := run(t, drifted, Options{Dir: dir, State: st})
	if after := dirText(t, dir); !bytes.Equal(before, after) {
		t.Errorf("rerun after apply changed the files:\n%s", testenv.FirstDifference(before, after))
	}
	if res.APIs != 0 || res.Stages != 0 || len(res.Managed) != len(st.resources) {
		t.Errorf("rerun wrote %d APIs, %d stages, %d managed; want 0, 0, %d", res.APIs, res.Stages, len(res.Managed), len(st.resources))
	}

	res = run(t, drifted, Options{Dir: dir, State: st, Prune: true})
	if len(res.Pruned) != len(st.resources) {
		t.Errorf("pruned %d import blocks, want %d", len(res.Pruned), len(st.resources))
	}
	blocks := blocksOf(t, dir)
	for _, b := range blocks {
		if strings.HasPrefix(b, "import:") {
			t.Errorf("import block left after --prune: %s", b)
		}
	}
	if n := len(blocks); n != len(st.resources) {
		t.Errorf("%d resource blocks after --prune, want %d", n, len(st.resources))
	}
	pruned := dirText(t, dir)
	run(t, drifted, Options{Dir: dir, State: st, Prune: true})
	if !bytes.Equal(pruned, dirText(t, dir)) {
		t.Error("second --prune pass differs")
	}
}

func TestDropsVanishedResourcesUnlessPartial(t *testing.T) {
	dir := t.TempDir()
	run(t, readInventory(t, "demo"), Options{Dir: dir})
	gone := readInventory(t, "demo")
	gone.APIs = slices.DeleteFunc(gone.APIs, func(a inventory.API) bool { return a.ID == "z9y8x7w6v5" })

	partial := readInventory(t, "demo")
	partial.APIs = slices.DeleteFunc(partial.APIs, func(a inventory.API) bool { return a.ID == "z9y8x7w6v5" })
	partial.Errors = []inventory.Error{{Region: "us-east-1", Operation: "GetApis", Message: "throttled"}}
	run(t, partial, Options{Dir: dir})
	if _, ok := addressesByID(t, dir)["z9y8x7w6v5"]; !ok {
		t.Error("partial inventory dropped an API it may simply have missed")
	}

	res := run(t, gone, Options{Dir: dir})
	want := []string{"aws_apigatewayv2_api.chat", "aws_apigatewayv2_stage.chat_live"}
	if !slices.Equal(res.Dropped, want) {
		t.Errorf("Dropped = %v, want %v", res.Dropped, want)
	}
	if _, ok := addressesByID(t, dir)["z9y8x7w6v5"]; ok {
		t.Error("vanished API still imported")
	}
}

func TestProvidersFromExistingConfiguration(t *testing.T) {
	dir := t.TempDir()
	user := `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "ireland"
  region = "eu-west-1"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, readInventory(t, "demo"), Options{Dir: dir})
	if _, err := os.Stat(filepath.Join(dir, providersFile)); !os.IsNotExist(err) {
		t.Errorf("providers.tf written although main.tf declares everything (err %v)", err)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "imports.tf"))
	if !bytes.Contains(src, []byte("provider = aws.ireland")) || bytes.Contains(src, []byte("aws.us_east_1")) {
		t.Errorf("resources do not use the directory's providers:\n%s", src)
	}
}

func TestProvidersTfOfTheUserIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	user := []byte("provider \"aws\" {\n  region = \"us-east-1\"\n}\n")
	if err := os.WriteFile(filepath.Join(dir, providersFile), user, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), readInventory(t, "demo"), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "providers.tf was not written by apigw2tf") {
		t.Fatalf("err = %v, want a refusal naming providers.tf", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, providersFile)); !bytes.Equal(got, user) {
		t.Error("user's providers.tf changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "imports.tf")); !os.IsNotExist(err) {
		t.Error("imports.tf written although the run failed")
	}
}

func TestErrorsLeaveNoPartialFile(t *testing.T) {
	inv := readInventory(t, "demo")
	t.Run("output is a directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "imports.tf"), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), inv, Options{Dir: dir})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Fatalf("err = %q, want one line", err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("temporary file left behind: %s", e.Name())
			}
		}
	})
	t.Run("missing dir", func(t *testing.T) {
		_, err := Run(context.Background(), inv, Options{Dir: filepath.Join(t.TempDir(), "nope")})
		if err == nil || !strings.Contains(err.Error(), "--dir") {
			t.Fatalf("err = %v, want one naming --dir", err)
		}
	})
	t.Run("user file in the way", func(t *testing.T) {
		dir := t.TempDir()
		mine := []byte("# mine\n")
		os.WriteFile(filepath.Join(dir, "imports.tf"), mine, 0o644)
		_, err := Run(context.Background(), inv, Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "not written by apigw2tf") {
			t.Fatalf("err = %v", err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "imports.tf")); !bytes.Equal(got, mine) {
			t.Error("user file overwritten")
		}
	})
	t.Run("unparsable configuration", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource {"), 0o644)
		_, err := Run(context.Background(), inv, Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "main.tf") {
			t.Fatalf("err = %v, want one naming main.tf", err)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		for _, o := range []Options{{Dir: "x", Output: "sub/imports.tf"}, {Dir: "x", Output: "imports.json"}, {Dir: "x", Layout: "flat"}, {}} {
			if _, err := Run(context.Background(), inv, o); err == nil {
				t.Errorf("%+v accepted", o)
			}
		}
	})
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Orders API":   "orders_api",
		"orders-api":   "orders_api",
		"OrdersAPI":    "orders_api",
		"$default":     "default",
		"prod_v2":      "prod_v2",
		"日本語":          "",
		"  --x--  ":    "x",
		"v1.2 (beta)":  "v1_2_beta",
		"camelCaseNow": "camel_case_now",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
	if got := len(snake(strings.Repeat("a", 200))); got != maxNameLen {
		t.Errorf("long name gives %d characters, want %d", got, maxNameLen)
	}
}

// A kept block the user rewrote in a shape the fast scan does not expect (a
// heredoc with a closing brace in column 0, a one-line block) still
// survives a rerun verbatim.
func TestKeepsUserEditsOfOwnFile(t *testing.T) {
	dir := t.TempDir()
	inv := readInventory(t, "demo")
	run(t, inv, Options{Dir: dir})
	path := filepath.Join(dir, "imports.tf")
	src, _ := os.ReadFile(path)
	edited := strings.Replace(string(src), `  description   = "Order intake"`, "  description   = <<-EOT\nOrder\n}\nintake\nEOT", 1)
	edited = strings.Replace(edited, "resource \"aws_apigatewayv2_api\" \"quick\" {\n  name          = \"quick\"\n  protocol_type = \"HTTP\"\n}",
		`resource "aws_apigatewayv2_api" "quick" { name = "quick" }`, 1)
	if edited == string(src) || strings.Count(edited, "EOT") != 2 || !strings.Contains(edited, `{ name = "quick"`) {
		t.Fatal("edits did not apply; the demo fixture changed")
	}
	os.WriteFile(path, []byte(edited), 0o644)
	st := allInState(t, dir)
	run(t, inv, Options{Dir: dir, State: st})
	got, _ := os.ReadFile(path)
	if string(got) != edited {
		t.Errorf("rerun changed the user's edits:\n%s", testenv.FirstDifference([]byte(edited), got))
	}
}

func TestNamesOverrideAPIAndStagePrefix(t *testing.T) {
	inv := readInventory(t, "demo")
	dir := t.TempDir()
	run(t, inv, Options{Dir: dir, Names: map[string]string{"a1b2c3d4e5": "orders", "z9y8x7w6v5": "chat_ws"}})
	got := addressesByID(t, dir)
	for id, want := range map[string]string{
		"a1b2c3d4e5":      "aws_apigatewayv2_api.orders",
		"a1b2c3d4e5/prod": "aws_apigatewayv2_stage.orders_prod",
		"z9y8x7w6v5":      "aws_apigatewayv2_api.chat_ws",
		"z9y8x7w6v5/live": "aws_apigatewayv2_stage.chat_ws_live",
		"e1u2r3o4p5":      "aws_apigatewayv2_api.orders_api", // no longer collides, so no suffix
		"e1u2r3o4p5/prod": "aws_apigatewayv2_stage.orders_api_prod",
	} {
		if got[id] != want {
			t.Errorf("%s is %s, want %s", id, got[id], want)
		}
	}

	// A name already bound in the directory is kept: renaming would move
	// state.
	kept := t.TempDir()
	run(t, inv, Options{Dir: kept})
	before := addressesByID(t, kept)
	run(t, inv, Options{Dir: kept, Names: map[string]string{"a1b2c3d4e5": "orders"}})
	if after := addressesByID(t, kept); !mapsEqual(after, before) {
		t.Errorf("Names renamed bound resources:\n got %v\nwant %v", after, before)
	}
}

func TestNamesValidation(t *testing.T) {
	for _, tc := range []struct {
		names map[string]string
		want  string
	}{
		{map[string]string{"a1b2c3d4e5": "1orders"}, `"1orders" is not a Terraform name`},
		{map[string]string{"a1b2c3d4e5": "my api"}, `"my api" is not a Terraform name`},
		{map[string]string{"": "orders"}, "has no API id"},
		{map[string]string{"a1b2c3d4e5": "orders", "z9y8x7w6v5": "orders"}, "is already the name of API a1b2c3d4e5"},
	} {
		o := Options{Dir: ".", Names: tc.names}
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%v) = %v, want an error containing %q", tc.names, err, tc.want)
		}
	}
}

// An inventory built in code (not read from a file) is held to the same
// rules as one decoded: a duplicated API would become two resource blocks
// for one live API, a made-up region a provider block for it.
func TestRunRejectsInventoryItCannotWrite(t *testing.T) {
	dup := readInventory(t, "demo")
	dup.APIs = append(dup.APIs, dup.APIs[0])
	mars := readInventory(t, "demo")
	mars.Regions = append(mars.Regions, "mars-west-9")
	for name, tc := range map[string]struct {
		inv  *inventory.Inventory
		opts Options
		want string
	}{
		"duplicate api":  {dup, Options{}, "is listed twice"},
		"unknown region": {mars, Options{}, `region "mars-west-9" is not an AWS region`},
		"default region": {readInventory(t, "demo"), Options{DefaultRegion: "mars-1"}, `--default-region "mars-1" is not an AWS region`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tc.opts.Dir = dir
			_, err := Run(context.Background(), tc.inv, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("files written although the run failed: %v", entries)
			}
		})
	}
}

func TestUnusedNamesAreReported(t *testing.T) {
	res := run(t, readInventory(t, "demo"), Options{Dir: t.TempDir(), Names: map[string]string{"a1b2c3d4e5": "orders", "nosuchapi": "foo", "alsonot": "bar"}})
	if want := []string{"alsonot", "nosuchapi"}; !slices.Equal(res.UnusedNames, want) {
		t.Errorf("UnusedNames = %v, want %v", res.UnusedNames, want)
	}
}

// --prune without a state used to do nothing and say nothing.
func TestPruneWithoutStateIsRefused(t *testing.T) {
	dir := t.TempDir()
	run(t, readInventory(t, "demo"), Options{Dir: dir})
	before := dirText(t, dir)
	_, err := Run(context.Background(), readInventory(t, "demo"), Options{Dir: dir, Prune: true})
	if err == nil || !strings.Contains(err.Error(), "--prune") || !strings.Contains(err.Error(), dir+" has no state") {
		t.Fatalf("err = %v, want a refusal naming --prune and the directory", err)
	}
	if after := dirText(t, dir); !bytes.Equal(before, after) {
		t.Error("refused --prune changed the files")
	}
}
