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

// resourceIntegration is aws_apigatewayv2_integration (FACTS.md,
// "aws_apigatewayv2_integration").
func resourceIntegration() *schema.Resource {
	return &schema.Resource{
		CreateContext: createIntegration,
		ReadContext:   readIntegration,
		UpdateContext: updateIntegration,
		DeleteContext: deleteIntegration,
		Importer: &schema.ResourceImporter{StateContext: func(ctx context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importChild(ctx, d, meta, "integration-id", "Integration", func(ctx context.Context, c apiClient, apiID, id string) (bool, error) {
				out, err := c.GetIntegration(ctx, &apigatewayv2.GetIntegrationInput{ApiId: aws.String(apiID), IntegrationId: aws.String(id)})
				if err != nil {
					return false, err
				}
				return aws.ToBool(out.ApiGatewayManaged), nil
			})
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":        {Type: schema.TypeString, Required: true, ForceNew: true},
			"connection_id": {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 1024)},
			"connection_type": {
				Type: schema.TypeString, Optional: true, Default: string(awstypes.ConnectionTypeInternet),
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.ConnectionType("").Values()), false),
			},
			"content_handling_strategy": {
				Type: schema.TypeString, Optional: true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.ContentHandlingStrategy("").Values()), false),
			},
			"credentials_arn": {Type: schema.TypeString, Optional: true, ValidateFunc: validARN},
			"description":     {Type: schema.TypeString, Optional: true},
			"integration_method": {
				Type: schema.TypeString, Optional: true,
				ValidateFunc:     validation.StringInSlice([]string{"ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}, false),
				DiffSuppressFunc: suppressLambdaPOST,
			},
			"integration_response_selection_expression": {Type: schema.TypeString, Computed: true},
			"integration_subtype":                       {Type: schema.TypeString, Optional: true, ForceNew: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"integration_type": {
				Type: schema.TypeString, Required: true, ForceNew: true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.IntegrationType("").Values()), false),
			},
			"integration_uri": {Type: schema.TypeString, Optional: true},
			"passthrough_behavior": {
				Type: schema.TypeString, Optional: true, Default: string(awstypes.PassthroughBehaviorWhenNoMatch),
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.PassthroughBehavior("").Values()), false),
				// HTTP APIs report no passthrough behavior.
				DiffSuppressFunc: func(_, old, new string, _ *schema.ResourceData) bool {
					return old == "" && new == string(awstypes.PassthroughBehaviorWhenNoMatch)
				},
			},
			"payload_format_version": {Type: schema.TypeString, Optional: true, Default: "1.0", ValidateFunc: validation.StringInSlice([]string{"1.0", "2.0"}, false)},
			"region":                 regionSchema(),
			"request_parameters":     {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"request_templates":      {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"response_parameters": {
				Type: schema.TypeSet, Optional: true,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"mappings":    {Type: schema.TypeMap, Required: true, Elem: &schema.Schema{Type: schema.TypeString}},
					"status_code": {Type: schema.TypeString, Required: true},
				}},
			},
			"template_selection_expression": {Type: schema.TypeString, Optional: true},
			"timeout_milliseconds":          {Type: schema.TypeInt, Optional: true, Computed: true},
			"tls_config": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"server_name_to_verify": {Type: schema.TypeString, Optional: true},
				}},
			},
		},
	}
}

// suppressLambdaPOST hides the POST API Gateway reports for a Lambda
// integration configured without a method.
func suppressLambdaPOST(_, old, new string, d *schema.ResourceData) bool {
	t := d.Get("integration_type").(string)
	return (t == string(awstypes.IntegrationTypeAws) || t == string(awstypes.IntegrationTypeAwsProxy)) && old == "POST" && new == ""
}

func createIntegration(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateIntegrationInput{
		ApiId:           aws.String(d.Get("api_id").(string)),
		IntegrationType: awstypes.IntegrationType(d.Get("integration_type").(string)),
	}
	setStrings(d, map[string]**string{
		"connection_id": &in.ConnectionId, "credentials_arn": &in.CredentialsArn, "description": &in.Description,
		"integration_method": &in.IntegrationMethod, "integration_subtype": &in.IntegrationSubtype,
		"integration_uri": &in.IntegrationUri, "payload_format_version": &in.PayloadFormatVersion,
		"template_selection_expression": &in.TemplateSelectionExpression,
	})
	if v, ok := d.GetOk("connection_type"); ok {
		in.ConnectionType = awstypes.ConnectionType(v.(string))
	}
	if v, ok := d.GetOk("content_handling_strategy"); ok {
		in.ContentHandlingStrategy = awstypes.ContentHandlingStrategy(v.(string))
	}
	if v, ok := d.GetOk("passthrough_behavior"); ok {
		in.PassthroughBehavior = awstypes.PassthroughBehavior(v.(string))
	}
	if v, ok := d.GetOk("request_parameters"); ok {
		in.RequestParameters = stringMapOf(v)
	}
	if v, ok := d.GetOk("request_templates"); ok {
		in.RequestTemplates = stringMapOf(v)
	}
	if v, ok := d.GetOk("response_parameters"); ok && v.(*schema.Set).Len() > 0 {
		in.ResponseParameters = expandResponseParameters(v.(*schema.Set).List())
	}
	if v, ok := d.GetOk("timeout_milliseconds"); ok {
		in.TimeoutInMillis = aws.Int32(int32(v.(int)))
	}
	if v, ok := d.GetOk("tls_config"); ok {
		in.TlsConfig = expandTLSConfig(v.([]any))
	}
	out, err := c.CreateIntegration(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Integration: %s", err)
	}
	d.SetId(aws.ToString(out.IntegrationId))
	return readIntegration(ctx, d, meta)
}

