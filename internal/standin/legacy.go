package standin

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Address is the registry address engines resolve the stand-in under.
const Address = "registry.terraform.io/hashicorp/aws"

// NewServer returns the protocol 6 server factory that the plugin binary
// serves.
func NewServer(version string) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(New(version)())
	return func() tfprotov6.ProviderServer { return legacyTypeSystem{framework()} }
}

// legacyTypeSystem marks plans and apply results the way SDKv2 does. Engines
// then accept a planned "" or false where configuration has null, and an
// applied "" where the plan had null, which is how the real provider keeps
// configurations that omit an attribute free of diffs (see the package doc).
type legacyTypeSystem struct {
	tfprotov6.ProviderServer
}

func (s legacyTypeSystem) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		//lint:ignore SA1019 deliberately: this provider stands in for an SDKv2 one (see the package doc)
		resp.UnsafeToUseLegacyTypeSystem = true
	}
	return resp, err
}

func (s legacyTypeSystem) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		//lint:ignore SA1019 deliberately: this provider stands in for an SDKv2 one (see the package doc)
		resp.UnsafeToUseLegacyTypeSystem = true
	}
	return resp, err
}
