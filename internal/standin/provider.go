package standin

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// New returns the stand-in provider; version is what engines report.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &awsProvider{version: version} }
}

type awsProvider struct {
	version string
}

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

type providerModel struct {
	AccessKey                 types.String `tfsdk:"access_key"`
	AllowedAccountIDs         types.Set    `tfsdk:"allowed_account_ids"`
	CustomCABundle            types.String `tfsdk:"custom_ca_bundle"`
	DefaultTags               types.List   `tfsdk:"default_tags"`
	EC2MetadataEndpoint       types.String `tfsdk:"ec2_metadata_service_endpoint"`
	EC2MetadataEndpointMode   types.String `tfsdk:"ec2_metadata_service_endpoint_mode"`
	Endpoints                 types.Set    `tfsdk:"endpoints"`
	ForbiddenAccountIDs       types.Set    `tfsdk:"forbidden_account_ids"`
	IgnoreTags                types.List   `tfsdk:"ignore_tags"`
	Insecure                  types.Bool   `tfsdk:"insecure"`
	MaxRetries                types.Int64  `tfsdk:"max_retries"`
	Profile                   types.String `tfsdk:"profile"`
	Region                    types.String `tfsdk:"region"`
	RetryMode                 types.String `tfsdk:"retry_mode"`
	S3UsePathStyle            types.Bool   `tfsdk:"s3_use_path_style"`
	SecretKey                 types.String `tfsdk:"secret_key"`
	SharedConfigFiles         types.List   `tfsdk:"shared_config_files"`
	SharedCredentialsFiles    types.List   `tfsdk:"shared_credentials_files"`
	SkipCredentialsValidation types.Bool   `tfsdk:"skip_credentials_validation"`
	SkipMetadataAPICheck      types.String `tfsdk:"skip_metadata_api_check"`
	SkipRegionValidation      types.Bool   `tfsdk:"skip_region_validation"`
	SkipRequestingAccountID   types.Bool   `tfsdk:"skip_requesting_account_id"`
	STSRegion                 types.String `tfsdk:"sts_region"`
	Token                     types.String `tfsdk:"token"`
	UseDualStackEndpoint      types.Bool   `tfsdk:"use_dualstack_endpoint"`
	UseFIPSEndpoint           types.Bool   `tfsdk:"use_fips_endpoint"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

type ignoreTagsModel struct {
	Keys        types.Set `tfsdk:"keys"`
	KeyPrefixes types.Set `tfsdk:"key_prefixes"`
}

func (p *awsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "aws"
	resp.Version = p.version
}

// Schema follows the real provider's attribute names and types; the
// attributes it omits (assume_role, proxies, user_agent, ...) are ones the
// stand-in could not honour.
func (p *awsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func() schema.StringAttribute { return schema.StringAttribute{Optional: true} }
	boolean := func() schema.BoolAttribute { return schema.BoolAttribute{Optional: true} }
	endpoints := map[string]schema.Attribute{}
	for _, s := range endpointServices {
		endpoints[s] = schema.StringAttribute{Optional: true, Description: "Use this to override the default service endpoint URL"}
	}
	atMostOne := []validator.List{listvalidator.SizeAtMost(1)}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"access_key":                         str(),
			"allowed_account_ids":                schema.SetAttribute{ElementType: types.StringType, Optional: true},
			"custom_ca_bundle":                   str(),
			"ec2_metadata_service_endpoint":      str(),
			"ec2_metadata_service_endpoint_mode": str(),
			"forbidden_account_ids":              schema.SetAttribute{ElementType: types.StringType, Optional: true},
			"insecure":                           boolean(),
			"max_retries":                        schema.Int64Attribute{Optional: true},
			"profile":                            str(),
			"region":                             str(),
			"retry_mode":                         str(),
			"s3_use_path_style":                  boolean(),
			"secret_key":                         str(),
			"shared_config_files":                schema.ListAttribute{ElementType: types.StringType, Optional: true},
			"shared_credentials_files":           schema.ListAttribute{ElementType: types.StringType, Optional: true},
			"skip_credentials_validation":        boolean(),
			// A string in the real provider too, so that unset differs from false.
			"skip_metadata_api_check":    str(),
			"skip_region_validation":     boolean(),
			"skip_requesting_account_id": boolean(),
			"sts_region":                 str(),
			"token":                      str(),
			"use_dualstack_endpoint":     boolean(),
			"use_fips_endpoint":          boolean(),
		},
		Blocks: map[string]schema.Block{
			"default_tags": schema.ListNestedBlock{
				Validators: atMostOne,
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"tags": schema.MapAttribute{ElementType: types.StringType, Optional: true},
				}},
			},
			"endpoints": schema.SetNestedBlock{
				NestedObject: schema.NestedBlockObject{Attributes: endpoints},
			},
			"ignore_tags": schema.ListNestedBlock{
				Validators: atMostOne,
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"keys":         schema.SetAttribute{ElementType: types.StringType, Optional: true},
					"key_prefixes": schema.SetAttribute{ElementType: types.StringType, Optional: true},
				}},
			},
		},
	}
}

func (p *awsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newAPIResource, newStageResource}
}

func (p *awsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return nil
}

func (p *awsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts, diags := m.options(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, err := configure(ctx, opts)
	if err != nil {
		resp.Diagnostics.AddError("configuring the stand-in AWS provider", err.Error())
		return
	}
	resp.ResourceData = data
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
	Tags                                                    tagPolicy
}

func (m providerModel) options(ctx context.Context) (options, diag.Diagnostics) {
	o := options{
		Region:                    m.Region.ValueString(),
		AccessKey:                 m.AccessKey.ValueString(),
		SecretKey:                 m.SecretKey.ValueString(),
		Token:                     m.Token.ValueString(),
		Profile:                   m.Profile.ValueString(),
		STSRegion:                 m.STSRegion.ValueString(),
		MaxRetries:                int(m.MaxRetries.ValueInt64()),
		RetryMode:                 m.RetryMode.ValueString(),
		Insecure:                  m.Insecure.ValueBool(),
		CustomCABundle:            m.CustomCABundle.ValueString(),
		UseFIPS:                   m.UseFIPSEndpoint.ValueBool(),
		UseDualStack:              m.UseDualStackEndpoint.ValueBool(),
		EC2MetadataEndpoint:       m.EC2MetadataEndpoint.ValueString(),
		EC2MetadataEndpointMode:   m.EC2MetadataEndpointMode.ValueString(),
		SkipCredentialsValidation: m.SkipCredentialsValidation.ValueBool(),
		SkipRequestingAccountID:   m.SkipRequestingAccountID.ValueBool(),
	}
	var diags diag.Diagnostics
	strs := func(v []string, d diag.Diagnostics) []string {
		diags.Append(d...)
		return v
	}
	if v := m.SkipMetadataAPICheck.ValueString(); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			diags.AddAttributeError(path.Root("skip_metadata_api_check"), "invalid skip_metadata_api_check",
				fmt.Sprintf("%q is not a bool; use true or false", v))
		}
		o.SkipMetadataAPICheck = &b
	}
	o.SharedConfigFiles = strs(stringSlice(ctx, m.SharedConfigFiles))
	o.SharedCredentialsFiles = strs(stringSlice(ctx, m.SharedCredentialsFiles))
	o.AllowedAccountIDs = strs(stringSlice(ctx, m.AllowedAccountIDs))
	o.ForbiddenAccountIDs = strs(stringSlice(ctx, m.ForbiddenAccountIDs))

	for _, e := range m.Endpoints.Elements() {
		obj, ok := e.(types.Object)
		if !ok {
			continue
		}
		attrs := obj.Attributes()
		if v, ok := attrs["apigatewayv2"].(types.String); ok && v.ValueString() != "" {
			o.APIGatewayV2Endpoint = v.ValueString()
		}
		if v, ok := attrs["sts"].(types.String); ok && v.ValueString() != "" {
			o.STSEndpoint = v.ValueString()
		}
	}

	o.Tags.defaults = map[string]string{}
	var defaults []defaultTagsModel
	if !m.DefaultTags.IsNull() && !m.DefaultTags.IsUnknown() {
		diags.Append(m.DefaultTags.ElementsAs(ctx, &defaults, false)...)
	}
	for _, t := range defaults {
		tags, d := stringMap(ctx, t.Tags)
		diags.Append(d...)
		o.Tags.defaults = tags
	}
	var ignore []ignoreTagsModel
	if !m.IgnoreTags.IsNull() && !m.IgnoreTags.IsUnknown() {
		diags.Append(m.IgnoreTags.ElementsAs(ctx, &ignore, false)...)
	}
	for _, t := range ignore {
		o.Tags.ignoreKeys = strs(stringSlice(ctx, t.Keys))
		o.Tags.ignorePrefixes = strs(stringSlice(ctx, t.KeyPrefixes))
	}
	return o, diags
}

// readResource is the Read both resources share. A resource gone outside
// Terraform is removed from the state, so engines report it deleted and plan
// to create it again, as the real provider does.
func readResource[M any](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, read func(context.Context, M) (M, bool, diag.Diagnostics)) {
	var prior M
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, found, diags := read(ctx, prior)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// afterApply stores what a read returns after a create or update, as the
// real provider's Create and Update end in its Read. Empty collections stay
// as read where the plan had null: SDKv2 keeps the applied empty value then,
// so a refresh right after apply finds no drift.
func afterApply[M any](ctx context.Context, what, id string, plan M, read func(context.Context, M) (M, bool, diag.Diagnostics), state *tfsdk.State, diags *diag.Diagnostics) {
	m, found, dd := read(ctx, plan)
	diags.Append(dd...)
	if dd.HasError() {
		return
	}
	if !found {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 %s (%s): not found after apply", what, id), "")
		return
	}
	diags.Append(state.Set(ctx, m)...)
}
