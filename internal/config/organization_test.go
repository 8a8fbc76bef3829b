package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrganizationSetsDiscoverFlags(t *testing.T) {
	c := load(t, `version: 1
account_concurrency: 8
organization:
  profile: org-admin
  member_role_name: apigw2tf-read
  external_id: shared-secret
  organizational_units: [ou-ab12-cd34ef56]
  include_accounts: ["111111111111", payments]
  exclude_accounts: [sandbox]
  regions: [us-east-1, eu-west-1]
`)
	fs := commandFlags(t, "role-arn", "member-role-name", "external-id", "session-name")
	fs.StringSlice("org-unit", nil, "")
	fs.StringSlice("include-account", nil, "")
	fs.StringSlice("exclude-account", nil, "")
	fs.Int("account-concurrency", 64, "")
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{
		"profile": "org-admin", "member-role-name": "apigw2tf-read", "external-id": "shared-secret",
		"org-unit": "[ou-ab12-cd34ef56]", "include-account": "[111111111111,payments]", "exclude-account": "[sandbox]",
		"region": "[us-east-1,eu-west-1]", "account-concurrency": "8",
	} {
		if got := fs.Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
	// Commands that do not list organizations say what to do instead.
	if err := c.ApplyTo(flagsOf(commandFlags(t, "role-arn")), "generate"); err == nil || !strings.Contains(err.Error(), "pass --inventory") {
		t.Errorf("generate with an organization: %v", err)
	}
}

func TestOrganizationProblems(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"no member role":    {"organization:\n  regions: [us-east-1]\n", "3:3: organization needs member_role_name"},
		"arn as role name":  {"organization:\n  member_role_name: arn:aws:iam::1:role/x\n  regions: [us-east-1]\n", `3:21: organization.member_role_name "arn:aws:iam::1:role/x" is not an IAM role name`},
		"bad unit":          {"organization:\n  member_role_name: r\n  regions: [us-east-1]\n  organizational_units: [prod]\n", `is not an organizational unit id`},
		"short external id": {"organization:\n  member_role_name: r\n  regions: [us-east-1]\n  external_id: x\n", "external_id must be 2 to 1224 characters"},
		"no regions":        {"organization:\n  member_role_name: r\n", "organization needs regions"},
		"both sources":      {"accounts:\n  - {profile: p, regions: [us-east-1]}\norganization:\n  member_role_name: r\n  regions: [us-east-1]\n", "accounts and organization are both set"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), DefaultFile)
			if err := os.WriteFile(path, []byte("version: 1\n"+tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range Validate(path) {
				got = append(got, p.String())
			}
			if !strings.Contains(strings.Join(got, "\n"), tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}

func TestSelectedAccounts(t *testing.T) {
	c := load(t, twoAccounts)
	fs := commandFlags(t, "account")
	fs.Int("account-concurrency", 64, "")
	if err := c.ApplyTo(flagsOf(fs), "discover"); err != nil {
		t.Fatalf("several accounts, a command that runs them all: %v", err)
	}
	all, err := c.Selected(flagsOf(fs))
	if err != nil || len(all) != 2 {
		t.Fatalf("Selected = %v, %v; want both accounts", all, err)
	}
	if err := fs.Parse([]string{"--account", "staging"}); err != nil {
		t.Fatal(err)
	}
	if one, err := c.Selected(flagsOf(fs)); err != nil || one != nil {
		t.Errorf("one --account is a one-account run: %v, %v", one, err)
	}
	if err := fs.Parse([]string{"--account", "staging,prod,nope"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Selected(flagsOf(fs)); err == nil || !strings.Contains(err.Error(), `--account "nope" is not in`) {
		t.Errorf("unknown name: %v", err)
	}
	// A command that runs one account at a time refuses several names.
	fs = commandFlags(t, "account")
	if err := fs.Parse([]string{"--account", "staging,prod"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyTo(flagsOf(fs), "generate"); err == nil || !strings.Contains(err.Error(), "runs one at a time") {
		t.Errorf("generate --account a,b: %v", err)
	}
}
