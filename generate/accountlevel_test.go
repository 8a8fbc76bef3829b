package generate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
