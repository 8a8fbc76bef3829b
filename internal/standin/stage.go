package standin

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type stageResource struct {
	data *providerData
}

func newStageResource() resource.Resource { return &stageResource{} }

var (
	_ resource.ResourceWithConfigure   = (*stageResource)(nil)
	_ resource.ResourceWithImportState = (*stageResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*stageResource)(nil)
)

func (r *stageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigatewayv2_stage"
}

func (r *stageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = stageSchema()
}

func (r *stageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func isNotFound(err error) bool {
	var nf *awstypes.NotFoundException
	return errors.As(err, &nf)
}

// readStage fetches a stage and its API (for the invoke URL's scheme);
// found is false when the stage is gone.
func (r *stageResource) readStage(ctx context.Context, prior stageModel) (m stageModel, found bool, diags diag.Diagnostics) {
	region := r.data.regionOf(prior.Region.ValueString())
	c := r.data.client(region)
	apiID, name := prior.APIID.ValueString(), prior.ID.ValueString()
	out, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String(name)})
	if isNotFound(err) {
		return m, false, nil
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 Stage (%s): %s", name, err), "")
		return m, false, diags
	}
	api, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(apiID)})
	if err != nil {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 API (%s): %s", apiID, err), "")
		return m, false, diags
	}
	m, diags = r.data.flattenStage(ctx, prior, out, string(api.ProtocolType), region)
	return m, true, diags
}

// flattenStage maps a GetStage response to state as the real provider's
// Read does: absent blocks are no block, a present default_route_settings
// holds 0 and "" for what the API left out, strings the API omits are "".
// prior supplies what the response lacks (api_id) and the prior tags.
func (d *providerData) flattenStage(ctx context.Context, prior stageModel, out *apigatewayv2.GetStageOutput, protocolType, region string) (stageModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	apiID := prior.APIID.ValueString()
	name := aws.ToString(out.StageName)
	m := stageModel{
		APIID:               types.StringValue(apiID),
		ARN:                 types.StringValue(stageARN(region, apiID, name)),
		AutoDeploy:          types.BoolValue(aws.ToBool(out.AutoDeploy)),
		ClientCertificateID: types.StringValue(aws.ToString(out.ClientCertificateId)),
		DeploymentID:        types.StringValue(aws.ToString(out.DeploymentId)),
		Description:         types.StringValue(aws.ToString(out.Description)),
		ExecutionARN:        types.StringValue(stageExecutionARN(region, d.accountID, apiID, name)),
		ID:                  types.StringValue(name),
		InvokeURL:           types.StringValue(stageInvokeURL(region, protocolType, apiID, name)),
		Name:                types.StringValue(name),
		Region:              types.StringValue(region),
		StageVariables:      mapValue(out.StageVariables),
	}

	logs := []accessLogModel{}
	if s := out.AccessLogSettings; s != nil {
		logs = append(logs, accessLogModel{
			DestinationARN: types.StringValue(aws.ToString(s.DestinationArn)),
			Format:         types.StringValue(aws.ToString(s.Format)),
		})
	}
	var dd diag.Diagnostics
	m.AccessLogSettings, dd = types.ListValueFrom(ctx, accessLogType, logs)
	diags.Append(dd...)

	defaults := []defaultRouteModel{}
	if s := out.DefaultRouteSettings; s != nil {
		defaults = append(defaults, defaultRouteModel{
			DataTraceEnabled:       types.BoolValue(aws.ToBool(s.DataTraceEnabled)),
			DetailedMetricsEnabled: types.BoolValue(aws.ToBool(s.DetailedMetricsEnabled)),
			LoggingLevel:           types.StringValue(string(s.LoggingLevel)),
			ThrottlingBurstLimit:   types.Int64Value(int64(aws.ToInt32(s.ThrottlingBurstLimit))),
			ThrottlingRateLimit:    types.Float64Value(aws.ToFloat64(s.ThrottlingRateLimit)),
		})
	}
	m.DefaultRouteSettings, dd = types.ListValueFrom(ctx, defaultRouteType, defaults)
	diags.Append(dd...)

	routes := make([]routeSettingModel, 0, len(out.RouteSettings))
	for key, s := range out.RouteSettings {
		routes = append(routes, routeSettingModel{
			DataTraceEnabled:       types.BoolValue(aws.ToBool(s.DataTraceEnabled)),
			DetailedMetricsEnabled: types.BoolValue(aws.ToBool(s.DetailedMetricsEnabled)),
			LoggingLevel:           types.StringValue(string(s.LoggingLevel)),
			RouteKey:               types.StringValue(key),
			ThrottlingBurstLimit:   types.Int64Value(int64(aws.ToInt32(s.ThrottlingBurstLimit))),
			ThrottlingRateLimit:    types.Float64Value(aws.ToFloat64(s.ThrottlingRateLimit)),
		})
	}
	m.RouteSettings, dd = types.SetValueFrom(ctx, routeSettingType, routes)
	diags.Append(dd...)

	priorTags, dd := stringMap(ctx, prior.Tags)
	diags.Append(dd...)
	m.Tags, m.TagsAll = d.tags.read(out.Tags, priorTags)
	return m, diags
}

