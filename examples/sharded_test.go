package examples

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/batch"
	"github.com/rhysd/actionlint"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	k8syaml "sigs.k8s.io/yaml"
)

const (
	shardedJobFile      = "kubernetes/sharded-audit.yaml"
	shardedWorkflowFile = "github-actions/sharded-audit.yml"
	batchJobDefFile     = "aws-batch/job-definition.json"
	batchSubmitFile     = "aws-batch/submit-job.json"
)

var shardsFlag = regexp.MustCompile(`--shards (\d+)`)

// TestShardedJob decodes the Indexed Job, the merge Job and the volume
// strictly into the Kubernetes types, and checks that the Job's count
// reaches apigw2tf: completions, parallelism and --shards agree.
func TestShardedJob(t *testing.T) {
	var jobs []*batchv1.Job
	for _, doc := range documents(t, shardedJobFile) {
		var meta struct{ Kind string }
		if err := k8syaml.Unmarshal(doc, &meta); err != nil {
			t.Fatal(err)
		}
		switch meta.Kind {
		case "Job":
			j := &batchv1.Job{}
			if err := k8syaml.UnmarshalStrict(doc, j); err != nil {
				t.Fatalf("Job: %v", err)
			}
			jobs = append(jobs, j)
		case "PersistentVolumeClaim":
			if err := k8syaml.UnmarshalStrict(doc, &corev1.PersistentVolumeClaim{}); err != nil {
				t.Fatalf("PersistentVolumeClaim: %v", err)
			}
		default:
			t.Fatalf("unexpected kind %q", meta.Kind)
		}
	}
	if len(jobs) != 2 {
		t.Fatalf("%d Jobs, want the shards and the merge", len(jobs))
	}
	shards, merge := jobs[0], jobs[1]
	if shards.Spec.CompletionMode == nil || *shards.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("the shard Job is not completionMode: Indexed")
	}
	c := shards.Spec.Template.Spec.Containers[0]
	script := strings.Join(c.Args, "\n")
	m := shardsFlag.FindStringSubmatch(script)
	if m == nil || !strings.Contains(script, "--shard auto") {
		t.Fatalf("the shard Job's script does not pass --shard auto --shards N:\n%s", script)
	}
	want := m[1]
	if got := fmt.Sprint(*shards.Spec.Completions); got != want {
		t.Errorf("completions %s but --shards %s", got, want)
	}
	if got := fmt.Sprint(*shards.Spec.Parallelism); got != want {
		t.Errorf("parallelism %s but --shards %s", got, want)
	}
	checkScript(t, script)
	if args := strings.Join(merge.Spec.Template.Spec.Containers[0].Args, " "); !strings.HasPrefix(args, "report merge /reports/shards") {
		t.Errorf("the merge Job runs %q, want report merge of /reports/shards", args)
	}
}

// TestShardedWorkflowLint lints the matrix workflow and checks that the
// matrix has as many entries as --shard's N.
func TestShardedWorkflowLint(t *testing.T) {
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: shellcheck(t), Oneline: true})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(shardedWorkflowFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
	data, err := os.ReadFile(shardedWorkflowFile)
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Strategy struct {
				Matrix struct {
					Shard []int `json:"shard"`
				} `json:"matrix"`
			} `json:"strategy"`
			Steps []struct {
				Run  string            `json:"run"`
				Uses string            `json:"uses"`
				With map[string]string `json:"with"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := k8syaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	n := len(wf.Jobs["audit"].Strategy.Matrix.Shard)
	var shardRun, merged, sarif bool
	for _, s := range wf.Jobs["audit"].Steps {
		shardRun = shardRun || strings.Contains(s.Run, fmt.Sprintf(`--shard "${{ matrix.shard }}/%d"`, n))
	}
	for _, s := range wf.Jobs["merge"].Steps {
		merged = merged || strings.Contains(s.Run, "apigw2tf report merge shards")
		sarif = sarif || strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif") && s.With["sarif_file"] == "merged/report.sarif"
	}
	if !shardRun || !merged || !sarif {
		t.Errorf("workflow: shard %d of %d passed=%v, merge=%v, SARIF upload=%v; want all", n, n, shardRun, merged, sarif)
	}
}

// decodeStrict decodes an AWS CLI --cli-input-json file into the SDK's
// input type, refusing fields the type does not have.
func decodeStrict(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestBatchArrayJob decodes the job definition and the submit-job input
// into aws-sdk-go-v2's service/batch types: an array of 2 to 10,000 children
// of a definition that runs --shard auto.
func TestBatchArrayJob(t *testing.T) {
	var def batch.RegisterJobDefinitionInput
	decodeStrict(t, batchJobDefFile, &def)
	var submit batch.SubmitJobInput
	decodeStrict(t, batchSubmitFile, &submit)
	if submit.JobDefinition == nil || def.JobDefinitionName == nil || *submit.JobDefinition != *def.JobDefinitionName {
		t.Errorf("submit-job names definition %v, the definition is %v", submit.JobDefinition, def.JobDefinitionName)
	}
	if submit.ArrayProperties == nil || submit.ArrayProperties.Size == nil || *submit.ArrayProperties.Size < 2 || *submit.ArrayProperties.Size > 10000 {
		t.Errorf("arrayProperties.size must be 2 to 10,000: %+v", submit.ArrayProperties)
	}
	if def.ContainerProperties == nil || len(def.ContainerProperties.Command) != 3 {
		t.Fatalf("the definition's command is not [/bin/sh -c SCRIPT]: %+v", def.ContainerProperties)
	}
	script := def.ContainerProperties.Command[2]
	if !strings.Contains(script, "--shard auto") || strings.Contains(script, "--shards") {
		t.Errorf("an array child reads index and size from AWS Batch; the script should pass --shard auto alone:\n%s", script)
	}
	checkScript(t, script)
}
