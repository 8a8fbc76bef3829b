package generate

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/apigw2tf/apigw2tf/inventory"
)

const (
	typeAPI   = inventory.TypeAPI
	typeStage = inventory.TypeStage

	// maxNameLen keeps addresses readable; collisions it causes are resolved
	// like any other.
	maxNameLen = 64
)

// key identifies a live resource the way `import` does.
type key struct{ typ, id string }

// ownType reports the resource types generate writes.
func ownType(t string) bool {
	switch t {
	case typeAPI, typeStage, typeAuthorizer, typeIntegration, typeRoute:
		return true
	}
	return isResponseType(t) || slices.Contains(accountTypes, t)
}

func apiKey(a *inventory.API) key { return key{typeAPI, a.ImportID()} }

func stageKey(apiID, stage string) key {
	return key{typeStage, inventory.StageImportID(apiID, stage)}
}

// snake turns a display name into a lower-case Terraform identifier
// fragment: ASCII letters and digits kept, camelCase split, every other run
// of characters folded into one underscore. It returns "" when nothing is
// left.
func snake(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := true // suppresses leading and doubled underscores
	prevLower := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			sep, prevLower = false, true
		case r >= 'A' && r <= 'Z':
			if prevLower && !sep {
				b.WriteByte('_')
			}
			b.WriteRune(r + ('a' - 'A'))
			sep, prevLower = false, false
		default:
			if !sep {
				b.WriteByte('_')
			}
			sep, prevLower = true, false
		}
	}
	out := b.String()
	if len(out) > maxNameLen {
		out = out[:maxNameLen]
	}
	return strings.Trim(out, "_")
}

// identifier makes s a valid resource name: Terraform names must not start
// with a digit.
func identifier(s, fallback string) string {
	switch {
	case s == "":
		return fallback
	case s[0] >= '0' && s[0] <= '9':
		return fallback + "_" + s
	}
	return s
}

// shortHash is a stable 8-hex-digit suffix for collisions that an API id
// alone cannot separate (two stage names of one API folding to one name).
func shortHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// APIResourceName is the resource name generate gives an API called name
// when nothing else claims it.
func APIResourceName(name string) string { return identifier(snake(name), "api") }

// StageResourceName is the resource name generate gives stage of the API
// whose resource name is apiLocal.
func StageResourceName(apiLocal, stage string) string {
	return stageBase(apiLocal) + "_" + identifier(snake(stage), "stage")
}

// Disambiguate is base made unique for the resource with importID, the way
// generate separates names that fold together.
func Disambiguate(base, importID string) string { return base + "_" + shortHash(importID) }

// namer hands out resource names. Names already bound to an import id (in
// state, in configuration, or in a previous run's output) are reused as they
// are; new names come from the display name, and every member of a group of
// new resources whose names fold together gets a suffix derived from its own
// id. A name therefore depends only on the resource and on the resources it
// collides with, never on discovery order or on unrelated resources.
type namer struct {
	taken map[string]key // address -> the import id that owns it (zero key: owned by config without import)
	bound map[key]string // import id -> address
}

func newNamer() *namer {
	return &namer{taken: map[string]key{}, bound: map[key]string{}}
}

// reserve records that address belongs to k (k may be zero when the address
// is a resource block with no known import id).
func (n *namer) reserve(address string, k key) {
	if old, ok := n.taken[address]; !ok || old == (key{}) {
		n.taken[address] = k
	}
	if k != (key{}) {
		if _, ok := n.bound[k]; !ok {
			n.bound[k] = address
		}
	}
}

type candidate struct {
	k      key
	base   string // preferred resource name
	suffix string // collision suffix, tried first
}

// assign names every candidate without a bound address and returns the
// local names (without the type) for all of them.
func (n *namer) assign(typ string, cands []candidate) map[key]string {
	out := make(map[key]string, len(cands))
	count := map[string]int{}
	for _, c := range cands {
		if a, ok := n.bound[c.k]; ok {
			out[c.k] = localName(a)
			continue
		}
		count[c.base]++
	}
	for _, c := range cands {
		if _, ok := out[c.k]; ok {
			continue
		}
		name := c.base
		if count[name] > 1 || n.isTaken(typ+"."+name, c.k) {
			name = c.base + "_" + c.suffix
			if n.isTaken(typ+"."+name, c.k) {
				name = name + "_" + shortHash(c.k.id)
			}
		}
		address := typ + "." + name
		n.reserve(address, c.k)
		out[c.k] = name
	}
	return out
}

func (n *namer) isTaken(address string, k key) bool {
	owner, ok := n.taken[address]
	return ok && owner != k
}

// localName is the resource name part of a root-module address such as
// aws_apigatewayv2_api.orders or aws_apigatewayv2_api.orders["x"].
func localName(address string) string {
	_, rest, _ := strings.Cut(address, ".")
	return rest
}

// assignNames binds every importable resource to an address: existing bindings
// first (state, then the user's import blocks, then our earlier output),
// then new names for the rest.
func (g *gen) assignNames() {
	n := newNamer()
	for _, k := range sortedKeyKeys(g.st.byKey) {
		n.reserve(g.st.byKey[k], k)
	}
	for a := range g.st.addresses {
		n.reserve(a, key{})
	}
	for _, k := range sortedKeyKeys(g.scan.imports) {
		n.reserve(g.scan.imports[k].address, k)
	}
	for _, a := range slices.Sorted(maps.Keys(g.scan.resources)) {
		n.reserve(a, key{})
	}
	for _, a := range slices.Sorted(maps.Keys(g.scan.ownIDs)) {
		n.reserve(a, g.scan.ownIDs[a])
	}
	// Both ends of a move stay taken: a new resource at either would
	// collide with the move.
	for _, from := range slices.Sorted(maps.Keys(g.scan.moved)) {
		n.reserve(from, key{})
		n.reserve(g.scan.moved[from], key{})
	}
	var apis []candidate
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		suffix := snake(a.ID)
		if suffix == "" {
			suffix = shortHash(a.ID)
		}
		base, ok := g.opts.Names[a.ID]
		if !ok {
			base = APIResourceName(a.Name)
		}
		apis = append(apis, candidate{k: apiKey(a), base: base, suffix: suffix})
	}
	g.names = n.assign(typeAPI, apis)
	var stages []candidate
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		prefix := g.names[apiKey(a)]
		for _, s := range a.Stages {
			k := stageKey(a.ID, s.Name)
			stages = append(stages, candidate{k: k, base: StageResourceName(prefix, s.Name), suffix: shortHash(k.id)})
		}
	}
	for k, v := range n.assign(typeStage, stages) {
		g.names[k] = v
	}
	g.assignChildNames(n)
	g.assignAccountNames(n)
}

func (g *gen) unusedNames() {
	ids := make(map[string]bool, len(g.inv.APIs))
	for i := range g.inv.APIs {
		ids[g.inv.APIs[i].ID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(g.opts.Names)) {
		if !ids[id] {
			g.res.UnusedNames = append(g.res.UnusedNames, id)
		}
	}
}

// stageBase is the API part of a stage's name: the API's own name when it
// is a plain identifier, else a snake_case rendering of it.
func stageBase(apiLocal string) string {
	if i := strings.LastIndex(apiLocal, typeAPI+"."); i >= 0 {
		apiLocal = apiLocal[i+len(typeAPI)+1:]
	}
	if hclsyntax.ValidIdentifier(apiLocal) {
		return apiLocal
	}
	return identifier(snake(apiLocal), "api")
}
