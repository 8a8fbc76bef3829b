package engine_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// pullConfig has what a pulled state must render as show -json does:
// counted and keyed instances, nested keyed modules, a data resource, a
// dependency and (after taint) a tainted object. terraform_data needs no
// provider download.
var pullConfig = map[string]string{
	"main.tf": `resource "terraform_data" "plain" {
  input = "x"
}
resource "terraform_data" "counted" {
  count = 2
  input = count.index
}
resource "terraform_data" "keyed" {
  for_each = toset(["a", "b-c", "d.e/f:g"])
  input    = each.key
}
resource "terraform_data" "after" {
  input      = terraform_data.plain.id
  depends_on = [terraform_data.counted]
}
module "child" {
  source   = "./child"
  for_each = toset(["k1", "k2"])
}
`,
	"child/main.tf": `resource "terraform_data" "inner" {
  input = 1
}
data "terraform_remote_state" "none" {
  backend = "local"
  config  = { path = "other.tfstate" }
}
module "grand" {
  source = "../grand"
}
`,
	"other.tfstate": `{"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "x", "outputs": {}, "resources": []}`,
	"grand/main.tf": `resource "terraform_data" "leaf" {
  input = [1, 2]
}
`,
}

// TestPulledStateIsShowJSON proves on every engine that PulledState and
// LocalState read a state as show -json renders it (apart from sensitive
// marks), without falling back, and that PulledState through WithInit
// reads a fresh checkout without writing into it.
func TestPulledStateIsShowJSON(t *testing.T) {
	engines := e2e.EngineBinaries(t)
	rc := filepath.Join(t.TempDir(), "terraformrc") // terraform_data needs no provider installation
	os.WriteFile(rc, nil, 0o644)
	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	engines = append(engines, e2e.MigrateEngines(t)[1:]...)
	for _, eng := range engines {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			for name, src := range pullConfig {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r, err := engine.Open(ctx, dir, eng.Bin)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.TF.Apply(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.TF.Taint(ctx, "terraform_data.plain"); err != nil {
				t.Fatal(err)
			}
			raw, err := r.TF.StatePull(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := engine.DecodePulled([]byte(raw)); !ok {
				t.Fatalf("the pulled state fell back to show -json:\n%s", raw)
			}
			want, err := r.State(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.PulledState(ctx)
			if err != nil {
				t.Fatal(err)
			}
			compareStates(t, flatten(got.Values.RootModule, ""), flatten(want.Values.RootModule, ""))
			local, ok := engine.LocalState(ctx, dir)
			if !ok {
				t.Fatal("LocalState left the directory's own terraform.tfstate to the engine")
			}
			compareStates(t, flatten(local.Values.RootModule, ""), flatten(want.Values.RootModule, ""))

			// A fresh checkout of the directory: no .terraform/, a local state.
			if err := os.RemoveAll(filepath.Join(dir, ".terraform")); err != nil {
				t.Fatal(err)
			}
			fresh, err := engine.Open(ctx, dir, eng.Bin)
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			// Its modules are not installed, which state pull needs too.
			err = engine.WithInit(ctx, fresh, dir, false, func() error {
				var err error
				got, err = fresh.PulledState(ctx)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			compareStates(t, flatten(got.Values.RootModule, ""), flatten(want.Values.RootModule, ""))
			if _, err := os.Stat(filepath.Join(dir, ".terraform")); err == nil {
				t.Error("reading the state of a fresh checkout made .terraform/ in it")
			}
		})
	}
}

// flatten lists every resource of the tree by address, each under the
// address of the module that holds it.
func flatten(m *tfjson.StateModule, parent string) map[string]tfjson.StateResource {
	out := map[string]tfjson.StateResource{}
	for _, r := range m.Resources {
		c := *r
		c.SensitiveValues = nil // show -json's marks; PulledState has none
		c.AttributeValues = unwrapDynamic(c.Type, c.AttributeValues)
		out[m.Address+" "+r.Address] = c
	}
	for _, c := range m.ChildModules {
		if c.Address == "" || parent != "" && len(c.Address) <= len(parent) {
			out["bad child module "+c.Address+" of "+parent] = tfjson.StateResource{}
		}
		for k, v := range flatten(c, c.Address) {
			out[k] = v
		}
	}
	return out
}

// dynamic are the attributes of dynamic type in the test's configuration.
// The state file wraps their values as {"type": …, "value": …}, which only
// the schema tells from an object with those keys, so PulledState keeps the
// wrapper (apigw2tf's resources, on the plugin SDK, have no such
// attribute); the comparison takes it off.
var dynamic = map[string][]string{
	"terraform_data":         {"input", "output", "triggers_replace"},
	"terraform_remote_state": {"config", "defaults", "outputs"},
}

func unwrapDynamic(typ string, v map[string]any) map[string]any {
	out := maps.Clone(v)
	for _, a := range dynamic[typ] {
		if w, ok := out[a].(map[string]any); ok && len(w) == 2 && w["type"] != nil {
			out[a] = w["value"]
		}
	}
	return out
}

func compareStates(t *testing.T, got, want map[string]tfjson.StateResource) {
	t.Helper()
	if len(want) < 12 {
		t.Fatalf("show -json listed %d resources, want at least 12: the configuration did not apply", len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("PulledState lacks %s", k)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %#v\nwant %#v", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("PulledState has %s, which show -json does not", k)
		}
	}
}
