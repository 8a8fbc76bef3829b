package standin

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The flags of every attribute, transcribed from hashicorp/aws 6.25's
// api.go and stage.go (plus v6's injected region, SDKv2's id and the tags
// helpers): R required, O optional, OC optional+computed, C computed.
// cdktf cannot tell O from OC; this table can.
var wantFlags = map[string]string{
	"aws_apigatewayv2_api": `api_endpoint C, api_key_selection_expression O, arn C, body O,
		cors_configuration.allow_credentials O, cors_configuration.allow_headers O,
		cors_configuration.allow_methods O, cors_configuration.allow_origins O,
		cors_configuration.expose_headers O, cors_configuration.max_age O, credentials_arn O,
		description O, disable_execute_api_endpoint O, execution_arn C, fail_on_warnings O, id OC,
		ip_address_type OC, name R, protocol_type R, region OC, route_key O,
		route_selection_expression O, tags O, tags_all OC, target O, version O`,
	"aws_apigatewayv2_stage": `access_log_settings.destination_arn R, access_log_settings.format R, api_id R,
		arn C, auto_deploy O, client_certificate_id O, default_route_settings.data_trace_enabled O,
		default_route_settings.detailed_metrics_enabled O, default_route_settings.logging_level OC,
		default_route_settings.throttling_burst_limit O, default_route_settings.throttling_rate_limit O,
		deployment_id OC, description O, execution_arn C, id OC, invoke_url C, name R, region OC,
		route_settings.data_trace_enabled O, route_settings.detailed_metrics_enabled O,
		route_settings.logging_level OC, route_settings.route_key R,
		route_settings.throttling_burst_limit O, route_settings.throttling_rate_limit O,
		stage_variables O, tags O, tags_all OC`,
}

func TestSchemaFlags(t *testing.T) {
	resp, err := NewServer("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema diagnostics: %v", resp.Diagnostics)
	}
	for name, want := range wantFlags {
		s, ok := resp.ResourceSchemas[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		var got []string
		var walk func(prefix string, b *tfprotov6.SchemaBlock)
		walk = func(prefix string, b *tfprotov6.SchemaBlock) {
			for _, a := range b.Attributes {
				flags := ""
				if a.Required {
					flags += "R"
				}
				if a.Optional {
					flags += "O"
				}
				if a.Computed {
					flags += "C"
				}
				got = append(got, prefix+a.Name+" "+flags)
			}
			for _, nb := range b.BlockTypes {
				walk(prefix+nb.TypeName+".", nb.Block)
			}
		}
		walk("", s.Block)
		sort.Strings(got)
		var wantList []string
		for _, f := range strings.Split(want, ",") {
			wantList = append(wantList, strings.Join(strings.Fields(f), " "))
		}
		sort.Strings(wantList)
		if g, w := strings.Join(got, "\n"), strings.Join(wantList, "\n"); g != w {
			t.Errorf("%s flags:\ngot:\n%s\nwant:\n%s", name, g, w)
		}
	}
}

func TestProviderMetadata(t *testing.T) {
	resp, err := NewServer("6.25.0")().GetMetadata(context.Background(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range resp.Resources {
		names = append(names, r.TypeName)
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "aws_apigatewayv2_api,aws_apigatewayv2_stage" {
		t.Errorf("resources = %s", got)
	}
	if Address != "registry.terraform.io/hashicorp/aws" {
		t.Errorf("Address = %s", Address)
	}
}

// stubServer answers plans and applies with empty responses.
type stubServer struct {
	tfprotov6.ProviderServer
}

func (stubServer) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (stubServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{}, nil
}

func TestLegacyTypeSystemFlag(t *testing.T) {
	s := legacyTypeSystem{stubServer{}}
	plan, err := s.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{})
	//lint:ignore SA1019 the flag under test
	if flag := plan.UnsafeToUseLegacyTypeSystem; err != nil || !flag {
		t.Errorf("plan: flag %v, err %v; want the legacy type system flag", flag, err)
	}
	apply, err := s.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{})
	//lint:ignore SA1019 the flag under test
	if flag := apply.UnsafeToUseLegacyTypeSystem; err != nil || !flag {
		t.Errorf("apply: flag %v, err %v; want the legacy type system flag", flag, err)
	}
}
