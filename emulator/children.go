package emulator

import (
	"net/http"
	"slices"
)

// An API's routes, integrations and authorizers share their operations:
// a paged list in creation order, and Get/Create/Update/Delete by id, each
// child stored in its wire form. child describes one kind of them.
type child[T, In any] struct {
	kind  string // as in error messages: "Route"
	items func(a *api) *[]T
	id    func(x *T) *string
	// managed reports a child quick create made, which only API Gateway
	// may change.
	managed func(x *T) bool
	// apply validates in against a and applies it to x, the child at
	// index self (-1 on create).
	apply func(a *api, x *T, self int, in *In, create bool) *apiError
	// inUse refuses to delete a child something else refers to.
	inUse func(a *api, x *T) *apiError
}

var (
	routes = child[route, RouteInput]{
		kind:    "Route",
		items:   func(a *api) *[]route { return &a.routes },
		id:      func(x *route) *string { return &x.RouteID },
		managed: func(x *route) bool { return x.APIGatewayManaged },
		apply:   applyRoute,
		inUse:   func(*api, *route) *apiError { return nil },
	}
	integrations = child[integration, IntegrationInput]{
		kind:    "Integration",
		items:   func(a *api) *[]integration { return &a.integrations },
		id:      func(x *integration) *string { return &x.IntegrationID },
		managed: func(x *integration) bool { return x.APIGatewayManaged },
		apply: func(a *api, x *integration, _ int, in *IntegrationInput, create bool) *apiError {
			return applyIntegration(a, x, in, create)
		},
		inUse: integrationInUse,
	}
	authorizers = child[authorizer, AuthorizerInput]{
		kind:    "Authorizer",
		items:   func(a *api) *[]authorizer { return &a.authorizers },
		id:      func(x *authorizer) *string { return &x.AuthorizerID },
		managed: func(*authorizer) bool { return false },
		apply: func(a *api, x *authorizer, _ int, in *AuthorizerInput, create bool) *apiError {
			return applyAuthorizer(a, x, in, create)
		},
		inUse: authorizerInUse,
	}
)

// index finds the child with id in a.
func (k child[T, In]) index(a *api, id string) (int, *apiError) {
	items := *k.items(a)
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

func (k child[T, In]) list(_ *Server, c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	return listInOrder(c, *k.items(a), k.kind, func(x T) T { return x })
}

func (k child[T, In]) get(_ *Server, c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	i, err := k.index(a, c.labels[1])
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, (*k.items(a))[i])
}

func (k child[T, In]) create(s *Server, c *call) (response, *apiError) {
	var in In
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	var x T
	*k.id(&x) = s.uniqueChildID(a)
	if err := k.apply(a, &x, -1, &in, true); err != nil {
		return response{}, err
	}
	*k.items(a) = append(*k.items(a), x)
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
	a, i, err := k.modifiable(c)
	if err != nil {
		return response{}, err
	}
	x := (*k.items(a))[i]
	if err := k.apply(a, &x, i, &in, false); err != nil {
		return response{}, err
	}
	(*k.items(a))[i] = x
	return okJSON(http.StatusOK, x)
}

func (k child[T, In]) delete(_ *Server, c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, i, err := k.modifiable(c)
	if err != nil {
		return response{}, err
	}
	if err := k.inUse(a, &(*k.items(a))[i]); err != nil {
		return response{}, err
	}
	*k.items(a) = slices.Delete(*k.items(a), i, i+1)
	return noContent, nil
}

// modifiable finds the child the path names, under the store's write
// lock, once it is known to be one API Gateway lets users change.
func (k child[T, In]) modifiable(c *call) (*api, int, *apiError) {
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return nil, -1, err
	}
	i, err := k.index(a, c.labels[1])
	if err != nil {
		return nil, -1, err
	}
	if x := &(*k.items(a))[i]; k.managed(x) {
		return nil, -1, badRequest("%s %s is managed by API Gateway and can't be modified", k.kind, *k.id(x))
	}
	return a, i, nil
}

// seed adds a seed file's children of this kind with the checks of their
// Create operation; an empty id is generated.
func (k child[T, In]) seed(s *Server, a *api, ins []In, id func(in *In) string) *apiError {
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
		if err := k.apply(a, &x, -1, &ins[j], true); err != nil {
			return badRequest("%s %s: %s", k.kind, given, err.message)
		}
		*k.items(a) = append(*k.items(a), x)
	}
	return nil
}

// childIDTaken reports an id one of a's children already has.
func (a *api) childIDTaken(id string) bool {
	_, e1 := routes.index(a, id)
	_, e2 := integrations.index(a, id)
	_, e3 := authorizers.index(a, id)
	return e1 == nil || e2 == nil || e3 == nil
}

// uniqueChildID is a new id for a route, integration or authorizer of a:
// API Gateway's are seven characters, unique within the API.
func (s *Server) uniqueChildID(a *api) string {
	for {
		if id := s.newID(7); !a.childIDTaken(id) {
			return id
		}
	}
}
