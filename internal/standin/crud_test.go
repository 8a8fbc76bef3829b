package standin

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
)

const twoAPIs = `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - {id: h1, name: http, protocolType: HTTP, routes: ["GET /a", "GET /b"]}
          - {id: w1, name: ws, protocolType: WEBSOCKET, routeSelectionExpression: $request.body.action, routes: ["$connect"]}
`

func TestStageCreateSendsWhatTheProviderSends(t *testing.T) {
	h := newHarness(t, twoAPIs)
	r := resourceStage()
	settings := []any{map[string]any{"data_trace_enabled": true, "logging_level": "INFO", "throttling_burst_limit": 10}}

	st := h.apply(r, nil, map[string]any{"api_id": "h1", "name": "prod", "default_route_settings": settings, "tags": map[string]any{"env": "test"}})
	body := h.last("CreateStage", "/apis/h1/stages")
	drs := body["defaultRouteSettings"].(map[string]any)
	if _, ok := drs["loggingLevel"]; ok {
		t.Errorf("HTTP stage: loggingLevel sent: %v", drs)
	}
	if _, ok := drs["dataTraceEnabled"]; ok {
		t.Errorf("HTTP stage: dataTraceEnabled sent: %v", drs)
	}
	if drs["throttlingRateLimit"] != 0.0 || drs["throttlingBurstLimit"] != 10.0 {
		t.Errorf("throttles sent %v, want the unset rate as 0", drs)
	}
	if body["autoDeploy"] != false {
		t.Errorf("autoDeploy = %v, want false sent", body["autoDeploy"])
	}
	if tags := body["tags"].(map[string]any); tags["env"] != "test" || tags["owner"] != "platform" {
		t.Errorf("tags sent %v, want the resource's over the default tags", tags)
	}
	for _, k := range []string{"accessLogSettings", "clientCertificateId", "deploymentId", "description", "routeSettings", "stageVariables"} {
		if _, ok := body[k]; ok {
			t.Errorf("unset %s sent: %v", k, body[k])
		}
	}
	want := map[string]string{
		"id": "prod", "region": "us-east-1", "auto_deploy": "false", "client_certificate_id": "",
		"arn":            "arn:aws:apigateway:us-east-1::/apis/h1/stages/prod",
		"execution_arn":  "arn:aws:execute-api:us-east-1:123456789012:h1/prod",
		"invoke_url":     "https://h1.execute-api.us-east-1.amazonaws.com/prod",
		"tags_all.owner": "platform", "tags.env": "test", "tags.%": "1",
		// Stored as read: HTTP APIs keep no logging level.
		"default_route_settings.0.logging_level": "",
	}
	for k, v := range want {
		if got := st.Attributes[k]; got != v {
			t.Errorf("state %s = %q, want %q", k, got, v)
		}
	}

	h.apply(r, nil, map[string]any{"api_id": "w1", "name": "live", "default_route_settings": settings})
	drs = h.last("CreateStage", "/apis/w1/stages")["defaultRouteSettings"].(map[string]any)
	if drs["loggingLevel"] != "INFO" || drs["dataTraceEnabled"] != true {
		t.Errorf("WebSocket stage: sent %v, want loggingLevel and dataTraceEnabled", drs)
	}
}

func TestStageUpdate(t *testing.T) {
	h := newHarness(t, twoAPIs)
	r := resourceStage()
	route := func(key string, burst int) map[string]any {
		return map[string]any{"route_key": key, "throttling_burst_limit": burst}
	}
	prior := h.apply(r, nil, map[string]any{
		"api_id": "h1", "name": "prod",
		"route_settings":  []any{route("GET /a", 1), route("GET /b", 2)},
		"stage_variables": map[string]any{"keep": "1", "drop": "2"},
		"tags":            map[string]any{"env": "test", "gone": "x"},
	})
	st := h.apply(r, prior, map[string]any{
		"api_id": "h1", "name": "prod", "description": "new",
		"route_settings":  []any{route("GET /a", 1)},
		"stage_variables": map[string]any{"keep": "1"},
		"tags":            map[string]any{"env": "prod"},
	})
	if h.count("DeleteRouteSettings") != 1 {
		t.Errorf("%d DeleteRouteSettings, want 1", h.count("DeleteRouteSettings"))
	}
	h.last("DeleteRouteSettings", "/routesettings/GET /b")
	patch := h.last("UpdateStage", "/apis/h1/stages/prod")
	if vars := patch["stageVariables"].(map[string]any); vars["drop"] != "" || vars["keep"] != "1" {
		t.Errorf("stageVariables sent %v, want drop removed with \"\"", vars)
	}
	if patch["description"] != "new" {
		t.Errorf("description sent %v", patch["description"])
	}
	if _, ok := patch["autoDeploy"]; ok {
		t.Errorf("unchanged autoDeploy sent")
	}
	if got := h.last("UntagResource", "/stages/prod"); got != nil {
		t.Errorf("UntagResource has a body: %v", got)
	}
	if tags := h.last("TagResource", "/stages/prod")["tags"].(map[string]any); len(tags) != 1 || tags["env"] != "prod" {
		t.Errorf("TagResource sent %v, want only the changed env", tags)
	}
	for k, v := range map[string]string{"description": "new", "route_settings.#": "1", "stage_variables.%": "1", "tags_all.%": "2", "tags_all.env": "prod"} {
		if got := st.Attributes[k]; got != v {
			t.Errorf("state %s = %q, want %q", k, got, v)
		}
	}
}

