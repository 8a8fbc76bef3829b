package discover

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// walkAPI lists what the options ask for of one API, one paged list per
// kind (GetStages, GetAuthorizers, GetIntegrations, GetRoutes, and for a
// WebSocket API GetModels and one list per route and integration of their
// responses), and records
// the API with its importable children. A failed list leaves an error entry
// naming the API; the children read so far are kept.
func walkAPI(ctx context.Context, o Options, rc *regionClients, a types.Api, res *regionResult) error {
	api := toAPI(rc.region, a)
	api.Stages = []inventory.Stage{}
	w := &apiWalk{o: o, rc: rc, api: &api}
	for _, kind := range o.Types {
		var err error
		switch kind {
		case inventory.KindStage:
			err = w.stages(ctx)
		case inventory.KindAuthorizer:
			err = w.authorizers(ctx)
		case inventory.KindIntegration:
			err = w.integrations(ctx)
		case inventory.KindRoute:
			err = w.routes(ctx)
		case inventory.KindModel:
			err = w.models(ctx)
		case inventory.KindRouteResponse:
			err = w.routeResponses(ctx)
		case inventory.KindIntegrationResponse:
			err = w.integrationResponses(ctx)
		}
		if err != nil {
			return err
		}
	}
	res.mu.Lock()
	defer res.mu.Unlock()
	res.apis = append(res.apis, api)
	res.skipped = append(res.skipped, w.skipped...)
	res.errors = append(res.errors, w.failures...)
	return nil
}

// apiWalk collects one API's children.
type apiWalk struct {
	o        Options
	rc       *regionClients
	api      *inventory.API
	skipped  []inventory.Skipped
	failures []inventory.Error
}

// pages calls list with each page's token until the last page. A failed
// call is recorded and ends the listing; only the end of ctx is returned.
func pages(ctx context.Context, w *apiWalk, op string, list func(ctx context.Context, token, size *string) (next *string, err error)) error {
	size := aws.String(strconv.Itoa(w.o.PageSize))
	var token *string
	for {
		next, err := list(ctx, token, size)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w.failures = append(w.failures, inventory.Error{Region: w.rc.region, APIID: w.api.ID, Operation: op, Message: describe(err), Throttled: isThrottle(err)})
			w.o.Logger.Warn("listing failed", "operation", op, "region", w.rc.region, "api_id", w.api.ID, "error", err)
			return nil
		}
		if aws.ToString(next) == "" {
			return nil
		}
		if aws.ToString(next) == aws.ToString(token) {
			w.failures = append(w.failures, inventory.Error{Region: w.rc.region, APIID: w.api.ID, Operation: op,
				Message: "the service returned the same nextToken twice; listing stopped to avoid a loop"})
			return nil
		}
		token = next
	}
}

func (w *apiWalk) skip(s inventory.Skipped) {
	s.Region, s.APIID, s.APIName = w.rc.region, w.api.ID, w.api.Name
	w.skipped = append(w.skipped, s)
}

func (w *apiWalk) stages(ctx context.Context) error {
	return pages(ctx, w, "GetStages", func(ctx context.Context, token, size *string) (*string, error) {
		out, err := w.rc.api.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: &w.api.ID, MaxResults: size, NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, s := range out.Items {
			if aws.ToBool(s.ApiGatewayManaged) {
				w.skip(inventory.Skipped{Stage: aws.ToString(s.StageName), Reason: inventory.ReasonQuickCreate})
				continue
			}
			w.api.Stages = append(w.api.Stages, toStage(s))
		}
		return out.NextToken, nil
	})
}

func (w *apiWalk) authorizers(ctx context.Context) error {
	return pages(ctx, w, "GetAuthorizers", func(ctx context.Context, token, size *string) (*string, error) {
		out, err := w.rc.api.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: &w.api.ID, MaxResults: size, NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, x := range out.Items {
			w.api.Authorizers = append(w.api.Authorizers, toAuthorizer(x))
		}
		return out.NextToken, nil
	})
}

func (w *apiWalk) integrations(ctx context.Context) error {
	return pages(ctx, w, "GetIntegrations", func(ctx context.Context, token, size *string) (*string, error) {
		out, err := w.rc.api.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: &w.api.ID, MaxResults: size, NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, x := range out.Items {
			if aws.ToBool(x.ApiGatewayManaged) {
				w.skip(inventory.Skipped{Kind: inventory.KindIntegration, ID: aws.ToString(x.IntegrationId), Reason: inventory.ReasonQuickCreateChild})
				continue
			}
			w.api.Integrations = append(w.api.Integrations, toIntegration(x))
		}
		return out.NextToken, nil
	})
}

