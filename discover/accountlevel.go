package discover

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// accountLevel is what one region holds outside its APIs.
type accountLevel struct {
	domains  []inventory.DomainName
	vpcLinks []inventory.VPCLink
	failures []inventory.Error
}

// walkAccountLevel lists the region's VPC links and custom domain names,
// and each domain name's API mappings, as the options ask: one paged list
// per kind, plus one per domain name for its mappings. Failed calls are
// recorded; only the end of ctx is returned.
func walkAccountLevel(ctx context.Context, o Options, rc *regionClients) (*accountLevel, error) {
	out := &accountLevel{}
	w := &apiWalk{o: o, rc: rc, api: &inventory.API{}}
	if slices.Contains(o.Types, inventory.KindVPCLink) {
		err := pages(ctx, w, "GetVpcLinks", func(ctx context.Context, token, size *string) (*string, error) {
			res, err := rc.api.GetVpcLinks(ctx, &apigatewayv2.GetVpcLinksInput{MaxResults: size, NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, l := range res.Items {
				out.vpcLinks = append(out.vpcLinks, inventory.VPCLink{Region: rc.region, ID: aws.ToString(l.VpcLinkId), Name: aws.ToString(l.Name),
					SecurityGroupIDs: l.SecurityGroupIds, SubnetIDs: l.SubnetIds, Tags: nonEmpty(l.Tags)})
			}
			return res.NextToken, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if slices.Contains(o.Types, inventory.KindDomainName) {
		err := pages(ctx, w, "GetDomainNames", func(ctx context.Context, token, size *string) (*string, error) {
			res, err := rc.api.GetDomainNames(ctx, &apigatewayv2.GetDomainNamesInput{MaxResults: size, NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, d := range res.Items {
				out.domains = append(out.domains, toDomainName(rc.region, d))
			}
			return res.NextToken, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if slices.Contains(o.Types, inventory.KindAPIMapping) {
		for i := range out.domains {
			d := &out.domains[i]
			err := pages(ctx, w, "GetApiMappings", func(ctx context.Context, token, size *string) (*string, error) {
				res, err := rc.api.GetApiMappings(ctx, &apigatewayv2.GetApiMappingsInput{DomainName: &d.DomainName, MaxResults: size, NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, m := range res.Items {
					d.APIMappings = append(d.APIMappings, inventory.APIMapping{ID: aws.ToString(m.ApiMappingId), APIID: aws.ToString(m.ApiId),
						Stage: aws.ToString(m.Stage), Key: aws.ToString(m.ApiMappingKey)})
				}
				return res.NextToken, nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	out.failures = w.failures
	return out, nil
}

func toDomainName(region string, d types.DomainName) inventory.DomainName {
	out := inventory.DomainName{Region: region, DomainName: aws.ToString(d.DomainName), Tags: nonEmpty(d.Tags)}
	if len(d.DomainNameConfigurations) > 0 {
		c := d.DomainNameConfigurations[0]
		out.CertificateARN, out.EndpointType, out.SecurityPolicy = aws.ToString(c.CertificateArn), string(c.EndpointType), string(c.SecurityPolicy)
		out.IPAddressType, out.OwnershipVerificationCertificateARN = string(c.IpAddressType), aws.ToString(c.OwnershipVerificationCertificateArn)
		out.HostedZoneID, out.TargetDomainName = aws.ToString(c.HostedZoneId), aws.ToString(c.ApiGatewayDomainName)
	}
	if m := d.MutualTlsAuthentication; m != nil {
		out.TruststoreURI, out.TruststoreVersion = aws.ToString(m.TruststoreUri), aws.ToString(m.TruststoreVersion)
	}
	return out
}

// keepFor narrows the account-level resources to the APIs the filters
// kept: a domain name stays with its mappings to them (and goes when it
// maps none of them), a VPC link stays when one of their integrations
// uses it. Without filters, everything stays.
func (al *accountLevel) keepFor(f filter, apis []inventory.API) {
	if !f.active() {
		return
	}
	kept := make(map[string]bool, len(apis))
	links := map[string]bool{}
	for _, a := range apis {
		kept[a.ID] = true
		for _, x := range a.Integrations {
			if x.ConnectionType == string(types.ConnectionTypeVpcLink) {
				links[x.ConnectionID] = true
			}
		}
	}
	al.vpcLinks = slices.DeleteFunc(al.vpcLinks, func(l inventory.VPCLink) bool { return !links[l.ID] })
	al.domains = slices.DeleteFunc(al.domains, func(d inventory.DomainName) bool {
		n := len(d.APIMappings)
		d.APIMappings = slices.DeleteFunc(d.APIMappings, func(m inventory.APIMapping) bool { return !kept[m.APIID] })
		return n == 0 || len(d.APIMappings) == 0
	})
}

// accountLevelSummary counts the account-level kinds discovered, "" when
// none were asked for.
func accountLevelSummary(inv *inventory.Inventory) string {
	mappings := 0
	for _, d := range inv.DomainNames {
		mappings += len(d.APIMappings)
	}
	var parts []string
	for _, c := range []struct {
		kind, noun string
		n          int
	}{{inventory.KindDomainName, "domain name", len(inv.DomainNames)}, {inventory.KindAPIMapping, "API mapping", mappings},
		{inventory.KindVPCLink, "VPC link", len(inv.VPCLinks)}} {
		if inv.Has(c.kind) {
			parts = append(parts, plural(c.n, c.noun))
		}
	}
	return strings.Join(parts, ", ")
}
