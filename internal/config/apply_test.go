package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func load(t *testing.T, text string) *Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), DefaultFile)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const twoAccounts = `version: 1
accounts:
  - name: prod
    profile: prod
    regions: [us-east-1]
  - name: staging
    role_arn: arn:aws:iam::123456789012:role/read
    regions: [eu-west-1]
`

func TestAccount(t *testing.T) {
	c := load(t, twoAccounts)
	scope := func(names ...string) Scope {
		return Scope{Command: "generate", AccountFlag: "account", Names: names}
	}

	_, err := c.Account(scope())
	if err == nil || !strings.Contains(err.Error(), DefaultFile+":3:3: 2 accounts are configured; pick one with --account NAME (accounts are prod, staging)") {
		t.Errorf("two accounts, --account not given: err = %v", err)
	}

	if a, err := c.Account(scope("prod")); err != nil || a == nil || a.Profile != "prod" || a.Regions[0] != "us-east-1" {
		t.Errorf("--account prod: %+v, %v", a, err)
	}
	if a, err := c.Account(scope("staging")); err != nil || a == nil || a.RoleARN != "arn:aws:iam::123456789012:role/read" || a.Profile != "" {
		t.Errorf("--account staging: %+v, %v", a, err)
	}
	if _, err := c.Account(scope("nope")); err == nil || !strings.Contains(err.Error(), `--account "nope" is not in`) {
		t.Errorf("--account nope: err = %v", err)
	}
	// A command that runs one account at a time refuses several names.
	if _, err := c.Account(scope("staging", "prod")); err == nil || !strings.Contains(err.Error(), "runs one at a time") {
		t.Errorf("generate --account a,b: %v", err)
	}

	// The command line naming both profile and regions needs no account.
	s := scope()
	s.CredentialsGiven = true
	if a, err := c.Account(s); a != nil || err != nil {
		t.Errorf("credentials on the command line: %+v, %v", a, err)
	}

	// A command that runs several accounts takes none of them here.
	s = scope()
	s.Several = true
	if a, err := c.Account(s); a != nil || err != nil {
		t.Errorf("several accounts, a command that runs them all: %+v, %v", a, err)
	}

	empty := load(t, "version: 1\n")
	if _, err := empty.Account(scope("prod")); err == nil || !strings.Contains(err.Error(), "it lists no accounts") {
		t.Errorf("--account with no accounts in the file: err = %v", err)
	}
}

func TestSelectedAccounts(t *testing.T) {
	c := load(t, twoAccounts)
	scope := func(names ...string) Scope {
		return Scope{Command: "discover", AccountFlag: "account", Names: names, Several: true}
	}
	all, err := c.Selected(scope())
	if err != nil || len(all) != 2 {
		t.Fatalf("Selected = %v, %v; want both accounts", all, err)
	}
	if one, err := c.Selected(scope("staging")); err != nil || one != nil {
		t.Errorf("one --account is a one-account run: %v, %v", one, err)
	}
	if _, err := c.Selected(scope("staging", "prod", "nope")); err == nil || !strings.Contains(err.Error(), `--account "nope" is not in`) {
		t.Errorf("unknown name: %v", err)
	}
	if names := AccountNames(" staging,prod,,staging "); strings.Join(names, "|") != "staging|prod" {
		t.Errorf("AccountNames = %q", names)
	}
}

func TestFromFlags(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	fs := pflag.NewFlagSet("root", pflag.ContinueOnError)
	AddFlag(fs)
	c, err := FromFlags(fs)
	if c != nil || err != nil {
		t.Fatalf("no file, no flag: %v, %v; want nil, nil", c, err)
	}

	if err := os.WriteFile(DefaultFile, []byte("version: 1\nburst: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = FromFlags(fs)
	if err != nil || c == nil || c.Burst != 3 {
		t.Fatalf("default file: %+v, %v", c, err)
	}

	if err := os.WriteFile("other.yaml", []byte("version: 1\nburts: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"-c", "other.yaml"}); err != nil {
		t.Fatal(err)
	}
	_, err = FromFlags(fs)
	if err == nil || err.Error() != `other.yaml:2:1: unknown key "burts"; did you mean "burst"?` {
		t.Fatalf("explicit file with a typo: err = %v", err)
	}

	if err := fs.Parse([]string{"--config", "missing.yaml"}); err != nil {
		t.Fatal(err)
	}
	if _, err = FromFlags(fs); err == nil || !strings.Contains(err.Error(), "missing.yaml: cannot read the configuration file") {
		t.Fatalf("explicit missing file: err = %v", err)
	}
}
