package audit

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkMerge1000Dirs decodes and merges the JSON reports of 1,000
// directories (one report each, as 1,000 one-directory shards would
// write): 250 managed stages and 5 findings per directory. docs/scale.md's
// goal is under 1 s per merge.
func BenchmarkMerge1000Dirs(b *testing.B) {
	const dirs, stages, findings = 1000, 250, 5
	docs := make([][]byte, dirs)
	for d := range dirs {
		rep := &Report{Schema: Schema, Mode: ModePlan, Shard: &ShardRef{Index: d, Count: dirs}, Errors: []RegionError{},
			Coverage: &Coverage{Regions: []CoverageRow{{Region: "us-east-1", Managed: stages, Unmanaged: 1, Percent: percent(stages, 1)}}}}
		dir := DirResult{Dir: fmt.Sprintf("infra/acct%04d", d), Engine: "tofu"}
		for s := range stages {
			dir.Resources = append(dir.Resources, Resource{Address: fmt.Sprintf("aws_apigatewayv2_stage.s%d", s), Type: TypeStage, Region: "us-east-1", ImportID: fmt.Sprintf("a%04d/s%d", d, s)})
		}
		rep.Dirs = []DirResult{dir}
		rep.Accounts = []AccountResult{{Name: fmt.Sprintf("acct%04d", d), Dirs: []string{dir.Dir}, Managed: stages}}
		for f := range findings {
			rep.Findings = append(rep.Findings, Finding{Class: ClassChanged, Status: StatusNew, Account: rep.Accounts[0].Name, Dir: dir.Dir,
				Address: dir.Resources[f].Address, Type: TypeStage, Region: "us-east-1", ImportID: dir.Resources[f].ImportID, Fingerprint: fmt.Sprint(d, f),
				Changes: []Change{{Path: "description", Action: ActionUpdate, Before: "a", After: "b"}}})
		}
		rep.Summary.Managed = stages
		var buf bytes.Buffer
		if err := renderJSON(&buf, rep); err != nil {
			b.Fatal(err)
		}
		docs[d] = buf.Bytes()
	}
	b.ResetTimer()
	for b.Loop() {
		in := make([]MergeInput, dirs)
		for d, doc := range docs {
			rep, err := DecodeReport(bytes.NewReader(doc), "r")
			if err != nil {
				b.Fatal(err)
			}
			in[d] = MergeInput{Name: fmt.Sprint(d), Report: rep}
		}
		out, err := Merge(in, nil)
		if err != nil || len(out.MergeErrors) > 0 || len(out.Findings) != dirs*findings {
			b.Fatalf("merge: %v %v", err, out.MergeErrors)
		}
	}
}
