package audit

import (
	"github.com/apigw2tf/apigw2tf/inventory"
)

// An account's domain names, API mappings and VPC links: their resource
// types, import ids and live values in the shape the provider stores them.

// Resource types of the account-level resources.
const (
	TypeDomainName = inventory.TypeDomainName
	TypeAPIMapping = inventory.TypeAPIMapping
	TypeVPCLink    = inventory.TypeVPCLink
)

func isAccountType(t string) bool {
	return t == TypeDomainName || t == TypeAPIMapping || t == TypeVPCLink
}

// indexAccountLevel adds the account-level resources to the live index.
func (ix *liveIndex) indexAccountLevel(inv *inventory.Inventory) {
	for _, d := range inv.DomainNames {
		k := liveKey{TypeDomainName, d.Region, d.DomainName}
		ix.values[k] = domainNameValues(d)
		ix.names[k] = d.DomainName
		for _, m := range d.APIMappings {
			k := liveKey{TypeAPIMapping, d.Region, inventory.APIMappingImportID(m.ID, d.DomainName)}
			ix.values[k] = map[string]any{"api_id": m.APIID, "api_mapping_key": m.Key, "domain_name": d.DomainName, "stage": m.Stage}
			ix.names[k] = d.DomainName + "/" + m.Key
		}
	}
	for _, l := range inv.VPCLinks {
		k := liveKey{TypeVPCLink, l.Region, l.ID}
		ix.values[k] = map[string]any{
			"name":               l.Name,
			"security_group_ids": stringList(l.SecurityGroupIDs),
			"subnet_ids":         stringList(l.SubnetIDs),
			"tags":               stringMap(l.Tags),
			"tags_all":           stringMap(l.Tags),
		}
		ix.names[k] = l.Name
	}
}

func domainNameValues(d inventory.DomainName) map[string]any {
	v := map[string]any{
		"domain_name": d.DomainName,
		"domain_name_configuration": []any{map[string]any{
			"certificate_arn":                        d.CertificateARN,
			"endpoint_type":                          d.EndpointType,
			"security_policy":                        d.SecurityPolicy,
			"ip_address_type":                        d.IPAddressType,
			"ownership_verification_certificate_arn": d.OwnershipVerificationCertificateARN,
			"hosted_zone_id":                         d.HostedZoneID,
			"target_domain_name":                     d.TargetDomainName,
		}},
		"mutual_tls_authentication": []any{},
		"tags":                      stringMap(d.Tags),
		"tags_all":                  stringMap(d.Tags),
	}
	if d.TruststoreURI != "" {
		v["mutual_tls_authentication"] = []any{map[string]any{"truststore_uri": d.TruststoreURI, "truststore_version": d.TruststoreVersion}}
	}
	return v
}
