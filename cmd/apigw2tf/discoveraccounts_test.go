package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/inventory"
)

const demoOrgExternalID = "apigw2tf-demo-org"

// serveDemoOrg serves testdata/accounts/demo-org.yaml; the test credentials
// (AKIDTEST) act as its management account.
func serveDemoOrg(t *testing.T) string {
	t.Helper()
	discoverEnv(t)
	return serveEmulator(t, emulator.Options{Seed: emutest.Seed(t, "demo-org.yaml")})
}

// checkDemoOrgInventory checks what a run over the whole demo organization
// wrote: every ACTIVE account, the denied one with its role, the suspended
// one skipped.
func checkDemoOrgInventory(t *testing.T, path string) {
	t.Helper()
	all, err := inventory.ReadAccountsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ok []string
	for _, a := range all.Accounts {
		if a.Inventory != nil {
			ok = append(ok, a.Name)
		}
	}
	if want := []string{"chat-dev", "identity-prod-eu", "management", "payments-prod", "payments-staging"}; !slices.Equal(ok, want) {
		t.Errorf("discovered accounts %v, want %v", ok, want)
	}
	failed := all.Failed()
	if len(failed) != 1 || failed[0].RoleARN != "arn:aws:iam::777777777777:role/apigw2tf-read" || !strings.Contains(failed[0].Error, "AccessDenied") {
		t.Errorf("failed = %+v", failed)
	}
	if len(all.Skipped) != 1 || all.Skipped[0].Name != "legacy-suspended" || all.Skipped[0].Status != "SUSPENDED" {
		t.Errorf("skipped = %+v", all.Skipped)
	}
}

func TestDiscoverOrganization(t *testing.T) {
	url := serveDemoOrg(t)
	out := filepath.Join(t.TempDir(), "inventory.json")
	code, _, stderr := runCLI(context.Background(), "discover", "--endpoint-url", url, "--region", "us-east-1,eu-west-1", "--rate", "0",
		"--member-role-name", "apigw2tf-read", "--external-id", demoOrgExternalID, "-o", out)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (one account denied); stderr:\n%s", code, exitPartial, stderr)
	}
	for _, want := range []string{
		"discovered 6 APIs and 6 stages in 5 accounts",
		"data-sandbox (777777777777): assuming arn:aws:iam::777777777777:role/apigw2tf-read: AccessDenied",
		"legacy-suspended (666666666666): not ACTIVE, status SUSPENDED",
		"discovery is partial: 1 of 6 accounts failed (data-sandbox); the others are complete",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	checkDemoOrgInventory(t, out)
}

func TestDiscoverOrganizationFromConfig(t *testing.T) {
	url := serveDemoOrg(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "apigw2tf.yaml")
	writeFile(t, dir, "apigw2tf.yaml", "version: 1\nendpoint_url: "+url+"\nrate: 0\naccount_concurrency: 2\norganization:\n"+
		"  member_role_name: apigw2tf-read\n  external_id: "+demoOrgExternalID+"\n  regions: [us-east-1, eu-west-1]\n")
	out := filepath.Join(dir, "inventory.json")
	if code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "-o", out); code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	checkDemoOrgInventory(t, out)

	// The section's filters: a unit with its sub-unit, less one account.
	writeFile(t, dir, "apigw2tf.yaml", "version: 1\nendpoint_url: "+url+"\nrate: 0\norganization:\n  member_role_name: apigw2tf-read\n"+
		"  external_id: "+demoOrgExternalID+"\n  regions: [us-east-1]\n  organizational_units: [ou-demo-prod0001]\n  exclude_accounts: [payments-prod]\n")
	if code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "-o", out); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	all, err := inventory.ReadAccountsFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Accounts) != 1 || all.Accounts[0].Name != "identity-prod-eu" || len(all.Skipped) != 1 {
		t.Errorf("accounts %+v, skipped %+v", all.Accounts, all.Skipped)
	}
}

