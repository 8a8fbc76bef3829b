package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	tfjson "github.com/hashicorp/terraform-json"
)

// A fresh checkout has no .terraform/, so its state can only be read after
// an init, which InitReadOnly runs in a temporary copy of the directory.
// The helpers here tell whether a directory needs that.

// envDataDir is the engines' variable for the data directory.
const envDataDir = "TF_DATA_DIR"

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

// StateReader reads one directory's state: a Runner (show -json), or a
// state file LocalState has read.
type StateReader interface {
	State(ctx context.Context) (*tfjson.State, error)
}

// fileState is a state LocalState read, served without an engine.
type fileState struct{ st *tfjson.State }

func (f fileState) State(context.Context) (*tfjson.State, error) { return f.st, nil }

// OpenState opens what reads dir's state without writing into dir: the
// state file itself when LocalState can read it, else the engine, in place
// when dir is initialised and through InitReadOnly when dir has a state
// that needs an init. It returns nil when dir has no state, so that a
// directory without one needs no engine. done removes what it created.
func OpenState(ctx context.Context, dir, bin string) (r StateReader, done func(), err error) {
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
	if st, ok := LocalState(ctx, dir); ok {
		return fileState{st}, done, nil
	}
	if bin, err = Find(bin); err != nil {
		return nil, done, fmt.Errorf("%s has a state (%s) that only an engine can read: %w", dir, why, err)
	}
	runner, err := Open(ctx, dir, bin)
	if err != nil {
		return nil, done, err
	}
	if initialised {
		return runner, done, nil
	}
	if err := runner.InitReadOnly(ctx); err != nil {
		runner.Close()
		return nil, done, fmt.Errorf("%s has a state (%s): %w", dir, why, err)
	}
	return runner, func() { runner.Close() }, nil
}

// LocalState reads dir's state from its file, with no engine, when that
// file is provably the one the engine would read: the default local
// backend (no backend or cloud block, none initialised), the default
// workspace, and no TF_DATA_DIR, TF_WORKSPACE or TF_CLI_ARGS that could
// point elsewhere. No file there is an empty state. ok is false for
// anything else, including a file decodePulled leaves to the engine
// (see PulledState), and then only the engine can tell.
//
// Every engine command parses the whole configuration before it reads a
// state: a third of a second for a directory that adopted a thousand
// resources, where the file itself decodes in a few hundredths.
func LocalState(ctx context.Context, dir string) (st *tfjson.State, ok bool) {
	if ctx.Err() != nil {
		return nil, false // the engine's read fails with the context's error
	}
	for _, kv := range os.Environ() {
		name, v, _ := strings.Cut(kv, "=")
		if v != "" && (name == envDataDir || name == "TF_WORKSPACE" || strings.HasPrefix(name, "TF_CLI_ARGS")) {
			return nil, false
		}
	}
	for _, p := range []string{".terraform/terraform.tfstate", ".terraform/environment"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); !errors.Is(err, fs.ErrNotExist) {
			return nil, false
		}
	}
	if why, err := backendBlock(dir); err != nil || why != "" {
		return nil, false
	}
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, fs.ErrNotExist) {
		return &tfjson.State{}, true
	}
	if err != nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil, false
	}
	return decodePulled(raw)
}
