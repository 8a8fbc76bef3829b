package generate

import (
	"bytes"
	"slices"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// The blocks generate writes have a fixed shape: attributes with one-line
// values, string maps, and nested blocks. Every token (strings with their
// escapes, numbers, traversals, labels) comes from hclwrite; this file only
// lays those tokens out the way hclwrite.Format does: two-space indents,
// `=` aligned across each run of one-line attributes, a map's `= {` line
// breaking the run. Calling hclwrite.Format per resource instead costs a
// 4 KiB scanner buffer per attribute (Tokens.Columns) and took 9 s for
// 20,000 stages; tests hold every generated file to hclwrite.Format's
// output byte for byte.

// hblock is a block under construction.
type hblock struct {
	header []byte
	items  []hitem
}

// hitem is one line-level element of a body: an attribute with a one-line
// value, an attribute with a map value, or a nested block.
type hitem struct {
	name  []byte
	value []byte
	obj   [][2][]byte
	block *hblock
}

func newBlock(typ string, labels ...string) *hblock {
	h := []byte(typ)
	for _, l := range labels {
		h = append(h, ' ')
		h = append(h, hclwrite.TokensForValue(cty.StringVal(l)).Bytes()...)
	}
	return &hblock{header: h}
}

func (b *hblock) value(name string, v cty.Value) {
	b.items = append(b.items, hitem{name: []byte(name), value: hclwrite.TokensForValue(v).Bytes()})
}

func (b *hblock) traversal(name string, t hcl.Traversal) {
	b.items = append(b.items, hitem{name: []byte(name), value: hclwrite.TokensForTraversal(t).Bytes()})
}

// raw writes a one-line expression already rendered from hclwrite tokens
// (a template with a reference).
func (b *hblock) raw(name string, expr []byte) {
	b.items = append(b.items, hitem{name: []byte(name), value: expr})
}

// list writes strings as a one-line tuple, `["a", "b"]`.
func (b *hblock) list(name string, vs []string) {
	v := []byte{'['}
	for i, s := range vs {
		if i > 0 {
			v = append(v, ',', ' ')
		}
		v = append(v, hclwrite.TokensForValue(cty.StringVal(s)).Bytes()...)
	}
	b.items = append(b.items, hitem{name: []byte(name), value: append(v, ']')})
}

// object writes a string map with sorted keys, one per line.
func (b *hblock) object(name string, m map[string]string) {
	b.objectOf(name, m, func(v string) []byte { return hclwrite.TokensForValue(cty.StringVal(v)).Bytes() })
}

// objectOf writes a map with sorted keys, one per line, each value the
// expression value renders (a reference, or the string).
func (b *hblock) objectOf(name string, m map[string]string, value func(v string) []byte) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	kvs := make([][2][]byte, len(keys))
	for i, k := range keys {
		kvs[i] = [2][]byte{ObjectKey(k), value(m[k])}
	}
	b.items = append(b.items, hitem{name: []byte(name), obj: kvs})
}

func (b *hblock) block(typ string) *hblock {
	nb := newBlock(typ)
	b.items = append(b.items, hitem{block: nb})
	return nb
}

// bytes renders a top-level block.
func (b *hblock) bytes() []byte {
	var buf bytes.Buffer
	buf.Grow(b.size(0))
	b.write(&buf, 0)
	return buf.Bytes()
}

// size is an upper bound of what write produces, so a block's buffer is
// allocated once.
func (b *hblock) size(indent int) int {
	n := 2*indent + len(b.header) + 4
	for _, it := range b.items {
		switch {
		case it.block != nil:
			n += it.block.size(indent + 2)
		case it.obj != nil:
			n += 2*indent + len(it.name) + 10
			for _, kv := range it.obj {
				n += indent + 4 + len(kv[0]) + len(kv[1]) + 4 + 64
			}
		default:
			n += indent + 2 + len(it.name) + len(it.value) + 4 + 64
		}
	}
	return n
}

func (b *hblock) write(buf *bytes.Buffer, indent int) {
	writeIndent(buf, indent)
	buf.Write(b.header)
	buf.WriteString(" {\n")
	inner := indent + 2
	for i := 0; i < len(b.items); {
		it := b.items[i]
		switch {
		case it.block != nil:
			it.block.write(buf, inner)
			i++
		case it.obj != nil:
			writeIndent(buf, inner)
			buf.Write(it.name)
			buf.WriteString(" = {\n")
			writeAligned(buf, inner+2, it.obj)
			writeIndent(buf, inner)
			buf.WriteString("}\n")
			i++
		default:
			j := i
			var run [][2][]byte
			for ; j < len(b.items) && b.items[j].block == nil && b.items[j].obj == nil; j++ {
				run = append(run, [2][]byte{b.items[j].name, b.items[j].value})
			}
			writeAligned(buf, inner, run)
			i = j
		}
	}
	writeIndent(buf, indent)
	buf.WriteString("}\n")
}

// writeAligned writes name = value lines with the `=` signs in one column,
// measured in grapheme clusters as hclwrite does.
func writeAligned(buf *bytes.Buffer, indent int, run [][2][]byte) {
	width := 0
	cols := make([]int, len(run))
	for i, kv := range run {
		cols[i] = columns(kv[0])
		width = max(width, cols[i])
	}
	for i, kv := range run {
		writeIndent(buf, indent)
		buf.Write(kv[0])
		for range width - cols[i] + 1 {
			buf.WriteByte(' ')
		}
		buf.WriteString("= ")
		buf.Write(kv[1])
		buf.WriteByte('\n')
	}
}

func columns(b []byte) int {
	for _, c := range b {
		if c >= 0x80 {
			n, _ := textseg.TokenCount(b, textseg.ScanGraphemeClusters)
			return n
		}
	}
	return len(b)
}

func writeIndent(buf *bytes.Buffer, n int) {
	for range n {
		buf.WriteByte(' ')
	}
}

// ObjectKey renders a map key as generate writes it (codify adds keys the same way). hclwrite would write any valid identifier
// bare, but a bare `null`, `true` or `false` is a keyword, not a string, so
// keys are quoted unless plainly safe.
func ObjectKey(k string) []byte {
	if bareKey.MatchString(k) && k != "null" && k != "true" && k != "false" {
		return []byte(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k)).Bytes()
}
