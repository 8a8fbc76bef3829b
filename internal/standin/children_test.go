package standin

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
)

const childSeed = `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - id: h1
            name: http
            protocolType: HTTP
          - id: q1
            name: quick
            protocolType: HTTP
            target: arn:aws:lambda:us-east-1:123456789012:function:q
`

// TestChildrenLifecycle creates an integration, a JWT and a REQUEST
// authorizer and a route through them the way the real provider does,
// moves the route to the other authorizer, points the integration at
// another function, and checks that a plan of the same configuration is
// empty: the defaults the provider plans (connection_type, payload format,
// passthrough behavior) meet what API Gateway reports.
func TestChildrenLifecycle(t *testing.T) {
	h := newHarness(t, childSeed)
	ri, rr, ra := resourceIntegration(), resourceRoute(), resourceAuthorizer()
	fn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	icfg := map[string]any{"api_id": "h1", "integration_type": "AWS_PROXY", "integration_uri": fn, "payload_format_version": "2.0"}
	x := h.apply(ri, nil, icfg)
	body := h.last("CreateIntegration", "/apis/h1/integrations")
	// The passthrough default is planned away by its own DiffSuppressFunc
	// (old "" against WHEN_NO_MATCH), so create never sends it.
	if _, ok := body["passthroughBehavior"]; ok || body["connectionType"] != "INTERNET" || body["payloadFormatVersion"] != "2.0" {
		t.Errorf("CreateIntegration sent %v, want connectionType and payloadFormatVersion, no passthroughBehavior", body)
	}
	if x.Attributes["integration_method"] != "POST" || x.Attributes["passthrough_behavior"] != "" || x.Attributes["timeout_milliseconds"] != "30000" {
		t.Errorf("integration state %v", x.Attributes)
	}
	if d := h.plan(ri, x, icfg); !d.Empty() {
		t.Errorf("plan of the unchanged integration: %v", d.Attributes)
	}

	jcfg := map[string]any{"api_id": "h1", "authorizer_type": "JWT", "name": "jwt", "identity_sources": []any{"$request.header.Authorization"},
		"jwt_configuration": []any{map[string]any{"issuer": "https://issuer.example", "audience": []any{"a"}}}}
	jwt := h.apply(ra, nil, jcfg)
	lcfg := map[string]any{"api_id": "h1", "authorizer_type": "REQUEST", "name": "lambda", "identity_sources": []any{"$request.header.x-key"},
		"authorizer_payload_format_version": "2.0",
		"authorizer_uri":                    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fn + "/invocations"}
	lambda := h.apply(ra, nil, lcfg)
	if got := h.last("CreateAuthorizer", "/apis/h1/authorizers")["authorizerResultTtlInSeconds"]; got != 300.0 {
		t.Errorf("REQUEST authorizer without a TTL was created with %v, want the provider's 300", got)
	}
	for _, c := range []struct {
		st  *terraform.InstanceState
		cfg map[string]any
	}{{jwt, jcfg}, {lambda, lcfg}} {
		if d := h.plan(ra, c.st, c.cfg); !d.Empty() {
			t.Errorf("plan of the unchanged authorizer %s: %v", c.cfg["name"], d.Attributes)
		}
	}

	rcfg := map[string]any{"api_id": "h1", "route_key": "GET /pets", "target": "integrations/" + x.ID,
		"authorization_type": "JWT", "authorizer_id": jwt.ID, "authorization_scopes": []any{"pets/read"}}
	route := h.apply(rr, nil, rcfg)
	if d := h.plan(rr, route, rcfg); !d.Empty() {
		t.Errorf("plan of the unchanged route: %v", d.Attributes)
	}
	moved := map[string]any{"api_id": "h1", "route_key": "GET /pets", "target": "integrations/" + x.ID,
		"authorization_type": "CUSTOM", "authorizer_id": lambda.ID}
	route = h.apply(rr, route, moved)
	up := h.last("UpdateRoute", "/routes/"+route.ID)
	if up["authorizationType"] != "CUSTOM" || up["authorizerId"] != lambda.ID || up["routeKey"] != nil {
		t.Errorf("UpdateRoute sent %v, want only the authorization change", up)
	}
	if route.Attributes["authorizer_id"] != lambda.ID || route.Attributes["authorization_scopes.#"] != "0" {
		t.Errorf("route state after the move: %v", route.Attributes)
	}

	icfg["integration_uri"] = fn + "-v2"
	x = h.apply(ri, x, icfg)
	if ux := h.last("UpdateIntegration", "/integrations/"+x.ID); ux["integrationUri"] != fn+"-v2" || ux["integrationType"] != "AWS_PROXY" {
		t.Errorf("UpdateIntegration sent %v", ux)
	}

	ctx := context.Background()
	for _, del := range []func() bool{
		func() bool { return deleteRoute(ctx, rr.Data(route), h.data).HasError() },
		func() bool { return deleteIntegration(ctx, ri.Data(x), h.data).HasError() },
		func() bool { return deleteAuthorizer(ctx, ra.Data(jwt), h.data).HasError() },
	} {
		if del() {
			t.Error("delete failed")
		}
	}
}

// TestChildImport holds the importers to the real provider's id format
// and messages, quick create's route and integration included.
func TestChildImport(t *testing.T) {
	h := newHarness(t, childSeed)
	ctx := context.Background()
	c := h.data.client("")
	routes, err := c.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String("q1")})
	if err != nil || len(routes.Items) != 1 {
		t.Fatalf("quick create's routes: %v %v", routes, err)
	}
	quick := routes.Items[0]
	x := h.apply(resourceIntegration(), nil, map[string]any{"api_id": "h1", "integration_type": "HTTP_PROXY", "integration_method": "GET", "integration_uri": "https://x.example"})
	for _, tc := range []struct {
		r   *schema.Resource
		id  string
		err string
	}{
		{resourceRoute(), "h1", "wrong format of import ID (h1), use: 'api-id/route-id'"},
		{resourceIntegration(), "h1/a/b", "wrong format of import ID (h1/a/b), use: 'api-id/integration-id'"},
		{resourceAuthorizer(), "x", "wrong format of import ID (x), use: 'api-id/authorizer-id'"},
		{resourceRoute(), "h1/nope", "NotFoundException"},
		{resourceRoute(), "q1/" + aws.ToString(quick.RouteId), "API Gateway v2 Route (" + aws.ToString(quick.RouteId) + ") was created via quick create"},
		{resourceIntegration(), "q1/" + strings.TrimPrefix(aws.ToString(quick.Target), "integrations/"), "was created via quick create"},
	} {
		d := tc.r.Data(&terraform.InstanceState{ID: tc.id})
		if _, err := tc.r.Importer.StateContext(ctx, d, h.data); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("import %q: %v, want %q", tc.id, err, tc.err)
		}
	}
	r := resourceIntegration()
	d := r.Data(&terraform.InstanceState{ID: "h1/" + x.ID + "@us-east-1"})
	if _, err := r.Importer.StateContext(ctx, d, h.data); err != nil || d.Id() != x.ID || d.Get("api_id") != "h1" {
		t.Fatalf("import: %v, id %q api_id %v", err, d.Id(), d.Get("api_id"))
	}
}
