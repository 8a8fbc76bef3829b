package generate

import (
	"context"
	"fmt"

	"github.com/apigw2tf/apigw2tf/inventory"

	tfjson "github.com/hashicorp/terraform-json"
)

// StateReader reads the directory's state (what engine.OpenState returns
// satisfies it).
type StateReader interface {
	State(ctx context.Context) (*tfjson.State, error)
}

// stateIndex is what the state manages: import id -> root-module address.
// Addresses are those the configuration gives the resources, after the
// moved blocks the state has not seen yet.
type stateIndex struct {
	byKey     map[key]string
	addresses map[string]bool
}

func (st *stateIndex) applyMoves(s *dirScan) {
	if len(s.moved) == 0 {
		return
	}
	for k, a := range st.byKey {
		st.byKey[k] = s.resolve(a)
	}
	moved := make(map[string]bool, len(st.addresses))
	for a := range st.addresses {
		moved[s.resolve(a)] = true
	}
	st.addresses = moved
}

func readState(ctx context.Context, r StateReader) (*stateIndex, error) {
	idx := &stateIndex{byKey: map[key]string{}, addresses: map[string]bool{}}
	if r == nil {
		return idx, nil
	}
	st, err := r.State(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	if st == nil || st.Values == nil || st.Values.RootModule == nil {
		return idx, nil
	}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		for _, r := range m.Resources {
			if r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			idx.addresses[r.Address] = true
			if !ownType(r.Type) {
				continue
			}
			id := inventory.StateImportID(r.Type, r.AttributeValues)
			if id != "" {
				idx.byKey[key{r.Type, id}] = r.Address
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(st.Values.RootModule)
	return idx, nil
}
