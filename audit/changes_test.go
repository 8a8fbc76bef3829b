package audit

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

func TestDiffAttributes(t *testing.T) {
	tests := []struct {
		name                  string
		before, after         string
		beforeSens, afterSens string
		want                  []Change
	}{
		{
			name:   "equal",
			before: `{"name":"a","tags":{"x":"1"}}`,
			after:  `{"name":"a","tags":{"x":"1"}}`,
		},
		{
			name:   "scalar update",
			before: `{"description":"old","name":"a"}`,
			after:  `{"description":"new","name":"a"}`,
			want:   []Change{{Path: "description", Action: ActionUpdate, Before: "old", After: "new"}},
		},
		{
			name:   "null, absent, empty string and empty collections are equal",
			before: `{"description":null,"tags":null,"route_settings":[],"stage_variables":{}}`,
			after:  `{"description":"","tags":{},"route_settings":null}`,
		},
		{
			name:   "null to value is an add, value to null a remove",
			before: `{"description":null,"version":"v1"}`,
			after:  `{"description":"d","version":null}`,
			want: []Change{
				{Path: "description", Action: ActionAdd, After: "d"},
				{Path: "version", Action: ActionRemove, Before: "v1"},
			},
		},
		{
			name:   "map keys are bracketed, even identifier-like ones",
			before: `{"tags":{"team":"a","gone":"x","a.b":"1"}}`,
			after:  `{"tags":{"team":"b","new":"y","a.b":"1"}}`,
			want: []Change{
				{Path: `tags["gone"]`, Action: ActionRemove, Before: "x"},
				{Path: `tags["new"]`, Action: ActionAdd, After: "y"},
				{Path: `tags["team"]`, Action: ActionUpdate, Before: "a", After: "b"},
			},
		},
		{
			name:   "nested block by position",
			before: `{"default_route_settings":[{"throttling_burst_limit":10,"throttling_rate_limit":5}]}`,
			after:  `{"default_route_settings":[{"throttling_burst_limit":20,"throttling_rate_limit":5}]}`,
			want:   []Change{{Path: "default_route_settings[0].throttling_burst_limit", Action: ActionUpdate, Before: 10.0, After: 20.0}},
		},
		{
			name:   "block appears",
			before: `{"access_log_settings":[]}`,
			after:  `{"access_log_settings":[{"destination_arn":"arn:x","format":"$context.requestId"}]}`,
			want: []Change{{Path: "access_log_settings[0]", Action: ActionAdd,
				After: map[string]any{"destination_arn": "arn:x", "format": "$context.requestId"}}},
		},
		{
			name: "route_settings matched by route_key, not position",
			before: `{"route_settings":[
				{"route_key":"GET /a","throttling_burst_limit":1},
				{"route_key":"GET /b","throttling_burst_limit":2}]}`,
			after: `{"route_settings":[
				{"route_key":"GET /c","throttling_burst_limit":3},
				{"route_key":"GET /b","throttling_burst_limit":5},
				{"route_key":"GET /a","throttling_burst_limit":1}]}`,
			want: []Change{
				{Path: `route_settings["GET /b"].throttling_burst_limit`, Action: ActionUpdate, Before: 2.0, After: 5.0},
				{Path: `route_settings["GET /c"]`, Action: ActionAdd, After: map[string]any{"route_key": "GET /c", "throttling_burst_limit": 3.0}},
			},
		},
		{
			name:   "scalar lists compare as sets",
			before: `{"cors_configuration":[{"allow_origins":["https://a","https://b"]}]}`,
			after:  `{"cors_configuration":[{"allow_origins":["https://b","https://a"]}]}`,
		},
		{
			name:   "scalar list change shows whole lists",
			before: `{"cors_configuration":[{"allow_methods":["GET"]}]}`,
			after:  `{"cors_configuration":[{"allow_methods":["GET","POST"]}]}`,
			want: []Change{{Path: "cors_configuration[0].allow_methods", Action: ActionUpdate,
				Before: []any{"GET"}, After: []any{"GET", "POST"}}},
		},
		{
			name:       "sensitive leaf is masked",
			before:     `{"stage_variables":{"secret":"s1","plain":"p"}}`,
			after:      `{"stage_variables":{"secret":"s2","plain":"p"}}`,
			beforeSens: `{"stage_variables":{"secret":true}}`,
			afterSens:  `{"stage_variables":{"secret":true}}`,
			want:       []Change{{Path: `stage_variables["secret"]`, Action: ActionUpdate, Before: SensitiveMask, After: SensitiveMask, Sensitive: true}},
		},
		{
			name:      "whole sensitive attribute is masked, not descended",
			before:    `{"stage_variables":{"a":"1"}}`,
			after:     `{"stage_variables":{"a":"2","b":"3"}}`,
			afterSens: `{"stage_variables":true}`,
			want:      []Change{{Path: "stage_variables", Action: ActionUpdate, Before: SensitiveMask, After: SensitiveMask, Sensitive: true}},
		},
		{
			name:       "sensitive route setting by key",
			before:     `{"route_settings":[{"route_key":"a","logging_level":"INFO"}]}`,
			after:      `{"route_settings":[{"route_key":"b","logging_level":"INFO"},{"route_key":"a","logging_level":"ERROR"}]}`,
			beforeSens: `{"route_settings":[{"logging_level":true}]}`,
			afterSens:  `{"route_settings":[{},{"logging_level":true}]}`,
			want: []Change{
				{Path: `route_settings["a"].logging_level`, Action: ActionUpdate, Before: SensitiveMask, After: SensitiveMask, Sensitive: true},
				{Path: `route_settings["b"]`, Action: ActionAdd, After: map[string]any{"route_key": "b", "logging_level": "INFO"}},
			},
		},
		{
			name:   "numbers compare by value across types",
			before: `{"throttling_rate_limit":5}`,
			after:  `{"throttling_rate_limit":5.0}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := testenv.JSON(t, tt.before).(map[string]any)
			a, _ := testenv.JSON(t, tt.after).(map[string]any)
			got := diffAttributes(b, a, testenv.JSON(t, tt.beforeSens), testenv.JSON(t, tt.afterSens))
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.MarshalIndent(got, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("diff:\n got %s\nwant %s", gj, wj)
			}
		})
	}
}
