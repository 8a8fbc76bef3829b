package standin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/apigw2tf/apigw2tf/internal/standin/internal/fakeapi"
)

// createStage runs the stage resource's plan and create for cfg.
func createStage(t *testing.T, r *stageResource, cfg stageModel) stageModel {
	t.Helper()
	ctx := context.Background()
	s := stageSchema()
	planned, _, diags := r.data.planStage(ctx, cfg, nullStage(), true)
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := &resource.CreateResponse{State: emptyState(s)}
	r.Create(ctx, resource.CreateRequest{Plan: planOf(t, s, planned), Config: configOf(t, s, cfg)}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %v", resp.Diagnostics)
	}
	var got stageModel
	resp.State.Get(ctx, &got)
	return got
}

func lastRequest(t *testing.T, f *fakeapi.Server, method, pathPrefix string) fakeapi.Request {
	t.Helper()
	reqs := f.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method && strings.HasPrefix(reqs[i].Path, pathPrefix) {
			return reqs[i]
		}
	}
	t.Fatalf("no %s %s request among %v", method, pathPrefix, reqs)
	return fakeapi.Request{}
}

func TestStageCreateSendsWhatTheProviderSends(t *testing.T) {
	d, fake := testData(t)
	fake.PutAPI(fakeapi.API{ApiId: "h1", Name: "http", ProtocolType: "HTTP"})
	fake.PutAPI(fakeapi.API{ApiId: "w1", Name: "ws", ProtocolType: "WEBSOCKET"})
	r := &stageResource{data: d}
	settings := func() types.List {
		return list(t, defaultRouteType, defaultRouteModel{
			DataTraceEnabled: types.BoolValue(true), DetailedMetricsEnabled: types.BoolNull(),
			LoggingLevel: str("INFO"), ThrottlingBurstLimit: types.Int64Value(10), ThrottlingRateLimit: types.Float64Null(),
		})
	}

	cfg := minimalStageConfig("h1", "prod")
	cfg.DefaultRouteSettings = settings()
	cfg.Tags = strMap(map[string]string{"env": "test"})
	got := createStage(t, r, cfg)
	body := lastRequest(t, fake, "POST", "/v2/apis/h1/stages").Body
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
	if tags := body["tags"].(map[string]any); tags["owner"] != "platform" || tags["env"] != "test" {
		t.Errorf("tags sent = %v, want the default tags merged in", tags)
	}
	// stage_variables is what a read stores, {} for none, as SDKv2's apply
	// keeps it over the planned null.
	if !got.Description.Equal(str("")) || got.StageVariables.IsNull() || len(got.StageVariables.Elements()) != 0 || got.InvokeURL.ValueString() != "https://h1.execute-api.us-east-1.amazonaws.com/prod" {
		t.Errorf("state after create: description %v stage_variables %v invoke_url %v", got.Description, got.StageVariables, got.InvokeURL)
	}
	if want := strMap(map[string]string{"env": "test"}); !got.Tags.Equal(want) {
		t.Errorf("tags = %v, want %v", got.Tags, want)
	}

	cfg = minimalStageConfig("w1", "live")
	cfg.DefaultRouteSettings = settings()
	createStage(t, r, cfg)
	drs = lastRequest(t, fake, "POST", "/v2/apis/w1/stages").Body["defaultRouteSettings"].(map[string]any)
	if drs["loggingLevel"] != "INFO" || drs["dataTraceEnabled"] != true {
		t.Errorf("WebSocket stage: sent %v, want loggingLevel and dataTraceEnabled", drs)
	}
}

