package emulator

import (
	"net/http"
	"slices"
)

// An API's children (routes, integrations, authorizers, models) and their
// children (a route's responses, an integration's) share their operations:
// a paged list in creation order, and Get/Create/Update/Delete by id, each
// child stored in its wire form. child describes one kind of them.
type child[T, In any] struct {
	kind string // as in error messages: "Route"
	// items is an API's collection of this kind; nested, for a kind that
	// belongs to a route or an integration, finds the parent the path's
	// second label names and returns its collection instead.
	items  func(a *api) *[]T
	nested func(a *api, parent string) (*[]T, *apiError)
	id     func(x *T) *string
	// managed reports a child quick create made, which only API Gateway
	// may change.
	managed func(x *T) bool
	// apply validates in against a and the child's siblings and applies it
	// to x, the sibling at index self (-1 on create).
	apply func(a *api, siblings []T, x *T, self int, in *In, create bool) *apiError
	// inUse refuses to delete a child something else refers to.
	inUse func(a *api, x *T) *apiError
}

var (
	routes = child[route, RouteInput]{
		kind:    "Route",
		items:   func(a *api) *[]route { return &a.routes },
		id:      func(x *route) *string { return &x.RouteID },
		managed: func(x *route) bool { return x.APIGatewayManaged },
		apply: func(a *api, _ []route, x *route, self int, in *RouteInput, create bool) *apiError {
			return applyRoute(a, x, self, in, create)
		},
		inUse: func(*api, *route) *apiError { return nil },
	}
	integrations = child[integration, IntegrationInput]{
		kind:    "Integration",
		items:   func(a *api) *[]integration { return &a.integrations },
		id:      func(x *integration) *string { return &x.IntegrationID },
		managed: func(x *integration) bool { return x.APIGatewayManaged },
		apply: func(a *api, _ []integration, x *integration, _ int, in *IntegrationInput, create bool) *apiError {
			return applyIntegration(a, x, in, create)
		},
		inUse: integrationInUse,
	}
	authorizers = child[authorizer, AuthorizerInput]{
		kind:    "Authorizer",
		items:   func(a *api) *[]authorizer { return &a.authorizers },
		id:      func(x *authorizer) *string { return &x.AuthorizerID },
		managed: func(*authorizer) bool { return false },
		apply: func(a *api, _ []authorizer, x *authorizer, _ int, in *AuthorizerInput, create bool) *apiError {
			return applyAuthorizer(a, x, in, create)
		},
		inUse: authorizerInUse,
	}
)

// index finds the API's child with id in a.
func (k child[T, In]) index(a *api, id string) (int, *apiError) {
	return k.indexIn(*k.items(a), id)
}

func (k child[T, In]) indexIn(items []T, id string) (int, *apiError) {
	for i := range items {
		if *k.id(&items[i]) == id {
			return i, nil
		}
	}
	return -1, notFound(k.kind, "Invalid %s identifier specified %s", k.kind, id)
}

// handlers are the five operations of the kind, in the order list, create,
// get, update, delete.
func (k child[T, In]) handlers() [5]handler {
	return [5]handler{k.list, k.create, k.get, k.update, k.delete}
}

// collection finds the API and the collection a path's labels name:
// [api] or [api, parent], followed by the child's id for an item.
func (k child[T, In]) collection(c *call) (*api, *[]T, *apiError) {
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return nil, nil, err
	}
	if k.nested == nil {
		return a, k.items(a), nil
	}
	items, err := k.nested(a, c.labels[1])
	return a, items, err
}

func (k child[T, In]) list(_ *Server, c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	_, items, err := k.collection(c)
	if err != nil {
		return response{}, err
	}
	return listInOrder(c, *items, k.kind, func(x T) T { return x })
}

func (k child[T, In]) get(_ *Server, c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	_, items, err := k.collection(c)
	if err != nil {
		return response{}, err
	}
	i, err := k.indexIn(*items, c.labels[len(c.labels)-1])
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, (*items)[i])
}

func (k child[T, In]) create(s *Server, c *call) (response, *apiError) {
	var in In
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, items, err := k.collection(c)
	if err != nil {
		return response{}, err
	}
	var x T
	*k.id(&x) = s.uniqueChildID(a)
	if err := k.apply(a, *items, &x, -1, &in, true); err != nil {
		return response{}, err
	}
	*items = append(*items, x)
	return okJSON(http.StatusCreated, x)
}

// update applies the request to a copy, so a refused one changes nothing.
func (k child[T, In]) update(_ *Server, c *call) (response, *apiError) {
	var in In
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, items, i, err := k.modifiable(c)
	if err != nil {
		return response{}, err
	}
	x := (*items)[i]
	if err := k.apply(a, *items, &x, i, &in, false); err != nil {
		return response{}, err
	}
	(*items)[i] = x
	return okJSON(http.StatusOK, x)
}

func (k child[T, In]) delete(_ *Server, c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, items, i, err := k.modifiable(c)
	if err != nil {
		return response{}, err
	}
	if err := k.inUse(a, &(*items)[i]); err != nil {
		return response{}, err
	}
	*items = slices.Delete(*items, i, i+1)
	return noContent, nil
}

// modifiable finds the child the path names, under the store's write
// lock, once it is known to be one API Gateway lets users change.
func (k child[T, In]) modifiable(c *call) (*api, *[]T, int, *apiError) {
	a, items, err := k.collection(c)
	if err != nil {
		return nil, nil, -1, err
	}
	i, err := k.indexIn(*items, c.labels[len(c.labels)-1])
	if err != nil {
		return nil, nil, -1, err
	}
	if x := &(*items)[i]; k.managed(x) {
		return nil, nil, -1, badRequest("%s %s is managed by API Gateway and can't be modified", k.kind, *k.id(x))
	}
	return a, items, i, nil
}

// seed adds a seed file's children of this kind to items, a's or a
// parent's, with the checks of their Create operation; an empty id is
// generated.
func (k child[T, In]) seed(s *Server, a *api, items *[]T, ins []In, id func(in *In) string) *apiError {
	for j := range ins {
		var x T
		given := id(&ins[j])
		switch {
		case given == "":
			given = s.uniqueChildID(a)
		case !idRE.MatchString(given):
			return badRequest("%s id %q must be lowercase letters and digits", k.kind, given)
		case a.childIDTaken(given):
			return badRequest("%s id %q is used twice", k.kind, given)
		}
		*k.id(&x) = given
		if err := k.apply(a, *items, &x, -1, &ins[j], true); err != nil {
			return badRequest("%s %s: %s", k.kind, given, err.message)
		}
		*items = append(*items, x)
	}
	return nil
}

// childIDTaken reports an id one of a's children, or their responses,
// already has.
func (a *api) childIDTaken(id string) bool {
	_, e1 := routes.index(a, id)
	_, e2 := integrations.index(a, id)
	_, e3 := authorizers.index(a, id)
	_, e4 := models.index(a, id)
	return e1 == nil || e2 == nil || e3 == nil || e4 == nil || a.responseIDTaken(id)
}

// uniqueChildID is a new id for a child of a, or a child's response:
// API Gateway's are seven characters, unique within the API.
func (s *Server) uniqueChildID(a *api) string {
	for {
		if id := s.newID(7); !a.childIDTaken(id) {
			return id
		}
	}
}
