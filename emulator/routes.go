package emulator

import (
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

	responses []routeResponse
}

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
	// Responses are a seed route's responses.
	Responses []RouteResponseInput `json:"-" yaml:"responses,omitempty"`
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
		r.RequestParameters == nil && r.RouteResponseSelectionExpression == nil && r.Target == nil && r.Responses == nil
}

// RouteKeySeed is a seed route with only a key.
func RouteKeySeed(key string) RouteInput { return RouteInput{RouteKey: &key} }

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
	if in.RequestModels != nil {
		if err := checkModels(a, "requestModels", in.RequestModels); err != nil {
			return err
		}
	}
	if in.Target != nil && *in.Target != "" {
		id, ok := strings.CutPrefix(*in.Target, "integrations/")
		if !ok {
			return badRequest("Invalid target %q: use integrations/{integration-id}", *in.Target)
		}
		if _, err := integrations.index(a, id); err != nil {
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
		j, err := authorizers.index(a, next.AuthorizerID)
		if err != nil {
			return badRequest("Invalid authorizer identifier specified %s", next.AuthorizerID)
		}
		au := &a.authorizers[j]
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