func (w *apiWalk) routes(ctx context.Context) error {
	return pages(ctx, w, "GetRoutes", func(ctx context.Context, token, size *string) (*string, error) {
		out, err := w.rc.api.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: &w.api.ID, MaxResults: size, NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, r := range out.Items {
			if aws.ToBool(r.ApiGatewayManaged) {
				w.skip(inventory.Skipped{Kind: inventory.KindRoute, ID: aws.ToString(r.RouteId), Reason: inventory.ReasonQuickCreateChild})
				continue
			}
			w.api.Routes = append(w.api.Routes, toRoute(r))
		}
		return out.NextToken, nil
	})
}

func toRoute(r types.Route) inventory.Route {
	out := inventory.Route{
		ID:                               aws.ToString(r.RouteId),
		RouteKey:                         aws.ToString(r.RouteKey),
		Target:                           aws.ToString(r.Target),
		AuthorizationType:                string(r.AuthorizationType),
		AuthorizerID:                     aws.ToString(r.AuthorizerId),
		AuthorizationScopes:              r.AuthorizationScopes,
		APIKeyRequired:                   aws.ToBool(r.ApiKeyRequired),
		OperationName:                    aws.ToString(r.OperationName),
		ModelSelectionExpression:         aws.ToString(r.ModelSelectionExpression),
		RouteResponseSelectionExpression: aws.ToString(r.RouteResponseSelectionExpression),
		RequestModels:                    nonEmpty(r.RequestModels),
	}
	for k, p := range r.RequestParameters {
		if out.RequestParameters == nil {
			out.RequestParameters = map[string]bool{}
		}
		out.RequestParameters[k] = aws.ToBool(p.Required)
	}
	return out
}

func toIntegration(x types.Integration) inventory.Integration {
	out := inventory.Integration{
		ID:                          aws.ToString(x.IntegrationId),
		IntegrationType:             string(x.IntegrationType),
		IntegrationURI:              aws.ToString(x.IntegrationUri),
		IntegrationMethod:           aws.ToString(x.IntegrationMethod),
		IntegrationSubtype:          aws.ToString(x.IntegrationSubtype),
		ConnectionType:              string(x.ConnectionType),
		ConnectionID:                aws.ToString(x.ConnectionId),
		CredentialsARN:              aws.ToString(x.CredentialsArn),
		Description:                 aws.ToString(x.Description),
		PayloadFormatVersion:        aws.ToString(x.PayloadFormatVersion),
		PassthroughBehavior:         string(x.PassthroughBehavior),
		ContentHandlingStrategy:     string(x.ContentHandlingStrategy),
		TemplateSelectionExpression: aws.ToString(x.TemplateSelectionExpression),
		TimeoutMillis:               aws.ToInt32(x.TimeoutInMillis),
		RequestParameters:           nonEmpty(x.RequestParameters),
		RequestTemplates:            nonEmpty(x.RequestTemplates),
	}
	if len(x.ResponseParameters) > 0 {
		out.ResponseParameters = x.ResponseParameters
	}
	if x.TlsConfig != nil {
		out.TLSServerNameToVerify = aws.ToString(x.TlsConfig.ServerNameToVerify)
	}
	return out
}

func toAuthorizer(x types.Authorizer) inventory.Authorizer {
	out := inventory.Authorizer{
		ID:                             aws.ToString(x.AuthorizerId),
		Name:                           aws.ToString(x.Name),
		AuthorizerType:                 string(x.AuthorizerType),
		AuthorizerURI:                  aws.ToString(x.AuthorizerUri),
		AuthorizerCredentialsARN:       aws.ToString(x.AuthorizerCredentialsArn),
		AuthorizerPayloadFormatVersion: aws.ToString(x.AuthorizerPayloadFormatVersion),
		AuthorizerResultTTLInSeconds:   aws.ToInt32(x.AuthorizerResultTtlInSeconds),
		EnableSimpleResponses:          aws.ToBool(x.EnableSimpleResponses),
		IdentitySources:                x.IdentitySource,
	}
	if j := x.JwtConfiguration; j != nil {
		out.JWTIssuer, out.JWTAudience = aws.ToString(j.Issuer), j.Audience
	}
	return out
}
