package standin

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
)

const accountSeed = `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - id: h1
            name: http
            protocolType: HTTP
            stages: [{name: prod}, {name: canary}]
`

// TestAccountLevelLifecycle creates a VPC link, a domain name with mutual
// TLS and a mapping the way the real provider does, moves the mapping to
// another stage and drops mutual TLS, and checks that a plan of the same
// configuration is empty after each step.
func TestAccountLevelLifecycle(t *testing.T) {
	h := newHarness(t, accountSeed)
	rd, rm, rl := resourceDomainName(), resourceAPIMapping(), resourceVPCLink()
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/abc"
	dcfg := map[string]any{"domain_name": "api.example.com", "tags": map[string]any{"team": "edge"},
		"domain_name_configuration": []any{map[string]any{"certificate_arn": cert, "endpoint_type": "REGIONAL", "security_policy": "TLS_1_2"}},
		"mutual_tls_authentication": []any{map[string]any{"truststore_uri": "s3://trust/store.pem", "truststore_version": "2"}}}
	dom := h.apply(rd, nil, dcfg)
	body := h.last("CreateDomainName", "/domainnames")
	if cfgs := body["domainNameConfigurations"].([]any); len(cfgs) != 1 || body["tags"] == nil || body["mutualTlsAuthentication"] == nil {
		t.Errorf("CreateDomainName sent %v", body)
	}
	if dom.ID != "api.example.com" || dom.Attributes["domain_name_configuration.0.hosted_zone_id"] != "Z1UJRXOUMOOFQ8" ||
		dom.Attributes["domain_name_configuration.0.ip_address_type"] != "ipv4" || dom.Attributes["arn"] != "arn:aws:apigateway:us-east-1::/domainnames/api.example.com" ||
		!strings.HasSuffix(dom.Attributes["domain_name_configuration.0.target_domain_name"], ".execute-api.us-east-1.amazonaws.com") {
		t.Errorf("domain name state %v", dom.Attributes)
	}
	if d := h.plan(rd, dom, dcfg); !d.Empty() {
		t.Errorf("plan of the unchanged domain name: %v", d.Attributes)
	}
	delete(dcfg, "mutual_tls_authentication")
	dom = h.apply(rd, dom, dcfg)
	if up := h.last("UpdateDomainName", "/domainnames/api.example.com"); up["mutualTlsAuthentication"].(map[string]any)["truststoreUri"] != "" {
		t.Errorf("UpdateDomainName removing mutual TLS sent %v", up)
	}
	if dom.Attributes["mutual_tls_authentication.#"] != "0" {
		t.Errorf("domain name state after removing mutual TLS: %v", dom.Attributes)
	}

	mcfg := map[string]any{"api_id": "h1", "domain_name": "api.example.com", "stage": "prod", "api_mapping_key": "v1"}
	m := h.apply(rm, nil, mcfg)
	if d := h.plan(rm, m, mcfg); !d.Empty() {
		t.Errorf("plan of the unchanged mapping: %v", d.Attributes)
	}
	mcfg["stage"] = "canary"
	m = h.apply(rm, m, mcfg)
	if up := h.last("UpdateApiMapping", "/apimappings/"+m.ID); up["stage"] != "canary" || up["apiId"] != "h1" || up["apiMappingKey"] != nil {
		t.Errorf("UpdateApiMapping sent %v, want the API id and the stage only", up)
	}

	lcfg := map[string]any{"name": "private", "subnet_ids": []any{"subnet-1", "subnet-2"}, "security_group_ids": []any{"sg-1"}}
	link := h.apply(rl, nil, lcfg)
	if link.Attributes["arn"] != "arn:aws:apigateway:us-east-1::/vpclinks/"+link.ID || link.Attributes["subnet_ids.#"] != "2" {
		t.Errorf("VPC link state %v", link.Attributes)
	}
	if d := h.plan(rl, link, lcfg); !d.Empty() {
		t.Errorf("plan of the unchanged VPC link: %v", d.Attributes)
	}
	lcfg["subnet_ids"] = []any{"subnet-3"}
	if d := h.plan(rl, link, lcfg); !d.RequiresNew() {
		t.Errorf("new subnets do not replace the VPC link: %v", d.Attributes)
	}

	ctx := context.Background()
	for _, del := range []func() bool{
		func() bool { return deleteAPIMapping(ctx, rm.Data(m), h.data).HasError() },
		func() bool { return deleteDomainName(ctx, rd.Data(dom), h.data).HasError() },
		func() bool { return deleteVPCLink(ctx, rl.Data(link), h.data).HasError() },
	} {
		if del() {
			t.Error("delete failed")
		}
	}
}

// TestAccountLevelImport holds the importers to the real provider's ids:
// the domain name, "api-mapping-id/domain-name" and the VPC link id.
func TestAccountLevelImport(t *testing.T) {
	h := newHarness(t, accountSeed)
	ctx := context.Background()
	m := resourceAPIMapping()
	for _, id := range []string{"abc", "a/b/c"} {
		d := m.Data(&terraform.InstanceState{ID: id})
		if _, err := m.Importer.StateContext(ctx, d, h.data); err == nil || err.Error() != "wrong format of import ID ("+id+"), use: 'api-mapping-id/domain-name'" {
			t.Errorf("import %q: %v", id, err)
		}
	}
	d := m.Data(&terraform.InstanceState{ID: "m1/api.example.com@eu-west-1"})
	if _, err := m.Importer.StateContext(ctx, d, h.data); err != nil || d.Id() != "m1" || d.Get("domain_name") != "api.example.com" || d.Get("region") != "eu-west-1" {
		t.Errorf("import of a mapping: %v, id %q domain %v region %v", err, d.Id(), d.Get("domain_name"), d.Get("region"))
	}
	for _, r := range []*schema.Resource{resourceDomainName(), resourceVPCLink()} {
		d := r.Data(&terraform.InstanceState{ID: "x1"})
		if _, err := r.Importer.StateContext(ctx, d, h.data); err != nil || d.Id() != "x1" {
			t.Errorf("passthrough import: %v, id %q", err, d.Id())
		}
	}
}
