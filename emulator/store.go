package emulator

import (
	"encoding/base64"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// Page sizes. AWS documents neither a default nor a maximum maxResults for
// the V2 list operations (the model says only "the maximum number of
// elements to be returned"), so these are API Gateway V1's documented
// GetRestApis limits: 25 by default, at most 500. Larger maxResults values
// are a BadRequestException.
const (
	DefaultPageSize = 25
	MaxPageSize     = 500
)

// Tag and stage-variable maps are never changed in place once stored; every
// change builds a new map (or works on a clone), so stores may share them
// with the seed and with each other.

// regionStore holds one account's resources in one region. APIs are indexed
// by id and kept in id order for pagination.
type regionStore struct {
	account, region string
	limiter         *rate.Limiter // nil: unlimited

	mu   sync.RWMutex
	apis map[string]*api
	ids  []string // sorted
	// The account-level resources of the region.
	domains  keyed[domainName]
	vpcLinks keyed[vpcLink]
}

func (st *regionStore) api(id string) (*api, *apiError) {
	if a, ok := st.apis[id]; ok {
		return a, nil
	}
	return nil, notFound("Api", "Invalid API identifier specified %s:%s", st.account, id)
}

func (st *regionStore) stage(a *api, name string) (*stage, *apiError) {
	if s := a.stage(name); s != nil {
		return s, nil
	}
	return nil, notFound("Stage", "Invalid stage identifier specified")
}

func (st *regionStore) insert(a *api) {
	st.apis[a.id] = a
	i := sort.SearchStrings(st.ids, a.id)
	st.ids = slices.Insert(st.ids, i, a.id)
}

func (st *regionStore) remove(id string) {
	delete(st.apis, id)
	if i := sort.SearchStrings(st.ids, id); i < len(st.ids) && st.ids[i] == id {
		st.ids = slices.Delete(st.ids, i, i+1)
	}
}

// page returns the bounds of the page of keys (sorted) that starts after the
// key in token. The token names the last key served, not a position, so
// items created or deleted between pages neither repeat nor hide survivors.
func page(keys []string, q url.Values, kind string) (lo, hi int, next string, err *apiError) {
	size := DefaultPageSize
	if v := q.Get("maxResults"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > MaxPageSize {
			return 0, 0, "", badRequest("Invalid maxResults %q: must be an integer between 1 and %d.", v, MaxPageSize)
		}
		size = n
	}
	if tok := q.Get("nextToken"); tok != "" {
		last, ok := decodeToken(tok, kind)
		if !ok {
			return 0, 0, "", badRequest("Invalid nextToken specified")
		}
		lo = sort.Search(len(keys), func(i int) bool { return keys[i] > last })
	}
	hi = min(lo+size, len(keys))
	if hi < len(keys) {
		next = encodeToken(kind, keys[hi-1])
	}
	return lo, hi, next, nil
}

func encodeToken(kind, last string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1\x00" + kind + "\x00" + last))
}

func decodeToken(tok, kind string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	parts := strings.SplitN(string(b), "\x00", 3)
	if len(parts) != 3 || parts[0] != "v1" || parts[1] != kind {
		return "", false
	}
	return parts[2], true
}

type listJSON[T any] struct {
	Items     []T    `json:"items"`
	NextToken string `json:"nextToken,omitempty"`
}
