package codify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/hclfiles"
)

// unmanaged hands the unmanaged findings to generate, which writes their
// import blocks and HCL exactly as `apigw2tf generate` would, into the
// audited directory. generate runs in a copy holding the files as codify
// has edited them so far, so both edits land in one patch and nothing is
// written before the end.
func (c *codifier) unmanaged(ctx context.Context, rep *audit.Report) error {
	var todo []*audit.Finding
	for i := range rep.Findings {
		if rep.Findings[i].Class == audit.ClassUnmanaged {
			todo = append(todo, &rep.Findings[i])
		}
	}
	if len(todo) == 0 {
		return nil
	}
	var dirs []string
	for _, d := range rep.Dirs {
		if d.Error == "" {
			dirs = append(dirs, d.Dir)
		}
	}
	why := ""
	switch {
	case c.opts.Inventory == nil:
		why = "no discovery to generate it from"
	case len(dirs) != 1:
		why = fmt.Sprintf("%d directories were audited; run `apigw2tf generate --dir` in the one that should manage it", len(dirs))
	case c.opts.Inventory.Partial():
		why = "the discovery is partial; run `apigw2tf generate` once it succeeds"
	}
	if why != "" {
		for _, f := range todo {
			manual(f, "", nil, why)
		}
		return nil
	}
	d, err := c.dir(dirs[0])
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "apigw2tf-codify-")
	if err != nil {
		return fmt.Errorf("creating a temporary directory for generate: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := d.Flush(); err != nil {
		return err
	}
	before := snapshot(d)
	for n, b := range before {
		if err := os.WriteFile(filepath.Join(tmp, n), b, 0o644); err != nil {
			return fmt.Errorf("copying %s for generate: %w", n, err)
		}
	}
	opts := generate.Options{Dir: tmp}
	if c.opts.State != nil {
		r, done, err := c.opts.State(ctx, d.Path)
		if err != nil {
			return err
		}
		defer done()
		if r != nil {
			opts.State = r
		}
	}
	if _, err := generate.Run(ctx, c.opts.Inventory, opts); err != nil {
		return fmt.Errorf("generating the unmanaged resources: %w", err)
	}
	if err := adopt(d, tmp); err != nil {
		return err
	}
	patch, err := c.settle(d, before)
	if err != nil {
		return err
	}
	for _, f := range todo {
		if strings.Contains(patch, f.ImportID) {
			setPatch(f, patch)
		} else {
			manual(f, "", nil, "generate did not write it; run `apigw2tf generate` to see why")
		}
	}
	return nil
}

// adopt takes generate's files from tmp into d: a file generate changed
// replaces d's text, keeping d's record of the original bytes.
func adopt(d *hclfiles.Dir, tmp string) error {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("reading generate's output: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".tf") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for _, n := range names {
		src, err := os.ReadFile(filepath.Join(tmp, n))
		if err != nil {
			return fmt.Errorf("reading generate's output: %w", err)
		}
		f := d.File(n)
		if string(src) == string(f.Bytes()) {
			continue
		}
		nf, diags := hclwrite.ParseConfig(src, f.Path, hcl.InitialPos)
		if diags.HasErrors() {
			return fmt.Errorf("generate's %s does not parse (%s); this is a bug in apigw2tf", n, diags.Error())
		}
		f.F = nf
	}
	d.Invalidate()
	return nil
}
