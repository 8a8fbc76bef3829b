package standin

import (
	"context"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceAPI is aws_apigatewayv2_api (FACTS.md, "aws_apigatewayv2_api").
func resourceAPI() *schema.Resource {
	caseInsensitiveSet := func() *schema.Schema {
		return &schema.Schema{Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}, Set: caseInsensitiveHash}
	}
	return &schema.Resource{
		CreateContext: createAPI,
		ReadContext:   readAPI,
		UpdateContext: updateAPI,
		DeleteContext: deleteAPI,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return []*schema.ResourceData{d}, importRegion(d, meta)
		}},
		CustomizeDiff: commonDiff,
		Schema: map[string]*schema.Schema{
			"api_endpoint": {Type: schema.TypeString, Computed: true},
			"api_key_selection_expression": {
				Type:     schema.TypeString,
				Optional: true,
				Default:  "$request.header.x-api-key",
				ValidateFunc: validation.StringInSlice([]string{
					"$context.authorizer.usageIdentifierKey", "$request.header.x-api-key",
				}, false),
			},
			"arn": {Type: schema.TypeString, Computed: true},
			"body": {
				Type:             schema.TypeString,
				Optional:         true,
				DiffSuppressFunc: equivalentDocuments,
				ValidateFunc:     validDocument,
			},
			"cors_configuration": {
				Type:     schema.TypeList,
				Optional: true,
				MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"allow_credentials": {Type: schema.TypeBool, Optional: true},
					"allow_headers":     caseInsensitiveSet(),
					"allow_methods":     caseInsensitiveSet(),
					"allow_origins":     caseInsensitiveSet(),
					"expose_headers":    caseInsensitiveSet(),
					"max_age":           {Type: schema.TypeInt, Optional: true},
				}},
			},
			"credentials_arn":              {Type: schema.TypeString, Optional: true, ForceNew: true, ValidateFunc: validARN},
			"description":                  {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(0, 1024)},
			"disable_execute_api_endpoint": {Type: schema.TypeBool, Optional: true},
			"execution_arn":                {Type: schema.TypeString, Computed: true},
			"fail_on_warnings":             {Type: schema.TypeBool, Optional: true},
			"ip_address_type": {
				Type:         schema.TypeString,
				Optional:     true,
				Computed:     true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.IpAddressType("").Values()), false),
			},
			"name": {Type: schema.TypeString, Required: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"protocol_type": {
				Type:         schema.TypeString,
				Required:     true,
				ForceNew:     true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.ProtocolType("").Values()), false),
			},
			"region":                     regionSchema(),
			"route_key":                  {Type: schema.TypeString, Optional: true, ForceNew: true},
			"route_selection_expression": {Type: schema.TypeString, Optional: true, Default: "$request.method $request.path"},
			"tags":                       tagsSchema(),
			"tags_all":                   tagsAllSchema(),
			"target":                     {Type: schema.TypeString, Optional: true, ForceNew: true},
			"version":                    {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 64)},
		},
	}
}

// enumValues turns an SDK enum's Values into strings for validation.
func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func createAPI(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	name := d.Get("name").(string)
	in := &apigatewayv2.CreateApiInput{
		Name:         aws.String(name),
		ProtocolType: awstypes.ProtocolType(d.Get("protocol_type").(string)),
		Tags:         tagsIn(d, meta),
	}
	if v, ok := d.GetOk("api_key_selection_expression"); ok {
		in.ApiKeySelectionExpression = aws.String(v.(string))
	}
	if v, ok := d.GetOk("cors_configuration"); ok {
		in.CorsConfiguration = expandCORS(v.([]any))
	}
	if v, ok := d.GetOk("credentials_arn"); ok {
		in.CredentialsArn = aws.String(v.(string))
	}
	if v, ok := d.GetOk("description"); ok {
		in.Description = aws.String(v.(string))
	}
	if v, ok := d.GetOk("disable_execute_api_endpoint"); ok {
		in.DisableExecuteApiEndpoint = aws.Bool(v.(bool))
	}
	if v, ok := d.GetOk("ip_address_type"); ok {
		in.IpAddressType = awstypes.IpAddressType(v.(string))
	}
	if v, ok := d.GetOk("route_key"); ok {
		in.RouteKey = aws.String(v.(string))
	}
	if v, ok := d.GetOk("route_selection_expression"); ok {
		in.RouteSelectionExpression = aws.String(v.(string))
	}
	if v, ok := d.GetOk("target"); ok {
		in.Target = aws.String(v.(string))
	}
	if v, ok := d.GetOk("version"); ok {
		in.Version = aws.String(v.(string))
	}
	out, err := c.CreateApi(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 API (%s): %s", name, err)
	}
	d.SetId(aws.ToString(out.ApiId))
	if err := reimport(ctx, d, meta); err != nil {
		return diag.FromErr(err)
	}
	return readAPI(ctx, d, meta)
}

