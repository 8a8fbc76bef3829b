package codify

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
)

var (
	falseVal  = cty.False
	ctyString = cty.String
)

// segment is one step of an audit change path: .name, [index] or ["key"].
type segment struct {
	name  string
	index int
	key   string
	keyed bool
}

// parsePath reads the paths the audit writes: description,
// default_route_settings[0].throttling_burst_limit, tags["team"],
// route_settings["GET /items"].throttling_rate_limit.
func parsePath(p string) ([]segment, error) {
	bad := fmt.Errorf("change path %q is not one the audit writes", p)
	end := strings.IndexAny(p, ".[")
	if end < 0 {
		end = len(p)
	}
	if end == 0 {
		return nil, bad
	}
	segs := []segment{{name: p[:end]}}
	rest := p[end:]
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			n := strings.IndexAny(rest, ".[")
			if n < 0 {
				n = len(rest)
			}
			if n == 0 {
				return nil, bad
			}
			segs = append(segs, segment{name: rest[:n]})
			rest = rest[n:]
		case '[':
			rest = rest[1:]
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil || !strings.HasPrefix(rest[len(q):], "]") {
					return nil, bad
				}
				k, _ := strconv.Unquote(q)
				segs = append(segs, segment{key: k, keyed: true})
				rest = rest[len(q)+1:]
				continue
			}
			n := strings.IndexByte(rest, ']')
			i, err := strconv.Atoi(rest[:max(n, 0)])
			if n < 0 || err != nil {
				return nil, bad
			}
			segs = append(segs, segment{index: i})
			rest = rest[n+1:]
		default:
			return nil, bad
		}
	}
	return segs, nil
}

// isEmpty is the audit's "not set" (tfvalue.IsEmpty: null, "", no
// elements), and false.
func isEmpty(v any) bool {
	b, isBool := v.(bool)
	return tfvalue.IsEmpty(v) || isBool && !b
}

// ctyOf converts a value as terraform-json decodes it. Lists of strings
// are sets in these schemas and are written sorted, as generate writes
// them; maps become objects with sorted keys.
func ctyOf(v any) (cty.Value, error) {
	switch x := v.(type) {
	case string:
		if x == audit.UnknownMask {
			return cty.NilVal, fmt.Errorf("the live value is not known")
		}
		return cty.StringVal(x), nil
	case bool:
		return cty.BoolVal(x), nil
	case float64:
		return cty.NumberFloatVal(x), nil
	case int:
		return cty.NumberIntVal(int64(x)), nil
	case int32:
		return cty.NumberIntVal(int64(x)), nil
	case int64:
		return cty.NumberIntVal(x), nil
	case []any:
		vals := make([]cty.Value, 0, len(x))
		for _, e := range x {
			cv, err := ctyOf(e)
			if err != nil {
				return cty.NilVal, err
			}
			vals = append(vals, cv)
		}
		if len(vals) > 0 && vals[0].Type() == cty.String {
			slices.SortFunc(vals, func(a, b cty.Value) int { return strings.Compare(a.AsString(), b.AsString()) })
		}
		return cty.TupleVal(vals), nil
	case map[string]any:
		m := make(map[string]cty.Value, len(x))
		for k, e := range x {
			cv, err := ctyOf(e)
			if err != nil {
				return cty.NilVal, err
			}
			m[k] = cv
		}
		return cty.ObjectVal(m), nil
	}
	return cty.NilVal, fmt.Errorf("cannot write a value of type %T", v)
}

// literal is the value of an attribute written as a constant: no
// variable, reference or function call.
func literal(a *hclwrite.Attribute) (cty.Value, bool) {
	expr, diags := hclsyntax.ParseExpression(a.Expr().BuildTokens(nil).Bytes(), "", hcl.InitialPos)
	if diags.HasErrors() || len(expr.Variables()) > 0 {
		return cty.NilVal, false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return v, true
}

func exprText(a *hclwrite.Attribute) string {
	s := strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes()))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// spaced puts the one space after `=` that an expression's first token
