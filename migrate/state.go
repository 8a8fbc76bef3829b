package migrate

import (
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/inventory"
)

const (
	typeAPI   = inventory.TypeAPI
	typeStage = inventory.TypeStage
)

// resource is one API, stage or API child a state manages.
type resource struct {
	Address  string // full address, module path included
	Type     string
	ImportID string
	APIID    string
	Values   map[string]any
}

// local is the address inside its module: type.name.
func (r *resource) local() string {
	_, l := splitModule(r.Address)
	return l
}

// name is the resource name, the second label of its block.
func (r *resource) name() string {
	_, n, _ := strings.Cut(r.local(), ".")
	return n
}

// splitModule splits module.a.aws_x.y into module.a and aws_x.y.
func splitModule(address string) (module, local string) {
	rest := address
	for strings.HasPrefix(rest, "module.") {
		i := strings.IndexByte(rest[len("module."):], '.')
		if i < 0 {
			return "", address
		}
		rest = rest[len("module.")+i+1:]
	}
	return strings.TrimSuffix(address[:len(address)-len(rest)], "."), rest
}

// stateIndex holds the APIs, stages and API children of one state, in
// address order.
type stateIndex struct {
	resources []*resource
	byAddr    map[string]*resource
	// other is every other managed address, which a new name must avoid.
	other map[string]bool
}

func newIndex() *stateIndex {
	return &stateIndex{byAddr: map[string]*resource{}, other: map[string]bool{}}
}

func indexState(st *tfjson.State) *stateIndex {
	idx := newIndex()
	if st == nil || st.Values == nil || st.Values.RootModule == nil {
		return idx
	}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		for _, r := range m.Resources {
			if r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			if res := newResource(r.Address, r.Type, r.AttributeValues); res != nil {
				idx.add(res)
			} else {
				idx.other[r.Address] = true
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(st.Values.RootModule)
	return idx
}

// newResource reads an API, stage or API child from its attribute values;
// nil for other types and for values without an id.
func newResource(address, typ string, v map[string]any) *resource {
	r := &resource{Address: address, Type: typ, Values: v}
	switch {
	case typ == typeAPI:
		r.APIID = str(v["id"])
	case typ == typeStage || isChild(typ):
		r.APIID = str(v["api_id"])
	default:
		return nil
	}
	r.ImportID = inventory.StateImportID(typ, v)
	if r.ImportID == "" {
		return nil
	}
	return r
}

func (idx *stateIndex) add(r *resource) {
	idx.byAddr[r.Address] = r
	idx.resources = append(idx.resources, r)
	slices.SortFunc(idx.resources, func(a, b *resource) int { return strings.Compare(a.Address, b.Address) })
}

func (idx *stateIndex) remove(address string) {
	delete(idx.byAddr, address)
	idx.resources = slices.DeleteFunc(idx.resources, func(r *resource) bool { return r.Address == address })
}

// byImportID finds the resource of typ with import id id.
func (idx *stateIndex) byImportID(typ, id string) *resource {
	for _, r := range idx.resources {
		if r.Type == typ && r.ImportID == id {
			return r
		}
	}
	return nil
}

func (idx *stateIndex) taken(address string) bool {
	return idx.byAddr[address] != nil || idx.other[address]
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
