package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// resolved is what a command runs with once the configuration file and
// its flags are mapped (fromconfig.go): the typed options of its steps,
// and the flag values that are no step's option. nil where the command has
// no such part.
type resolved struct {
	refs     flagRefs
	discover *discover.Options
	accounts *accountsFlags
	generate *generate.Options
	audit    *audit.Options
	formats  []string
	failOn   audit.FailOn
	flags    any // the command's own flag values (generateFlags, auditFlags, verifyFlags)
}

// resolve builds command name's flags the way the command registers them,
// maps c into them as its RunE does (c nil: no file) and builds the
// options from them.
func resolve(t *testing.T, name string, c *config.Config, args ...string) resolved {
	t.Helper()
	r, err := resolveErr(name, c, args...)
	if err != nil {
		t.Fatalf("%s %q: %v", name, args, err)
	}
	return r
}

// resolveErr is resolve returning the error of the mapping or of the
// options; args are the command line.
func resolveErr(name string, c *config.Config, args ...string) (resolved, error) {
	s := streams{out: io.Discard, err: io.Discard}
	var r resolved
	df, set := discoverFlagSet(s)
	r.refs = df.refs
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	parse := func() error {
		if name != "verify" {
			fs.AddFlagSet(set)
		}
		return fs.Parse(args)
	}
	var err error
	switch name {
	case "discover":
		var af accountsFlags
		af.register(fs, &r.refs)
		df.refs = r.refs
		if err = parse(); err == nil && c != nil {
			err = discoverFromConfig(c, r.refs, df, &af)
		}
		r.accounts = &af
	case "generate":
		var f generateFlags
		f.register(fs, &r.refs)
		if err = parse(); err == nil && c != nil {
			err = generateFromConfig(c, r.refs, df, &f)
		}
		names, nerr := nameOverrides(c, f.names)
		if nerr != nil {
			return r, nerr
		}
		o := f.options(names)
		r.generate, r.flags = &o, f
	case "verify":
		var f verifyFlags
		f.register(fs, &r.refs)
		if err = parse(); err == nil && c != nil {
			verifyFromConfig(c, r.refs, &f)
		}
		r.flags = f
		return r, err
	case "audit":
		var f auditFlags
		f.register(fs, &r.refs)
		if err = parse(); err == nil && c != nil {
			err = auditFromConfig(c, r.refs, df, &f)
		}
		if err == nil {
			var o audit.Options
			o, r.formats, r.failOn, err = f.options(c, df)
			r.audit = &o
		}
		r.flags = f
	}
	if err != nil {
		return r, err
	}
	o, err := df.options()
	r.discover = &o
	return r, err
}

