package audit

import "github.com/apigw2tf/apigw2tf/internal/tfvalue"

// SetKeys names, per block set of the audited types, the attribute that
// identifies an element: a change path names the element by it
// (route_settings["GET /x"]), not by its position.
var SetKeys = map[string]string{
	"route_settings":      "route_key",
	"request_parameter":   "request_parameter_key",
	"response_parameters": "status_code",
}

// driftSchema is what the comparison must know of the audited types: the
// block sets' keys and the map-typed attributes.
var driftSchema = tfvalue.Options{
	Drift:   true,
	SetKeys: SetKeys,
	MapAttributes: map[string]bool{
		"tags": true, "tags_all": true, "stage_variables": true,
		// An API's children.
		"request_models": true, "request_parameters": true, "request_templates": true,
		"response_models": true, "response_templates": true,
	},
}

// diffAttributes returns the changes between two attribute objects, sorted
// by path, with sensitive values masked.
func diffAttributes(before, after map[string]any, beforeSens, afterSens any) []Change {
	diffs := tfvalue.Compare(tfvalue.Change{Before: before, After: after, BeforeSensitive: beforeSens, AfterSensitive: afterSens}, driftSchema)
	var out []Change
	for _, d := range diffs {
		out = append(out, Change{
			Path:      d.Path,
			Action:    string(d.Action),
			Before:    d.Before,
			After:     d.After,
			Sensitive: d.BeforeSensitive || d.AfterSensitive,
		})
	}
	return out
}
