package standin

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"gopkg.in/yaml.v3"
)

type apiResource struct {
	data *providerData
}

func newAPIResource() resource.Resource { return &apiResource{} }

var (
	_ resource.ResourceWithConfigure   = (*apiResource)(nil)
	_ resource.ResourceWithImportState = (*apiResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*apiResource)(nil)
)

func (r *apiResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigatewayv2_api"
}

func (r *apiResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = apiSchema()
}

func (r *apiResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// readAPI fetches an API; found is false when it is gone.
func (r *apiResource) readAPI(ctx context.Context, prior apiModel) (m apiModel, found bool, diags diag.Diagnostics) {
	region := r.data.regionOf(prior.Region.ValueString())
	id := prior.ID.ValueString()
	out, err := r.data.client(region).GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(id)})
	if isNotFound(err) {
		return m, false, nil
	}
	if err != nil {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 API (%s): %s", id, err), "")
		return m, false, diags
	}
	m, diags = r.data.flattenAPI(ctx, prior, out, region)
	return m, true, diags
}

// flattenAPI maps a GetApi response to state as the real provider's Read
// does. body, credentials_arn, fail_on_warnings, route_key and target are
// never read back: they keep their prior values.
func (d *providerData) flattenAPI(ctx context.Context, prior apiModel, out *apigatewayv2.GetApiOutput, region string) (apiModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	id := aws.ToString(out.ApiId)
	if id == "" {
		id = prior.ID.ValueString()
	}
	m := apiModel{
		APIEndpoint:               types.StringValue(aws.ToString(out.ApiEndpoint)),
		APIKeySelectionExpression: types.StringValue(aws.ToString(out.ApiKeySelectionExpression)),
		ARN:                       types.StringValue(apiARN(region, id)),
		Body:                      prior.Body,
		CredentialsARN:            prior.CredentialsARN,
		Description:               types.StringValue(aws.ToString(out.Description)),
		DisableExecuteAPIEndpoint: types.BoolValue(aws.ToBool(out.DisableExecuteApiEndpoint)),
		ExecutionARN:              types.StringValue(apiExecutionARN(region, d.accountID, id)),
		FailOnWarnings:            prior.FailOnWarnings,
		ID:                        types.StringValue(id),
		IPAddressType:             types.StringValue(string(out.IpAddressType)),
		Name:                      types.StringValue(aws.ToString(out.Name)),
		ProtocolType:              types.StringValue(string(out.ProtocolType)),
		Region:                    types.StringValue(region),
		RouteKey:                  prior.RouteKey,
		RouteSelectionExpression:  types.StringValue(aws.ToString(out.RouteSelectionExpression)),
		Target:                    prior.Target,
		Version:                   types.StringValue(aws.ToString(out.Version)),
	}
	cors := []corsModel{}
	if c := out.CorsConfiguration; c != nil {
		cors = append(cors, corsModel{
			AllowCredentials: types.BoolValue(aws.ToBool(c.AllowCredentials)),
			AllowHeaders:     setValue(c.AllowHeaders),
			AllowMethods:     setValue(c.AllowMethods),
			AllowOrigins:     setValue(c.AllowOrigins),
			ExposeHeaders:    setValue(c.ExposeHeaders),
			MaxAge:           types.Int64Value(int64(aws.ToInt32(c.MaxAge))),
		})
	}
	var dd diag.Diagnostics
	m.CorsConfiguration, dd = types.ListValueFrom(ctx, corsType, cors)
	diags.Append(dd...)
	priorTags, dd := stringMap(ctx, prior.Tags)
	diags.Append(dd...)
	m.Tags, m.TagsAll = d.tags.read(out.Tags, priorTags)
	return m, diags
}

func (r *apiResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, r.readAPI)
}

