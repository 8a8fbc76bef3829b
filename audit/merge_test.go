package audit

import (
	"strings"
	"testing"
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