// TestStagePlan checks what SDKv2 plans from the real schema: defaults, an
// absent default_route_settings block kept from state, and replacement on
// a region change but not between unset and the provider's region.
func TestStagePlan(t *testing.T) {
	h := newHarness(t, twoAPIs)
	r := resourceStage()
	cfg := map[string]any{"api_id": "h1", "name": "prod", "default_route_settings": []any{map[string]any{"throttling_burst_limit": 5}}}
	created := h.plan(r, nil, cfg)
	for k, v := range map[string]string{"auto_deploy": "false", "region": "us-east-1", "tags_all.owner": "platform", "default_route_settings.0.detailed_metrics_enabled": "false"} {
		if a := created.Attributes[k]; a == nil || a.New != v {
			t.Errorf("create plans %s = %+v, want %q", k, a, v)
		}
	}
	if a := created.Attributes["deployment_id"]; a == nil || !a.NewComputed {
		t.Errorf("create plans deployment_id %+v, want unknown", a)
	}
	st := h.apply(r, nil, cfg)
	// The provider's SuppressMissingOptionalConfigurationBlock suppresses
	// only the block count: the block stays, but what it set is planned
	// away (engines show throttles going to null).
	d := h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod"})
	if _, ok := d.Attributes["default_route_settings.#"]; ok || len(d.Attributes) != 1 {
		t.Errorf("dropping the default_route_settings block plans %v, want only its throttle removed", d.Attributes)
	}
	if a := d.Attributes["default_route_settings.0.throttling_burst_limit"]; a == nil || !a.NewRemoved {
		t.Errorf("dropping the block plans throttling_burst_limit %+v, want it removed", a)
	}
	if d := h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod", "region": "us-east-1", "default_route_settings": cfg["default_route_settings"]}); !d.Empty() {
		t.Errorf("the provider's region written out plans %+v, want nothing", d.Attributes)
	}
	if d := h.plan(r, st, map[string]any{"api_id": "h1", "name": "prod", "region": "eu-west-1"}); !d.RequiresNew() {
		t.Errorf("another region plans %+v, want a replacement", d.Attributes)
	}
	if diags := r.Validate(terraform.NewResourceConfigRaw(map[string]any{"api_id": "h1", "name": "prod", "default_route_settings": []any{map[string]any{"logging_level": "LOUD"}}})); !diags.HasError() {
		t.Errorf("logging_level LOUD validates, want the provider's enum check")
	}
}

func TestStageImportReadDelete(t *testing.T) {
	h := newHarness(t, `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - id: h1
            name: http
            protocolType: HTTP
            stages:
              - {name: prod}
              - {name: $default, apiGatewayManaged: true}
`)
	ctx := context.Background()
	r := resourceStage()
	for _, tc := range []struct{ id, err string }{
		{"h1", "wrong format of import ID (h1), use: 'api-id/stage-name'"},
		{"h1/$default", "API Gateway v2 Stage ($default) was created via quick create"},
		{"h1/nope", "NotFoundException"},
	} {
		d := r.Data(&terraform.InstanceState{ID: tc.id})
		if _, err := r.Importer.StateContext(ctx, d, h.data); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("import %q: %v, want %q", tc.id, err, tc.err)
		}
	}
	d := r.Data(&terraform.InstanceState{ID: "h1/prod@us-east-1"})
	if _, err := r.Importer.StateContext(ctx, d, h.data); err != nil {
		t.Fatalf("import: %v", err)
	}
	if d.Id() != "prod" || d.Get("api_id") != "h1" || d.Get("region") != "us-east-1" {
		t.Errorf("imported id %q api_id %v region %v", d.Id(), d.Get("api_id"), d.Get("region"))
	}
	st, diags := r.RefreshWithoutUpgrade(ctx, d.State(), h.data)
	if diags.HasError() || st == nil || st.ID != "prod" {
		t.Fatalf("read: %v %v", st, diags)
	}
	if got := st.Attributes["access_log_settings.#"]; got != "0" {
		t.Errorf("absent access log settings read as %q blocks, want 0", got)
	}

	if diags := deleteStage(ctx, r.Data(st), h.data); diags.HasError() {
		t.Fatalf("delete: %v", diags)
	}
	gone, diags := r.RefreshWithoutUpgrade(ctx, st, h.data)
	if diags.HasError() || (gone != nil && gone.ID != "") {
		t.Errorf("read of a deleted stage: %v %v, want it removed from state", gone, diags)
	}
	if diags := deleteStage(ctx, r.Data(st), h.data); diags.HasError() {
		t.Errorf("deleting a stage that is already gone: %v", diags)
	}
}