func (r *apiResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	region := r.data.regionOf(plan.Region.ValueString())
	c := r.data.client(region)
	name := plan.Name.ValueString()
	tags, diags := stringMap(ctx, plan.Tags)
	resp.Diagnostics.Append(diags...)
	in := &apigatewayv2.CreateApiInput{
		Name:         aws.String(name),
		ProtocolType: awstypes.ProtocolType(plan.ProtocolType.ValueString()),
	}
	if all := r.data.tags.all(tags); len(all) > 0 {
		in.Tags = all
	}
	optional := func(v types.String) *string {
		if s := v.ValueString(); s != "" {
			return aws.String(s)
		}
		return nil
	}
	in.ApiKeySelectionExpression = optional(plan.APIKeySelectionExpression)
	in.CorsConfiguration = expandCORS(ctx, plan.CorsConfiguration, &resp.Diagnostics)
	in.CredentialsArn = optional(plan.CredentialsARN)
	in.Description = optional(plan.Description)
	if plan.DisableExecuteAPIEndpoint.ValueBool() {
		in.DisableExecuteApiEndpoint = aws.Bool(true)
	}
	if !plan.IPAddressType.IsUnknown() {
		in.IpAddressType = awstypes.IpAddressType(plan.IPAddressType.ValueString())
	}
	in.RouteKey = optional(plan.RouteKey)
	in.RouteSelectionExpression = optional(plan.RouteSelectionExpression)
	in.Target = optional(plan.Target)
	in.Version = optional(plan.Version)
	if resp.Diagnostics.HasError() {
		return
	}
	out, err := c.CreateApi(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("creating API Gateway v2 API (%s): %s", name, err), "")
		return
	}
	plan.ID = types.StringValue(aws.ToString(out.ApiId))
	plan.Region = types.StringValue(region)
	if plan.Body.ValueString() != "" && !r.reimport(ctx, c, plan, &resp.Diagnostics) {
		// The API exists: keep it in state so that it is not leaked.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), plan.Region)...)
		return
	}
	afterApply(ctx, "API", plan.ID.ValueString(), plan, r.readAPI, &resp.State, &resp.Diagnostics)
}

func (r *apiResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior apiModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	region := r.data.regionOf(plan.Region.ValueString())
	c := r.data.client(region)
	id := prior.ID.ValueString()
	plan.ID = prior.ID

	corsChanged := !plan.CorsConfiguration.Equal(prior.CorsConfiguration)
	corsDeleted := false
	if corsChanged && len(plan.CorsConfiguration.Elements()) == 0 {
		if _, err := c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(id)}); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("deleting API Gateway v2 API (%s) CORS configuration: %s", id, err), "")
			return
		}
		corsDeleted = true
	}
	in := &apigatewayv2.UpdateApiInput{ApiId: aws.String(id)}
	send := false
	str := func(p, s types.String) *string {
		if p.Equal(s) || p.IsUnknown() {
			return nil
		}
		send = true
		return aws.String(p.ValueString())
	}
	in.ApiKeySelectionExpression = str(plan.APIKeySelectionExpression, prior.APIKeySelectionExpression)
	in.Description = str(plan.Description, prior.Description)
	in.Name = str(plan.Name, prior.Name)
	in.RouteSelectionExpression = str(plan.RouteSelectionExpression, prior.RouteSelectionExpression)
	in.Version = str(plan.Version, prior.Version)
	if v := str(plan.IPAddressType, prior.IPAddressType); v != nil {
		in.IpAddressType = awstypes.IpAddressType(*v)
	}
	if !plan.DisableExecuteAPIEndpoint.Equal(prior.DisableExecuteAPIEndpoint) {
		in.DisableExecuteApiEndpoint = aws.Bool(plan.DisableExecuteAPIEndpoint.ValueBool())
		send = true
	}
	if corsChanged && !corsDeleted {
		in.CorsConfiguration = expandCORS(ctx, plan.CorsConfiguration, &resp.Diagnostics)
		send = true
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if send {
		if _, err := c.UpdateApi(ctx, in); err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("updating API Gateway v2 API (%s): %s", id, err), "")
			return
		}
	}
	if !plan.Body.Equal(prior.Body) && plan.Body.ValueString() != "" && !r.reimport(ctx, c, plan, &resp.Diagnostics) {
		return
	}
	if !r.data.updateTags(ctx, c, apiARN(region, id), plan.Tags, prior.TagsAll, &resp.Diagnostics) {
		return
	}
	afterApply(ctx, "API", plan.ID.ValueString(), plan, r.readAPI, &resp.State, &resp.Diagnostics)
}

