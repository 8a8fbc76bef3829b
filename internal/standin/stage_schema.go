package standin

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The schemas copy hashicorp/aws 6.25's SDKv2 schemas: Optional, Required
// and Computed flags, types, ForceNew as RequiresReplace and MaxItems 1 as a
// list validator. SDKv2 Defaults cannot be framework Defaults (those must be
// Computed, which would change the schema), so ModifyPlan applies them.

var (
	accessLogType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"destination_arn": types.StringType,
		"format":          types.StringType,
	}}
	defaultRouteType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"data_trace_enabled":       types.BoolType,
		"detailed_metrics_enabled": types.BoolType,
		"logging_level":            types.StringType,
		"throttling_burst_limit":   types.Int64Type,
		"throttling_rate_limit":    types.Float64Type,
	}}
	routeSettingType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"data_trace_enabled":       types.BoolType,
		"detailed_metrics_enabled": types.BoolType,
		"logging_level":            types.StringType,
		"route_key":                types.StringType,
		"throttling_burst_limit":   types.Int64Type,
		"throttling_rate_limit":    types.Float64Type,
	}}
)

// regionAttribute is v6's per-resource region, injected into every regional
// resource of the real provider.
func regionAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:    true,
		Computed:    true,
		Description: "Region where this resource will be managed. Defaults to the Region set in the provider configuration.",
	}
}

// idAttribute is the id SDKv2 adds to every resource: optional and computed.
func idAttribute() schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Computed: true}
}

// tagsAttributes are the provider's TagsSchema and TagsSchemaComputed;
// tags_all is optional as well as computed there, though any configured
// value is replaced by the merge of tags and default_tags.
func tagsAttributes() (tags, tagsAll schema.MapAttribute) {
	return schema.MapAttribute{ElementType: types.StringType, Optional: true},
		schema.MapAttribute{ElementType: types.StringType, Optional: true, Computed: true}
}

func forceNew() []planmodifier.String {
	return []planmodifier.String{stringplanmodifier.RequiresReplace()}
}

func atMostOne() []validator.List {
	return []validator.List{listvalidator.SizeAtMost(1)}
}

func routeSettingsAttributes(withRouteKey bool) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"data_trace_enabled":       schema.BoolAttribute{Optional: true},
		"detailed_metrics_enabled": schema.BoolAttribute{Optional: true},
		"logging_level": schema.StringAttribute{
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{stringvalidator.OneOf("ERROR", "INFO", "OFF")},
		},
		"throttling_burst_limit": schema.Int64Attribute{Optional: true},
		"throttling_rate_limit":  schema.Float64Attribute{Optional: true},
	}
	if withRouteKey {
		attrs["route_key"] = schema.StringAttribute{Required: true}
	}
	return attrs
}

func stageSchema() schema.Schema {
	tags, tagsAll := tagsAttributes()
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"api_id":                schema.StringAttribute{Required: true, PlanModifiers: forceNew()},
			"arn":                   schema.StringAttribute{Computed: true},
			"auto_deploy":           schema.BoolAttribute{Optional: true},
			"client_certificate_id": schema.StringAttribute{Optional: true},
			"deployment_id":         schema.StringAttribute{Optional: true, Computed: true},
			"description": schema.StringAttribute{
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(0, 1024)},
			},
			"execution_arn": schema.StringAttribute{Computed: true},
			"id":            idAttribute(),
			"invoke_url":    schema.StringAttribute{Computed: true},
			"name": schema.StringAttribute{
				Required:      true,
				PlanModifiers: forceNew(),
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 128)},
			},
			"region":          regionAttribute(),
			"stage_variables": schema.MapAttribute{ElementType: types.StringType, Optional: true},
			"tags":            tags,
			"tags_all":        tagsAll,
		},
		Blocks: map[string]schema.Block{
			"access_log_settings": schema.ListNestedBlock{
				Validators: atMostOne(),
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"destination_arn": schema.StringAttribute{Required: true},
					"format":          schema.StringAttribute{Required: true},
				}},
			},
			"default_route_settings": schema.ListNestedBlock{
				Validators:   atMostOne(),
				NestedObject: schema.NestedBlockObject{Attributes: routeSettingsAttributes(false)},
			},
			"route_settings": schema.SetNestedBlock{
				NestedObject: schema.NestedBlockObject{Attributes: routeSettingsAttributes(true)},
			},
		},
	}
}

type stageModel struct {
	AccessLogSettings    types.List   `tfsdk:"access_log_settings"`
	APIID                types.String `tfsdk:"api_id"`
	ARN                  types.String `tfsdk:"arn"`
	AutoDeploy           types.Bool   `tfsdk:"auto_deploy"`
	ClientCertificateID  types.String `tfsdk:"client_certificate_id"`
	DefaultRouteSettings types.List   `tfsdk:"default_route_settings"`
	DeploymentID         types.String `tfsdk:"deployment_id"`
	Description          types.String `tfsdk:"description"`
	ExecutionARN         types.String `tfsdk:"execution_arn"`
	ID                   types.String `tfsdk:"id"`
	InvokeURL            types.String `tfsdk:"invoke_url"`
	Name                 types.String `tfsdk:"name"`
	Region               types.String `tfsdk:"region"`
	RouteSettings        types.Set    `tfsdk:"route_settings"`
	StageVariables       types.Map    `tfsdk:"stage_variables"`
	Tags                 types.Map    `tfsdk:"tags"`
	TagsAll              types.Map    `tfsdk:"tags_all"`
}

// nullStage is the prior state of a resource being created.
func nullStage() stageModel {
	return stageModel{
		AccessLogSettings:    types.ListNull(accessLogType),
		APIID:                types.StringNull(),
		ARN:                  types.StringNull(),
		AutoDeploy:           types.BoolNull(),
		ClientCertificateID:  types.StringNull(),
		DefaultRouteSettings: types.ListNull(defaultRouteType),
		DeploymentID:         types.StringNull(),
		Description:          types.StringNull(),
		ExecutionARN:         types.StringNull(),
		ID:                   types.StringNull(),
		InvokeURL:            types.StringNull(),
		Name:                 types.StringNull(),
		Region:               types.StringNull(),
		RouteSettings:        types.SetNull(routeSettingType),
		StageVariables:       types.MapNull(types.StringType),
		Tags:                 types.MapNull(types.StringType),
		TagsAll:              types.MapNull(types.StringType),
	}
}

type accessLogModel struct {
	DestinationARN types.String `tfsdk:"destination_arn"`
	Format         types.String `tfsdk:"format"`
}

type defaultRouteModel struct {
	DataTraceEnabled       types.Bool    `tfsdk:"data_trace_enabled"`
	DetailedMetricsEnabled types.Bool    `tfsdk:"detailed_metrics_enabled"`
	LoggingLevel           types.String  `tfsdk:"logging_level"`
	ThrottlingBurstLimit   types.Int64   `tfsdk:"throttling_burst_limit"`
	ThrottlingRateLimit    types.Float64 `tfsdk:"throttling_rate_limit"`
}

type routeSettingModel struct {
	DataTraceEnabled       types.Bool    `tfsdk:"data_trace_enabled"`
	DetailedMetricsEnabled types.Bool    `tfsdk:"detailed_metrics_enabled"`
	LoggingLevel           types.String  `tfsdk:"logging_level"`
	RouteKey               types.String  `tfsdk:"route_key"`
	ThrottlingBurstLimit   types.Int64   `tfsdk:"throttling_burst_limit"`
	ThrottlingRateLimit    types.Float64 `tfsdk:"throttling_rate_limit"`
}
