package generate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// TestAccountLevelPlacement: in every layout the domain name, its mappings
// and the VPC link go where a region's shared blocks go (the output file,
// or the region's file), never into an API's file.
func TestAccountLevelPlacement(t *testing.T) {
	inv := discoverDemo(t)
	for layout, want := range map[Layout]string{LayoutSingle: "imports.tf", LayoutPerRegion: "imports.us-east-1.tf", LayoutPerAPI: "imports.tf"} {
		dir := t.TempDir()
		run(t, inv, Options{Dir: dir, Layout: layout})
		src, err := os.ReadFile(filepath.Join(dir, want))
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		for _, typ := range []string{typeDomainName, typeAPIMapping, typeVPCLink} {
			if !strings.Contains(string(src), `resource "`+typ+`"`) {
				t.Errorf("%s: %s has no %s", layout, want, typ)
			}
		}
	}
}

// TestAccountLevelInTwoRegionsRefused: one import id, two live resources.
func TestAccountLevelInTwoRegionsRefused(t *testing.T) {
	inv := discoverDemo(t)
	twin := inv.DomainNames[0]
	twin.Region = "eu-west-1"
	inv.DomainNames = append(inv.DomainNames, twin)
	_, err := Run(context.Background(), inv, Options{Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "domain name api.example.com is in both us-east-1 and eu-west-1") {
		t.Errorf("Run = %v", err)
	}
	inv = discoverDemo(t)
	link := inv.VPCLinks[0]
	link.Region = "eu-west-1"
	inv.VPCLinks = append(inv.VPCLinks, link)
	if _, err := Run(context.Background(), inv, Options{Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "vpc link vpl4k9 is in both") {
		t.Errorf("Run with one VPC link id in two regions = %v", err)
	}
}

// TestPrunesAccountLevel: once the domain name, its mappings and the VPC
// link are in the state (by their import ids, a mapping's read back from
// its id and domain_name), a rerun manages them and --prune drops only
// their import blocks.
func TestPrunesAccountLevel(t *testing.T) {
	inv := discoverDemo(t)
	dir := t.TempDir()
	run(t, inv, Options{Dir: dir})
	d := inv.DomainNames[0]
	res := func(typ, name string, attrs map[string]any) *tfjson.StateResource {
		return &tfjson.StateResource{Address: typ + "." + name, Mode: tfjson.ManagedResourceMode, Type: typ, Name: name, AttributeValues: attrs}
	}
	st := fakeState{[]*tfjson.StateResource{
		res(typeDomainName, "api_example_com", map[string]any{"id": d.DomainName, "domain_name": d.DomainName}),
		res(typeAPIMapping, "api_example_com_root", map[string]any{"id": "m4pay1", "domain_name": d.DomainName}),
		res(typeAPIMapping, "api_example_com_orders", map[string]any{"id": "m4ord1", "domain_name": d.DomainName}),
		res(typeVPCLink, "orders_private", map[string]any{"id": inv.VPCLinks[0].ID}),
	}}
	r := run(t, inv, Options{Dir: dir, State: st, Prune: true})
	if len(r.Pruned) != 4 || r.DomainNames+r.APIMappings+r.VPCLinks != 0 {
		t.Fatalf("pruned %v, wrote %d domain names, %d mappings, %d VPC links; want the four pruned, none written", r.Pruned, r.DomainNames, r.APIMappings, r.VPCLinks)
	}
	text := string(dirText(t, dir))
	for _, s := range st.resources {
		if strings.Contains(text, "to       = "+s.Address+"\n") || !strings.Contains(text, `resource "`+s.Type+`" "`+s.Name+`"`) {
			t.Errorf("after --prune: %s keeps its import block or lost its resource block", s.Address)
		}
	}
	if !strings.Contains(text, "connection_id      = aws_apigatewayv2_vpc_link.orders_private.id") {
		t.Error("the integration no longer refers to the VPC link in the state")
	}
}
