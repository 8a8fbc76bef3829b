package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// A fresh checkout has no .terraform/, so its state can only be read after
// an init. The helpers here do that init without writing a byte into the
// directory: the data directory (providers, modules, backend settings) is a
// temporary one (TF_DATA_DIR), the lock file is read-only, the state is not
// locked, and providers are never upgraded.

// envDataDir is the engines' variable for the data directory.
const envDataDir = "TF_DATA_DIR"

// lockFile is the dependency lock file init reads and, unless told
// otherwise, writes.
const lockFile = ".terraform.lock.hcl"

// NeedsInit reports why dir has a state that only an init can reach while dir
// is not initialised: a backend or cloud block, a local state file, or local
// workspaces. It returns "" when dir is initialised or has no state at all.
func NeedsInit(dir string) (string, error) {
	_, why, err := locate(dir)
	return why, err
}

// locate tells an initialised dir from one whose state needs an init (and
// why) and from one without state.
func locate(dir string) (initialised bool, why string, err error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return false, "", nil // not a directory: the caller says so with its flag's name
	}
	dataDir := os.Getenv(envDataDir)
	if dataDir == "" {
		dataDir = ".terraform"
	}
	if !filepath.IsAbs(dataDir) {
		dataDir = filepath.Join(dir, dataDir)
	}
	if fi, err := os.Stat(dataDir); err == nil && fi.IsDir() {
		return true, "", nil
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.d"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return false, name, nil
		}
	}
	why, err = backendBlock(dir)
	return false, why, err
}

// backendBlock names the first backend or cloud block of dir's
// configuration, as "backend "s3" in main.tf".
func backendBlock(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("reading directory %s: %w", dir, err)
	}
	p := hclparse.NewParser()
	for _, e := range entries {
		name := e.Name()
		json := strings.HasSuffix(name, ".tf.json") || strings.HasSuffix(name, ".tofu.json")
		if e.IsDir() || IgnoredFile(name) || !(json || strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tofu")) {
			continue
		}
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", path, err)
		}
		// Parsing a file of tens of thousands of generated blocks costs
		// far more than looking for the one line that can open a
		// terraform block.
		if !json && !terraformLine(src) || json && !bytes.Contains(src, []byte(`"terraform"`)) {
			continue
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if json {
			f, diags = p.ParseJSON(src, path)
		} else {
			f, diags = p.ParseHCL(src, path)
		}
		if diags.HasErrors() {
			return "", fmt.Errorf("parsing %s: %s; fix the file", path, diags.Error())
		}
		top, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}})
		for _, tb := range top.Blocks {
			inner, _, _ := tb.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
				{Type: "backend", LabelNames: []string{"type"}},
				{Type: "cloud"},
			}})
			for _, b := range inner.Blocks {
				if b.Type == "cloud" {
					return "cloud block in " + name, nil
				}
				return fmt.Sprintf("backend %q in %s", b.Labels[0], name), nil
			}
		}
	}
	return "", nil
}

// terraformLine reports whether src has a line that starts, after
// indentation, with the word terraform followed by "{".
func terraformLine(src []byte) bool {
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		rest, ok := bytes.CutPrefix(bytes.TrimLeft(line, " \t"), []byte("terraform"))
		if ok && bytes.HasPrefix(bytes.TrimLeft(rest, " \t"), []byte("{")) {
			return true
		}
	}
	return false
}

// IgnoredFile reports whether the engines skip a file of the configuration
// directory: hidden files (temporary files among them) and editor backups.
func IgnoredFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")
}

// InitTemp initialises r's directory into a new temporary data directory and
// makes r's later commands use it; cleanup removes it. env is the
// environment r runs with (nil: this process's). The directory must have
// its lock file: a read-only init cannot choose provider versions.
func (r *Runner) InitTemp(ctx context.Context, env map[string]string) (cleanup func(), err error) {
	if _, err := os.Stat(filepath.Join(r.Dir, lockFile)); err != nil {
		return nil, fmt.Errorf("it is not initialised and has no %s, which a read-only init needs; run `%s init` in it first", lockFile, r.Name)
	}
	tmp, err := os.MkdirTemp("", "apigw2tf-data-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary data directory: %w", err)
	}
	cleanup = func() { os.RemoveAll(tmp) }
	if env == nil {
		env = environ()
	}
	env[envDataDir] = tmp
	cmd := initTempCmd(ctx, r.Bin, r.Dir, env)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		cleanup()
		msg := strings.Join(strings.Fields(stderr.String()), " ")
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%s init (read-only, into a temporary data directory) in %s: %s", r.Name, r.Dir, msg)
	}
	if err := r.TF.SetEnv(tfexec.CleanEnv(env)); err != nil {
		cleanup()
		return nil, fmt.Errorf("setting %s for %s: %w", envDataDir, r.Name, err)
	}
	return cleanup, nil
}

// initTempCmd is the read-only init: no lock file update, no state lock, no
// upgrade; env carries TF_DATA_DIR.
func initTempCmd(ctx context.Context, bin, dir string, env map[string]string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, "init", "-input=false", "-no-color", "-lock=false", "-lockfile=readonly", "-upgrade=false")
	cmd.Dir = dir
	env["TF_IN_AUTOMATION"] = "1"
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func environ() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// OpenState opens an engine that reads dir's state without writing into dir:
// in place when dir is initialised, through InitTemp when dir has a state
// that needs an init. It returns a nil Runner when dir has no state, so that
// a directory without one needs no engine. done removes what it created.
func OpenState(ctx context.Context, dir, bin string) (r *Runner, done func(), err error) {
	done = func() {}
	initialised, why, err := locate(dir)
	switch {
	case err != nil:
		return nil, done, err
	case initialised:
		why = "initialised"
	case why == "":
		return nil, done, nil
	}
	if bin, err = Find(bin); err != nil {
		return nil, done, fmt.Errorf("%s has a state (%s) that only an engine can read: %w", dir, why, err)
	}
	if r, err = Open(ctx, dir, bin); err != nil {
		return nil, done, err
	}
	if initialised {
		return r, done, nil
	}
	cleanup, err := r.InitTemp(ctx, nil)
	if err != nil {
		return nil, done, fmt.Errorf("%s has a state (%s): %w", dir, why, err)
	}
	return r, cleanup, nil
}
