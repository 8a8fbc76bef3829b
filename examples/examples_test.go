// Package examples holds the files users copy: apigw2tf.yaml, an ignore
// file, a GitHub Actions workflow and a Kubernetes CronJob. The tests keep
// them valid: the workflow passes actionlint, the manifests decode strictly
// into the real Kubernetes types, and the configuration validates clean.
package examples

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rhysd/actionlint"
	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/release"
	"github.com/apigw2tf/apigw2tf/inventory"
)

const (
	workflowFile = "github-actions/nightly-audit.yml"
	cronJobFile  = "kubernetes/cronjob.yaml"
)

// shellcheck returns the shellcheck binary when installed; the scripts are
// then checked too.
func shellcheck(t *testing.T) string {
	path, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Log("shellcheck not on PATH: scripts are not linted (apt-get install shellcheck)")
		return ""
	}
	return path
}

func TestWorkflowLint(t *testing.T) {
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Shellcheck: shellcheck(t), Oneline: true})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(workflowFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}

	// The linter must catch the mistakes it is here for: an unknown input
	// of a known action and a bad cron expression.
	broken := []byte(`on:
  schedule:
    - cron: "61 3 * * *"
jobs:
  audit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v6
        with:
          nmae: reports
`)
	out.Reset()
	errs, err = l.Lint("broken.yml", broken, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) < 2 {
		t.Errorf("actionlint found %d problems in a broken workflow, want at least 2:\n%s", len(errs), out.String())
	}
}

