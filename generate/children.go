package generate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// An API's authorizers, integrations and routes: their names, blocks and
// the references between them (a route's target and authorizer_id, every
// child's api_id).

const (
	typeAuthorizer  = inventory.TypeAuthorizer
	typeIntegration = inventory.TypeIntegration
	typeRoute       = inventory.TypeRoute

	// targetPrefix starts a route target that names an integration.
	targetPrefix = "integrations/"
)

// Defaults the provider plans when an attribute is left out.
const (
	defaultConnectionType = "INTERNET"
	defaultPayloadFormat  = "1.0"
	defaultPassthrough    = "WHEN_NO_MATCH"
	defaultAuthorization  = "NONE"
	defaultHTTPTimeout    = 30000
	defaultWSTimeout      = 29000
)

func childKey(typ, apiID, id string) key { return key{typ, inventory.ChildImportID(apiID, id)} }

// childCandidates names an API's children after what people know them by:
// an authorizer by its name, a route by its key, an integration by the
// first route key (in order) that targets it, else by its description or
// type. Every name starts with the API's, like its stages'.
func childCandidates(a *inventory.API, apiLocal string) map[string][]candidate {
	prefix := stageBase(apiLocal)
	out := map[string][]candidate{}
	add := func(typ, id, name, fallback string) {
		k := childKey(typ, a.ID, id)
		out[typ] = append(out[typ], candidate{k: k, base: prefix + "_" + identifier(snake(name), fallback), suffix: shortHash(k.id)})
	}
	for _, x := range a.Authorizers {
		add(typeAuthorizer, x.ID, x.Name, "authorizer")
	}
	routes := slices.Clone(a.Routes)
	slices.SortFunc(routes, func(x, y inventory.Route) int { return strings.Compare(x.RouteKey, y.RouteKey) })
	for _, r := range routes {
		add(typeRoute, r.ID, r.RouteKey, "route")
	}
	for _, x := range a.Integrations {
		name := ""
		for _, r := range routes {
			if r.Target == targetPrefix+x.ID {
				name = r.RouteKey
				break
			}
		}
		if snake(name) == "" {
			name = x.Description
		}
		if snake(name) == "" {
			name = strings.ToLower(x.IntegrationType)
		}
		add(typeIntegration, x.ID, name, "integration")
	}
	return out
}

// refTraversal is a reference to the id of the resource at addr, or nil
// when addr cannot be referred to from the root module.
func refTraversal(addr string) hcl.Traversal {
	if addr == "" || strings.HasPrefix(addr, "module.") {
		return nil
	}
	// The common case, type.name, without the parser: it runs once per
	// resource.
	if typ, name, ok := strings.Cut(addr, "."); ok && hclsyntax.ValidIdentifier(typ) && hclsyntax.ValidIdentifier(name) {
		return hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}, hcl.TraverseAttr{Name: "id"}}
	}
	trav, diags := hclsyntax.ParseTraversalAbs([]byte(addr), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	return append(trav, hcl.TraverseAttr{Name: "id"})
}

// childBlock starts the resource block of one of a's children: its
// provider and its api_id.
func childBlock(typ, name string, a *inventory.API, refs *childRefs, provider hcl.Traversal) *hblock {
	b := newBlock("resource", typ, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	idRef(b, "api_id", refs.api, a.ID)
	return b
}

// idRef writes name as a reference when there is one, else as the literal.
func idRef(b *hblock, name string, ref hcl.Traversal, literal string) {
	if ref != nil {
		b.traversal(name, ref)
	} else {
		setString(b, name, literal)
	}
}

// childRefs are the references an API's children may use, by the child's
// own id.
type childRefs struct {
	api          hcl.Traversal
	authorizers  map[string]hcl.Traversal
	integrations map[string]hcl.Traversal
	routes       map[string]hcl.Traversal
	vpcLinks     map[string]hcl.Traversal // by region/id
	// models are references to a model's name, by name.
	models map[string]hcl.Traversal
}

func authorizerBlock(a *inventory.API, x *inventory.Authorizer, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeAuthorizer, name, a, refs, provider)
	b.value("name", cty.StringVal(x.Name))
	b.value("authorizer_type", cty.StringVal(x.AuthorizerType))
	setString(b, "authorizer_uri", x.AuthorizerURI)
	setString(b, "authorizer_credentials_arn", x.AuthorizerCredentialsARN)
	setString(b, "authorizer_payload_format_version", x.AuthorizerPayloadFormatVersion)
	// Optional and computed: left out it plans no change, but a TTL that
	// is set is a decision worth keeping in the configuration.
	if x.AuthorizerResultTTLInSeconds != 0 {
		b.value("authorizer_result_ttl_in_seconds", cty.NumberIntVal(int64(x.AuthorizerResultTTLInSeconds)))
	}
	if x.EnableSimpleResponses {
		b.value("enable_simple_responses", cty.True)
	}
	setStrings(b, "identity_sources", x.IdentitySources)
	if x.JWTIssuer != "" || len(x.JWTAudience) > 0 {
		jb := b.block("jwt_configuration")
		setStrings(jb, "audience", x.JWTAudience)
		setString(jb, "issuer", x.JWTIssuer)
	}
	return b.bytes()
}

