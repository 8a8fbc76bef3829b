package standin

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	awstypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// resourceDomainName is aws_apigatewayv2_domain_name as hashicorp/aws
// 6.25.0 serves it (FACTS.md, "aws_apigatewayv2_domain_name"): without
// 6.x's later routing_mode.
func resourceDomainName() *schema.Resource {
	return &schema.Resource{
		CreateContext: createDomainName,
		ReadContext:   readDomainName,
		UpdateContext: updateDomainName,
		DeleteContext: deleteDomainName,
		Importer: &schema.ResourceImporter{StateContext: func(_ context.Context, d *schema.ResourceData, meta any) ([]*schema.ResourceData, error) {
			return []*schema.ResourceData{d}, importRegion(d, meta)
		}},
		Timeouts: &schema.ResourceTimeout{
			Create: schema.DefaultTimeout(10 * time.Minute),
			Update: schema.DefaultTimeout(60 * time.Minute),
		},
		CustomizeDiff: commonDiff,
		Schema: map[string]*schema.Schema{
			"api_mapping_selection_expression": {Type: schema.TypeString, Computed: true},
			"arn":                              {Type: schema.TypeString, Computed: true},
			"domain_name":                      {Type: schema.TypeString, Required: true, ForceNew: true, ValidateFunc: validation.StringLenBetween(1, 512)},
			"domain_name_configuration": {
				Type: schema.TypeList, Required: true, MinItems: 1, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"certificate_arn": {Type: schema.TypeString, Required: true, ValidateFunc: validARN},
					"endpoint_type": {Type: schema.TypeString, Required: true,
						ValidateFunc: validation.StringInSlice([]string{string(awstypes.EndpointTypeRegional)}, true)},
					"hosted_zone_id": {Type: schema.TypeString, Computed: true},
					"ip_address_type": {Type: schema.TypeString, Optional: true, Computed: true,
						ValidateFunc: validation.StringInSlice(enumValues(awstypes.IpAddressType("").Values()), false)},
					"ownership_verification_certificate_arn": {Type: schema.TypeString, Optional: true, Computed: true, ValidateFunc: validARN},
					"security_policy": {Type: schema.TypeString, Required: true,
						ValidateFunc: validation.StringInSlice([]string{string(awstypes.SecurityPolicyTls12)}, true)},
					"target_domain_name": {Type: schema.TypeString, Computed: true},
				}},
			},
			"mutual_tls_authentication": {
				Type: schema.TypeList, Optional: true, MaxItems: 1,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"truststore_uri":     {Type: schema.TypeString, Required: true},
					"truststore_version": {Type: schema.TypeString, Optional: true},
				}},
			},
			"region":   regionSchema(),
			"tags":     tagsSchema(),
			"tags_all": tagsAllSchema(),
		},
	}
}

func createDomainName(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	name := d.Get("domain_name").(string)
	out, err := c.CreateDomainName(ctx, &apigatewayv2.CreateDomainNameInput{
		DomainName:               aws.String(name),
		DomainNameConfigurations: expandDomainNameConfigurations(d.Get("domain_name_configuration").([]any)),
		MutualTlsAuthentication:  expandMutualTLS(d.Get("mutual_tls_authentication").([]any)),
		Tags:                     tagsIn(d, meta),
	})
	if err != nil {
		return diag.Errorf("creating API Gateway v2 Domain Name (%s): %s", name, err)
	}
	d.SetId(aws.ToString(out.DomainName))
	return readDomainName(ctx, d, meta)
}

func readDomainName(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	out, err := c.GetDomainName(ctx, &apigatewayv2.GetDomainNameInput{DomainName: aws.String(d.Id())})
	if readGone(d, err) {
		return nil
	}
	if err == nil && len(out.DomainNameConfigurations) == 0 {
		return diag.Errorf("reading API Gateway v2 Domain Name (%s): empty result", d.Id())
	}
	if err != nil {
		return diag.Errorf("reading API Gateway v2 Domain Name (%s): %s", d.Id(), err)
	}
	cfg := out.DomainNameConfigurations[0]
	flat := map[string]any{
		"endpoint_type": string(cfg.EndpointType), "ip_address_type": string(cfg.IpAddressType), "security_policy": string(cfg.SecurityPolicy),
		"certificate_arn": aws.ToString(cfg.CertificateArn), "hosted_zone_id": aws.ToString(cfg.HostedZoneId),
		"ownership_verification_certificate_arn": aws.ToString(cfg.OwnershipVerificationCertificateArn),
		"target_domain_name":                     aws.ToString(cfg.ApiGatewayDomainName),
	}
	var mtls []any
	if m := out.MutualTlsAuthentication; m != nil {
		mtls = []any{map[string]any{"truststore_uri": aws.ToString(m.TruststoreUri), "truststore_version": aws.ToString(m.TruststoreVersion)}}
	}
	if diags := setAttrs(d, map[string]any{
		"api_mapping_selection_expression": aws.ToString(out.ApiMappingSelectionExpression),
		"arn":                              domainNameARN(region, d.Id()),
		"domain_name":                      aws.ToString(out.DomainName),
		"domain_name_configuration":        []any{flat},
		"mutual_tls_authentication":        mtls,
		"region":                           region,
	}); diags != nil {
		return diags
	}
	if err := readTags(d, meta, out.Tags); err != nil {
		return diag.FromErr(err)
	}
	return nil
}