func (r *stageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, r.readStage)
}

func (r *stageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan stageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	region := r.data.regionOf(plan.Region.ValueString())
	c := r.data.client(region)
	apiID, name := plan.APIID.ValueString(), plan.Name.ValueString()
	api, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(apiID)})
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("reading API Gateway v2 API (%s): %s", apiID, err), "")
		return
	}
	protocol := api.ProtocolType

	tags, diags := stringMap(ctx, plan.Tags)
	resp.Diagnostics.Append(diags...)
	in := &apigatewayv2.CreateStageInput{
		ApiId:      aws.String(apiID),
		AutoDeploy: aws.Bool(plan.AutoDeploy.ValueBool()),
		StageName:  aws.String(name),
	}
	if all := r.data.tags.all(tags); len(all) > 0 {
		in.Tags = all
	}
	in.AccessLogSettings = expandAccessLog(ctx, plan.AccessLogSettings, &resp.Diagnostics)
	if v := plan.ClientCertificateID.ValueString(); v != "" {
		in.ClientCertificateId = aws.String(v)
	}
	in.DefaultRouteSettings = expandDefaultRoute(ctx, plan.DefaultRouteSettings, protocol, &resp.Diagnostics)
	if v := plan.DeploymentID.ValueString(); v != "" {
		in.DeploymentId = aws.String(v)
	}
	if v := plan.Description.ValueString(); v != "" {
		in.Description = aws.String(v)
	}
	if routes := expandRouteSettings(ctx, plan.RouteSettings, protocol, &resp.Diagnostics); len(routes) > 0 {
		in.RouteSettings = routes
	}
	vars, diags := stringMap(ctx, plan.StageVariables)
	resp.Diagnostics.Append(diags...)
	if len(vars) > 0 {
		in.StageVariables = vars
	}
	if resp.Diagnostics.HasError() {
		return
	}
	out, err := c.CreateStage(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("creating API Gateway v2 Stage (%s): %s", name, err), "")
		return
	}
	plan.ID = types.StringValue(aws.ToString(out.StageName))
	plan.Region = types.StringValue(region)
	afterApply(ctx, "Stage", plan.ID.ValueString(), plan, r.readStage, &resp.State, &resp.Diagnostics)
}

func (r *stageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior stageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	region := r.data.regionOf(plan.Region.ValueString())
	c := r.data.client(region)
	apiID, name := prior.APIID.ValueString(), prior.ID.ValueString()
	plan.ID = prior.ID

	if !plan.AccessLogSettings.Equal(prior.AccessLogSettings) || !plan.AutoDeploy.Equal(prior.AutoDeploy) ||
		!plan.ClientCertificateID.Equal(prior.ClientCertificateID) || !plan.DefaultRouteSettings.Equal(prior.DefaultRouteSettings) ||
		!plan.DeploymentID.Equal(prior.DeploymentID) || !plan.Description.Equal(prior.Description) ||
		!plan.RouteSettings.Equal(prior.RouteSettings) || !plan.StageVariables.Equal(prior.StageVariables) {
		if !r.updateStage(ctx, c, plan, prior, &resp.Diagnostics) {
			return
		}
	}
	if !r.data.updateTags(ctx, c, stageARN(region, apiID, name), plan.Tags, prior.TagsAll, &resp.Diagnostics) {
		return
	}
	afterApply(ctx, "Stage", plan.ID.ValueString(), plan, r.readStage, &resp.State, &resp.Diagnostics)
}

