package standin

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceAuthorizer is aws_apigatewayv2_authorizer (FACTS.md,
// "aws_apigatewayv2_authorizer").
func resourceAuthorizer() *schema.Resource {
	return &schema.Resource{
		CreateContext: createAuthorizer,
		ReadContext:   readAuthorizer,
		UpdateContext: updateAuthorizer,
		DeleteContext: deleteAuthorizer,
		// The real importer only splits the id; the read that follows
		// finds out whether the authorizer exists.
		Importer: &schema.ResourceImporter{StateContext: func(ctx context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return importChild(ctx, d, meta, "authorizer-id", "Authorizer", nil)
		}},
		Timeouts:      &schema.ResourceTimeout{Delete: schema.DefaultTimeout(30 * time.Minute)},
		CustomizeDiff: regionDiff,
		Schema: map[string]*schema.Schema{
			"api_id":                            {Type: schema.TypeString, Required: true, ForceNew: true},
			"authorizer_credentials_arn":        {Type: schema.TypeString, Optional: true, ValidateFunc: validARN},
			"authorizer_payload_format_version": {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringInSlice([]string{"1.0", "2.0"}, false)},
			"authorizer_result_ttl_in_seconds":  {Type: schema.TypeInt, Optional: true, Computed: true, ValidateFunc: validation.IntBetween(0, 3600)},
			"authorizer_type": {
				Type: schema.TypeString, Required: true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.AuthorizerType("").Values()), false),
			},
			"authorizer_uri":          {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(1, 2048)},
			"enable_simple_responses": {Type: schema.TypeBool, Optional: true},
			"identity_sources":        {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"jwt_configuration": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"audience": {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
					"issuer":   {Type: schema.TypeString, Optional: true},
				}},
			},
			"name":   {Type: schema.TypeString, Required: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"region": regionSchema(),
		},
	}
}

// createAuthorizer asks for the API's protocol first: an HTTP API's
// REQUEST authorizer with identity sources and no configured TTL is
// created with 300 seconds, the console's default.
func createAuthorizer(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	apiID := d.Get("api_id").(string)
	protocol, err := protocolOf(ctx, c, apiID)
	if err != nil {
		return diag.FromErr(err)
	}
	typ := awstypes.AuthorizerType(d.Get("authorizer_type").(string))
	in := &apigatewayv2.CreateAuthorizerInput{
		ApiId:          aws.String(apiID),
		AuthorizerType: typ,
		IdentitySource: stringSetOf(d.Get("identity_sources")),
		Name:           aws.String(d.Get("name").(string)),
	}
	setStrings(d, map[string]**string{
		"authorizer_credentials_arn": &in.AuthorizerCredentialsArn, "authorizer_payload_format_version": &in.AuthorizerPayloadFormatVersion,
		"authorizer_uri": &in.AuthorizerUri,
	})
	//lint:ignore SA1019 the real provider calls GetOkExists: it tells a configured 0 from none.
	if v, ok := d.GetOkExists("authorizer_result_ttl_in_seconds"); ok {
		in.AuthorizerResultTtlInSeconds = aws.Int32(int32(v.(int)))
	} else if protocol == awstypes.ProtocolTypeHttp && typ == awstypes.AuthorizerTypeRequest && len(in.IdentitySource) > 0 {
		in.AuthorizerResultTtlInSeconds = aws.Int32(300)
	}
	if v, ok := d.GetOk("enable_simple_responses"); ok {
		in.EnableSimpleResponses = aws.Bool(v.(bool))
	}
	if v, ok := d.GetOk("jwt_configuration"); ok {
		in.JwtConfiguration = expandJWT(v.([]any))
	}
	out, err := c.CreateAuthorizer(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Authorizer (%s): %s", aws.ToString(in.Name), err)
	}
	d.SetId(aws.ToString(out.AuthorizerId))
	return readAuthorizer(ctx, d, meta)
}

