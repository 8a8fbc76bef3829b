// Package hclfiles edits the configuration files of one module directory
// with hclwrite, so that an edit changes only the tokens it touches and
// every comment, expression and layout around it keeps its bytes. migrate
// (moving resources) and codify (keeping console changes) both edit users'
// files through it.
package hclfiles

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
)

// Dir is the configuration files of one module directory.
type Dir struct {
	Path  string
	Files map[string]*File
	index map[string]Located // see ResourceBlocks; nil after an edit
}

// File is one parsed configuration file.
type File struct {
	Path string
	Orig []byte // nil for a file created in memory
	F    *hclwrite.File
	// pending is what to append at the next Flush; appending waits so
	// that blocks held during an edit stay in F's tree.
	pending []queued
}

// queued is text (whole blocks) or a block taken from another file.
type queued struct {
	text  []byte
	block *hclwrite.Block
}

func (q queued) bytes() []byte {
	if q.block != nil {
		return q.block.BuildTokens(nil).Bytes()
	}
	return q.text
}

// Located is a block and the file that holds it.
type Located struct {
	F *File
	B *hclwrite.Block
}

// New is an empty directory, for one that an edit creates.
func New(dir string) *Dir { return &Dir{Path: dir, Files: map[string]*File{}} }

// Load parses every .tf and .tofu file of dir.
func Load(dir string) (*Dir, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading directory %s: %w", dir, err)
	}
	d := New(dir)
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
		d.Files[name] = &File{Path: p, Orig: src, F: f}
	}
	return d, nil
}

// Names returns the file names in order, so edits and messages are stable.
func (d *Dir) Names() []string {
	out := make([]string, 0, len(d.Files))
	for n := range d.Files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// File returns the file called name, created empty when missing.
func (d *Dir) File(name string) *File {
	if f, ok := d.Files[name]; ok {
		return f
	}
	f := &File{Path: filepath.Join(d.Path, name), F: hclwrite.NewEmptyFile()}
	d.Files[name] = f
	return f
}

// ResourceBlock finds the block declaring local (type.name).
func (d *Dir) ResourceBlock(local string) (*File, *hclwrite.Block) {
	l := d.ResourceBlocks()[local]
	return l.F, l.B
}

// ResourceBlocks indexes the resource blocks by type.name. An index lives
// until Invalidate, which every edit that adds or removes a block calls;
// callers that look up many resources would otherwise scan every block of
// every file each time.
func (d *Dir) ResourceBlocks() map[string]Located {
	if d.index != nil {
		return d.index
	}
	d.index = map[string]Located{}
	for _, n := range d.Names() {
		f := d.Files[n]
		for _, b := range f.F.Body().Blocks() {
			if l := b.Labels(); b.Type() == "resource" && len(l) == 2 {
				if _, dup := d.index[l[0]+"."+l[1]]; !dup {
					d.index[l[0]+"."+l[1]] = Located{f, b}
				}
			}
		}
	}
	return d.index
}

// Invalidate drops the resource index after an edit.
func (d *Dir) Invalidate() { d.index = nil }

// Flush applies every file's queued blocks.
func (d *Dir) Flush() error {
	d.index = nil
	for _, n := range d.Names() {
		if err := d.Files[n].Flush(); err != nil {
			return err
		}
	}
	return nil
}

// Changed returns the files whose bytes an edit changed, with the new
// bytes, keyed by path. A file that no longer parses is an error: it must
// never reach the disk.
func (d *Dir) Changed() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, n := range d.Names() {
		f := d.Files[n]
		b := f.Bytes()
		if f.Orig == nil && len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if bytes.Equal(b, f.Orig) {
			continue
		}
		if _, diags := hclsyntax.ParseConfig(b, f.Path, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.Path, diags.Error())
		}
		out[f.Path] = b
	}
	return out, nil
}

// Bytes is the file's current text. Not F.Bytes(), which would reformat
// the whole file.
func (f *File) Bytes() []byte { return f.F.BuildTokens(nil).Bytes() }

// Add queues src, one or more whole blocks, for the end of the file.
func (f *File) Add(src []byte) { f.pending = append(f.pending, queued{text: src}) }

