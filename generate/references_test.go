package generate

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestNoLiteralIDWhereAReferenceCanStand generates the demo account in
// every layout and walks every resource block: no string in it may hold
// the id of an API, authorizer or integration that the configuration
// also holds, since a reference to that resource can stand there. Import
// blocks are exempt: their ids must be literals.
func TestNoLiteralIDWhereAReferenceCanStand(t *testing.T) {
	inv := discoverDemo(t)
	ids := map[string]string{}
	for _, a := range inv.APIs {
		ids[a.ID] = "api " + a.Name
		for _, x := range a.Authorizers {
			ids[x.ID] = "authorizer " + x.Name
		}
		for _, x := range a.Integrations {
			ids[x.ID] = "integration of " + a.Name
		}
	}
	for _, layout := range []Layout{LayoutSingle, LayoutPerRegion, LayoutPerAPI} {
		dir := t.TempDir()
		res := run(t, inv, Options{Dir: dir, Layout: layout})
		if res.Routes == 0 || res.Integrations == 0 || res.Authorizers == 0 {
			t.Fatalf("%s: wrote %d routes, %d integrations, %d authorizers; the demo has all three", layout, res.Routes, res.Integrations, res.Authorizers)
		}
		refs := 0
		for _, path := range filesOf(t, dir) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, b := range f.Body.(*hclsyntax.Body).Blocks {
				if b.Type != "resource" {
					continue
				}
				hclsyntax.VisitAll(b.Body, func(n hclsyntax.Node) hcl.Diagnostics {
					switch e := n.(type) {
					case *hclsyntax.ScopeTraversalExpr:
						if e.Traversal.RootName() != "aws" {
							refs++
						}
					case *hclsyntax.TemplateExpr, *hclsyntax.LiteralValueExpr:
						v, diags := e.(hclsyntax.Expression).Value(nil)
						if diags.HasErrors() || !v.Type().Equals(cty.String) || v.IsNull() {
							return nil
						}
						for id, what := range ids {
							if v.AsString() == id || strings.HasSuffix(v.AsString(), "/"+id) {
								t.Errorf("%s: %s %s.%s holds %s's id %q as a literal", layout, path, b.Labels[0], b.Labels[1], what, id)
							}
						}
					}
					return nil
				})
			}
		}
		// Every stage, authorizer, integration and route refers to its
		// API, every targeted route to its integration, every route with
		// an authorizer to it.
		want := res.Stages + res.Authorizers + res.Integrations + res.Routes
		for _, a := range inv.APIs {
			for _, r := range a.Routes {
				if strings.HasPrefix(r.Target, targetPrefix) {
					want++
				}
				if r.AuthorizerID != "" {
					want++
				}
			}
		}
		if refs != want {
			t.Errorf("%s: %d references, want %d", layout, refs, want)
		}
	}
}

// TestKeepsTypesTheInventoryDidNotList regenerates the demo account from
// an inventory discovered with --types api,stage over the output of one
// with every type: the routes, integrations and authorizers written before
// are not known to be gone, so they stay; a route that vanished from an
// inventory that did list routes is dropped.
func TestKeepsTypesTheInventoryDidNotList(t *testing.T) {
	full := discoverDemo(t)
	dir := t.TempDir()
	first := run(t, full, Options{Dir: dir})

	narrow := discoverDemo(t)
	narrow.Types = []string{inventory.KindAPI, inventory.KindStage}
	for i := range narrow.APIs {
		narrow.APIs[i].Routes, narrow.APIs[i].Integrations, narrow.APIs[i].Authorizers = nil, nil, nil
	}
	res := run(t, narrow, Options{Dir: dir})
	if len(res.Dropped) != 0 {
		t.Errorf("an inventory without routes dropped %v", res.Dropped)
	}
	text := string(dirText(t, dir))
	if n := strings.Count(text, `resource "aws_apigatewayv2_route"`); n != first.Routes {
		t.Errorf("%d route blocks kept, want %d", n, first.Routes)
	}

	fewer := discoverDemo(t)
	a := &fewer.APIs[slices.IndexFunc(fewer.APIs, func(a inventory.API) bool { return len(a.Routes) > 0 })]
	gone := a.Routes[0].ID
	a.Routes = a.Routes[1:]
	res = run(t, fewer, Options{Dir: dir})
	if len(res.Dropped) != 1 || !strings.HasPrefix(res.Dropped[0], typeRoute+".") {
		t.Errorf("Dropped = %v, want the route %s only", res.Dropped, gone)
	}
}
