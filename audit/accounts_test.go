package audit

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// runTwoAccounts audits two accounts holding the same scenario, in their
// own directories, and a third whose role was denied.
func runTwoAccounts(t *testing.T) *Report {
	t.Helper()
	discover := func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }
	engines := map[string]*fakeEngine{"infra/prod": {refresh: driftScenario()}, "infra/staging": {refresh: driftScenario()}}
	rep, err := RunAccounts(context.Background(), Options{Open: openerFor(engines), Now: fixedNow}, []AccountTarget{
		{Name: "prod", ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/r", Dirs: []string{"infra/prod"}, Discover: discover},
		{Name: "staging", ID: "222222222222", Dirs: []string{"infra/staging"}, Discover: discover},
		{Name: "sandbox", ID: "333333333333", RoleARN: "arn:aws:iam::333333333333:role/r", Error: "assuming arn:aws:iam::333333333333:role/r: AccessDenied: no"},
	}, []SkippedAccount{{Name: "old", ID: "444444444444", Status: "SUSPENDED", Reason: "not ACTIVE"}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestRunAccountsNamesTheAccountOfEachFinding(t *testing.T) {
	rep := runTwoAccounts(t)
	var got []string
	for _, f := range rep.Findings {
		got = append(got, string(f.Class)+" "+f.Account+" "+f.AccountID+" "+f.ImportID)
	}
	want := []string{
		"changed prod 111111111111 a1/prod", "changed staging 222222222222 a1/prod",
		"deleted prod 111111111111 a1/dev", "deleted staging 222222222222 a1/dev",
		"unmanaged prod 111111111111 b2", "unmanaged prod 111111111111 b2/live",
		"unmanaged staging 222222222222 b2", "unmanaged staging 222222222222 b2/live",
		"unimportable prod 111111111111 q9/$default", "unimportable staging 222222222222 q9/$default",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Findings[0].Fingerprint == rep.Findings[1].Fingerprint {
		t.Error("the same drift in two accounts has one fingerprint; a baseline would hide one")
	}
	if !rep.Partial || rep.Summary.Managed != 4 || rep.Summary.Unmanaged != 4 || rep.Summary.Changed != 2 {
		t.Errorf("partial %v, summary %+v", rep.Partial, rep.Summary)
	}
	c := rep.Coverage
	if len(c.Accounts) != 2 || c.Accounts[0].Account != "prod" || *c.Accounts[0].Total.Percent != 50 || c.Total.Managed != 4 || c.Total.Percent != nil {
		t.Errorf("coverage %+v; want 50%% per account and an unknown total (an account failed)", c)
	}
	if len(c.Regions) != 1 || c.Regions[0].Managed != 4 || c.Regions[0].Unmanaged != 4 {
		t.Errorf("regions %+v", c.Regions)
	}
	for _, d := range rep.Dirs {
		if d.Account == "" {
			t.Errorf("directory %s has no account", d.Dir)
		}
	}
}

// TestRunAccountsReportsNameAccounts: every format carries the account of
// each finding, the failed account with its role, and the skipped one.
func TestRunAccountsReportsNameAccounts(t *testing.T) {
	rep := runTwoAccounts(t)
	for format, wants := range map[string][]string{
		"text": {"[staging us-east-1 b2]", "sandbox (333333333333): FAILED: assuming arn:aws:iam::333333333333:role/r: AccessDenied",
			"old (444444444444): skipped, not ACTIVE (status SUSPENDED)", "coverage per account (least covered first)", "PARTIAL: 1 of 3 accounts failed"},
		"markdown": {"| staging | `aws_apigatewayv2_stage.", "- account sandbox `333333333333` (role `arn:aws:iam::333333333333:role/r`)", "coverage per account", "**Skipped accounts:**"},
		"html":     {`id="accounts-table"`, "<td>staging</td>", "role <code>arn:aws:iam::333333333333:role/r</code>", "account staging <code>222222222222</code>"},
		"junit":    {`name="staging: infra/staging"`, `name="live account staging"`, `name="account sandbox"`},
		"json":     {`"account": "staging"`, `"account_id": "222222222222"`, `"skipped_accounts"`, `"role_arn": "arn:aws:iam::333333333333:role/r"`},
	} {
		var b bytes.Buffer
		if err := Render(&b, rep, format); err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s report lacks %q", format, w)
			}
		}
	}
	var b bytes.Buffer
	if err := Render(&b, rep, "json"); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeReport(&b, "report.json")
	if err != nil || len(back.Accounts) != 3 || back.Findings[0].AccountID == "" {
		t.Errorf("the JSON report does not round-trip its accounts: %v", err)
	}
}
