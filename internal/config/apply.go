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

// Flags are the flags of one command that the file gives values to, each
// the flag itself, nil where the command has none. The command hands over
// its flags, so nothing here finds a flag by its name: a flag renamed in
// the command keeps taking its value from the file.
type Flags struct {
	// Account, Inventory and NoDiscover are only read: they choose the
	// account, or say that nothing is discovered.
	Account, Inventory, NoDiscover *pflag.Flag
	// The discovery flags (discover, generate and audit).
	Region, Profile, RoleARN, EndpointURL  *pflag.Flag
	Concurrency, Rate, Burst, MaxAttempts  *pflag.Flag
	Include, Exclude, APIID, Tag, Protocol *pflag.Flag
	Types                                  *pflag.Flag
	// Dir is generate.dir for generate and verify, audit.dirs for audit.
	Dir, Output, Layout, TerraformBin                        *pflag.Flag
	Format, OutDir, Ignore, Baseline, FailOn, Parallel, Mode *pflag.Flag
	IncludePending, Redact                                   *pflag.Flag
	// The organization flags (discover), and AccountConcurrency, which
	// only a command that runs several accounts at once has.
	MemberRoleName, ExternalID, SessionName *pflag.Flag
	OrgUnit, IncludeAccount, ExcludeAccount *pflag.Flag
	AccountConcurrency                      *pflag.Flag
}

// Setting is one key of the file that a command takes, with the flag it
// gives its value to (nil when the command has no such flag).
type Setting struct {
	Flag *pflag.Flag
	Key  string   // dotted key in the file, for messages
	Vals []string // as the flag parses them; nil when the file does not set it
}

// ApplyTo gives the flags of command cmd ("discover", "generate", "verify"
// or "audit") their values from the file. Flags given on the command line
// (Changed) keep theirs, and flags the command does not have are skipped,
// since one file serves every command. Values are set without marking the
// flags Changed, so a command can still tell the command line from the
// file. Inline audit ignore rules have no flag: the audit command reads
// Audit.IgnoreRules.
//
// With several accounts, the Account flag picks one by name; a command
// without it needs its Profile and Region flags on its command line.
func (c *Config) ApplyTo(f Flags, cmd string) error {
	settings, err := c.Settings(f, cmd)
	if err != nil {
		return err
	}
	for _, v := range settings {
		if err := c.set(v); err != nil {
			return err
		}
	}
	return nil
}

// Settings lists what ApplyTo sets: the keys of the file that command cmd
// takes, each with its flag.
func (c *Config) Settings(f Flags, cmd string) ([]Setting, error) {
	var vals []Setting
	switch cmd {
	case "discover":
		dv, err := c.discoverValues(f, cmd)
		if err != nil {
			return nil, err
		}
		vals = dv
	case "generate":
		dv, err := c.discoverValues(f, cmd)
		if err != nil {
			return nil, err
		}
		vals = append(dv, c.generateValues(f)...)
	case "verify":
		vals = c.generateValues(f)
	case "audit":
		// Live mode discovers, so audit takes the discovery settings too.
		dv, err := c.discoverValues(f, cmd)
		if err != nil {
			return nil, err
		}
		vals = append(dv, c.auditValues(f)...)
	default:
		return nil, fmt.Errorf("configuration has no settings for command %q; use discover, generate, verify or audit", cmd)
	}
	if c.TerraformBin != "" && cmd != "discover" {
		vals = append(vals, Setting{f.TerraformBin, "terraform_bin", []string{c.TerraformBin}})
	}
	return vals, nil
}

func (c *Config) discoverValues(f Flags, cmd string) ([]Setting, error) {
	// A run that reads a saved inventory, or skips discovery, discovers
	// nothing: the file's account and filters have nothing to apply to,
	// and would clash with --inventory.
	if changed(f.Inventory) || changed(f.NoDiscover) {
		return nil, nil
	}
	var out []Setting
	add := func(flag *pflag.Flag, key string, vals ...string) {
		if len(vals) > 0 {
			out = append(out, Setting{flag, key, vals})
		}
	}
	// A command without credential flags (audit reading an inventory)
	// has no use for an account, so several accounts are no error there.
	if c.Organization != nil {
		if f.MemberRoleName == nil {
			return nil, c.errorAt("organization", "organization is discovered by `apigw2tf discover`; `apigw2tf %s` then reads its inventory: pass --inventory", cmd)
		}
		out = append(out, c.organizationValues(f)...)
	}
	add(f.AccountConcurrency, "account_concurrency", positiveString(c.AccountConcurrency)...)
	var a *Account
	if f.Profile != nil || f.Region != nil {
		var err error
		if a, err = c.account(f, cmd); err != nil {
			return nil, err
		}
	}
	if a != nil {
		if a.RoleARN != "" && f.RoleARN == nil {
			return nil, c.errorAt("accounts", "account %s assumes role_arn, which `apigw2tf %s` cannot do yet; use a profile with role_arn and source_profile in ~/.aws/config instead", a.label(), cmd)
		}
		add(f.Profile, "accounts.profile", nonEmpty(a.Profile)...)
		add(f.RoleARN, "accounts.role_arn", nonEmpty(a.RoleARN)...)
		add(f.Region, "accounts.regions", a.Regions...)
	}
	fl := c.Filters
	add(f.Include, "filters.include", fl.Include...)
	add(f.Exclude, "filters.exclude", fl.Exclude...)
	add(f.APIID, "filters.api_ids", fl.APIIDs...)
	var tags []string
	for _, k := range slices.Sorted(maps.Keys(fl.Tags)) {
		tags = append(tags, k+"="+fl.Tags[k])
	}
	add(f.Tag, "filters.tags", tags...)
	add(f.Protocol, "filters.protocol", nonEmpty(fl.Protocol)...)
	add(f.Types, "filters.types", fl.Types...)
	if c.RateSet {
		add(f.Rate, "rate", strconv.FormatFloat(c.Rate, 'g', -1, 64))
	}
	add(f.Burst, "burst", positiveString(c.Burst)...)
	add(f.Concurrency, "concurrency", positiveString(c.Concurrency)...)
	add(f.MaxAttempts, "max_attempts", positiveString(c.MaxAttempts)...)
	add(f.EndpointURL, "endpoint_url", nonEmpty(c.EndpointURL)...)
	return out, nil
}

