package audit

import (
	"context"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"
)

// AccountTarget is one account of an audit of several accounts: its
// directories and the discovery that tells its unmanaged resources.
type AccountTarget struct {
	Name, ID, RoleARN string
	Dirs              []string
	Discover          Discoverer
	// Error, when set, means the account could not be reached (its role
	// was denied at discovery); it is reported and not audited.
	Error string
}

// RunAccounts audits every account against its own directories and its
// own discovery, so unmanaged is computed per account against the union of
// that account's audited states, and merges the results into one report
// with the account on every directory, finding and coverage row. o holds
// what is common (mode, rules, baseline, redaction, engine); its Dirs and
// Discover are ignored. No target (an empty shard) gives an empty report. Accounts are audited o.Parallel at a time, one
// directory at a time each, so at most o.Parallel engines run at once.
func RunAccounts(ctx context.Context, o Options, targets []AccountTarget, skipped []SkippedAccount) (*Report, error) {
	o = o.withDefaults()
	reps := make([]*Report, len(targets))
	errs := make([]string, len(targets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Parallel)
	for i, t := range targets {
		if t.Error != "" {
			errs[i] = t.Error
			continue
		}
		if len(t.Dirs) == 0 {
			errs[i] = "no directory holds this account; generate one (apigw2tf generate --dir-template) or list it"
			continue
		}
		g.Go(func() error {
			ao := o
			ao.Dirs, ao.Discover, ao.Parallel, ao.Baseline = t.Dirs, t.Discover, 1, nil
			rep, err := Run(gctx, ao)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				errs[i] = err.Error()
				return nil
			}
			reps[i] = rep
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return mergeAccounts(o, targets, reps, errs, skipped), nil
}

// mergeAccounts joins the accounts' reports into one; o has its defaults.
func mergeAccounts(o Options, targets []AccountTarget, reps []*Report, errs []string, skipped []SkippedAccount) *Report {
	out := &Report{Schema: Schema, Mode: o.Mode, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{},
		Coverage: &Coverage{Regions: []CoverageRow{}, Accounts: []AccountCoverage{}}, SkippedAccounts: skipped}
	perRegion, failed := map[string]*CoverageRow{}, map[string]bool{}
	for i, t := range targets {
		out.Accounts = append(out.Accounts, AccountResult{Name: t.Name, ID: t.ID, RoleARN: t.RoleARN, Error: errs[i], Dirs: append([]string{}, t.Dirs...)})
		rep := reps[i]
		if rep != nil {
			out.Accounts[len(out.Accounts)-1].Managed = rep.Summary.Managed
		}
		if rep == nil {
			out.Partial = true
			failed[""] = true
			continue
		}
		out.Partial = out.Partial || rep.Partial
		out.Summary.Managed += rep.Summary.Managed
		out.Summary.Ignored += rep.Summary.Ignored
		for _, d := range rep.Dirs {
			d.Account = t.Name
			out.Dirs = append(out.Dirs, d)
		}
		for _, e := range rep.Errors {
			e.Account = t.Name
			out.Errors = append(out.Errors, e)
		}
		for _, f := range rep.Findings {
			f.Account, f.AccountID = t.Name, t.ID
			f.Fingerprint = fingerprint(&f)
			out.Findings = append(out.Findings, f)
		}
		if rep.Coverage == nil {
			failed[""] = true
			continue
		}
		out.Coverage.Accounts = append(out.Coverage.Accounts, AccountCoverage{Account: t.Name, AccountID: t.ID, Total: rep.Coverage.Total, Regions: rep.Coverage.Regions})
		addCoverage(perRegion, failed, rep.Coverage)
	}
	accounts := out.Coverage.Accounts
	out.Coverage = coverage(perRegion, failed)
	out.Coverage.Accounts = accounts
	markBaseline(out.Findings, o.Baseline)
	sortFindings(out.Findings)
	out.countFindings()
	out.GeneratedAt = o.Now().UTC()
	return out
}

// failedAccounts lists the accounts that could not be audited.
func (r *Report) failedAccounts() []AccountResult {
	var out []AccountResult
	for _, a := range r.Accounts {
		if a.Error != "" {
			out = append(out, a)
		}
	}
	return out
}

// worstAccounts orders per-account coverage from the least covered (unknown
// first), so a report of hundreds of accounts starts with those to act on.
func worstAccounts(rows []AccountCoverage) []AccountCoverage {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b AccountCoverage) int {
		pa, pb := -1.0, -1.0
		if a.Total.Percent != nil {
			pa = *a.Total.Percent
		}
		if b.Total.Percent != nil {
			pb = *b.Total.Percent
		}
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return cmpStrings(a.Account, b.Account)
	})
	return out
}

// accountLabel is how the human formats name an account.
func accountLabel(name, id string) string {
	if name == "" || name == id {
		return id
	}
	return fmt.Sprintf("%s (%s)", name, id)
}
