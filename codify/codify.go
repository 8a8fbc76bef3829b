// Package codify keeps console changes: for the drift findings of an audit
// it writes the configuration change that makes each live value the
// configured one, so that the next ordinary plan shows no changes. It edits
// the user's files through internal/hclfiles (only the tokens of the
// drifted attribute paths change) and never touches state or AWS: applying
// the edited configuration is left to a person, after review.
package codify

import (
	"bytes"
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
	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
	"github.com/apigw2tf/apigw2tf/internal/hclfiles"
	"github.com/apigw2tf/apigw2tf/internal/udiff"
	"github.com/apigw2tf/apigw2tf/inventory"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// Mode says what codify does with the change.
type Mode string

// Modes of --codify.
const (
	// ModePatch writes a unified diff and changes no file.
	ModePatch Mode = "patch"
	// ModeWrite edits the files, each atomically.
	ModeWrite Mode = "write"
)

// PatchFile is the file --codify=patch writes into --out-dir.
const PatchFile = "codify.patch"

// ParseMode reads a --codify value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModePatch, ModeWrite:
		return m, nil
	}
	return "", fmt.Errorf("--codify %q is not valid; use patch (write a unified diff) or write (edit the files)", s)
}

// Options configure a codification.
type Options struct {
	Mode Mode
	// Engine is the engine and version the directories are planned with.
	// A deleted resource is forgotten with a removed block, which only
	// Terraform >= 1.7 and OpenTofu >= 1.10 take with
	// lifecycle { destroy = false }.
	Engine migrate.EngineVersion
	// Redact are the audit's --redact attributes: codify never writes
	// their values, nor values taken from the live object where a finding
	// had anything redacted.
	Redact []string
	// Inventory is the audit's discovery. With it, unmanaged resources get
	// import blocks and HCL from generate, in the audited directory when
	// there is exactly one.
	Inventory *inventory.Inventory
	// State reads a directory's state for generate (nil reader: no
	// state). done releases what it opened.
	State func(ctx context.Context, dir string) (r generate.StateReader, done func(), err error)
	// Base is the directory patch paths are relative to; "" is the
	// working directory.
	Base string
	// WriteFile replaces one file; nil means atomicfile.Write. Tests
	// inject failures through it.
	WriteFile func(path string, data []byte) error
}

// Result is what Run wrote, or would write.
type Result struct {
	// Patch is the unified diff of every file codify changes.
	Patch []byte
	// Files are the changed files, in order.
	Files   []string
	Written bool
	// Codified and Manual count the findings with a change and those
	// with something left to a person.
	Codified, Manual int
}

