package emulator

// routeResponse is the stored and the wire form of a WebSocket route's
// response.
type routeResponse struct {
	ModelSelectionExpression string                          `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string               `json:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraints `json:"responseParameters,omitempty"`
	RouteResponseID          string                          `json:"routeResponseId"`
	RouteResponseKey         string                          `json:"routeResponseKey"`
}

// RouteResponseInput is the body of CreateRouteResponse and
// UpdateRouteResponse, and a route's response in a seed file (with ID).
type RouteResponseInput struct {
	ID                       string                          `json:"-" yaml:"id,omitempty"`
	ModelSelectionExpression *string                         `json:"modelSelectionExpression" yaml:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string               `json:"responseModels" yaml:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraints `json:"responseParameters" yaml:"responseParameters,omitempty"`
	RouteResponseKey         *string                         `json:"routeResponseKey" yaml:"routeResponseKey"`
}

var routeResponses = child[routeResponse, RouteResponseInput]{
	kind: "RouteResponse",
	nested: func(a *api, routeID string) (*[]routeResponse, *apiError) {
		i, err := routes.index(a, routeID)
		if err != nil {
			return nil, err
		}
		return &a.routes[i].responses, nil
	},
	id:      func(x *routeResponse) *string { return &x.RouteResponseID },
	managed: func(*routeResponse) bool { return false },
	apply:   applyRouteResponse,
	inUse:   func(*api, *routeResponse) *apiError { return nil },
}

func applyRouteResponse(a *api, siblings []routeResponse, x *routeResponse, self int, in *RouteResponseInput, create bool) *apiError {
	if a.protocol != protoWebSocket {
		return badRequest("Route responses are supported only for WebSocket APIs")
	}
	if create && in.RouteResponseKey == nil {
		return badRequest("Missing required member routeResponseKey")
	}
	if in.ResponseModels != nil {
		if err := checkModels(a, "responseModels", in.ResponseModels); err != nil {
			return err
		}
	}
	next := *x
	setStr(&next.RouteResponseKey, in.RouteResponseKey)
	setStr(&next.ModelSelectionExpression, in.ModelSelectionExpression)
	if in.ResponseModels != nil {
		next.ResponseModels = nonEmptyMap(in.ResponseModels)
	}
	if in.ResponseParameters != nil {
		next.ResponseParameters = nonEmptyMap(in.ResponseParameters)
	}
	for i, o := range siblings {
		if i != self && o.RouteResponseKey == next.RouteResponseKey {
			return conflict("RouteResponse with key %s already exists for this Route", next.RouteResponseKey)
		}
	}
	*x = next
	return nil
}

// responseIDTaken reports an id a route's or an integration's response of
// a already has.
func (a *api) responseIDTaken(id string) bool {
	for _, r := range a.routes {
		if _, err := routeResponses.indexIn(r.responses, id); err == nil {
			return true
		}
	}
	for _, x := range a.integrations {
		if _, err := integrationResponses.indexIn(x.responses, id); err == nil {
			return true
		}
	}
	return false
}