// keyValues reads, for each key of docs/config.md that names a flag, the
// value it sets in a resolved command, and the flag that value belongs to.
// ok is false when the command has no such value.
var keyValues = map[string]func(r resolved) (v any, flag *pflag.Flag, ok bool){
	"accounts.profile":                  discoverValue(func(o *discover.Options) any { return o.Profile }, func(f flagRefs) *pflag.Flag { return f.Profile }),
	"accounts.role_arn":                 discoverValue(func(o *discover.Options) any { return o.Credentials != nil }, func(f flagRefs) *pflag.Flag { return f.RoleARN }),
	"accounts.regions":                  discoverValue(func(o *discover.Options) any { return o.Regions }, func(f flagRefs) *pflag.Flag { return f.Region }),
	"organization.profile":              discoverValue(func(o *discover.Options) any { return o.Profile }, func(f flagRefs) *pflag.Flag { return f.Profile }),
	"organization.role_arn":             discoverValue(func(o *discover.Options) any { return o.Credentials != nil }, func(f flagRefs) *pflag.Flag { return f.RoleARN }),
	"organization.regions":              discoverValue(func(o *discover.Options) any { return o.Regions }, func(f flagRefs) *pflag.Flag { return f.Region }),
	"organization.member_role_name":     accountsValue(func(a *accountsFlags) any { return a.memberRoleName }, func(f flagRefs) *pflag.Flag { return f.MemberRoleName }),
	"organization.external_id":          accountsValue(func(a *accountsFlags) any { return a.externalID }, func(f flagRefs) *pflag.Flag { return f.ExternalID }),
	"organization.session_name":         accountsValue(func(a *accountsFlags) any { return a.sessionName }, func(f flagRefs) *pflag.Flag { return f.SessionName }),
	"organization.organizational_units": accountsValue(func(a *accountsFlags) any { return a.units }, func(f flagRefs) *pflag.Flag { return f.OrgUnit }),
	"organization.include_accounts":     accountsValue(func(a *accountsFlags) any { return a.include }, func(f flagRefs) *pflag.Flag { return f.IncludeAccount }),
	"organization.exclude_accounts":     accountsValue(func(a *accountsFlags) any { return a.exclude }, func(f flagRefs) *pflag.Flag { return f.ExcludeAccount }),
	"account_concurrency":               accountsValue(func(a *accountsFlags) any { return a.accountConcurrency }, func(f flagRefs) *pflag.Flag { return f.AccountConcurrency }),
	"filters.include":                   discoverValue(func(o *discover.Options) any { return fmt.Sprint(o.Include) }, func(f flagRefs) *pflag.Flag { return f.Include }),
	"filters.exclude":                   discoverValue(func(o *discover.Options) any { return fmt.Sprint(o.Exclude) }, func(f flagRefs) *pflag.Flag { return f.Exclude }),
	"filters.api_ids":                   discoverValue(func(o *discover.Options) any { return o.APIIDs }, func(f flagRefs) *pflag.Flag { return f.APIID }),
	"filters.tags":                      discoverValue(func(o *discover.Options) any { return o.Tags }, func(f flagRefs) *pflag.Flag { return f.Tag }),
	"filters.types":                     discoverValue(func(o *discover.Options) any { return o.Types }, func(f flagRefs) *pflag.Flag { return f.Types }),
	"filters.protocol":                  discoverValue(func(o *discover.Options) any { return o.Protocol }, func(f flagRefs) *pflag.Flag { return f.Protocol }),
	"rate":                              discoverValue(func(o *discover.Options) any { return o.Rate }, func(f flagRefs) *pflag.Flag { return f.Rate }),
	"burst":                             discoverValue(func(o *discover.Options) any { return o.Burst }, func(f flagRefs) *pflag.Flag { return f.Burst }),
	"concurrency":                       discoverValue(func(o *discover.Options) any { return o.Concurrency }, func(f flagRefs) *pflag.Flag { return f.Concurrency }),
	"max_attempts":                      discoverValue(func(o *discover.Options) any { return o.MaxAttempts }, func(f flagRefs) *pflag.Flag { return f.MaxAttempts }),
	"endpoint_url":                      discoverValue(func(o *discover.Options) any { return o.EndpointURL }, func(f flagRefs) *pflag.Flag { return f.EndpointURL }),
	"terraform_bin":                     terraformBin,
	"generate.dir":                      generateDir,
	"generate.output":                   generateValue(func(o *generate.Options) any { return o.Output }, func(f flagRefs) *pflag.Flag { return f.Output }),
	"generate.layout":                   generateValue(func(o *generate.Options) any { return o.Layout }, func(f flagRefs) *pflag.Flag { return f.Layout }),
	"audit.dirs":                        auditValue(func(r resolved) any { return r.audit.Dirs }, func(f flagRefs) *pflag.Flag { return f.Dir }),
	"audit.formats":                     auditValue(func(r resolved) any { return r.formats }, func(f flagRefs) *pflag.Flag { return f.Format }),
	"audit.out_dir":                     auditValue(func(r resolved) any { return r.flags.(auditFlags).outDir }, func(f flagRefs) *pflag.Flag { return f.OutDir }),
	"audit.ignore":                      auditValue(func(r resolved) any { return r.audit.Ignore != nil }, func(f flagRefs) *pflag.Flag { return f.Ignore }),
	"audit.baseline":                    auditValue(func(r resolved) any { return r.audit.Baseline != nil }, func(f flagRefs) *pflag.Flag { return f.Baseline }),
	"audit.fail_on":                     auditValue(func(r resolved) any { return r.failOn }, func(f flagRefs) *pflag.Flag { return f.FailOn }),
	"audit.parallel":                    auditValue(func(r resolved) any { return r.audit.Parallel }, func(f flagRefs) *pflag.Flag { return f.Parallel }),
	"audit.mode":                        auditValue(func(r resolved) any { return r.audit.Mode }, func(f flagRefs) *pflag.Flag { return f.Mode }),
	"audit.include_pending":             auditValue(func(r resolved) any { return r.audit.IncludePending }, func(f flagRefs) *pflag.Flag { return f.IncludePending }),
	"audit.redact":                      auditValue(func(r resolved) any { return r.audit.Redact }, func(f flagRefs) *pflag.Flag { return f.Redact }),
}

