package discover

import (
	"context"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// TestWebSocketResponsesAreListedPerParent counts the calls of the
// WebSocket kinds over the demo's us-east-1: one GetModels per WebSocket
// API, one response list per route and per integration of those APIs, and
// none for HTTP APIs, which cannot have them.
func TestWebSocketResponsesAreListedPerParent(t *testing.T) {
	seed, err := emulator.LoadSeedFile("../testdata/accounts/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv, url := serve(t, emulator.Options{Seed: seed, Account: seed.Accounts[0].ID})
	for _, tc := range []struct {
		types                    []string
		models, routes, integrns int64
	}{
		{nil, 1, 4, 2},
		{[]string{"api,route,route_response"}, 0, 4, 0},
		{[]string{"api,stage"}, 0, 0, 0},
	} {
		srv.Reset()
		o := testOptions(url, "us-east-1")
		o.Types = tc.types
		inv, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		ops := srv.Stats().Operations
		if ops["GetModels"] != tc.models || ops["GetRouteResponses"] != tc.routes || ops["GetIntegrationResponses"] != tc.integrns {
			t.Errorf("--types %v: GetModels %d, GetRouteResponses %d, GetIntegrationResponses %d; want %d, %d, %d", tc.types,
				ops["GetModels"], ops["GetRouteResponses"], ops["GetIntegrationResponses"], tc.models, tc.routes, tc.integrns)
		}
		var chat *inventory.API
		for i := range inv.APIs {
			if inv.APIs[i].ID == "chat9w5s0c" {
				chat = &inv.APIs[i]
			}
		}
		if chat == nil {
			t.Fatalf("--types %v: the demo's WebSocket API was not discovered", tc.types)
		}
		if got, want := len(chat.Models), int(tc.models); got != want {
			t.Errorf("--types %v: %d models, want %d", tc.types, got, want)
		}
		if tc.routes > 0 && (len(chat.RouteResponses) != 1 || chat.RouteResponses[0].ImportID(chat.ID) != "chat9w5s0c/rsendms/rrsend1" ||
			chat.RouteResponses[0].ResponseModels["$default"] != "ChatMessage") {
			t.Errorf("--types %v: route responses %+v", tc.types, chat.RouteResponses)
		}
		if tc.integrns > 0 && (len(chat.IntegrationResponses) != 1 || chat.IntegrationResponses[0].ImportID(chat.ID) != "chat9w5s0c/chatmck/irmock1") {
			t.Errorf("--types %v: integration responses %+v", tc.types, chat.IntegrationResponses)
		}
	}
}