// Carry queues b, a block already removed from its file, for the end of
// this one as it is: its own tokens, lead comments included, so the
// user's formatting and comments survive, and it needs no parse.
func (f *File) Carry(b *hclwrite.Block) { f.pending = append(f.pending, queued{block: b}) }

// AddNew queues a block built in memory, formatted as terraform fmt would.
// hclwrite formats a file's tokens in place when it renders the file (the
// tokens are the tree's), so the block rendered once in a file of its own
// carries its formatting and joins this file without a parse: a split of
// a thousand resources queues two thousand import and removed blocks.
func (f *File) AddNew(b *hclwrite.Block) {
	tmp := hclwrite.NewEmptyFile()
	tmp.Body().AppendBlock(b)
	tmp.Bytes()
	tmp.Body().RemoveBlock(b)
	f.Carry(b)
}

// Flush appends what is queued, a blank line after what is there and a
// newline between the queued pieces. Only queued text is parsed, and the
// new blocks join the file's tree after what is there: a file that grows
// at every flush (migrate's own file, move after move) is not parsed again
// each time, which was half of a 10-move split's work. The text and the
// blocks are those a parse of the joined bytes would give.
func (f *File) Flush() error {
	if len(f.pending) == 0 {
		return nil
	}
	src := f.Bytes()
	blank := len(bytes.TrimSpace(src)) == 0
	if blank || bytes.HasSuffix(src, []byte("\n")) {
		joined, err := f.join(blank)
		if err != nil || joined {
			return err
		}
	}
	// A file of blanks only is replaced. A last line without its newline
	// would end in a different node than a parse of the joined text puts
	// it (the block's own newline), so such a file is parsed whole.
	if len(bytes.TrimSpace(src)) > 0 {
		if !bytes.HasSuffix(src, []byte("\n")) {
			src = append(src, '\n')
		}
		src = append(src, '\n')
	} else {
		src = nil
	}
	for i, q := range f.pending {
		if i > 0 {
			src = append(src, '\n')
		}
		src = append(src, q.bytes()...)
	}
	nf, err := f.parse(src)
	if err != nil {
		return err
	}
	f.F, f.pending = nf, nil
	return nil
}

// join appends the queued pieces to the tree of a file that ends with a
// newline, each after a newline of its own, or replaces a blank file by
// them: runs of text parsed together, carried blocks as they are. It joins
// nothing, and reports so, when a piece does not end with a newline (the
// separator would be that block's own newline in a parse of the joined
// text) or the text holds an attribute; Flush then parses the file whole.
func (f *File) join(blank bool) (bool, error) {
	newline := func() *hclwrite.Token { return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")} }
	type piece struct {
		t *hclwrite.File
		b *hclwrite.Block
	}
	var pieces []piece
	var run []byte
	endRun := func() error {
		if run == nil {
			return nil
		}
		t, err := f.parse(run)
		if err != nil {
			return err
		}
		pieces, run = append(pieces, piece{t: t}), nil
		return nil
	}
	for i, q := range f.pending {
		if b := q.bytes(); !bytes.HasSuffix(b, []byte("\n")) {
			return false, nil
		}
		if q.block == nil {
			if i > 0 || !blank {
				run = append(run, '\n')
			}
			run = append(run, q.text...)
			continue
		}
		if err := endRun(); err != nil {
			return false, err
		}
		pieces = append(pieces, piece{b: q.block})
	}
	if err := endRun(); err != nil {
		return false, err
	}
	for _, p := range pieces {
		if p.t != nil && len(p.t.Body().Attributes()) > 0 {
			return false, nil
		}
	}
	if blank {
		f.F = hclwrite.NewEmptyFile()
	}
	body := f.F.Body()
	for i, p := range pieces {
		if p.t != nil {
			appendFile(body, p.t)
			continue
		}
		if i > 0 || !blank {
			body.AppendUnstructuredTokens(hclwrite.Tokens{newline()})
		}
		body.AppendBlock(p.b)
	}
	f.pending = nil
	return true, nil
}

func (f *File) parse(src []byte) (*hclwrite.File, error) {
	nf, diags := hclwrite.ParseConfig(src, f.Path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.Path, diags.Error())
	}
	return nf, nil
}

