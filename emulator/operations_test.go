package emulator_test

import (
	"errors"
	"maps"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]{10}$`)

// must(call())(t, what) fails the test when call returns an error.
func must[T any](v T, err error) func(t *testing.T, what string) T {
	return func(t *testing.T, what string) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func wantErr[E error](t *testing.T, what string, err error) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("%s: got error %v, want %T", what, err, target)
	}
	return target
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if ae := wantErr[smithy.APIError](t, what, err); ae.ErrorCode() != code {
		t.Errorf("%s: error code %q, want %s", what, ae.ErrorCode(), code)
	}
}

func TestOperations(t *testing.T) {
	_, url := start(t, emulator.Options{})
	scenario(t, client(url, "us-east-1", nil))
}

// scenario drives every operation through the SDK and checks AWS's
// semantics. The model conformance test replays it under a recorder.
func scenario(t *testing.T, c *apigatewayv2.Client) {
	cx := ctx(t)

	// CreateApi fills in AWS's defaults and returns 201 with the API.
	api := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{
		Name: aws.String("Orders API"), ProtocolType: types.ProtocolTypeHttp,
		Tags:              map[string]string{"team": "orders"},
		CorsConfiguration: &types.Cors{AllowOrigins: []string{"https://example.com"}, MaxAge: aws.Int32(600)},
	}))(t, "CreateApi")
	id := aws.ToString(api.ApiId)
	if !idPattern.MatchString(id) {
		t.Fatalf("api id %q is not 10 lowercase alphanumerics", id)
	}
	if got, want := aws.ToString(api.ApiEndpoint), "https://"+id+".execute-api.us-east-1.amazonaws.com"; got != want {
		t.Errorf("apiEndpoint = %q, want %q", got, want)
	}
	if aws.ToString(api.RouteSelectionExpression) != "$request.method $request.path" ||
		aws.ToString(api.ApiKeySelectionExpression) != "$request.header.x-api-key" || api.IpAddressType != types.IpAddressTypeIpv4 {
		t.Errorf("defaults not filled in: %+v", api)
	}
	if api.CreatedDate == nil || api.Tags["team"] != "orders" {
		t.Errorf("createdDate or tags missing: %+v", api)
	}

	// UpdateApi is a PATCH: only members present change.
	upd := must(c.UpdateApi(cx, &apigatewayv2.UpdateApiInput{ApiId: &id, Description: aws.String("orders v2")}))(t, "UpdateApi")
	if aws.ToString(upd.Name) != "Orders API" || upd.CorsConfiguration == nil || aws.ToInt32(upd.CorsConfiguration.MaxAge) != 600 {
		t.Errorf("UpdateApi changed members not sent: %+v", upd)
	}
	upd = must(c.UpdateApi(cx, &apigatewayv2.UpdateApiInput{ApiId: &id,
		CorsConfiguration: &types.Cors{AllowMethods: []string{"GET"}}}))(t, "UpdateApi cors")
	if upd.CorsConfiguration.MaxAge != nil || len(upd.CorsConfiguration.AllowMethods) != 1 || aws.ToString(upd.Description) != "orders v2" {
		t.Errorf("UpdateApi should replace cors and keep description: %+v", upd.CorsConfiguration)
	}
	must(c.DeleteCorsConfiguration(cx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: &id}))(t, "DeleteCorsConfiguration")
	got := must(c.GetApi(cx, &apigatewayv2.GetApiInput{ApiId: &id}))(t, "GetApi")
	if got.CorsConfiguration != nil || aws.ToString(got.Description) != "orders v2" {
		t.Errorf("after DeleteCorsConfiguration: cors=%+v description=%q", got.CorsConfiguration, aws.ToString(got.Description))
	}

	// Route settings may only name existing routes; HTTP APIs have no
	// execution logs.
	must(c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: &id, RouteKey: aws.String("GET /orders")}))(t, "CreateRoute")
	_, err := c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: &id, StageName: aws.String("prod"),
		RouteSettings: map[string]types.RouteSettings{"GET /nope": {ThrottlingBurstLimit: aws.Int32(1)}}})
	wantErr[*types.BadRequestException](t, "CreateStage with unknown route key", err)
	_, err = c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: &id, StageName: aws.String("prod"),
		DefaultRouteSettings: &types.RouteSettings{LoggingLevel: types.LoggingLevelInfo}})
	wantErr[*types.BadRequestException](t, "CreateStage with loggingLevel on HTTP", err)

	st := must(c.CreateStage(cx, &apigatewayv2.CreateStageInput{
		ApiId: &id, StageName: aws.String("prod"), Description: aws.String("production"),
		AccessLogSettings:    &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:orders"), Format: aws.String("$context.requestId")},
		DefaultRouteSettings: &types.RouteSettings{ThrottlingBurstLimit: aws.Int32(100), ThrottlingRateLimit: aws.Float64(50)},
		RouteSettings:        map[string]types.RouteSettings{"GET /orders": {ThrottlingBurstLimit: aws.Int32(5)}},
		StageVariables:       map[string]string{"a": "1", "b": "2"},
		Tags:                 map[string]string{"env": "prod"},
	}))(t, "CreateStage")
	if st.CreatedDate == nil || st.LastUpdatedDate == nil || st.Tags["env"] != "prod" {
		t.Errorf("CreateStage output incomplete: %+v", st)
	}
	_, err = c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: &id, StageName: aws.String("prod")})
	wantErr[*types.ConflictException](t, "duplicate stage", err)

	// UpdateStage merges route settings member by member, removes stage
	// variables set to "" and clears access logs with an empty object.
	us := must(c.UpdateStage(cx, &apigatewayv2.UpdateStageInput{
		ApiId: &id, StageName: aws.String("prod"),
		DefaultRouteSettings: &types.RouteSettings{ThrottlingRateLimit: aws.Float64(75)},
		RouteSettings:        map[string]types.RouteSettings{"GET /orders": {ThrottlingRateLimit: aws.Float64(2.5)}},
		StageVariables:       map[string]string{"a": "", "c": "3"},
		AccessLogSettings:    &types.AccessLogSettings{},
	}))(t, "UpdateStage")
	if aws.ToString(us.Description) != "production" || us.AccessLogSettings != nil {
		t.Errorf("UpdateStage: description %q, accessLogSettings %+v", aws.ToString(us.Description), us.AccessLogSettings)
	}
	if d := us.DefaultRouteSettings; aws.ToInt32(d.ThrottlingBurstLimit) != 100 || aws.ToFloat64(d.ThrottlingRateLimit) != 75 {
		t.Errorf("defaultRouteSettings not merged: %+v", d)
	}
	if r := us.RouteSettings["GET /orders"]; aws.ToInt32(r.ThrottlingBurstLimit) != 5 || aws.ToFloat64(r.ThrottlingRateLimit) != 2.5 {
		t.Errorf("routeSettings not merged: %+v", r)
	}
	if want := map[string]string{"b": "2", "c": "3"}; !maps.Equal(us.StageVariables, want) {
		t.Errorf("stageVariables = %v, want %v", us.StageVariables, want)
	}
	must(c.UpdateStage(cx, &apigatewayv2.UpdateStageInput{ApiId: &id, StageName: aws.String("prod"),
		AccessLogSettings: &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:x"), Format: aws.String("$context.status")}}))(t, "UpdateStage access logs")
	must(c.DeleteAccessLogSettings(cx, &apigatewayv2.DeleteAccessLogSettingsInput{ApiId: &id, StageName: aws.String("prod")}))(t, "DeleteAccessLogSettings")
	must(c.DeleteRouteSettings(cx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: &id, StageName: aws.String("prod"), RouteKey: aws.String("GET /orders")}))(t, "DeleteRouteSettings")
	_, err = c.DeleteRouteSettings(cx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: &id, StageName: aws.String("prod"), RouteKey: aws.String("GET /orders")})
	wantErr[*types.NotFoundException](t, "DeleteRouteSettings twice", err)
	must(c.UpdateStage(cx, &apigatewayv2.UpdateStageInput{ApiId: &id, StageName: aws.String("prod"), DefaultRouteSettings: &types.RouteSettings{}}))(t, "UpdateStage clearing defaultRouteSettings")
	gs := must(c.GetStage(cx, &apigatewayv2.GetStageInput{ApiId: &id, StageName: aws.String("prod")}))(t, "GetStage")
	if gs.RouteSettings != nil || gs.AccessLogSettings != nil || gs.DefaultRouteSettings != nil {
		t.Errorf("removed settings still reported: %+v, %+v, %+v", gs.RouteSettings, gs.AccessLogSettings, gs.DefaultRouteSettings)
	}

	// CreateDeployment sets the stage's deploymentId.
	dep := must(c.CreateDeployment(cx, &apigatewayv2.CreateDeploymentInput{ApiId: &id, StageName: aws.String("prod")}))(t, "CreateDeployment")
	gs = must(c.GetStage(cx, &apigatewayv2.GetStageInput{ApiId: &id, StageName: aws.String("prod")}))(t, "GetStage")
	if aws.ToString(gs.DeploymentId) != aws.ToString(dep.DeploymentId) || dep.DeploymentStatus != types.DeploymentStatusDeployed {
		t.Errorf("deploymentId %q, deployment %+v", aws.ToString(gs.DeploymentId), dep)
	}
	deps := must(c.GetDeployments(cx, &apigatewayv2.GetDeploymentsInput{ApiId: &id}))(t, "GetDeployments")
	if len(deps.Items) != 1 {
		t.Errorf("GetDeployments: %d items, want 1", len(deps.Items))
	}
	must(c.GetRoutes(cx, &apigatewayv2.GetRoutesInput{ApiId: &id}))(t, "GetRoutes")

	// Tags, addressed by percent-encoded ARN, show up in GetStage.
	arn := "arn:aws:apigateway:us-east-1::/apis/" + id + "/stages/prod"
	must(c.TagResource(cx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"owner": "me", "tier": "1"}}))(t, "TagResource")
	must(c.UntagResource(cx, &apigatewayv2.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"tier", "env"}}))(t, "UntagResource")
	tags := must(c.GetTags(cx, &apigatewayv2.GetTagsInput{ResourceArn: &arn}))(t, "GetTags")
	if want := map[string]string{"owner": "me"}; !maps.Equal(tags.Tags, want) {
		t.Errorf("GetTags = %v, want %v", tags.Tags, want)
	}
	gs = must(c.GetStage(cx, &apigatewayv2.GetStageInput{ApiId: &id, StageName: aws.String("prod")}))(t, "GetStage")
	if !maps.Equal(gs.Tags, map[string]string{"owner": "me"}) {
		t.Errorf("stage tags = %v", gs.Tags)
	}
	apiTags := must(c.GetTags(cx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:us-east-1::/apis/" + id)}))(t, "GetTags api")
	if apiTags.Tags["team"] != "orders" {
		t.Errorf("api tags = %v", apiTags.Tags)
	}

	// Quick create makes a managed, auto-deploying $default stage.
	qc := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp,
		Target: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f")}))(t, "CreateApi quick")
	stages := must(c.GetStages(cx, &apigatewayv2.GetStagesInput{ApiId: qc.ApiId}))(t, "GetStages quick")
	if len(stages.Items) != 1 || aws.ToString(stages.Items[0].StageName) != "$default" ||
		!aws.ToBool(stages.Items[0].ApiGatewayManaged) || !aws.ToBool(stages.Items[0].AutoDeploy) || stages.Items[0].DeploymentId == nil {
		t.Errorf("quick-create stages = %+v", stages.Items)
	}
	// $default arrives percent-encoded as %24default.
	must(c.GetStage(cx, &apigatewayv2.GetStageInput{ApiId: qc.ApiId, StageName: aws.String("$default")}))(t, "GetStage $default")
	// The managed stage can't be modified; the quick-create target can, its
	// $default route key can't; deploymentId is fixed under autoDeploy.
	_, err = c.UpdateStage(cx, &apigatewayv2.UpdateStageInput{ApiId: qc.ApiId, StageName: aws.String("$default"), Description: aws.String("x")})
	wantErr[*types.BadRequestException](t, "UpdateStage of a managed stage", err)
	// DeleteStage does not model BadRequestException, so the SDK reports
	// the code on a generic error, as it would for AWS.
	_, err = c.DeleteStage(cx, &apigatewayv2.DeleteStageInput{ApiId: qc.ApiId, StageName: aws.String("$default")})
	wantCode(t, "DeleteStage of a managed stage", err, "BadRequestException")
	must(c.UpdateApi(cx, &apigatewayv2.UpdateApiInput{ApiId: qc.ApiId, Target: aws.String("https://example.com/new")}))(t, "UpdateApi target")
	_, err = c.UpdateApi(cx, &apigatewayv2.UpdateApiInput{ApiId: qc.ApiId, RouteKey: aws.String("GET /x")})
	wantErr[*types.BadRequestException](t, "UpdateApi $default routeKey", err)
	_, err = c.UpdateApi(cx, &apigatewayv2.UpdateApiInput{ApiId: &id, Target: aws.String("https://example.com/")})
	wantErr[*types.BadRequestException](t, "UpdateApi target of a non-quick-create API", err)
	must(c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: &id, StageName: aws.String("auto"), AutoDeploy: aws.Bool(true)}))(t, "CreateStage auto")
	_, err = c.UpdateStage(cx, &apigatewayv2.UpdateStageInput{ApiId: &id, StageName: aws.String("auto"), DeploymentId: dep.DeploymentId})
	wantErr[*types.BadRequestException](t, "deploymentId under autoDeploy", err)

	// WebSocket APIs need a route selection expression; unknown protocols
	// and missing names are rejected.
	for name, in := range map[string]*apigatewayv2.CreateApiInput{
		"websocket without routeSelectionExpression": {Name: aws.String("ws"), ProtocolType: types.ProtocolTypeWebsocket},
		"bad protocolType":                           {Name: aws.String("x"), ProtocolType: types.ProtocolType("GRPC")},
		"129-char name":                              {Name: aws.String(string(make([]byte, 129))), ProtocolType: types.ProtocolTypeHttp},
		"websocket quick create": {Name: aws.String("ws"), ProtocolType: types.ProtocolTypeWebsocket,
			RouteSelectionExpression: aws.String("$request.body.action"), Target: aws.String("arn:aws:lambda:us-east-1:1:function:f")},
	} {
		_, err := c.CreateApi(cx, in)
		wantErr[*types.BadRequestException](t, name, err)
	}
	ws := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("chat"), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action")}))(t, "CreateApi websocket")
	if aws.ToString(ws.ApiEndpoint) != "wss://"+aws.ToString(ws.ApiId)+".execute-api.us-east-1.amazonaws.com" {
		t.Errorf("websocket endpoint = %q", aws.ToString(ws.ApiEndpoint))
	}
	must(c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: ws.ApiId, RouteKey: aws.String("sendMessage")}))(t, "CreateRoute ws")
	wst := must(c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: ws.ApiId, StageName: aws.String("live"), AutoDeploy: aws.Bool(true),
		DefaultRouteSettings: &types.RouteSettings{LoggingLevel: types.LoggingLevelError, DataTraceEnabled: aws.Bool(true)},
		RouteSettings:        map[string]types.RouteSettings{"sendMessage": {LoggingLevel: types.LoggingLevelInfo}}}))(t, "CreateStage ws")
	if wst.DeploymentId == nil || wst.LastDeploymentStatusMessage == nil {
		t.Errorf("auto-deploying stage of an API with routes has no deployment: %+v", wst)
	}

	// DeleteStage / DeleteApi, then NotFoundException with resourceType.
	must(c.DeleteStage(cx, &apigatewayv2.DeleteStageInput{ApiId: &id, StageName: aws.String("prod")}))(t, "DeleteStage")
	_, err = c.GetStage(cx, &apigatewayv2.GetStageInput{ApiId: &id, StageName: aws.String("prod")})
	if nf := wantErr[*types.NotFoundException](t, "GetStage deleted", err); aws.ToString(nf.ResourceType) != "Stage" {
		t.Errorf("resourceType = %q, want Stage", aws.ToString(nf.ResourceType))
	}
	must(c.DeleteApi(cx, &apigatewayv2.DeleteApiInput{ApiId: &id}))(t, "DeleteApi")
	_, err = c.GetApi(cx, &apigatewayv2.GetApiInput{ApiId: &id})
	wantErr[*types.NotFoundException](t, "GetApi deleted", err)
	_, err = c.GetStages(cx, &apigatewayv2.GetStagesInput{ApiId: &id})
	wantErr[*types.NotFoundException](t, "GetStages of deleted api", err)
	_, err = c.GetApis(cx, &apigatewayv2.GetApisInput{NextToken: aws.String("garbage")})
	wantErr[*types.BadRequestException](t, "invalid nextToken", err)
	_, err = c.GetApis(cx, &apigatewayv2.GetApisInput{MaxResults: aws.String("0")})
	wantErr[*types.BadRequestException](t, "maxResults 0", err)
}

func TestRegionsAreIsolated(t *testing.T) {
	_, url := start(t, emulator.Options{})
	cx := ctx(t)
	us, eu := client(url, "us-east-1", nil), client(url, "eu-west-1", nil)
	a := must(us.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("a"), ProtocolType: types.ProtocolTypeHttp}))(t, "CreateApi")
	_, err := eu.GetApi(cx, &apigatewayv2.GetApiInput{ApiId: a.ApiId})
	wantErr[*types.NotFoundException](t, "GetApi from another region", err)
	list := must(eu.GetApis(cx, &apigatewayv2.GetApisInput{}))(t, "GetApis eu")
	if len(list.Items) != 0 {
		t.Errorf("eu-west-1 sees %d APIs of us-east-1", len(list.Items))
	}
}

func TestDemoSeedQuickCreate(t *testing.T) {
	seed := emutest.Seed(t, "demo.yaml")
	_, url := start(t, emulator.Options{Seed: seed})
	c := client(url, "us-east-1", nil)
	out := must(c.GetStages(ctx(t), &apigatewayv2.GetStagesInput{ApiId: aws.String("qk4cr8t3zz")}))(t, "GetStages")
	if len(out.Items) != 1 || !aws.ToBool(out.Items[0].ApiGatewayManaged) {
		t.Fatalf("demo quick-create API stages = %+v", out.Items)
	}
	apis := must(client(url, "eu-west-1", nil).GetApis(ctx(t), &apigatewayv2.GetApisInput{}))(t, "GetApis eu")
	if len(apis.Items) != 2 {
		t.Errorf("eu-west-1 has %d APIs, want 2", len(apis.Items))
	}
}

func TestManagedAPIIsReadOnly(t *testing.T) {
	seed := &emulator.Seed{Accounts: []emulator.AccountSeed{{ID: emulator.DefaultAccount, Regions: []emulator.RegionSeed{{
		Name: "us-east-1", APIs: []emulator.APISeed{{ID: "managed001", Name: "by-appsync", ProtocolType: "HTTP", APIGatewayManaged: true}},
	}}}}}
	_, url := start(t, emulator.Options{Seed: seed})
	c := client(url, "us-east-1", nil)
	got := must(c.GetApi(ctx(t), &apigatewayv2.GetApiInput{ApiId: aws.String("managed001")}))(t, "GetApi")
	if !aws.ToBool(got.ApiGatewayManaged) {
		t.Error("apiGatewayManaged not reported")
	}
	_, err := c.UpdateApi(ctx(t), &apigatewayv2.UpdateApiInput{ApiId: aws.String("managed001"), Description: aws.String("x")})
	wantErr[*types.BadRequestException](t, "UpdateApi of a managed API", err)
	_, err = c.DeleteApi(ctx(t), &apigatewayv2.DeleteApiInput{ApiId: aws.String("managed001")})
	wantCode(t, "DeleteApi of a managed API", err, "BadRequestException")
}