// workflow is the part of the workflow schema the checks below rely on;
// actionlint checks the rest.
type workflow struct {
	On struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]any    `yaml:"with"`
			Env  map[string]string `yaml:"env"`
			If   string            `yaml:"if"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// readWorkflow returns the workflow file's bytes and its decoded form.
func readWorkflow(t *testing.T) ([]byte, workflow) {
	t.Helper()
	data, err := os.ReadFile(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	return data, w
}

func TestWorkflowStructure(t *testing.T) {
	_, w := readWorkflow(t)
	if len(w.On.Schedule) != 1 {
		t.Fatalf("on.schedule has %d entries, want 1", len(w.On.Schedule))
	}
	if _, err := cron.ParseStandard(w.On.Schedule[0].Cron); err != nil {
		t.Errorf("on.schedule cron %q: %v", w.On.Schedule[0].Cron, err)
	}
	if w.Permissions["id-token"] != "write" || w.Permissions["contents"] != "read" {
		t.Errorf("permissions %v: want OIDC (id-token: write) and read-only contents", w.Permissions)
	}
	if len(w.Jobs) == 0 {
		t.Fatal("no jobs")
	}
	var runs, uses []string
	for name, job := range w.Jobs {
		if len(job.Steps) == 0 {
			t.Errorf("job %s has no steps", name)
		}
		for i, s := range job.Steps {
			if (s.Uses == "") == (s.Run == "") {
				t.Errorf("job %s step %d (%s): want exactly one of uses and run", name, i, s.Name)
			}
			if s.Uses != "" {
				if _, ref, ok := strings.Cut(s.Uses, "@"); !ok || ref == "" {
					t.Errorf("job %s step %d: uses %q is not pinned to a version", name, i, s.Uses)
				}
				uses = append(uses, s.Uses)
			}
			runs = append(runs, s.Run)
		}
	}
	script := strings.Join(runs, "\n")
	for _, want := range []string{
		"apigw2tf config validate",
		"apigw2tf discover",
		"apigw2tf audit",
		"--format text,json,markdown,junit,html",
		"$GITHUB_STEP_SUMMARY",
		"gh issue comment",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("no step runs %q", want)
		}
	}
	if !slices.ContainsFunc(uses, func(u string) bool { return strings.HasPrefix(u, "actions/upload-artifact@") }) {
		t.Error("the reports are not uploaded with actions/upload-artifact")
	}
}

// documents splits a multi-document YAML file, returning each document as
// its own bytes for strict decoding.
func documents(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs [][]byte
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := yaml.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
}

func TestCronJob(t *testing.T) {
	var (
		cj *batchv1.CronJob
		sa *corev1.ServiceAccount
	)
	for i, doc := range documents(t, cronJobFile) {
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := k8syaml.Unmarshal(doc, &meta); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		// UnmarshalStrict refuses unknown and repeated fields, so a typo
		// in the manifest fails here as it would in kubectl --validate.
		switch meta.APIVersion + " " + meta.Kind {
		case "batch/v1 CronJob":
			cj = &batchv1.CronJob{}
			if err := k8syaml.UnmarshalStrict(doc, cj); err != nil {
				t.Fatalf("CronJob: %v", err)
			}
		case "v1 ServiceAccount":
			sa = &corev1.ServiceAccount{}
			if err := k8syaml.UnmarshalStrict(doc, sa); err != nil {
				t.Fatalf("ServiceAccount: %v", err)
			}
		default:
			t.Fatalf("document %d is %s %s, want batch/v1 CronJob or v1 ServiceAccount", i, meta.APIVersion, meta.Kind)
		}
	}
	if cj == nil || sa == nil {
		t.Fatal("want a CronJob and its ServiceAccount")
	}

	if _, err := cron.ParseStandard(cj.Spec.Schedule); err != nil {
		t.Errorf("schedule %q: %v", cj.Spec.Schedule, err)
	}
	if cj.Spec.TimeZone != nil {
		if _, err := time.LoadLocation(*cj.Spec.TimeZone); err != nil {
			t.Errorf("timeZone: %v", err)
		}
	}
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("concurrencyPolicy %q: two audits must not overlap", cj.Spec.ConcurrencyPolicy)
	}
	pod := cj.Spec.JobTemplate.Spec.Template.Spec
	if pod.ServiceAccountName != sa.Name || cj.Namespace != sa.Namespace {
		t.Errorf("pod runs as %s/%s, but the manifest defines %s/%s", cj.Namespace, pod.ServiceAccountName, sa.Namespace, sa.Name)
	}
	if !strings.HasPrefix(sa.Annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::") {
		t.Error("the ServiceAccount has no IRSA role annotation")
	}
	containers := map[string]corev1.Container{}
	for _, c := range pod.Containers {
		containers[c.Name] = c
	}
	if p := cj.Spec.JobTemplate.Spec.PodFailurePolicy; p != nil {
		if pod.RestartPolicy != corev1.RestartPolicyNever {
			t.Errorf("restartPolicy %q: a podFailurePolicy requires Never", pod.RestartPolicy)
		}
		for _, r := range p.Rules {
			if r.OnExitCodes == nil || r.OnExitCodes.ContainerName == nil {
				continue
			}
			if _, ok := containers[*r.OnExitCodes.ContainerName]; !ok {
				t.Errorf("podFailurePolicy names container %q, which the pod does not have", *r.OnExitCodes.ContainerName)
			}
		}
	}
	audit, ok := containers["audit"]
	if !ok {
		t.Fatal("no container named audit")
	}
	if len(audit.Command) != 2 || audit.Command[1] != "-c" || len(audit.Args) != 1 {
		t.Fatalf("container command %q args %d: want a shell running one script", audit.Command, len(audit.Args))
	}
	mounted := map[string]bool{}
	for _, v := range pod.Volumes {
		mounted[v.Name] = true
	}
	for _, m := range audit.VolumeMounts {
		if !mounted[m.Name] {
			t.Errorf("volumeMount %s has no volume", m.Name)
		}
	}
	script := audit.Args[0]
	for _, want := range []string{"apigw2tf config validate", "apigw2tf discover", "apigw2tf audit", "gh issue comment", "aws s3 cp"} {
		if !strings.Contains(script, want) {
			t.Errorf("the script does not run %q", want)
		}
	}
	checkScript(t, script)
}

// checkScript parses the CronJob's shell script with sh -n and, when
// available, shellcheck.
func checkScript(t *testing.T, script string) {
	cmd := exec.Command("sh", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}
	if sc := shellcheck(t); sc != "" {
		cmd := exec.Command(sc, "--shell=sh", "-")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("shellcheck: %v\n%s", err, out)
		}
	}
}

// TestConfigExample validates apigw2tf.yaml in the layout it describes: a
// repository with the root modules it names and the ignore file beside it.
func TestConfigExample(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{"infra/prod", "infra/staging"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"apigw2tf.yaml", "audit-ignore.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range config.Validate(filepath.Join(repo, "apigw2tf.yaml")) {
		t.Error(p)
	}
}

// TestConfigDocsShowExample keeps docs/config.md's full example identical to
// the checked-in file.
func TestConfigDocsShowExample(t *testing.T) {
	example, err := os.ReadFile("apigw2tf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, append(append([]byte("```yaml\n"), example...), "```"...)) {
		t.Error("docs/config.md does not show examples/apigw2tf.yaml verbatim in a ```yaml block; copy the file in")
	}
}

