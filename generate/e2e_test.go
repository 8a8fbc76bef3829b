package generate_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestEndToEnd drives the whole adoption on each engine against a synthetic
// account of 220 APIs and 600+ stages in two regions (hostile names and
// colliding names included): discover, generate, verify (a clean import
// plan), apply, then a second generate that finds nothing new and rewrites
// nothing, with validate and fmt -check clean throughout.
func TestEndToEnd(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		regions := []string{"eu-west-1", "us-east-1"}
		env := e2e.StartEmulator(t, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 220, Stages: 3, Seed: 7, Regions: regions})})
		inv, err := discover.Run(ctx, env.DiscoverOptions(regions...))
		if err != nil {
			t.Fatalf("discover: %v", err)
		}
		if inv.Partial() {
			t.Fatalf("discovery is partial: %v", inv.Errors)
		}
		apis, stages := count(inv)
		if apis < 200 || stages < 600 {
			t.Fatalf("synthetic account has %d importable APIs and %d stages, want at least 200 and 600", apis, stages)
		}

		dir := t.TempDir()
		res, err := generate.Run(ctx, inv, generate.Options{Dir: dir})
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		if res.APIs != apis || res.Stages != stages {
			t.Fatalf("generate wrote %d APIs and %d stages, want %d and %d", res.APIs, res.Stages, apis, stages)
		}
		first := snapshot(t, dir)

		r := env.Runner(t, eng, dir)
		rep, err := generate.Verify(ctx, r)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		want := fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", apis+stages)
		if !rep.Pass() || rep.Summary() != want {
			var b strings.Builder
			rep.WriteText(&b)
			t.Fatalf("verify: want %q and a pass, got:\n%s", want, b.String())
		}
		if v, err := r.TF.Validate(ctx); err != nil || !v.Valid {
			t.Fatalf("validate: %v %+v", err, v)
		}
		if ok, files, err := r.TF.FormatCheck(ctx); err != nil || !ok {
			t.Fatalf("fmt -check: %v, unformatted %v", err, files)
		}

		if err := r.TF.Apply(ctx); err != nil {
			t.Fatalf("apply: %v", err)
		}
		st, err := r.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(st.Values.RootModule.Resources); n != apis+stages {
			t.Fatalf("state holds %d resources after apply, want %d", n, apis+stages)
		}

		// Everything is managed now: nothing new, and not one byte moves.
		res, err = generate.Run(ctx, inv, generate.Options{Dir: dir, State: r})
		if err != nil {
			t.Fatalf("second generate: %v", err)
		}
		if res.APIs != 0 || res.Stages != 0 || len(res.Managed) != apis+stages {
			t.Errorf("second generate: %d APIs, %d stages new, %d managed; want 0, 0, %d", res.APIs, res.Stages, len(res.Managed), apis+stages)
		}
		if second := snapshot(t, dir); !bytes.Equal(first, second) {
			t.Error("second generate changed the files")
		}
		rep, err = generate.Verify(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Pass() || rep.Import != 0 {
			var b strings.Builder
			rep.WriteText(&b)
			t.Errorf("plan after apply is not empty:\n%s", b.String())
		}
	})
}

func count(inv *inventory.Inventory) (apis, stages int) {
	for _, a := range inv.APIs {
		apis++
		stages += len(a.Stages)
	}
	return apis, stages
}

func snapshot(t *testing.T, dir string) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	var b bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f + "\n")
		b.Write(data)
	}
	return b.Bytes()
}
