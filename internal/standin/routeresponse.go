package standin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// resourceRouteResponse is aws_apigatewayv2_route_response (FACTS.md,
// "aws_apigatewayv2_route_response").
func resourceRouteResponse() *schema.Resource {
	return &schema.Resource{
		CreateContext: createRouteResponse,
		ReadContext:   readRouteResponse,
		UpdateContext: updateRouteResponse,
		DeleteContext: deleteRouteResponse,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importResponse(d, meta, "route_id", "route-id", "route-response-id")
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":                     {Type: schema.TypeString, Required: true, ForceNew: true},
			"model_selection_expression": {Type: schema.TypeString, Optional: true},
			"region":                     regionSchema(),
			"response_models":            {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"route_id":                   {Type: schema.TypeString, Required: true, ForceNew: true},
			"route_response_key":         {Type: schema.TypeString, Required: true},
		},
	}
}

func createRouteResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateRouteResponseInput{
		ApiId:            aws.String(d.Get("api_id").(string)),
		RouteId:          aws.String(d.Get("route_id").(string)),
		RouteResponseKey: aws.String(d.Get("route_response_key").(string)),
	}
	setStrings(d, map[string]**string{"model_selection_expression": &in.ModelSelectionExpression})
	if v, ok := d.GetOk("response_models"); ok {
		in.ResponseModels = stringMapOf(v)
	}
	out, err := c.CreateRouteResponse(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Route Response: %s", err)
	}
	d.SetId(aws.ToString(out.RouteResponseId))
	return readRouteResponse(ctx, d, meta)
}

func readRouteResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetRouteResponse(ctx, &apigatewayv2.GetRouteResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		RouteId: aws.String(d.Get("route_id").(string)), RouteResponseId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Route Response (%s): %s", d.Id(), err)
	}
	return setAttrs(d, map[string]any{
		"model_selection_expression": aws.ToString(out.ModelSelectionExpression),
		"region":                     region,
		"response_models":            out.ResponseModels,
		"route_response_key":         aws.ToString(out.RouteResponseKey),
	})
}

func updateRouteResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateRouteResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		RouteId: aws.String(d.Get("route_id").(string)), RouteResponseId: aws.String(d.Id())}
	changedStrings(d, map[string]**string{
		"model_selection_expression": &in.ModelSelectionExpression, "route_response_key": &in.RouteResponseKey,
	})
	if d.HasChange("response_models") {
		in.ResponseModels = stringMapOf(d.Get("response_models"))
	}
	if _, err := c.UpdateRouteResponse(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 Route Response (%s): %s", d.Id(), err)
	}
	return readRouteResponse(ctx, d, meta)
}

func deleteRouteResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteRouteResponse(ctx, &apigatewayv2.DeleteRouteResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		RouteId: aws.String(d.Get("route_id").(string)), RouteResponseId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Route Response (%s): %s", d.Id(), err)
	}
	return nil
}