// readAPI stores what GetApi returns. body, credentials_arn,
// fail_on_warnings, route_key and target are never read back.
func readAPI(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(d.Id())})
	if !d.IsNewResource() && isNotFound(err) {
		d.SetId("")
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 API (%s): %s", d.Id(), err)
	}
	account := meta.(*providerData).accountID
	for k, v := range map[string]any{
		"api_endpoint":                 aws.ToString(out.ApiEndpoint),
		"api_key_selection_expression": aws.ToString(out.ApiKeySelectionExpression),
		"arn":                          apiARN(region, d.Id()),
		"cors_configuration":           flattenCORS(out.CorsConfiguration),
		"description":                  aws.ToString(out.Description),
		"disable_execute_api_endpoint": aws.ToBool(out.DisableExecuteApiEndpoint),
		"execution_arn":                apiExecutionARN(region, account, d.Id()),
		"ip_address_type":              string(out.IpAddressType),
		"name":                         aws.ToString(out.Name),
		"protocol_type":                string(out.ProtocolType),
		"region":                       region,
		"route_selection_expression":   aws.ToString(out.RouteSelectionExpression),
		"version":                      aws.ToString(out.Version),
	} {
		if err := d.Set(k, v); err != nil {
			return diag.Errorf("setting %s: %s", k, err)
		}
	}
	if err := readTags(d, meta, out.Tags); err != nil {
		return diag.FromErr(err)
	}
	return nil
}

func updateAPI(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	if err := updateTags(ctx, d, meta, c, apiARN(region, d.Id())); err != nil {
		return diag.FromErr(err)
	}
	corsDeleted := false
	if d.HasChange("cors_configuration") && len(d.Get("cors_configuration").([]any)) == 0 {
		if _, err := c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(d.Id())}); err != nil {
			return diag.Errorf("deleting API Gateway v2 API (%s) CORS configuration: %s", d.Id(), err)
		}
		corsDeleted = true
	}
	if d.HasChanges("api_key_selection_expression", "description", "disable_execute_api_endpoint", "ip_address_type", "name", "route_selection_expression", "version") ||
		(d.HasChange("cors_configuration") && !corsDeleted) {
		in := &apigatewayv2.UpdateApiInput{ApiId: aws.String(d.Id())}
		str := func(k string) *string {
			if d.HasChange(k) {
				return aws.String(d.Get(k).(string))
			}
			return nil
		}
		in.ApiKeySelectionExpression = str("api_key_selection_expression")
		in.Description = str("description")
		in.Name = str("name")
		in.RouteSelectionExpression = str("route_selection_expression")
		in.Version = str("version")
		if v := str("ip_address_type"); v != nil {
			in.IpAddressType = awstypes.IpAddressType(*v)
		}
		if d.HasChange("cors_configuration") {
			in.CorsConfiguration = expandCORS(d.Get("cors_configuration").([]any))
		}
		if d.HasChange("disable_execute_api_endpoint") {
			in.DisableExecuteApiEndpoint = aws.Bool(d.Get("disable_execute_api_endpoint").(bool))
		}
		if _, err := c.UpdateApi(ctx, in); err != nil {
			return diag.Errorf("updating API Gateway v2 API (%s): %s", d.Id(), err)
		}
	}
	if d.HasChange("body") {
		if err := reimport(ctx, d, meta); err != nil {
			return diag.FromErr(err)
		}
	}
	return readAPI(ctx, d, meta)
}

