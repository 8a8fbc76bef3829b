package engine

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// initRequired are the summaries of the diagnostics with which tofu and
// terraform refuse to plan or show until init runs again. Only these make a
// second attempt worth an init; any other failure (a refused connection, a
// denied call, a syntax error) would fail the same way after it.
var initRequired = []string{
	"Backend initialization required",
	"Backend configuration changed",
	"Inconsistent dependency lock file",
	"Required plugins are not installed",
	"Missing required provider",
	"missing or corrupted provider plugins",
	"unavailable provider", // show, with providers another engine installed
	"Module not installed",
	"Module source has changed",
	"Module version requirements have changed",
}

// InitRequired reports whether err is an engine saying that the working
// directory must be initialised (again) before it can run the command.
func InitRequired(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range initRequired {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// dataFiles are what a working directory's .terraform/ holds besides
// providers and modules: the backend settings init saved (including any
// -backend-config given then) and the selected workspace.
var dataFiles = []string{"terraform.tfstate", "environment"}

// InitReadOnly initialises the engine without writing into the working
// directory. init writes .terraform/ and may rewrite .terraform.lock.hcl
// (another engine records other provider addresses and hashes), and a
// user's lock file is not the audit's to change; no engine option keeps
// the lock file as it is while init still succeeds. So the directory is
// copied into a temporary one (without .terraform/, but with its saved
// backend settings and workspace) and init runs there; every later
// command of the runner runs in the copy, until Close removes it.
//
// Configuration that reaches outside the directory (a module source or a
// backend path starting with ../) does not resolve in the copy: such a
// directory must be initialised in place before it is read.
func (r *Runner) InitReadOnly(ctx context.Context) error {
	if r.scratch == "" {
		tmp, err := os.MkdirTemp("", "apigw2tf-init-")
		if err != nil {
			return fmt.Errorf("creating a temporary copy of %s: %w", r.Dir, err)
		}
		if err := copyWorkingDir(ctx, r.Dir, tmp); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("copying %s to a temporary directory: %w", r.Dir, err)
		}
		tf, err := tfexec.NewTerraform(tmp, r.Bin)
		if err == nil && r.env != nil {
			err = tf.SetEnv(r.env)
		}
		if err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("preparing %s in a copy of %s: %w", r.Bin, r.Dir, err)
		}
		r.TF, r.scratch = tf, tmp
	}
	if err := r.TF.Init(ctx, tfexec.Upgrade(false)); err != nil {
		return fmt.Errorf("%s init in a temporary copy of %s: %w", r.Name, r.Dir, err)
	}
	return nil
}

// Close removes the temporary copy InitReadOnly made, if any.
func (r *Runner) Close() error {
	if r.scratch == "" {
		return nil
	}
	err := os.RemoveAll(r.scratch)
	r.scratch = ""
	if err != nil {
		return fmt.Errorf("removing the temporary copy of %s: %w", r.Dir, err)
	}
	return nil
}

// copyWorkingDir copies src into the empty directory dst: every file and
// directory except .terraform/ (of which only dataFiles) and .git/.
// Symbolic links are recreated pointing where the originals resolve.
func copyWorkingDir(ctx context.Context, src, dst string) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() && (rel == ".terraform" || rel == ".git") {
			return fs.SkipDir
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(path), link)
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(ctx, path, target)
		}
		return nil // sockets, devices and pipes are no configuration
	})
	if err != nil {
		return err
	}
	var data string
	for _, name := range dataFiles {
		p := filepath.Join(src, ".terraform", name)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if data == "" {
			data = filepath.Join(dst, ".terraform")
			if err := os.Mkdir(data, 0o755); err != nil {
				return err
			}
		}
		if err := copyFile(ctx, p, filepath.Join(data, name)); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(ctx context.Context, src, dst string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ReadOnlyIniter is an engine that can initialise without writing into its
// working directory (Runner.InitReadOnly).
type ReadOnlyIniter interface {
	InitReadOnly(ctx context.Context) error
}

// WithInit runs fn (a read of the directory through the engine) where it
// can succeed without writing into the directory. An init costs seconds
// per directory even when nothing changed, so fn first runs as things are,
// when it can succeed there; only when the engine says the directory must
// be initialised (again) does InitReadOnly initialise a temporary copy, and
// fn runs once more. Any other failure is final: a second full plan
// against, say, an unreachable endpoint fails the same way after as long
// again.
//
// Commands that need the providers (plan, show) cannot succeed in a
// directory that was never initialised, so for them WithInit goes straight
// to the copy when dir has no data directory; state pull needs no provider
// and is tried in place always (needsProviders false).
func WithInit(ctx context.Context, e ReadOnlyIniter, dir string, needsProviders bool, fn func() error) error {
	if initialised, _, _ := locate(dir); initialised || !needsProviders {
		err := fn()
		if err == nil || !InitRequired(err) {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := e.InitReadOnly(ctx); err != nil {
		return err
	}
	return fn()
}
