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
// the id of an API, authorizer, integration, route, model, VPC link or
// domain name that the configuration also holds (outside that resource's own
// block), since a reference to that resource can stand there; every model a
// route or route response names is a reference to the model's name, and a
// mapping's stage is a reference to the stage. Import blocks are exempt: their ids must be
// literals.
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
		for _, r := range a.Routes {
			ids[r.ID] = "route " + r.RouteKey
		}
		for _, m := range a.Models {
			ids[m.ID] = "model " + m.Name
		}
	}
	for _, l := range inv.VPCLinks {
		ids[l.ID] = "vpc link " + l.Name
	}
	for _, d := range inv.DomainNames {
		ids[d.DomainName] = "domain name"
	}
	for _, layout := range []Layout{LayoutSingle, LayoutPerRegion, LayoutPerAPI} {
		dir := t.TempDir()
		res := run(t, inv, Options{Dir: dir, Layout: layout})
		if res.Routes == 0 || res.Integrations == 0 || res.Authorizers == 0 || res.Models == 0 || res.RouteResponses == 0 || res.IntegrationResponses == 0 ||
			res.DomainNames == 0 || res.APIMappings < 2 || res.VPCLinks == 0 {
			t.Fatalf("%s: wrote %d routes, %d integrations, %d authorizers, %d models, %d route and %d integration responses, %d domain names, %d mappings, %d VPC links; the demo has them all",
				layout, res.Routes, res.Integrations, res.Authorizers, res.Models, res.RouteResponses, res.IntegrationResponses, res.DomainNames, res.APIMappings, res.VPCLinks)
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
				if b.Labels[0] == typeAPIMapping {
					if _, ok := b.Body.Attributes["stage"].Expr.(*hclsyntax.ScopeTraversalExpr); !ok {
						t.Errorf("%s: %s %s.%s has a literal stage", layout, path, b.Labels[0], b.Labels[1])
					}
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
							if what == "domain name" && b.Labels[0] == typeDomainName {
								continue // its own name
							}
							if v.AsString() == id || strings.HasSuffix(v.AsString(), "/"+id) {
								t.Errorf("%s: %s %s.%s holds %s's id %q as a literal", layout, path, b.Labels[0], b.Labels[1], what, id)
							}
						}
					}
					return nil
				})
			}
		}
		// Every stage, authorizer, integration, route and model refers to
		// its API, every targeted route to its integration, every route
		// with an authorizer to it, every response to its API and its
		// route or integration, every request or response model to the
		// model's name. Every mapping refers to its API, stage and domain
		// name, every integration over a VPC link to the link.
		want := res.Stages + res.Authorizers + res.Integrations + res.Routes + res.Models + 2*(res.RouteResponses+res.IntegrationResponses) + 3*res.APIMappings
		for _, a := range inv.APIs {
			for _, x := range a.Integrations {
				if x.ConnectionType == "VPC_LINK" {
					want++
				}
			}
			for _, r := range a.Routes {
				if strings.HasPrefix(r.Target, targetPrefix) {
					want++
				}
				if r.AuthorizerID != "" {
					want++
				}
				want += len(r.RequestModels)
			}
			for _, r := range a.RouteResponses {
				want += len(r.ResponseModels)
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
	narrow.DomainNames, narrow.VPCLinks = nil, nil
	res := run(t, narrow, Options{Dir: dir})
	if len(res.Dropped) != 0 {
		t.Errorf("an inventory without routes dropped %v", res.Dropped)
	}
	text := string(dirText(t, dir))
	if n := strings.Count(text, `resource "aws_apigatewayv2_route"`); n != first.Routes {
		t.Errorf("%d route blocks kept, want %d", n, first.Routes)
	}
	if n := strings.Count(text, `resource "aws_apigatewayv2_api_mapping"`); n != first.APIMappings || first.APIMappings == 0 {
		t.Errorf("%d api mapping blocks kept, want %d", n, first.APIMappings)
	}
	if n := strings.Count(text, `resource "aws_apigatewayv2_vpc_link"`); n != first.VPCLinks || first.VPCLinks == 0 {
		t.Errorf("%d vpc link blocks kept, want %d", n, first.VPCLinks)
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