func readAuthorizer(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: aws.String(d.Get("api_id").(string)), AuthorizerId: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Authorizer (%s): %s", d.Id(), err)
	}
	jwt := []any{}
	if j := out.JwtConfiguration; j != nil {
		jwt = []any{map[string]any{"audience": j.Audience, "issuer": aws.ToString(j.Issuer)}}
	}
	return setAttrs(d, map[string]any{
		"authorizer_credentials_arn":        aws.ToString(out.AuthorizerCredentialsArn),
		"authorizer_payload_format_version": aws.ToString(out.AuthorizerPayloadFormatVersion),
		"authorizer_result_ttl_in_seconds":  int(aws.ToInt32(out.AuthorizerResultTtlInSeconds)),
		"authorizer_type":                   string(out.AuthorizerType),
		"authorizer_uri":                    aws.ToString(out.AuthorizerUri),
		"enable_simple_responses":           aws.ToBool(out.EnableSimpleResponses),
		"identity_sources":                  out.IdentitySource,
		"jwt_configuration":                 jwt,
		"name":                              aws.ToString(out.Name),
		"region":                            region,
	})
}

func updateAuthorizer(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	in := &apigatewayv2.UpdateAuthorizerInput{ApiId: aws.String(d.Get("api_id").(string)), AuthorizerId: aws.String(d.Id())}
	changedStrings(d, map[string]**string{
		"authorizer_credentials_arn": &in.AuthorizerCredentialsArn, "authorizer_payload_format_version": &in.AuthorizerPayloadFormatVersion,
		"authorizer_uri": &in.AuthorizerUri, "name": &in.Name,
	})
	if d.HasChange("authorizer_result_ttl_in_seconds") {
		in.AuthorizerResultTtlInSeconds = aws.Int32(int32(d.Get("authorizer_result_ttl_in_seconds").(int)))
	}
	if d.HasChange("authorizer_type") {
		in.AuthorizerType = awstypes.AuthorizerType(d.Get("authorizer_type").(string))
	}
	if d.HasChange("enable_simple_responses") {
		in.EnableSimpleResponses = aws.Bool(d.Get("enable_simple_responses").(bool))
	}
	if d.HasChange("identity_sources") {
		in.IdentitySource = stringSetOf(d.Get("identity_sources"))
	}
	if d.HasChange("jwt_configuration") {
		in.JwtConfiguration = expandJWT(d.Get("jwt_configuration").([]any))
	}
	if _, err := c.UpdateAuthorizer(ctx, in); err != nil {
		return diag.Errorf("updating API Gateway v2 Authorizer (%s): %s", d.Id(), err)
	}
	return readAuthorizer(ctx, d, meta)
}

// deleteAuthorizer retries while a route still uses the authorizer
// (ConflictException), as the real provider does within the delete
// timeout: the route's own delete may be running in parallel.
func deleteAuthorizer(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	deadline := time.Now().Add(d.Timeout(schema.TimeoutDelete))
	for {
		_, err := c.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: aws.String(d.Get("api_id").(string)), AuthorizerId: aws.String(d.Id())})
		var conflict *awstypes.ConflictException
		switch {
		case err == nil || isNotFound(err):
			return nil
		case errors.As(err, &conflict) && time.Now().Before(deadline):
			select {
			case <-ctx.Done():
				return diag.FromErr(ctx.Err())
			case <-time.After(time.Second):
			}
		default:
			return diag.Errorf("deleting API Gateway v2 Authorizer (%s): %s", d.Id(), err)
		}
	}
}

func expandJWT(l []any) *awstypes.JWTConfiguration {
	out := &awstypes.JWTConfiguration{}
	if m := firstBlock(l); m != nil {
		if a := stringSetOf(m["audience"]); len(a) > 0 {
			out.Audience = a
		}
		if v, _ := m["issuer"].(string); v != "" {
			out.Issuer = aws.String(v)
		}
	}
	return out
}