// reimport replaces the API's definition with body, then restores the
// configured name, description, version and CORS where the definition does
// not set them, as the real provider does.
func (r *apiResource) reimport(ctx context.Context, c apiClient, plan apiModel, diags *diag.Diagnostics) bool {
	id := plan.ID.ValueString()
	body := plan.Body.ValueString()
	in := &apigatewayv2.ReimportApiInput{ApiId: aws.String(id), Body: aws.String(body)}
	if plan.FailOnWarnings.ValueBool() {
		in.FailOnWarnings = aws.Bool(true)
	}
	if _, err := c.ReimportApi(ctx, in); err != nil {
		diags.AddError(fmt.Sprintf("reimporting API Gateway v2 API (%s) OpenAPI definition: %s", id, err), "")
		return false
	}
	got, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(id)})
	if err != nil {
		diags.AddError(fmt.Sprintf("reading API Gateway v2 API (%s): %s", id, err), "")
		return false
	}
	doc, err := decodeDocument(body)
	if err != nil {
		diags.AddError(fmt.Sprintf("decoding API Gateway v2 API (%s) OpenAPI definition: %s", id, err), "")
		return false
	}
	update := &apigatewayv2.UpdateApiInput{
		ApiId:       aws.String(id),
		Description: aws.String(plan.Description.ValueString()),
		Name:        aws.String(plan.Name.ValueString()),
		Version:     aws.String(plan.Version.ValueString()),
	}
	if info, ok := doc["info"].(map[string]any); ok {
		if _, ok := info["description"]; ok {
			update.Description = got.Description
		}
		if _, ok := info["title"]; ok {
			update.Name = got.Name
		}
		if _, ok := info["version"]; ok {
			update.Version = got.Version
		}
	}
	switch cors := expandCORS(ctx, plan.CorsConfiguration, diags); {
	case cors != nil:
		update.CorsConfiguration = cors
	case got.CorsConfiguration != nil:
		if _, err := c.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(id)}); err != nil {
			diags.AddError(fmt.Sprintf("deleting API Gateway v2 API (%s) CORS configuration: %s", id, err), "")
			return false
		}
	}
	if _, err := c.UpdateApi(ctx, update); err != nil {
		diags.AddError(fmt.Sprintf("updating API Gateway v2 API (%s): %s", id, err), "")
		return false
	}
	return !diags.HasError()
}

// decodeDocument reads an OpenAPI definition written as JSON or YAML.
func decodeDocument(s string) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err == nil {
		return doc, nil
	}
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// equivalentDocuments is the provider's SuppressEquivalentJSONOrYAMLDiffs.
func equivalentDocuments(a, b string) bool {
	da, err := decodeDocument(a)
	if err != nil {
		return false
	}
	db, err := decodeDocument(b)
	if err != nil {
		return false
	}
	return reflect.DeepEqual(da, db)
}

func (r *apiResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var prior apiModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := prior.ID.ValueString()
	_, err := r.data.client(r.data.regionOf(prior.Region.ValueString())).DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: aws.String(id)})
	if err != nil && !isNotFound(err) {
		resp.Diagnostics.AddError(fmt.Sprintf("deleting API Gateway v2 API (%s): %s", id, err), "")
	}
}

// ImportState takes the API id, optionally followed by "@<region>"; the
// engine's Read that follows fails the import if the API does not exist.
func (r *apiResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, region := splitImportRegion(req.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), r.data.regionOf(region))...)
}

func (r *apiResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var cfg apiModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	prior := nullAPI()
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planned, replace, diags := r.data.planAPI(ctx, cfg, prior, req.State.Raw.IsNull())
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, planned)...)
	resp.RequiresReplace.Append(replace...)
}

