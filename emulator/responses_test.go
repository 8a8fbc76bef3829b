package emulator_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// TestWebSocketResponseOperations drives models and route and integration
// responses through the SDK: they exist only on WebSocket APIs, keys are
// unique per parent, models are referred to by name and cannot go while a
// route uses them, and a parent's delete takes its responses with it.
func TestWebSocketResponseOperations(t *testing.T) {
	_, url := start(t, emulator.Options{})
	c := client(url, "us-east-1", nil)
	cx := ctx(t)
	ws := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("ws"), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action")}))(t, "CreateApi")
	http := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("http"), ProtocolType: types.ProtocolTypeHttp}))(t, "CreateApi HTTP")

	m := must(c.CreateModel(cx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Msg"), ContentType: aws.String("application/json"),
		Schema: aws.String(`{"type":"object"}`)}))(t, "CreateModel")
	_, err := c.CreateModel(cx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Msg"), Schema: aws.String("{}")})
	wantCode(t, "a model name twice", err, "ConflictException")
	_, err = c.CreateModel(cx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("not-alnum"), Schema: aws.String("{}")})
	wantCode(t, "a model name with a dash", err, "BadRequestException")
	_, err = c.CreateModel(cx, &apigatewayv2.CreateModelInput{ApiId: http.ApiId, Name: aws.String("Msg"), Schema: aws.String("{}")})
	wantCode(t, "a model of an HTTP API", err, "BadRequestException")

	x := must(c.CreateIntegration(cx, &apigatewayv2.CreateIntegrationInput{ApiId: ws.ApiId, IntegrationType: types.IntegrationTypeMock}))(t, "CreateIntegration")
	_, err = c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: ws.ApiId, RouteKey: aws.String("bad"), RequestModels: map[string]string{"$default": "Nope"}})
	wantCode(t, "a route naming a missing model", err, "BadRequestException")
	r := must(c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: ws.ApiId, RouteKey: aws.String("send"), ModelSelectionExpression: aws.String("$request.body.type"),
		RequestModels: map[string]string{"$default": "Msg"}, Target: aws.String("integrations/" + aws.ToString(x.IntegrationId))}))(t, "CreateRoute")

	rr := must(c.CreateRouteResponse(cx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseKey: aws.String("$default"),
		ResponseModels: map[string]string{"$default": "Msg"}}))(t, "CreateRouteResponse")
	_, err = c.CreateRouteResponse(cx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseKey: aws.String("$default")})
	wantCode(t, "a route response key twice", err, "ConflictException")
	_, err = c.CreateRouteResponse(cx, &apigatewayv2.CreateRouteResponseInput{ApiId: ws.ApiId, RouteId: aws.String("nope123"), RouteResponseKey: aws.String("$default")})
	wantCode(t, "a response of a missing route", err, "NotFoundException")
	urr := must(c.UpdateRouteResponse(cx, &apigatewayv2.UpdateRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: rr.RouteResponseId,
		ModelSelectionExpression: aws.String("$default")}))(t, "UpdateRouteResponse")
	if aws.ToString(urr.ModelSelectionExpression) != "$default" || urr.ResponseModels["$default"] != "Msg" {
		t.Errorf("UpdateRouteResponse = %+v", urr)
	}
	if got := must(c.GetRouteResponses(cx, &apigatewayv2.GetRouteResponsesInput{ApiId: ws.ApiId, RouteId: r.RouteId}))(t, "GetRouteResponses"); len(got.Items) != 1 {
		t.Errorf("GetRouteResponses = %+v", got.Items)
	}

	ir := must(c.CreateIntegrationResponse(cx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId,
		IntegrationResponseKey: aws.String("$default"), ResponseTemplates: map[string]string{"application/json": "{}"},
		ContentHandlingStrategy: types.ContentHandlingStrategyConvertToText}))(t, "CreateIntegrationResponse")
	_, err = c.CreateIntegrationResponse(cx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId, IntegrationResponseKey: aws.String("$default")})
	wantCode(t, "an integration response key twice", err, "ConflictException")
	uir := must(c.UpdateIntegrationResponse(cx, &apigatewayv2.UpdateIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId,
		IntegrationResponseId: ir.IntegrationResponseId, TemplateSelectionExpression: aws.String("$default")}))(t, "UpdateIntegrationResponse")
	if aws.ToString(uir.TemplateSelectionExpression) != "$default" || uir.ContentHandlingStrategy != types.ContentHandlingStrategyConvertToText {
		t.Errorf("UpdateIntegrationResponse = %+v", uir)
	}
	must(c.GetIntegrationResponse(cx, &apigatewayv2.GetIntegrationResponseInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId}))(t, "GetIntegrationResponse")

	_, err = c.DeleteModel(cx, &apigatewayv2.DeleteModelInput{ApiId: ws.ApiId, ModelId: m.ModelId})
	wantCode(t, "deleting a model a route uses", err, "ConflictException")
	must(c.UpdateModel(cx, &apigatewayv2.UpdateModelInput{ApiId: ws.ApiId, ModelId: m.ModelId, Description: aws.String("changed")}))(t, "UpdateModel")
	if got := must(c.GetModel(cx, &apigatewayv2.GetModelInput{ApiId: ws.ApiId, ModelId: m.ModelId}))(t, "GetModel"); aws.ToString(got.Description) != "changed" {
		t.Errorf("GetModel after UpdateModel = %+v", got)
	}
	must(c.DeleteRouteResponse(cx, &apigatewayv2.DeleteRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: rr.RouteResponseId}))(t, "DeleteRouteResponse")
	_, err = c.GetRouteResponse(cx, &apigatewayv2.GetRouteResponseInput{ApiId: ws.ApiId, RouteId: r.RouteId, RouteResponseId: rr.RouteResponseId})
	wantCode(t, "GetRouteResponse after delete", err, "NotFoundException")
	must(c.DeleteRoute(cx, &apigatewayv2.DeleteRouteInput{ApiId: ws.ApiId, RouteId: r.RouteId}))(t, "DeleteRoute")
	must(c.DeleteModel(cx, &apigatewayv2.DeleteModelInput{ApiId: ws.ApiId, ModelId: m.ModelId}))(t, "DeleteModel")
	must(c.DeleteIntegration(cx, &apigatewayv2.DeleteIntegrationInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId}))(t, "DeleteIntegration")
	_, err = c.GetIntegrationResponses(cx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: ws.ApiId, IntegrationId: x.IntegrationId})
	wantCode(t, "the responses of a deleted integration", err, "NotFoundException")
}

