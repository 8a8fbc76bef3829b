package inventory

import (
	"fmt"
	"slices"
	"strings"
)

// Resource kinds: the values of --types, each one Terraform resource type.
const (
	KindAPI         = "api"
	KindStage       = "stage"
	KindAuthorizer  = "authorizer"
	KindIntegration = "integration"
	KindRoute       = "route"
)

// AllKinds are the kinds apigw2tf discovers, generates and audits, in
// dependency order: what a kind refers to comes before it.
var AllKinds = []string{KindAPI, KindStage, KindAuthorizer, KindVPCLink, KindIntegration, KindIntegrationResponse, KindModel, KindRoute, KindRouteResponse, KindDomainName, KindAPIMapping}

// legacyKinds are what an inventory without a types member holds: one
// written before routes, integrations and authorizers were discovered.
var legacyKinds = []string{KindAPI, KindStage}

// ReasonQuickCreateChild is the skip reason for the route and integration
// quick create made; the provider refuses to import them.
const ReasonQuickCreateChild = "created by quick create and managed by API Gateway; cannot be imported"

// ParseKinds checks a --types list (comma-separated values allowed) and
// returns it in AllKinds order, without duplicates. Empty means all.
func ParseKinds(values []string) ([]string, error) {
	want := map[string]bool{}
	for _, v := range values {
		for _, k := range strings.Split(v, ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if !slices.Contains(AllKinds, k) {
				return nil, fmt.Errorf("--types %q is not a resource type; use a comma-separated list of %s", k, strings.Join(AllKinds, ", "))
			}
			want[k] = true
		}
	}
	if len(want) == 0 {
		return slices.Clone(AllKinds), nil
	}
	if !want[KindAPI] {
		return nil, fmt.Errorf("--types %s must include api: every other type belongs to an API or refers to one", strings.Join(values, ","))
	}
	if want[KindAPIMapping] && !want[KindDomainName] {
		return nil, fmt.Errorf("--types %s must include domain_name with api_mapping: mappings are listed per domain name", strings.Join(values, ","))
	}
	if err := checkParents(want); err != nil {
		return nil, err
	}
	var out []string
	for _, k := range AllKinds {
		if want[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// Kinds are the kinds the inventory was discovered with.
func (inv *Inventory) Kinds() []string {
	if len(inv.Types) == 0 {
		return legacyKinds
	}
	return inv.Types
}

// Has reports whether the inventory was discovered with kind, so that an
// API without routes is told apart from routes that were not listed.
func (inv *Inventory) Has(kind string) bool { return slices.Contains(inv.Kinds(), kind) }

// ChildImportID is the `terraform import` id of an API's route,
// integration or authorizer: api-id/child-id.
func ChildImportID(apiID, id string) string { return apiID + "/" + id }

// Route is one importable route. Quick create's route is in
// Inventory.Skipped instead.
type Route struct {
	ID                               string            `json:"id"`
	RouteKey                         string            `json:"route_key"`
	Target                           string            `json:"target,omitempty"`
	AuthorizationType                string            `json:"authorization_type,omitempty"`
	AuthorizerID                     string            `json:"authorizer_id,omitempty"`
	AuthorizationScopes              []string          `json:"authorization_scopes,omitempty"`
	APIKeyRequired                   bool              `json:"api_key_required,omitempty"`
	OperationName                    string            `json:"operation_name,omitempty"`
	ModelSelectionExpression         string            `json:"model_selection_expression,omitempty"`
	RouteResponseSelectionExpression string            `json:"route_response_selection_expression,omitempty"`
	RequestModels                    map[string]string `json:"request_models,omitempty"`
	// RequestParameters maps a WebSocket route's parameter to whether it is
	// required.
	RequestParameters map[string]bool `json:"request_parameters,omitempty"`
}

// Integration is one importable integration. Quick create's integration
// is in Inventory.Skipped instead.
type Integration struct {
	ID                          string                       `json:"id"`
	IntegrationType             string                       `json:"integration_type"`
	IntegrationURI              string                       `json:"integration_uri,omitempty"`
	IntegrationMethod           string                       `json:"integration_method,omitempty"`
	IntegrationSubtype          string                       `json:"integration_subtype,omitempty"`
	ConnectionType              string                       `json:"connection_type,omitempty"`
	ConnectionID                string                       `json:"connection_id,omitempty"`
	CredentialsARN              string                       `json:"credentials_arn,omitempty"`
	Description                 string                       `json:"description,omitempty"`
	PayloadFormatVersion        string                       `json:"payload_format_version,omitempty"`
	PassthroughBehavior         string                       `json:"passthrough_behavior,omitempty"`
	ContentHandlingStrategy     string                       `json:"content_handling_strategy,omitempty"`
	TemplateSelectionExpression string                       `json:"template_selection_expression,omitempty"`
	TimeoutMillis               int32                        `json:"timeout_milliseconds,omitempty"`
	RequestParameters           map[string]string            `json:"request_parameters,omitempty"`
	RequestTemplates            map[string]string            `json:"request_templates,omitempty"`
	ResponseParameters          map[string]map[string]string `json:"response_parameters,omitempty"`
	TLSServerNameToVerify       string                       `json:"tls_server_name_to_verify,omitempty"`
}

// Authorizer is one JWT or REQUEST (Lambda) authorizer.
type Authorizer struct {
	ID                             string   `json:"id"`
	Name                           string   `json:"name"`
	AuthorizerType                 string   `json:"authorizer_type"`
	AuthorizerURI                  string   `json:"authorizer_uri,omitempty"`
	AuthorizerCredentialsARN       string   `json:"authorizer_credentials_arn,omitempty"`
	AuthorizerPayloadFormatVersion string   `json:"authorizer_payload_format_version,omitempty"`
	AuthorizerResultTTLInSeconds   int32    `json:"authorizer_result_ttl_in_seconds,omitempty"`
	EnableSimpleResponses          bool     `json:"enable_simple_responses,omitempty"`
	IdentitySources                []string `json:"identity_sources,omitempty"`
	JWTIssuer                      string   `json:"jwt_issuer,omitempty"`
	JWTAudience                    []string `json:"jwt_audience,omitempty"`
}

// normalizeChildren sorts an API's children by id.
func (a *API) normalizeChildren() {
	slices.SortFunc(a.Routes, func(x, y Route) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(a.Integrations, func(x, y Integration) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(a.Authorizers, func(x, y Authorizer) int { return strings.Compare(x.ID, y.ID) })
}

// validateChildren reports a child listed twice, which would become two
// resource blocks for one live resource.
func (a *API) validateChildren() error {
	seen := map[string]bool{}
	check := func(kind, id string) error {
		if seen[kind+"/"+id] {
			return fmt.Errorf("%s %s of api %s in %s is listed twice; remove one entry or re-run discover", kind, id, a.ID, a.Region)
		}
		seen[kind+"/"+id] = true
		return nil
	}
	for _, r := range a.Routes {
		if err := check(KindRoute, r.ID); err != nil {
			return err
		}
	}
	for _, x := range a.Integrations {
		if err := check(KindIntegration, x.ID); err != nil {
			return err
		}
	}
	for _, x := range a.Authorizers {
		if err := check(KindAuthorizer, x.ID); err != nil {
			return err
		}
	}
	return a.validateResponses(check)
}

// Describe names a skipped resource for people: `api "name" (id)`, or a
// stage, route or integration of it.
func (s Skipped) Describe() string {
	what := fmt.Sprintf("api %q (%s)", s.APIName, s.APIID)
	switch {
	case s.Kind != "":
		return fmt.Sprintf("%s %q of %s", s.Kind, s.ID, what)
	case s.Stage != "":
		return fmt.Sprintf("stage %q of %s", s.Stage, what)
	}
	return what
}
