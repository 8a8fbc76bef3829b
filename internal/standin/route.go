package standin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceRoute is aws_apigatewayv2_route (FACTS.md, "aws_apigatewayv2_route").
func resourceRoute() *schema.Resource {
	return &schema.Resource{
		CreateContext: createRoute,
		ReadContext:   readRoute,
		UpdateContext: updateRoute,
		DeleteContext: deleteRoute,
		Importer: &schema.ResourceImporter{StateContext: func(ctx context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importChild(ctx, d, meta, "route-id", "Route", func(ctx context.Context, c apiClient, apiID, id string) (bool, error) {
				out, err := c.GetRoute(ctx, &apigatewayv2.GetRouteInput{ApiId: aws.String(apiID), RouteId: aws.String(id)})
				if err != nil {
					return false, err
				}
				return aws.ToBool(out.ApiGatewayManaged), nil
			})
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":               {Type: schema.TypeString, Required: true, ForceNew: true},
			"api_key_required":     {Type: schema.TypeBool, Optional: true, Default: false},
			"authorization_scopes": {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"authorization_type": {
				Type: schema.TypeString, Optional: true, Default: string(awstypes.AuthorizationTypeNone),
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.AuthorizationType("").Values()), false),
			},
			"authorizer_id":              {Type: schema.TypeString, Optional: true},
			"model_selection_expression": {Type: schema.TypeString, Optional: true},
			"operation_name":             {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 64)},
			"region":                     regionSchema(),
			"request_models":             {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"request_parameter": {
				Type: schema.TypeSet, Optional: true,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"request_parameter_key": {Type: schema.TypeString, Required: true},
					"required":              {Type: schema.TypeBool, Required: true},
				}},
			},
			"route_key":                           {Type: schema.TypeString, Required: true},
			"route_response_selection_expression": {Type: schema.TypeString, Optional: true},
			"target":                              {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 128)},
		},
	}
}

func createRoute(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateRouteInput{
		ApiId:             aws.String(d.Get("api_id").(string)),
		ApiKeyRequired:    aws.Bool(d.Get("api_key_required").(bool)),
		AuthorizationType: awstypes.AuthorizationType(d.Get("authorization_type").(string)),
		RouteKey:          aws.String(d.Get("route_key").(string)),
	}
	if v, ok := d.GetOk("authorization_scopes"); ok {
		in.AuthorizationScopes = stringSetOf(v)
	}
	setStrings(d, map[string]**string{
		"authorizer_id": &in.AuthorizerId, "model_selection_expression": &in.ModelSelectionExpression,
		"operation_name": &in.OperationName, "route_response_selection_expression": &in.RouteResponseSelectionExpression,
		"target": &in.Target,
	})
	if v, ok := d.GetOk("request_models"); ok {
		in.RequestModels = stringMapOf(v)
	}
	if v, ok := d.GetOk("request_parameter"); ok && v.(*schema.Set).Len() > 0 {
		in.RequestParameters = expandRouteParameters(v.(*schema.Set).List())
	}
	out, err := c.CreateRoute(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Route: %s", err)
	}
	d.SetId(aws.ToString(out.RouteId))
	return readRoute(ctx, d, meta)
}

func readRoute(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetRoute(ctx, &apigatewayv2.GetRouteInput{ApiId: aws.String(d.Get("api_id").(string)), RouteId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Route (%s): %s", d.Id(), err)
	}
	return setAttrs(d, map[string]any{
		"api_key_required":                    aws.ToBool(out.ApiKeyRequired),
		"authorization_scopes":                out.AuthorizationScopes,
		"authorization_type":                  string(out.AuthorizationType),
		"authorizer_id":                       aws.ToString(out.AuthorizerId),
		"model_selection_expression":          aws.ToString(out.ModelSelectionExpression),
		"operation_name":                      aws.ToString(out.OperationName),
		"region":                              region,
		"request_models":                      out.RequestModels,
		"request_parameter":                   flattenRouteParameters(out.RequestParameters),
		"route_key":                           aws.ToString(out.RouteKey),
		"route_response_selection_expression": aws.ToString(out.RouteResponseSelectionExpression),
		"target":                              aws.ToString(out.Target),
	})
}

// updateRoute deletes removed request parameters first, then sends what
// changed; a changed authorizer_id carries authorization_type with it.
func updateRoute(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	apiID := d.Get("api_id").(string)
	var params map[string]awstypes.ParameterConstraints
	if d.HasChange("request_parameter") {
		o, n := d.GetChange("request_parameter")
		for _, e := range o.(*schema.Set).Difference(n.(*schema.Set)).List() {
			key, _ := e.(map[string]any)["request_parameter_key"].(string)
			if key == "" {
				continue
			}
			_, err := c.DeleteRouteRequestParameter(ctx, &apigatewayv2.DeleteRouteRequestParameterInput{
				ApiId: aws.String(apiID), RouteId: aws.String(d.Id()), RequestParameterKey: aws.String(key)})
			if err != nil && !isNotFound(err) {
				return diag.Errorf("deleting API Gateway v2 Route (%s) request parameter (%s): %s", d.Id(), key, err)
			}
		}
		params = expandRouteParameters(n.(*schema.Set).List())
	}
	if d.HasChangesExcept("request_parameter") || len(params) > 0 {
		in := &apigatewayv2.UpdateRouteInput{ApiId: aws.String(apiID), RouteId: aws.String(d.Id())}
		if d.HasChange("api_key_required") {
			in.ApiKeyRequired = aws.Bool(d.Get("api_key_required").(bool))
		}
		if d.HasChange("authorization_scopes") {
			in.AuthorizationScopes = stringSetOf(d.Get("authorization_scopes"))
		}
		if d.HasChanges("authorization_type", "authorizer_id") {
			in.AuthorizationType = awstypes.AuthorizationType(d.Get("authorization_type").(string))
		}
		if d.HasChange("authorizer_id") {
			in.AuthorizerId = aws.String(d.Get("authorizer_id").(string))
		}
		changedStrings(d, map[string]**string{
			"model_selection_expression":          &in.ModelSelectionExpression,
			"operation_name":                      &in.OperationName,
			"route_key":                           &in.RouteKey,
			"route_response_selection_expression": &in.RouteResponseSelectionExpression,
			"target":                              &in.Target,
		})
		if d.HasChange("request_models") {
			in.RequestModels = stringMapOf(d.Get("request_models"))
		}
		if d.HasChange("request_parameter") {
			in.RequestParameters = params
		}
		if _, err := c.UpdateRoute(ctx, in); err != nil {
			return diag.Errorf("updating API Gateway v2 Route (%s): %s", d.Id(), err)
		}
	}
	return readRoute(ctx, d, meta)
}

func deleteRoute(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String(d.Get("api_id").(string)), RouteId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Route (%s): %s", d.Id(), err)
	}
	return nil
}

func expandRouteParameters(l []any) map[string]awstypes.ParameterConstraints {
	if len(l) == 0 {
		return nil
	}
	out := map[string]awstypes.ParameterConstraints{}
	for _, e := range l {
		m, _ := e.(map[string]any)
		key, _ := m["request_parameter_key"].(string)
		if key == "" {
			continue
		}
		req, _ := m["required"].(bool)
		out[key] = awstypes.ParameterConstraints{Required: aws.Bool(req)}
	}
	return out
}

func flattenRouteParameters(params map[string]awstypes.ParameterConstraints) []any {
	out := make([]any, 0, len(params))
	for k, p := range params {
		out = append(out, map[string]any{"request_parameter_key": k, "required": aws.ToBool(p.Required)})
	}
	return out
}
