package inventory

import (
	"fmt"
	"slices"
	"strings"
)

// A WebSocket API's models and its routes' and integrations' responses.

// Kinds of a WebSocket API's children.
const (
	KindModel               = "model"
	KindRouteResponse       = "route_response"
	KindIntegrationResponse = "integration_response"
)

// kindParents are the kinds that need another kind discovered with them:
// a response is listed per route or integration.
var kindParents = map[string]string{
	KindRouteResponse:       KindRoute,
	KindIntegrationResponse: KindIntegration,
}

// checkParents says which kind of want lacks the kind it belongs to.
func checkParents(want map[string]bool) error {
	for _, k := range AllKinds {
		if p, ok := kindParents[k]; ok && want[k] && !want[p] {
			return fmt.Errorf("--types %s needs %s as well: each %s belongs to one", k, p, strings.ReplaceAll(k, "_", " "))
		}
	}
	return nil
}

// ResponseImportID is the `terraform import` id of a route's or an
// integration's response: api-id/parent-id/response-id.
func ResponseImportID(apiID, parentID, id string) string { return apiID + "/" + parentID + "/" + id }

// Model is one model of a WebSocket API.
type Model struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Description string `json:"description,omitempty"`
	Schema      string `json:"schema,omitempty"`
}

// RouteResponse is one response of a WebSocket route.
type RouteResponse struct {
	ID                       string            `json:"id"`
	RouteID                  string            `json:"route_id"`
	RouteResponseKey         string            `json:"route_response_key"`
	ModelSelectionExpression string            `json:"model_selection_expression,omitempty"`
	ResponseModels           map[string]string `json:"response_models,omitempty"`
}

// ImportID is the `terraform import` id of the route response of api apiID.
func (r RouteResponse) ImportID(apiID string) string { return ResponseImportID(apiID, r.RouteID, r.ID) }

// IntegrationResponse is one response of a WebSocket integration.
type IntegrationResponse struct {
	ID                          string            `json:"id"`
	IntegrationID               string            `json:"integration_id"`
	IntegrationResponseKey      string            `json:"integration_response_key"`
	ContentHandlingStrategy     string            `json:"content_handling_strategy,omitempty"`
	TemplateSelectionExpression string            `json:"template_selection_expression,omitempty"`
	ResponseTemplates           map[string]string `json:"response_templates,omitempty"`
}

// ImportID is the `terraform import` id of the integration response of api
// apiID.
func (x IntegrationResponse) ImportID(apiID string) string {
	return ResponseImportID(apiID, x.IntegrationID, x.ID)
}

// normalizeResponses sorts an API's models and responses by id.
func (a *API) normalizeResponses() {
	slices.SortFunc(a.Models, func(x, y Model) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(a.RouteResponses, func(x, y RouteResponse) int {
		return strings.Compare(x.RouteID+"/"+x.ID, y.RouteID+"/"+y.ID)
	})
	slices.SortFunc(a.IntegrationResponses, func(x, y IntegrationResponse) int {
		return strings.Compare(x.IntegrationID+"/"+x.ID, y.IntegrationID+"/"+y.ID)
	})
}

// validateResponses reports a model or response listed twice (check
// reports an id seen before), or a response without the id of its route
// or integration.
func (a *API) validateResponses(check func(kind, id string) error) error {
	for _, m := range a.Models {
		if err := check(KindModel, m.ID); err != nil {
			return err
		}
	}
	for _, r := range a.RouteResponses {
		if r.RouteID == "" {
			return fmt.Errorf("route_response %s of api %s in %s has no route_id; re-run discover", r.ID, a.ID, a.Region)
		}
		if err := check(KindRouteResponse, r.ImportID(a.ID)); err != nil {
			return err
		}
	}
	for _, x := range a.IntegrationResponses {
		if x.IntegrationID == "" {
			return fmt.Errorf("integration_response %s of api %s in %s has no integration_id; re-run discover", x.ID, a.ID, a.Region)
		}
		if err := check(KindIntegrationResponse, x.ImportID(a.ID)); err != nil {
			return err
		}
	}
	return nil
}