func integrationBlock(a *inventory.API, x *inventory.Integration, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeIntegration, name, a, refs, provider)
	b.value("integration_type", cty.StringVal(x.IntegrationType))
	setString(b, "integration_subtype", x.IntegrationSubtype)
	setString(b, "integration_uri", x.IntegrationURI)
	// API Gateway reports POST for a Lambda integration configured
	// without a method, and the provider suppresses that difference.
	lambda := x.IntegrationType == "AWS" || x.IntegrationType == "AWS_PROXY"
	if !(lambda && x.IntegrationMethod == "POST") {
		setString(b, "integration_method", x.IntegrationMethod)
	}
	if x.ConnectionType != "" && x.ConnectionType != defaultConnectionType {
		b.value("connection_type", cty.StringVal(x.ConnectionType))
	}
	var link hcl.Traversal
	if x.ConnectionType == "VPC_LINK" {
		link = refs.vpcLinks[a.Region+"/"+x.ConnectionID]
	}
	idRef(b, "connection_id", link, x.ConnectionID)
	setString(b, "credentials_arn", x.CredentialsARN)
	setString(b, "description", x.Description)
	if x.PayloadFormatVersion != "" && x.PayloadFormatVersion != defaultPayloadFormat {
		b.value("payload_format_version", cty.StringVal(x.PayloadFormatVersion))
	}
	if x.PassthroughBehavior != defaultPassthrough {
		setString(b, "passthrough_behavior", x.PassthroughBehavior)
	}
	setString(b, "content_handling_strategy", x.ContentHandlingStrategy)
	setString(b, "template_selection_expression", x.TemplateSelectionExpression)
	timeout := int32(defaultHTTPTimeout)
	if a.ProtocolType == inventory.ProtocolWebSocket {
		timeout = defaultWSTimeout
	}
	if x.TimeoutMillis != 0 && x.TimeoutMillis != timeout {
		b.value("timeout_milliseconds", cty.NumberIntVal(int64(x.TimeoutMillis)))
	}
	setMap(b, "request_parameters", x.RequestParameters)
	setMap(b, "request_templates", x.RequestTemplates)
	for _, code := range slices.Sorted(maps.Keys(x.ResponseParameters)) {
		rb := b.block("response_parameters")
		rb.value("status_code", cty.StringVal(code))
		setMap(rb, "mappings", x.ResponseParameters[code])
	}
	if x.TLSServerNameToVerify != "" {
		b.block("tls_config").value("server_name_to_verify", cty.StringVal(x.TLSServerNameToVerify))
	}
	return b.bytes()
}

func routeBlock(a *inventory.API, r *inventory.Route, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeRoute, name, a, refs, provider)
	b.value("route_key", cty.StringVal(r.RouteKey))
	if id, ok := strings.CutPrefix(r.Target, targetPrefix); ok && refs.integrations[id] != nil {
		b.raw("target", targetTemplate(refs.integrations[id]))
	} else {
		setString(b, "target", r.Target)
	}
	if r.AuthorizationType != defaultAuthorization {
		setString(b, "authorization_type", r.AuthorizationType)
	}
	idRef(b, "authorizer_id", refs.authorizers[r.AuthorizerID], r.AuthorizerID)
	setStrings(b, "authorization_scopes", r.AuthorizationScopes)
	if r.APIKeyRequired {
		b.value("api_key_required", cty.True)
	}
	setString(b, "operation_name", r.OperationName)
	setString(b, "model_selection_expression", r.ModelSelectionExpression)
	setString(b, "route_response_selection_expression", r.RouteResponseSelectionExpression)
	setModels(b, "request_models", r.RequestModels, refs.models)
	for _, k := range slices.Sorted(maps.Keys(r.RequestParameters)) {
		pb := b.block("request_parameter")
		pb.value("request_parameter_key", cty.StringVal(k))
		pb.value("required", cty.BoolVal(r.RequestParameters[k]))
	}
	return b.bytes()
}

