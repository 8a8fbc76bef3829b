package standin

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceStage is aws_apigatewayv2_stage (FACTS.md,
// "aws_apigatewayv2_stage").
func resourceStage() *schema.Resource {
	routeSettings := func(withRouteKey bool) map[string]*schema.Schema {
		s := map[string]*schema.Schema{
			"data_trace_enabled":       {Type: schema.TypeBool, Optional: true, Default: false},
			"detailed_metrics_enabled": {Type: schema.TypeBool, Optional: true, Default: false},
			"logging_level": {
				Type:         schema.TypeString,
				Optional:     true,
				Computed:     true,
				ValidateFunc: validation.StringInSlice(enumValues(awstypes.LoggingLevel("").Values()), false),
			},
			"throttling_burst_limit": {Type: schema.TypeInt, Optional: true},
			"throttling_rate_limit":  {Type: schema.TypeFloat, Optional: true},
		}
		if withRouteKey {
			s["route_key"] = &schema.Schema{Type: schema.TypeString, Required: true}
		}
		return s
	}
	return &schema.Resource{
		CreateContext: createStage,
		ReadContext:   readStage,
		UpdateContext: updateStage,
		DeleteContext: deleteStage,
		Importer:      &schema.ResourceImporter{StateContext: importStage},
		CustomizeDiff: commonDiff,
		Schema: map[string]*schema.Schema{
			"access_log_settings": {
				Type:     schema.TypeList,
				Optional: true,
				MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"destination_arn": {Type: schema.TypeString, Required: true, ValidateFunc: validARN},
					"format":          {Type: schema.TypeString, Required: true},
				}},
			},
			"api_id":                {Type: schema.TypeString, Required: true, ForceNew: true},
			"arn":                   {Type: schema.TypeString, Computed: true},
			"auto_deploy":           {Type: schema.TypeBool, Optional: true, Default: false},
			"client_certificate_id": {Type: schema.TypeString, Optional: true},
			"default_route_settings": {
				Type:             schema.TypeList,
				Optional:         true,
				MaxItems:         1,
				DiffSuppressFunc: suppressMissingBlock,
				Elem:             &schema.Resource{Schema: routeSettings(false)},
			},
			"deployment_id": {Type: schema.TypeString, Optional: true, Computed: true},
			"description":   {Type: schema.TypeString, Optional: true, ValidateFunc: validation.StringLenBetween(0, 1024)},
			"execution_arn": {Type: schema.TypeString, Computed: true},
			"invoke_url":    {Type: schema.TypeString, Computed: true},
			"name":          {Type: schema.TypeString, Required: true, ForceNew: true, ValidateFunc: validation.StringLenBetween(1, 128)},
			"region":        regionSchema(),
			"route_settings": {
				Type:     schema.TypeSet,
				Optional: true,
				Elem:     &schema.Resource{Schema: routeSettings(true)},
			},
			"stage_variables": {Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
			"tags":            tagsSchema(),
			"tags_all":        tagsAllSchema(),
		},
	}
}

// protocolOf is the protocol of the stage's API, which decides what route
// settings may be sent.
func protocolOf(ctx context.Context, c apiClient, apiID string) (awstypes.ProtocolType, error) {
	out, err := c.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(apiID)})
	if err != nil {
		return "", fmt.Errorf("reading API Gateway v2 API (%s): %w", apiID, err)
	}
	return out.ProtocolType, nil
}

func createStage(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	apiID, name := d.Get("api_id").(string), d.Get("name").(string)
	protocol, err := protocolOf(ctx, c, apiID)
	if err != nil {
		return diag.FromErr(err)
	}
	in := &apigatewayv2.CreateStageInput{
		ApiId:      aws.String(apiID),
		AutoDeploy: aws.Bool(d.Get("auto_deploy").(bool)),
		StageName:  aws.String(name),
		Tags:       tagsIn(d, meta),
	}
	if v, ok := d.GetOk("access_log_settings"); ok {
		in.AccessLogSettings = expandAccessLog(v.([]any))
	}
	if v, ok := d.GetOk("client_certificate_id"); ok {
		in.ClientCertificateId = aws.String(v.(string))
	}
	if v, ok := d.GetOk("default_route_settings"); ok {
		in.DefaultRouteSettings = expandDefaultRoute(v.([]any), protocol)
	}
	if v, ok := d.GetOk("deployment_id"); ok {
		in.DeploymentId = aws.String(v.(string))
	}
	if v, ok := d.GetOk("description"); ok {
		in.Description = aws.String(v.(string))
	}
	if v, ok := d.GetOk("route_settings"); ok {
		in.RouteSettings = expandRouteSettings(v.(*schema.Set).List(), protocol)
	}
	if v, ok := d.GetOk("stage_variables"); ok {
		in.StageVariables = stringMapOf(v)
	}
	out, err := c.CreateStage(ctx, in)
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Stage (%s): %s", name, err)
	}
	d.SetId(aws.ToString(out.StageName))
	return readStage(ctx, d, meta)
}

