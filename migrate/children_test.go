package migrate

import (
	"bytes"
	"context"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func res(typ, name string, v map[string]any) *tfjson.StateResource {
	return &tfjson.StateResource{Address: typ + "." + name, Mode: tfjson.ManagedResourceMode, Type: typ, Name: name, AttributeValues: v}
}

// kids is a directory adopted the way terraformer names things: an HTTP
// API with a JWT authorizer, an integration and a route that refers to
// both, and a WebSocket API with a model and the responses of its route
// and integration.
const kids = `resource "aws_apigatewayv2_api" "tfer--orders" {
  name          = "orders"
  protocol_type = "HTTP"
  tags = {
    team = "payments"
  }
}

import {
  to = aws_apigatewayv2_authorizer.tfer--auth1
  id = "ord1/auth1"
}

# JWT from the company IdP
resource "aws_apigatewayv2_authorizer" "tfer--auth1" {
  api_id           = aws_apigatewayv2_api.tfer--orders.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "jwt"
}

resource "aws_apigatewayv2_integration" "tfer--int1" {
  api_id           = aws_apigatewayv2_api.tfer--orders.id
  integration_type = "AWS_PROXY"
  integration_uri  = "arn:aws:lambda:us-east-1:123456789012:function:orders" # hand-kept
}

resource "aws_apigatewayv2_route" "tfer--rt1" {
  api_id             = aws_apigatewayv2_api.tfer--orders.id
  route_key          = "GET /orders"
  target             = "integrations/${aws_apigatewayv2_integration.tfer--int1.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.tfer--auth1.id
}

resource "aws_apigatewayv2_api" "tfer--chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
  tags = {
    team = "payments"
  }
}

resource "aws_apigatewayv2_model" "tfer--m1" {
  api_id       = aws_apigatewayv2_api.tfer--chat.id
  content_type = "application/json"
  name         = "Message"
  schema       = "{}"
}

resource "aws_apigatewayv2_integration" "tfer--wi1" {
  api_id           = aws_apigatewayv2_api.tfer--chat.id
  integration_type = "MOCK"
}

resource "aws_apigatewayv2_integration_response" "tfer--ir1" {
  api_id                   = aws_apigatewayv2_api.tfer--chat.id
  integration_id           = aws_apigatewayv2_integration.tfer--wi1.id
  integration_response_key = "$default"
}

resource "aws_apigatewayv2_route" "tfer--wr1" {
  api_id    = aws_apigatewayv2_api.tfer--chat.id
  route_key = "$connect"
  target    = "integrations/${aws_apigatewayv2_integration.tfer--wi1.id}"
}

resource "aws_apigatewayv2_route_response" "tfer--rr1" {
  api_id             = aws_apigatewayv2_api.tfer--chat.id
  route_id           = aws_apigatewayv2_route.tfer--wr1.id
  route_response_key = "$default"
  response_models = {
    "application/json" = aws_apigatewayv2_model.tfer--m1.name
  }
}

resource "aws_apigatewayv2_api" "tfer--users" {
  name          = "users"
  protocol_type = "HTTP"
  tags = {
    team = "identity"
  }
}

resource "aws_apigatewayv2_route" "tfer--ur1" {
  api_id    = aws_apigatewayv2_api.tfer--users.id
  route_key = "GET /users"
}
`

func kidsState() *tfjson.State {
	a := func(name, id, proto, team string) *tfjson.StateResource {
		return res(typeAPI, name, map[string]any{"id": id, "name": strings.TrimPrefix(name, "tfer--"), "protocol_type": proto, "tags": map[string]any{"team": team}})
	}
	return stateOf(
		a("tfer--orders", "ord1", "HTTP", "payments"),
		res(typeAuthorizer, "tfer--auth1", map[string]any{"id": "auth1", "api_id": "ord1", "name": "jwt", "authorizer_type": "JWT"}),
		res(typeIntegration, "tfer--int1", map[string]any{"id": "int1", "api_id": "ord1", "integration_type": "AWS_PROXY"}),
		res(typeRoute, "tfer--rt1", map[string]any{"id": "rt1", "api_id": "ord1", "route_key": "GET /orders", "target": "integrations/int1", "authorizer_id": "auth1"}),
		a("tfer--chat", "ws1", "WEBSOCKET", "payments"),
		res(typeModel, "tfer--m1", map[string]any{"id": "m1", "api_id": "ws1", "name": "Message"}),
		res(typeIntegration, "tfer--wi1", map[string]any{"id": "wi1", "api_id": "ws1", "integration_type": "MOCK"}),
		res(typeIntegrationResponse, "tfer--ir1", map[string]any{"id": "ir1", "api_id": "ws1", "integration_id": "wi1", "integration_response_key": "$default"}),
		res(typeRoute, "tfer--wr1", map[string]any{"id": "wr1", "api_id": "ws1", "route_key": "$connect", "target": "integrations/wi1"}),
		res(typeRouteResponse, "tfer--rr1", map[string]any{"id": "rr1", "api_id": "ws1", "route_id": "wr1", "route_response_key": "$default"}),
		a("tfer--users", "usr1", "HTTP", "identity"),
		res(typeRoute, "tfer--ur1", map[string]any{"id": "ur1", "api_id": "usr1", "route_key": "GET /users"}),
	)
}

// TestChildrenMoveBetweenStatesGolden splits by tag: both payments APIs
// take their children along, each imported under its own import id (two
// parts, three for a response), with references between them rewritten
// and the user's comments kept.
func TestChildrenMoveBetweenStatesGolden(t *testing.T) {
	f := newFixture(t, map[string]string{"all/main.tf": kids, "payments/providers.tf": "provider \"aws\" {}\n"},
		map[string]*tfjson.State{"all": kidsState()})
	res, err := Run(context.Background(), f.opts(true, Move{From: "all", To: "payments", Select: Selector{Tags: map[string]string{"team": "payments"}}, Naming: NamingApigw2tf}))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res.WriteText(&out)
	got := strings.ReplaceAll(out.String(), f.root+"/", "") + f.snapshot(t)
	for _, want := range []string{`id = "ws1/wr1/rr1"`, `id = "ws1/wi1/ir1"`, `id = "ord1/rt1"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q", want)
		}
	}
	golden(t, "children-split", got)
}

// TestChildrenFollowRenameGolden renames terraformer addresses inside one
// state: every child gets generate's name under its API's new name, and
// the references between children follow.
func TestChildrenFollowRenameGolden(t *testing.T) {
	f := newFixture(t, map[string]string{"all/main.tf": kids}, map[string]*tfjson.State{"all": kidsState()})
	res, err := Run(context.Background(), f.opts(true, Move{From: "all", To: "all", Select: Selector{APIIDs: []string{"ord1", "ws1"}}, Naming: NamingApigw2tf}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 10 {
		t.Errorf("%d steps, want the 2 APIs and their 8 children", len(res.Steps))
	}
	golden(t, "children-rename", f.snapshot(t))
}

// TestAccountLevelRefusals: domain names, API mappings and VPC links do
// not move with an API, so a move that would cut a reference to or from
// one is refused in one line and writes nothing.
func TestAccountLevelRefusals(t *testing.T) {
	shared := `
resource "aws_apigatewayv2_vpc_link" "private" {
  name       = "private"
  subnet_ids = ["subnet-1"]
}

resource "aws_apigatewayv2_integration" "tfer--vi1" {
  api_id           = aws_apigatewayv2_api.tfer--users.id
  integration_type = "HTTP_PROXY"
  connection_type  = "VPC_LINK"
  connection_id    = aws_apigatewayv2_vpc_link.private.id
}
`
	mapping := `
resource "aws_apigatewayv2_domain_name" "api" {
  domain_name = "api.example.com"
}

resource "aws_apigatewayv2_api_mapping" "api_users" {
  api_id      = aws_apigatewayv2_api.tfer--users.id
  domain_name = aws_apigatewayv2_domain_name.api.id
  stage       = "$default"
}
`
	withVPC := stateOf(append(kidsState().Values.RootModule.Resources,
		res("aws_apigatewayv2_vpc_link", "private", map[string]any{"id": "vl1"}),
		res(typeIntegration, "tfer--vi1", map[string]any{"id": "vi1", "api_id": "usr1", "integration_type": "HTTP_PROXY", "connection_id": "vl1"}))...)
	withMapping := stateOf(append(kidsState().Values.RootModule.Resources,
		res("aws_apigatewayv2_domain_name", "api", map[string]any{"id": "api.example.com"}),
		res("aws_apigatewayv2_api_mapping", "api_users", map[string]any{"id": "map1", "api_id": "usr1", "domain_name": "api.example.com"}))...)
	users := Selector{Tags: map[string]string{"team": "identity"}}
	for _, tc := range []struct {
		name  string
		extra string
		st    *tfjson.State
		move  Move
		want  string
	}{
		{name: "integration to a vpc link, between states", extra: shared, st: withVPC, move: Move{From: "all", To: "identity", Select: users},
			want: `resource "aws_apigatewayv2_integration" "tfer--vi1" in ` + "%s" + `/all refers to aws_apigatewayv2_vpc_link.private (connection_id), which does not move with it; domain names, API mappings and VPC links are shared`},
		{name: "integration to a vpc link, into a module", extra: shared, st: withVPC, move: Move{From: "all", To: "all", Select: users, Module: "module.identity"},
			want: `refers to aws_apigatewayv2_vpc_link.private (connection_id), which does not move with it`},
		{name: "mapping to an api, between states", extra: mapping, st: withMapping, move: Move{From: "all", To: "identity", Select: users},
			want: `resource "aws_apigatewayv2_api_mapping" "api_users" in ` + "%s" + `/all refers to aws_apigatewayv2_api.tfer--users (api_id), which moves to aws_apigatewayv2_api.tfer--users; domain names, API mappings and VPC links are shared`},
		{name: "mapping to an api, into a module", extra: mapping, st: withMapping, move: Move{From: "all", To: "all", Select: users, Module: "module.identity"},
			want: `refers to aws_apigatewayv2_api.tfer--users (api_id), which moves to module.identity.aws_apigatewayv2_api.tfer--users; domain names`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"all/main.tf": kids + tc.extra, "identity/providers.tf": "provider \"aws\" {}\n"},
				map[string]*tfjson.State{"all": tc.st})
			before := f.snapshot(t)
			_, err := Run(context.Background(), f.opts(true, tc.move))
			want := strings.ReplaceAll(tc.want, "%s", f.root)
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error = %v, want one line containing %q", err, want)
			}
			if after := f.snapshot(t); after != before {
				t.Errorf("files changed after a refused migration:\n%s", after)
			}
		})
	}
}

// TestStrandedReferenceRefused moves a route by address without the
// integration and authorizer it refers to: its api_id can become a
// literal, but its target and authorizer_id cannot, so nothing is written.
func TestStrandedReferenceRefused(t *testing.T) {
	f := newFixture(t, map[string]string{"all/main.tf": kids, "other/providers.tf": "provider \"aws\" {}\n"},
		map[string]*tfjson.State{"all": kidsState()})
	before := f.snapshot(t)
	_, err := Run(context.Background(), f.opts(true, Move{From: "all", To: "other", Select: Selector{Addresses: []string{"aws_apigatewayv2_route.tfer--rt1"}}}))
	want := `resource "aws_apigatewayv2_route" "tfer--rt1" in ` + f.root + `/all refers to aws_apigatewayv2_authorizer.tfer--auth1, aws_apigatewayv2_integration.tfer--int1 (authorizer_id, target), which does not move with it; move it too`
	if err == nil || !strings.HasPrefix(err.Error(), "move 1: "+want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if f.snapshot(t) != before {
		t.Error("files changed after a refused migration")
	}
}

// TestStrandedReferenceToOtherType moves a stage whose access log goes to
// a log group of the same configuration: the log group is no API Gateway
// resource, so migrate cannot take it along and says so.
func TestStrandedReferenceToOtherType(t *testing.T) {
	src := strings.Replace(adopted, `  description = "hand-added" # keep me`, `  description = "hand-added" # keep me
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders.arn
    format          = "$context.requestId"
  }`, 1) + "\nresource \"aws_cloudwatch_log_group\" \"orders\" {\n  name = \"orders\"\n}\n"
	f := newFixture(t, map[string]string{"all/imports.tf": src, "payments/providers.tf": "provider \"aws\" {}\n"},
		map[string]*tfjson.State{"all": adoptedState()})
	before := f.snapshot(t)
	_, err := Run(context.Background(), f.opts(true, Move{From: "all", To: "payments", Select: Selector{Tags: map[string]string{"team": "payments"}}}))
	want := `refers to aws_cloudwatch_log_group.orders (destination_arn), which does not move with it; migrate moves only API Gateway V2 APIs`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error = %v, want one line with %q", err, want)
	}
	if f.snapshot(t) != before {
		t.Error("files changed after a refused migration")
	}
}
