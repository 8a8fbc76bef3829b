package discover

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestAccountLevelFollowsFilters: with APIs picked by id, a domain name
// keeps only its mappings to them and a VPC link stays only while one of
// their integrations uses it; --types without the account-level kinds
// costs none of their calls.
func TestAccountLevelFollowsFilters(t *testing.T) {
	seed, err := emulator.LoadSeedFile(filepath.Join("testdata", "rich-seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srv, url := serve(t, emulator.Options{Seed: seed})
	for _, tc := range []struct {
		ids              []string
		domains, vpcLink int
	}{{nil, 1, 1}, {[]string{"httpfull01"}, 1, 1}, {[]string{"wsfull01"}, 0, 0}} {
		o := testOptions(url, "us-east-1", "eu-west-1")
		o.APIIDs = tc.ids
		inv, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.DomainNames) != tc.domains || len(inv.VPCLinks) != tc.vpcLink {
			t.Errorf("--api-id %v: %d domain names, %d VPC links; want %d and %d", tc.ids, len(inv.DomainNames), len(inv.VPCLinks), tc.domains, tc.vpcLink)
		}
		if tc.domains > 0 && len(inv.DomainNames[0].APIMappings) != 2 {
			t.Errorf("--api-id %v: mappings %+v", tc.ids, inv.DomainNames[0].APIMappings)
		}
	}
	before := srv.Stats().Operations
	o := testOptions(url, "us-east-1")
	o.Types = []string{inventory.KindAPI, inventory.KindStage}
	inv, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	after := srv.Stats().Operations
	for _, op := range []string{"GetDomainNames", "GetApiMappings", "GetVpcLinks"} {
		if after[op] != before[op] {
			t.Errorf("--types api,stage called %s %d times", op, after[op]-before[op])
		}
	}
	if inv.DomainNames != nil || inv.Has(inventory.KindDomainName) {
		t.Errorf("--types api,stage inventory has domain names: %+v", inv.DomainNames)
	}
}
