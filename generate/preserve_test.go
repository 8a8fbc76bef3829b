package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// allInState is a state holding every resource the directory imports, at
// the addresses its import blocks name: the directory after apply.
func allInState(t testing.TB, dir string) fakeState {
	t.Helper()
	var st fakeState
	for id, addr := range addressesByID(t, dir) {
		if api, stage, ok := strings.Cut(id, "/"); ok {
			st.resources = append(st.resources, stateStage(addr, api, stage))
		} else {
			st.resources = append(st.resources, stateAPI(addr, id))
		}
	}
	return st
}

func edit(t testing.TB, path, old, new string) string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), old) {
		t.Fatalf("%s lacks %q; the demo fixture changed", path, old)
	}
	out := strings.ReplaceAll(string(src), old, new)
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

const movedStaging = `moved {
  from = aws_apigatewayv2_stage.chat_live
  to   = aws_apigatewayv2_stage.staging
}
`

// A stage renamed after apply, with a moved block in our file or in one of
// its own: the state still holds the old address, and the renamed block is
// neither dropped nor written again under the old name.
func TestKeepsPendingRename(t *testing.T) {
	for _, where := range []string{"imports.tf", "moves.tf"} {
		t.Run(where, func(t *testing.T) {
			dir := t.TempDir()
			inv := readInventory(t, "demo")
			run(t, inv, Options{Dir: dir})
			st := allInState(t, dir)
			path := filepath.Join(dir, "imports.tf")
			edit(t, path, "aws_apigatewayv2_stage.chat_live", "aws_apigatewayv2_stage.staging")
			edit(t, path, `resource "aws_apigatewayv2_stage" "chat_live"`, `resource "aws_apigatewayv2_stage" "staging"`)
			if where == "imports.tf" {
				src, _ := os.ReadFile(path)
				os.WriteFile(path, append(src, "\n"+movedStaging...), 0o644)
			} else {
				os.WriteFile(filepath.Join(dir, where), []byte(movedStaging), 0o644)
			}
			before := dirText(t, dir)

			res := run(t, inv, Options{Dir: dir, State: st})
			if len(res.Dropped) != 0 || res.APIs != 0 || res.Stages != 0 {
				t.Errorf("Dropped %v, wrote %d APIs and %d stages; want nothing", res.Dropped, res.APIs, res.Stages)
			}
			if !slices.Contains(res.Managed, Managed{"aws_apigatewayv2_stage.staging", "z9y8x7w6v5/live", "state"}) {
				t.Errorf("renamed stage not reported managed at its new address: %v", res.Managed)
			}
			after := dirText(t, dir)
			if !bytes.Equal(before, after) {
				t.Errorf("rerun changed the directory:\n%s", testenv.FirstDifference(before, after))
			}
			if !bytes.Contains(after, []byte(movedStaging)) {
				t.Error("moved block lost")
			}

			// Once the move is applied the state has the new address; the
			// moved block still stays.
			for _, r := range st.resources {
				if r.Address == "aws_apigatewayv2_stage.chat_live" {
					r.Address, r.Name = "aws_apigatewayv2_stage.staging", "staging"
				}
			}
			run(t, inv, Options{Dir: dir, State: st})
			if again := dirText(t, dir); !bytes.Equal(before, again) {
				t.Errorf("rerun after the move changed the directory:\n%s", testenv.FirstDifference(before, again))
			}
		})
	}
}

// Blocks generate does not write, added by a user to our file, are kept
// verbatim whether or not anything is in the state.
func TestKeepsForeignBlocksInOwnFile(t *testing.T) {
	dir := t.TempDir()
	inv := readInventory(t, "demo")
	run(t, inv, Options{Dir: dir})
	path := filepath.Join(dir, "imports.tf")
	src, _ := os.ReadFile(path)
	foreign := `# Access logs for every stage.
resource "aws_s3_bucket" "logs" {
  bucket = "orders-logs" # the team's bucket
}

import {
  to = aws_s3_bucket.logs
  id = "orders-logs"
}

locals {
  team = "orders"
}

output "chat_api" {
  value = aws_apigatewayv2_api.chat.id
}
`
	os.WriteFile(path, append(src, "\n"+foreign...), 0o644)
	res := run(t, inv, Options{Dir: dir})
	if len(res.Dropped) != 0 {
		t.Errorf("Dropped = %v", res.Dropped)
	}
	got, _ := os.ReadFile(path)
	if !bytes.HasSuffix(got, []byte("\n"+foreign)) {
		t.Errorf("foreign blocks not kept verbatim:\n%s", got)
	}
	// The user's resource takes its name from generate's choices.
	if ids := addressesByID(t, dir); ids["orders-logs"] != "aws_s3_bucket.logs" {
		t.Errorf("user's import block lost: %v", ids)
	}
	first := dirText(t, dir)
	run(t, inv, Options{Dir: dir, State: allInState(t, dir)})
	if second := dirText(t, dir); !bytes.Equal(first, second) {
		t.Errorf("second pass differs:\n%s", testenv.FirstDifference(first, second))
	}
}

// Comments a user writes on a block in the state stay with it: above the
// import block, above the resource block, and inside it.
func TestKeepsCommentsOnKeptBlocks(t *testing.T) {
	dir := t.TempDir()
	inv := readInventory(t, "demo")
	run(t, inv, Options{Dir: dir})
	st := allInState(t, dir)
	path := filepath.Join(dir, "imports.tf")
	edit(t, path, "import {\n  to = aws_apigatewayv2_api.quick\n", "# Adopted 2026-11; ticket OPS-1.\nimport {\n  to = aws_apigatewayv2_api.quick\n")
	want := edit(t, path, "resource \"aws_apigatewayv2_api\" \"quick\" {\n", "// Owned by the payments team.\n# Do not delete.\nresource \"aws_apigatewayv2_api\" \"quick\" {\n  # Keep: customers call it.\n  lifecycle {\n    prevent_destroy = true\n  }\n")
	run(t, inv, Options{Dir: dir, State: st})
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("rerun lost the user's comments:\n%s", testenv.FirstDifference([]byte(want), got))
	}
	res := run(t, inv, Options{Dir: dir, State: st, Prune: true})
	got, _ := os.ReadFile(path)
	if len(res.Pruned) == 0 || !strings.Contains(string(got), "// Owned by the payments team.\n# Do not delete.\nresource \"aws_apigatewayv2_api\" \"quick\" {\n  # Keep: customers call it.\n  lifecycle {") {
		t.Errorf("--prune lost the comments of the resource block:\n%s", got)
	}
}

// Temporary files of an interrupted write (atomicfile names them
// .<name>.tmp-*) and other hidden files are not configuration: the engines
// skip them, and so does generate, whatever they hold.
func TestIgnoresHiddenAndTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	inv := readInventory(t, "demo")
	run(t, inv, Options{Dir: dir})
	src, _ := os.ReadFile(filepath.Join(dir, "imports.tf"))
	torn := src[:len(src)/2]
	stale := map[string][]byte{
		".imports.tf.tmp-2718281828": torn,
		".imports.tmp-31415.tf":      torn,
		".#imports.tf":               []byte("resource {"),
		"imports.tf~":                torn,
	}
	for name, data := range stale {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	before := dirText(t, dir)
	run(t, inv, Options{Dir: dir})
	if after := dirText(t, dir); !bytes.Equal(before, after) {
		t.Errorf("rerun changed the directory:\n%s", testenv.FirstDifference(before, after))
	}
	for name, data := range stale {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s changed or removed (%v)", name, err)
		}
	}
}