// planAPI plans an API as SDKv2 would plan the real provider's schema.
func (d *providerData) planAPI(ctx context.Context, cfg, prior apiModel, create bool) (apiModel, path.Paths, diag.Diagnostics) {
	var diags diag.Diagnostics
	region, regionReplace := d.planRegion(cfg.Region, prior.Region, create)
	body := sdkString(cfg.Body, prior.Body)
	if !cfg.Body.IsNull() && !cfg.Body.IsUnknown() && !prior.Body.IsNull() && equivalentDocuments(cfg.Body.ValueString(), prior.Body.ValueString()) {
		body = prior.Body
	}
	p := apiModel{
		APIKeySelectionExpression: defaultString(cfg.APIKeySelectionExpression, defaultAPIKeySelectionExpression),
		Body:                      body,
		CredentialsARN:            sdkString(cfg.CredentialsARN, prior.CredentialsARN),
		Description:               sdkString(cfg.Description, prior.Description),
		DisableExecuteAPIEndpoint: sdkBool(cfg.DisableExecuteAPIEndpoint, prior.DisableExecuteAPIEndpoint),
		FailOnWarnings:            sdkBool(cfg.FailOnWarnings, prior.FailOnWarnings),
		Name:                      cfg.Name,
		ProtocolType:              cfg.ProtocolType,
		Region:                    region,
		RouteKey:                  sdkString(cfg.RouteKey, prior.RouteKey),
		RouteSelectionExpression:  defaultString(cfg.RouteSelectionExpression, defaultRouteSelectionExpression),
		Tags:                      sdkMap(cfg.Tags, prior.Tags),
		Target:                    sdkString(cfg.Target, prior.Target),
		Version:                   sdkString(cfg.Version, prior.Version),
	}
	var replace path.Paths
	if !create {
		for _, f := range []struct {
			name           string
			planned, prior types.String
		}{
			{"protocol_type", p.ProtocolType, prior.ProtocolType},
			{"credentials_arn", p.CredentialsARN, prior.CredentialsARN},
			{"route_key", p.RouteKey, prior.RouteKey},
			{"target", p.Target, prior.Target},
		} {
			if f.planned.ValueString() != f.prior.ValueString() || f.planned.IsUnknown() {
				replace.Append(path.Root(f.name))
			}
		}
		if regionReplace {
			replace.Append(path.Root("region"))
		}
	}
	if len(replace) > 0 {
		create, prior = true, nullAPI()
	}
	p.APIEndpoint = computedString(types.StringNull(), prior.APIEndpoint, create)
	p.ARN = computedString(types.StringNull(), prior.ARN, create)
	p.ExecutionARN = computedString(types.StringNull(), prior.ExecutionARN, create)
	p.ID = computedString(types.StringNull(), prior.ID, create)
	p.IPAddressType = computedString(cfg.IPAddressType, prior.IPAddressType, create)
	var dd diag.Diagnostics
	p.TagsAll, dd = d.tags.planTagsAll(ctx, p.Tags, prior.TagsAll, create)
	diags.Append(dd...)
	p.CorsConfiguration, dd = planCORS(ctx, cfg.CorsConfiguration, prior.CorsConfiguration)
	diags.Append(dd...)
	return p, replace, diags
}

// planCORS fills SDKv2's zero values and keeps prior sets that differ only
// in letter case.
func planCORS(ctx context.Context, cfg, prior types.List) (types.List, diag.Diagnostics) {
	if cfg.IsUnknown() {
		return cfg, nil
	}
	if cfg.IsNull() || len(cfg.Elements()) == 0 {
		return types.ListValueMust(corsType, nil), nil
	}
	var c, p []corsModel
	diags := cfg.ElementsAs(ctx, &c, false)
	diags.Append(prior.ElementsAs(ctx, &p, false)...)
	if diags.HasError() {
		return cfg, diags
	}
	pe := corsModel{
		AllowHeaders:  types.SetNull(types.StringType),
		AllowMethods:  types.SetNull(types.StringType),
		AllowOrigins:  types.SetNull(types.StringType),
		ExposeHeaders: types.SetNull(types.StringType),
	}
	if len(p) > 0 {
		pe = p[0]
	}
	e := c[0]
	planned := corsModel{
		AllowCredentials: defaultBool(e.AllowCredentials, false),
		AllowHeaders:     sdkStringSetFold(e.AllowHeaders, pe.AllowHeaders),
		AllowMethods:     sdkStringSetFold(e.AllowMethods, pe.AllowMethods),
		AllowOrigins:     sdkStringSetFold(e.AllowOrigins, pe.AllowOrigins),
		ExposeHeaders:    sdkStringSetFold(e.ExposeHeaders, pe.ExposeHeaders),
		MaxAge:           sdkInt64(e.MaxAge),
	}
	out, dd := types.ListValueFrom(ctx, corsType, []corsModel{planned})
	diags.Append(dd...)
	return out, diags
}

func expandCORS(ctx context.Context, v types.List, diags *diag.Diagnostics) *awstypes.Cors {
	var cors []corsModel
	diags.Append(v.ElementsAs(ctx, &cors, false)...)
	if len(cors) == 0 {
		return nil
	}
	e := cors[0]
	strs := func(s types.Set) []string {
		out, d := stringSlice(ctx, s)
		diags.Append(d...)
		return out
	}
	return &awstypes.Cors{
		AllowCredentials: aws.Bool(e.AllowCredentials.ValueBool()),
		AllowHeaders:     strs(e.AllowHeaders),
		AllowMethods:     strs(e.AllowMethods),
		AllowOrigins:     strs(e.AllowOrigins),
		ExposeHeaders:    strs(e.ExposeHeaders),
		MaxAge:           aws.Int32(int32(e.MaxAge.ValueInt64())),
	}
}
