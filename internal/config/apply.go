package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// FlagName is the global flag naming the configuration file.
const FlagName = "config"

// AddFlag registers --config/-c on flags (a root command's persistent
// flags). An empty value means DefaultFile when it exists.
func AddFlag(flags *pflag.FlagSet) {
	flags.StringP(FlagName, "c", "", "configuration file (default ./"+DefaultFile+" when it exists)")
}

// FromFlags loads the configuration file --config names. Without --config
// it loads DefaultFile from the working directory when it exists and
// returns nil, nil when it does not, so commands work without a file.
func FromFlags(flags *pflag.FlagSet) (*Config, error) {
	path := DefaultFile
	if f := flags.Lookup(FlagName); f != nil && f.Value.String() != "" {
		path = f.Value.String()
	} else if _, err := os.Stat(DefaultFile); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Load(path)
}

// ApplyTo gives the flags of command cmd ("discover", "generate", "verify"
// or "audit") their values from the file. Flags given on the command line
// (Changed) keep theirs, and flags the command does not define are skipped,
// since one file serves every command. Values are set without marking the
// flags Changed, so a command can still tell the command line from the
// file. Inline audit ignore rules have no flag: the audit command reads
// Audit.IgnoreRules.
//
// With several accounts, the --account flag picks one by name; a command
// without that flag needs --profile and --region on its command line.
func (c *Config) ApplyTo(flags *pflag.FlagSet, cmd string) error {
	var vals []flagValue
	switch cmd {
	case "discover":
		dv, err := c.discoverValues(flags, cmd)
		if err != nil {
			return err
		}
		vals = dv
	case "generate":
		dv, err := c.discoverValues(flags, cmd)
		if err != nil {
			return err
		}
		vals = append(dv, c.generateValues()...)
	case "verify":
		vals = c.generateValues()
	case "audit":
		// Live mode discovers, so audit takes the discovery settings too.
		dv, err := c.discoverValues(flags, cmd)
		if err != nil {
			return err
		}
		vals = append(dv, c.auditValues()...)
	default:
		return fmt.Errorf("configuration has no settings for command %q; use discover, generate, verify or audit", cmd)
	}
	if c.TerraformBin != "" && cmd != "discover" {
		vals = append(vals, flagValue{"terraform-bin", "terraform_bin", []string{c.TerraformBin}})
	}
	for _, v := range vals {
		if err := c.set(flags, v); err != nil {
			return err
		}
	}
	return nil
}

// flagValue is a value from the file for one flag.
type flagValue struct {
	flag string   // flag name, without dashes
	key  string   // dotted key in the file, for messages
	vals []string // nil when the file does not set it
}

func (c *Config) discoverValues(flags *pflag.FlagSet, cmd string) ([]flagValue, error) {
	// A run that reads a saved inventory, or skips discovery, discovers
	// nothing: the file's account and filters have nothing to apply to,
	// and would clash with --inventory.
	if changed(flags, "inventory") || changed(flags, "no-discover") {
		return nil, nil
	}
	var out []flagValue
	add := func(flag, key string, vals ...string) {
		if len(vals) > 0 {
			out = append(out, flagValue{flag, key, vals})
		}
	}
	// A command without credential flags (audit reading an inventory)
	// has no use for an account, so several accounts are no error there.
	var a *Account
	if flags.Lookup("profile") != nil || flags.Lookup("region") != nil {
		var err error
		if a, err = c.account(flags, cmd); err != nil {
			return nil, err
		}
	}
	if a != nil {
		if a.RoleARN != "" && flags.Lookup("role-arn") == nil {
			return nil, c.errorAt("accounts", "account %s assumes role_arn, which `apigw2tf %s` cannot do yet; use a profile with role_arn and source_profile in ~/.aws/config instead", a.label(), cmd)
		}
		add("profile", "accounts.profile", nonEmpty(a.Profile)...)
		add("role-arn", "accounts.role_arn", nonEmpty(a.RoleARN)...)
		add("region", "accounts.regions", a.Regions...)
	}
	f := c.Filters
	add("include", "filters.include", f.Include...)
	add("exclude", "filters.exclude", f.Exclude...)
	add("api-id", "filters.api_ids", f.APIIDs...)
	var tags []string
	for _, k := range slices.Sorted(maps.Keys(f.Tags)) {
		tags = append(tags, k+"="+f.Tags[k])
	}
	add("tag", "filters.tags", tags...)
	add("protocol", "filters.protocol", nonEmpty(f.Protocol)...)
	add("types", "filters.types", f.Types...)
	if c.RateSet {
		add("rate", "rate", strconv.FormatFloat(c.Rate, 'g', -1, 64))
	}
	add("burst", "burst", positiveString(c.Burst)...)
	add("concurrency", "concurrency", positiveString(c.Concurrency)...)
	add("max-attempts", "max_attempts", positiveString(c.MaxAttempts)...)
	add("endpoint-url", "endpoint_url", nonEmpty(c.EndpointURL)...)
	return out, nil
}

