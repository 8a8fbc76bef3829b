package migrate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/internal/hclfiles"
)

// OwnFile is the file migrate writes its moved, import and removed blocks
// (and the resource blocks it carries into a directory) to. Everything else
// in a directory is the user's and is only edited where a migrated block
// sits.
const OwnFile = "migrated.tf"

// tfDir is a module directory's files, with what migrate asks of them.
type tfDir struct{ *hclfiles.Dir }

type tfFile = hclfiles.File

func loadDir(dir string) (*tfDir, error) {
	d, err := hclfiles.Load(dir)
	if err != nil {
		return nil, err
	}
	return &tfDir{d}, nil
}

// own returns migrate's file, created empty when missing.
func (d *tfDir) own() *tfFile { return d.File(OwnFile) }

// referrers maps every resource address (type.name, or module.name) that an
// expression in d mentions to the top-level blocks mentioning it, in file
// order, so a move visits only the blocks that refer to what moves.
// Blocks of the types skip are left out, unread: a move between states
// reads its import, moved and removed blocks otherwise, and they are most
// of an adopted directory's blocks.
func (d *tfDir) referrers(skip ...string) map[string][]*hclwrite.Block {
	out := map[string][]*hclwrite.Block{}
	for _, n := range d.Names() {
		for _, b := range d.Files[n].F.Body().Blocks() {
			if slices.Contains(skip, b.Type()) {
				continue
			}
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

// byAttr maps the value of attribute attr in the blocks of typ to those
// blocks, such as the import blocks by their `to`.
func (d *tfDir) byAttr(typ, attr string) map[string][]*hclwrite.Block {
	out := map[string][]*hclwrite.Block{}
	for _, n := range d.Names() {
		for _, b := range d.Files[n].F.Body().Blocks() {
			if b.Type() == typ {
				v := traversalAttr(b.Body(), attr)
				out[v] = append(out[v], b)
			}
		}
	}
	return out
}

// attrValues is the set of values of attribute attr in the blocks of typ
// (moved, removed, import), such as every `from` of the removed blocks.
func (d *tfDir) attrValues(typ, attr string) map[string]bool {
	out := map[string]bool{}
	for _, n := range d.Names() {
		for _, b := range d.Files[n].F.Body().Blocks() {
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
	for _, n := range d.Names() {
		for _, b := range d.Files[n].F.Body().Blocks() {
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
			return filepath.Join(d.Path, src), true
		}
	}
	return "", false
}

func traversalAttr(body *hclwrite.Body, name string) string {
	return hclfiles.TraversalAttr(body, name)
}

func traversal(address string) hcl.Traversal { return hclfiles.Traversal(address) }

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
