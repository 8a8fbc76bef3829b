package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func stateResource(address string, values map[string]any) *tfjson.StateResource {
	typ, name, _ := strings.Cut(address, ".")
	return &tfjson.StateResource{Address: address, Mode: tfjson.ManagedResourceMode, Type: typ, Name: name, AttributeValues: values}
}

// TestWebSocketChildrenInStateAndPerAPILayout generates the demo account
// per API: the WebSocket API's model and responses are in its own file.
// With them in the state under other names, they get no import block, the
// route response and the route refer to the state's addresses, and
// --prune removes the import blocks written before.
func TestWebSocketChildrenInStateAndPerAPILayout(t *testing.T) {
	inv := discoverDemo(t)
	dir := t.TempDir()
	res := run(t, inv, Options{Dir: dir, Layout: LayoutPerAPI})
	if res.Models != 1 || res.RouteResponses != 1 || res.IntegrationResponses != 1 {
		t.Fatalf("wrote %d models, %d route and %d integration responses; want 1 each", res.Models, res.RouteResponses, res.IntegrationResponses)
	}
	chat, err := os.ReadFile(filepath.Join(dir, "imports.chat_websocket.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id       = "chat9w5s0c/rsendms/rrsend1"`, `id       = "chat9w5s0c/chatmck/irmock1"`, `id       = "chat9w5s0c/mdlmsg1"`} {
		if !bytes.Contains(chat, []byte(want)) {
			t.Errorf("the WebSocket API's file lacks %s:\n%s", want, chat)
		}
	}

	st := fakeState{[]*tfjson.StateResource{
		stateResource("aws_apigatewayv2_model.legacy_message", map[string]any{"id": "mdlmsg1", "api_id": "chat9w5s0c", "name": "ChatMessage"}),
		stateResource("aws_apigatewayv2_route_response.legacy_send", map[string]any{"id": "rrsend1", "api_id": "chat9w5s0c", "route_id": "rsendms"}),
		stateResource("aws_apigatewayv2_integration_response.legacy_mock", map[string]any{"id": "irmock1", "api_id": "chat9w5s0c", "integration_id": "chatmck"}),
	}}
	fresh := t.TempDir()
	res = run(t, inv, Options{Dir: fresh, State: st})
	if res.Models != 0 || res.RouteResponses != 0 || res.IntegrationResponses != 0 || len(res.Managed) != 3 {
		t.Errorf("with them in the state: wrote %d models, %d route and %d integration responses, managed %v",
			res.Models, res.RouteResponses, res.IntegrationResponses, res.Managed)
	}
	for _, m := range res.Managed {
		if want := map[string]string{
			"aws_apigatewayv2_model.legacy_message":             "chat9w5s0c/mdlmsg1",
			"aws_apigatewayv2_route_response.legacy_send":       "chat9w5s0c/rsendms/rrsend1",
			"aws_apigatewayv2_integration_response.legacy_mock": "chat9w5s0c/chatmck/irmock1",
		}[m.Address]; m.ImportID != want {
			t.Errorf("managed %s as %q, want %q", m.Address, m.ImportID, want)
		}
	}
	src := dirText(t, fresh)
	if !bytes.Contains(src, []byte(`"$default" = aws_apigatewayv2_model.legacy_message.name`)) {
		t.Errorf("the route does not name the state's model:\n%s", src)
	}

	// Everything generated, in the state at its generated address.
	var prior fakeState
	for id, addr := range addressesByID(t, dir) {
		parts := strings.Split(id, "/")
		v := map[string]any{"id": parts[len(parts)-1]}
		switch {
		case strings.HasPrefix(addr, typeAPIMapping+"."):
			v["id"], v["domain_name"] = parts[0], parts[1]
		case len(parts) == 3 && strings.HasPrefix(addr, typeRouteResponse+"."):
			v["api_id"], v["route_id"] = parts[0], parts[1]
		case len(parts) == 3:
			v["api_id"], v["integration_id"] = parts[0], parts[1]
		case len(parts) == 2:
			v["api_id"], v["name"] = parts[0], parts[1]
		}
		prior.resources = append(prior.resources, stateResource(addr, v))
	}
	res = run(t, inv, Options{Dir: dir, Layout: LayoutPerAPI, State: prior, Prune: true})
	for _, b := range blocksOf(t, dir) {
		if strings.HasPrefix(b, "import:aws_apigatewayv2_model.") || strings.HasPrefix(b, "import:aws_apigatewayv2_route_response.") ||
			strings.HasPrefix(b, "import:aws_apigatewayv2_integration_response.") {
			t.Errorf("import block left after --prune: %s", b)
		}
	}
	if len(res.Pruned) != len(prior.resources) {
		t.Errorf("pruned %d import blocks, want %d", len(res.Pruned), len(prior.resources))
	}
}