// appendFile moves the blocks of t, and the tokens between them, to the
// end of body. Tokens are shared between a file and its blocks, so a
// block's first token marks where it starts among the file's.
func appendFile(body *hclwrite.Body, t *hclwrite.File) {
	toks := t.BuildTokens(nil)
	loose := func(ts hclwrite.Tokens) {
		if n := len(ts); n > 0 && ts[n-1].Type == hclsyntax.TokenEOF {
			ts = ts[:n-1]
		}
		if len(ts) > 0 {
			body.AppendUnstructuredTokens(ts)
		}
	}
	i := 0
	for _, b := range t.Body().Blocks() {
		bt := b.BuildTokens(nil)
		j := i + slices.Index(toks[i:], bt[0])
		loose(toks[i:j])
		t.Body().RemoveBlock(b)
		body.AppendBlock(b)
		i = j + len(bt)
	}
	loose(toks[i:])
}

// TraversalAttr renders an attribute that is a traversal, like
// `to = aws_apigatewayv2_api.x`, as its source text.
func TraversalAttr(body *hclwrite.Body, name string) string {
	a := body.GetAttribute(name)
	if a == nil {
		return ""
	}
	return strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes()))
}

// Traversal parses an address into an absolute traversal.
func Traversal(address string) hcl.Traversal {
	t, diags := hclsyntax.ParseTraversalAbs([]byte(address), "", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("address %q does not parse: %s", address, diags.Error()))
	}
	return t
}

// removedMark is the type a block to remove is renamed to until Sweep;
// no configuration block is called that.
const removedMark = "__apigw2tf_removed__"

// MarkRemoved empties b and marks it for Sweep. Unlike Body.RemoveBlock,
// which leaves the blank lines around the block behind (two blank lines
// where there was one), Sweep removes the block's lines and one of the
// blank lines that framed it. Other blocks of the file stay valid until
// Sweep.
func MarkRemoved(b *hclwrite.Block) {
	b.SetType(removedMark)
	b.SetLabels(nil)
	b.Body().Clear()
}

// Sweep removes the blocks MarkRemoved marked, with their lead comments,
// and parses the file again; it reports whether there was any.
func (f *File) Sweep() (bool, error) {
	src := f.Bytes()
	if !bytes.Contains(src, []byte(removedMark)) {
		return false, nil
	}
	lines := strings.SplitAfter(string(src), "\n")
	blank := func(i int) bool { return i >= 0 && i < len(lines) && strings.TrimSpace(lines[i]) == "" }
	drop := make([]bool, len(lines))
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, removedMark+" {") {
			continue
		}
		end := i
		for !strings.HasSuffix(l, "}") && end+1 < len(lines) {
			end++
			l = strings.TrimSpace(lines[end])
		}
		start := i
		for start > 0 && isComment(lines[start-1]) && !drop[start-1] {
			start--
		}
		for j := start; j <= end && j < len(lines); j++ {
			drop[j] = true
		}
		// Keep one blank line between neighbours, none at a body's edge.
		after := end + 1
		switch {
		case blank(start-1) && (blank(after) || after >= len(lines) || strings.TrimSpace(lines[after]) == "}"):
			drop[start-1] = true
		case start == 0 && blank(after):
			drop[after] = true
		}
		i = end
	}
	var out strings.Builder
	for i, l := range lines {
		if !drop[i] {
			out.WriteString(l)
		}
	}
	nf, diags := hclwrite.ParseConfig([]byte(out.String()), f.Path, hcl.InitialPos)
	if diags.HasErrors() {
		return false, fmt.Errorf("the edit of %s does not parse (%s); this is a bug in apigw2tf, nothing was written", f.Path, diags.Error())
	}
	f.F = nf
	return true, nil
}

func isComment(line string) bool {
	l := strings.TrimSpace(line)
	return strings.HasPrefix(l, "#") || strings.HasPrefix(l, "//")
}