func TestStageUpdate(t *testing.T) {
	ctx := context.Background()
	d, fake := testData(t)
	fake.PutAPI(fakeapi.API{ApiId: "h1", Name: "http", ProtocolType: "HTTP"})
	r := &stageResource{data: d}
	route := func(key string, burst int64) routeSettingModel {
		return routeSettingModel{
			DataTraceEnabled: types.BoolNull(), DetailedMetricsEnabled: types.BoolNull(), LoggingLevel: types.StringNull(),
			RouteKey: str(key), ThrottlingBurstLimit: types.Int64Value(burst), ThrottlingRateLimit: types.Float64Null(),
		}
	}
	cfg := minimalStageConfig("h1", "prod")
	cfg.RouteSettings = set(t, routeSettingType, route("GET /a", 1), route("GET /b", 2))
	cfg.StageVariables = strMap(map[string]string{"keep": "1", "drop": "2"})
	cfg.Tags = strMap(map[string]string{"env": "test", "gone": "x"})
	prior := createStage(t, r, cfg)

	cfg.RouteSettings = set(t, routeSettingType, route("GET /a", 1))
	cfg.StageVariables = strMap(map[string]string{"keep": "1"})
	cfg.Tags = strMap(map[string]string{"env": "prod"})
	cfg.Description = str("new")
	s := stageSchema()
	planned, _, diags := d.planStage(ctx, cfg, prior, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := &resource.UpdateResponse{State: stateOf(t, s, prior)}
	r.Update(ctx, resource.UpdateRequest{Plan: planOf(t, s, planned), State: stateOf(t, s, prior), Config: configOf(t, s, cfg)}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("update: %v", resp.Diagnostics)
	}
	lastRequest(t, fake, "DELETE", "/v2/apis/h1/stages/prod/routesettings/GET /b")
	patch := lastRequest(t, fake, "PATCH", "/v2/apis/h1/stages/prod").Body
	if vars := patch["stageVariables"].(map[string]any); vars["drop"] != "" || vars["keep"] != "1" {
		t.Errorf("stageVariables sent %v, want drop removed with \"\"", vars)
	}
	if patch["description"] != "new" {
		t.Errorf("description sent %v", patch["description"])
	}
	if _, ok := patch["autoDeploy"]; ok {
		t.Errorf("unchanged autoDeploy sent")
	}
	st, _ := fake.Stage("h1", "prod")
	if len(st.RouteSettings) != 1 || st.StageVariables["drop"] != "" || st.Tags["gone"] != "" || st.Tags["env"] != "prod" || st.Tags["owner"] != "platform" {
		t.Errorf("stage after update: %+v", st)
	}
	var got stageModel
	resp.State.Get(ctx, &got)
	if !got.Description.Equal(str("new")) || len(got.RouteSettings.Elements()) != 1 {
		t.Errorf("state after update: %+v", got)
	}
}

func TestStageReadDeleteImport(t *testing.T) {
	ctx := context.Background()
	d, fake := testData(t)
	fake.PutAPI(fakeapi.API{ApiId: "h1", Name: "http", ProtocolType: "HTTP"})
	fake.PutStage("h1", fakeapi.Stage{StageName: "prod"})
	fake.PutStage("h1", fakeapi.Stage{StageName: "$default", ApiGatewayManaged: true})
	r := &stageResource{data: d}
	s := stageSchema()

	for _, tc := range []struct{ id, err string }{
		{"h1", "wrong format of import ID (h1), use: 'api-id/stage-name'"},
		{"h1/$default", "API Gateway v2 Stage ($default) was created via quick create"},
		{"h1/nope", "importing API Gateway v2 Stage (h1/nope): "},
	} {
		resp := &resource.ImportStateResponse{State: emptyState(s)}
		r.ImportState(ctx, resource.ImportStateRequest{ID: tc.id}, resp)
		if !resp.Diagnostics.HasError() || !strings.HasPrefix(resp.Diagnostics[0].Summary(), tc.err) {
			t.Errorf("import %q: %v, want %q", tc.id, resp.Diagnostics, tc.err)
		}
	}
	resp := &resource.ImportStateResponse{State: emptyState(s)}
	r.ImportState(ctx, resource.ImportStateRequest{ID: "h1/prod@eu-west-1"}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("import: %v", resp.Diagnostics)
	}
	var imported stageModel
	resp.State.Get(ctx, &imported)
	if imported.ID.ValueString() != "prod" || imported.APIID.ValueString() != "h1" || imported.Region.ValueString() != "eu-west-1" {
		t.Errorf("imported %v %v %v", imported.ID, imported.APIID, imported.Region)
	}

	imported.Region = str("us-east-1")
	read := &resource.ReadResponse{State: stateOf(t, s, imported)}
	r.Read(ctx, resource.ReadRequest{State: stateOf(t, s, imported)}, read)
	if read.Diagnostics.HasError() || read.State.Raw.IsNull() {
		t.Fatalf("read: %v", read.Diagnostics)
	}
	var state stageModel
	read.State.Get(ctx, &state)

	fake.DeleteStage("h1", "prod")
	read = &resource.ReadResponse{State: stateOf(t, s, state)}
	r.Read(ctx, resource.ReadRequest{State: stateOf(t, s, state)}, read)
	if read.Diagnostics.HasError() || !read.State.Raw.IsNull() {
		t.Errorf("read of a deleted stage: %v, state null %v; want it removed from state", read.Diagnostics, read.State.Raw.IsNull())
	}
	del := &resource.DeleteResponse{State: stateOf(t, s, state)}
	r.Delete(ctx, resource.DeleteRequest{State: stateOf(t, s, state)}, del)
	if del.Diagnostics.HasError() {
		t.Errorf("deleting a stage that is already gone: %v", del.Diagnostics)
	}
}

func TestAPILifecycle(t *testing.T) {
	ctx := context.Background()
	d, fake := testData(t)
	r := &apiResource{data: d}
	s := apiSchema()
	cfg := nullAPI()
	cfg.Name, cfg.ProtocolType = str("orders"), str("HTTP")
	cfg.Target = str("arn:aws:lambda:us-east-1:123456789012:function:f")
	cfg.CorsConfiguration = list(t, corsType, corsModel{
		AllowCredentials: types.BoolNull(), AllowHeaders: types.SetNull(types.StringType),
		AllowMethods: setValue([]string{"GET"}), AllowOrigins: types.SetNull(types.StringType),
		ExposeHeaders: types.SetNull(types.StringType), MaxAge: types.Int64Null(),
	})
	planned, _, diags := d.planAPI(ctx, cfg, nullAPI(), true)
	if diags.HasError() {
		t.Fatal(diags)
	}
	cresp := &resource.CreateResponse{State: emptyState(s)}
	r.Create(ctx, resource.CreateRequest{Plan: planOf(t, s, planned), Config: configOf(t, s, cfg)}, cresp)
	if cresp.Diagnostics.HasError() {
		t.Fatalf("create: %v", cresp.Diagnostics)
	}
	var state apiModel
	cresp.State.Get(ctx, &state)
	if !state.Target.Equal(cfg.Target) || state.APIEndpoint.ValueString() == "" {
		t.Errorf("state after create: target %v endpoint %v", state.Target, state.APIEndpoint)
	}
	if _, ok := fake.Stage(state.ID.ValueString(), "$default"); !ok {
		t.Errorf("quick create made no $default stage")
	}
	var cors []corsModel
	state.CorsConfiguration.ElementsAs(ctx, &cors, false)
	// SDKv2's apply keeps an empty collection the read returns over the
	// planned null, so a refresh right after apply finds no drift.
	if len(cors) != 1 || cors[0].AllowHeaders.IsNull() || len(cors[0].AllowHeaders.Elements()) != 0 {
		t.Errorf("cors after create = %+v, want the read's empty allow_headers", cors)
	}

	// Removing the CORS block deletes the configuration.
	cfg.CorsConfiguration = types.ListValueMust(corsType, nil)
	cfg.Description = str("orders API")
	planned, replace, diags := d.planAPI(ctx, cfg, state, false)
	if diags.HasError() || len(replace) > 0 {
		t.Fatalf("plan: %v replace %v", diags, replace)
	}
	uresp := &resource.UpdateResponse{State: stateOf(t, s, state)}
	r.Update(ctx, resource.UpdateRequest{Plan: planOf(t, s, planned), State: stateOf(t, s, state), Config: configOf(t, s, cfg)}, uresp)
	if uresp.Diagnostics.HasError() {
		t.Fatalf("update: %v", uresp.Diagnostics)
	}
	lastRequest(t, fake, "DELETE", "/v2/apis/"+state.ID.ValueString()+"/cors")
	api, _ := fake.API(state.ID.ValueString())
	if api.CorsConfiguration != nil || api.Description != "orders API" {
		t.Errorf("API after update: %+v", api)
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

func TestConfigure(t *testing.T) {
	fake := fakeapi.New("us-east-1")
	ts := httptest.NewServer(fake)
	defer ts.Close()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	ctx := context.Background()
	base := options{Region: "us-east-1", AccessKey: "k", SecretKey: "s", STSEndpoint: ts.URL, APIGatewayV2Endpoint: ts.URL}

	d, err := configure(ctx, base)
	if err != nil || d.accountID != fakeapi.Account {
		t.Errorf("configure: account %q, err %v; want the STS account", d.accountID, err)
	}
	o := base
	o.SkipCredentialsValidation, o.SkipRequestingAccountID = true, true
	o.STSEndpoint = "http://127.0.0.1:1" // never dialled
	if d, err := configure(ctx, o); err != nil || d.accountID != "" {
		t.Errorf("skipping STS: account %q, err %v; want no account", d.accountID, err)
	}
	o = base
	o.Region = ""
	if _, err := configure(ctx, o); err == nil || !strings.Contains(err.Error(), `set "region"`) {
		t.Errorf("no region: %v", err)
	}
	o = base
	o.AllowedAccountIDs = []string{"111111111111"}
	if _, err := configure(ctx, o); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("account not allowed: %v", err)
	}
	t.Setenv("AWS_ENDPOINT_URL_APIGATEWAYV2", ts.URL)
	o = base
	o.APIGatewayV2Endpoint = ""
	d, err = configure(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	fake.PutAPI(fakeapi.API{ApiId: "e1", Name: "env", ProtocolType: "HTTP"})
	r := &apiResource{data: d}
	m := nullAPI()
	m.ID = str("e1")
	if _, found, diags := r.readAPI(ctx, m); !found || diags.HasError() {
		t.Errorf("reading through AWS_ENDPOINT_URL_APIGATEWAYV2: found %v, %v", found, diags)
	}
}
