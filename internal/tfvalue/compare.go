// Package tfvalue compares attribute values as terraform-json decodes them
// (map[string]any, []any, string, float64, bool, nil) together with the
// masks an engine puts beside them: sensitivity (true on every sensitive
// leaf or subtree) and after_unknown. generate verify, migrate verify and
// audit all read plans through it, so a rule about sets, nulls or masks is
// fixed once.
package tfvalue

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

// Masks that stand in for values a Diff must not or cannot show.
const (
	SensitiveMask = "(sensitive)"
	UnknownMask   = "(known after apply)"
)

// Action says how a path changes.
type Action string

// The actions of a Diff.
const (
	Update Action = "update"
	Add    Action = "add"
	Remove Action = "remove"
)

// Change is one value pair with its masks, as a tfjson.Change holds them.
type Change struct {
	Before, After                   any
	BeforeSensitive, AfterSensitive any
	AfterUnknown                    any
}

// Diff is one path at which After differs from Before. A side the engine
// marked sensitive holds SensitiveMask and a value not yet known holds
// UnknownMask, so no secret leaves this package.
type Diff struct {
	Path                            string
	Action                          Action
	Before, After                   any
	BeforeSensitive, AfterSensitive bool
	AfterUnknown                    bool
}

// Options chooses how values compare.
type Options struct {
	// Drift compares the way a person acts on drift rather than the way a
	// plan prints a change: null, absent, "" and empty collections are
	// equal (providers store "not set" as any of them), lists of scalars are
	// sets, lists of other lengths compare element by element, numbers
	// compare by value, a sensitive subtree is one change, map and odd keys
	// print as ["key"], and the diffs come sorted by path. Without it every
	// difference the plan holds is reported at its leaf, in key order.
	Drift bool
	// SetKeys names, per block set, the attribute that identifies an
	// element (Drift only). Sets come out of the engine in an order of
	// their own; matching elements by position would report a renamed
	// element as every field changing.
	SetKeys map[string]string
	// MapAttributes are the top-level map-typed attributes (Drift only):
	// their keys print as ["key"], not as .field, so a tag called "a.b"
	// stays one path segment.
	MapAttributes map[string]bool
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// Compare returns the diffs between c.Before and c.After.
func Compare(c Change, opt Options) []Diff {
	w := walker{opt: opt}
	bm, bok := c.Before.(map[string]any)
	am, aok := c.After.(map[string]any)
	if opt.Drift && (bok || c.Before == nil) && (aok || c.After == nil) {
		w.object("", bm, am, c.AfterUnknown, c.BeforeSensitive, c.AfterSensitive, false)
	} else {
		w.value("", "", c.Before, c.After, c.AfterUnknown, true, true, c.BeforeSensitive, c.AfterSensitive, false)
	}
	if opt.Drift {
		slices.SortStableFunc(w.diffs, func(a, b Diff) int { return strings.Compare(a.Path, b.Path) })
	}
	return w.diffs
}

type walker struct {
	opt   Options
	diffs []Diff
}

func (w *walker) object(path string, before, after map[string]any, u, bs, as any, isMap bool) {
	for _, k := range unionKeys(before, after) {
		b, bok := before[k]
		a, aok := after[k]
		childMap := w.opt.Drift && path == "" && w.opt.MapAttributes[k]
		w.value(w.join(path, k, isMap), k, b, a, maskAt(u, k), bok, aok, maskAt(bs, k), maskAt(as, k), childMap)
	}
}

// value compares one value; name is the attribute name of its nearest
// enclosing attribute, used to find the key of block sets.
func (w *walker) value(path, name string, b, a, u any, bok, aok bool, bs, as any, isMap bool) {
	if masked(u) {
		w.diffs = append(w.diffs, Diff{Path: path, Action: Update, Before: hide(b, masked(bs)), After: UnknownMask,
			BeforeSensitive: masked(bs), AfterUnknown: true})
		return
	}
	if w.opt.Drift {
		if IsEmpty(b) && IsEmpty(a) {
			return
		}
		if masked(bs) || masked(as) {
			if !reflect.DeepEqual(b, a) {
				w.add(path, b, a, bok && !IsEmpty(b), aok && !IsEmpty(a), true, true)
			}
			return
		}
	}
	switch bv := b.(type) {
	case map[string]any:
		if av, ok := a.(map[string]any); ok {
			w.object(path, bv, av, u, bs, as, isMap)
			return
		}
	case []any:
		if av, ok := a.([]any); ok && (w.opt.Drift || len(bv) == len(av)) {
			w.list(path, name, bv, av, u, bs, as)
			return
		}
	}
	if !w.opt.Drift {
		if !reflect.DeepEqual(b, a) {
			w.add(path, b, a, bok, aok, masked(bs), masked(as))
		}
		return
	}
	switch {
	case IsEmpty(a):
		w.add(path, b, nil, true, false, false, false)
	case IsEmpty(b):
		w.add(path, nil, a, false, true, false, false)
	case !equalScalar(b, a):
		w.add(path, b, a, true, true, false, false)
	}
}

func (w *walker) list(path, name string, b, a []any, u, bs, as any) {
	if w.opt.Drift {
		if key, ok := w.opt.SetKeys[name]; ok && keyed(b, key) && keyed(a, key) {
			w.keyedSet(path, key, b, a, bs, as)
			return
		}
		if allScalar(b) && allScalar(a) {
			// Lists of scalars in these schemas are sets: order carries nothing.
			if !sameMultiset(b, a) {
				w.add(path, b, a, true, true, false, false)
			}
			return
		}
	}
	for i := 0; i < max(len(b), len(a)); i++ {
		var bv, av any
		if i < len(b) {
			bv = b[i]
		}
		if i < len(a) {
			av = a[i]
		}
		w.value(path+"["+strconv.Itoa(i)+"]", name, bv, av, maskAt(u, i), i < len(b), i < len(a), maskAt(bs, i), maskAt(as, i), false)
	}
}

func (w *walker) keyedSet(path, key string, b, a []any, bs, as any) {
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
	for _, k := range unionKeys(bm, am) {
		be, bok := bm[k]
		ae, aok := am[k]
		p := path + "[" + strconv.Quote(k) + "]"
		switch {
		case !bok:
			w.add(p, nil, ae.v, false, true, false, masked(ae.mask))
		case !aok:
			w.add(p, be.v, nil, true, false, masked(be.mask), false)
		default:
			w.object(p, be.v.(map[string]any), ae.v.(map[string]any), nil, be.mask, ae.mask, false)
		}
	}
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// add records a diff; a sensitive side is masked. Under Drift a side that
// is absent (bok or aok false) is nil; otherwise it shows as the plan holds
// it (null).
func (w *walker) add(path string, b, a any, bok, aok, bSens, aSens bool) {
	d := Diff{Path: path, Action: Update, Before: hide(b, bSens), After: hide(a, aSens), BeforeSensitive: bSens, AfterSensitive: aSens}
	switch {
	case !bok:
		d.Action = Add
	case !aok:
		d.Action = Remove
	}
	if w.opt.Drift {
		switch d.Action {
		case Add:
			d.Before, d.BeforeSensitive = nil, false
		case Remove:
			d.After, d.AfterSensitive = nil, false
		}
	}
	w.diffs = append(w.diffs, d)
}

func hide(v any, sensitive bool) any {
	if sensitive {
		return SensitiveMask
	}
	return v
}

func (w *walker) join(path, k string, isMap bool) string {
	switch {
	case path == "":
		return k
	case w.opt.Drift && (isMap || !identRe.MatchString(k)):
		return path + "[" + strconv.Quote(k) + "]"
	}
	return path + "." + k
}

// maskAt descends into a sensitivity or unknown mask. A true mask covers
// everything below it.
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

// IsEmpty reports whether v is "not set" as providers store it: null, "" or
// an empty collection. Drift treats them all as equal.
func IsEmpty(v any) bool {
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

// TopAttribute is the first segment of a diff path.
func TopAttribute(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// OverlayUnknown puts UnknownMask where after_unknown marks a value as not
// yet known, so a Drift comparison shows it as such rather than as removed.
func OverlayUnknown(after, unknown any) any {
	switch u := unknown.(type) {
	case bool:
		if u {
			return UnknownMask
		}
	case map[string]any:
		a, _ := after.(map[string]any)
		out := make(map[string]any, len(a)+len(u))
		for k, v := range a {
			out[k] = v
		}
		for k, uv := range u {
			out[k] = OverlayUnknown(out[k], uv)
		}
		return out
	case []any:
		a, _ := after.([]any)
		out := make([]any, max(len(a), len(u)))
		copy(out, a)
		for i, uv := range u {
			out[i] = OverlayUnknown(out[i], uv)
		}
		return out
	}
	return after
}