func readIntegration(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetIntegration(ctx, &apigatewayv2.GetIntegrationInput{ApiId: aws.String(d.Get("api_id").(string)), IntegrationId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Integration (%s): %s", d.Id(), err)
	}
	tls := []any{}
	if out.TlsConfig != nil {
		tls = []any{map[string]any{"server_name_to_verify": aws.ToString(out.TlsConfig.ServerNameToVerify)}}
	}
	return setAttrs(d, map[string]any{
		"connection_id":                             aws.ToString(out.ConnectionId),
		"connection_type":                           string(out.ConnectionType),
		"content_handling_strategy":                 string(out.ContentHandlingStrategy),
		"credentials_arn":                           aws.ToString(out.CredentialsArn),
		"description":                               aws.ToString(out.Description),
		"integration_method":                        aws.ToString(out.IntegrationMethod),
		"integration_response_selection_expression": aws.ToString(out.IntegrationResponseSelectionExpression),
		"integration_subtype":                       aws.ToString(out.IntegrationSubtype),
		"integration_type":                          string(out.IntegrationType),
		"integration_uri":                           aws.ToString(out.IntegrationUri),
		"passthrough_behavior":                      string(out.PassthroughBehavior),
		"payload_format_version":                    aws.ToString(out.PayloadFormatVersion),
		"region":                                    region,
		"request_parameters":                        out.RequestParameters,
		"request_templates":                         out.RequestTemplates,
		"response_parameters":                       flattenResponseParameters(out.ResponseParameters),
		"template_selection_expression":             aws.ToString(out.TemplateSelectionExpression),
		"timeout_milliseconds":                      int(aws.ToInt32(out.TimeoutInMillis)),
		"tls_config":                                tls,
	})
}

// updateIntegration always sends the type (and the subtype when set), then
// what changed: removed request parameters as "", unchanged ones again,
// removed response-parameter status codes as {}.
func updateIntegration(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateIntegrationInput{
		ApiId:           aws.String(d.Get("api_id").(string)),
		IntegrationId:   aws.String(d.Id()),
		IntegrationType: awstypes.IntegrationType(d.Get("integration_type").(string)),
	}
	if v, ok := d.GetOk("integration_subtype"); ok {
		in.IntegrationSubtype = aws.String(v.(string))
	}
	changedStrings(d, map[string]**string{
		"connection_id": &in.ConnectionId, "credentials_arn": &in.CredentialsArn, "description": &in.Description,
		"integration_method": &in.IntegrationMethod, "integration_uri": &in.IntegrationUri,
		"payload_format_version": &in.PayloadFormatVersion, "template_selection_expression": &in.TemplateSelectionExpression,
	})
	if d.HasChange("connection_type") {
		in.ConnectionType = awstypes.ConnectionType(d.Get("connection_type").(string))
	}
	if d.HasChange("content_handling_strategy") {
		in.ContentHandlingStrategy = awstypes.ContentHandlingStrategy(d.Get("content_handling_strategy").(string))
	}
	if d.HasChange("passthrough_behavior") {
		in.PassthroughBehavior = awstypes.PassthroughBehavior(d.Get("passthrough_behavior").(string))
	}
	if d.HasChange("request_parameters") {
		o, n := d.GetChange("request_parameters")
		params := stringMapOf(n)
		for k := range stringMapOf(o) {
			if _, ok := params[k]; !ok {
				params[k] = ""
			}
		}
		in.RequestParameters = params
	}
	if d.HasChange("request_templates") {
		in.RequestTemplates = stringMapOf(d.Get("request_templates"))
	}
	if d.HasChange("response_parameters") {
		o, n := d.GetChange("response_parameters")
		in.ResponseParameters = expandResponseParameters(n.(*schema.Set).List())
		for _, e := range o.(*schema.Set).Difference(n.(*schema.Set)).List() {
			if code, _ := e.(map[string]any)["status_code"].(string); code != "" {
				if in.ResponseParameters == nil {
					in.ResponseParameters = map[string]map[string]string{}
				}
				in.ResponseParameters[code] = map[string]string{}
			}
		}
	}
	if d.HasChange("timeout_milliseconds") {
		in.TimeoutInMillis = aws.Int32(int32(d.Get("timeout_milliseconds").(int)))
	}
	if d.HasChange("tls_config") {
		in.TlsConfig = expandTLSConfig(d.Get("tls_config").([]any))
	}
	if _, err := c.UpdateIntegration(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 Integration (%s): %s", d.Id(), err)
	}
	return readIntegration(ctx, d, meta)
}

func deleteIntegration(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteIntegration(ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: aws.String(d.Get("api_id").(string)), IntegrationId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Integration (%s): %s", d.Id(), err)
	}
	return nil
}

// expandTLSConfig sends the block, or an empty object when it was removed.
func expandTLSConfig(l []any) *awstypes.TlsConfigInput {
	out := &awstypes.TlsConfigInput{}
	if m := firstBlock(l); m != nil {
		if v, _ := m["server_name_to_verify"].(string); v != "" {
			out.ServerNameToVerify = aws.String(v)
		}
	}
	return out
}

func expandResponseParameters(l []any) map[string]map[string]string {
	if len(l) == 0 {
		return nil
	}
	out := map[string]map[string]string{}
	for _, e := range l {
		m, _ := e.(map[string]any)
		code, _ := m["status_code"].(string)
		if mappings := stringMapOf(m["mappings"]); code != "" && len(mappings) > 0 {
			out[code] = mappings
		}
	}
	return out
}

func flattenResponseParameters(params map[string]map[string]string) []any {
	out := make([]any, 0, len(params))
	for code, mappings := range params {
		if len(mappings) > 0 {
			out = append(out, map[string]any{"status_code": code, "mappings": mappings})
		}
	}
	return out
}
