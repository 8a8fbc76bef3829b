package inventory

import "testing"

// TestStateImportID: every type's import id from its state values, and no
// half ids when a part is missing.
func TestStateImportID(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		v    map[string]any
		want string
	}{
		{TypeAPI, map[string]any{"id": "a1"}, "a1"},
		{TypeStage, map[string]any{"id": "ignored", "api_id": "a1", "name": "prod"}, "a1/prod"},
		{TypeAuthorizer, map[string]any{"api_id": "a1", "id": "au1"}, "a1/au1"},
		{TypeIntegration, map[string]any{"api_id": "a1", "id": "i1"}, "a1/i1"},
		{TypeRoute, map[string]any{"api_id": "a1", "id": "r1"}, "a1/r1"},
		{TypeModel, map[string]any{"api_id": "a1", "id": "m1", "name": "Msg"}, "a1/m1"},
		{TypeRouteResponse, map[string]any{"api_id": "a1", "route_id": "r1", "id": "rr1"}, "a1/r1/rr1"},
		{TypeIntegrationResponse, map[string]any{"api_id": "a1", "integration_id": "i1", "id": "ir1"}, "a1/i1/ir1"},
		{TypeDomainName, map[string]any{"id": "api.example.com", "domain_name": "api.example.com"}, "api.example.com"},
		{TypeAPIMapping, map[string]any{"id": "m4", "domain_name": "api.example.com", "api_id": "a1"}, "m4/api.example.com"},
		{TypeVPCLink, map[string]any{"id": "vl1"}, "vl1"},
		{TypeStage, map[string]any{"api_id": "a1"}, ""},
		{TypeRouteResponse, map[string]any{"api_id": "a1", "id": "rr1"}, ""},
		{TypeAPIMapping, map[string]any{"id": "m4"}, ""},
		{TypeAPI, map[string]any{"id": nil}, ""},
		{"aws_lambda_function", map[string]any{"id": "f"}, ""},
	} {
		if got := StateImportID(tc.typ, tc.v); got != tc.want {
			t.Errorf("StateImportID(%s, %v) = %q, want %q", tc.typ, tc.v, got, tc.want)
		}
	}
}
