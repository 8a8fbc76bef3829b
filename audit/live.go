package audit

import (
	"encoding/json"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
	"github.com/apigw2tf/apigw2tf/inventory"
)

func decodeMask(raw json.RawMessage) any {
	var m any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

// liveKey identifies a live resource the way a state names it.
type liveKey struct{ Type, Region, ImportID string }

func keyOf(r Resource) liveKey { return liveKey{r.Type, r.Region, r.ImportID} }

// liveIndex holds the attribute values of every discovered API and stage, in
// the shape the provider stores in state.
type liveIndex struct {
	values map[liveKey]map[string]any
	names  map[liveKey]string
	// failed are regions whose discovery failed: a resource missing there
	// is unknown, not deleted.
	failed map[string]bool
	// types are the resource types discovery listed: a resource of
	// another type (routes in an inventory of APIs and stages) is not
	// known to be deleted when the inventory lacks it.
	types map[string]bool
}

func indexInventory(inv *inventory.Inventory) *liveIndex {
	ix := &liveIndex{values: map[liveKey]map[string]any{}, names: map[liveKey]string{}, failed: map[string]bool{}, types: map[string]bool{}}
	for _, kind := range inv.Kinds() {
		ix.types[kindTypes[kind]] = true
	}
	for _, e := range inv.Errors {
		ix.failed[e.Region] = true
	}
	for _, a := range inv.APIs {
		k := liveKey{TypeAPI, a.Region, a.ImportID()}
		ix.values[k] = apiValues(a)
		ix.names[k] = a.Name
		for _, s := range a.Stages {
			k := liveKey{TypeStage, a.Region, inventory.StageImportID(a.ID, s.Name)}
			ix.values[k] = StageValues(a.ID, s)
			ix.names[k] = s.Name
		}
		ix.indexChildren(a)
	}
	ix.indexAccountLevel(inv)
	return ix
}

// fromState compares a state with live values (live mode). It reports the
// same classes as a refresh-only plan: changed and deleted.
func fromState(dir string, st *tfjson.State, live *liveIndex) ([]stateResource, []Finding) {
	if st == nil || st.Values == nil {
		return nil, nil
	}
	managed := stateResources(st.Values.RootModule, "")
	var findings []Finding
	for _, r := range managed {
		lv, ok := live.values[keyOf(r.Resource)]
		if !ok {
			if !live.failed[r.Region] && live.types[r.Type] {
				findings = append(findings, finding(ClassDeleted, dir, r, nil, hintDeleted))
			}
			continue
		}
		before, after := alignLive(r.Values, lv)
		if ch := diffAttributes(before, after, r.Sensitive, r.Sensitive); len(ch) > 0 {
			r.Name = live.names[keyOf(r.Resource)]
			f := finding(ClassChanged, dir, r, ch, hintChanged)
			f.Live = after
			findings = append(findings, f)
		}
	}
	return managed, findings
}

// alignLive restricts the state to the attributes discovery knows and
// completes the live side the way the provider's read would: a zero bool or
// number stands for the null the state may hold, and tags_all keeps the
// provider's default tags (keys only in tags_all) next to the live tags.
func alignLive(state, live map[string]any) (map[string]any, map[string]any) {
	before := make(map[string]any, len(live))
	after := make(map[string]any, len(live))
	for k, lv := range live {
		sv, ok := state[k]
		if !ok {
			continue
		}
		before[k] = sv
		if sv == nil && isZero(lv) {
			lv = nil
		}
		after[k] = lv
	}
	if _, ok := after["tags_all"]; ok {
		after["tags_all"] = tagsAll(state, live)
	}
	return before, after
}

func tagsAll(state, live map[string]any) map[string]any {
	all := map[string]any{}
	stTags, _ := state["tags"].(map[string]any)
	stAll, _ := state["tags_all"].(map[string]any)
	for k, v := range stAll {
		if _, ok := stTags[k]; !ok {
			all[k] = v
		}
	}
	lt, _ := live["tags"].(map[string]any)
	for k, v := range lt {
		all[k] = v
	}
	return all
}

func isZero(v any) bool {
	switch x := v.(type) {
	case bool:
		return !x
	case float64:
		return x == 0
	}
	return tfvalue.IsEmpty(v)
}

func apiValues(a inventory.API) map[string]any {
	v := map[string]any{
		"name":                         a.Name,
		"protocol_type":                a.ProtocolType,
		"description":                  a.Description,
		"version":                      a.Version,
		"route_selection_expression":   a.RouteSelectionExpression,
		"api_key_selection_expression": a.APIKeySelectionExpression,
		"disable_execute_api_endpoint": a.DisableExecuteAPIEndpoint,
		"api_endpoint":                 a.APIEndpoint,
		"cors_configuration":           []any{},
		"tags":                         stringMap(a.Tags),
		"tags_all":                     stringMap(a.Tags),
	}
	if a.IPAddressType != "" {
		v["ip_address_type"] = a.IPAddressType
	}
	if c := a.CorsConfiguration; c != nil {
		v["cors_configuration"] = []any{map[string]any{
			"allow_credentials": c.AllowCredentials,
			"allow_headers":     stringList(c.AllowHeaders),
			"allow_methods":     stringList(c.AllowMethods),
			"allow_origins":     stringList(c.AllowOrigins),
			"expose_headers":    stringList(c.ExposeHeaders),
			"max_age":           float64(c.MaxAge),
		}}
	}
	return v
}

// StageValues are the attribute values live mode reads for a stage, in the
// provider's shape; codify's fuzz test builds states from them.
func StageValues(apiID string, s inventory.Stage) map[string]any {
	v := map[string]any{
		"api_id":                 apiID,
		"name":                   s.Name,
		"description":            s.Description,
		"auto_deploy":            s.AutoDeploy,
		"client_certificate_id":  s.ClientCertificateID,
		"access_log_settings":    []any{},
		"default_route_settings": []any{},
		"route_settings":         []any{},
		"stage_variables":        stringMap(s.StageVariables),
		"tags":                   stringMap(s.Tags),
		"tags_all":               stringMap(s.Tags),
	}
	// Discovery leaves the deployment id out for auto-deployed stages, whose
	// deployments API Gateway replaces on its own.
	if s.DeploymentID != "" {
		v["deployment_id"] = s.DeploymentID
	}
	if l := s.AccessLogSettings; l != nil {
		v["access_log_settings"] = []any{map[string]any{"destination_arn": l.DestinationARN, "format": l.Format}}
	}
	if d := s.DefaultRouteSettings; d != nil {
		v["default_route_settings"] = []any{routeSettingsValues(*d)}
	}
	rs := make([]any, 0, len(s.RouteSettings))
	for _, r := range s.RouteSettings {
		m := routeSettingsValues(r.RouteSettings)
		m["route_key"] = r.RouteKey
		rs = append(rs, m)
	}
	v["route_settings"] = rs
	return v
}

// routeSettingsValues mirrors the provider's read: a missing throttle is 0
// and a missing logging level "" (provider issue #27674).
func routeSettingsValues(r inventory.RouteSettings) map[string]any {
	m := map[string]any{
		"data_trace_enabled":       false,
		"detailed_metrics_enabled": false,
		"logging_level":            r.LoggingLevel,
		"throttling_burst_limit":   float64(0),
		"throttling_rate_limit":    float64(0),
	}
	if r.DataTraceEnabled != nil {
		m["data_trace_enabled"] = *r.DataTraceEnabled
	}
	if r.DetailedMetricsEnabled != nil {
		m["detailed_metrics_enabled"] = *r.DetailedMetricsEnabled
	}
	if r.ThrottlingBurstLimit != nil {
		m["throttling_burst_limit"] = float64(*r.ThrottlingBurstLimit)
	}
	if r.ThrottlingRateLimit != nil {
		m["throttling_rate_limit"] = *r.ThrottlingRateLimit
	}
	return m
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func stringList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}
