package generate

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// Schema defaults the provider reads back; an attribute equal to its
// default is left out so the configuration stays minimal.
const (
	defaultRouteSelection  = "$request.method $request.path"
	defaultAPIKeySelection = "$request.header.x-api-key"
	defaultIPAddressType   = "ipv4"
)

// Every value goes through cty and hclwrite, never through string joining,
// so `${`, `%{`, quotes, backslashes, newlines and non-printing characters
// are escaped the way HCL's parser reads them back.

func importBlock(typ, name, id string, provider hcl.Traversal) []byte {
	b := newBlock("import")
	b.traversal("to", hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}})
	b.value("id", cty.StringVal(id))
	if provider != nil {
		b.traversal("provider", provider)
	}
	return b.bytes()
}

func apiBlock(a *inventory.API, name string, provider hcl.Traversal) []byte {
	b := newBlock("resource", typeAPI, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	b.value("name", cty.StringVal(a.Name))
	b.value("protocol_type", cty.StringVal(a.ProtocolType))
	setString(b, "description", a.Description)
	setString(b, "version", a.Version)
	if a.APIKeySelectionExpression != defaultAPIKeySelection {
		setString(b, "api_key_selection_expression", a.APIKeySelectionExpression)
	}
	// The provider reads route_selection_expression back for every API;
	// WebSocket APIs have no default, so it is always written for them.
	if a.ProtocolType == inventory.ProtocolWebSocket || a.RouteSelectionExpression != defaultRouteSelection {
		setString(b, "route_selection_expression", a.RouteSelectionExpression)
	}
	if a.DisableExecuteAPIEndpoint {
		b.value("disable_execute_api_endpoint", cty.True)
	}
	if a.IPAddressType != defaultIPAddressType {
		setString(b, "ip_address_type", a.IPAddressType)
	}
	setMap(b, "tags", a.Tags)
	if c := a.CorsConfiguration; c != nil && !corsEmpty(c) {
		cb := b.block("cors_configuration")
		if c.AllowCredentials {
			cb.value("allow_credentials", cty.True)
		}
		setStrings(cb, "allow_headers", c.AllowHeaders)
		setStrings(cb, "allow_methods", c.AllowMethods)
		setStrings(cb, "allow_origins", c.AllowOrigins)
		setStrings(cb, "expose_headers", c.ExposeHeaders)
		if c.MaxAge != 0 {
			cb.value("max_age", cty.NumberIntVal(int64(c.MaxAge)))
		}
	}
	return b.bytes()
}

// corsEmpty reports a CORS configuration with nothing set, which API
// Gateway does not return and the provider would read as no block.
func corsEmpty(c *inventory.Cors) bool {
	return !c.AllowCredentials && len(c.AllowHeaders) == 0 && len(c.AllowMethods) == 0 &&
		len(c.AllowOrigins) == 0 && len(c.ExposeHeaders) == 0 && c.MaxAge == 0
}

// stageBlock renders a stage. apiRef is a traversal to the API's id, or nil
// for a literal id.
func stageBlock(a *inventory.API, s *inventory.Stage, name string, apiRef, provider hcl.Traversal) []byte {
	ws := a.ProtocolType == inventory.ProtocolWebSocket
	b := newBlock("resource", typeStage, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	if apiRef != nil {
		b.traversal("api_id", apiRef)
	} else {
		b.value("api_id", cty.StringVal(a.ID))
	}
	b.value("name", cty.StringVal(s.Name))
	setString(b, "description", s.Description)
	if s.AutoDeploy {
		b.value("auto_deploy", cty.True)
	} else {
		// Under auto_deploy API Gateway moves deployment_id on every
		// deployment, so pinning it would diff forever
		// (hashicorp/terraform-provider-aws#13633, PR #13644).
		setString(b, "deployment_id", s.DeploymentID)
	}
	setString(b, "client_certificate_id", s.ClientCertificateID)
	setMap(b, "stage_variables", s.StageVariables)
	setMap(b, "tags", s.Tags)
	if l := s.AccessLogSettings; l != nil {
		lb := b.block("access_log_settings")
		lb.value("destination_arn", cty.StringVal(l.DestinationARN))
		lb.value("format", cty.StringVal(l.Format))
	}
	if d := s.DefaultRouteSettings; d != nil && !routeSettingsEmpty(d, ws) {
		routeSettings(b.block("default_route_settings"), d, ws)
	}
	rs := slices.Clone(s.RouteSettings)
	slices.SortFunc(rs, func(x, y inventory.RouteSetting) int { return strings.Compare(x.RouteKey, y.RouteKey) })
	for i := range rs {
		rb := b.block("route_settings")
		rb.value("route_key", cty.StringVal(rs[i].RouteKey))
		routeSettings(rb, &rs[i].RouteSettings, ws)
	}
	return b.bytes()
}

// routeSettings writes one RouteSettings. logging_level and
// data_trace_enabled are WebSocket-only: the provider never sends them for
// HTTP APIs, so writing them there diffs forever
// (hashicorp/terraform-provider-aws#12893, PR #12904). Throttles are written
// exactly as read, zero included: a block without them means 0, which blocks
// all traffic (hashicorp/terraform-provider-aws#27674).
func routeSettings(b *hblock, r *inventory.RouteSettings, ws bool) {
	if ws && r.DataTraceEnabled != nil && *r.DataTraceEnabled {
		b.value("data_trace_enabled", cty.True)
	}
	if r.DetailedMetricsEnabled != nil && *r.DetailedMetricsEnabled {
		b.value("detailed_metrics_enabled", cty.True)
	}
	if ws {
		setString(b, "logging_level", r.LoggingLevel)
	}
	if r.ThrottlingBurstLimit != nil {
		b.value("throttling_burst_limit", cty.NumberIntVal(int64(*r.ThrottlingBurstLimit)))
	}
	if r.ThrottlingRateLimit != nil {
		b.value("throttling_rate_limit", cty.NumberFloatVal(*r.ThrottlingRateLimit))
	}
}

// routeSettingsEmpty reports whether a default_route_settings block would
// have nothing to say; the provider treats a missing block as no diff.
func routeSettingsEmpty(r *inventory.RouteSettings, ws bool) bool {
	return !(ws && r.DataTraceEnabled != nil && *r.DataTraceEnabled) &&
		!(r.DetailedMetricsEnabled != nil && *r.DetailedMetricsEnabled) &&
		!(ws && r.LoggingLevel != "") &&
		r.ThrottlingBurstLimit == nil && r.ThrottlingRateLimit == nil
}

func setString(b *hblock, name, v string) {
	if v != "" {
		b.value(name, cty.StringVal(v))
	}
}

// setStrings writes a set attribute sorted, so reordering alone never
// changes the file.
func setStrings(b *hblock, name string, vs []string) {
	if len(vs) == 0 {
		return
	}
	sorted := slices.Clone(vs)
	slices.Sort(sorted)
	b.list(name, sorted)
}

func setMap(b *hblock, name string, m map[string]string) {
	if len(m) > 0 {
		b.object(name, m)
	}
}

var bareKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// verbatim ends a block kept from an earlier run with a newline; its
// source is otherwise kept exactly as the user last saw it.
func verbatim(src []byte) []byte {
	if bytes.HasSuffix(src, []byte("\n")) {
		return src
	}
	return append(slices.Clip(src), '\n')
}

// providers renders providers.tf: required_providers and one provider
// configuration per region, less whatever the directory already declares.
// It returns nil when nothing is missing.
func (g *gen) providers() ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	var missing []string
	if !g.scan.requiredAWS {
		missing = append(missing, "required_providers aws")
		rp := body.AppendNewBlock("terraform", nil).Body().AppendNewBlock("required_providers", nil).Body()
		rp.SetAttributeRaw("aws", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
			{Name: hclwrite.TokensForIdentifier("source"), Value: hclwrite.TokensForValue(cty.StringVal("hashicorp/aws"))},
			{Name: hclwrite.TokensForIdentifier("version"), Value: hclwrite.TokensForValue(cty.StringVal(">= 5.0"))},
		}))
	}
	regions := map[string]bool{}
	for r := range g.alias {
		regions[r] = true
	}
	// Aliases from our earlier providers.tf stay: kept blocks may still
	// name them.
	for r, a := range g.scan.ownAliases {
		if _, ok := g.alias[r]; !ok && r != g.defaultRegion {
			g.alias[r] = a
			regions[r] = true
		}
	}
	ordered := slices.Sorted(maps.Keys(regions))
	slices.SortStableFunc(ordered, func(a, b string) int {
		return strings.Compare(g.regionRank(a), g.regionRank(b))
	})
	for _, r := range ordered {
		if r == "" {
			continue
		}
		alias := g.alias[r]
		if alias == "" && g.scan.defaultDecl {
			continue
		}
		if _, ok := g.scan.aliases[r]; ok && alias != "" {
			continue
		}
		if alias == "" {
			missing = append(missing, fmt.Sprintf("provider \"aws\" for region %s", r))
		} else {
			missing = append(missing, fmt.Sprintf("provider \"aws\" alias %s for region %s", alias, r))
		}
		body.AppendNewline()
		pb := body.AppendNewBlock("provider", []string{"aws"}).Body()
		if alias != "" {
			pb.SetAttributeValue("alias", cty.StringVal(alias))
		}
		pb.SetAttributeValue("region", cty.StringVal(r))
		if g.opts.Profile != "" {
			pb.SetAttributeValue("profile", cty.StringVal(g.opts.Profile))
		}
		if ep := g.inv.Endpoint; ep != "" {
			// A custom endpoint (an emulator, LocalStack) has no real
			// account behind it; credentials still come from the
			// environment, never from this file.
			pb.SetAttributeValue("skip_credentials_validation", cty.True)
			pb.SetAttributeValue("skip_metadata_api_check", cty.True)
			pb.SetAttributeValue("skip_requesting_account_id", cty.True)
			eb := pb.AppendNewBlock("endpoints", nil).Body()
			eb.SetAttributeValue("apigatewayv2", cty.StringVal(ep))
			eb.SetAttributeValue("sts", cty.StringVal(ep))
		}
		g.opts.AssumeRole.write(pb)
	}
	if len(missing) == 0 {
		return nil, nil
	}
	if g.scan.userProviders {
		return nil, fmt.Errorf("%s/%s was not written by apigw2tf and lacks %s; add them or move the file aside", g.opts.Dir, providersFile, strings.Join(missing, ", "))
	}
	src := bytes.TrimLeft(hclwrite.Format(f.Bytes()), "\n")
	return append([]byte(header+"\n"), src...), nil
}
