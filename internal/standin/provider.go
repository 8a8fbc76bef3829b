package standin

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Address is the registry address engines resolve the stand-in under.
const Address = "registry.terraform.io/hashicorp/aws"

// endpointServices are the endpoints block's attributes. The real block
// has one per service; these are the ones LocalStack-style configurations
// list. Only apigatewayv2 and sts are dialled.
var endpointServices = []string{
	"acm", "apigateway", "apigatewayv2", "appsync", "athena", "cloudformation", "cloudfront",
	"cloudwatch", "cloudwatchevents", "cloudwatchlogs", "codebuild", "cognitoidentity",
	"cognitoidp", "dynamodb", "ec2", "ecr", "ecs", "efs", "eks", "elasticache", "elb", "elbv2",
	"es", "events", "firehose", "glue", "iam", "kinesis", "kms", "lambda", "logs", "opensearch",
	"rds", "redshift", "route53", "s3", "s3control", "scheduler", "secretsmanager", "ses",
	"sesv2", "sfn", "sns", "sqs", "ssm", "stepfunctions", "sts", "wafv2", "xray",
}

// Provider is the stand-in hashicorp/aws provider. Its schema follows the
// real provider's names and types; the arguments it leaves out (proxies,
// user_agent, assume_role_with_web_identity, ...) are ones it could not
// honour.
func Provider() *schema.Provider {
	optString := func() *schema.Schema { return &schema.Schema{Type: schema.TypeString, Optional: true} }
	optBool := func() *schema.Schema { return &schema.Schema{Type: schema.TypeBool, Optional: true} }
	stringSet := func() *schema.Schema {
		return &schema.Schema{Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}}
	}
	stringList := func() *schema.Schema {
		return &schema.Schema{Type: schema.TypeList, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}}
	}
	endpoints := map[string]*schema.Schema{}
	for _, s := range endpointServices {
		endpoints[s] = &schema.Schema{Type: schema.TypeString, Optional: true, Description: "Use this to override the default service endpoint URL"}
	}
	p := &schema.Provider{
		Schema: map[string]*schema.Schema{
			"access_key":          optString(),
			"allowed_account_ids": stringSet(),
			"assume_role": {
				Type:     schema.TypeList,
				Optional: true,
				MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"external_id":  optString(),
					"role_arn":     {Type: schema.TypeString, Optional: true, ValidateFunc: validARN},
					"session_name": optString(),
				}},
			},
			"custom_ca_bundle": optString(),
			"default_tags": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"tags": {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
				}},
			},
			"ec2_metadata_service_endpoint":      optString(),
			"ec2_metadata_service_endpoint_mode": optString(),
			"endpoints": {
				Type: schema.TypeSet, Optional: true,
				Elem: &schema.Resource{Schema: endpoints},
			},
			"forbidden_account_ids": stringSet(),
			"ignore_tags": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"keys":         stringSet(),
					"key_prefixes": stringSet(),
				}},
			},
			"insecure":                    optBool(),
			"max_retries":                 {Type: schema.TypeInt, Optional: true},
			"profile":                     optString(),
			"region":                      optString(),
			"retry_mode":                  optString(),
			"s3_use_path_style":           optBool(),
			"secret_key":                  optString(),
			"shared_config_files":         stringList(),
			"shared_credentials_files":    stringList(),
			"skip_credentials_validation": optBool(),
			// A string in the real provider too, so that unset differs from false.
			"skip_metadata_api_check":    optString(),
			"skip_region_validation":     optBool(),
			"skip_requesting_account_id": optBool(),
			"sts_region":                 optString(),
			"token":                      optString(),
			"use_dualstack_endpoint":     optBool(),
			"use_fips_endpoint":          optBool(),
		},
		ResourcesMap: map[string]*schema.Resource{
			"aws_apigatewayv2_api":                  resourceAPI(),
			"aws_apigatewayv2_stage":                resourceStage(),
			"aws_apigatewayv2_integration":          resourceIntegration(),
			"aws_apigatewayv2_route":                resourceRoute(),
			"aws_apigatewayv2_authorizer":           resourceAuthorizer(),
			"aws_apigatewayv2_model":                resourceModel(),
			"aws_apigatewayv2_route_response":       resourceRouteResponse(),
			"aws_apigatewayv2_integration_response": resourceIntegrationResponse(),
			"aws_apigatewayv2_domain_name":          resourceDomainName(),
			"aws_apigatewayv2_api_mapping":          resourceAPIMapping(),
			"aws_apigatewayv2_vpc_link":             resourceVPCLink(),
		},
	}
	p.ConfigureContextFunc = func(ctx context.Context, d *schema.ResourceData) (any, diag.Diagnostics) {
		o, err := optionsFrom(d)
		if err != nil {
			return nil, diag.FromErr(err)
		}
		data, err := configure(ctx, o)
		if err != nil {
			return nil, diag.Errorf("configuring the stand-in AWS provider: %s", err)
		}
		return data, nil
	}
	return p
}

