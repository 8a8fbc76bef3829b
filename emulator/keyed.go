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

// list serves one page of the items, in key order, in their wire form.
func listKeyed[T, J any](c *call, k *keyed[T], kind string, wire func(*T) J) (response, *apiError) {
	lo, hi, next, err := page(k.keys, c.query, kind)
	if err != nil {
		return response{}, err
	}
	out := listJSON[J]{Items: make([]J, 0, hi-lo), NextToken: next}
	for _, key := range k.keys[lo:hi] {
		out.Items = append(out.Items, wire(k.items[key]))
	}
	return okJSON(http.StatusOK, out)
}
