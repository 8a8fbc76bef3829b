package audit

import (
	"github.com/apigw2tf/apigw2tf/inventory"
)

// A WebSocket API's models and its routes' and integrations' responses:
// their resource types, import ids and live values in the shape the
// provider stores them.

// Resource types of a WebSocket API's models and responses.
const (
	TypeModel               = inventory.TypeModel
	TypeRouteResponse       = inventory.TypeRouteResponse
	TypeIntegrationResponse = inventory.TypeIntegrationResponse
)

func isResponseType(t string) bool {
	return t == TypeModel || t == TypeRouteResponse || t == TypeIntegrationResponse
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