// updateStage sends what changed, as the real provider's Update does:
// removed route settings are deleted first, removed stage variables are
// sent as "".
func (r *stageResource) updateStage(ctx context.Context, c apiClient, plan, prior stageModel, diags *diag.Diagnostics) bool {
	apiID, name := prior.APIID.ValueString(), prior.ID.ValueString()
	api, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(apiID)})
	if err != nil {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 API (%s): %s", apiID, err), "")
		return false
	}
	protocol := api.ProtocolType
	in := &apigatewayv2.UpdateStageInput{ApiId: aws.String(apiID), StageName: aws.String(name)}
	if !plan.AccessLogSettings.Equal(prior.AccessLogSettings) {
		in.AccessLogSettings = expandAccessLog(ctx, plan.AccessLogSettings, diags)
		if in.AccessLogSettings == nil {
			in.AccessLogSettings = &awstypes.AccessLogSettings{}
		}
	}
	if !plan.AutoDeploy.Equal(prior.AutoDeploy) {
		in.AutoDeploy = aws.Bool(plan.AutoDeploy.ValueBool())
	}
	if !plan.ClientCertificateID.Equal(prior.ClientCertificateID) {
		in.ClientCertificateId = aws.String(plan.ClientCertificateID.ValueString())
	}
	if !plan.DefaultRouteSettings.Equal(prior.DefaultRouteSettings) {
		in.DefaultRouteSettings = expandDefaultRoute(ctx, plan.DefaultRouteSettings, protocol, diags)
		if in.DefaultRouteSettings == nil {
			in.DefaultRouteSettings = &awstypes.RouteSettings{}
		}
	}
	if !plan.DeploymentID.Equal(prior.DeploymentID) && !plan.DeploymentID.IsUnknown() {
		in.DeploymentId = aws.String(plan.DeploymentID.ValueString())
	}
	if !plan.Description.Equal(prior.Description) {
		in.Description = aws.String(plan.Description.ValueString())
	}
	if !plan.RouteSettings.Equal(prior.RouteSettings) {
		newRoutes := routeSettingElements(ctx, plan.RouteSettings, diags)
		for _, old := range routeSettingElements(ctx, prior.RouteSettings, diags) {
			if containsRoute(newRoutes, old) {
				continue
			}
			key := old.RouteKey.ValueString()
			_, err := c.DeleteRouteSettings(ctx, &apigatewayv2.DeleteRouteSettingsInput{
				ApiId: aws.String(apiID), StageName: aws.String(name), RouteKey: aws.String(key),
			})
			if err != nil && !isNotFound(err) {
				diags.AddError(fmt.Sprintf("deleting API Gateway v2 Stage (%s) route settings (%s): %s", name, key, err), "")
				return false
			}
		}
		in.RouteSettings = expandRouteSettings(ctx, plan.RouteSettings, protocol, diags)
	}
	if !plan.StageVariables.Equal(prior.StageVariables) {
		oldVars, d1 := stringMap(ctx, prior.StageVariables)
		newVars, d2 := stringMap(ctx, plan.StageVariables)
		diags.Append(d1...)
		diags.Append(d2...)
		vars := maps.Clone(newVars)
		for k := range oldVars {
			if _, ok := newVars[k]; !ok {
				vars[k] = "" // the API removes a variable set to ""
			}
		}
		in.StageVariables = vars
	}
	if diags.HasError() {
		return false
	}
	if _, err := c.UpdateStage(ctx, in); err != nil {
		diags.AddError(fmt.Sprintf("updating API Gateway v2 Stage (%s): %s", name, err), "")
		return false
	}
	return true
}

