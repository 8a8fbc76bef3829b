package migrate

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// noStateYet reports whether dir provably has no state, so that reading it
// needs no engine: a new destination of a split is the common case, and
// starting the engine (and its provider) for an empty state costs as much
// as for a small one. Provably means: the local backend (no backend or
// cloud block, no backend ever initialised), the default workspace, and no
// state file. Anything else, or anything it cannot read, answers false and
// the engine is asked.
func noStateYet(dir string) bool {
	if os.Getenv("TF_WORKSPACE") != "" || os.Getenv("TF_DATA_DIR") != "" {
		return false
	}
	for _, p := range []string{"terraform.tfstate", "terraform.tfstate.d", ".terraform/terraform.tfstate", ".terraform/environment"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); !errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		if strings.HasSuffix(name, ".tf.json") || strings.HasSuffix(name, ".tofu.json") {
			return false // not worth a JSON reader of its own
		}
		if !strings.HasSuffix(name, ".tf") && !strings.HasSuffix(name, ".tofu") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return false
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			return false
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "terraform" {
				continue
			}
			for _, inner := range b.Body.Blocks {
				if inner.Type == "backend" || inner.Type == "cloud" {
					return false
				}
			}
		}
	}
	return true
}
