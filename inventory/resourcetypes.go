package inventory

// The Terraform resource types of the provider's aws_apigatewayv2_* resources
// that apigw2tf handles.
const (
	TypeAPI                 = "aws_apigatewayv2_api"
	TypeStage               = "aws_apigatewayv2_stage"
	TypeAuthorizer          = "aws_apigatewayv2_authorizer"
	TypeIntegration         = "aws_apigatewayv2_integration"
	TypeRoute               = "aws_apigatewayv2_route"
	TypeModel               = "aws_apigatewayv2_model"
	TypeRouteResponse       = "aws_apigatewayv2_route_response"
	TypeIntegrationResponse = "aws_apigatewayv2_integration_response"
	TypeDomainName          = "aws_apigatewayv2_domain_name"
	TypeAPIMapping          = "aws_apigatewayv2_api_mapping"
	TypeVPCLink             = "aws_apigatewayv2_vpc_link"
)

// StateImportID is the id `import` takes for a resource of type typ whose
// state (or plan) values are v: the API id, api_id/stage name, api_id/id of
// an authorizer, integration, route or model, api_id/parent/id of a route's
// or an integration's response, the domain name, mapping_id/domain_name of an
// API mapping, or a VPC link's id. It is "" for another type, or when a part
// is missing, so that nothing is matched on half an id. generate, audit and
// migrate all match state to live resources through it.
func StateImportID(typ string, v map[string]any) string {
	str := func(k string) string { s, _ := v[k].(string); return s }
	parts := func(p ...string) []string {
		for _, s := range p {
			if s == "" {
				return nil
			}
		}
		return p
	}
	var p []string
	switch typ {
	case TypeAPI, TypeDomainName, TypeVPCLink:
		p = parts(str("id"))
	case TypeStage:
		p = parts(str("api_id"), str("name"))
	case TypeAuthorizer, TypeIntegration, TypeRoute, TypeModel:
		p = parts(str("api_id"), str("id"))
	case TypeRouteResponse:
		p = parts(str("api_id"), str("route_id"), str("id"))
	case TypeIntegrationResponse:
		p = parts(str("api_id"), str("integration_id"), str("id"))
	case TypeAPIMapping:
		p = parts(str("id"), str("domain_name"))
	}
	switch len(p) {
	case 1:
		return p[0]
	case 2:
		if typ == TypeAPIMapping {
			return APIMappingImportID(p[0], p[1])
		}
		if typ == TypeStage {
			return StageImportID(p[0], p[1])
		}
		return ChildImportID(p[0], p[1])
	case 3:
		return ResponseImportID(p[0], p[1], p[2])
	}
	return ""
}