// carries.
func spaced(ts hclwrite.Tokens) hclwrite.Tokens {
	if len(ts) > 0 {
		ts[0].SpacesBefore = 1
	}
	return ts
}

// indentLast indents a newly appended attribute like its siblings, for a
// file that is not formatted (a formatted one is formatted again).
func indentLast(body *hclwrite.Body, name string) {
	indent := -1
	for n, a := range body.Attributes() {
		if n != name {
			indent = a.BuildTokens(nil)[0].SpacesBefore
			break
		}
	}
	if indent < 0 {
		for _, b := range body.Blocks() {
			indent = b.BuildTokens(nil)[0].SpacesBefore
			break
		}
	}
	if a := body.GetAttribute(name); a != nil && indent > 0 {
		a.BuildTokens(nil)[0].SpacesBefore = indent
	}
}

// mapChange edits a map attribute (tags, stage_variables): one key, or the
// whole map when it appeared or went away. A key is edited inside the
// user's object, so the other keys, their comments and layout stay.
func (e *editor) mapChange(segs []segment, ch audit.Change) string {
	name := segs[0].name
	a := e.body.GetAttribute(name)
	if len(segs) == 1 {
		if a != nil {
			if _, ok := literal(a); !ok {
				return fmt.Sprintf("the configuration sets %s with an expression (%s); change it by hand", name, exprText(a))
			}
		}
		if isEmpty(ch.After) {
			if a != nil {
				e.body.RemoveAttribute(name)
			}
			return ""
		}
		m, ok := ch.After.(map[string]any)
		if !ok {
			return fmt.Sprintf("live value of %s is not a map", name)
		}
		if a == nil {
			return setMap(e.body, name, m)
		}
		// Key by key, so what the user wrote around the keys stays.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if why := e.mapKey(name, k, m[k]); why != "" {
				return why
			}
		}
		v, _ := literal(e.body.GetAttribute(name))
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			if _, ok := m[k.AsString()]; !ok {
				if why := e.mapKey(name, k.AsString(), nil); why != "" {
					return why
				}
			}
		}
		return ""
	}
	if len(segs) != 2 || !segs[1].keyed {
		return fmt.Sprintf("unexpected path %s for map %s", ch.Path, name)
	}
	return e.mapKey(name, segs[1].key, ch.After)
}

// setMap writes a map attribute the configuration did not have, with the
// keys rendered as generate renders them.
func setMap(body *hclwrite.Body, name string, m map[string]any) string {
	var src bytes.Buffer
	src.WriteString("x = {\n")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s, ok := m[k].(string)
		if !ok {
			return fmt.Sprintf("%s[%q] is not a string", name, k)
		}
		fmt.Fprintf(&src, "%s = %s\n", generate.ObjectKey(k), hclwrite.TokensForValue(cty.StringVal(s)).Bytes())
	}
	src.WriteString("}\n")
	ts, why := exprTokens(src.Bytes())
	if why != "" {
		return why
	}
	body.SetAttributeRaw(name, ts)
	indentLast(body, name)
	return ""
}

// exprTokens lexes `x = <expr>` and returns the expression's tokens.
func exprTokens(src []byte) (hclwrite.Tokens, string) {
	f, diags := hclwrite.ParseConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Sprintf("the edit does not parse (%s); this is a bug in apigw2tf", diags.Error())
	}
	return f.Body().GetAttribute("x").Expr().BuildTokens(nil), ""
}

