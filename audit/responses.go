package audit

import (
	"github.com/apigw2tf/apigw2tf/inventory"
)

// A WebSocket API's models and its routes' and integrations' responses:
// their resource types, import ids and live values in the shape the
// provider stores them.

// Resource types of a WebSocket API's models and responses.
const (
	TypeModel               = "aws_apigatewayv2_model"
	TypeRouteResponse       = "aws_apigatewayv2_route_response"
	TypeIntegrationResponse = "aws_apigatewayv2_integration_response"
)

func isResponseType(t string) bool {
	return t == TypeModel || t == TypeRouteResponse || t == TypeIntegrationResponse
}

// responseImportID is the import id of a model (api_id/id) or a response
// (api_id/parent/id) from its state attributes.
func responseImportID(typ string, v map[string]any) string {
	switch typ {
	case TypeRouteResponse:
		return inventory.ResponseImportID(str(v["api_id"]), str(v["route_id"]), str(v["id"]))
	case TypeIntegrationResponse:
		return inventory.ResponseImportID(str(v["api_id"]), str(v["integration_id"]), str(v["id"]))
	}
	return inventory.ChildImportID(str(v["api_id"]), str(v["id"]))
}

// indexResponses adds an API's models and responses to the live index.
func (ix *liveIndex) indexResponses(a inventory.API) {
	for _, m := range a.Models {
		k := liveKey{TypeModel, a.Region, inventory.ChildImportID(a.ID, m.ID)}
		ix.values[k] = map[string]any{
			"api_id":       a.ID,
			"name":         m.Name,
			"content_type": m.ContentType,
			"description":  m.Description,
			"schema":       m.Schema,
		}
		ix.names[k] = m.Name
	}
	for _, r := range a.RouteResponses {
		k := liveKey{TypeRouteResponse, a.Region, r.ImportID(a.ID)}
		ix.values[k] = map[string]any{
			"api_id":                     a.ID,
			"route_id":                   r.RouteID,
			"route_response_key":         r.RouteResponseKey,
			"model_selection_expression": r.ModelSelectionExpression,
			"response_models":            stringMap(r.ResponseModels),
		}
		ix.names[k] = r.RouteResponseKey
	}
	for _, x := range a.IntegrationResponses {
		k := liveKey{TypeIntegrationResponse, a.Region, x.ImportID(a.ID)}
		ix.values[k] = map[string]any{
			"api_id":                        a.ID,
			"integration_id":                x.IntegrationID,
			"integration_response_key":      x.IntegrationResponseKey,
			"content_handling_strategy":     x.ContentHandlingStrategy,
			"template_selection_expression": x.TemplateSelectionExpression,
			"response_templates":            stringMap(x.ResponseTemplates),
		}
		ix.names[k] = x.IntegrationResponseKey
	}
}
