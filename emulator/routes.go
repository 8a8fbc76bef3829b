package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// Authorization types of a route.
const (
	authNone   = "NONE"
	authIAM    = "AWS_IAM"
	authCustom = "CUSTOM"
	authJWT    = "JWT"
)

// ParameterConstraints is a WebSocket route's request parameter, as on the
// wire and in seeds.
type ParameterConstraints struct {
	Required bool `json:"required" yaml:"required"`
}

// route is the stored and the wire form of a route: GetRoute returns what
// is stored, with unset members omitted.
type route struct {
	APIGatewayManaged                bool                            `json:"apiGatewayManaged,omitempty"`
	APIKeyRequired                   bool                            `json:"apiKeyRequired"`
	AuthorizationScopes              []string                        `json:"authorizationScopes,omitempty"`
	AuthorizationType                string                          `json:"authorizationType"`
	AuthorizerID                     string                          `json:"authorizerId,omitempty"`
	ModelSelectionExpression         string                          `json:"modelSelectionExpression,omitempty"`
	OperationName                    string                          `json:"operationName,omitempty"`
	RequestModels                    map[string]string               `json:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraints `json:"requestParameters,omitempty"`
	RouteID                          string                          `json:"routeId"`
	RouteKey                         string                          `json:"routeKey"`
	RouteResponseSelectionExpression string                          `json:"routeResponseSelectionExpression,omitempty"`
	Target                           string                          `json:"target,omitempty"`
}

func (r route) wire() route { return r }

// RouteInput is the body of CreateRoute and UpdateRoute, and a route in a
// seed file (with ID). Pointers and nil maps tell "absent" from "zero".
type RouteInput struct {
	ID                               string                          `json:"-" yaml:"id,omitempty"`
	APIKeyRequired                   *bool                           `json:"apiKeyRequired" yaml:"apiKeyRequired,omitempty"`
	AuthorizationScopes              []string                        `json:"authorizationScopes" yaml:"authorizationScopes,omitempty"`
	AuthorizationType                *string                         `json:"authorizationType" yaml:"authorizationType,omitempty"`
	AuthorizerID                     *string                         `json:"authorizerId" yaml:"authorizerId,omitempty"`
	ModelSelectionExpression         *string                         `json:"modelSelectionExpression" yaml:"modelSelectionExpression,omitempty"`
	OperationName                    *string                         `json:"operationName" yaml:"operationName,omitempty"`
	RequestModels                    map[string]string               `json:"requestModels" yaml:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraints `json:"requestParameters" yaml:"requestParameters,omitempty"`
	RouteKey                         *string                         `json:"routeKey" yaml:"routeKey"`
	RouteResponseSelectionExpression *string                         `json:"routeResponseSelectionExpression" yaml:"routeResponseSelectionExpression,omitempty"`
	Target                           *string                         `json:"target" yaml:"target,omitempty"`
}

// UnmarshalYAML takes a bare route key as well as a mapping, so seed files
// written before routes had members still load.
func (r *RouteInput) UnmarshalYAML(unmarshal func(any) error) error {
	var key string
	if err := unmarshal(&key); err == nil {
		*r = RouteInput{RouteKey: &key}
		return nil
	}
	type plain RouteInput
	return unmarshal((*plain)(r))
}

// MarshalYAML writes a route with nothing but a key as the bare key.
func (r RouteInput) MarshalYAML() (any, error) {
	if r.RouteKey != nil && r.bare() {
		return *r.RouteKey, nil
	}
	type plain RouteInput
	return plain(r), nil
}

// bare reports a route that sets nothing but its key.
func (r RouteInput) bare() bool {
	return r.ID == "" && r.APIKeyRequired == nil && r.AuthorizationScopes == nil && r.AuthorizationType == nil &&
		r.AuthorizerID == nil && r.ModelSelectionExpression == nil && r.OperationName == nil && r.RequestModels == nil &&
		r.RequestParameters == nil && r.RouteResponseSelectionExpression == nil && r.Target == nil
}

// RouteKeySeed is a seed route with only a key.
func RouteKeySeed(key string) RouteInput { return RouteInput{RouteKey: &key} }

func (a *api) route(id string) (int, *apiError) {
	if i := slices.IndexFunc(a.routes, func(r route) bool { return r.RouteID == id }); i >= 0 {
		return i, nil
	}
	return -1, notFound("Route", "Invalid Route identifier specified %s", id)
}

