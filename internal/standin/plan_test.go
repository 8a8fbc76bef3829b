package standin

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func planData() *providerData {
	return &providerData{region: "us-east-1", accountID: "123456789012", tags: tagPolicy{defaults: map[string]string{"owner": "platform"}}}
}

// minimalStageConfig is a configuration that sets only what it must.
func minimalStageConfig(apiID, name string) stageModel {
	c := nullStage()
	c.APIID, c.Name = str(apiID), str(name)
	c.AccessLogSettings = types.ListValueMust(accessLogType, nil)
	c.DefaultRouteSettings = types.ListValueMust(defaultRouteType, nil)
	c.RouteSettings = types.SetValueMust(routeSettingType, nil)
	return c
}

// A configuration that omits what the API left unset plans no change
// against the state Read stores: the property generated configurations
// rely on.
func TestPlanStageMinimalConfigIsClean(t *testing.T) {
	ctx := context.Background()
	d := planData()
	state, diags := d.flattenStage(ctx, priorStage("a1"), &apigatewayv2.GetStageOutput{
		StageName:            aws.String("prod"),
		DeploymentId:         aws.String("dep1"),
		DefaultRouteSettings: &awstypes.RouteSettings{DetailedMetricsEnabled: aws.Bool(true)},
		RouteSettings: map[string]awstypes.RouteSettings{
			"GET /x": {ThrottlingRateLimit: aws.Float64(2)},
		},
		Tags: map[string]string{"owner": "platform"},
	}, "HTTP", "us-east-1")
	if diags.HasError() {
		t.Fatal(diags)
	}

	cfg := minimalStageConfig("a1", "prod")
	cfg.RouteSettings = set(t, routeSettingType, routeSettingModel{
		DataTraceEnabled: types.BoolNull(), DetailedMetricsEnabled: types.BoolNull(), LoggingLevel: types.StringNull(),
		RouteKey: str("GET /x"), ThrottlingBurstLimit: types.Int64Null(), ThrottlingRateLimit: types.Float64Value(2),
	})
	// default_route_settings is left out: the real schema suppresses that.
	planned, replace, diags := d.planStage(ctx, cfg, state, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(replace) > 0 {
		t.Errorf("replace %v, want none", replace)
	}
	assertEqualStage(t, planned, state)
}

func assertEqualStage(t *testing.T, got, want stageModel) {
	t.Helper()
	g, w := rawOf(t, stageSchema(), got), rawOf(t, stageSchema(), want)
	if !g.Equal(w) {
		diffs, _ := g.Diff(w)
		for _, d := range diffs {
			t.Errorf("differs at %s: got %v, want %v", d.Path, d.Value1, d.Value2)
		}
	}
}

func TestPlanStageCreate(t *testing.T) {
	ctx := context.Background()
	d := planData()
	cfg := minimalStageConfig("a1", "prod")
	cfg.Tags = strMap(map[string]string{"env": "test"})
	cfg.DefaultRouteSettings = list(t, defaultRouteType, defaultRouteModel{
		DataTraceEnabled: types.BoolNull(), DetailedMetricsEnabled: types.BoolNull(), LoggingLevel: types.StringNull(),
		ThrottlingBurstLimit: types.Int64Value(10), ThrottlingRateLimit: types.Float64Null(),
	})
	p, replace, diags := d.planStage(ctx, cfg, nullStage(), true)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(replace) > 0 {
		t.Errorf("replace on create: %v", replace)
	}
	if !p.AutoDeploy.Equal(types.BoolValue(false)) {
		t.Errorf("auto_deploy = %v, want the default false", p.AutoDeploy)
	}
	if !p.Description.IsNull() || !p.ClientCertificateID.IsNull() {
		t.Errorf("unset strings on create = %v %v, want null as SDKv2 plans them", p.Description, p.ClientCertificateID)
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"id": p.ID, "arn": p.ARN, "execution_arn": p.ExecutionARN, "invoke_url": p.InvokeURL, "deployment_id": p.DeploymentID,
	} {
		if !v.IsUnknown() {
			t.Errorf("%s is known on create", name)
		}
	}
	if want := strMap(map[string]string{"env": "test", "owner": "platform"}); !p.TagsAll.Equal(want) {
		t.Errorf("tags_all = %v, want %v", p.TagsAll, want)
	}
	if p.Region.ValueString() != "us-east-1" {
		t.Errorf("region = %v, want the provider's", p.Region)
	}
	var def []defaultRouteModel
	p.DefaultRouteSettings.ElementsAs(ctx, &def, false)
	if len(def) != 1 || !def[0].DataTraceEnabled.Equal(types.BoolValue(false)) || !def[0].ThrottlingRateLimit.Equal(types.Float64Value(0)) || !def[0].LoggingLevel.IsUnknown() {
		t.Errorf("default_route_settings = %+v, want defaults, 0 for the unset throttle and an unknown logging_level", def)
	}
}

func TestPlanStageChanges(t *testing.T) {
	ctx := context.Background()
	d := planData()
	state, diags := d.flattenStage(ctx, priorStage("a1"), &apigatewayv2.GetStageOutput{
		StageName: aws.String("prod"), Description: aws.String("old"), Tags: map[string]string{"owner": "platform"},
	}, "HTTP", "us-east-1")
	if diags.HasError() {
		t.Fatal(diags)
	}

	// Removing the description plans "", which Update sends to clear it.
	p, _, _ := d.planStage(ctx, minimalStageConfig("a1", "prod"), state, false)
	if !p.Description.Equal(str("")) || !p.ARN.Equal(state.ARN) {
		t.Errorf("description = %v arn = %v, want \"\" and the prior arn", p.Description, p.ARN)
	}

	// A new api_id replaces the stage, and then nothing is carried over.
	p, replace, _ := d.planStage(ctx, minimalStageConfig("a2", "prod"), state, false)
	if len(replace) != 1 || !replace[0].Equal(path.Root("api_id")) || !p.ARN.IsUnknown() {
		t.Errorf("replace = %v arn = %v, want api_id replaced and an unknown arn", replace, p.ARN)
	}

	// Another region replaces it; unset versus the provider's region does not.
	cfg := minimalStageConfig("a1", "prod")
	cfg.Region = str("eu-west-1")
	if _, replace, _ := d.planStage(ctx, cfg, state, false); len(replace) != 1 || !replace[0].Equal(path.Root("region")) {
		t.Errorf("region change: replace = %v", replace)
	}
	old := state
	old.Region = types.StringNull()
	if _, replace, _ := d.planStage(ctx, minimalStageConfig("a1", "prod"), old, false); len(replace) != 0 {
		t.Errorf("state without region: replace = %v, want none", replace)
	}
}

func TestPlanAPI(t *testing.T) {
	ctx := context.Background()
	d := planData()
	state, diags := d.flattenAPI(ctx, func() apiModel {
		m := nullAPI()
		m.Body = str(`{"openapi": "3.0.1", "info": {"title": "x"}}`)
		return m
	}(),
		&apigatewayv2.GetApiOutput{
			ApiId: aws.String("a1"), Name: aws.String("orders"), ProtocolType: awstypes.ProtocolTypeHttp,
			ApiKeySelectionExpression: aws.String(defaultAPIKeySelectionExpression),
			RouteSelectionExpression:  aws.String(defaultRouteSelectionExpression),
			CorsConfiguration:         &awstypes.Cors{AllowMethods: []string{"GET", "POST"}, MaxAge: aws.Int32(60)},
			IpAddressType:             awstypes.IpAddressTypeIpv4,
			Tags:                      map[string]string{"owner": "platform"},
		}, "us-east-1")
	if diags.HasError() {
		t.Fatal(diags)
	}
	cfg := nullAPI()
	cfg.Name, cfg.ProtocolType = str("orders"), str("HTTP")
	cfg.Body = str("openapi: 3.0.1\ninfo:\n  title: x\n") // the same document as YAML
	cfg.CorsConfiguration = list(t, corsType, corsModel{
		AllowCredentials: types.BoolNull(), AllowHeaders: types.SetNull(types.StringType),
		AllowMethods: setValue([]string{"post", "get"}), AllowOrigins: types.SetNull(types.StringType),
		ExposeHeaders: types.SetNull(types.StringType), MaxAge: types.Int64Value(60),
	})
	p, replace, diags := d.planAPI(ctx, cfg, state, false)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(replace) > 0 {
		t.Errorf("replace = %v", replace)
	}
	g, w := rawOf(t, apiSchema(), p), rawOf(t, apiSchema(), state)
	if !g.Equal(w) {
		diffs, _ := g.Diff(w)
		for _, d := range diffs {
			t.Errorf("differs at %s: got %v, want %v", d.Path, d.Value1, d.Value2)
		}
	}

	create, _, _ := d.planAPI(ctx, cfg, nullAPI(), true)
	if create.APIKeySelectionExpression.ValueString() != defaultAPIKeySelectionExpression ||
		create.RouteSelectionExpression.ValueString() != defaultRouteSelectionExpression {
		t.Errorf("defaults not planned: %v %v", create.APIKeySelectionExpression, create.RouteSelectionExpression)
	}
	cfg.Target = str("arn:aws:lambda:us-east-1:1:function:f")
	if _, replace, _ := d.planAPI(ctx, cfg, state, false); len(replace) != 1 || !replace[0].Equal(path.Root("target")) {
		t.Errorf("adding target: replace = %v, want target", replace)
	}
}
