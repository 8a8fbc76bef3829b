package emulator_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/emulator"
)

func TestAccountLevelOperations(t *testing.T) {
	_, url := start(t, emulator.Options{})
	accountScenario(t, client(url, "eu-west-1", nil))
}

// accountScenario drives the domain name, API mapping and VPC link
// operations and checks what import depends on: the configuration API
// Gateway fills in, mapping keys unique per domain, mappings that name an
// existing API and stage, and a VPC link kept while an integration uses it.
func accountScenario(t *testing.T, c *apigatewayv2.Client) {
	cx := ctx(t)
	region := c.Options().Region
	zones := map[string]string{"eu-west-1": "ZLY8HYME6SFDD", "us-west-2": "Z2OJLYMUO9EFXC"}
	api := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("mapped"), ProtocolType: types.ProtocolTypeHttp}))(t, "CreateApi")
	for _, s := range []string{"prod", "canary"} {
		must(c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String(s)}))(t, "CreateStage")
	}
	ws := must(c.CreateApi(cx, &apigatewayv2.CreateApiInput{Name: aws.String("ws"), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action")}))(t, "CreateApi ws")
	must(c.CreateStage(cx, &apigatewayv2.CreateStageInput{ApiId: ws.ApiId, StageName: aws.String("live")}))(t, "CreateStage ws")

	cert := "arn:aws:acm:" + region + ":123456789012:certificate/0d1f5d8e-1111-2222-3333-444455556666"
	d := must(c.CreateDomainName(cx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("API.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(cert), EndpointType: types.EndpointTypeRegional}},
		MutualTlsAuthentication:  &types.MutualTlsAuthenticationInput{TruststoreUri: aws.String("s3://trust/store.pem"), TruststoreVersion: aws.String("v1")},
		Tags:                     map[string]string{"team": "edge"}}))(t, "CreateDomainName")
	cfg := d.DomainNameConfigurations[0]
	if aws.ToString(d.DomainName) != "api.example.com" || cfg.SecurityPolicy != types.SecurityPolicyTls12 || cfg.DomainNameStatus != types.DomainNameStatusAvailable ||
		aws.ToString(cfg.HostedZoneId) != zones[region] || cfg.IpAddressType != types.IpAddressTypeIpv4 || aws.ToString(d.ApiMappingSelectionExpression) != "$request.basepath" ||
		aws.ToString(d.MutualTlsAuthentication.TruststoreVersion) != "v1" || aws.ToString(d.DomainNameArn) != "arn:aws:apigateway:"+region+"::/domainnames/api.example.com" {
		t.Errorf("CreateDomainName = %+v, configuration %+v", d, cfg)
	}
	_, err := c.CreateDomainName(cx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("api.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(cert)}}})
	wantCode(t, "a domain name twice", err, "ConflictException")
	_, err = c.CreateDomainName(cx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String("edge.example.com"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(cert), EndpointType: types.EndpointTypeEdge}}})
	wantCode(t, "an edge domain name", err, "BadRequestException")
	_, err = c.UpdateDomainName(cx, &apigatewayv2.UpdateDomainNameInput{DomainName: d.DomainName,
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(cert), SecurityPolicy: types.SecurityPolicyTls10}}})
	wantCode(t, "TLS 1.0 with mutual TLS", err, "BadRequestException")
	u := must(c.UpdateDomainName(cx, &apigatewayv2.UpdateDomainNameInput{DomainName: d.DomainName,
		MutualTlsAuthentication: &types.MutualTlsAuthenticationInput{TruststoreUri: aws.String("")}}))(t, "UpdateDomainName")
	if u.MutualTlsAuthentication != nil || aws.ToString(u.DomainNameConfigurations[0].CertificateArn) != cert {
		t.Errorf("UpdateDomainName removing mutual TLS = %+v", u)
	}

	root := must(c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: d.DomainName, ApiId: api.ApiId, Stage: aws.String("prod")}))(t, "CreateApiMapping")
	v2 := must(c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: d.DomainName, ApiId: api.ApiId, Stage: aws.String("canary"),
		ApiMappingKey: aws.String("orders/v2")}))(t, "CreateApiMapping keyed")
	_, err = c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: d.DomainName, ApiId: api.ApiId, Stage: aws.String("prod"), ApiMappingKey: aws.String("orders/v2")})
	wantCode(t, "a mapping key twice", err, "ConflictException")
	_, err = c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: d.DomainName, ApiId: api.ApiId, Stage: aws.String("nope"), ApiMappingKey: aws.String("x")})
	wantCode(t, "a mapping to a missing stage", err, "BadRequestException")
	_, err = c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: d.DomainName, ApiId: ws.ApiId, Stage: aws.String("live"), ApiMappingKey: aws.String("ws")})
	wantCode(t, "a WebSocket API beside HTTP APIs", err, "BadRequestException")
	_, err = c.CreateApiMapping(cx, &apigatewayv2.CreateApiMappingInput{DomainName: aws.String("nope.example.com"), ApiId: api.ApiId, Stage: aws.String("prod")})
	wantCode(t, "a mapping of a missing domain", err, "NotFoundException")
	// What people break: the mapping moved to another stage.
	m := must(c.UpdateApiMapping(cx, &apigatewayv2.UpdateApiMappingInput{DomainName: d.DomainName, ApiMappingId: root.ApiMappingId, ApiId: api.ApiId,
		Stage: aws.String("canary")}))(t, "UpdateApiMapping")
	if aws.ToString(m.Stage) != "canary" || aws.ToString(m.ApiMappingKey) != "" {
		t.Errorf("UpdateApiMapping = %+v", m)
	}
	got := must(c.GetApiMapping(cx, &apigatewayv2.GetApiMappingInput{DomainName: d.DomainName, ApiMappingId: v2.ApiMappingId}))(t, "GetApiMapping")
	if aws.ToString(got.ApiMappingKey) != "orders/v2" || aws.ToString(got.ApiId) != aws.ToString(api.ApiId) {
		t.Errorf("GetApiMapping = %+v", got)
	}
	ms := must(c.GetApiMappings(cx, &apigatewayv2.GetApiMappingsInput{DomainName: d.DomainName, MaxResults: aws.String("1")}))(t, "GetApiMappings")
	if len(ms.Items) != 1 || ms.NextToken == nil {
		t.Errorf("GetApiMappings page 1 = %+v", ms)
	}
	must(c.DeleteApiMapping(cx, &apigatewayv2.DeleteApiMappingInput{DomainName: d.DomainName, ApiMappingId: v2.ApiMappingId}))(t, "DeleteApiMapping")
	_, err = c.GetApiMapping(cx, &apigatewayv2.GetApiMappingInput{DomainName: d.DomainName, ApiMappingId: v2.ApiMappingId})
	wantCode(t, "a deleted mapping", err, "NotFoundException")

	for i := range 3 {
		must(c.CreateDomainName(cx, &apigatewayv2.CreateDomainNameInput{DomainName: aws.String(fmt.Sprintf("d%d.example.com", i)),
			DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(cert)}}}))(t, "CreateDomainName")
	}
	var names []string
	var token *string
	for {
		out := must(c.GetDomainNames(cx, &apigatewayv2.GetDomainNamesInput{MaxResults: aws.String("2"), NextToken: token}))(t, "GetDomainNames")
		for _, x := range out.Items {
			names = append(names, aws.ToString(x.DomainName))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if fmt.Sprint(names) != "[api.example.com d0.example.com d1.example.com d2.example.com]" {
		t.Errorf("GetDomainNames over pages = %v", names)
	}
	must(c.DeleteDomainName(cx, &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String("d0.example.com")}))(t, "DeleteDomainName")
	_, err = c.GetDomainName(cx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String("d0.example.com")})
	wantCode(t, "a deleted domain name", err, "NotFoundException")

	l := must(c.CreateVpcLink(cx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("private"), SubnetIds: []string{"subnet-0a1", "subnet-0b2"},
		SecurityGroupIds: []string{"sg-01"}, Tags: map[string]string{"team": "edge"}}))(t, "CreateVpcLink")
	if l.VpcLinkStatus != types.VpcLinkStatusAvailable || l.VpcLinkVersion != types.VpcLinkVersionV2 || len(aws.ToString(l.VpcLinkId)) != 6 {
		t.Errorf("CreateVpcLink = %+v", l)
	}
	_, err = c.CreateVpcLink(cx, &apigatewayv2.CreateVpcLinkInput{Name: aws.String("no subnets"), SubnetIds: []string{}})
	wantCode(t, "a VPC link without subnets", err, "BadRequestException")
	if n := must(c.UpdateVpcLink(cx, &apigatewayv2.UpdateVpcLinkInput{VpcLinkId: l.VpcLinkId, Name: aws.String("renamed")}))(t, "UpdateVpcLink"); aws.ToString(n.Name) != "renamed" || len(n.SubnetIds) != 2 {
		t.Errorf("UpdateVpcLink = %+v", n)
	}
	if g := must(c.GetVpcLink(cx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: l.VpcLinkId}))(t, "GetVpcLink"); aws.ToString(g.Name) != "renamed" || g.SecurityGroupIds[0] != "sg-01" {
		t.Errorf("GetVpcLink = %+v", g)
	}
	x := must(c.CreateIntegration(cx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: types.IntegrationTypeHttpProxy,
		IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String("arn:aws:elasticloadbalancing:" + region + ":123456789012:listener/app/internal/50dc6c495c0c9188/f2f7dc8efc522ab2"),
		ConnectionType: types.ConnectionTypeVpcLink, ConnectionId: l.VpcLinkId}))(t, "CreateIntegration over the link")
	_, err = c.DeleteVpcLink(cx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: l.VpcLinkId})
	wantCode(t, "a VPC link in use", err, "ConflictException")
	tags := must(c.GetTags(cx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:" + region + "::/vpclinks/" + aws.ToString(l.VpcLinkId))}))(t, "GetTags of a VPC link")
	if tags.Tags["team"] != "edge" {
		t.Errorf("GetTags of a VPC link = %v", tags.Tags)
	}
	must(c.TagResource(cx, &apigatewayv2.TagResourceInput{ResourceArn: d.DomainNameArn, Tags: map[string]string{"env": "prod"}}))(t, "TagResource of a domain name")
	if got := must(c.GetDomainName(cx, &apigatewayv2.GetDomainNameInput{DomainName: d.DomainName}))(t, "GetDomainName"); got.Tags["env"] != "prod" || got.Tags["team"] != "edge" {
		t.Errorf("domain name tags = %v", got.Tags)
	}
	must(c.DeleteIntegration(cx, &apigatewayv2.DeleteIntegrationInput{ApiId: api.ApiId, IntegrationId: x.IntegrationId}))(t, "DeleteIntegration")
	must(c.DeleteVpcLink(cx, &apigatewayv2.DeleteVpcLinkInput{VpcLinkId: l.VpcLinkId}))(t, "DeleteVpcLink")
	links := must(c.GetVpcLinks(cx, &apigatewayv2.GetVpcLinksInput{}))(t, "GetVpcLinks")
	if len(links.Items) != 0 {
		t.Errorf("GetVpcLinks after delete = %+v", links.Items)
	}
	_, err = c.GetVpcLink(cx, &apigatewayv2.GetVpcLinkInput{VpcLinkId: l.VpcLinkId})
	wantCode(t, "a deleted VPC link", err, "NotFoundException")
}
