package migrate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// OwnFile is the file migrate writes its moved, import and removed blocks
// (and the resource blocks it carries into a directory) to. Everything else
// in a directory is the user's and is only edited where a migrated block
// sits.
const OwnFile = "migrated.tf"

// tfDir is the configuration files of one module directory, parsed with
// hclwrite so that an edit changes only what it touches.
type tfDir struct {
	path  string
	files map[string]*tfFile
	index map[string]located // see resourceBlocks; nil after an edit
}

type tfFile struct {
	path string
	orig []byte // nil for a file migrate creates
	f    *hclwrite.File
	// pending is text to append at the end of the current move; appending
	// waits so that blocks held during the move stay in f's tree.
	pending []byte
}

// add queues src, one or more whole blocks, for the end of the file.
func (f *tfFile) add(src []byte) {
	if len(f.pending) > 0 {
		f.pending = append(f.pending, '\n')
	}
	f.pending = append(f.pending, src...)
}

// addNew queues a block migrate builds, formatted as terraform fmt would.
func (f *tfFile) addNew(b *hclwrite.Block) {
	tmp := hclwrite.NewEmptyFile()
	tmp.Body().AppendBlock(b)
	f.add(tmp.Bytes())
}

// flush appends what is queued and parses the file again.
func (f *tfFile) flush() error {
	if len(f.pending) == 0 {
		return nil
	}
	src := f.f.BuildTokens(nil).Bytes()
	if len(bytes.TrimSpace(src)) > 0 {
		if !bytes.HasSuffix(src, []byte("\n")) {
			src = append(src, '\n')
		}
		src = append(src, '\n')
	} else {
		src = nil
	}
	src = append(src, f.pending...)
	nf, diags := hclwrite.ParseConfig(src, f.path, hcl.InitialPos)
	if diags.HasErrors() {
		return fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.path, diags.Error())
	}
	f.f, f.pending = nf, nil
	return nil
}

func loadDir(dir string) (*tfDir, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading directory %s: %w", dir, err)
	}
	d := &tfDir{path: dir, files: map[string]*tfFile{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tofu")) {
			continue
		}
		p := filepath.Join(dir, name)
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		f, diags := hclwrite.ParseConfig(src, p, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, fmt.Errorf("parsing %s: %s; fix the file first", p, diags.Error())
		}
		d.files[name] = &tfFile{path: p, orig: src, f: f}
	}
	return d, nil
}

// names returns the file names in order, so edits and messages are stable.
func (d *tfDir) names() []string {
	out := make([]string, 0, len(d.files))
	for n := range d.files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// own returns migrate's file, created empty when missing.
func (d *tfDir) own() *tfFile {
	if f, ok := d.files[OwnFile]; ok {
		return f
	}
	f := &tfFile{path: filepath.Join(d.path, OwnFile), f: hclwrite.NewEmptyFile()}
	d.files[OwnFile] = f
	return f
}

// resourceBlock finds the block declaring local (type.name).
func (d *tfDir) resourceBlock(local string) (*tfFile, *hclwrite.Block) {
	l := d.resourceBlocks()[local]
	return l.f, l.b
}

type located struct {
	f *tfFile
	b *hclwrite.Block
}

// resourceBlocks indexes the resource blocks by type.name. An index lives
// until the next edit, so it is rebuilt for every call that may follow one;
// a move asks once per resource, which would otherwise scan every block of
// every file each time.
func (d *tfDir) resourceBlocks() map[string]located {
	if d.index != nil {
		return d.index
	}
	d.index = map[string]located{}
	for _, n := range d.names() {
		f := d.files[n]
		for _, b := range f.f.Body().Blocks() {
			if l := b.Labels(); b.Type() == "resource" && len(l) == 2 {
				if _, dup := d.index[l[0]+"."+l[1]]; !dup {
					d.index[l[0]+"."+l[1]] = located{f, b}
				}
			}
		}
	}
	return d.index
}

// referrers maps every resource address (type.name, or module.name) that an
// expression in d mentions to the top-level blocks mentioning it, in file
// order, so a move visits only the blocks that refer to what moves.
func (d *tfDir) referrers() map[string][]*hclwrite.Block {
	out := map[string][]*hclwrite.Block{}
	for _, n := range d.names() {
		for _, b := range d.files[n].f.Body().Blocks() {
			seen := map[string]bool{}
			eachExpr(b.Body(), nil, func(_ []string, _ string, a *hclwrite.Attribute) {
				for _, t := range a.Expr().Variables() {
					p := strings.SplitN(strings.TrimSpace(string(t.BuildTokens(nil).Bytes())), ".", 3)
					if len(p) < 2 {
						continue
					}
					if k := p[0] + "." + p[1]; !seen[k] {
						seen[k] = true
						out[k] = append(out[k], b)
					}
				}
			})
		}
	}
	return out
}

// attrValues is the set of values of attribute attr in the blocks of typ
// (moved, removed, import), such as every `from` of the removed blocks.
func (d *tfDir) attrValues(typ, attr string) map[string]bool {
	out := map[string]bool{}
	for _, n := range d.names() {
		for _, b := range d.files[n].f.Body().Blocks() {
			if b.Type() == typ {
				out[traversalAttr(b.Body(), attr)] = true
			}
		}
	}
	return out
}

// moduleSource is the local source directory of module name, declared in
// this (root) directory.
func (d *tfDir) moduleSource(name string) (string, bool) {
	for _, n := range d.names() {
		for _, b := range d.files[n].f.Body().Blocks() {
			if b.Type() != "module" || len(b.Labels()) != 1 || b.Labels()[0] != name {
				continue
			}
			a := b.Body().GetAttribute("source")
			if a == nil {
				return "", false
			}
			src := strings.Trim(strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes())), `"`)
			if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
				return "", false
			}
			return filepath.Join(d.path, src), true
		}
	}
	return "", false
}

