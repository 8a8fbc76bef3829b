package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/internal/config"
)

// TestConfigKeysReachTheirCommand: every key docs/config.md gives a flag
// sets that flag of each command that takes it, when the file sets every
// key (internal/config's valid test file). A command that stops handing a
// flag to the configuration, or a flag the file no longer reaches, fails
// here (issue 12: the file once set flags by their names, and a renamed
// flag silently stopped applying).
func TestConfigKeysReachTheirCommand(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	// | `key` | type | `--flag` … | meaning |
	row := regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` \\| [^|]* \\| `--([a-z-]+)`")
	flagOf := map[string]string{} // config key (without []) -> flag name
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		flagOf[strings.ReplaceAll(m[1], "[]", "")] = m[2]
	}
	// The name picks an account and names are merged with --name: neither
	// is a value the file gives a flag.
	delete(flagOf, "accounts.name")
	delete(flagOf, "generate.names")
	if len(flagOf) < 25 {
		t.Fatalf("read %d keys with flags from docs/config.md; the table's shape changed", len(flagOf))
	}
	// The organization section and account_concurrency run several
	// accounts at once, which only discover does; accounts and
	// organization exclude each other, so they live in two valid files.
	orgKey := func(key string) bool {
		return strings.HasPrefix(key, "organization.") || key == "account_concurrency"
	}
	takes := func(cmd, key string) bool {
		switch {
		case orgKey(key):
			return cmd == "discover"
		case key == "terraform_bin":
			return cmd != "discover"
		case key == "generate.dir":
			return cmd == "generate" || cmd == "verify"
		case strings.HasPrefix(key, "generate."):
			return cmd == "generate"
		case strings.HasPrefix(key, "audit."):
			return cmd == "audit"
		}
		return cmd != "verify" // the discovery settings
	}
	s := streams{}
	for file, covers := range map[string]func(key string) bool{
		"apigw2tf.yaml":     func(key string) bool { return !orgKey(key) },
		"organization.yaml": orgKey,
	} {
		c, err := config.Load(filepath.Join("..", "..", "internal", "config", "testdata", "valid", file))
		if err != nil {
			t.Fatal(err)
		}
		for name, build := range map[string]func() (*cobra.Command, *config.Flags){
			"discover": func() (*cobra.Command, *config.Flags) { return newDiscoverCmd(s) },
			"generate": func() (*cobra.Command, *config.Flags) { return newGenerateCmd(s) },
			"verify":   func() (*cobra.Command, *config.Flags) { return newVerifyCmd(s, &logFlags{}) },
			"audit":    func() (*cobra.Command, *config.Flags) { return newAuditCmd(s) },
		} {
			_, ff := build()
			if file == "organization.yaml" && name != "discover" {
				continue // the others refuse an organization: pass --inventory
			}
			if ff.Account != nil && file == "apigw2tf.yaml" {
				// The file lists two accounts; staging has a profile and a role.
				if err := ff.Account.Value.Set("staging"); err != nil {
					t.Fatal(err)
				}
			}
			settings, err := c.Settings(*ff, name)
			if err != nil {
				t.Fatalf("%s, %s: %v", file, name, err)
			}
			got := map[string]config.Setting{}
			for _, st := range settings {
				got[st.Key] = st
			}
			if err := c.ApplyTo(*ff, name); err != nil {
				t.Fatalf("%s, %s: %v", file, name, err)
			}
			for key, flag := range flagOf {
				if !covers(key) {
					continue
				}
				st, ok := got[key]
				switch {
				case !takes(name, key):
					if ok && st.Flag != nil {
						t.Errorf("%s: %s sets --%s, which the command should not take from the file", name, key, st.Flag.Name)
					}
				case !ok || st.Flag == nil:
					t.Errorf("%s: %s has no effect; docs/config.md says it sets --%s", name, key, flag)
				case st.Flag.Name != flag:
					t.Errorf("%s: %s sets --%s; docs/config.md says --%s", name, key, st.Flag.Name, flag)
				case st.Flag.Value.String() == st.Flag.DefValue && key != "audit.mode":
					t.Errorf("%s: %s left --%s at its default %q", name, key, flag, st.Flag.DefValue)
				}
			}
		}
	}
}
