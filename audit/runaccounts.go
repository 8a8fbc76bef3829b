package audit

import (
	"context"
	"fmt"

	"github.com/apigw2tf/apigw2tf/internal/inventory"
)

// AccountRun is one account of a several-account audit: its name, the
// working directories of its states, and its discovery.
type AccountRun struct {
	Name     string
	Dirs     []string
	Discover Discoverer
}

// RunAccounts audits several accounts, one after another (each fans out
// over its directories with o.Parallel), and returns one report of all of
// them; o's Dirs and Discover are replaced by each account's. An account
// that cannot be audited at all (no directory, a state of another account)
// is recorded in the report, which is then Partial; RunAccounts fails only
// for bad options or a cancelled context. shard, when set, is recorded.
func RunAccounts(ctx context.Context, accounts []AccountRun, o Options, shard *ShardRef) (*Report, error) {
	probe := o
	probe.Dirs = []string{"."}
	for _, a := range accounts {
		if a.Discover != nil {
			probe.Discover = a.Discover
		}
	}
	if err := probe.Validate(); err != nil {
		return nil, err
	}
	reps := make([]*Report, 0, len(accounts))
	for _, a := range accounts {
		rep, err := runAccount(ctx, a, o)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			rep = &Report{Schema: Schema, Mode: o.Mode, Partial: true, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{},
				Accounts: []AccountInfo{{Name: a.Name, Dirs: nonNil(a.Dirs), Error: err.Error()}}}
			if rep.Mode == "" {
				rep.Mode = ModePlan
			}
		}
		reps = append(reps, rep)
	}
	if len(reps) == 0 {
		reps = append(reps, &Report{Schema: Schema, Mode: o.Mode, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{}})
	}
	out := combine(reps)
	if out.Accounts == nil {
		out.Accounts = []AccountInfo{}
	}
	if o.Now != nil {
		out.GeneratedAt = o.Now().UTC()
	}
	out.Shard = shard
	return out, nil
}

func runAccount(ctx context.Context, a AccountRun, o Options) (*Report, error) {
	if len(a.Dirs) == 0 {
		return nil, fmt.Errorf("no working directory for account %s; check --dir-template", a.Name)
	}
	var id string
	o.Dirs = a.Dirs
	if a.Discover != nil {
		o.Discover = func(ctx context.Context) (*inventory.Inventory, error) {
			inv, err := a.Discover(ctx)
			if inv != nil {
				id = inv.Account
			}
			return inv, err
		}
	} else {
		o.Discover = nil
	}
	rep, err := Run(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", a.Name, err)
	}
	for i := range rep.Findings {
		rep.Findings[i].Account = a.Name
	}
	for i := range rep.Errors {
		rep.Errors[i].Account = a.Name
	}
	rep.Accounts = []AccountInfo{{Name: a.Name, ID: id, Dirs: a.Dirs, Managed: rep.Summary.Managed}}
	return rep, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
