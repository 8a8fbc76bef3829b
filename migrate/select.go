package migrate

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// selectFrom returns the resources of idx the selector picks, with the
// children of every API it picks, APIs first, then by type and address.
func selectFrom(s compiled, idx *stateIndex) ([]*resource, error) {
	apis := map[string]*resource{}
	for _, r := range idx.resources {
		if r.Type == typeAPI {
			apis[r.APIID] = r
		}
	}
	apiFields := len(s.APIIDs)+len(s.names)+len(s.Tags)+len(s.Regions) > 0 || s.Protocol != ""
	var out []*resource
	picked := map[string]bool{}
	for _, r := range idx.resources {
		if !apiFields && len(s.Addresses) == 0 {
			break
		}
		if apiFields && !s.matchAPI(apis[r.APIID], r) {
			continue
		}
		if len(s.Addresses) > 0 && !slices.ContainsFunc(s.Addresses, func(g string) bool { ok, _ := path.Match(g, r.Address); return ok }) {
			continue
		}
		out = append(out, r)
		picked[r.Address] = true
	}
	for _, id := range s.Stages {
		r := idx.byImportID(typeStage, id)
		if r == nil {
			return nil, fmt.Errorf("selects stage %s, which this state does not manage; a quick-create stage ($default of an API made by quick create) belongs to API Gateway and cannot be imported, so it cannot move (discover lists it as skipped)", id)
		}
		if !picked[r.Address] {
			out = append(out, r)
			picked[r.Address] = true
		}
	}
	out = withChildren(out, idx)
	slices.SortStableFunc(out, func(a, b *resource) int {
		if a.Type != b.Type {
			return strings.Compare(a.Type, b.Type) // aws_apigatewayv2_api first
		}
		return strings.Compare(a.Address, b.Address)
	})
	return out, nil
}

// matchAPI reports whether r's API passes every API field of the
// selector. api is nil when the state holds the stage without its API;
// then only the fields the stage carries itself can match.
func (s compiled) matchAPI(api, r *resource) bool {
	v := r.Values
	if api != nil {
		v = api.Values
	}
	if len(s.APIIDs) > 0 && !slices.Contains(s.APIIDs, r.APIID) {
		return false
	}
	if len(s.names) > 0 {
		if api == nil || !slices.ContainsFunc(s.names, func(re *regexp.Regexp) bool { return re.MatchString(str(v["name"])) }) {
			return false
		}
	}
	if s.Protocol != "" && (api == nil || !strings.EqualFold(str(v["protocol_type"]), s.Protocol)) {
		return false
	}
	if len(s.Regions) > 0 && !slices.Contains(s.Regions, regionOf(v)) {
		return false
	}
	tags, _ := v["tags"].(map[string]any)
	for k, want := range s.Tags {
		if str(tags[k]) != want {
			return false
		}
	}
	return true
}

// regionOf reads the region attribute (hashicorp/aws 6) or, for older
// states, the region field of the ARN.
func regionOf(v map[string]any) string {
	if r := str(v["region"]); r != "" {
		return r
	}
	parts := strings.Split(str(v["arn"]), ":")
	if len(parts) > 3 {
		return parts[3]
	}
	return ""
}
