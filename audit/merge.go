package audit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// ShardRef names one shard of a sharded run: Index (0-based) of Count.
type ShardRef = inventory.ShardRef

// MergeInput is one report to merge and the name it is known by (its file).
type MergeInput struct {
	Name   string
	Report *Report
}

// Merge combines the reports of one sharded run (or of separate audits of
// different accounts) into one report. Shard reports must all be of the
// same run: one count N, and then every index 0..N-1 exactly once. A shard
// that is missing, an index given twice, an account or a directory claimed
// by two reports are recorded in MergeErrors and make the report Partial,
// so the merged result is never clean. Reports that cannot belong
// together (other modes, other shard counts, shard and plain reports
// mixed) are an error. baseline, when set, marks findings new or known as
// an audit does.
func Merge(in []MergeInput, baseline *Report) (*Report, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("no report to merge; pass JSON reports or directories holding report.json")
	}
	first := in[0]
	for _, x := range in[1:] {
		if x.Report.Mode != first.Report.Mode {
			return nil, fmt.Errorf("report %s is of a %s audit but %s of a %s audit; merge the reports of one run", first.Name, first.Report.Mode, x.Name, x.Report.Mode)
		}
		if (x.Report.Shard == nil) != (first.Report.Shard == nil) {
			sharded, plain := x, first
			if x.Report.Shard == nil {
				sharded, plain = first, x
			}
			return nil, fmt.Errorf("report %s is shard %d/%d but %s is not a shard report; merge the reports of one run", sharded.Name, sharded.Report.Shard.Index, sharded.Report.Shard.Count, plain.Name)
		}
		if x.Report.Shard != nil && x.Report.Shard.Count != first.Report.Shard.Count {
			return nil, fmt.Errorf("report %s is one of %d shards but %s one of %d; merge the reports of one run", first.Name, first.Report.Shard.Count, x.Name, x.Report.Shard.Count)
		}
	}
	reps := make([]*Report, len(in))
	for i, x := range in {
		reps[i] = x.Report
	}
	out := combine(reps)
	out.MergeErrors = mergeProblems(in)
	if len(out.MergeErrors) > 0 {
		out.Partial = true
	}
	if baseline != nil {
		markBaseline(out.Findings, baseline)
		out.countFindings()
	}
	return out, nil
}

// mergeProblems lists missing and doubled shards, and accounts and
// directories two reports claim, in a stable order.
func mergeProblems(in []MergeInput) []string {
	var out []string
	if sh := in[0].Report.Shard; sh != nil {
		byIndex := map[int][]string{}
		for _, x := range in {
			byIndex[x.Report.Shard.Index] = append(byIndex[x.Report.Shard.Index], x.Name)
		}
		var missing []string
		for i := range sh.Count {
			switch names := byIndex[i]; {
			case len(names) == 0:
				missing = append(missing, fmt.Sprint(i))
			case len(names) > 1:
				out = append(out, fmt.Sprintf("shard %d of %d was given %d times (%s)", i, sh.Count, len(names), strings.Join(names, ", ")))
			}
		}
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("%d of %d shards missing: shard %s; rerun them or merge all of their reports", len(missing), sh.Count, strings.Join(missing, ", ")))
		}
	}
	label := func(x MergeInput) string {
		if x.Report.Shard != nil {
			return fmt.Sprintf("shard %d", x.Report.Shard.Index)
		}
		return x.Name
	}
	accounts := map[string][]string{}
	dirs := map[string][]string{}
	for _, x := range in {
		for _, a := range x.Report.Accounts {
			accounts[a.Name] = append(accounts[a.Name], label(x))
		}
		for _, d := range x.Report.Dirs {
			dirs[d.Dir] = append(dirs[d.Dir], label(x))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(accounts)) {
		if by := accounts[name]; len(by) > 1 {
			out = append(out, fmt.Sprintf("account %s is claimed by %s", name, strings.Join(by, " and ")))
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		if by := dirs[dir]; len(by) > 1 {
			out = append(out, fmt.Sprintf("directory %s is claimed by %s", dir, strings.Join(by, " and ")))
		}
	}
	return out
}

// combine merges reports of disjoint accounts: lists are joined, counts
// added, coverage summed per region, findings sorted as an audit sorts
// them. Baseline status is kept as each report had it.
func combine(reps []*Report) *Report {
	out := &Report{Schema: Schema, Mode: reps[0].Mode, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{}}
	covered := true
	for _, r := range reps {
		if r.GeneratedAt.After(out.GeneratedAt) {
			out.GeneratedAt = r.GeneratedAt
		}
		out.Partial = out.Partial || r.Partial
		out.Dirs = append(out.Dirs, r.Dirs...)
		out.Errors = append(out.Errors, r.Errors...)
		out.Findings = append(out.Findings, r.Findings...)
		out.Accounts = append(out.Accounts, r.Accounts...)
		for _, sk := range r.SkippedAccounts {
			// Every shard reads the same inventory, so each lists the
			// same skipped accounts.
			if !slices.ContainsFunc(out.SkippedAccounts, func(o SkippedAccount) bool { return o.ID == sk.ID }) {
				out.SkippedAccounts = append(out.SkippedAccounts, sk)
			}
		}
		out.MergeErrors = append(out.MergeErrors, r.MergeErrors...)
		out.Summary.Managed += r.Summary.Managed
		out.Summary.Ignored += r.Summary.Ignored
		covered = covered && r.Coverage != nil
	}
	if covered {
		out.Coverage = combineCoverage(reps)
	}
	slices.SortStableFunc(out.Accounts, func(a, b AccountResult) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortStableFunc(out.Dirs, func(a, b DirResult) int { return cmp.Compare(a.Dir, b.Dir) })
	slices.SortStableFunc(out.Errors, func(a, b RegionError) int {
		return cmpStrings(a.Account, b.Account, a.Region, b.Region, a.Message, b.Message)
	})
	sortFindings(out.Findings)
	out.countFindings()
	return out
}

// combineCoverage sums the reports' coverage as an audit of all their
// accounts sums it (addCoverage).
func combineCoverage(reps []*Report) *Coverage {
	perRegion, failed := map[string]*CoverageRow{}, map[string]bool{}
	var accounts []AccountCoverage
	for _, r := range reps {
		accounts = append(accounts, r.Coverage.Accounts...)
		addCoverage(perRegion, failed, r.Coverage)
	}
	cov := coverage(perRegion, failed)
	cov.Accounts = accounts
	slices.SortStableFunc(cov.Accounts, func(a, b AccountCoverage) int { return cmp.Compare(a.Account, b.Account) })
	return cov
}
