package standin

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/structure"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceModel is aws_apigatewayv2_model (FACTS.md, "aws_apigatewayv2_model").
func resourceModel() *schema.Resource {
	return &schema.Resource{
		CreateContext: createModel,
		ReadContext:   readModel,
		UpdateContext: updateModel,
		DeleteContext: deleteModel,
		Importer: &schema.ResourceImporter{StateContext: func(ctx context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importChild(ctx, d, meta, "model-id", "Model", nil)
		}},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":       {Type: schema.TypeString, Required: true, ForceNew: true},
			"content_type": {Type: schema.TypeString, Required: true, ValidateFunc: validation.StringLenBetween(1, 256)},
			"description":  {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"name": {Type: schema.TypeString, Required: true, ValidateFunc: validation.All(
				validation.StringLenBetween(1, 128),
				validation.StringMatch(regexp.MustCompile(`^[0-9A-Za-z]+$`), "must be alphanumeric"),
			)},
			"region": regionSchema(),
			"schema": {
				Type: schema.TypeString, Required: true,
				ValidateFunc:          validation.All(validation.StringLenBetween(0, 32768), validation.StringIsJSON),
				DiffSuppressFunc:      structure.SuppressJsonDiff,
				DiffSuppressOnRefresh: true,
				StateFunc: func(v any) string {
					s, _ := structure.NormalizeJsonString(v)
					return s
				},
			},
		},
	}
}

func createModel(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.CreateModelInput{
		ApiId:       aws.String(d.Get("api_id").(string)),
		ContentType: aws.String(d.Get("content_type").(string)),
		Name:        aws.String(d.Get("name").(string)),
		Schema:      aws.String(d.Get("schema").(string)),
	}
	setStrings(d, map[string]**string{"description": &in.Description})
	out, err := c.CreateModel(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Model (%s): %s", aws.ToString(in.Name), err)
	}
	d.SetId(aws.ToString(out.ModelId))
	return readModel(ctx, d, meta)
}

func readModel(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetModel(ctx, &apigatewayv2.GetModelInput{ApiId: aws.String(d.Get("api_id").(string)), ModelId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Model (%s): %s", d.Id(), err)
	}
	return setAttrs(d, map[string]any{
		"content_type": aws.ToString(out.ContentType),
		"description":  aws.ToString(out.Description),
		"name":         aws.ToString(out.Name),
		"region":       region,
		"schema":       aws.ToString(out.Schema),
	})
}

func updateModel(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateModelInput{ApiId: aws.String(d.Get("api_id").(string)), ModelId: aws.String(d.Id())}
	changedStrings(d, map[string]**string{
		"content_type": &in.ContentType, "description": &in.Description, "name": &in.Name, "schema": &in.Schema,
	})
	if _, err := c.UpdateModel(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 Model (%s): %s", d.Id(), err)
	}
	return readModel(ctx, d, meta)
}

func deleteModel(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteModel(ctx, &apigatewayv2.DeleteModelInput{ApiId: aws.String(d.Get("api_id").(string)), ModelId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Model (%s): %s", d.Id(), err)
	}
	return nil
}
