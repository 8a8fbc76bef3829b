package generate

import (
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/inventory"
)

func twoAccountInventory(nameA, nameB string) *inventory.Accounts {
	inv := func(id string) *inventory.Inventory {
		return &inventory.Inventory{Account: id, Regions: []string{"eu-west-1", "us-east-1"}, APIs: []inventory.API{
			{Region: "us-east-1", ID: "a1", Name: "a"}, {Region: "eu-west-1", ID: "b1", Name: "b"}}}
	}
	return &inventory.Accounts{Accounts: []inventory.Account{
		{Name: nameA, ID: "111111111111", Inventory: inv("111111111111")},
		{Name: nameB, ID: "222222222222", Inventory: inv("222222222222"), RoleARN: "arn:aws:iam::222222222222:role/r"},
		{Name: "denied", ID: "333333333333", Error: "AccessDenied"},
	}}
}

func TestAccountDirs(t *testing.T) {
	dirs, err := AccountDirs(twoAccountInventory("Prod Payments/EU", "staging"), "infra/{account_name}-{account_id}")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 2 || dirs[0].Dir != "infra/Prod-Payments-EU-111111111111" || dirs[1].Dir != "infra/staging-222222222222" ||
		len(dirs[1].Inventory.APIs) != 2 || dirs[1].Account.RoleARN == "" {
		t.Errorf("per account: %+v", dirs)
	}
	dirs, err = AccountDirs(twoAccountInventory("prod", "staging"), "infra/{account_name}/{region}")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 4 || dirs[0].Dir != "infra/prod/eu-west-1" || len(dirs[0].Inventory.APIs) != 1 || dirs[0].Inventory.APIs[0].ID != "b1" ||
		dirs[0].Inventory.DefaultRegion != "eu-west-1" {
		t.Errorf("per region: %+v", dirs)
	}
	for tmpl, want := range map[string]string{
		"infra/{account}":             "unknown placeholder {account}",
		"infra/{region}":              "names neither {account_name} nor {account_id}",
		"":                            "--dir-template is empty",
		"infra/{account_name}/static": "puts prod eu-west-1,us-east-1 and prod eu-west-1,us-east-1",
	} {
		all := twoAccountInventory("prod", "prod")
		if tmpl != "infra/{account_name}/static" {
			all = twoAccountInventory("prod", "staging")
		}
		if _, err := AccountDirs(all, tmpl); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", tmpl, err, want)
		}
	}
}
