package hclfiles

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Flush joins the queued blocks to the tree instead of parsing the whole
// file again; the file must read and edit afterwards as a parse of the
// joined text would.
func TestFlushIsAParseOfTheJoinedText(t *testing.T) {
	bases := map[string]string{
		"blocks":          "# head\nresource \"a\" \"x\" {\n  v = 1\n}\n",
		"trailing blanks": "resource \"a\" \"x\" {}\n\n\n",
		"comment last":    "resource \"a\" \"x\" {}\n# tail\n",
		"no newline":      "resource \"a\" \"x\" {}",
		"crlf":            "resource \"a\" \"x\" {\r\n  v = 1\r\n}\r\n",
		"blank":           "\n\n",
		"empty":           "",
	}
	chunks := []string{
		"# lead\nresource \"b\" \"y\" {\n  w = a.x.v # line\n}\n",
		"removed {\n  from = a.x\n  lifecycle {\n    destroy = false\n  }\n}\n",
		"resource \"c\" \"z\" {}", // carried from the end of a file without its newline
	}
	for name, base := range bases {
		t.Run(name, func(t *testing.T) {
			f := parsed(t, base)
			want := base
			for i, c := range chunks {
				// A block carried from another file, the last of it
				// without a newline in the last round.
				other := "a = 1\n\n# carried\nresource \"d\" \"w\" { # here\n  k = a.x\n}\n"
				if i == len(chunks)-1 {
					other = strings.TrimSuffix(other, "\n")
				}
				from := parsed(t, other)
				carried := from.F.Body().Blocks()[0]
				from.F.Body().RemoveBlock(carried)
				f.Add([]byte(c))
				f.Carry(carried)
				f.Add([]byte(chunks[0]))
				if err := f.Flush(); err != nil {
					t.Fatal(err)
				}
				want = joined(want, c+"\n"+string(carried.BuildTokens(nil).Bytes())+"\n"+chunks[0])
				whole := parsed(t, want)
				if got := string(f.Bytes()); got != want {
					t.Fatalf("flush %d: got\n%q\nwant\n%q", i, got, want)
				}
				if got, want := blockNames(f), blockNames(whole); got != want {
					t.Fatalf("flush %d: blocks %s, want %s", i, got, want)
				}
				// An edit of a block flushed in must move the same bytes.
				for _, g := range []*File{f, whole} {
					bs := g.F.Body().Blocks()
					g.F.Body().RemoveBlock(bs[len(bs)-2])
					bs[len(bs)-1].Body().SetAttributeValue("n", cty.NumberIntVal(int64(i)))
				}
				if got, want := string(f.Bytes()), string(whole.Bytes()); got != want {
					t.Fatalf("flush %d, after an edit: got\n%q\nwant\n%q", i, got, want)
				}
				want = string(whole.Bytes())
			}
		})
	}
}

// joined is what Flush promises: base, a blank line, then the chunks; a
// base of blanks only is replaced.
func joined(base, add string) string {
	blank := true
	for _, c := range base {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			blank = false
		}
	}
	switch {
	case blank:
		return add
	case base[len(base)-1] != '\n':
		return base + "\n\n" + add
	}
	return base + "\n" + add
}

func parsed(t *testing.T, src string) *File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "main.tf")
	f, diags := hclwrite.ParseConfig([]byte(src), p, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing %q: %s", src, diags.Error())
	}
	return &File{Path: p, Orig: []byte(src), F: f}
}

func blockNames(f *File) string {
	s := ""
	for _, b := range f.F.Body().Blocks() {
		s += fmt.Sprintf("%s%q;", b.Type(), b.Labels())
	}
	return s
}

// AddNew joins a block built in memory without a parse: the file must
// read as the formatted block's text, and edit afterwards as a parse of
// that text would.
func TestAddNewIsTheFormattedText(t *testing.T) {
	build := func() *hclwrite.Block {
		b := hclwrite.NewBlock("removed", nil)
		b.Body().SetAttributeTraversal("from", Traversal("aws_apigatewayv2_api.orders"))
		b.Body().AppendNewBlock("lifecycle", nil).Body().SetAttributeValue("destroy", cty.False)
		b.Body().SetAttributeValue("note", cty.StringVal(`say "hi" ${x}`))
		return b
	}
	tmp := hclwrite.NewEmptyFile()
	tmp.Body().AppendBlock(build())
	text := string(hclwrite.Format(tmp.Bytes()))
	for _, base := range []string{"", "resource \"a\" \"x\" {\n  v = 1\n}\n", "resource \"a\" \"x\" {}"} {
		f := parsed(t, base)
		f.AddNew(build())
		f.AddNew(build())
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		want := joined(base, text+"\n"+text)
		if got := string(f.Bytes()); got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
		whole := parsed(t, want)
		for _, g := range []*File{f, whole} {
			bs := g.F.Body().Blocks()
			bs[len(bs)-1].Body().SetAttributeTraversal("from", Traversal("aws_apigatewayv2_api.users"))
			bs[len(bs)-2].Body().RemoveAttribute("note")
		}
		if got, want := string(f.Bytes()), string(whole.Bytes()); got != want {
			t.Fatalf("after an edit: got\n%s\nwant\n%s", got, want)
		}
	}
}
