// Package tools_test checks tools/build.sh and the Makefile targets that call
// it, with a fake `go` on PATH, so no engine is built.
package tools_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// fakeGo is a `go` that prints what a cold build prints (hundreds of
// "go: downloading" lines), then writes an executable that answers
// `version` like the engine would, to the -o path; with FAKE_GO_FAIL set it
// fails instead.
const fakeGo = `#!/bin/sh
i=0
while [ $i -lt 400 ]; do echo "go: downloading example.com/mod$i v1.0.$i" >&2; i=$((i+1)); done
if [ -n "$FAKE_GO_FAIL" ]; then echo "main.go:1:1: the build broke" >&2; exit 1; fi
out=
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then out=$2; fi
  shift
done
printf '#!/bin/sh\necho "{\\"terraform_version\\": \\"%s\\"}"\n' "$FAKE_VERSION" >"$out"
chmod +x "$out"
`

// sandbox copies build.sh and versions.env into a fresh tree (so .tools/ is
// the sandbox's) and returns its root and a PATH with the fake go first.
func sandbox(t *testing.T) (root, path string) {
	t.Helper()
	root = t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "tools"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"build.sh", "versions.env"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "tools", f), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fake := filepath.Join(root, "fakebin")
	if err := os.MkdirAll(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fake, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	return root, fake + string(os.PathListSeparator) + os.Getenv("PATH")
}

func runBuild(t *testing.T, root, path string, env []string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		testenv.MissingTool(t, "tools/build.sh needs bash")
	}
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "tools", "build.sh")}, args...)...)
	cmd.Env = append(os.Environ(), append([]string{"PATH=" + path}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestBuildOneLinePerEngine: a cold build prints a start and an end line per
// engine, never the "go: downloading" flood, and names the log that holds it.
func TestBuildOneLinePerEngine(t *testing.T) {
	root, path := sandbox(t)
	out, err := runBuild(t, root, path, []string{"FAKE_VERSION=1.12.6"}, "tofu")
	if err != nil {
		t.Fatalf("build.sh tofu: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || strings.Contains(out, "go: downloading") {
		t.Fatalf("want 2 progress lines, got %d:\n%s", len(lines), out)
	}
	if !strings.Contains(lines[0], "log: .tools/logs/tofu.log") {
		t.Errorf("start line does not name the log: %q", lines[0])
	}
	log, err := os.ReadFile(filepath.Join(root, ".tools", "logs", "tofu.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "go: downloading"); n != 400 {
		t.Errorf("log holds %d download lines, want all 400", n)
	}
	// The second run finds the engine at the pinned version and skips it.
	out, err = runBuild(t, root, path, nil, "tofu")
	if err != nil || strings.TrimSpace(out) == "" || !strings.Contains(out, "tofu 1.12.6 already built") || strings.Count(out, "\n") != 1 {
		t.Errorf("second run: %v\n%s", err, out)
	}
}

// TestBuildFailureShowsLogTail: a failed build exits non-zero and shows the
// end of its log, where the compiler's error is, with the log's name.
func TestBuildFailureShowsLogTail(t *testing.T) {
	root, path := sandbox(t)
	out, err := runBuild(t, root, path, []string{"FAKE_GO_FAIL=1"}, "terraform")
	if err == nil {
		t.Fatalf("build.sh succeeded with a failing go:\n%s", out)
	}
	for _, want := range []string{"building terraform failed", filepath.Join(root, ".tools", "logs", "terraform.log"), "the build broke"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "go: downloading"); n > 20 {
		t.Errorf("%d download lines on the terminal; want at most the tail", n)
	}
	if _, err := os.Stat(filepath.Join(root, ".tools", "bin", "terraform")); err == nil {
		t.Error("a failed build left an engine binary")
	}
}

// TestMakeDemoNeedsOnlyGo: make demo builds OpenTofu and the stand-in
// provider only: no Terraform and no npm (fetch-cdktf.sh); make test builds
// everything.
func TestMakeDemoNeedsOnlyGo(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		testenv.MissingTool(t, "no make on PATH; the Makefile is how the README builds everything")
	}
	dryRun := func(target string) string {
		cmd := exec.Command("make", "-n", target)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make -n %s: %v\n%s", target, err, out)
		}
		return string(out)
	}
	demo := dryRun("demo")
	if !strings.Contains(demo, "tools/build.sh tofu provider") {
		t.Errorf("make demo does not build tofu and the provider:\n%s", demo)
	}
	for _, bad := range []string{"terraform", "fetch-cdktf", "npm"} {
		if strings.Contains(demo, bad) {
			t.Errorf("make demo runs %s:\n%s", bad, demo)
		}
	}
	test := dryRun("test")
	for _, want := range []string{"tools/build.sh\n", "fetch-cdktf.sh", "-json ./... | go run ./tools/testreport"} {
		if !strings.Contains(test, want) {
			t.Errorf("make test lacks %q:\n%s", strings.TrimSpace(want), test)
		}
	}
}