func (c *Config) generateValues(f Flags) []Setting {
	var out []Setting
	if c.Generate.Dir != "" {
		out = append(out, Setting{f.Dir, "generate.dir", []string{c.Generate.Dir}})
	}
	if c.Generate.Output != "" {
		out = append(out, Setting{f.Output, "generate.output", []string{c.Generate.Output}})
	}
	if c.Generate.Layout != "" {
		out = append(out, Setting{f.Layout, "generate.layout", []string{c.Generate.Layout}})
	}
	return out
}

func (c *Config) auditValues(f Flags) []Setting {
	a := c.Audit
	out := []Setting{
		{f.Dir, "audit.dirs", a.Dirs},
		{f.Format, "audit.formats", a.Formats},
		{f.OutDir, "audit.out_dir", nonEmpty(a.OutDir)},
		{f.Ignore, "audit.ignore", nonEmpty(a.IgnoreFile)},
		{f.Baseline, "audit.baseline", nonEmpty(a.Baseline)},
		{f.FailOn, "audit.fail_on", nonEmpty(a.FailOn)},
		{f.Parallel, "audit.parallel", positiveString(a.Parallel)},
		{f.Mode, "audit.mode", nonEmpty(a.Mode)},
		{f.Redact, "audit.redact", a.Redact},
	}
	if a.IncludePending != nil {
		out = append(out, Setting{f.IncludePending, "audit.include_pending", []string{strconv.FormatBool(*a.IncludePending)}})
	}
	return out
}

// account picks the account a run uses: the one --account names, the only
// one, or none when the command line gives the credentials and regions
// itself, or when a command that runs several accounts runs several
// (Selected lists them).
func (c *Config) account(f Flags, cmd string) (*Account, error) {
	names := accountNamesFlag(f.Account)
	if len(names) > 1 || (len(names) == 0 && len(c.Accounts) > 1 && f.runsSeveral()) {
		if f.runsSeveral() {
			return nil, nil
		}
		return nil, fmt.Errorf("--%s names %d accounts and `apigw2tf %s` runs one at a time; name one, or discover them together with `apigw2tf discover`", f.Account.Name, len(names), cmd)
	}
	if len(names) == 1 {
		name := names[0]
		for i := range c.Accounts {
			if c.Accounts[i].Name == name {
				return &c.Accounts[i], nil
			}
		}
		return nil, fmt.Errorf("--%s %q is not in %s; %s", f.Account.Name, name, c.Path, c.accountNames())
	}
	switch len(c.Accounts) {
	case 0:
		return nil, nil
	case 1:
		return &c.Accounts[0], nil
	}
	if changed(f.Profile) && changed(f.Region) {
		return nil, nil
	}
	if f.Account != nil {
		return nil, c.errorAt("accounts", "%d accounts are configured; pick one with --%s NAME (%s)", len(c.Accounts), f.Account.Name, c.accountNames())
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

func changed(f *pflag.Flag) bool { return f != nil && f.Changed }

// set gives one flag its value from the file. List flags (StringSlice,
// StringArray) get the list; other flags get one value, or the list joined
// with commas, which the comma-separated flags (--region, --format) read as
// the list.
func (c *Config) set(v Setting) error {
	f := v.Flag
	if f == nil || f.Changed || len(v.Vals) == 0 {
		return nil
	}
	var err error
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		err = sv.Replace(v.Vals)
	} else {
		if len(v.Vals) > 1 && slices.ContainsFunc(v.Vals, func(s string) bool { return strings.Contains(s, ",") }) {
			return c.errorAt(v.Key, "%s has several values and one holds a comma, which --%s cannot take; keep one value", v.Key, f.Name)
		}
		err = f.Value.Set(strings.Join(v.Vals, ","))
	}
	if err != nil {
		return c.errorAt(v.Key, "%s: --%s does not accept %q: %v", v.Key, f.Name, strings.Join(v.Vals, ","), err)
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
