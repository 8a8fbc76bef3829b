// Package engine finds and drives a Terraform-compatible engine (OpenTofu or
// Terraform) through terraform-exec. It knows nothing of API Gateway: verify
// and audit ask it for plans and state and interpret them themselves.
package engine

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// EnvBinary names the engine binary when --terraform-bin is not given.
const EnvBinary = "APIGW2TF_TERRAFORM"

// ErrNotFound means no engine binary could be found.
var ErrNotFound = errors.New("no terraform or tofu binary found: install OpenTofu or Terraform, put it on PATH, or name it with --terraform-bin or " + EnvBinary)

// Find resolves the engine binary: explicit (the --terraform-bin flag), then
// $APIGW2TF_TERRAFORM, then tofu, then terraform on PATH. Engines are told
// apart by what they are, never by a version string, so tofu is accepted
// wherever terraform is (compare aztfexport#582).
func Find(explicit string) (string, error) {
	return find(explicit, os.Getenv(EnvBinary), exec.LookPath)
}

func find(explicit, env string, lookPath func(string) (string, error)) (string, error) {
	for _, c := range []struct{ value, source string }{{explicit, "--terraform-bin"}, {env, EnvBinary}} {
		if c.value == "" {
			continue
		}
		p, err := lookPath(c.value)
		if err != nil {
			return "", fmt.Errorf("engine %q from %s is not an executable: %w; fix the path or unset it", c.value, c.source, err)
		}
		return p, nil
	}
	for _, name := range []string{"tofu", "terraform"} {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Runner drives one engine in one working directory.
type Runner struct {
	TF   *tfexec.Terraform
	Bin  string
	Name string // "tofu" or "terraform"
	Dir  string
	// env is what SetEnv gave, for the temporary copy InitReadOnly makes.
	env map[string]string
	// scratch is that copy, once made.
	scratch string
}

// SetEnv sets the engine's environment (terraform-exec's SetEnv). Set it
// here rather than on TF, so that it also reaches the engine run in the
// temporary copy of InitReadOnly.
func (r *Runner) SetEnv(env map[string]string) error {
	if err := r.TF.SetEnv(env); err != nil {
		return err
	}
	r.env = env
	return nil
}

// Open prepares a runner for dir. An empty bin means Find(""). Engine output
// is discarded unless the caller sets TF.SetStdout/SetStderr; failures carry
// the engine's stderr in their error text (terraform-exec does that).
func Open(ctx context.Context, dir, bin string) (*Runner, error) {
	if bin == "" {
		var err error
		if bin, err = Find(""); err != nil {
			return nil, err
		}
	}
	return OpenNamed(dir, bin, Identify(ctx, bin))
}

// OpenNamed is Open for a binary already identified as name, for callers
// that open many directories with one engine and would otherwise start it
// once more per directory just to ask its name.
func OpenNamed(dir, bin, name string) (*Runner, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving directory %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("working directory %s does not exist or is not a directory; pass an existing --dir", dir)
	}
	tf, err := tfexec.NewTerraform(abs, bin)
	if err != nil {
		return nil, fmt.Errorf("preparing %s in %s: %w", bin, dir, err)
	}
	return &Runner{TF: tf, Bin: bin, Name: name, Dir: abs}, nil
}

// Identify names the engine, "tofu" or "terraform", by what the binary is,
// because users often install tofu under the name terraform. It reads the
// Go build information first, which costs no process start (an engine
// start is 0.1-0.3 s, a noticeable part of a short audit), then asks
// `version` (wrappers such as tfenv's shim are scripts without build
// information). A binary that cannot say falls back to its file name.
func Identify(ctx context.Context, bin string) string {
	if name := identifyBuild(bin); name != "" {
		return name
	}
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err == nil {
		return identify(string(out), bin)
	}
	return identify("", bin)
}

// identifyBuild names the engine from the main package recorded in a Go
// binary, or returns "" when that says nothing.
func identifyBuild(bin string) string {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return ""
	}
	under := func(module string) bool { return bi.Path == module || strings.HasPrefix(bi.Path, module+"/") }
	switch {
	case under("github.com/opentofu/opentofu"):
		return "tofu"
	case under("github.com/hashicorp/terraform"):
		return "terraform"
	}
	return ""
}

func identify(versionOutput, bin string) string {
	// Warnings, e.g. about a missing CLI configuration file, may come
	// before the version line.
	for line := range strings.Lines(versionOutput) {
		if strings.HasPrefix(line, "OpenTofu v") {
			return "tofu"
		}
		if strings.HasPrefix(line, "Terraform v") {
			return "terraform"
		}
	}
	if strings.Contains(strings.ToLower(filepath.Base(bin)), "tofu") {
		return "tofu"
	}
	return "terraform"
}

// Init runs `init -input=false` without upgrading providers, so it never
// rewrites a committed lock file's selections.
func (r *Runner) Init(ctx context.Context) error {
	if err := r.TF.Init(ctx, tfexec.Upgrade(false)); err != nil {
		return fmt.Errorf("%s init in %s: %w", r.Name, r.Dir, err)
	}
	return nil
}

// Plan runs plan into a temporary plan file and returns `show -json` of it.
func (r *Runner) Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	return r.plan(ctx, true, opts)
}

// PlanIfChanged is Plan that skips `show -json` when the engine reports
// that applying the plan would change nothing, not even the state
// (-detailed-exitcode 0), and then returns nil. Showing a plan costs about
// as much as reading the whole state again, so callers that can learn
// what they need from the state when nothing changed save that.
func (r *Runner) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	return r.plan(ctx, false, opts)
}

// plan writes the plan file outside the working directory so a plan never
// leaves anything behind in a repository.
func (r *Runner) plan(ctx context.Context, always bool, opts []tfexec.PlanOption) (*tfjson.Plan, error) {
	tmp, err := os.MkdirTemp("", "apigw2tf-plan-")
	if err != nil {
		return nil, fmt.Errorf("creating plan directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "plan.tfplan")
	opts = append(opts, tfexec.Out(out))
	changed, err := r.TF.Plan(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s plan in %s: %w", r.Name, r.Dir, err)
	}
	if !changed && !always {
		return nil, nil
	}
	plan, err := r.TF.ShowPlanFile(ctx, out)
	if err != nil {
		return nil, fmt.Errorf("%s show -json of the plan in %s: %w", r.Name, r.Dir, err)
	}
	return plan, nil
}

// State returns `show -json` of the current state. A directory with no state
// yet gives an empty state, not an error.
func (r *Runner) State(ctx context.Context) (*tfjson.State, error) {
	st, err := r.TF.Show(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s show -json in %s: %w", r.Name, r.Dir, err)
	}
	if st == nil {
		st = &tfjson.State{}
	}
	return st, nil
}

// Version is the engine's version, from `version -json`.
func (r *Runner) Version(ctx context.Context) (*version.Version, error) {
	v, _, err := r.TF.Version(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s version in %s: %w", r.Name, r.Dir, err)
	}
	return v, nil
}