// targetTemplate is "integrations/${<integration>.id}".
func targetTemplate(ref hcl.Traversal) []byte {
	toks := hclwrite.Tokens{
		{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)},
		{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(targetPrefix)},
		{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")},
	}
	toks = append(toks, hclwrite.TokensForTraversal(ref)...)
	toks = append(toks,
		&hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")},
		&hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
	return toks.Bytes()
}

// buildChildren places an API's authorizers, integrations (and their
// responses), models and routes (and their responses) next to its stages,
// in that order, so that what a child refers to is decided (written fresh,
// or already managed at some address) before the child.
func (g *gen) buildChildren(a *inventory.API, file, rank, apiAddr string) {
	refs := &childRefs{api: g.apiIDExpr(a.ID), authorizers: map[string]hcl.Traversal{}, integrations: map[string]hcl.Traversal{},
		routes: map[string]hcl.Traversal{}, models: map[string]hcl.Traversal{}, vpcLinks: g.vpcLinkRef}
	provider := g.provider(a.Region)
	// place returns the address the child will have and, for one written
	// fresh, its name.
	var place placeFunc = func(typ, id, order string, count *int, render func(name string) []byte) string {
		k := childKey(typ, a.ID, id)
		name := g.names[k]
		sortKey := [3]string{rank, apiAddr, order + name}
		if addr, handled := g.existing(k, file, sortKey); handled {
			return addr
		}
		g.add(file, unit{sort: sortKey, render: func(u *unit) {
			u.imp = importBlock(typ, name, k.id, provider)
			u.res = render(name)
		}})
		*count++
		return typ + "." + name
	}
	for i := range a.Authorizers {
		x := &a.Authorizers[i]
		addr := place(typeAuthorizer, x.ID, "2", &g.res.Authorizers, func(name string) []byte { return authorizerBlock(a, x, name, refs, provider) })
		refs.authorizers[x.ID] = refTraversal(addr)
	}
	for i := range a.Integrations {
		x := &a.Integrations[i]
		addr := place(typeIntegration, x.ID, "3", &g.res.Integrations, func(name string) []byte { return integrationBlock(a, x, name, refs, provider) })
		refs.integrations[x.ID] = refTraversal(addr)
	}
	g.buildIntegrationResponses(a, refs, place, provider)
	g.buildModels(a, refs, place, provider)
	for i := range a.Routes {
		r := &a.Routes[i]
		addr := place(typeRoute, r.ID, "4", &g.res.Routes, func(name string) []byte { return routeBlock(a, r, name, refs, provider) })
		refs.routes[r.ID] = refTraversal(addr)
	}
	g.buildRouteResponses(a, refs, place, provider)
}

// assignChildNames names every API's children, after the APIs are named.
func (g *gen) assignChildNames(n *namer) {
	byType := map[string][]candidate{}
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		for typ, cands := range childCandidates(a, g.names[apiKey(a)]) {
			byType[typ] = append(byType[typ], cands...)
		}
	}
	for _, typ := range []string{typeAuthorizer, typeIntegration, typeRoute} {
		for k, v := range n.assign(typ, byType[typ]) {
			g.names[k] = v
		}
	}
	g.assignResponseNames(n)
}

// skippedChild is the comment for a child quick create made.
func skippedChild(s inventory.Skipped) string {
	return fmt.Sprintf("# Not imported: %s %q of api %q (%q, %q): %s", s.Kind, s.ID, s.APIName, s.APIID, s.Region, commentSafe(s.Reason))
}

// discovered reports whether the inventory lists resources of addr's type
// (an inventory written with --types api,stage, or before routes were
// discovered, knows nothing of routes).
func (g *gen) discovered(addr string) bool {
	typ, _, _ := strings.Cut(addr, ".")
	kind := map[string]string{
		typeAPI: inventory.KindAPI, typeStage: inventory.KindStage, typeAuthorizer: inventory.KindAuthorizer,
		typeIntegration: inventory.KindIntegration, typeRoute: inventory.KindRoute,
		typeModel: inventory.KindModel, typeRouteResponse: inventory.KindRouteResponse, typeIntegrationResponse: inventory.KindIntegrationResponse,
	}[typ]
	if k, ok := accountKinds[typ]; ok {
		kind = k
	}
	return g.inv.Has(kind)
}
