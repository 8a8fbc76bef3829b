package audit

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// shardReport is a report of one shard covering the named accounts, each
// with one finding and one directory.
func shardReport(index, count int, accounts ...string) *Report {
	rep := &Report{Schema: Schema, Mode: ModePlan, Shard: &ShardRef{Index: index, Count: count}, Dirs: []DirResult{}, Errors: []RegionError{}, Findings: []Finding{},
		Coverage: &Coverage{Regions: []CoverageRow{}}}
	for _, a := range accounts {
		dir := "infra/" + a
		rep.Accounts = append(rep.Accounts, AccountResult{Name: a, Dirs: []string{dir}, Managed: 2})
		rep.Dirs = append(rep.Dirs, DirResult{Dir: dir, Engine: "tofu", Resources: []Resource{{Address: "aws_apigatewayv2_api.x", Type: TypeAPI, Region: "us-east-1", ImportID: a + "-api"}}})
		rep.Findings = append(rep.Findings, Finding{Class: ClassUnmanaged, Status: StatusNew, Account: a, Type: TypeAPI, Region: "us-east-1", ImportID: a + "-u", Fingerprint: a})
		rep.Summary.Managed += 2
		rep.Coverage.Total.Managed += 2
		rep.Coverage.Total.Unmanaged++
	}
	rep.Coverage.Total.Percent = percent(rep.Coverage.Total.Managed, rep.Coverage.Total.Unmanaged)
	// As in every report, the total is the sum of the regions.
	region := rep.Coverage.Total
	region.Region = "us-east-1"
	rep.Coverage.Regions = append(rep.Coverage.Regions, region)
	rep.countFindings()
	return rep
}