// reimport replaces the API's definition with body, then restores the
// configured name, description, version and CORS where the definition does
// not set them, as the real provider does.
func reimport(ctx context.Context, d *schema.ResourceData, meta any) error {
	v, ok := d.GetOk("body")
	if !ok {
		return nil
	}
	body := v.(string)
	c, _ := clientFor(d, meta)
	cors := d.Get("cors_configuration").([]any)
	description, name, version := d.Get("description").(string), d.Get("name").(string), d.Get("version").(string)
	in := &apigatewayv2.ReimportApiInput{ApiId: aws.String(d.Id()), Body: aws.String(body)}
	if v, ok := d.GetOk("fail_on_warnings"); ok {
		in.FailOnWarnings = aws.Bool(v.(bool))
	}
	if _, err := c.ReimportApi(ctx, in); err != nil {
		return fmt.Errorf("reimporting API Gateway v2 API (%s) OpenAPI definition: %w", d.Id(), err)
	}
	if diags := readAPI(ctx, d, meta); diags.HasError() {
		return fmt.Errorf("%s", diags[0].Summary)
	}
	doc, err := decodeDocument(body)
	if err != nil {
		return fmt.Errorf("decoding API Gateway v2 API (%s) OpenAPI definition: %w", d.Id(), err)
	}
	if info, ok := doc["info"].(map[string]any); ok {
		if _, ok := info["description"]; ok {
			description = d.Get("description").(string)
		}
		if _, ok := info["title"]; ok {
			name = d.Get("name").(string)
		}
		if _, ok := info["version"]; ok {
			version = d.Get("version").(string)
		}
	}
	update := &apigatewayv2.UpdateApiInput{
		ApiId:       aws.String(d.Id()),
		Description: aws.String(description),
		Name:        aws.String(name),
		Version:     aws.String(version),
	}
	if !reflect.DeepEqual(cors, d.Get("cors_configuration")) {
		if len(cors) == 0 {
			if _, err := c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(d.Id())}); err != nil {
				return fmt.Errorf("deleting API Gateway v2 API (%s) CORS configuration: %w", d.Id(), err)
			}
		} else {
			update.CorsConfiguration = expandCORS(cors)
		}
	}
	if _, err := c.UpdateApi(ctx, update); err != nil {
		return fmt.Errorf("updating API Gateway v2 API (%s): %w", d.Id(), err)
	}
	return nil
}

func deleteAPI(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 API (%s): %s", d.Id(), err)
	}
	return nil
}

// expandCORS sends every member of a configured block; an absent block is
// an empty CORS object.
func expandCORS(l []any) *awstypes.Cors {
	out := &awstypes.Cors{}
	m := firstBlock(l)
	if m == nil {
		return out
	}
	if v, ok := m["allow_credentials"].(bool); ok {
		out.AllowCredentials = aws.Bool(v)
	}
	out.AllowHeaders = stringsOf(m["allow_headers"])
	out.AllowMethods = stringsOf(m["allow_methods"])
	out.AllowOrigins = stringsOf(m["allow_origins"])
	out.ExposeHeaders = stringsOf(m["expose_headers"])
	if v, ok := m["max_age"].(int); ok {
		out.MaxAge = aws.Int32(int32(v))
	}
	return out
}

func flattenCORS(c *awstypes.Cors) []any {
	if c == nil {
		return []any{}
	}
	set := func(v []string) *schema.Set {
		l := make([]any, len(v))
		for i, s := range v {
			l[i] = s
		}
		return schema.NewSet(caseInsensitiveHash, l)
	}
	return []any{map[string]any{
		"allow_credentials": aws.ToBool(c.AllowCredentials),
		"allow_headers":     set(c.AllowHeaders),
		"allow_methods":     set(c.AllowMethods),
		"allow_origins":     set(c.AllowOrigins),
		"expose_headers":    set(c.ExposeHeaders),
		"max_age":           int(aws.ToInt32(c.MaxAge)),
	}}
}