// TestAWSCLIWebSocketResponses reads the demo's WebSocket children and
// changes a route response through botocore's own serialisers and parsers.
func TestAWSCLIWebSocketResponses(t *testing.T) {
	needAWSCLI(t)
	seed, err := emulator.LoadSeedFile("../testdata/accounts/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, url := start(t, emulator.Options{Seed: seed})
	cli := awsCLI{t: t, url: url}
	models := cli.ok("get-models", "--api-id", "chat9w5s0c")["Items"].([]any)
	if m := models[0].(map[string]any); len(models) != 1 || m["Name"] != "ChatMessage" || m["ModelId"] != "mdlmsg1" {
		t.Errorf("get-models = %v", models)
	}
	rrs := cli.ok("get-route-responses", "--api-id", "chat9w5s0c", "--route-id", "rsendms")["Items"].([]any)
	if rr := rrs[0].(map[string]any); len(rrs) != 1 || rr["RouteResponseKey"] != "$default" || rr["ResponseModels"].(map[string]any)["$default"] != "ChatMessage" {
		t.Errorf("get-route-responses = %v", rrs)
	}
	ir := cli.ok("get-integration-response", "--api-id", "chat9w5s0c", "--integration-id", "chatmck", "--integration-response-id", "irmock1")
	if ir["TemplateSelectionExpression"] != "application/json" || ir["ResponseTemplates"].(map[string]any)["application/json"] == nil {
		t.Errorf("get-integration-response = %v", ir)
	}
	got := cli.ok("update-route-response", "--api-id", "chat9w5s0c", "--route-id", "rsendms", "--route-response-id", "rrsend1",
		"--model-selection-expression", "$request.body.kind")
	if got["ModelSelectionExpression"] != "$request.body.kind" || got["RouteResponseId"] != "rrsend1" {
		t.Errorf("update-route-response = %v", got)
	}
	m := cli.ok("create-model", "--api-id", "chat9w5s0c", "--name", "Ack", "--schema", `{"type":"object"}`, "--content-type", "application/json")
	cli.ok("delete-model", "--api-id", "chat9w5s0c", "--model-id", m["ModelId"].(string))
	cli.fails("ConflictException", "delete-model", "--api-id", "chat9w5s0c", "--model-id", "mdlmsg1")
	x := cli.ok("create-integration-response", "--api-id", "chat9w5s0c", "--integration-id", "chatfn1", "--integration-response-key", "/4\\d\\d/")
	cli.ok("delete-integration-response", "--api-id", "chat9w5s0c", "--integration-id", "chatfn1", "--integration-response-id", x["IntegrationResponseId"].(string))
	cli.fails("NotFoundException", "get-route-response", "--api-id", "chat9w5s0c", "--route-id", "rsendms", "--route-response-id", "nope123")
}