// applyRoute validates in against api a and applies it to r, the route at
// index self (-1 on create).
func applyRoute(a *api, r *route, self int, in *RouteInput, create bool) *apiError {
	ws := a.protocol == protoWebSocket
	if create && in.RouteKey == nil {
		return badRequest("Missing required member routeKey")
	}
	if in.RouteKey != nil {
		if err := checkRouteKey(a.protocol, *in.RouteKey); err != nil {
			return err
		}
		for i, o := range a.routes {
			if i != self && o.RouteKey == *in.RouteKey {
				return conflict("Route with key %s already exists for this API", *in.RouteKey)
			}
		}
	}
	if in.OperationName != nil {
		if err := checkLen("operationName", *in.OperationName, 1, 64); err != nil {
			return err
		}
	}
	if !ws && (in.RouteResponseSelectionExpression != nil || in.ModelSelectionExpression != nil || in.RequestModels != nil || in.RequestParameters != nil) {
		return badRequest("routeResponseSelectionExpression, modelSelectionExpression, requestModels and requestParameters are supported only for WebSocket APIs")
	}
	if in.Target != nil && *in.Target != "" {
		id, ok := strings.CutPrefix(*in.Target, "integrations/")
		if !ok {
			return badRequest("Invalid target %q: use integrations/{integration-id}", *in.Target)
		}
		if _, err := a.integration(id); err != nil {
			return badRequest("Invalid target %q: integration %s does not exist in this API", *in.Target, id)
		}
	}
	next := *r
	setStr(&next.RouteKey, in.RouteKey)
	setBool(&next.APIKeyRequired, in.APIKeyRequired)
	setStr(&next.AuthorizationType, in.AuthorizationType)
	setStr(&next.AuthorizerID, in.AuthorizerID)
	setStr(&next.ModelSelectionExpression, in.ModelSelectionExpression)
	setStr(&next.OperationName, in.OperationName)
	setStr(&next.RouteResponseSelectionExpression, in.RouteResponseSelectionExpression)
	setStr(&next.Target, in.Target)
	if in.AuthorizationScopes != nil {
		next.AuthorizationScopes = nonEmptySlice(slices.Clone(in.AuthorizationScopes))
	}
	if in.RequestModels != nil {
		next.RequestModels = nonEmptyMap(in.RequestModels)
	}
	if in.RequestParameters != nil {
		next.RequestParameters = nonEmptyMap(in.RequestParameters)
	}
	if next.AuthorizationType == "" {
		next.AuthorizationType = authNone
	}
	switch next.AuthorizationType {
	case authNone, authIAM:
		// The authorizer goes with the type that needed it.
		next.AuthorizerID = ""
		next.AuthorizationScopes = nil
	case authCustom, authJWT:
		if next.AuthorizationType == authJWT && ws {
			return badRequest("JWT authorization is supported only for HTTP APIs")
		}
		if next.AuthorizerID == "" {
			return badRequest("authorizerId is required for authorizationType %s", next.AuthorizationType)
		}
		au, err := a.authorizer(next.AuthorizerID)
		if err != nil {
			return badRequest("Invalid authorizer identifier specified %s", next.AuthorizerID)
		}
		want := map[string]string{authCustom: authorizerRequest, authJWT: authorizerJWT}[next.AuthorizationType]
		if au.AuthorizerType != want {
			return badRequest("authorizationType %s needs a %s authorizer; %s is %s", next.AuthorizationType, want, au.AuthorizerID, au.AuthorizerType)
		}
	default:
		return badRequest("Invalid authorizationType %q: must be NONE, AWS_IAM, CUSTOM or JWT.", next.AuthorizationType)
	}
	if next.AuthorizationType != authJWT && !ws {
		// Scopes mean something only to a JWT authorizer.
		next.AuthorizationScopes = nil
	}
	*r = next
	return nil
}

func nonEmptySlice[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonEmptyMap[K comparable, V any](m map[K]V) map[K]V {
	if len(m) == 0 {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) getRoutes(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	return listInOrder(c, a.routes, "routes", route.wire)
}

func (s *Server) getRoute(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	i, err := a.route(c.labels[1])
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, a.routes[i])
}

func (s *Server) createRoute(c *call) (response, *apiError) {
	var in RouteInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	r := route{RouteID: s.uniqueChildID(a)}
	if err := applyRoute(a, &r, -1, &in, true); err != nil {
		return response{}, err
	}
	a.routes = append(a.routes, r)
	return okJSON(http.StatusCreated, r)
}

func (s *Server) updateRoute(c *call) (response, *apiError) {
	var in RouteInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	i, err := a.route(c.labels[1])
	if err != nil {
		return response{}, err
	}
	if a.routes[i].APIGatewayManaged {
		return response{}, badRequest("Route %s is managed by API Gateway and can't be modified", a.routes[i].RouteID)
	}
	r := a.routes[i]
	if err := applyRoute(a, &r, i, &in, false); err != nil {
		return response{}, err
	}
	a.routes[i] = r
	return okJSON(http.StatusOK, r)
}

func (s *Server) deleteRoute(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	i, err := a.route(c.labels[1])
	if err != nil {
		return response{}, err
	}
	if a.routes[i].APIGatewayManaged {
		return response{}, badRequest("Route %s is managed by API Gateway and can't be deleted", a.routes[i].RouteID)
	}
	a.routes = slices.Delete(a.routes, i, i+1)
	return noContent, nil
}

// uniqueChildID is a new id for a route, integration or authorizer of a:
// API Gateway's are seven characters, unique within the API.
func (s *Server) uniqueChildID(a *api) string {
	for {
		id := s.newID(7)
		if _, err := a.route(id); err == nil {
			continue
		}
		if _, err := a.integration(id); err == nil {
			continue
		}
		if _, err := a.authorizer(id); err == nil {
			continue
		}
		return id
	}
}
