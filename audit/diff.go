package audit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// setKeys names, per block set, the attribute that identifies an element.
// Sets come out of the engine in an order of their own; matching elements by
// position would report a renamed route as every field changing.
var setKeys = map[string]string{
	"route_settings":      "route_key",
	"request_parameter":   "request_parameter_key",
	"response_parameters": "status_code",
}

// mapAttributes are map-typed attributes: their keys print as ["key"], not
// as .field, so a tag called "a.b" stays one path segment.
var mapAttributes = map[string]bool{
	"tags":            true,
	"tags_all":        true,
	"stage_variables": true,
	// An API's children.
	"request_models":     true,
	"request_parameters": true,
	"request_templates":  true,
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// differ compares two attribute objects as terraform-json decodes them
// (map[string]any, []any, string, float64, bool, nil) together with their
// sensitivity masks (true on every sensitive leaf or subtree).
type differ struct {
	changes []Change
}

// diffAttributes returns the changes between two attribute objects, sorted
// by path. Null, absent, "" and empty collections compare equal: providers
// store "not set" as any of them, and none is drift a person could act on.
func diffAttributes(before, after map[string]any, beforeSens, afterSens any) []Change {
	var d differ
	d.object("", before, after, beforeSens, afterSens, false)
	slices.SortStableFunc(d.changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return d.changes
}

func (d *differ) object(path string, before, after map[string]any, bs, as any, isMap bool) {
	keys := make([]string, 0, len(before)+len(after))
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := joinKey(path, k, isMap)
		childMap := path == "" && mapAttributes[k]
		b, bok := before[k]
		a, aok := after[k]
		d.value(p, k, b, a, bok, aok, maskAt(bs, k), maskAt(as, k), childMap)
	}
}

// value compares one value; name is the attribute name of its nearest
// enclosing attribute, used to find the key of block sets.
func (d *differ) value(path, name string, b, a any, bok, aok bool, bs, as any, isMap bool) {
	if isEmpty(b) && isEmpty(a) {
		return
	}
	if masked(bs) || masked(as) {
		if !reflect.DeepEqual(b, a) {
			d.add(path, b, a, bok && !isEmpty(b), aok && !isEmpty(a), true)
		}
		return
	}
	switch bv := b.(type) {
	case map[string]any:
		if av, ok := a.(map[string]any); ok {
			d.object(path, bv, av, bs, as, isMap)
			return
		}
	case []any:
		if av, ok := a.([]any); ok {
			d.list(path, name, bv, av, bs, as)
			return
		}
	}
	if isEmpty(a) {
		d.add(path, b, nil, true, false, false)
		return
	}
	if isEmpty(b) {
		d.add(path, nil, a, false, true, false)
		return
	}
	if !equalScalar(b, a) {
		d.add(path, b, a, true, true, false)
	}
}

func (d *differ) list(path, name string, b, a []any, bs, as any) {
	if key, ok := setKeys[name]; ok && keyed(b, key) && keyed(a, key) {
		d.keyedSet(path, key, b, a, bs, as)
		return
	}
	if allScalar(b) && allScalar(a) {
		// Lists of scalars in these schemas are sets: order carries nothing.
		if !sameMultiset(b, a) {
			d.add(path, b, a, true, true, masked(bs) || masked(as))
		}
		return
	}
	for i := 0; i < max(len(b), len(a)); i++ {
		p := fmt.Sprintf("%s[%d]", path, i)
		var bv, av any
		if i < len(b) {
			bv = b[i]
		}
		if i < len(a) {
			av = a[i]
		}
		d.value(p, name, bv, av, i < len(b), i < len(a), maskAt(bs, i), maskAt(as, i), false)
	}
}

func (d *differ) keyedSet(path, key string, b, a []any, bs, as any) {
	type elem struct {
		v    any
		mask any
	}
	index := func(list []any, mask any) map[string]elem {
		m := make(map[string]elem, len(list))
		for i, v := range list {
			m[v.(map[string]any)[key].(string)] = elem{v, maskAt(mask, i)}
		}
		return m
	}
	bm, am := index(b, bs), index(a, as)
	keys := make([]string, 0, len(bm)+len(am))
	for k := range bm {
		keys = append(keys, k)
	}
	for k := range am {
		if _, ok := bm[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		be, bok := bm[k]
		ae, aok := am[k]
		p := path + "[" + quote(k) + "]"
		switch {
		case !bok:
			d.add(p, nil, ae.v, false, true, masked(ae.mask))
		case !aok:
			d.add(p, be.v, nil, true, false, masked(be.mask))
		default:
			d.object(p, be.v.(map[string]any), ae.v.(map[string]any), be.mask, ae.mask, false)
		}
	}
}

func (d *differ) add(path string, b, a any, bok, aok, sensitive bool) {
	c := Change{Path: path, Before: b, After: a, Sensitive: sensitive}
	switch {
	case !bok:
		c.Action, c.Before = ActionAdd, nil
	case !aok:
		c.Action, c.After = ActionRemove, nil
	default:
		c.Action = ActionUpdate
	}
	if sensitive {
		if bok {
			c.Before = SensitiveMask
		}
		if aok {
			c.After = SensitiveMask
		}
	}
	d.changes = append(d.changes, c)
}

// maskAt descends into a sensitivity mask. A true mask covers everything
// below it.
func maskAt(mask any, key any) any {
	switch m := mask.(type) {
	case bool:
		if m {
			return true
		}
	case map[string]any:
		if k, ok := key.(string); ok {
			return m[k]
		}
	case []any:
		if i, ok := key.(int); ok && i < len(m) {
			return m[i]
		}
	}
	return nil
}

func masked(mask any) bool { b, ok := mask.(bool); return ok && b }

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func keyed(list []any, key string) bool {
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m[key].(string); !ok {
			return false
		}
	}
	return true
}

func allScalar(list []any) bool {
	for _, v := range list {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func sameMultiset(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(list []any) []string {
		out := make([]string, len(list))
		for i, v := range list {
			out[i] = fmt.Sprintf("%T:%v", v, v)
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// equalScalar compares leaves; numbers may arrive as float64 (from JSON) or
// as Go integers (from live mode), so they are compared by value.
func equalScalar(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	return reflect.DeepEqual(a, b)
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func joinKey(path, k string, isMap bool) string {
	if path == "" {
		return k
	}
	if isMap || !identRe.MatchString(k) {
		return path + "[" + quote(k) + "]"
	}
	return path + "." + k
}

func quote(s string) string { return strconv.Quote(s) }

// topAttribute is the first segment of a change path.
func topAttribute(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
