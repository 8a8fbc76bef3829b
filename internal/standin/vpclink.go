package standin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceVPCLink is aws_apigatewayv2_vpc_link (FACTS.md,
// "aws_apigatewayv2_vpc_link"): the import id is the link's id.
func resourceVPCLink() *schema.Resource {
	stringSet := func() *schema.Schema {
		return &schema.Schema{Type: schema.TypeSet, Required: true, ForceNew: true, Elem: &schema.Schema{Type: schema.TypeString}}
	}
	return &schema.Resource{
		CreateContext: createVPCLink,
		ReadContext:   readVPCLink,
		UpdateContext: updateVPCLink,
		DeleteContext: deleteVPCLink,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return []*schema.ResourceData{d}, importRegion(d, meta)
		}},
		CustomizeDiff: commonDiff,
		Schema: map[string]*schema.Schema{
			"arn":                {Type: schema.TypeString, Computed: true},
			"name":               {Type: schema.TypeString, Required: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"region":             regionSchema(),
			"security_group_ids": stringSet(),
			"subnet_ids":         stringSet(),
			"tags":               tagsSchema(),
			"tags_all":           tagsAllSchema(),
		},
	}
}

func createVPCLink(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	out, err := c.CreateVpcLink(ctx, &apigatewayv2.CreateVpcLinkInput{
		Name:             aws.String(d.Get("name").(string)),
		SecurityGroupIds: stringSetOf(d.Get("security_group_ids")),
		SubnetIds:        stringSetOf(d.Get("subnet_ids")),
		Tags:             tagsIn(d, meta),
	})
	if err != nil {
		return diag.Errorf("creating API Gateway v2 VPC Link: %s", err)
	}
	d.SetId(aws.ToString(out.VpcLinkId))
	return readVPCLink(ctx, d, meta)
}

func readVPCLink(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetVpcLink(ctx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 VPC Link (%s): %s", d.Id(), err)
	}
	if diags := setAttrs(d, map[string]any{
		"arn":                vpcLinkARN(region, d.Id()),
		"name":               aws.ToString(out.Name),
		"region":             region,
		"security_group_ids": out.SecurityGroupIds,
		"subnet_ids":         out.SubnetIds,
	}); diags != nil {
		return diags
	}
	if err := readTags(d, meta, out.Tags); err != nil {
		return diag.FromErr(err)
	}
	return nil
}

func updateVPCLink(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	if err := updateTags(ctx, d, meta, c, vpcLinkARN(region, d.Id())); err != nil {
		return diag.FromErr(err)
	}
	if d.HasChange("name") {
		if _, err := c.UpdateVpcLink(ctx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: aws.String(d.Id()), Name: aws.String(d.Get("name").(string))}); err != nil {
			return diag.Errorf("updating API Gateway v2 VPC Link (%s): %s", d.Id(), err)
		}
	}
	return readVPCLink(ctx, d, meta)
}

func deleteVPCLink(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteVpcLink(ctx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 VPC Link (%s): %s", d.Id(), err)
	}
	return nil
}
