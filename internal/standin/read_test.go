package standin

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func priorStage(apiID string) stageModel {
	m := nullStage()
	m.APIID = str(apiID)
	return m
}

func TestFlattenStageAbsentBlocks(t *testing.T) {
	d := &providerData{region: "us-east-1", accountID: "123456789012"}
	m, diags := d.flattenStage(context.Background(), priorStage("a1"), &apigatewayv2.GetStageOutput{
		StageName: aws.String("prod"),
	}, "HTTP", "us-east-1")
	if diags.HasError() {
		t.Fatal(diags)
	}
	for name, v := range map[string]interface{ IsNull() bool }{
		"client_certificate_id": m.ClientCertificateID, "description": m.Description, "deployment_id": m.DeploymentID,
		"auto_deploy": m.AutoDeploy, "stage_variables": m.StageVariables, "tags": m.Tags, "tags_all": m.TagsAll,
	} {
		if v.IsNull() {
			t.Errorf("%s is null; SDKv2 stores a zero value", name)
		}
	}
	if m.Description.ValueString() != "" || m.AutoDeploy.ValueBool() {
		t.Errorf("description %q auto_deploy %v, want \"\" and false", m.Description.ValueString(), m.AutoDeploy.ValueBool())
	}
	for name, l := range map[string]int{
		"access_log_settings":    len(m.AccessLogSettings.Elements()),
		"default_route_settings": len(m.DefaultRouteSettings.Elements()),
		"route_settings":         len(m.RouteSettings.Elements()),
	} {
		if l != 0 {
			t.Errorf("%s has %d elements, want no block", name, l)
		}
	}
	for got, want := range map[string]string{
		m.ID.ValueString():           "prod",
		m.ARN.ValueString():          "arn:aws:apigateway:us-east-1::/apis/a1/stages/prod",
		m.ExecutionARN.ValueString(): "arn:aws:execute-api:us-east-1:123456789012:a1/prod",
		m.InvokeURL.ValueString():    "https://a1.execute-api.us-east-1.amazonaws.com/prod",
		m.Region.ValueString():       "us-east-1",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestFlattenStageRouteSettings(t *testing.T) {
	ctx := context.Background()
	d := &providerData{region: "us-east-1"}
	m, diags := d.flattenStage(ctx, priorStage("w1"), &apigatewayv2.GetStageOutput{
		StageName:            aws.String("live"),
		DefaultRouteSettings: &awstypes.RouteSettings{DetailedMetricsEnabled: aws.Bool(true)},
		RouteSettings: map[string]awstypes.RouteSettings{
			"$connect": {LoggingLevel: awstypes.LoggingLevelInfo, ThrottlingRateLimit: aws.Float64(2.5)},
		},
		AccessLogSettings: &awstypes.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:1:log-group:g:*"), Format: aws.String("f")},
	}, "WEBSOCKET", "eu-west-1")
	if diags.HasError() {
		t.Fatal(diags)
	}
	var def []defaultRouteModel
	m.DefaultRouteSettings.ElementsAs(ctx, &def, false)
	want := defaultRouteModel{
		DataTraceEnabled: types.BoolValue(false), DetailedMetricsEnabled: types.BoolValue(true),
		LoggingLevel: str(""), ThrottlingBurstLimit: types.Int64Value(0), ThrottlingRateLimit: types.Float64Value(0),
	}
	if len(def) != 1 || !list(t, defaultRouteType, def[0]).Equal(list(t, defaultRouteType, want)) {
		t.Errorf("default_route_settings = %v, want missing throttles as 0 and logging_level \"\"", def)
	}
	var routes []routeSettingModel
	m.RouteSettings.ElementsAs(ctx, &routes, false)
	wantRoute := routeSettingModel{
		DataTraceEnabled: types.BoolValue(false), DetailedMetricsEnabled: types.BoolValue(false),
		LoggingLevel: str("INFO"), RouteKey: str("$connect"),
		ThrottlingBurstLimit: types.Int64Value(0), ThrottlingRateLimit: types.Float64Value(2.5),
	}
	if len(routes) != 1 || !containsRoute(routes, wantRoute) {
		t.Errorf("route_settings = %v, want %v", routes, wantRoute)
	}
	var logs []accessLogModel
	m.AccessLogSettings.ElementsAs(ctx, &logs, false)
	if len(logs) != 1 || logs[0].DestinationARN.ValueString() != "arn:aws:logs:us-east-1:1:log-group:g:*" {
		t.Errorf("access_log_settings = %v, want the ARN untrimmed", logs)
	}
	if got := m.InvokeURL.ValueString(); got != "wss://w1.execute-api.eu-west-1.amazonaws.com/live" {
		t.Errorf("invoke_url = %s", got)
	}
	if got := m.ExecutionARN.ValueString(); got != "arn:aws:execute-api:eu-west-1::w1/live" {
		t.Errorf("execution_arn = %s, want an empty account when none was requested", got)
	}
}

func TestTagsRead(t *testing.T) {
	p := tagPolicy{defaults: map[string]string{"owner": "platform", "env": "prod"}, ignoreKeys: []string{"secret"}}
	api := map[string]string{"owner": "platform", "env": "dev", "team": "a", "aws:cloudformation:stack-name": "s", "secret": "x"}
	tags, all := p.read(api, map[string]string{})
	if got, want := tags, strMap(map[string]string{"env": "dev", "team": "a"}); !got.Equal(want) {
		t.Errorf("tags = %v, want %v (defaults with equal values and ignored keys removed)", got, want)
	}
	if got, want := all, strMap(map[string]string{"owner": "platform", "env": "dev", "team": "a"}); !got.Equal(want) {
		t.Errorf("tags_all = %v, want %v", got, want)
	}
	tags, _ = p.read(api, map[string]string{"owner": "platform"})
	if got, want := tags, strMap(map[string]string{"owner": "platform", "env": "dev", "team": "a"}); !got.Equal(want) {
		t.Errorf("tags with owner configured = %v, want %v", got, want)
	}
	set, remove := diffTags(map[string]string{"a": "1", "b": "2", "c": "3"}, map[string]string{"a": "1", "b": "9", "d": "4"})
	if len(set) != 2 || set["b"] != "9" || set["d"] != "4" || len(remove) != 1 || remove[0] != "c" {
		t.Errorf("diffTags = %v, %v", set, remove)
	}
}

func TestFlattenAPI(t *testing.T) {
	ctx := context.Background()
	d := &providerData{region: "us-east-1", accountID: "123456789012"}
	prior := nullAPI()
	prior.ID = str("a1")
	prior.Body = str(`{"openapi":"3.0.1"}`)
	prior.Target = str("arn:aws:lambda:us-east-1:1:function:f")
	m, diags := d.flattenAPI(ctx, prior, &apigatewayv2.GetApiOutput{
		ApiId: aws.String("a1"), Name: aws.String("orders"), ProtocolType: awstypes.ProtocolTypeHttp,
		ApiEndpoint:               aws.String("https://a1.execute-api.us-east-1.amazonaws.com"),
		ApiKeySelectionExpression: aws.String("$request.header.x-api-key"),
		RouteSelectionExpression:  aws.String("$request.method $request.path"),
		IpAddressType:             awstypes.IpAddressTypeIpv4,
	}, "us-east-1")
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !m.Body.Equal(prior.Body) || !m.Target.Equal(prior.Target) || !m.RouteKey.IsNull() || !m.CredentialsARN.IsNull() || !m.FailOnWarnings.IsNull() {
		t.Errorf("write-only arguments not kept from prior state: body %v target %v route_key %v", m.Body, m.Target, m.RouteKey)
	}
	if len(m.CorsConfiguration.Elements()) != 0 {
		t.Errorf("cors_configuration = %v, want no block", m.CorsConfiguration)
	}
	if m.Description.ValueString() != "" || m.Description.IsNull() || m.DisableExecuteAPIEndpoint.ValueBool() {
		t.Errorf("description %v disable_execute_api_endpoint %v", m.Description, m.DisableExecuteAPIEndpoint)
	}
	if got := m.ExecutionARN.ValueString(); got != "arn:aws:execute-api:us-east-1:123456789012:a1" {
		t.Errorf("execution_arn = %s", got)
	}
	if got := m.IPAddressType.ValueString(); got != "ipv4" {
		t.Errorf("ip_address_type = %s", got)
	}
}