// readStage stores what GetStage returns, and the invoke URL, whose scheme
// comes from the API's protocol.
func readStage(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	apiID := d.Get("api_id").(string)
	out, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String(d.Id())})
	if isNotFound(err) && !d.IsNewResource() {
		d.SetId("")
		return nil
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Stage (%s): %s", d.Id(), err)
	}
	name := aws.ToString(out.StageName)
	account := meta.(*providerData).accountID
	for k, v := range map[string]any{
		"access_log_settings":    flattenAccessLog(out.AccessLogSettings),
		"arn":                    stageARN(region, apiID, name),
		"auto_deploy":            aws.ToBool(out.AutoDeploy),
		"client_certificate_id":  aws.ToString(out.ClientCertificateId),
		"default_route_settings": flattenDefaultRoute(out.DefaultRouteSettings),
		"deployment_id":          aws.ToString(out.DeploymentId),
		"description":            aws.ToString(out.Description),
		"execution_arn":          stageExecutionARN(region, account, apiID, name),
		"name":                   name,
		"region":                 region,
		"route_settings":         flattenRouteSettings(out.RouteSettings),
		"stage_variables":        out.StageVariables,
	} {
		if err := d.Set(k, v); err != nil {
			return diag.Errorf("setting %s: %s", k, err)
		}
	}
	if err := readTags(d, meta, out.Tags); err != nil {
		return diag.FromErr(err)
	}
	protocol, err := protocolOf(ctx, c, apiID)
	if err != nil {
		return diag.FromErr(err)
	}
	if err := d.Set("invoke_url", stageInvokeURL(region, string(protocol), apiID, name)); err != nil {
		return diag.FromErr(err)
	}
	return nil
}

// updateStage sends what changed, as the real provider's Update does:
// removed route settings are deleted first, removed stage variables are
// sent as "".
func updateStage(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	apiID := d.Get("api_id").(string)
	if err := updateTags(ctx, d, meta, c, stageARN(region, apiID, d.Id())); err != nil {
		return diag.FromErr(err)
	}
	if d.HasChanges("access_log_settings", "auto_deploy", "client_certificate_id", "default_route_settings",
		"deployment_id", "description", "route_settings", "stage_variables") {
		protocol, err := protocolOf(ctx, c, apiID)
		if err != nil {
			return diag.FromErr(err)
		}
		in := &apigatewayv2.UpdateStageInput{ApiId: aws.String(apiID), StageName: aws.String(d.Id())}
		if d.HasChange("access_log_settings") {
			in.AccessLogSettings = expandAccessLog(d.Get("access_log_settings").([]any))
		}
		if d.HasChange("auto_deploy") {
			in.AutoDeploy = aws.Bool(d.Get("auto_deploy").(bool))
		}
		if d.HasChange("client_certificate_id") {
			in.ClientCertificateId = aws.String(d.Get("client_certificate_id").(string))
		}
		if d.HasChange("default_route_settings") {
			in.DefaultRouteSettings = expandDefaultRoute(d.Get("default_route_settings").([]any), protocol)
		}
		if d.HasChange("deployment_id") {
			in.DeploymentId = aws.String(d.Get("deployment_id").(string))
		}
		if d.HasChange("description") {
			in.Description = aws.String(d.Get("description").(string))
		}
		if d.HasChange("route_settings") {
			o, n := d.GetChange("route_settings")
			for _, old := range o.(*schema.Set).Difference(n.(*schema.Set)).List() {
				key := old.(map[string]any)["route_key"].(string)
				_, err := c.DeleteRouteSettings(ctx, &apigatewayv2.DeleteRouteSettingsInput{
					ApiId: aws.String(apiID), StageName: aws.String(d.Id()), RouteKey: aws.String(key),
				})
				if err != nil && !isNotFound(err) {
					return diag.Errorf("deleting API Gateway v2 Stage (%s) route settings (%s): %s", d.Id(), key, err)
				}
			}
			in.RouteSettings = expandRouteSettings(n.(*schema.Set).List(), protocol)
		}
		if d.HasChange("stage_variables") {
			o, n := d.GetChange("stage_variables")
			old, vars := stringMapOf(o), stringMapOf(n)
			for k := range old {
				if _, ok := vars[k]; !ok {
					vars[k] = "" // the API removes a variable set to ""
				}
			}
			in.StageVariables = vars
		}
		if _, err := c.UpdateStage(ctx, in); err != nil {
			return diag.Errorf("updating API Gateway v2 Stage (%s): %s", d.Id(), err)
		}
	}
	return readStage(ctx, d, meta)
}

