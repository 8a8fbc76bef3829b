package standin

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
)

const wsSeed = `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - id: w1
            name: ws
            protocolType: WEBSOCKET
            routeSelectionExpression: $request.body.action
`

// TestWebSocketResponsesLifecycle creates a model, a route that validates
// with it, a route response and an integration response the way the real
// provider does, changes each, and checks that a plan of the same
// configuration is empty, a reformatted model schema included.
func TestWebSocketResponsesLifecycle(t *testing.T) {
	h := newHarness(t, wsSeed)
	rm, rr, rrr, ri, rir := resourceModel(), resourceRoute(), resourceRouteResponse(), resourceIntegration(), resourceIntegrationResponse()
	mcfg := map[string]any{"api_id": "w1", "name": "Msg", "content_type": "application/json", "schema": `{"type": "object", "required": ["action"]}`}
	m := h.apply(rm, nil, mcfg)
	if body := h.last("CreateModel", "/apis/w1/models"); body["name"] != "Msg" || body["description"] != nil {
		t.Errorf("CreateModel sent %v", body)
	}
	mcfg["schema"] = "{\n  \"required\": [\"action\"],\n  \"type\": \"object\"\n}"
	if d := h.plan(rm, m, mcfg); !d.Empty() {
		t.Errorf("plan of the model with its schema reformatted: %v", d.Attributes)
	}
	mcfg["description"] = "a message"
	m = h.apply(rm, m, mcfg)
	if up := h.last("UpdateModel", "/models/"+m.ID); up["description"] != "a message" || up["name"] != nil {
		t.Errorf("UpdateModel sent %v, want only the description", up)
	}

	x := h.apply(ri, nil, map[string]any{"api_id": "w1", "integration_type": "MOCK"})
	route := h.apply(rr, nil, map[string]any{"api_id": "w1", "route_key": "send", "target": "integrations/" + x.ID,
		"model_selection_expression": "$request.body.type", "request_models": map[string]any{"$default": "Msg"}})

	rcfg := map[string]any{"api_id": "w1", "route_id": route.ID, "route_response_key": "$default", "response_models": map[string]any{"$default": "Msg"}}
	resp := h.apply(rrr, nil, rcfg)
	if d := h.plan(rrr, resp, rcfg); !d.Empty() {
		t.Errorf("plan of the unchanged route response: %v", d.Attributes)
	}
	rcfg["model_selection_expression"] = "$default"
	resp = h.apply(rrr, resp, rcfg)
	if up := h.last("UpdateRouteResponse", "/routeresponses/"+resp.ID); up["modelSelectionExpression"] != "$default" || up["routeResponseKey"] != nil {
		t.Errorf("UpdateRouteResponse sent %v", up)
	}

	icfg := map[string]any{"api_id": "w1", "integration_id": x.ID, "integration_response_key": "/4\\d\\d/",
		"response_templates": map[string]any{"application/json": `{"error": "${x}"}`}, "content_handling_strategy": "CONVERT_TO_TEXT"}
	ir := h.apply(rir, nil, icfg)
	if d := h.plan(rir, ir, icfg); !d.Empty() {
		t.Errorf("plan of the unchanged integration response: %v", d.Attributes)
	}
	icfg["template_selection_expression"] = "$default"
	ir = h.apply(rir, ir, icfg)
	if up := h.last("UpdateIntegrationResponse", "/integrationresponses/"+ir.ID); up["templateSelectionExpression"] != "$default" || up["integrationResponseKey"] != nil {
		t.Errorf("UpdateIntegrationResponse sent %v", up)
	}

	ctx := context.Background()
	for _, del := range []func() bool{
		func() bool { return deleteRouteResponse(ctx, rrr.Data(resp), h.data).HasError() },
		func() bool { return deleteIntegrationResponse(ctx, rir.Data(ir), h.data).HasError() },
		func() bool { return deleteRoute(ctx, rr.Data(route), h.data).HasError() },
		func() bool { return deleteModel(ctx, rm.Data(m), h.data).HasError() },
		func() bool { return deleteModel(ctx, rm.Data(m), h.data).HasError() }, // gone already: no error
	} {
		if del() {
			t.Error("delete failed")
		}
	}
}

// TestResponseImport holds the importers to the real provider's id formats
// and messages: three parts for responses, two for a model.
func TestResponseImport(t *testing.T) {
	h := newHarness(t, wsSeed)
	ctx := context.Background()
	for _, tc := range []struct {
		r   *schema.Resource
		id  string
		err string
	}{
		{resourceRouteResponse(), "w1/r1", "wrong format of import ID (w1/r1), use: 'api-id/route-id/route-response-id'"},
		{resourceIntegrationResponse(), "w1/a/b/c", "wrong format of import ID (w1/a/b/c), use: 'api-id/integration-id/integration-response-id'"},
		{resourceModel(), "w1", "wrong format of import ID (w1), use: 'api-id/model-id'"},
	} {
		d := tc.r.Data(&terraform.InstanceState{ID: tc.id})
		if _, err := tc.r.Importer.StateContext(ctx, d, h.data); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("import %q: %v, want %q", tc.id, err, tc.err)
		}
	}
	r := resourceRouteResponse()
	d := r.Data(&terraform.InstanceState{ID: "w1/rte1/resp1@eu-west-1"})
	if _, err := r.Importer.StateContext(ctx, d, h.data); err != nil || d.Id() != "resp1" || d.Get("route_id") != "rte1" || d.Get("api_id") != "w1" || d.Get("region") != "eu-west-1" {
		t.Fatalf("import: %v, id %q route_id %v api_id %v region %v", err, d.Id(), d.Get("route_id"), d.Get("api_id"), d.Get("region"))
	}
}