// updateTags moves the resource's tags from the prior tags_all to the merge
// of the planned tags and the provider's default tags.
func (d *providerData) updateTags(ctx context.Context, c apiClient, arn string, tags, priorAll types.Map, diags *diag.Diagnostics) bool {
	want, d1 := stringMap(ctx, tags)
	have, d2 := stringMap(ctx, priorAll)
	diags.Append(d1...)
	diags.Append(d2...)
	if diags.HasError() {
		return false
	}
	set, remove := diffTags(have, d.tags.all(want))
	if len(remove) > 0 {
		if _, err := c.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: remove}); err != nil {
			diags.AddError(fmt.Sprintf("untagging resource (%s): %s", arn, err), "")
			return false
		}
	}
	if len(set) > 0 {
		if _, err := c.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(arn), Tags: set}); err != nil {
			diags.AddError(fmt.Sprintf("tagging resource (%s): %s", arn, err), "")
			return false
		}
	}
	return true
}

func (r *stageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var prior stageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.client(r.data.regionOf(prior.Region.ValueString()))
	name := prior.ID.ValueString()
	_, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: aws.String(prior.APIID.ValueString()), StageName: aws.String(name)})
	if err != nil && !isNotFound(err) {
		resp.Diagnostics.AddError(fmt.Sprintf("deleting API Gateway v2 Stage (%s): %s", name, err), "")
	}
}

// ImportState takes "api-id/stage-name", optionally followed by
// "@<region>", and refuses stages API Gateway manages (quick create), with
// the real provider's messages.
func (r *stageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, region := splitImportRegion(req.ID)
	apiID, name, err := parseStageImportID(id)
	if err != nil {
		resp.Diagnostics.AddError(err.Error(), "")
		return
	}
	region = r.data.regionOf(region)
	out, err := r.data.client(region).GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String(name)})
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("importing API Gateway v2 Stage (%s): %s", id, err), "")
		return
	}
	if aws.ToBool(out.ApiGatewayManaged) {
		resp.Diagnostics.AddError(fmt.Sprintf("API Gateway v2 Stage (%s) was created via quick create", name), "")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("api_id"), apiID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
}

func (r *stageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var cfg stageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	prior := nullStage()
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planned, replace, diags := r.data.planStage(ctx, cfg, prior, req.State.Raw.IsNull())
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, planned)...)
	resp.RequiresReplace.Append(replace...)
}

// planStage plans a stage as SDKv2 would plan the real provider's schema
// (see sdkplan.go); create is true when there is no prior state.
func (d *providerData) planStage(ctx context.Context, cfg, prior stageModel, create bool) (stageModel, path.Paths, diag.Diagnostics) {
	var diags diag.Diagnostics
	region, regionReplace := d.planRegion(cfg.Region, prior.Region, create)
	var replace path.Paths
	if !create {
		if !cfg.APIID.Equal(prior.APIID) {
			replace.Append(path.Root("api_id"))
		}
		if !cfg.Name.Equal(prior.Name) {
			replace.Append(path.Root("name"))
		}
		if regionReplace {
			replace.Append(path.Root("region"))
		}
	}
	if len(replace) > 0 {
		// A replacement is a create: nothing carries over.
		create, prior = true, nullStage()
	}
	p := stageModel{
		AccessLogSettings:   cfg.AccessLogSettings,
		APIID:               cfg.APIID,
		AutoDeploy:          defaultBool(cfg.AutoDeploy, false),
		ClientCertificateID: sdkString(cfg.ClientCertificateID, prior.ClientCertificateID),
		DeploymentID:        computedString(cfg.DeploymentID, prior.DeploymentID, create),
		Description:         sdkString(cfg.Description, prior.Description),
		ID:                  computedString(types.StringNull(), prior.ID, create),
		ARN:                 computedString(types.StringNull(), prior.ARN, create),
		ExecutionARN:        computedString(types.StringNull(), prior.ExecutionARN, create),
		InvokeURL:           computedString(types.StringNull(), prior.InvokeURL, create),
		Name:                cfg.Name,
		Region:              region,
		StageVariables:      sdkMap(cfg.StageVariables, prior.StageVariables),
		Tags:                sdkMap(cfg.Tags, prior.Tags),
	}
	if p.AccessLogSettings.IsNull() {
		p.AccessLogSettings = types.ListValueMust(accessLogType, nil)
	}
	var dd diag.Diagnostics
	p.TagsAll, dd = d.tags.planTagsAll(ctx, p.Tags, prior.TagsAll, create)
	diags.Append(dd...)
	p.DefaultRouteSettings, dd = planDefaultRoute(ctx, cfg.DefaultRouteSettings, prior.DefaultRouteSettings, create)
	diags.Append(dd...)
	p.RouteSettings, dd = planRouteSettings(ctx, cfg.RouteSettings, prior.RouteSettings)
	diags.Append(dd...)
	return p, replace, diags
}