func deleteStage(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: aws.String(d.Get("api_id").(string)), StageName: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Stage (%s): %s", d.Id(), err)
	}
	return nil
}

// importStage takes "api-id/stage-name" (optionally "@<region>") and
// refuses stages API Gateway manages (quick create), with the real
// provider's messages.
func importStage(ctx context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
	if err := importRegion(d, meta); err != nil {
		return nil, err
	}
	apiID, name, err := parseStageImportID(d.Id())
	if err != nil {
		return nil, err
	}
	c, _ := clientFor(d, meta)
	out, err := c.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	if aws.ToBool(out.ApiGatewayManaged) {
		return nil, fmt.Errorf("API Gateway v2 Stage (%s) was created via quick create", name)
	}
	d.SetId(name)
	return []*schema.ResourceData{d}, d.Set("api_id", apiID)
}

// expandAccessLog sends the configured block, or an empty object, which
// turns access logging off.
func expandAccessLog(l []any) *awstypes.AccessLogSettings {
	s := &awstypes.AccessLogSettings{}
	if m := firstBlock(l); m != nil {
		if v, _ := m["destination_arn"].(string); v != "" {
			s.DestinationArn = aws.String(v)
		}
		if v, _ := m["format"].(string); v != "" {
			s.Format = aws.String(v)
		}
	}
	return s
}

func flattenAccessLog(s *awstypes.AccessLogSettings) []any {
	if s == nil {
		return []any{}
	}
	return []any{map[string]any{"destination_arn": aws.ToString(s.DestinationArn), "format": aws.ToString(s.Format)}}
}

// expandRoute sends what the real provider sends: every throttle (0 when
// unset, provider issue #27674), and data_trace_enabled and logging_level
// only for WebSocket APIs (HTTP APIs reject them, #12893).
func expandRoute(m map[string]any, protocol awstypes.ProtocolType) awstypes.RouteSettings {
	var s awstypes.RouteSettings
	ws := protocol == awstypes.ProtocolTypeWebsocket
	if v, ok := m["data_trace_enabled"].(bool); ok && ws {
		s.DataTraceEnabled = aws.Bool(v)
	}
	if v, ok := m["detailed_metrics_enabled"].(bool); ok {
		s.DetailedMetricsEnabled = aws.Bool(v)
	}
	if v, _ := m["logging_level"].(string); v != "" && ws {
		s.LoggingLevel = awstypes.LoggingLevel(v)
	}
	if v, ok := m["throttling_burst_limit"].(int); ok {
		s.ThrottlingBurstLimit = aws.Int32(int32(v))
	}
	if v, ok := m["throttling_rate_limit"].(float64); ok {
		s.ThrottlingRateLimit = aws.Float64(v)
	}
	return s
}

func expandDefaultRoute(l []any, protocol awstypes.ProtocolType) *awstypes.RouteSettings {
	m := firstBlock(l)
	if m == nil {
		return &awstypes.RouteSettings{}
	}
	s := expandRoute(m, protocol)
	return &s
}

func expandRouteSettings(l []any, protocol awstypes.ProtocolType) map[string]awstypes.RouteSettings {
	out := make(map[string]awstypes.RouteSettings, len(l))
	for _, e := range l {
		m := e.(map[string]any)
		out[m["route_key"].(string)] = expandRoute(m, protocol)
	}
	return out
}

// flattenDefaultRoute stores a present block with 0 and "" for what the
// API left out.
func flattenDefaultRoute(s *awstypes.RouteSettings) []any {
	if s == nil {
		return []any{}
	}
	return []any{map[string]any{
		"data_trace_enabled":       aws.ToBool(s.DataTraceEnabled),
		"detailed_metrics_enabled": aws.ToBool(s.DetailedMetricsEnabled),
		"logging_level":            string(s.LoggingLevel),
		"throttling_burst_limit":   int(aws.ToInt32(s.ThrottlingBurstLimit)),
		"throttling_rate_limit":    aws.ToFloat64(s.ThrottlingRateLimit),
	}}
}

// flattenRouteSettings leaves out the throttles the API did not return.
func flattenRouteSettings(settings map[string]awstypes.RouteSettings) []any {
	out := make([]any, 0, len(settings))
	for key, s := range settings {
		m := map[string]any{
			"data_trace_enabled":       aws.ToBool(s.DataTraceEnabled),
			"detailed_metrics_enabled": aws.ToBool(s.DetailedMetricsEnabled),
			"logging_level":            string(s.LoggingLevel),
			"route_key":                key,
		}
		if s.ThrottlingBurstLimit != nil {
			m["throttling_burst_limit"] = int(*s.ThrottlingBurstLimit)
		}
		if s.ThrottlingRateLimit != nil {
			m["throttling_rate_limit"] = *s.ThrottlingRateLimit
		}
		out = append(out, m)
	}
	return out
}
