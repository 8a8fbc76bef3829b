package generate

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// A WebSocket API's models and its routes' and integrations' responses:
// their names, blocks and references (a response's route_id or
// integration_id, and request and response models by model name).

const (
	typeModel               = inventory.TypeModel
	typeRouteResponse       = inventory.TypeRouteResponse
	typeIntegrationResponse = inventory.TypeIntegrationResponse

	// defaultResponseKey is the key of most WebSocket responses; a
	// response named after its parent leaves it out of the name.
	defaultResponseKey = "$default"
)

// placeFunc places one child of an API (see buildChildren) and returns the
// address it will have.
type placeFunc func(typ, id, order string, count *int, render func(name string) []byte) string

// responseID is the part of a response's import id after the API's:
// parent-id/response-id.
func responseID(parentID, id string) string { return parentID + "/" + id }

// nameRef is a reference to the name of the model at addr, or nil.
func nameRef(addr string) hcl.Traversal {
	t := refTraversal(addr)
	if t != nil {
		t[len(t)-1] = hcl.TraverseAttr{Name: "name"}
	}
	return t
}

// setModels writes a content type → model name map, each name a reference
// to the model's name when the model is generated or managed.
func setModels(b *hblock, name string, m map[string]string, models map[string]hcl.Traversal) {
	if len(m) == 0 {
		return
	}
	b.objectOf(name, m, func(v string) []byte {
		if ref := models[v]; ref != nil {
			return hclwrite.TokensForTraversal(ref).Bytes()
		}
		return hclwrite.TokensForValue(cty.StringVal(v)).Bytes()
	})
}

// buildModels places a WebSocket API's models, before its routes, which
// name them.
func (g *gen) buildModels(a *inventory.API, refs *childRefs, place placeFunc, provider hcl.Traversal) {
	for i := range a.Models {
		m := &a.Models[i]
		addr := place(typeModel, m.ID, "5", &g.res.Models, func(name string) []byte { return modelBlock(a, m, name, refs, provider) })
		refs.models[m.Name] = nameRef(addr)
	}
}

// buildIntegrationResponses places the responses of an API's integrations,
// after the integrations.
func (g *gen) buildIntegrationResponses(a *inventory.API, refs *childRefs, place placeFunc, provider hcl.Traversal) {
	for i := range a.IntegrationResponses {
		x := &a.IntegrationResponses[i]
		place(typeIntegrationResponse, responseID(x.IntegrationID, x.ID), "6", &g.res.IntegrationResponses, func(name string) []byte {
			return integrationResponseBlock(a, x, name, refs, provider)
		})
	}
}

// buildRouteResponses places the responses of an API's routes, after the
// routes.
func (g *gen) buildRouteResponses(a *inventory.API, refs *childRefs, place placeFunc, provider hcl.Traversal) {
	for i := range a.RouteResponses {
		r := &a.RouteResponses[i]
		place(typeRouteResponse, responseID(r.RouteID, r.ID), "7", &g.res.RouteResponses, func(name string) []byte {
			return routeResponseBlock(a, r, name, refs, provider)
		})
	}
}

func modelBlock(a *inventory.API, m *inventory.Model, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeModel, name, a, refs, provider)
	b.value("name", cty.StringVal(m.Name))
	// content_type and schema are required; API Gateway may report a
	// model without them, which the configuration must still state.
	b.value("content_type", cty.StringVal(m.ContentType))
	setString(b, "description", m.Description)
	b.value("schema", cty.StringVal(m.Schema))
	return b.bytes()
}

func routeResponseBlock(a *inventory.API, r *inventory.RouteResponse, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeRouteResponse, name, a, refs, provider)
	idRef(b, "route_id", refs.routes[r.RouteID], r.RouteID)
	b.value("route_response_key", cty.StringVal(r.RouteResponseKey))
	setString(b, "model_selection_expression", r.ModelSelectionExpression)
	setModels(b, "response_models", r.ResponseModels, refs.models)
	return b.bytes()
}

func integrationResponseBlock(a *inventory.API, x *inventory.IntegrationResponse, name string, refs *childRefs, provider hcl.Traversal) []byte {
	b := childBlock(typeIntegrationResponse, name, a, refs, provider)
	idRef(b, "integration_id", refs.integrations[x.IntegrationID], x.IntegrationID)
	b.value("integration_response_key", cty.StringVal(x.IntegrationResponseKey))
	setString(b, "content_handling_strategy", x.ContentHandlingStrategy)
	setString(b, "template_selection_expression", x.TemplateSelectionExpression)
	setMap(b, "response_templates", x.ResponseTemplates)
	return b.bytes()
}

// responseCandidates names a WebSocket API's models after their names and
// each response after its parent's resource name (its route's or its
// integration's), with the response key unless it is $default. The
// parents are named already.
func (g *gen) responseCandidates(a *inventory.API, apiLocal string) map[string][]candidate {
	out := map[string][]candidate{}
	add := func(typ, id, base string) {
		k := childKey(typ, a.ID, id)
		out[typ] = append(out[typ], candidate{k: k, base: base, suffix: shortHash(k.id)})
	}
	prefix := stageBase(apiLocal)
	for _, m := range a.Models {
		add(typeModel, m.ID, prefix+"_"+identifier(snake(m.Name), "model"))
	}
	withKey := func(parent, key string) string {
		if key == defaultResponseKey || snake(key) == "" {
			return parent
		}
		return parent + "_" + snake(key)
	}
	for _, r := range a.RouteResponses {
		parent := g.names[childKey(typeRoute, a.ID, r.RouteID)]
		if parent == "" {
			parent = prefix + "_route"
		}
		add(typeRouteResponse, responseID(r.RouteID, r.ID), withKey(parent, r.RouteResponseKey))
	}
	for _, x := range a.IntegrationResponses {
		parent := g.names[childKey(typeIntegration, a.ID, x.IntegrationID)]
		if parent == "" {
			parent = prefix + "_integration"
		}
		add(typeIntegrationResponse, responseID(x.IntegrationID, x.ID), withKey(parent, x.IntegrationResponseKey))
	}
	return out
}

// assignResponseNames names every API's models and responses, after their
// parents are named.
func (g *gen) assignResponseNames(n *namer) {
	byType := map[string][]candidate{}
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		for typ, cands := range g.responseCandidates(a, g.names[apiKey(a)]) {
			byType[typ] = append(byType[typ], cands...)
		}
	}
	for _, typ := range []string{typeModel, typeIntegrationResponse, typeRouteResponse} {
		for k, v := range n.assign(typ, byType[typ]) {
			g.names[k] = v
		}
	}
}

// isResponseType reports the types of this file.
func isResponseType(t string) bool {
	return t == typeModel || t == typeRouteResponse || t == typeIntegrationResponse
}