func TestDiscoverConfigAccountsRunsAll(t *testing.T) {
	url := serveDemoOrg(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "apigw2tf.yaml")
	writeFile(t, dir, "apigw2tf.yaml", "version: 1\nendpoint_url: "+url+"\nrate: 0\naccounts:\n"+
		"  - name: payments-prod\n    role_arn: arn:aws:iam::222222222222:role/apigw2tf-read\n    regions: [us-east-1, eu-west-1]\n"+
		"  - name: identity\n    role_arn: arn:aws:iam::333333333333:role/apigw2tf-read\n    regions: [eu-west-1]\n"+
		"  - name: sandbox\n    role_arn: arn:aws:iam::777777777777:role/apigw2tf-read\n    regions: [us-east-1]\n")
	out := filepath.Join(dir, "inventory.json")
	names := func() []string {
		all, err := inventory.ReadAccountsFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range all.Accounts {
			got = append(got, a.Name+"="+a.ID)
		}
		return got
	}
	code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "--external-id", demoOrgExternalID, "-o", out)
	if code != exitPartial || !strings.Contains(stderr, "1 of 3 accounts failed (sandbox)") {
		t.Fatalf("all accounts: exit %d; stderr:\n%s", code, stderr)
	}
	if got := names(); !slices.Equal(got, []string{"identity=333333333333", "payments-prod=222222222222", "sandbox=777777777777"}) {
		t.Errorf("all accounts: %v", got)
	}
	if code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "--external-id", demoOrgExternalID,
		"--account", "payments-prod,identity", "-o", out); code != exitOK {
		t.Fatalf("two accounts: exit %d; stderr:\n%s", code, stderr)
	}
	if got := names(); !slices.Equal(got, []string{"identity=333333333333", "payments-prod=222222222222"}) {
		t.Errorf("--account payments-prod,identity: %v", got)
	}
	// One account is a one-account run, with the inventory it always had.
	if code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "--account", "identity", "-o", out); code != exitError ||
		!strings.Contains(stderr, "AccessDenied") {
		t.Errorf("one account without its external id: exit %d; stderr:\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(context.Background(), "-c", cfg, "discover", "-q", "--account", "payments-prod,nope", "-o", out); code != exitError ||
		!strings.Contains(stderr, `--account "nope" is not in `+cfg) {
		t.Errorf("unknown account: exit %d; stderr:\n%s", code, stderr)
	}
}

// TestDiscoverOrganizationBadInput: each mistake is one line on stderr,
// exit 1, and no inventory.
func TestDiscoverOrganizationBadInput(t *testing.T) {
	url := serveDemoOrg(t)
	for name, tc := range map[string]struct {
		args []string
		key  string
		want string
	}{
		"external id mismatch": {[]string{"--external-id", "not-the-id"}, "", "no member role could be assumed (5 of 5 denied)"},
		"unknown unit":         {[]string{"--external-id", demoOrgExternalID, "--org-unit", "ou-demo-missing01"}, "", "--org-unit ou-demo-missing01 does not exist in the organization"},
		"role name typo":       {[]string{"--external-id", demoOrgExternalID, "--member-role-name", "apigw2tf-raed"}, "", "role/apigw2tf-raed: AccessDenied"},
		"member credentials":   {[]string{"--external-id", demoOrgExternalID}, "222222222222", "the listing credentials (account 222222222222) cannot read the organization"},
		"bad concurrency":      {[]string{"--account-concurrency", "0"}, "", "--account-concurrency 0 must be at least 1"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.key != "" {
				t.Setenv("AWS_ACCESS_KEY_ID", tc.key)
			}
			out := filepath.Join(t.TempDir(), "inventory.json")
			args := append([]string{"discover", "--endpoint-url", url, "--region", "us-east-1", "--rate", "0", "-q",
				"--member-role-name", "apigw2tf-read", "-o", out}, tc.args...)
			code, _, stderr := runCLI(context.Background(), args...)
			if code != exitError || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line with %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("an inventory was written: %v", err)
			}
		})
	}
}

// TestGenerateAccountDirs lays a discovery of the demo organization out as
// one root module per account and region, each provider reaching its
// account through assume_role and the emulator's endpoints.
func TestGenerateAccountDirs(t *testing.T) {
	url := serveDemoOrg(t)
	dir := t.TempDir()
	inv := filepath.Join(dir, "inventory.json")
	if code, _, stderr := runCLI(context.Background(), "discover", "--endpoint-url", url, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q",
		"--member-role-name", "apigw2tf-read", "--external-id", demoOrgExternalID, "-o", inv); code != exitPartial {
		t.Fatalf("discover: exit %d: %s", code, stderr)
	}
	tmpl := filepath.Join(dir, "infra", "{account_name}", "{region}")
	code, stdout, stderr := runCLI(context.Background(), "generate", "--inventory", inv, "--dir-template", tmpl, "--terraform-bin", "/nonexistent")
	if code != exitPartial || !strings.Contains(stderr, "1 accounts failed") {
		t.Fatalf("generate: exit %d, want %d (data-sandbox failed); stdout:\n%s\nstderr:\n%s", code, exitPartial, stdout, stderr)
	}
	var got []string
	err := filepath.WalkDir(filepath.Join(dir, "infra"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{}
	// Regions where an account has nothing get no directory.
	for _, d := range []string{"chat-dev/us-east-1", "identity-prod-eu/eu-west-1", "management/us-east-1",
		"payments-prod/eu-west-1", "payments-prod/us-east-1", "payments-staging/us-east-1"} {
		want = append(want, filepath.Join("infra", d, "imports.tf"), filepath.Join("infra", d, "providers.tf"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%v\nwant:\n%v", got, want)
	}
	prov, err := os.ReadFile(filepath.Join(dir, "infra", "payments-prod", "eu-west-1", "providers.tf"))
	if err != nil {
		t.Fatal(err)
	}
	flatProv := strings.Join(strings.Fields(string(prov)), " ")
	for _, line := range []string{`region = "eu-west-1"`, `assume_role { role_arn = "arn:aws:iam::222222222222:role/apigw2tf-read"`,
		`external_id = "` + demoOrgExternalID + `"`, `session_name = "apigw2tf" }`, `apigatewayv2 = "` + url + `"`, `sts = "` + url + `"`} {
		if !strings.Contains(flatProv, line) {
			t.Errorf("providers.tf lacks %q:\n%s", line, prov)
		}
	}
	imports, _ := os.ReadFile(filepath.Join(dir, "infra", "payments-prod", "eu-west-1", "imports.tf"))
	if !strings.Contains(string(imports), `id = "pay0euw101"`) || strings.Contains(string(imports), "pay0prod01") {
		t.Errorf("payments-prod/eu-west-1 holds the wrong APIs:\n%s", imports)
	}
	mgmt, _ := os.ReadFile(filepath.Join(dir, "infra", "management", "us-east-1", "providers.tf"))
	if strings.Contains(string(mgmt), "assume_role") {
		t.Errorf("the management account is reached with the run's own credentials, yet:\n%s", mgmt)
	}

	// Two accounts in one directory: an error, and nothing written.
	flat := filepath.Join(dir, "flat")
	if code, _, stderr := runCLI(context.Background(), "generate", "--inventory", inv, "--dir-template", flat); code != exitError ||
		!strings.Contains(stderr, "names neither {account_name} nor {account_id}") {
		t.Errorf("template without the account: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(flat); !os.IsNotExist(err) {
		t.Errorf("%s was created: %v", flat, err)
	}
}
