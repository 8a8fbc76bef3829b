package shard

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestReadWeightsOfSeveralAccounts: the several-account inventory a
// sharded audit reads also weighs its accounts, by name and by id.
func TestReadWeightsOfSeveralAccounts(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	one := func(id string, stages int) *inventory.Inventory {
		api := inventory.API{Region: "us-east-1", ID: "abc" + id[:7], Name: "a", ProtocolType: "HTTP"}
		for i := range stages {
			api.Stages = append(api.Stages, inventory.Stage{Name: string(rune('a' + i))})
		}
		return &inventory.Inventory{Schema: inventory.Schema, CapturedAt: at, Account: id, Regions: []string{"us-east-1"}, APIs: []inventory.API{api}}
	}
	all := &inventory.Accounts{CapturedAt: at, Accounts: []inventory.Account{
		{Name: "prod", ID: "111111111111", Inventory: one("111111111111", 3)},
		{Name: "dev", ID: "222222222222", Inventory: one("222222222222", 0)},
		{Name: "denied", ID: "333333333333", Error: "assuming the role: AccessDenied"},
	}}
	p := filepath.Join(t.TempDir(), "inventory.json")
	if err := all.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	w, err := ReadWeights(p)
	if err != nil {
		t.Fatal(err)
	}
	if w["prod"] != 4 || w["111111111111"] != 4 || w["dev"] != 1 {
		t.Errorf("weights %v, want prod 4 (an API and 3 stages), dev 1", w)
	}
	if _, ok := w["denied"]; ok {
		t.Errorf("an account without inventory got a weight: %v", w)
	}
}