func (c *Config) generateValues() []flagValue {
	var out []flagValue
	if c.Generate.Dir != "" {
		out = append(out, flagValue{"dir", "generate.dir", []string{c.Generate.Dir}})
	}
	if c.Generate.Output != "" {
		out = append(out, flagValue{"output", "generate.output", []string{c.Generate.Output}})
	}
	if c.Generate.Layout != "" {
		out = append(out, flagValue{"layout", "generate.layout", []string{c.Generate.Layout}})
	}
	return out
}

func (c *Config) auditValues() []flagValue {
	a := c.Audit
	out := []flagValue{
		{"dir", "audit.dirs", a.Dirs},
		{"format", "audit.formats", a.Formats},
		{"out-dir", "audit.out_dir", nonEmpty(a.OutDir)},
		{"ignore", "audit.ignore", nonEmpty(a.IgnoreFile)},
		{"baseline", "audit.baseline", nonEmpty(a.Baseline)},
		{"fail-on", "audit.fail_on", nonEmpty(a.FailOn)},
		{"parallel", "audit.parallel", positiveString(a.Parallel)},
		{"mode", "audit.mode", nonEmpty(a.Mode)},
		{"redact", "audit.redact", a.Redact},
	}
	if a.IncludePending != nil {
		out = append(out, flagValue{"include-pending", "audit.include_pending", []string{strconv.FormatBool(*a.IncludePending)}})
	}
	return out
}

// account picks the account a run uses: the one --account names, the only
// one, or none when the command line gives the credentials and regions
// itself.
func (c *Config) account(flags *pflag.FlagSet, cmd string) (*Account, error) {
	if f := flags.Lookup("account"); f != nil && f.Value.String() != "" {
		name := f.Value.String()
		for i := range c.Accounts {
			if c.Accounts[i].Name == name {
				return &c.Accounts[i], nil
			}
		}
		return nil, fmt.Errorf("--account %q is not in %s; %s", name, c.Path, c.accountNames())
	}
	switch len(c.Accounts) {
	case 0:
		return nil, nil
	case 1:
		return &c.Accounts[0], nil
	}
	if changed(flags, "profile") && changed(flags, "region") {
		return nil, nil
	}
	if flags.Lookup("account") != nil {
		return nil, c.errorAt("accounts", "%d accounts are configured; pick one with --account NAME (%s)", len(c.Accounts), c.accountNames())
	}
	return nil, c.errorAt("accounts", "%d accounts are configured and `apigw2tf %s` runs one at a time; give --profile and --region, or keep one account in the file", len(c.Accounts), cmd)
}

func (c *Config) accountNames() string {
	if len(c.Accounts) == 0 {
		return "it lists no accounts"
	}
	names := make([]string, len(c.Accounts))
	for i, a := range c.Accounts {
		names[i] = a.Name
	}
	return "accounts are " + strings.Join(names, ", ")
}

func (a *Account) label() string {
	if a.Name != "" {
		return strconv.Quote(a.Name)
	}
	return a.RoleARN
}

func changed(flags *pflag.FlagSet, name string) bool {
	f := flags.Lookup(name)
	return f != nil && f.Changed
}

// set gives one flag its value from the file. List flags (StringSlice,
// StringArray) get the list; other flags get one value, or the list joined
// with commas, which the comma-separated flags (--region, --format) read as
// the list.
func (c *Config) set(flags *pflag.FlagSet, v flagValue) error {
	f := flags.Lookup(v.flag)
	if f == nil || f.Changed || len(v.vals) == 0 {
		return nil
	}
	var err error
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		err = sv.Replace(v.vals)
	} else {
		if len(v.vals) > 1 && slices.ContainsFunc(v.vals, func(s string) bool { return strings.Contains(s, ",") }) {
			return c.errorAt(v.key, "%s has several values and one holds a comma, which --%s cannot take; keep one value", v.key, v.flag)
		}
		err = f.Value.Set(strings.Join(v.vals, ","))
	}
	if err != nil {
		return c.errorAt(v.key, "%s: --%s does not accept %q: %v", v.key, v.flag, strings.Join(v.vals, ","), err)
	}
	return nil
}

// errorAt formats an error that points at key's value in the file.
func (c *Config) errorAt(key, format string, args ...any) error {
	// accounts.profile and friends point at the accounts list.
	if i := strings.IndexByte(key, '.'); i > 0 && key[:i] == "accounts" {
		key = "accounts"
	}
	p := Problem{File: c.Path, Msg: fmt.Sprintf(format, args...)}
	if pos, ok := c.pos[key]; ok {
		p.Line, p.Col = pos.line, pos.col
	}
	return errors.New(p.String())
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func positiveString(i int) []string {
	if i <= 0 {
		return nil
	}
	return []string{strconv.Itoa(i)}
}
