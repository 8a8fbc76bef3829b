package emulator

import (
	"net/http"
	"slices"
	"sort"
)

// keyed holds an account's resources of one kind in one region, by key,
// with the keys sorted for pagination (domain names by name, VPC links by
// id).
type keyed[T any] struct {
	items map[string]*T
	keys  []string
}

func (k *keyed[T]) get(key string) *T { return k.items[key] }

func (k *keyed[T]) put(key string, x *T) {
	if k.items == nil {
		k.items = map[string]*T{}
	}
	if _, ok := k.items[key]; !ok {
		i := sort.SearchStrings(k.keys, key)
		k.keys = slices.Insert(k.keys, i, key)
	}
	k.items[key] = x
}

func (k *keyed[T]) remove(key string) {
	delete(k.items, key)
	if i := sort.SearchStrings(k.keys, key); i < len(k.keys) && k.keys[i] == key {
		k.keys = slices.Delete(k.keys, i, i+1)
	}
}

// listKeyed is the list operation of a region's account-level kind: one
// page of the items, in key order, stored in their wire form.
func listKeyed[T any](items func(st *regionStore) *keyed[T], kind string) handler {
	return func(_ *Server, c *call) (response, *apiError) {
		c.st.mu.RLock()
		defer c.st.mu.RUnlock()
		k := items(c.st)
		lo, hi, next, err := page(k.keys, c.query, kind)
		if err != nil {
			return response{}, err
		}
		out := listJSON[*T]{Items: make([]*T, 0, hi-lo), NextToken: next}
		for _, key := range k.keys[lo:hi] {
			out.Items = append(out.Items, k.items[key])
		}
		return okJSON(http.StatusOK, out)
	}
}

// getKeyed is the get operation of a region's account-level kind, whose
// item find looks up by the path's label.
func getKeyed[T any](find func(st *regionStore, key string) (*T, *apiError)) handler {
	return func(_ *Server, c *call) (response, *apiError) {
		c.st.mu.RLock()
		defer c.st.mu.RUnlock()
		x, err := find(c.st, c.labels[0])
		if err != nil {
			return response{}, err
		}
		return okJSON(http.StatusOK, x)
	}
}