func TestAPILifecycle(t *testing.T) {
	h := newHarness(t, "")
	r := resourceAPI()
	cfg := map[string]any{
		"name": "orders", "protocol_type": "HTTP",
		"target":             "arn:aws:lambda:us-east-1:123456789012:function:f",
		"cors_configuration": []any{map[string]any{"allow_methods": []any{"GET"}}},
	}
	st := h.apply(r, nil, cfg)
	body := h.last("CreateApi", "/v2/apis")
	if body["target"] != cfg["target"] || body["routeSelectionExpression"] != "$request.method $request.path" || body["apiKeySelectionExpression"] != "$request.header.x-api-key" {
		t.Errorf("CreateApi sent %v, want the target and both default expressions", body)
	}
	if cors := body["corsConfiguration"].(map[string]any); cors["allowCredentials"] != false || cors["maxAge"] != 0.0 {
		t.Errorf("CORS sent %v, want every member, unset ones as false and 0", cors)
	}
	if st.Attributes["target"] != cfg["target"] || st.Attributes["api_endpoint"] == "" {
		t.Errorf("state after create: target %q endpoint %q", st.Attributes["target"], st.Attributes["api_endpoint"])
	}
	// Sets hash case-insensitively, as the provider's do.
	if d := h.plan(r, st, map[string]any{"name": "orders", "protocol_type": "HTTP", "target": cfg["target"],
		"cors_configuration": []any{map[string]any{"allow_methods": []any{"get"}}}}); !d.Empty() {
		t.Errorf("allow_methods in lower case plans %+v, want nothing", d.Attributes)
	}
	if d := h.plan(r, st, map[string]any{"name": "orders", "protocol_type": "WEBSOCKET", "target": cfg["target"]}); !d.RequiresNew() {
		t.Errorf("a new protocol_type plans %+v, want a replacement", d.Attributes)
	}

	// Removing the CORS block deletes the configuration.
	st = h.apply(r, st, map[string]any{"name": "orders", "protocol_type": "HTTP", "target": cfg["target"], "description": "orders API"})
	if h.count("DeleteCorsConfiguration") != 1 {
		t.Errorf("%d DeleteCorsConfiguration, want 1", h.count("DeleteCorsConfiguration"))
	}
	// The real Update also sends the removed block as an empty object when
	// another attribute changes with it.
	if patch := h.last("UpdateApi", "/v2/apis/"+st.ID); patch["description"] != "orders API" || len(patch) != 2 || len(patch["corsConfiguration"].(map[string]any)) != 0 {
		t.Errorf("UpdateApi sent %v, want the description and an empty corsConfiguration", patch)
	}
	if st.Attributes["cors_configuration.#"] != "0" || st.Attributes["description"] != "orders API" {
		t.Errorf("state after update: %v", st.Attributes)
	}
}

// TestRetryAttempts checks the real provider's max_retries default of 25
// and that max_retries or AWS_MAX_ATTEMPTS still override it.
func TestRetryAttempts(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	os.Unsetenv("AWS_MAX_ATTEMPTS")
	ctx := context.Background()
	base := options{Region: "us-east-1", AccessKey: "k", SecretKey: "s"}
	attempts := func(o options) int {
		t.Helper()
		cfg, err := loadAWSConfig(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Retryer().MaxAttempts(); got != cfg.RetryMaxAttempts {
			t.Errorf("the retryer makes %d attempts, the configuration says %d", got, cfg.RetryMaxAttempts)
		}
		return cfg.RetryMaxAttempts
	}
	if got := attempts(base); got != 25 {
		t.Errorf("default attempts = %d, want the provider's 25", got)
	}
	// No retry quota: the SDK's default bucket of 500 tokens, 5 per
	// throttled retry, would refuse the 101st.
	for _, mode := range []string{"", "adaptive"} {
		o := base
		o.RetryMode = mode
		cfg, err := loadAWSConfig(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		r := cfg.Retryer()
		throttled := &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 429}}, Err: errors.New("TooManyRequestsException")}
		for i := range 200 {
			if _, err := r.GetRetryToken(ctx, throttled); err != nil {
				t.Fatalf("retry_mode %q: retry %d refused: %v", mode, i+1, err)
			}
		}
	}
	o := base
	o.MaxRetries = 7
	if got := attempts(o); got != 7 {
		t.Errorf("max_retries = 7 gives %d attempts", got)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "4")
	if got := attempts(base); got != 4 {
		t.Errorf("AWS_MAX_ATTEMPTS=4 gives %d attempts", got)
	}
}
