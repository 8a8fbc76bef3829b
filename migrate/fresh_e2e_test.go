package migrate_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// TestMigrateInFreshCheckout runs migrate --write and migrate verify in
// fresh checkouts (no .terraform/, a committed lock file, state in S3, a
// user's comment and hand-added attribute on a resource that moves, a
// user's rename not applied yet on one that stays):
// they read the states and plan through read-only inits in temporary
// copies, so nothing but the files migrate writes changes, no .terraform/
// appears and the lock file keeps its bytes; verify still passes.
func TestMigrateInFreshCheckout(t *testing.T) {
	for _, eng := range e2e.MigrateEngines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			env := e2e.StartEmulator(t, emulator.Options{})
			account(t, env)
			w := &world{t: t, eng: eng, env: env, s3: startS3(t), root: t.TempDir()}
			w.adopt() // terraformer's names, a user's comment and hand-added attribute
			// A rename of the API that stays, not applied yet: its moved
			// block and the renamed blocks must come through untouched.
			imports := filepath.Join(w.dir("all"), "imports.tf")
			src, err := os.ReadFile(imports)
			if err != nil {
				t.Fatal(err)
			}
			write(t, imports, regexp.MustCompile(`tfer--users\b`).ReplaceAllString(string(src), "users_api"))
			write(t, filepath.Join(w.dir("all"), "moves.tf"), "# identity renamed its API\nmoved {\n  from = aws_apigatewayv2_api.tfer--users\n  to   = aws_apigatewayv2_api.users_api\n}\n")
			w.newDir("payments")
			if _, err := os.Stat(filepath.Join(w.dir("all"), ".terraform.lock.hcl")); err != nil {
				t.Fatalf("the adopted directory has no lock file to keep: %v", err)
			}
			for _, d := range []string{"all", "payments"} {
				if err := os.RemoveAll(filepath.Join(w.dir(d), ".terraform")); err != nil {
					t.Fatal(err)
				}
			}
			before := testenv.Tree(t, w.root)
			objs := w.s3.objects(t)
			ctx := context.Background()
			moves := []migrate.Move{{From: w.dir("all"), To: w.dir("payments"), Select: migrate.Selector{Tags: map[string]string{"team": "payments"}}}}
			ev := engineVersion(t, w.runner(t.TempDir()))
			res, err := migrate.Run(ctx, migrate.Options{Moves: moves, Engine: ev, Open: w.open, Write: true})
			if err != nil {
				t.Fatalf("migrate --write: %v", err)
			}
			if len(res.Steps) != 5 { // orders and its two stages, the hostile API and its stage
				t.Errorf("moved %d resources, want 5: %+v", len(res.Steps), res.Steps)
			}
			after := testenv.Tree(t, w.root)
			for _, p := range res.Files {
				rel, _ := filepath.Rel(w.root, p)
				if after[rel] == before[rel] {
					t.Errorf("%s is listed as written but did not change", rel)
				}
				delete(after, rel)
				delete(before, rel)
			}
			if d := testenv.TreeDiff(before, after); d != "" {
				t.Fatalf("migrate --write changed more than its files: %s", d)
			}
			moved, _ := os.ReadFile(filepath.Join(w.dir("payments"), migrate.OwnFile))
			if !bytes.Contains(moved, []byte("# Orders belongs to payments")) || !bytes.Contains(moved, []byte("auto_deploy = false # hand-added")) {
				t.Errorf("the split lost the user's comment or attribute:\n%s", moved)
			}
			written := testenv.Tree(t, w.root)
			rep, err := migrate.Verify(ctx, moves, w.open)
			if err != nil {
				t.Fatalf("migrate verify: %v", err)
			}
			if !rep.Pass() || rep.Forgets != 5 || rep.Imports != 5 || rep.Moves != 1 {
				t.Fatalf("migrate verify: pass %v, %d forgets, %d imports, %d moves; want a pass with 5, 5 and the user's 1: %+v", rep.Pass(), rep.Forgets, rep.Imports, rep.Moves, rep.Violations)
			}
			if kept, _ := os.ReadFile(imports); !bytes.Contains(kept, []byte(`resource "aws_apigatewayv2_api" "users_api" {`)) || !bytes.Contains(kept, []byte("aws_apigatewayv2_api.users_api.id")) {
				t.Errorf("the split lost the user's pending rename:\n%s", kept)
			}
			if d := testenv.TreeDiff(written, testenv.Tree(t, w.root)); d != "" {
				t.Fatalf("migrate verify wrote into the checkouts: %s", d)
			}
			if !maps.Equal(objs, w.s3.objects(t)) {
				t.Fatal("migrate or verify changed a state object")
			}
		})
	}
}