func discoverValue(v func(*discover.Options) any, flag func(flagRefs) *pflag.Flag) func(resolved) (any, *pflag.Flag, bool) {
	return func(r resolved) (any, *pflag.Flag, bool) {
		if r.discover == nil {
			return nil, nil, false
		}
		return v(r.discover), flag(r.refs), true
	}
}

func accountsValue(v func(*accountsFlags) any, flag func(flagRefs) *pflag.Flag) func(resolved) (any, *pflag.Flag, bool) {
	return func(r resolved) (any, *pflag.Flag, bool) {
		if r.accounts == nil {
			return nil, nil, false
		}
		return v(r.accounts), flag(r.refs), true
	}
}

func generateValue(v func(*generate.Options) any, flag func(flagRefs) *pflag.Flag) func(resolved) (any, *pflag.Flag, bool) {
	return func(r resolved) (any, *pflag.Flag, bool) {
		if r.generate == nil {
			return nil, nil, false
		}
		return v(r.generate), flag(r.refs), true
	}
}

func auditValue(v func(resolved) any, flag func(flagRefs) *pflag.Flag) func(resolved) (any, *pflag.Flag, bool) {
	return func(r resolved) (any, *pflag.Flag, bool) {
		if r.audit == nil {
			return nil, nil, false
		}
		return v(r), flag(r.refs), true
	}
}

// generateDir is --dir of generate and verify; audit's --dir is audit.dirs.
func generateDir(r resolved) (any, *pflag.Flag, bool) {
	switch f := r.flags.(type) {
	case generateFlags:
		return r.generate.Dir, r.refs.Dir, true
	case verifyFlags:
		return f.dir, r.refs.Dir, true
	}
	return nil, nil, false
}

func terraformBin(r resolved) (any, *pflag.Flag, bool) {
	switch f := r.flags.(type) {
	case generateFlags:
		return f.terraformBin, r.refs.TerraformBin, true
	case verifyFlags:
		return f.bin, r.refs.TerraformBin, true
	case auditFlags:
		return f.terraformBin, r.refs.TerraformBin, true
	}
	return nil, nil, false
}

// TestConfigKeysReachTheirCommand: every key docs/config.md gives a flag
// changes the options (or flag value) of each command that takes it, and
// of no other, when the file sets every key (internal/config's valid test
// files); the value is the one of the flag docs/config.md names. A key the
// mapping forgets, or maps into the wrong value, fails here (issue 12:
// the file once set flags by their names, and a renamed flag silently
// stopped applying).
func TestConfigKeysReachTheirCommand(t *testing.T) {
	t.Setenv(engine.EnvBinary, "/bin/true") // audit finds an engine without the file too
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
	// The name picks an account, and names are merged with --name by
	// nameOverrides: neither is a value of its own flag.
	delete(flagOf, "accounts.name")
	delete(flagOf, "generate.names")
	if len(flagOf) < 25 {
		t.Fatalf("read %d keys with flags from docs/config.md; the table's shape changed", len(flagOf))
	}
	for key := range flagOf {
		if keyValues[key] == nil {
			t.Errorf("docs/config.md lists %s; add it to keyValues so that this test covers it", key)
		}
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
	for file, covers := range map[string]func(key string) bool{
		"apigw2tf.yaml":     func(key string) bool { return !orgKey(key) },
		"organization.yaml": orgKey,
	} {
		c, err := config.Load(filepath.Join("..", "..", "internal", "config", "testdata", "valid", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"discover", "generate", "verify", "audit"} {
			if file == "organization.yaml" && name != "discover" {
				continue // the others refuse an organization: pass --inventory
			}
			// The file lists two accounts; staging has a profile and a role.
			var args []string
			if file == "apigw2tf.yaml" && name != "verify" {
				args = []string{"--account", "staging"}
			}
			without, with := resolve(t, name, nil, args...), resolve(t, name, c, args...)
			for key, flag := range flagOf {
				if !covers(key) {
					continue
				}
				before, _, ok := keyValues[key](without)
				if !ok {
					if takes(name, key) {
						t.Errorf("%s: has no value for %s", name, key)
					}
					continue
				}
				after, fl, _ := keyValues[key](with)
				same := reflect.DeepEqual(before, after)
				switch {
				case !takes(name, key):
					if !same {
						t.Errorf("%s: %s changed %v to %v, which the command should not take from the file", name, key, before, after)
					}
				case fl == nil || fl.Name != flag:
					t.Errorf("%s: %s gives the value of %v; docs/config.md says --%s", name, key, fl, flag)
				case same && key != "audit.mode": // the file says plan, the default
					t.Errorf("%s: %s has no effect: the value stays %v", name, key, before)
				}
			}
		}
	}
}