// changed returns the files whose bytes an edit changed, with the new bytes.
func (d *tfDir) changed() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, n := range d.names() {
		f := d.files[n]
		// Not f.f.Bytes(), which would reformat the whole file.
		b := f.f.BuildTokens(nil).Bytes()
		if f.orig == nil && len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if bytes.Equal(b, f.orig) {
			continue
		}
		// A file that no longer parses must never reach the disk.
		if _, diags := hclsyntax.ParseConfig(b, f.path, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.path, diags.Error())
		}
		out[f.path] = b
	}
	return out, nil
}

// traversalAttr renders an attribute that is a traversal, like
// `to = aws_apigatewayv2_api.x`, as its source text.
func traversalAttr(body *hclwrite.Body, name string) string {
	a := body.GetAttribute(name)
	if a == nil {
		return ""
	}
	return strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes()))
}

// traversal parses an address into an absolute traversal.
func traversal(address string) hcl.Traversal {
	t, diags := hclsyntax.ParseTraversalAbs([]byte(address), "", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("address %q does not parse: %s", address, diags.Error()))
	}
	return t
}

// parts splits an address into the names RenameVariablePrefix compares.
func parts(address string) []string { return strings.Split(address, ".") }

// eachExpr calls fn for every attribute expression in body, nested blocks
// included, with the chain of block types that leads to it.
func eachExpr(body *hclwrite.Body, path []string, fn func(path []string, name string, a *hclwrite.Attribute)) {
	for name, a := range body.Attributes() {
		fn(path, name, a)
	}
	for _, b := range body.Blocks() {
		eachExpr(b.Body(), append(slices.Clone(path), b.Type()), fn)
	}
}

// refersTo reports whether expression a mentions address (type.name or a
// module path), as a whole traversal prefix.
func refersTo(a *hclwrite.Attribute, address string) bool {
	want := parts(address)
	for _, t := range a.Expr().Variables() {
		got := strings.Split(strings.TrimSpace(string(t.BuildTokens(nil).Bytes())), ".")
		if len(got) >= len(want) && slices.Equal(got[:len(want)], want) {
			return true
		}
	}
	return false
}

// blockName names a block in messages: resource "t" "n", output "x".
func blockName(b *hclwrite.Block) string {
	s := b.Type()
	for _, l := range b.Labels() {
		s += fmt.Sprintf(" %q", l)
	}
	return s
}

// literalWithComment is the tokens of a string literal followed by a
// comment on the same line, for an api_id that can no longer be a
// reference.
func literalWithComment(v, comment string) hclwrite.Tokens {
	ts := hclwrite.TokensForValue(cty.StringVal(v))
	ts[0].SpacesBefore = 1
	return append(ts, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# " + comment), SpacesBefore: 1})
}