// mapKey sets key k of map attribute name to v, or removes it when v is
// nil, by splicing the object's source text.
func (e *editor) mapKey(name, k string, v any) string {
	a := e.body.GetAttribute(name)
	if a == nil {
		if v == nil {
			return ""
		}
		return setMap(e.body, name, map[string]any{k: v})
	}
	src := a.Expr().BuildTokens(nil).Bytes()
	expr, diags := hclsyntax.ParseExpression(src, "", hcl.InitialPos)
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if diags.HasErrors() || !ok {
		return fmt.Sprintf("the configuration sets %s with an expression (%s); change it by hand", name, exprText(a))
	}
	var val []byte
	if v != nil {
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%s[%q] is not a string", name, k)
		}
		val = hclwrite.TokensForValue(cty.StringVal(s)).Bytes()
	}
	at := -1
	for i, it := range obj.Items {
		kv, diags := it.KeyExpr.Value(nil)
		if diags.HasErrors() || kv.Type() != cty.String {
			return fmt.Sprintf("a key of %s is an expression; change it by hand", name)
		}
		if kv.AsString() == k {
			at = i
		}
	}
	var out []byte
	switch {
	case at >= 0 && v != nil:
		it := obj.Items[at]
		if len(it.ValueExpr.Variables()) > 0 {
			return fmt.Sprintf("the configuration sets %s[%q] with an expression; change it by hand", name, k)
		}
		r := it.ValueExpr.Range()
		out = splice(src, r.Start.Byte, r.End.Byte, val)
	case at >= 0 && len(obj.Items) == 1:
		// generate leaves an empty map out, as the provider reads no map.
		e.body.RemoveAttribute(name)
		return ""
	case at >= 0:
		out = removeItem(src, obj, at)
	case v != nil:
		out = addItem(src, obj, append(append(generate.ObjectKey(k), " = "...), val...))
	default:
		return ""
	}
	ts, why := exprTokens(append(append([]byte("x ="), out...), '\n'))
	if why != "" {
		return why
	}
	e.body.SetAttributeRaw(name, ts)
	return ""
}

func splice(src []byte, start, end int, with []byte) []byte {
	out := make([]byte, 0, len(src)+len(with))
	out = append(out, src[:start]...)
	out = append(out, with...)
	return append(out, src[end:]...)
}

// removeItem deletes item i: its whole line when it has one of its own,
// else the item and one separating comma.
func removeItem(src []byte, obj *hclsyntax.ObjectConsExpr, i int) []byte {
	start, end := obj.Items[i].KeyExpr.Range().Start.Byte, obj.Items[i].ValueExpr.Range().End.Byte
	ls := bytes.LastIndexByte(src[:start], '\n') + 1
	le := bytes.IndexByte(src[end:], '\n')
	if ls > 0 && le >= 0 && len(bytes.TrimSpace(src[ls:start])) == 0 {
		tail := bytes.TrimSpace(src[end : end+le])
		if len(tail) == 0 || tail[0] == ',' || tail[0] == '#' || bytes.HasPrefix(tail, []byte("//")) {
			return splice(src, ls, end+le+1, nil)
		}
	}
	switch {
	case i+1 < len(obj.Items):
		return splice(src, start, obj.Items[i+1].KeyExpr.Range().Start.Byte, nil)
	case i > 0:
		return splice(src, obj.Items[i-1].ValueExpr.Range().End.Byte, end, nil)
	}
	return splice(src, start, end, nil)
}

// addItem inserts one `key = value` before the closing brace: on a line of
// its own, indented like the items above, when the brace has its own line.
func addItem(src []byte, obj *hclsyntax.ObjectConsExpr, item []byte) []byte {
	brace := obj.SrcRange.End.Byte - 1
	ls := bytes.LastIndexByte(src[:brace], '\n') + 1
	if ls > 0 && len(bytes.TrimSpace(src[ls:brace])) == 0 {
		indent := string(src[ls:brace]) + "  "
		if n := len(obj.Items); n > 0 {
			ks := obj.Items[n-1].KeyExpr.Range().Start.Byte
			kl := bytes.LastIndexByte(src[:ks], '\n') + 1
			if len(bytes.TrimSpace(src[kl:ks])) == 0 {
				indent = string(src[kl:ks])
			}
		}
		return splice(src, ls, ls, []byte(indent+string(item)+"\n"))
	}
	if n := len(obj.Items); n > 0 {
		end := obj.Items[n-1].ValueExpr.Range().End.Byte
		return splice(src, end, end, append([]byte(", "), item...))
	}
	open := obj.OpenRange.End.Byte
	return splice(src, open, brace, append(append([]byte(" "), item...), ' '))
}
