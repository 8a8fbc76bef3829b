package main

import (
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/internal/config"
)

// The configuration file reaches the commands here and nowhere else: each
// command's flag values take the file's typed values field by field, unless
// the flag was given on the command line, which wins. No value goes
// through a flag's string form, and no flag is found by its name; the
// commands then build their options from the flag values as they would
// without a file. TestConfigKeysReachTheirCommand fails when a key of
// docs/config.md has no effect on a command that takes it.

// flagRefs are the flags whose values the file can also give, kept as the
// command registers them (flagVar) so that Changed tells a value given on
// the command line from a default. nil where the command has no such flag.
type flagRefs struct {
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
	// The organization flags and --account-concurrency (discover, which
	// alone runs several accounts at once).
	MemberRoleName, ExternalID, SessionName *pflag.Flag
	OrgUnit, IncludeAccount, ExcludeAccount *pflag.Flag
	AccountConcurrency                      *pflag.Flag
}

func changed(f *pflag.Flag) bool { return f != nil && f.Changed }

// take gives *dst the file's value v unless flag was given on the command
// line; a zero v means the file does not set it.
func take[T comparable](dst *T, flag *pflag.Flag, v T) {
	var zero T
	if !changed(flag) && v != zero {
		*dst = v
	}
}

// takeList is take for lists; an empty list means the file does not set it.
func takeList[T any](dst *[]T, flag *pflag.Flag, v []T) {
	if !changed(flag) && len(v) > 0 {
		*dst = v
	}
}

// discoverFromConfig maps the file into `apigw2tf discover`: the
// discovery settings and, since discover alone runs several accounts, the
// organization section and account_concurrency.
func discoverFromConfig(c *config.Config, refs flagRefs, df *discoverFlags, af *accountsFlags) error {
	if o := c.Organization; o != nil {
		take(&df.profile, refs.Profile, o.Profile)
		take(&df.roleARN, refs.RoleARN, o.RoleARN)
		takeList(&df.regions, refs.Region, o.Regions)
		take(&af.memberRoleName, refs.MemberRoleName, o.MemberRoleName)
		take(&af.externalID, refs.ExternalID, o.ExternalID)
		take(&af.sessionName, refs.SessionName, o.SessionName)
		takeList(&af.units, refs.OrgUnit, o.Units)
		takeList(&af.include, refs.IncludeAccount, o.IncludeAccounts)
		takeList(&af.exclude, refs.ExcludeAccount, o.ExcludeAccounts)
	}
	take(&af.accountConcurrency, refs.AccountConcurrency, c.AccountConcurrency)
	return df.fromConfig(c, refs, "discover", true)
}

// generateFromConfig maps the file into `apigw2tf generate`. The names of
// generate.names are merged with --name by nameOverrides.
func generateFromConfig(c *config.Config, refs flagRefs, df *discoverFlags, f *generateFlags) error {
	if err := discoveryFromConfig(c, refs, df, "generate"); err != nil {
		return err
	}
	take(&f.dir, refs.Dir, c.Generate.Dir)
	take(&f.output, refs.Output, c.Generate.Output)
	take(&f.layout, refs.Layout, c.Generate.Layout)
	take(&f.terraformBin, refs.TerraformBin, c.TerraformBin)
	return nil
}

// verifyFromConfig maps the file into `apigw2tf verify`: the directory
// generate wrote and the engine.
func verifyFromConfig(c *config.Config, refs flagRefs, f *verifyFlags) {
	take(&f.dir, refs.Dir, c.Generate.Dir)
	take(&f.bin, refs.TerraformBin, c.TerraformBin)
}

// auditFromConfig maps the file into `apigw2tf audit`. Live mode
// discovers, so audit takes the discovery settings too.
func auditFromConfig(c *config.Config, refs flagRefs, df *discoverFlags, f *auditFlags) error {
	if err := discoveryFromConfig(c, refs, df, "audit"); err != nil {
		return err
	}
	a := c.Audit
	takeList(&f.dirs, refs.Dir, a.Dirs)
	takeList(&f.fileFormats, refs.Format, a.Formats)
	take(&f.outDir, refs.OutDir, a.OutDir)
	if !changed(refs.Ignore) {
		// The file holds an ignore file or inline rules; --ignore replaces
		// either.
		f.ignore, f.ignoreRules = a.IgnoreFile, a.IgnoreRules
	}
	take(&f.baseline, refs.Baseline, a.Baseline)
	take(&f.failOn, refs.FailOn, a.FailOn)
	take(&f.parallel, refs.Parallel, a.Parallel)
	take(&f.mode, refs.Mode, a.Mode)
	if a.IncludePending != nil && !changed(refs.IncludePending) {
		f.includePending = *a.IncludePending // false is a value here
	}
	takeList(&f.redact, refs.Redact, a.Redact)
	take(&f.terraformBin, refs.TerraformBin, c.TerraformBin)
	return nil
}

// discoveryFromConfig maps the discovery settings into a command that
// discovers one account at a time (generate, audit). A run that reads a
// saved inventory, or skips discovery, discovers nothing: the file's
// account and filters have nothing to apply to, and would clash with
// --inventory.
func discoveryFromConfig(c *config.Config, refs flagRefs, df *discoverFlags, cmd string) error {
	if changed(refs.Inventory) || changed(refs.NoDiscover) {
		return nil
	}
	if c.Organization != nil {
		return c.ErrorAt("organization", "organization is discovered by `apigw2tf discover`; `apigw2tf %s` then reads its inventory: pass --inventory", cmd)
	}
	return df.fromConfig(c, refs, cmd, false)
}

// fromConfig maps the file's account and discovery settings into the
// discovery flags. several is set for a command that runs several
// accounts at once; it then takes no account here (config.Selected).
func (f *discoverFlags) fromConfig(c *config.Config, refs flagRefs, cmd string, several bool) error {
	a, err := c.Account(f.scope(refs, cmd, several))
	if err != nil {
		return err
	}
	if a != nil {
		take(&f.profile, refs.Profile, a.Profile)
		take(&f.roleARN, refs.RoleARN, a.RoleARN)
		takeList(&f.regions, refs.Region, a.Regions)
	}
	fl := c.Filters
	takeList(&f.include, refs.Include, fl.Include)
	takeList(&f.exclude, refs.Exclude, fl.Exclude)
	takeList(&f.apiIDs, refs.APIID, fl.APIIDs)
	if !changed(refs.Tag) && len(fl.Tags) > 0 {
		f.fileTags = fl.Tags
	}
	take(&f.protocol, refs.Protocol, fl.Protocol)
	takeList(&f.types, refs.Types, fl.Types)
	if c.RateSet && !changed(refs.Rate) {
		f.rate = c.Rate // 0 is a value here: no limit
	}
	take(&f.burst, refs.Burst, c.Burst)
	take(&f.concurrency, refs.Concurrency, c.Concurrency)
	take(&f.maxAttempts, refs.MaxAttempts, c.MaxAttempts)
	take(&f.endpointURL, refs.EndpointURL, c.EndpointURL)
	return nil
}

// scope is what the discovery flags say about the file's accounts.
func (f *discoverFlags) scope(refs flagRefs, cmd string, several bool) config.Scope {
	return config.Scope{
		Command:          cmd,
		AccountFlag:      refs.Account.Name,
		Names:            config.AccountNames(f.account),
		Several:          several,
		CredentialsGiven: changed(refs.Profile) && changed(refs.Region),
	}
}
