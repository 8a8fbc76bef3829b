package generate

import "github.com/apigw2tf/apigw2tf/inventory"

// ChildResourceNames is the name generate gives each authorizer,
// integration and route of a when nothing else claims it (before a
// collision adds its suffix), by resource type and import id; apiLocal is
// the API's resource name. migrate names the children of a renamed API
// with it, so both commands follow one rule.
func ChildResourceNames(a *inventory.API, apiLocal string) map[string]map[string]string {
	return candidateNames(childCandidates(a, apiLocal))
}

// ResponseResourceNames is ChildResourceNames for a's models, route
// responses and integration responses; parents holds the resource names of
// a's routes and integrations, by resource type and import id.
func ResponseResourceNames(a *inventory.API, apiLocal string, parents map[string]map[string]string) map[string]map[string]string {
	g := &gen{names: map[key]string{}}
	for typ, ids := range parents {
		for id, name := range ids {
			g.names[key{typ, id}] = name
		}
	}
	return candidateNames(g.responseCandidates(a, apiLocal))
}

func candidateNames(byType map[string][]candidate) map[string]map[string]string {
	out := make(map[string]map[string]string, len(byType))
	for typ, cands := range byType {
		out[typ] = make(map[string]string, len(cands))
		for _, c := range cands {
			out[typ][c.k.id] = c.base
		}
	}
	return out
}
