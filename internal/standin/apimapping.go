package standin

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// resourceAPIMapping is aws_apigatewayv2_api_mapping (FACTS.md,
// "aws_apigatewayv2_api_mapping"): no tags; the id is the mapping's id and
// the import id "api-mapping-id/domain-name".
func resourceAPIMapping() *schema.Resource {
	return &schema.Resource{
		CreateContext: createAPIMapping,
		ReadContext:   readAPIMapping,
		UpdateContext: updateAPIMapping,
		DeleteContext: deleteAPIMapping,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			if err := importRegion(d, meta); err != nil {
				return nil, err
			}
			parts := strings.Split(d.Id(), "/")
			if len(parts) != 2 {
				return nil, fmt.Errorf("wrong format of import ID (%s), use: 'api-mapping-id/domain-name'", d.Id())
			}
			d.SetId(parts[0])
			return []*schema.ResourceData{d}, d.Set("domain_name", parts[1])
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":          {Type: schema.TypeString, Required: true, ForceNew: true},
			"api_mapping_key": {Type: schema.TypeString, Optional: true},
			"domain_name":     {Type: schema.TypeString, Required: true, ForceNew: true},
			"region":          regionSchema(),
			"stage":           {Type: schema.TypeString, Required: true},
		},
	}
}

func createAPIMapping(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateApiMappingInput{
		ApiId:      aws.String(d.Get("api_id").(string)),
		DomainName: aws.String(d.Get("domain_name").(string)),
		Stage:      aws.String(d.Get("stage").(string)),
	}
	setStrings(d, map[string]**string{"api_mapping_key": &in.ApiMappingKey})
	out, err := c.CreateApiMapping(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 API Mapping: %s", err)
	}
	d.SetId(aws.ToString(out.ApiMappingId))
	return readAPIMapping(ctx, d, meta)
}

func readAPIMapping(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetApiMapping(ctx, &apigatewayv2.GetApiMappingInput{ApiMappingId: aws.String(d.Id()), DomainName: aws.String(d.Get("domain_name").(string))})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 API Mapping (%s): %s", d.Id(), err)
	}
	return setAttrs(d, map[string]any{
		"api_id":          aws.ToString(out.ApiId),
		"api_mapping_key": aws.ToString(out.ApiMappingKey),
		"region":          region,
		"stage":           aws.ToString(out.Stage),
	})
}

// updateAPIMapping always sends the API id (UpdateApiMapping requires
// it), and the key and stage when they changed.
func updateAPIMapping(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateApiMappingInput{
		ApiId:        aws.String(d.Get("api_id").(string)),
		ApiMappingId: aws.String(d.Id()),
		DomainName:   aws.String(d.Get("domain_name").(string)),
	}
	changedStrings(d, map[string]**string{"api_mapping_key": &in.ApiMappingKey, "stage": &in.Stage})
	if _, err := c.UpdateApiMapping(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 API Mapping (%s): %s", d.Id(), err)
	}
	return readAPIMapping(ctx, d, meta)
}

func deleteAPIMapping(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteApiMapping(ctx, &apigatewayv2.DeleteApiMappingInput{ApiMappingId: aws.String(d.Id()), DomainName: aws.String(d.Get("domain_name").(string))})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 API Mapping (%s): %s", d.Id(), err)
	}
	return nil
}
