package standin

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

// apiClient is the part of the API Gateway V2 client the resources call.
type apiClient interface {
	GetApi(context.Context, *apigatewayv2.GetApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiOutput, error)
	CreateApi(context.Context, *apigatewayv2.CreateApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateApiOutput, error)
	UpdateApi(context.Context, *apigatewayv2.UpdateApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateApiOutput, error)
	DeleteApi(context.Context, *apigatewayv2.DeleteApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteApiOutput, error)
	DeleteCorsConfiguration(context.Context, *apigatewayv2.DeleteCorsConfigurationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteCorsConfigurationOutput, error)
	ReimportApi(context.Context, *apigatewayv2.ReimportApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.ReimportApiOutput, error)
	GetStage(context.Context, *apigatewayv2.GetStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStageOutput, error)
	CreateStage(context.Context, *apigatewayv2.CreateStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateStageOutput, error)
	UpdateStage(context.Context, *apigatewayv2.UpdateStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateStageOutput, error)
	DeleteStage(context.Context, *apigatewayv2.DeleteStageInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteStageOutput, error)
	DeleteRouteSettings(context.Context, *apigatewayv2.DeleteRouteSettingsInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteSettingsOutput, error)
	GetRoutes(context.Context, *apigatewayv2.GetRoutesInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRoutesOutput, error)
	GetRoute(context.Context, *apigatewayv2.GetRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRouteOutput, error)
	CreateRoute(context.Context, *apigatewayv2.CreateRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateRouteOutput, error)
	UpdateRoute(context.Context, *apigatewayv2.UpdateRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateRouteOutput, error)
	DeleteRoute(context.Context, *apigatewayv2.DeleteRouteInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteOutput, error)
	DeleteRouteRequestParameter(context.Context, *apigatewayv2.DeleteRouteRequestParameterInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteRequestParameterOutput, error)
	GetIntegration(context.Context, *apigatewayv2.GetIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationOutput, error)
	CreateIntegration(context.Context, *apigatewayv2.CreateIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateIntegrationOutput, error)
	UpdateIntegration(context.Context, *apigatewayv2.UpdateIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateIntegrationOutput, error)
	DeleteIntegration(context.Context, *apigatewayv2.DeleteIntegrationInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteIntegrationOutput, error)
	GetAuthorizer(context.Context, *apigatewayv2.GetAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetAuthorizerOutput, error)
	CreateAuthorizer(context.Context, *apigatewayv2.CreateAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateAuthorizerOutput, error)
	UpdateAuthorizer(context.Context, *apigatewayv2.UpdateAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateAuthorizerOutput, error)
	DeleteAuthorizer(context.Context, *apigatewayv2.DeleteAuthorizerInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteAuthorizerOutput, error)
	GetModel(context.Context, *apigatewayv2.GetModelInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetModelOutput, error)
	CreateModel(context.Context, *apigatewayv2.CreateModelInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateModelOutput, error)
	UpdateModel(context.Context, *apigatewayv2.UpdateModelInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateModelOutput, error)
	DeleteModel(context.Context, *apigatewayv2.DeleteModelInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteModelOutput, error)
	GetRouteResponse(context.Context, *apigatewayv2.GetRouteResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetRouteResponseOutput, error)
	CreateRouteResponse(context.Context, *apigatewayv2.CreateRouteResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateRouteResponseOutput, error)
	UpdateRouteResponse(context.Context, *apigatewayv2.UpdateRouteResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateRouteResponseOutput, error)
	DeleteRouteResponse(context.Context, *apigatewayv2.DeleteRouteResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteRouteResponseOutput, error)
	GetIntegrationResponse(context.Context, *apigatewayv2.GetIntegrationResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetIntegrationResponseOutput, error)
	CreateIntegrationResponse(context.Context, *apigatewayv2.CreateIntegrationResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateIntegrationResponseOutput, error)
	UpdateIntegrationResponse(context.Context, *apigatewayv2.UpdateIntegrationResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateIntegrationResponseOutput, error)
	DeleteIntegrationResponse(context.Context, *apigatewayv2.DeleteIntegrationResponseInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteIntegrationResponseOutput, error)
	GetDomainName(context.Context, *apigatewayv2.GetDomainNameInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetDomainNameOutput, error)
	CreateDomainName(context.Context, *apigatewayv2.CreateDomainNameInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateDomainNameOutput, error)
	UpdateDomainName(context.Context, *apigatewayv2.UpdateDomainNameInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateDomainNameOutput, error)
	DeleteDomainName(context.Context, *apigatewayv2.DeleteDomainNameInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteDomainNameOutput, error)
	GetApiMapping(context.Context, *apigatewayv2.GetApiMappingInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApiMappingOutput, error)
	CreateApiMapping(context.Context, *apigatewayv2.CreateApiMappingInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateApiMappingOutput, error)
	UpdateApiMapping(context.Context, *apigatewayv2.UpdateApiMappingInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateApiMappingOutput, error)
	DeleteApiMapping(context.Context, *apigatewayv2.DeleteApiMappingInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteApiMappingOutput, error)
	GetVpcLink(context.Context, *apigatewayv2.GetVpcLinkInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.GetVpcLinkOutput, error)
	CreateVpcLink(context.Context, *apigatewayv2.CreateVpcLinkInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.CreateVpcLinkOutput, error)
	UpdateVpcLink(context.Context, *apigatewayv2.UpdateVpcLinkInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UpdateVpcLinkOutput, error)
	DeleteVpcLink(context.Context, *apigatewayv2.DeleteVpcLinkInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.DeleteVpcLinkOutput, error)
	TagResource(context.Context, *apigatewayv2.TagResourceInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.TagResourceOutput, error)
	UntagResource(context.Context, *apigatewayv2.UntagResourceInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.UntagResourceOutput, error)
}

// providerData is what a configured provider hands its resources: one
// client per region (resources may override the provider's region), the
// account for execution ARNs and the tag policy.
type providerData struct {
	region    string
	accountID string
	tags      tagPolicy
	newClient func(region string) apiClient

	mu      sync.Mutex
	clients map[string]apiClient
}

// client returns the API Gateway V2 client for a resource's region; an
// empty region means the provider's.
func (d *providerData) client(region string) apiClient {
	if region == "" {
		region = d.region
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.clients[region]; ok {
		return c
	}
	if d.clients == nil {
		d.clients = map[string]apiClient{}
	}
	c := d.newClient(region)
	d.clients[region] = c
	return c
}

// regionOf is a resource's effective region.
func (d *providerData) regionOf(v string) string {
	if v == "" {
		return d.region
	}
	return v
}

// sdkClientFactory builds real clients from one loaded configuration; an
// endpoint from the provider's endpoints block wins over the environment's
// AWS_ENDPOINT_URL_APIGATEWAYV2 and AWS_ENDPOINT_URL, which the SDK reads.
func sdkClientFactory(cfg aws.Config, endpoint string) func(region string) apiClient {
	return func(region string) apiClient {
		return apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) {
			o.Region = region
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		})
	}
}