// planRegion defaults region to the provider's, and replaces the resource
// when it changes, except between unset and the provider's region (state
// written before v6 has no region).
func (d *providerData) planRegion(cfg, prior types.String, create bool) (types.String, bool) {
	planned := cfg
	if cfg.IsNull() {
		planned = types.StringValue(d.region)
	}
	if create || planned.Equal(prior) {
		return planned, false
	}
	if planned.IsUnknown() {
		return planned, true
	}
	o, n := prior.ValueString(), planned.ValueString()
	if (o == "" && n == d.region) || (o == d.region && n == "") {
		return planned, false
	}
	return planned, true
}

// planDefaultRoute keeps the prior block when configuration has none (the
// real schema suppresses that diff) and otherwise fills SDKv2's defaults.
func planDefaultRoute(ctx context.Context, cfg, prior types.List, create bool) (types.List, diag.Diagnostics) {
	if cfg.IsUnknown() {
		return cfg, nil
	}
	if len(cfg.Elements()) == 0 {
		if create || prior.IsNull() {
			return types.ListValueMust(defaultRouteType, nil), nil
		}
		return prior, nil
	}
	var c, p []defaultRouteModel
	diags := cfg.ElementsAs(ctx, &c, false)
	if !prior.IsNull() {
		diags.Append(prior.ElementsAs(ctx, &p, false)...)
	}
	if diags.HasError() {
		return cfg, diags
	}
	e := c[0]
	level := e.LoggingLevel
	if level.IsNull() {
		level = types.StringUnknown()
		if len(p) > 0 && !create {
			level = p[0].LoggingLevel
		}
	}
	planned := defaultRouteModel{
		DataTraceEnabled:       defaultBool(e.DataTraceEnabled, false),
		DetailedMetricsEnabled: defaultBool(e.DetailedMetricsEnabled, false),
		LoggingLevel:           level,
		ThrottlingBurstLimit:   sdkInt64(e.ThrottlingBurstLimit),
		ThrottlingRateLimit:    sdkFloat64(e.ThrottlingRateLimit),
	}
	out, dd := types.ListValueFrom(ctx, defaultRouteType, []defaultRouteModel{planned})
	diags.Append(dd...)
	return out, diags
}

// planRouteSettings fills SDKv2's defaults in each configured element and
// takes an unset logging_level from the prior element with the same route
// key, so that a configuration matching the state plans no change.
func planRouteSettings(ctx context.Context, cfg, prior types.Set) (types.Set, diag.Diagnostics) {
	if cfg.IsUnknown() {
		return cfg, nil
	}
	var c, p []routeSettingModel
	diags := cfg.ElementsAs(ctx, &c, false)
	diags.Append(prior.ElementsAs(ctx, &p, false)...)
	if diags.HasError() {
		return cfg, diags
	}
	levels := map[string]types.String{}
	for _, e := range p {
		levels[e.RouteKey.ValueString()] = e.LoggingLevel
	}
	planned := make([]routeSettingModel, 0, len(c))
	for _, e := range c {
		level := e.LoggingLevel
		if level.IsNull() {
			level = types.StringUnknown()
			if v, ok := levels[e.RouteKey.ValueString()]; ok && !e.RouteKey.IsUnknown() {
				level = v
			}
		}
		planned = append(planned, routeSettingModel{
			DataTraceEnabled:       defaultBool(e.DataTraceEnabled, false),
			DetailedMetricsEnabled: defaultBool(e.DetailedMetricsEnabled, false),
			LoggingLevel:           level,
			RouteKey:               e.RouteKey,
			ThrottlingBurstLimit:   sdkInt64(e.ThrottlingBurstLimit),
			ThrottlingRateLimit:    sdkFloat64(e.ThrottlingRateLimit),
		})
	}
	out, dd := types.SetValueFrom(ctx, routeSettingType, planned)
	diags.Append(dd...)
	return out, diags
}