// updateDomainName sends the whole configuration whenever it or mutual TLS
// changed; a removed mutual TLS block is sent as an empty truststore URI,
// which disables it.
func updateDomainName(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, region := clientFor(d, meta)
	if err := updateTags(ctx, d, meta, c, domainNameARN(region, d.Id())); err != nil {
		return diag.FromErr(err)
	}
	if d.HasChanges("domain_name_configuration", "mutual_tls_authentication") {
		in := &apigatewayv2.UpdateDomainNameInput{
			DomainName:               aws.String(d.Id()),
			DomainNameConfigurations: expandDomainNameConfigurations(d.Get("domain_name_configuration").([]any)),
		}
		if d.HasChange("mutual_tls_authentication") {
			if m := firstBlock(d.Get("mutual_tls_authentication").([]any)); m != nil {
				in.MutualTlsAuthentication = &awstypes.MutualTlsAuthenticationInput{}
				if d.HasChange("mutual_tls_authentication.0.truststore_uri") {
					in.MutualTlsAuthentication.TruststoreUri = aws.String(m["truststore_uri"].(string))
				}
				if d.HasChange("mutual_tls_authentication.0.truststore_version") {
					in.MutualTlsAuthentication.TruststoreVersion = aws.String(m["truststore_version"].(string))
				}
			} else {
				in.MutualTlsAuthentication = &awstypes.MutualTlsAuthenticationInput{TruststoreUri: aws.String("")}
			}
		}
		if _, err := c.UpdateDomainName(ctx, in); err != nil {
			return diag.Errorf("updating API Gateway v2 Domain Name (%s): %s", d.Id(), err)
		}
	}
	return readDomainName(ctx, d, meta)
}

func deleteDomainName(ctx context.Context, d *schema.ResourceData, meta any) diag.Diagnostics {
	c, _ := clientFor(d, meta)
	_, err := c.DeleteDomainName(ctx, &apigatewayv2.DeleteDomainNameInput{DomainName: aws.String(d.Id())})
	if err != nil && !isNotFound(err) {
		return diag.Errorf("deleting API Gateway v2 Domain Name (%s): %s", d.Id(), err)
	}
	return nil
}

// expandDomainNameConfigurations sends only the members that are set.
func expandDomainNameConfigurations(l []any) []awstypes.DomainNameConfiguration {
	var out []awstypes.DomainNameConfiguration
	for _, raw := range l {
		m, ok := raw.(map[string]any)
		if !ok {
			continue
		}
		var cfg awstypes.DomainNameConfiguration
		if v, _ := m["certificate_arn"].(string); v != "" {
			cfg.CertificateArn = aws.String(v)
		}
		if v, _ := m["endpoint_type"].(string); v != "" {
			cfg.EndpointType = awstypes.EndpointType(v)
		}
		if v, _ := m["ip_address_type"].(string); v != "" {
			cfg.IpAddressType = awstypes.IpAddressType(v)
		}
		if v, _ := m["ownership_verification_certificate_arn"].(string); v != "" {
			cfg.OwnershipVerificationCertificateArn = aws.String(v)
		}
		if v, _ := m["security_policy"].(string); v != "" {
			cfg.SecurityPolicy = awstypes.SecurityPolicy(v)
		}
		out = append(out, cfg)
	}
	return out
}

func expandMutualTLS(l []any) *awstypes.MutualTlsAuthenticationInput {
	m := firstBlock(l)
	if m == nil {
		return nil
	}
	out := &awstypes.MutualTlsAuthenticationInput{}
	if v, _ := m["truststore_uri"].(string); v != "" {
		out.TruststoreUri = aws.String(v)
	}
	if v, _ := m["truststore_version"].(string); v != "" {
		out.TruststoreVersion = aws.String(v)
	}
	return out
}
