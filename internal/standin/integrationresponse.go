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

// resourceIntegrationResponse is aws_apigatewayv2_integration_response
// (FACTS.md, "aws_apigatewayv2_integration_response").
func resourceIntegrationResponse() *schema.Resource {
	return &schema.Resource{
		CreateContext: createIntegrationResponse,
		ReadContext:   readIntegrationResponse,
		UpdateContext: updateIntegrationResponse,
		DeleteContext: deleteIntegrationResponse,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importResponse(d, meta, "integration_id", "integration-id", "integration-response-id")
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id": {Type: schema.TypeString, Required: true, ForceNew: true},
			"content_handling_strategy": {Type: schema.TypeString, Optional: true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.ContentHandlingStrategy("").Values()), false)},
			"integration_id":                {Type: schema.TypeString, Required: true, ForceNew: true},
			"integration_response_key":      {Type: schema.TypeString, Required: true},
			"region":                        regionSchema(),
			"response_templates":            {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"template_selection_expression": {Type: schema.TypeString, Optional: true},
		},
	}
}

func createIntegrationResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateIntegrationResponseInput{
		ApiId:                  aws.String(d.Get("api_id").(string)),
		IntegrationId:          aws.String(d.Get("integration_id").(string)),
		IntegrationResponseKey: aws.String(d.Get("integration_response_key").(string)),
	}
	if v, ok := d.GetOk("content_handling_strategy"); ok {
		in.ContentHandlingStrategy = awstypes.ContentHandlingStrategy(v.(string))
	}
	if v, ok := d.GetOk("response_templates"); ok {
		in.ResponseTemplates = stringMapOf(v)
	}
	setStrings(d, map[string]**string{"template_selection_expression": &in.TemplateSelectionExpression})
	out, err := c.CreateIntegrationResponse(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Integration Response: %s", err)
	}
	d.SetId(aws.ToString(out.IntegrationResponseId))
	return readIntegrationResponse(ctx, d, meta)
}

func readIntegrationResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetIntegrationResponse(ctx, &apigatewayv2.GetIntegrationResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		IntegrationId: aws.String(d.Get("integration_id").(string)), IntegrationResponseId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Integration Response (%s): %s", d.Id(), err)
	}
	return setAttrs(d, map[string]any{
		"content_handling_strategy":     string(out.ContentHandlingStrategy),
		"integration_response_key":      aws.ToString(out.IntegrationResponseKey),
		"region":                        region,
		"response_templates":            out.ResponseTemplates,
		"template_selection_expression": aws.ToString(out.TemplateSelectionExpression),
	})
}

func updateIntegrationResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateIntegrationResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		IntegrationId: aws.String(d.Get("integration_id").(string)), IntegrationResponseId: aws.String(d.Id())}
	if d.HasChange("content_handling_strategy") {
		in.ContentHandlingStrategy = awstypes.ContentHandlingStrategy(d.Get("content_handling_strategy").(string))
	}
	changedStrings(d, map[string]**string{
		"integration_response_key": &in.IntegrationResponseKey, "template_selection_expression": &in.TemplateSelectionExpression,
	})
	if d.HasChange("response_templates") {
		in.ResponseTemplates = stringMapOf(d.Get("response_templates"))
	}
	if _, err := c.UpdateIntegrationResponse(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 Integration Response (%s): %s", d.Id(), err)
	}
	return readIntegrationResponse(ctx, d, meta)
}

func deleteIntegrationResponse(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteIntegrationResponse(ctx, &apigatewayv2.DeleteIntegrationResponseInput{ApiId: aws.String(d.Get("api_id").(string)),
		IntegrationId: aws.String(d.Get("integration_id").(string)), IntegrationResponseId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Integration Response (%s): %s", d.Id(), err)
	}
	return nil
}
