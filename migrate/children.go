package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// An API's children (authorizers, integrations, routes, models and the
// WebSocket responses) move with their API: they refer to it and to each
// other, so leaving one behind would break a reference.

const (
	typeAuthorizer          = inventory.TypeAuthorizer
	typeIntegration         = inventory.TypeIntegration
	typeRoute               = inventory.TypeRoute
	typeModel               = inventory.TypeModel
	typeRouteResponse       = inventory.TypeRouteResponse
	typeIntegrationResponse = inventory.TypeIntegrationResponse
)

// childTiers are the child types in the order they are named: a response
// is named after its route or integration.
var childTiers = [][]string{
	{typeAuthorizer, typeIntegration, typeRoute},
	{typeModel, typeRouteResponse, typeIntegrationResponse},
}

// accountTypes are shared by several APIs and never move with one.
var accountTypes = []string{"aws_apigatewayv2_domain_name", "aws_apigatewayv2_api_mapping", "aws_apigatewayv2_vpc_link"}

// sharedFix is what to do about a reference between an account-level
// resource and a resource that moves.
const sharedFix = "domain names, API mappings and VPC links are shared by APIs and do not move with one: replace the reference with the literal id first"

func isChild(typ string) bool {
	return slices.ContainsFunc(childTiers, func(t []string) bool { return slices.Contains(t, typ) })
}

// perAPI reports the types whose api_id refers to an API: stages and children.
func perAPI(typ string) bool { return typ == typeStage || isChild(typ) }

// withChildren adds to sel every child in idx of an API sel holds.
func withChildren(sel []*resource, idx *stateIndex) []*resource {
	apis, picked := map[string]bool{}, map[string]bool{}
	for _, r := range sel {
		picked[r.Address] = true
		if r.Type == typeAPI {
			apis[r.APIID] = true
		}
	}
	for _, r := range idx.resources {
		if isChild(r.Type) && apis[r.APIID] && !picked[r.Address] {
			sel = append(sel, r)
		}
	}
	return sel
}

// childTargets names the selected children, parents before responses.
// A child keeps its name, unless its API is renamed (renamed reports that):
// then it gets generate's name under the API's new name (apiLocal), as a
// stage does. out holds the new addresses assigned so far.
func childTargets(sel []*resource, src *stateIndex, apiLocal func(apiID string) string, renamed func(apiID string) bool, assign func(r *resource, name string, derived bool) error, out map[string]string) error {
	var byAPI map[string][]*resource // the source's children by API id, for generatedNames
	for tier, types := range childTiers {
		names := map[string]map[string]map[string]string{} // api id -> type -> import id -> name
		for _, r := range sel {
			if !slices.Contains(types, r.Type) {
				continue
			}
			api := apiLocal(r.APIID)
			if !renamed(r.APIID) || api == "" {
				if err := assign(r, r.name(), false); err != nil {
					return err
				}
				continue
			}
			if byAPI == nil {
				byAPI = map[string][]*resource{}
				for _, c := range src.resources {
					if isChild(c.Type) {
						byAPI[c.APIID] = append(byAPI[c.APIID], c)
					}
				}
			}
			if names[r.APIID] == nil {
				names[r.APIID] = generatedNames(byAPI[r.APIID], r.APIID, api, tier > 0, out)
			}
			name, derived := names[r.APIID][r.Type][r.ImportID], true
			if name == "" {
				name, derived = r.name(), false
			}
			if err := assign(r, name, derived); err != nil {
				return err
			}
		}
	}
	return nil
}

// generatedNames asks generate for the names of kids, the children of API
// apiID: of its authorizers, integrations and routes, or with responses
// set, of its models and responses, named after their parents' new names
// (out) or current ones.
func generatedNames(kids []*resource, apiID, apiLocal string, responses bool, out map[string]string) map[string]map[string]string {
	a := &inventory.API{ID: apiID}
	parents := map[string]map[string]string{typeRoute: {}, typeIntegration: {}}
	for _, r := range kids {
		v := r.Values
		switch r.Type {
		case typeAuthorizer:
			a.Authorizers = append(a.Authorizers, inventory.Authorizer{ID: str(v["id"]), Name: str(v["name"])})
		case typeIntegration:
			a.Integrations = append(a.Integrations, inventory.Integration{ID: str(v["id"]), Description: str(v["description"]), IntegrationType: str(v["integration_type"])})
		case typeRoute:
			a.Routes = append(a.Routes, inventory.Route{ID: str(v["id"]), RouteKey: str(v["route_key"]), Target: str(v["target"])})
		case typeModel:
			a.Models = append(a.Models, inventory.Model{ID: str(v["id"]), Name: str(v["name"])})
		case typeRouteResponse:
			a.RouteResponses = append(a.RouteResponses, inventory.RouteResponse{ID: str(v["id"]), RouteID: str(v["route_id"]), RouteResponseKey: str(v["route_response_key"])})
		case typeIntegrationResponse:
			a.IntegrationResponses = append(a.IntegrationResponses, inventory.IntegrationResponse{ID: str(v["id"]), IntegrationID: str(v["integration_id"]), IntegrationResponseKey: str(v["integration_response_key"])})
		}
		if m, ok := parents[r.Type]; ok {
			name := r.name()
			if to, ok := out[r.Address]; ok {
				_, local := splitModule(to)
				_, name, _ = strings.Cut(local, ".")
			}
			m[r.ImportID] = name
		}
	}
	if responses {
		return generate.ResponseResourceNames(a, apiLocal, parents)
	}
	return generate.ChildResourceNames(a, apiLocal)
}

// nonResourceRoots are the first names of references that are no resource.
var nonResourceRoots = []string{"var", "local", "data", "module", "path", "count", "each", "self", "terraform"}

// strandedRef refuses a moving block (of a resource in module mod, read
// from dir) that refers to a resource left behind where the reference
// cannot reach it: in the source state when the block moves to another
// one, or outside the module it moves into. stays reports such a resource
// by its full address.
func strandedRef(where, dir, mod string, b *hclwrite.Block, stays func(addr string) bool) error {
	var attrs, to []string
	eachExpr(b.Body(), nil, func(_ []string, name string, a *hclwrite.Attribute) {
		for _, t := range a.Expr().Variables() {
			p := strings.SplitN(strings.TrimSpace(string(t.BuildTokens(nil).Bytes())), ".", 3)
			if len(p) < 2 || slices.Contains(nonResourceRoots, p[0]) {
				continue
			}
			addr := p[0] + "." + p[1]
			if mod != "" {
				addr = mod + "." + addr
			}
			if !stays(addr) {
				continue
			}
			if !slices.Contains(attrs, name) {
				attrs = append(attrs, name)
			}
			if !slices.Contains(to, addr) {
				to = append(to, addr)
			}
		}
	})
	if len(to) == 0 {
		return nil
	}
	slices.Sort(attrs)
	slices.Sort(to)
	return fmt.Errorf("%s: %s in %s refers to %s (%s), which does not move with it; %s", where, blockName(b), dir, strings.Join(to, ", "), strings.Join(attrs, ", "), strandedFix(to))
}

// strandedFix says what to do about references to the resources at addrs:
// the first that migrate cannot move decides.
func strandedFix(addrs []string) string {
	for _, addr := range addrs {
		_, local := splitModule(addr)
		typ, _, _ := strings.Cut(local, ".")
		if slices.Contains(accountTypes, typ) {
			return sharedFix
		}
		if typ != typeAPI && !perAPI(typ) {
			return "migrate moves only API Gateway V2 APIs and what belongs to them: replace the reference with its value first"
		}
	}
	return "move it too, or replace the reference with its value first"
}
