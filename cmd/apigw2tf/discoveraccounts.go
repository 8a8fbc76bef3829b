package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/shard"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// accountsFlags choose the accounts of a several-account discovery: an
// organization (--member-role-name and friends) or the file's accounts.
type accountsFlags struct {
	memberRoleName     string
	externalID         string
	sessionName        string
	units              []string
	include, exclude   []string
	accountConcurrency int
}

func (f *accountsFlags) register(fs *pflag.FlagSet, ff *flagRefs) {
	ff.MemberRoleName = flagVar(fs, fs.StringVar, &f.memberRoleName, "member-role-name", "", "discover every account of the AWS Organization the credentials can list, assuming this role in each member (e.g. apigw2tf-read)")
	ff.ExternalID = flagVar(fs, fs.StringVar, &f.externalID, "external-id", "", "external id passed with every AssumeRole of a member or configured account role")
	ff.SessionName = flagVar(fs, fs.StringVar, &f.sessionName, "session-name", discover.DefaultSessionName, "role session name of every member AssumeRole")
	ff.OrgUnit = flagVar(fs, fs.StringSliceVar, &f.units, "org-unit", nil, "only accounts of these organizational units and their sub-units (ids like ou-ab12-cd34ef56)")
	ff.IncludeAccount = flagVar(fs, fs.StringSliceVar, &f.include, "include-account", nil, "only these accounts of the organization (ids or names)")
	ff.ExcludeAccount = flagVar(fs, fs.StringSliceVar, &f.exclude, "exclude-account", nil, "leave out these accounts of the organization (ids or names)")
	ff.AccountConcurrency = flagVar(fs, fs.IntVar, &f.accountConcurrency, "account-concurrency", discover.DefaultAccountConcurrency, "accounts discovered at once (each keeps its own pacing per region)")
}

// organization reports whether the flags ask for an organization.
func (f *accountsFlags) organization(ff flagRefs) bool {
	return f.memberRoleName != "" || ff.OrgUnit.Changed || ff.IncludeAccount.Changed || ff.ExcludeAccount.Changed
}

// accountsOptions builds a several-account run, or returns nil for a
// one-account run. base is the discovery the flags describe; in an
// organization its credentials list the accounts and assume the member
// roles.
func (f *accountsFlags) accountsOptions(ctx context.Context, df *discoverFlags, cfg *config.Config, base discover.Options) (*discover.AccountsOptions, error) {
	ff := df.refs
	if f.accountConcurrency < 1 {
		return nil, fmt.Errorf("--account-concurrency %d must be at least 1", f.accountConcurrency)
	}
	ao := &discover.AccountsOptions{Options: base, ExternalID: f.externalID, SessionName: f.sessionName,
		AccountConcurrency: f.accountConcurrency, Progress: base.Progress}
	ao.Options.Progress = nil
	if !ff.Concurrency.Changed && (cfg == nil || cfg.Concurrency == 0) {
		ao.Options.Concurrency = 0 // RunAccounts' default for several accounts
	}
	if f.organization(ff) {
		if ff.Account.Changed {
			return nil, fmt.Errorf("--%s picks accounts of the configuration file; in an organization use --%s", ff.Account.Name, ff.IncludeAccount.Name)
		}
		orgID, targets, skipped, err := discover.Organization(ctx, base, discover.OrgOptions{MemberRoleName: f.memberRoleName,
			Units: f.units, Include: f.include, Exclude: f.exclude})
		if err != nil {
			return nil, err
		}
		ao.Organization, ao.Targets, ao.Skipped = orgID, targets, skipped
		return ao, nil
	}
	if cfg == nil {
		return nil, nil
	}
	accounts, err := cfg.Selected(df.scope(ff, "discover", true))
	if err != nil || accounts == nil {
		return nil, err
	}
	for _, a := range accounts {
		t := discover.Target{Name: a.Name, Profile: a.Profile, RoleARN: a.RoleARN, Regions: a.Regions}
		if r, err := arn.Parse(a.RoleARN); err == nil {
			t.ID = r.AccountID // the role must lead there
		}
		ao.Targets = append(ao.Targets, t)
	}
	return ao, nil
}

// shardTargets narrows a several-account discovery to this process's
// shard. Before discovery only names and ids are known, so every account
// weighs 1 unless --weights weighs it.
func shardTargets(ao *discover.AccountsOptions, sf *shardFlags) error {
	units := make([]shard.Unit, len(ao.Targets))
	for i, t := range ao.Targets {
		units[i] = shard.Unit{Name: inventory.Account{Name: t.Name, ID: t.ID}.Label(), ID: t.ID}
	}
	keep, ref, err := sf.choose(units, "", nil)
	if err != nil {
		return err
	}
	ao.Targets, ao.Shard = kept(ao.Targets, keep), ref
	return nil
}

// runDiscoverAccounts is runDiscover for several accounts: one inventory
// holds them all, and a failed account makes the run partial (exit 3).
func runDiscoverAccounts(ctx context.Context, s streams, ao *discover.AccountsOptions, f discoverCmdFlags, quiet bool) error {
	format, err := f.stdoutFormat()
	if err != nil {
		return err
	}
	if f.allowPartial {
		return fmt.Errorf("--allow-partial keeps an interrupted one-account discovery; a run of %d accounts writes nothing when interrupted, so drop the flag", len(ao.Targets))
	}
	start := time.Now()
	all, err := discover.RunAccounts(ctx, *ao)
	if err != nil {
		return err
	}
	if err := f.emit(s, format, all, func(w io.Writer) error { return writeAccountsTable(w, all) }); err != nil {
		return err
	}
	if !quiet {
		if err := discover.WriteAccountsSummary(s.err, all, time.Since(start)); err != nil {
			return err
		}
	}
	if failed := all.Failed(); len(failed) > 0 {
		names := make([]string, len(failed))
		for i, a := range failed {
			names[i] = a.Label()
		}
		return withCode(exitPartial, fmt.Errorf("discovery is partial: %d of %d accounts failed (%s); the others are complete", len(failed), len(all.Accounts), strings.Join(names, ", ")))
	}
	if all.Partial() {
		return withCode(exitPartial, fmt.Errorf("discovery is partial: some calls failed after retries; see \"errors\" in each account's inventory"))
	}
	return nil
}

// writeAccountsTable prints one line per API with its account.
func writeAccountsTable(w io.Writer, all *inventory.Accounts) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tREGION\tAPI ID\tNAME\tPROTOCOL\tSTAGES")
	for _, a := range all.Accounts {
		if a.Inventory == nil {
			continue
		}
		for _, api := range a.Inventory.APIs {
			names := make([]string, len(api.Stages))
			for i, st := range api.Stages {
				names[i] = st.Name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Label(), api.Region, api.ID, api.Name, api.ProtocolType, strings.Join(names, ","))
		}
	}
	return tw.Flush()
}
