package discover

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// A WebSocket API's models (one GetModels list) and the responses of its
// routes and integrations (one list per route or integration). HTTP APIs
// have none of them, so they cost no call there.

func (w *apiWalk) websocket() bool { return w.api.ProtocolType == inventory.ProtocolWebSocket }

func (w *apiWalk) models(ctx context.Context) error {
	if !w.websocket() {
		return nil
	}
	return pages(ctx, w, "GetModels", func(ctx context.Context, token, size *string) (*string, error) {
		out, err := w.rc.api.GetModels(ctx, &apigatewayv2.GetModelsInput{ApiId: &w.api.ID, MaxResults: size, NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, m := range out.Items {
			w.api.Models = append(w.api.Models, toModel(m))
		}
		return out.NextToken, nil
	})
}

// routeResponses lists the responses of the routes discovered before.
func (w *apiWalk) routeResponses(ctx context.Context) error {
	if !w.websocket() {
		return nil
	}
	for _, r := range w.api.Routes {
		err := pages(ctx, w, "GetRouteResponses", func(ctx context.Context, token, size *string) (*string, error) {
			out, err := w.rc.api.GetRouteResponses(ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: &w.api.ID, RouteId: &r.ID, MaxResults: size, NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, x := range out.Items {
				w.api.RouteResponses = append(w.api.RouteResponses, toRouteResponse(r.ID, x))
			}
			return out.NextToken, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// integrationResponses lists the responses of the integrations discovered
// before.
func (w *apiWalk) integrationResponses(ctx context.Context) error {
	if !w.websocket() {
		return nil
	}
	for _, x := range w.api.Integrations {
		err := pages(ctx, w, "GetIntegrationResponses", func(ctx context.Context, token, size *string) (*string, error) {
			out, err := w.rc.api.GetIntegrationResponses(ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: &w.api.ID, IntegrationId: &x.ID, MaxResults: size, NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, ir := range out.Items {
				w.api.IntegrationResponses = append(w.api.IntegrationResponses, toIntegrationResponse(x.ID, ir))
			}
			return out.NextToken, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func toModel(m types.Model) inventory.Model {
	return inventory.Model{
		ID:          aws.ToString(m.ModelId),
		Name:        aws.ToString(m.Name),
		ContentType: aws.ToString(m.ContentType),
		Description: aws.ToString(m.Description),
		Schema:      aws.ToString(m.Schema),
	}
}

func toRouteResponse(routeID string, r types.RouteResponse) inventory.RouteResponse {
	return inventory.RouteResponse{
		ID:                       aws.ToString(r.RouteResponseId),
		RouteID:                  routeID,
		RouteResponseKey:         aws.ToString(r.RouteResponseKey),
		ModelSelectionExpression: aws.ToString(r.ModelSelectionExpression),
		ResponseModels:           nonEmpty(r.ResponseModels),
	}
}

func toIntegrationResponse(integrationID string, x types.IntegrationResponse) inventory.IntegrationResponse {
	return inventory.IntegrationResponse{
		ID:                          aws.ToString(x.IntegrationResponseId),
		IntegrationID:               integrationID,
		IntegrationResponseKey:      aws.ToString(x.IntegrationResponseKey),
		ContentHandlingStrategy:     string(x.ContentHandlingStrategy),
		TemplateSelectionExpression: aws.ToString(x.TemplateSelectionExpression),
		ResponseTemplates:           nonEmpty(x.ResponseTemplates),
	}
}