func TestMergeShards(t *testing.T) {
	in := []MergeInput{
		{"s1.json", shardReport(1, 3, "c")},
		{"s0.json", shardReport(0, 3, "a", "b")},
		{"s2.json", shardReport(2, 3, "d")},
	}
	got, err := Merge(in, &Report{Findings: []Finding{{Fingerprint: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Partial || len(got.MergeErrors) > 0 || got.Shard != nil {
		t.Fatalf("complete shards merged as partial: %v", got.MergeErrors)
	}
	if got.Summary.Managed != 8 || got.Summary.Unmanaged != 4 || got.Summary.Known != 1 || got.Summary.New != 3 {
		t.Errorf("summary %+v; want 8 managed, 4 unmanaged, 1 known (in the baseline), 3 new", got.Summary)
	}
	if got.Coverage == nil || got.Coverage.Total.Percent == nil || *got.Coverage.Total.Percent != 66.7 {
		t.Errorf("coverage %+v; want 8 of 12 = 66.7%%", got.Coverage)
	}
	var accounts []string
	for _, f := range got.Findings {
		accounts = append(accounts, f.Account)
	}
	if strings.Join(accounts, ",") != "a,b,c,d" {
		t.Errorf("findings in account order %v, want a,b,c,d", accounts)
	}
	if got.ExitCode(FailOnNew, false) != ExitDrift {
		t.Errorf("exit %d for new drift, want %d", got.ExitCode(FailOnNew, false), ExitDrift)
	}
}

func TestMergeNeverCleanWhenShardsAreMissingOrOverlap(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []MergeInput
		want []string
	}{
		{"missing shards", []MergeInput{{"s0", shardReport(0, 4, "a")}, {"s2", shardReport(2, 4, "c")}},
			[]string{"2 of 4 shards missing: shard 1, 3; rerun them or merge all of their reports"}},
		{"account in two shards", []MergeInput{{"s0", shardReport(0, 2, "a", "b")}, {"s1", shardReport(1, 2, "b")}},
			[]string{"account b is claimed by shard 0 and shard 1", "directory infra/b is claimed by shard 0 and shard 1"}},
		{"shard twice", []MergeInput{{"x/s0", shardReport(0, 2, "a")}, {"y/s0", shardReport(0, 2, "b")}},
			[]string{"shard 0 of 2 was given 2 times (x/s0, y/s0)", "1 of 2 shards missing: shard 1; rerun them or merge all of their reports"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Merge(tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.MergeErrors, "|") != strings.Join(tc.want, "|") {
				t.Errorf("merge errors %q, want %q", got.MergeErrors, tc.want)
			}
			if code := got.ExitCode(FailOnAny, false); code != ExitPartial {
				t.Errorf("exit %d, want %d (partial)", code, ExitPartial)
			}
			if !strings.Contains(got.headline(), tc.want[0]) {
				t.Errorf("headline %q does not say %q", got.headline(), tc.want[0])
			}
		})
	}
}

func TestMergeRefusesReportsOfDifferentRuns(t *testing.T) {
	live := shardReport(1, 2, "b")
	live.Mode = ModeLive
	plain := shardReport(1, 2, "b")
	plain.Shard = nil
	for name, in := range map[string][]MergeInput{
		"modes":  {{"a.json", shardReport(0, 2, "a")}, {"b.json", live}},
		"counts": {{"a.json", shardReport(0, 2, "a")}, {"b.json", shardReport(1, 3, "b")}},
		"mixed":  {{"a.json", shardReport(0, 2, "a")}, {"b.json", plain}},
	} {
		if _, err := Merge(in, nil); err == nil || !strings.Contains(err.Error(), "b.json") {
			t.Errorf("%s: Merge = %v, want an error naming b.json", name, err)
		}
	}
}

// TestMergedCoverageIsTheAuditsSum: coverage of merged shards is summed
// by the same rule as in an audit of all their accounts (issue 12: the
// sum was written twice, and a shard with an unknown total left the
// regions of the other shards known, where the audit of all accounts
// makes them unknown: the failed region may hold unmanaged resources
// anywhere).
func TestMergedCoverageIsTheAuditsSum(t *testing.T) {
	known := func(region string, managed, unmanaged int) CoverageRow {
		return CoverageRow{Region: region, Managed: managed, Unmanaged: unmanaged, Percent: percent(managed, unmanaged)}
	}
	// Account a: us-east-1 discovered, another region failed (no row).
	a := &Report{Summary: Summary{Managed: 2}, Coverage: &Coverage{Total: CoverageRow{Managed: 2, Unmanaged: 1}, Regions: []CoverageRow{known("us-east-1", 2, 1)}}}
	b := &Report{Summary: Summary{Managed: 3}, Coverage: &Coverage{Total: known("", 3, 0), Regions: []CoverageRow{known("eu-west-1", 3, 0)}}}
	targets := []AccountTarget{{Name: "a", ID: "111111111111"}, {Name: "b", ID: "222222222222"}}
	audited := mergeAccounts(Options{}.withDefaults(), targets, []*Report{a, b}, []string{"", ""}, nil).Coverage
	merged := combineCoverage([]*Report{a, b})
	for _, cov := range []*Coverage{audited, merged} {
		if cov.Total.Percent != nil || cov.Total.Managed != 5 || cov.Total.Unmanaged != 1 {
			t.Errorf("total %+v; want 5 managed, 1 unmanaged, percent unknown", cov.Total)
		}
		for _, r := range cov.Regions {
			if r.Percent != nil {
				t.Errorf("region %s has %.1f%%; unknown when an account's total is", r.Region, *r.Percent)
			}
		}
		if len(cov.Regions) != 2 {
			t.Errorf("regions %+v; want us-east-1 and eu-west-1", cov.Regions)
		}
	}
}

// TestShardWithoutDirectoriesIsNotAFailure: a shard that got no account
// (more shards than accounts) exits 0, and one whose only account failed is
// partial, so that its report reaches the merge; a shard whose directories
// all failed still audited nothing.
func TestShardWithoutDirectoriesIsNotAFailure(t *testing.T) {
	empty := shardReport(4, 5)
	if got := empty.ExitCode(FailOnAny, false); got != ExitOK {
		t.Errorf("shard without accounts: exit %d, want %d", got, ExitOK)
	}
	denied := shardReport(3, 5)
	denied.Accounts = []AccountResult{{Name: "data-sandbox", Error: "assuming a role: AccessDenied", Dirs: []string{}}}
	denied.Partial = true
	if got := denied.ExitCode(FailOnAny, false); got != ExitPartial {
		t.Errorf("shard whose only account failed: exit %d, want %d", got, ExitPartial)
	}
	failed := shardReport(0, 5, "a")
	failed.Dirs[0].Error = "tofu init: backend unreachable"
	failed.Partial = true
	if got := failed.ExitCode(FailOnAny, false); got != ExitError {
		t.Errorf("shard whose directories all failed: exit %d, want %d", got, ExitError)
	}
	if merged, err := Merge([]MergeInput{{"s.json", empty}}, nil); err != nil || merged.ExitCode(FailOnAny, false) != ExitError {
		t.Errorf("a merge that audited no directory must fail: %v", err)
	}
}

// auditShards audits runTwoAccounts' accounts as two shards, prod and the
// denied sandbox in shard 0, staging in shard 1, and as one run over all
// of them in the order of an inventory (by name).
func auditShards(t *testing.T) (shards []MergeInput, whole *Report) {
	t.Helper()
	discover := func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }
	engines := map[string]*fakeEngine{"infra/prod": {refresh: driftScenario()}, "infra/staging": {refresh: driftScenario()}}
	skipped := []SkippedAccount{{Name: "old", ID: "444444444444", Status: "SUSPENDED", Reason: "not ACTIVE"}}
	o := Options{Open: openerFor(engines), Now: fixedNow}
	prod := AccountTarget{Name: "prod", ID: "111111111111", RoleARN: "arn:aws:iam::111111111111:role/r", Dirs: []string{"infra/prod"}, Discover: discover}
	sandbox := AccountTarget{Name: "sandbox", ID: "333333333333", RoleARN: "arn:aws:iam::333333333333:role/r", Error: "assuming arn:aws:iam::333333333333:role/r: AccessDenied: no"}
	staging := AccountTarget{Name: "staging", ID: "222222222222", Dirs: []string{"infra/staging"}, Discover: discover}
	for i, targets := range [][]AccountTarget{{prod, sandbox}, {staging}} {
		rep, err := RunAccounts(context.Background(), o, targets, skipped)
		if err != nil {
			t.Fatal(err)
		}
		rep.Shard = &ShardRef{Index: i, Count: 2}
		shards = append(shards, MergeInput{Name: fmt.Sprintf("shard-%d/report.json", i), Report: rep})
	}
	whole, err := RunAccounts(context.Background(), o, []AccountTarget{prod, sandbox, staging}, skipped)
	if err != nil {
		t.Fatal(err)
	}
	return shards, whole
}

// TestMergedReportRendersAsTheUnshardedOne: the merge of two shards'
// reports shows, in text, Markdown and HTML, the account of every finding,
// the failed and the skipped accounts and the coverage per account exactly
// as the audit of all accounts in one run does: the same bytes. The
// goldens (testdata/golden/merged) show them.
func TestMergedReportRendersAsTheUnshardedOne(t *testing.T) {
	shards, whole := auditShards(t)
	merged, err := Merge(shards, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "markdown", "html"} {
		var got, want bytes.Buffer
		if err := Render(&got, merged, format); err != nil {
			t.Fatal(err)
		}
		if err := Render(&want, whole, format); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("merged %s report differs from the unsharded one\n%s", format, testenv.FirstDifference(want.Bytes(), got.Bytes()))
		}
		testenv.Golden(t, filepath.Join("testdata", "golden", "merged", FileName(format)), got.Bytes())
	}
}