// TestWorkflowInstallsRelease: the workflow installs the release archive
// that `make release` names, after checking it against the release's
// checksum file, instead of building from source.
func TestWorkflowInstallsRelease(t *testing.T) {
	data, w := readWorkflow(t)
	var install string
	for _, job := range w.Jobs {
		for _, s := range job.Steps {
			if s.Name == "Install apigw2tf" {
				install = s.Run
			}
		}
	}
	if install == "" {
		t.Fatal(`no step "Install apigw2tf"`)
	}
	linux := release.Platform{OS: "linux", Arch: "amd64"}
	for _, want := range []string{
		`archive="` + linux.Archive("${version}") + `"`,
		`sums="` + release.ChecksumFile("${version}") + `"`,
		`curl -fsSLO "$base/$archive"`,
		`curl -fsSLO "$base/$sums"`,
		`sha256sum -c -`,
		`tar -xzf "$archive" ` + linux.Binary(),
	} {
		if !strings.Contains(install, want) {
			t.Errorf("install step lacks %q:\n%s", want, install)
		}
	}
	// The checksum is checked before the archive is unpacked.
	if strings.Index(install, "sha256sum") > strings.Index(install, "tar -xzf") {
		t.Error("the archive is unpacked before its checksum is checked")
	}
	if strings.Contains(string(data), "go install") {
		t.Error("the workflow still builds apigw2tf with go install")
	}
}

// TestCronJobUsesTheAuditImage: the CronJob runs the image the repository's
// Dockerfile builds with --target audit, which has the shell tools its
// script calls.
func TestCronJobUsesTheAuditImage(t *testing.T) {
	data, err := os.ReadFile(cronJobFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "image: ghcr.io/example-org/apigw2tf-audit:") || !strings.Contains(string(data), "--target audit") {
		t.Error("the CronJob does not use the audit image of the Dockerfile")
	}
	df, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stage := regexp.MustCompile(`(?m)^FROM debian:\S+ AS audit$`)
	if !stage.Match(df) {
		t.Fatal("the Dockerfile has no audit stage")
	}
	for _, tool := range []string{"git", "gh", "awscli"} {
		if !regexp.MustCompile(`apt-get install[^\n]* ` + tool + `( |$)`).Match(df) {
			t.Errorf("the audit stage does not install %s, which the CronJob's script runs", tool)
		}
	}
}

// TestReadmeScope keeps the README's first paragraph true as coverage
// grows: it names every resource type generate writes (for the demo
// account, which has both protocols and quick-create) and audit reports.
func TestReadmeScope(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(readme), "\n\n") // after the title
	first, _, _ := strings.Cut(body, "\n\n")
	inv, err := inventory.ReadFile(filepath.Join("..", "generate", "testdata", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := generate.Run(t.Context(), inv, generate.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{audit.TypeAPI: true, audit.TypeStage: true}
	for _, f := range res.Files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`(?m)^resource "(\w+)"`).FindAllSubmatch(b, -1) {
			types[string(m[1])] = true
		}
	}
	for typ := range types {
		if !strings.Contains(first, "`"+typ+"`") {
			t.Errorf("README's first paragraph does not name %s, which apigw2tf covers", typ)
		}
	}
	for _, want := range []string{"not the rest", "REST APIs", "-generate-config-out"} {
		if !strings.Contains(first, want) {
			t.Errorf("README's first paragraph does not say what is not covered and what to do (%q)", want)
		}
	}
}

// TestInstallDocNamesTheReleaseFiles: docs/install.md lists the archives
// and the checksum file under the names `make release` gives them.
func TestInstallDocNamesTheReleaseFiles(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "install.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{release.ChecksumFile("<version>")}
	for _, p := range release.Platforms {
		want = append(want, p.Archive("<version>"))
	}
	for _, name := range want {
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/install.md does not name %s", name)
		}
	}
}
