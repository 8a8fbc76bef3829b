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
// account of 120 APIs with 300+ stages and 400+ authorizers, integrations
// and routes in two regions (hostile names and colliding names included; as
// many resources as 220 APIs with stages alone, which was this test's size
// before the children), and its VPC links, domain names and mappings: discover, generate, verify (a clean import
// plan), apply, then a second generate that finds nothing new and rewrites
// nothing, with validate and fmt -check clean throughout.
func TestEndToEnd(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		regions := []string{"eu-west-1", "us-east-1"}
		env := e2e.StartEmulator(t, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 120, Stages: 3, Seed: 7, Regions: regions})})
		inv, err := discover.Run(ctx, env.DiscoverOptions(regions...))
		if err != nil {
			t.Fatalf("discover: %v", err)
		}
		if inv.Partial() {
			t.Fatalf("discovery is partial: %v", inv.Errors)
		}
		apis, stages, children := count(inv)
		if apis < 100 || stages < 300 || children < 400 {
			t.Fatalf("synthetic account has %d importable APIs, %d stages and %d children, want at least 100, 300 and 400", apis, stages, children)
		}

		dir := t.TempDir()
		res, err := generate.Run(ctx, inv, generate.Options{Dir: dir})
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		written := res.Authorizers + res.Integrations + res.Routes + res.Models + res.RouteResponses + res.IntegrationResponses
		if res.APIs != apis || res.Stages != stages || written != children || res.Models == 0 || res.RouteResponses == 0 || res.IntegrationResponses == 0 {
			t.Fatalf("generate wrote %d APIs, %d stages and %d children (%d models, %d route and %d integration responses), want %d, %d and %d",
				res.APIs, res.Stages, written, res.Models, res.RouteResponses, res.IntegrationResponses, apis, stages, children)
		}
		first := snapshot(t, dir)

		r := env.Runner(t, eng, dir)
		rep, err := generate.Verify(ctx, r)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		// The account-level resources: VPC links (integrations use them),
		// domain names and their mappings.
		account := len(inv.VPCLinks) + len(inv.DomainNames)
		for _, d := range inv.DomainNames {
			account += len(d.APIMappings)
		}
		if account == 0 || res.DomainNames+res.APIMappings+res.VPCLinks != account {
			t.Fatalf("generate wrote %d account-level resources, want %d (and more than none)", res.DomainNames+res.APIMappings+res.VPCLinks, account)
		}
		total := apis + stages + children + account
		want := fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", total)
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
		if n := len(st.Values.RootModule.Resources); n != total {
			t.Fatalf("state holds %d resources after apply, want %d", n, total)
		}

		// Everything is managed now: nothing new, and not one byte moves.
		res, err = generate.Run(ctx, inv, generate.Options{Dir: dir, State: r})
		if err != nil {
			t.Fatalf("second generate: %v", err)
		}
		if res.APIs != 0 || res.Stages != 0 || res.Routes != 0 || len(res.Managed) != total {
			t.Errorf("second generate: %d APIs, %d stages, %d routes new, %d managed; want 0, 0, 0, %d", res.APIs, res.Stages, res.Routes, len(res.Managed), total)
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

// count is the importable resources of inv: APIs, stages, and the
// authorizers, integrations and routes together.
func count(inv *inventory.Inventory) (apis, stages, children int) {
	for _, a := range inv.APIs {
		apis++
		stages += len(a.Stages)
		children += len(a.Authorizers) + len(a.Integrations) + len(a.Routes) + len(a.Models) + len(a.RouteResponses) + len(a.IntegrationResponses)
	}
	return apis, stages, children
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
