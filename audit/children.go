package audit

import (
	"github.com/apigw2tf/apigw2tf/inventory"
)

// An API's authorizers, integrations and routes: their resource types,
// import ids and live values in the shape the provider stores them.

// Resource types of an API's children.
const (
	TypeAuthorizer  = inventory.TypeAuthorizer
	TypeIntegration = inventory.TypeIntegration
	TypeRoute       = inventory.TypeRoute
)

// kindTypes maps the inventory's kinds to resource types.
var kindTypes = map[string]string{
	inventory.KindAPI:         TypeAPI,
	inventory.KindStage:       TypeStage,
	inventory.KindAuthorizer:  TypeAuthorizer,
	inventory.KindIntegration: TypeIntegration,
	inventory.KindRoute:       TypeRoute,

	inventory.KindModel:               TypeModel,
	inventory.KindRouteResponse:       TypeRouteResponse,
	inventory.KindIntegrationResponse: TypeIntegrationResponse,
	inventory.KindDomainName:          TypeDomainName,
	inventory.KindAPIMapping:          TypeAPIMapping,
	inventory.KindVPCLink:             TypeVPCLink,
}

func isChildType(t string) bool {
	return t == TypeAuthorizer || t == TypeIntegration || t == TypeRoute
}

// indexChildren adds an API's children to the live index.
func (ix *liveIndex) indexChildren(a inventory.API) {
	for _, x := range a.Authorizers {
		k := liveKey{TypeAuthorizer, a.Region, inventory.ChildImportID(a.ID, x.ID)}
		ix.values[k] = authorizerValues(a.ID, x)
		ix.names[k] = x.Name
	}
	for _, x := range a.Integrations {
		k := liveKey{TypeIntegration, a.Region, inventory.ChildImportID(a.ID, x.ID)}
		ix.values[k] = integrationValues(a.ID, x)
		ix.names[k] = x.IntegrationType + " " + x.IntegrationURI
	}
	for _, r := range a.Routes {
		k := liveKey{TypeRoute, a.Region, inventory.ChildImportID(a.ID, r.ID)}
		ix.values[k] = routeValues(a.ID, r)
		ix.names[k] = r.RouteKey
	}
	ix.indexResponses(a)
}

func authorizerValues(apiID string, x inventory.Authorizer) map[string]any {
	v := map[string]any{
		"api_id":                            apiID,
		"name":                              x.Name,
		"authorizer_type":                   x.AuthorizerType,
		"authorizer_uri":                    x.AuthorizerURI,
		"authorizer_credentials_arn":        x.AuthorizerCredentialsARN,
		"authorizer_payload_format_version": x.AuthorizerPayloadFormatVersion,
		"authorizer_result_ttl_in_seconds":  float64(x.AuthorizerResultTTLInSeconds),
		"enable_simple_responses":           x.EnableSimpleResponses,
		"identity_sources":                  stringList(x.IdentitySources),
		"jwt_configuration":                 []any{},
	}
	if x.JWTIssuer != "" || len(x.JWTAudience) > 0 {
		v["jwt_configuration"] = []any{map[string]any{"audience": stringList(x.JWTAudience), "issuer": x.JWTIssuer}}
	}
	return v
}

func integrationValues(apiID string, x inventory.Integration) map[string]any {
	v := map[string]any{
		"api_id":                        apiID,
		"integration_type":              x.IntegrationType,
		"integration_uri":               x.IntegrationURI,
		"integration_method":            x.IntegrationMethod,
		"integration_subtype":           x.IntegrationSubtype,
		"connection_type":               x.ConnectionType,
		"connection_id":                 x.ConnectionID,
		"credentials_arn":               x.CredentialsARN,
		"description":                   x.Description,
		"payload_format_version":        x.PayloadFormatVersion,
		"passthrough_behavior":          x.PassthroughBehavior,
		"content_handling_strategy":     x.ContentHandlingStrategy,
		"template_selection_expression": x.TemplateSelectionExpression,
		"timeout_milliseconds":          float64(x.TimeoutMillis),
		"request_parameters":            stringMap(x.RequestParameters),
		"request_templates":             stringMap(x.RequestTemplates),
		"tls_config":                    []any{},
	}
	params := make([]any, 0, len(x.ResponseParameters))
	for code, m := range x.ResponseParameters {
		params = append(params, map[string]any{"status_code": code, "mappings": stringMap(m)})
	}
	v["response_parameters"] = params
	if x.TLSServerNameToVerify != "" {
		v["tls_config"] = []any{map[string]any{"server_name_to_verify": x.TLSServerNameToVerify}}
	}
	return v
}

func routeValues(apiID string, r inventory.Route) map[string]any {
	v := map[string]any{
		"api_id":                              apiID,
		"route_key":                           r.RouteKey,
		"target":                              r.Target,
		"authorization_type":                  r.AuthorizationType,
		"authorizer_id":                       r.AuthorizerID,
		"authorization_scopes":                stringList(r.AuthorizationScopes),
		"api_key_required":                    r.APIKeyRequired,
		"operation_name":                      r.OperationName,
		"model_selection_expression":          r.ModelSelectionExpression,
		"route_response_selection_expression": r.RouteResponseSelectionExpression,
		"request_models":                      stringMap(r.RequestModels),
	}
	params := make([]any, 0, len(r.RequestParameters))
	for k, req := range r.RequestParameters {
		params = append(params, map[string]any{"request_parameter_key": k, "required": req})
	}
	v["request_parameter"] = params
	return v
}
