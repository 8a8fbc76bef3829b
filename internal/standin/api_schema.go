package standin

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	defaultAPIKeySelectionExpression = "$request.header.x-api-key"
	defaultRouteSelectionExpression  = "$request.method $request.path"
)

var corsType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"allow_credentials": types.BoolType,
	"allow_headers":     types.SetType{ElemType: types.StringType},
	"allow_methods":     types.SetType{ElemType: types.StringType},
	"allow_origins":     types.SetType{ElemType: types.StringType},
	"expose_headers":    types.SetType{ElemType: types.StringType},
	"max_age":           types.Int64Type,
}}

func apiSchema() schema.Schema {
	tags, tagsAll := tagsAttributes()
	stringSet := func() schema.SetAttribute { return schema.SetAttribute{ElementType: types.StringType, Optional: true} }
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"api_endpoint": schema.StringAttribute{Computed: true},
			"api_key_selection_expression": schema.StringAttribute{
				Optional: true,
				Validators: []validator.String{stringvalidator.OneOf(
					"$context.authorizer.usageIdentifierKey", defaultAPIKeySelectionExpression)},
			},
			"arn": schema.StringAttribute{Computed: true},
			// Write-only in effect: sent on create and update, never read back.
			"body":            schema.StringAttribute{Optional: true},
			"credentials_arn": schema.StringAttribute{Optional: true, PlanModifiers: forceNew()},
			"description": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(0, 1024)},
			},
			"disable_execute_api_endpoint": schema.BoolAttribute{Optional: true},
			"execution_arn":                schema.StringAttribute{Computed: true},
			"fail_on_warnings":             schema.BoolAttribute{Optional: true},
			"id":                           idAttribute(),
			"ip_address_type": schema.StringAttribute{
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf("ipv4", "dualstack")},
			},
			"name": schema.StringAttribute{
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 128)},
			},
			"protocol_type": schema.StringAttribute{
				Required:      true,
				PlanModifiers: forceNew(),
				Validators:    []validator.String{stringvalidator.OneOf("HTTP", "WEBSOCKET")},
			},
			"region":                     regionAttribute(),
			"route_key":                  schema.StringAttribute{Optional: true, PlanModifiers: forceNew()},
			"route_selection_expression": schema.StringAttribute{Optional: true},
			"tags":                       tags,
			"tags_all":                   tagsAll,
			"target":                     schema.StringAttribute{Optional: true, PlanModifiers: forceNew()},
			"version": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 64)},
			},
		},
		Blocks: map[string]schema.Block{
			"cors_configuration": schema.ListNestedBlock{
				Validators: atMostOne(),
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"allow_credentials": schema.BoolAttribute{Optional: true},
					"allow_headers":     stringSet(),
					"allow_methods":     stringSet(),
					"allow_origins":     stringSet(),
					"expose_headers":    stringSet(),
					"max_age":           schema.Int64Attribute{Optional: true},
				}},
			},
		},
	}
}

type apiModel struct {
	APIEndpoint               types.String `tfsdk:"api_endpoint"`
	APIKeySelectionExpression types.String `tfsdk:"api_key_selection_expression"`
	ARN                       types.String `tfsdk:"arn"`
	Body                      types.String `tfsdk:"body"`
	CorsConfiguration         types.List   `tfsdk:"cors_configuration"`
	CredentialsARN            types.String `tfsdk:"credentials_arn"`
	Description               types.String `tfsdk:"description"`
	DisableExecuteAPIEndpoint types.Bool   `tfsdk:"disable_execute_api_endpoint"`
	ExecutionARN              types.String `tfsdk:"execution_arn"`
	FailOnWarnings            types.Bool   `tfsdk:"fail_on_warnings"`
	ID                        types.String `tfsdk:"id"`
	IPAddressType             types.String `tfsdk:"ip_address_type"`
	Name                      types.String `tfsdk:"name"`
	ProtocolType              types.String `tfsdk:"protocol_type"`
	Region                    types.String `tfsdk:"region"`
	RouteKey                  types.String `tfsdk:"route_key"`
	RouteSelectionExpression  types.String `tfsdk:"route_selection_expression"`
	Tags                      types.Map    `tfsdk:"tags"`
	TagsAll                   types.Map    `tfsdk:"tags_all"`
	Target                    types.String `tfsdk:"target"`
	Version                   types.String `tfsdk:"version"`
}

// nullAPI is the prior state of an API being created.
func nullAPI() apiModel {
	return apiModel{
		APIEndpoint:               types.StringNull(),
		APIKeySelectionExpression: types.StringNull(),
		ARN:                       types.StringNull(),
		Body:                      types.StringNull(),
		CorsConfiguration:         types.ListNull(corsType),
		CredentialsARN:            types.StringNull(),
		Description:               types.StringNull(),
		DisableExecuteAPIEndpoint: types.BoolNull(),
		ExecutionARN:              types.StringNull(),
		FailOnWarnings:            types.BoolNull(),
		ID:                        types.StringNull(),
		IPAddressType:             types.StringNull(),
		Name:                      types.StringNull(),
		ProtocolType:              types.StringNull(),
		Region:                    types.StringNull(),
		RouteKey:                  types.StringNull(),
		RouteSelectionExpression:  types.StringNull(),
		Tags:                      types.MapNull(types.StringType),
		TagsAll:                   types.MapNull(types.StringType),
		Target:                    types.StringNull(),
		Version:                   types.StringNull(),
	}
}

type corsModel struct {
	AllowCredentials types.Bool  `tfsdk:"allow_credentials"`
	AllowHeaders     types.Set   `tfsdk:"allow_headers"`
	AllowMethods     types.Set   `tfsdk:"allow_methods"`
	AllowOrigins     types.Set   `tfsdk:"allow_origins"`
	ExposeHeaders    types.Set   `tfsdk:"expose_headers"`
	MaxAge           types.Int64 `tfsdk:"max_age"`
}