func expandAccessLog(ctx context.Context, v types.List, diags *diag.Diagnostics) *awstypes.AccessLogSettings {
	var logs []accessLogModel
	diags.Append(v.ElementsAs(ctx, &logs, false)...)
	if len(logs) == 0 {
		return nil
	}
	s := &awstypes.AccessLogSettings{}
	if v := logs[0].DestinationARN.ValueString(); v != "" {
		s.DestinationArn = aws.String(v)
	}
	if v := logs[0].Format.ValueString(); v != "" {
		s.Format = aws.String(v)
	}
	return s
}

// expandRoute sends what the real provider sends: every throttle (0 when
// unset, provider issue #27674), and data_trace_enabled and logging_level
// only for WebSocket APIs (HTTP APIs reject them, #12893).
func expandRoute(dataTrace, detailed types.Bool, level types.String, burst types.Int64, rate types.Float64, protocol awstypes.ProtocolType) awstypes.RouteSettings {
	s := awstypes.RouteSettings{
		DetailedMetricsEnabled: aws.Bool(detailed.ValueBool()),
		ThrottlingBurstLimit:   aws.Int32(int32(burst.ValueInt64())),
		ThrottlingRateLimit:    aws.Float64(rate.ValueFloat64()),
	}
	if protocol == awstypes.ProtocolTypeWebsocket {
		s.DataTraceEnabled = aws.Bool(dataTrace.ValueBool())
		if v := level.ValueString(); v != "" {
			s.LoggingLevel = awstypes.LoggingLevel(v)
		}
	}
	return s
}

func expandDefaultRoute(ctx context.Context, v types.List, protocol awstypes.ProtocolType, diags *diag.Diagnostics) *awstypes.RouteSettings {
	var routes []defaultRouteModel
	diags.Append(v.ElementsAs(ctx, &routes, false)...)
	if len(routes) == 0 {
		return nil
	}
	e := routes[0]
	s := expandRoute(e.DataTraceEnabled, e.DetailedMetricsEnabled, e.LoggingLevel, e.ThrottlingBurstLimit, e.ThrottlingRateLimit, protocol)
	return &s
}

func routeSettingElements(ctx context.Context, v types.Set, diags *diag.Diagnostics) []routeSettingModel {
	var routes []routeSettingModel
	diags.Append(v.ElementsAs(ctx, &routes, false)...)
	return routes
}

func containsRoute(routes []routeSettingModel, r routeSettingModel) bool {
	for _, e := range routes {
		if e.RouteKey.Equal(r.RouteKey) && e.DataTraceEnabled.Equal(r.DataTraceEnabled) &&
			e.DetailedMetricsEnabled.Equal(r.DetailedMetricsEnabled) && e.LoggingLevel.Equal(r.LoggingLevel) &&
			e.ThrottlingBurstLimit.Equal(r.ThrottlingBurstLimit) && e.ThrottlingRateLimit.Equal(r.ThrottlingRateLimit) {
			return true
		}
	}
	return false
}

func expandRouteSettings(ctx context.Context, v types.Set, protocol awstypes.ProtocolType, diags *diag.Diagnostics) map[string]awstypes.RouteSettings {
	out := map[string]awstypes.RouteSettings{}
	for _, e := range routeSettingElements(ctx, v, diags) {
		out[e.RouteKey.ValueString()] = expandRoute(e.DataTraceEnabled, e.DetailedMetricsEnabled, e.LoggingLevel, e.ThrottlingBurstLimit, e.ThrottlingRateLimit, protocol)
	}
	return out
}