// options is the provider configuration the stand-in honours, decoded.
type options struct {
	Region, AccessKey, SecretKey, Token, Profile, STSRegion string
	SharedConfigFiles, SharedCredentialsFiles               []string
	APIGatewayV2Endpoint, STSEndpoint                       string
	MaxRetries                                              int
	RetryMode                                               string
	Insecure                                                bool
	CustomCABundle                                          string
	UseFIPS, UseDualStack                                   bool
	EC2MetadataEndpoint, EC2MetadataEndpointMode            string
	SkipMetadataAPICheck                                    *bool
	SkipCredentialsValidation, SkipRequestingAccountID      bool
	AllowedAccountIDs, ForbiddenAccountIDs                  []string
	AssumeRole                                              *assumeRole
	Tags                                                    tagPolicy
}

// assumeRole is the provider's assume_role block.
type assumeRole struct {
	RoleARN, ExternalID, SessionName string
}

func optionsFrom(d *schema.ResourceData) (options, error) {
	o := options{
		Region:                    d.Get("region").(string),
		AccessKey:                 d.Get("access_key").(string),
		SecretKey:                 d.Get("secret_key").(string),
		Token:                     d.Get("token").(string),
		Profile:                   d.Get("profile").(string),
		STSRegion:                 d.Get("sts_region").(string),
		MaxRetries:                d.Get("max_retries").(int),
		RetryMode:                 d.Get("retry_mode").(string),
		Insecure:                  d.Get("insecure").(bool),
		CustomCABundle:            d.Get("custom_ca_bundle").(string),
		UseFIPS:                   d.Get("use_fips_endpoint").(bool),
		UseDualStack:              d.Get("use_dualstack_endpoint").(bool),
		EC2MetadataEndpoint:       d.Get("ec2_metadata_service_endpoint").(string),
		EC2MetadataEndpointMode:   d.Get("ec2_metadata_service_endpoint_mode").(string),
		SkipCredentialsValidation: d.Get("skip_credentials_validation").(bool),
		SkipRequestingAccountID:   d.Get("skip_requesting_account_id").(bool),
		SharedConfigFiles:         stringsOf(d.Get("shared_config_files")),
		SharedCredentialsFiles:    stringsOf(d.Get("shared_credentials_files")),
		AllowedAccountIDs:         stringsOf(d.Get("allowed_account_ids")),
		ForbiddenAccountIDs:       stringsOf(d.Get("forbidden_account_ids")),
	}
	if v := d.Get("skip_metadata_api_check").(string); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("skip_metadata_api_check: %q is not a bool; use true or false", v)
		}
		o.SkipMetadataAPICheck = &b
	}
	for _, e := range d.Get("endpoints").(*schema.Set).List() {
		m, _ := e.(map[string]any)
		if v, _ := m["apigatewayv2"].(string); v != "" {
			o.APIGatewayV2Endpoint = v
		}
		if v, _ := m["sts"].(string); v != "" {
			o.STSEndpoint = v
		}
	}
	if m := firstBlock(d.Get("assume_role")); m != nil {
		if arn, _ := m["role_arn"].(string); arn != "" {
			ext, _ := m["external_id"].(string)
			session, _ := m["session_name"].(string)
			o.AssumeRole = &assumeRole{RoleARN: arn, ExternalID: ext, SessionName: session}
		}
	}
	o.Tags.defaults = map[string]string{}
	if m := firstBlock(d.Get("default_tags")); m != nil {
		o.Tags.defaults = stringMapOf(m["tags"])
	}
	if m := firstBlock(d.Get("ignore_tags")); m != nil {
		o.Tags.ignoreKeys = stringsOf(m["keys"])
		o.Tags.ignorePrefixes = stringsOf(m["key_prefixes"])
	}
	return o, nil
}

// firstBlock is the single element of a MaxItems 1 block, or nil.
func firstBlock(v any) map[string]any {
	l, _ := v.([]any)
	if len(l) == 0 {
		return nil
	}
	m, _ := l[0].(map[string]any)
	return m
}

// stringsOf reads a list or set of strings as SDKv2 hands them over.
func stringsOf(v any) []string {
	var l []any
	switch x := v.(type) {
	case *schema.Set:
		l = x.List()
	case []any:
		l = x
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// stringMapOf reads a map of strings as SDKv2 hands it over.
func stringMapOf(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	return out
}
