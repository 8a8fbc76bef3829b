package emulator_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/emulator"
)

func TestChildOperations(t *testing.T) {
	_, url := start(t, emulator.Options{})
	childScenario(t, client(url, "us-east-1", nil))
}

// childScenario drives the route, integration and authorizer operations
// and checks the semantics import depends on: what create fills in, route
// targets and authorizers that must exist and fit, and deletes refused
// while a route still uses an integration or an authorizer.
func childScenario(t *testing.T, c *apigatewayv2.Client) {
	cx := ctx(t)
	api := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("children"), ProtocolType: types.ProtocolTypeHttp}))(t, "CreateApi")
	id := api.ApiId

	x := must(c.CreateIntegration(cx, &apigatewayv2.CreateIntegrationInput{ApiId: id, IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:f"), PayloadFormatVersion: aws.String("2.0")}))(t, "CreateIntegration")
	if x.ConnectionType != types.ConnectionTypeInternet || aws.ToString(x.IntegrationMethod) != "POST" || aws.ToInt32(x.TimeoutInMillis) != 30000 || x.PassthroughBehavior != "" {
		t.Errorf("CreateIntegration defaults = %+v", x)
	}
	_, err := c.CreateIntegration(cx, &apigatewayv2.CreateIntegrationInput{ApiId: id, IntegrationType: types.IntegrationTypeHttpProxy, IntegrationUri: aws.String("https://x.example")})
	wantCode(t, "HTTP_PROXY without a method", err, "BadRequestException")
	_, err = c.CreateIntegration(cx, &apigatewayv2.CreateIntegrationInput{ApiId: id, IntegrationType: types.IntegrationTypeMock})
	wantCode(t, "MOCK on an HTTP API", err, "BadRequestException")

	jwt := must(c.CreateAuthorizer(cx, &apigatewayv2.CreateAuthorizerInput{ApiId: id, AuthorizerType: types.AuthorizerTypeJwt, Name: aws.String("jwt"),
		IdentitySource:   []string{"$request.header.Authorization"},
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://issuer.example"), Audience: []string{"a"}}}))(t, "CreateAuthorizer JWT")
	lambda := must(c.CreateAuthorizer(cx, &apigatewayv2.CreateAuthorizerInput{ApiId: id, AuthorizerType: types.AuthorizerTypeRequest, Name: aws.String("lambda"),
		IdentitySource: []string{"$request.header.x-key"}, AuthorizerPayloadFormatVersion: aws.String("2.0"), EnableSimpleResponses: aws.Bool(true),
		AuthorizerUri: aws.String("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations")}))(t, "CreateAuthorizer REQUEST")
	if lambda.AuthorizerResultTtlInSeconds == nil || *lambda.AuthorizerResultTtlInSeconds != 0 || jwt.AuthorizerResultTtlInSeconds != nil {
		t.Errorf("authorizer TTLs: REQUEST %v, JWT %v; want 0 and absent", lambda.AuthorizerResultTtlInSeconds, jwt.AuthorizerResultTtlInSeconds)
	}
	_, err = c.CreateAuthorizer(cx, &apigatewayv2.CreateAuthorizerInput{ApiId: id, AuthorizerType: types.AuthorizerTypeJwt, Name: aws.String("no issuer"),
		IdentitySource: []string{"$request.header.Authorization"}})
	wantCode(t, "JWT without an issuer", err, "BadRequestException")

	target := aws.String("integrations/" + aws.ToString(x.IntegrationId))
	r := must(c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: id, RouteKey: aws.String("GET /pets"), Target: target,
		AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: []string{"pets/read"}}))(t, "CreateRoute")
	_, err = c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: id, RouteKey: aws.String("GET /x"), Target: aws.String("integrations/nope123")})
	wantCode(t, "route to a missing integration", err, "BadRequestException")
	_, err = c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: id, RouteKey: aws.String("GET /y"), AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: jwt.AuthorizerId})
	wantCode(t, "CUSTOM with a JWT authorizer", err, "BadRequestException")
	_, err = c.CreateRoute(cx, &apigatewayv2.CreateRouteInput{ApiId: id, RouteKey: aws.String("GET /pets")})
	wantCode(t, "duplicate route key", err, "ConflictException")

	// A route's authorizer is what people break: moving it to another
	// one needs the type that fits.
	up := must(c.UpdateRoute(cx, &apigatewayv2.UpdateRouteInput{ApiId: id, RouteId: r.RouteId, AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: lambda.AuthorizerId}))(t, "UpdateRoute")
	if aws.ToString(up.AuthorizerId) != aws.ToString(lambda.AuthorizerId) || up.AuthorizationType != types.AuthorizationTypeCustom || len(up.AuthorizationScopes) != 0 {
		t.Errorf("UpdateRoute = %+v", up)
	}
	got := must(c.GetRoute(cx, &apigatewayv2.GetRouteInput{ApiId: id, RouteId: r.RouteId}))(t, "GetRoute")
	if aws.ToString(got.Target) != aws.ToString(target) || got.AuthorizationType != types.AuthorizationTypeCustom {
		t.Errorf("GetRoute = %+v", got)
	}
	none := must(c.UpdateRoute(cx, &apigatewayv2.UpdateRouteInput{ApiId: id, RouteId: r.RouteId, AuthorizationType: types.AuthorizationTypeNone}))(t, "UpdateRoute NONE")
	if none.AuthorizerId != nil {
		t.Errorf("authorization NONE kept authorizer %s", aws.ToString(none.AuthorizerId))
	}
	must(c.UpdateRoute(cx, &apigatewayv2.UpdateRouteInput{ApiId: id, RouteId: r.RouteId, AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: jwt.AuthorizerId}))(t, "UpdateRoute JWT")

	ux := must(c.UpdateIntegration(cx, &apigatewayv2.UpdateIntegrationInput{ApiId: id, IntegrationId: x.IntegrationId,
		IntegrationUri: aws.String("arn:aws:lambda:us-east-1:123456789012:function:g"), RequestParameters: map[string]string{"overwrite:path": "/v2"}}))(t, "UpdateIntegration")
	if aws.ToString(ux.IntegrationUri) != "arn:aws:lambda:us-east-1:123456789012:function:g" || ux.RequestParameters["overwrite:path"] != "/v2" {
		t.Errorf("UpdateIntegration = %+v", ux)
	}
	ux = must(c.UpdateIntegration(cx, &apigatewayv2.UpdateIntegrationInput{ApiId: id, IntegrationId: x.IntegrationId, RequestParameters: map[string]string{"overwrite:path": ""}}))(t, "UpdateIntegration remove parameter")
	if len(ux.RequestParameters) != 0 {
		t.Errorf("a request parameter set to \"\" stayed: %v", ux.RequestParameters)
	}
	must(c.GetIntegration(cx, &apigatewayv2.GetIntegrationInput{ApiId: id, IntegrationId: x.IntegrationId}))(t, "GetIntegration")
	must(c.GetIntegrations(cx, &apigatewayv2.GetIntegrationsInput{ApiId: id}))(t, "GetIntegrations")
	must(c.GetAuthorizers(cx, &apigatewayv2.GetAuthorizersInput{ApiId: id}))(t, "GetAuthorizers")
	must(c.GetAuthorizer(cx, &apigatewayv2.GetAuthorizerInput{ApiId: id, AuthorizerId: jwt.AuthorizerId}))(t, "GetAuthorizer")
	must(c.UpdateAuthorizer(cx, &apigatewayv2.UpdateAuthorizerInput{ApiId: id, AuthorizerId: jwt.AuthorizerId, Name: aws.String("renamed")}))(t, "UpdateAuthorizer")

	_, err = c.DeleteIntegration(cx, &apigatewayv2.DeleteIntegrationInput{ApiId: id, IntegrationId: x.IntegrationId})
	wantCode(t, "deleting a routed integration", err, "ConflictException")
	_, err = c.DeleteAuthorizer(cx, &apigatewayv2.DeleteAuthorizerInput{ApiId: id, AuthorizerId: jwt.AuthorizerId})
	wantCode(t, "deleting a used authorizer", err, "ConflictException")
	must(c.DeleteRoute(cx, &apigatewayv2.DeleteRouteInput{ApiId: id, RouteId: r.RouteId}))(t, "DeleteRoute")
	_, err = c.GetRoute(cx, &apigatewayv2.GetRouteInput{ApiId: id, RouteId: r.RouteId})
	wantCode(t, "GetRoute after delete", err, "NotFoundException")
	must(c.DeleteIntegration(cx, &apigatewayv2.DeleteIntegrationInput{ApiId: id, IntegrationId: x.IntegrationId}))(t, "DeleteIntegration")
	must(c.DeleteAuthorizer(cx, &apigatewayv2.DeleteAuthorizerInput{ApiId: id, AuthorizerId: jwt.AuthorizerId}))(t, "DeleteAuthorizer")

	// Quick create's integration and route are API Gateway's.
	q := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp,
		Target: aws.String("arn:aws:lambda:us-east-1:123456789012:function:q")}))(t, "CreateApi quick")
	routes := must(c.GetRoutes(cx, &apigatewayv2.GetRoutesInput{ApiId: q.ApiId}))(t, "GetRoutes quick")
	if len(routes.Items) != 1 || !aws.ToBool(routes.Items[0].ApiGatewayManaged) {
		t.Fatalf("quick create routes = %+v", routes.Items)
	}
	_, err = c.DeleteRoute(cx, &apigatewayv2.DeleteRouteInput{ApiId: q.ApiId, RouteId: routes.Items[0].RouteId})
	wantCode(t, "deleting quick create's route", err, "BadRequestException")
}