// Run codifies the findings of rep. Each finding gets its Codify: the diff
// of its own edit and the paths left to a person. Ignored findings and
// attributes are already gone from rep; redacted and sensitive values are
// never written.
func Run(ctx context.Context, rep *audit.Report, o Options) (*Result, error) {
	if _, err := ParseMode(string(o.Mode)); err != nil {
		return nil, err
	}
	c := &codifier{opts: o, dirs: map[string]*hclfiles.Dir{}, fmtClean: map[string]bool{}, redact: map[string]bool{}}
	for _, a := range o.Redact {
		c.redact[a] = true
	}
	if c.redact["tags"] {
		c.redact["tags_all"] = true
	}
	for i := range rep.Findings {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f := &rep.Findings[i]
		var err error
		switch f.Class {
		case audit.ClassChanged:
			err = c.changed(f)
		case audit.ClassDeleted:
			err = c.deleted(f)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := c.unmanaged(ctx, rep); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, f := range rep.Findings {
		if f.Codify == nil {
			continue
		}
		if f.Codify.Patch != "" {
			res.Codified++
		}
		if len(f.Codify.Manual) > 0 {
			res.Manual++
		}
	}
	return res, c.finish(ctx, res)
}

type codifier struct {
	opts     Options
	dirs     map[string]*hclfiles.Dir
	fmtClean map[string]bool // files terraform fmt would leave as they are
	redact   map[string]bool
}

func (c *codifier) dir(path string) (*hclfiles.Dir, error) {
	path = filepath.Clean(path)
	if d, ok := c.dirs[path]; ok {
		return d, nil
	}
	d, err := hclfiles.Load(path)
	if err != nil {
		return nil, err
	}
	for _, f := range d.Files {
		c.fmtClean[f.Path] = bytes.Equal(hclwrite.Format(f.Orig), f.Orig)
	}
	c.dirs[path] = d
	return d, nil
}

// snapshot is the text of every file of d, to diff one finding's edit.
func snapshot(d *hclfiles.Dir) map[string][]byte {
	out := make(map[string][]byte, len(d.Files))
	for n, f := range d.Files {
		out[n] = f.Bytes()
	}
	return out
}

// settle ends one finding's edit of d: files terraform fmt left as they
// were are formatted again (so `=` stays aligned), any other file keeps
// the user's layout around the edit; the diff against before is returned.
func (c *codifier) settle(d *hclfiles.Dir, before map[string][]byte) (string, error) {
	if err := d.Flush(); err != nil {
		return "", err
	}
	var patch strings.Builder
	for _, n := range d.Names() {
		f := d.Files[n]
		if swept, err := f.Sweep(); err != nil {
			return "", err
		} else if swept {
			d.Invalidate()
		}
		now := f.Bytes()
		if bytes.Equal(now, before[n]) {
			continue
		}
		if f.Orig == nil || c.fmtClean[f.Path] {
			if formatted := hclwrite.Format(now); !bytes.Equal(formatted, now) {
				nf, diags := hclwrite.ParseConfig(formatted, f.Path, hcl.InitialPos)
				if diags.HasErrors() {
					return "", fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.Path, diags.Error())
				}
				f.F, now = nf, formatted
				d.Invalidate()
			}
		}
		old := before[n]
		if _, existed := before[n]; !existed {
			old = nil
		}
		patch.Write(udiff.Diff(c.rel(f.Path), old, now))
	}
	return patch.String(), nil
}

// rel names a file in a patch: relative to Base, with slashes, so that
// `git apply` in the repository root takes it.
func (c *codifier) rel(path string) string {
	base := c.opts.Base
	if base == "" {
		base, _ = os.Getwd()
	}
	abs, err := filepath.Abs(path)
	if err == nil {
		if r, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(strings.TrimPrefix(path, string(filepath.Separator)))
}

// finish collects every changed file into the patch and, in write mode,
// writes them.
func (c *codifier) finish(ctx context.Context, res *Result) error {
	all := map[string][]byte{}
	orig := map[string][]byte{}
	for _, d := range c.dirs {
		ch, err := d.Changed()
		if err != nil {
			return err
		}
		for p, b := range ch {
			all[p] = b
			res.Files = append(res.Files, p)
			for _, f := range d.Files {
				if f.Path == p {
					orig[p] = f.Orig
				}
			}
		}
	}
	slices.Sort(res.Files)
	var patch bytes.Buffer
	for _, p := range res.Files {
		patch.Write(udiff.Diff(c.rel(p), orig[p], all[p]))
	}
	res.Patch = patch.Bytes()
	if c.opts.Mode != ModeWrite {
		return nil
	}
	write := c.opts.WriteFile
	if write == nil {
		write = func(p string, b []byte) error { return atomicfile.Write(p, b, 0o644) }
	}
	for _, p := range res.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := write(p, all[p]); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	res.Written = true
	return nil
}

// manual records a path left to a person.
func manual(f *audit.Finding, path string, value any, why string) {
	if f.Codify == nil {
		f.Codify = &audit.Codified{}
	}
	f.Codify.Manual = append(f.Codify.Manual, audit.ManualChange{Path: path, Value: value, Reason: why})
}

func setPatch(f *audit.Finding, patch string) {
	if patch == "" {
		return
	}
	if f.Codify == nil {
		f.Codify = &audit.Codified{}
	}
	f.Codify.Patch = patch
}
