package inventory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apigw2tf/apigw2tf/internal/regions"
)

// An account's resources that belong to no one API: custom domain names
// with their API mappings, and VPC links. Each lives in one region.

// Kinds of the account-level resource types.
const (
	KindVPCLink    = "vpc_link"
	KindDomainName = "domain_name"
	KindAPIMapping = "api_mapping"
)

// DomainName is one custom domain name with its API mappings (when
// api_mapping was discovered). Its import id is the domain name.
type DomainName struct {
	Region     string `json:"region"`
	DomainName string `json:"domain_name"`
	// The endpoint configuration: API Gateway V2 domain names have one.
	CertificateARN                      string `json:"certificate_arn"`
	EndpointType                        string `json:"endpoint_type"`
	SecurityPolicy                      string `json:"security_policy"`
	IPAddressType                       string `json:"ip_address_type,omitempty"`
	OwnershipVerificationCertificateARN string `json:"ownership_verification_certificate_arn,omitempty"`
	// HostedZoneID and TargetDomainName are what API Gateway assigned:
	// the alias target DNS records point at.
	HostedZoneID      string            `json:"hosted_zone_id,omitempty"`
	TargetDomainName  string            `json:"target_domain_name,omitempty"`
	TruststoreURI     string            `json:"truststore_uri,omitempty"`
	TruststoreVersion string            `json:"truststore_version,omitempty"`
	Tags              map[string]string `json:"tags,omitempty"`
	APIMappings       []APIMapping      `json:"api_mappings,omitempty"`
}

// APIMapping maps a path of its domain name (Key, "" for the root) to an
// API's stage.
type APIMapping struct {
	ID    string `json:"id"`
	APIID string `json:"api_id"`
	Stage string `json:"stage"`
	Key   string `json:"api_mapping_key,omitempty"`
}

// APIMappingImportID is the `terraform import` id of an API mapping:
// mapping-id/domain-name.
func APIMappingImportID(id, domain string) string { return id + "/" + domain }

// VPCLink is one VPC link (V2). Its import id is its id.
type VPCLink struct {
	Region           string            `json:"region"`
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	SecurityGroupIDs []string          `json:"security_group_ids,omitempty"`
	SubnetIDs        []string          `json:"subnet_ids"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// normalizeAccountLevel sorts the account-level resources by region and
// key, and their lists, so equal inventories encode to equal bytes.
func (inv *Inventory) normalizeAccountLevel() {
	slices.SortFunc(inv.DomainNames, func(a, b DomainName) int { return cmpJoin(a.Region, b.Region, a.DomainName, b.DomainName) })
	for i := range inv.DomainNames {
		slices.SortFunc(inv.DomainNames[i].APIMappings, func(x, y APIMapping) int { return strings.Compare(x.ID, y.ID) })
	}
	slices.SortFunc(inv.VPCLinks, func(a, b VPCLink) int { return cmpJoin(a.Region, b.Region, a.ID, b.ID) })
	for i := range inv.VPCLinks {
		slices.Sort(inv.VPCLinks[i].SecurityGroupIDs)
		slices.Sort(inv.VPCLinks[i].SubnetIDs)
	}
}

// validateAccountLevel reports what would become two resource blocks for
// one live resource, or a block in no region.
func (inv *Inventory) validateAccountLevel() error {
	seen := map[string]bool{}
	for _, d := range inv.DomainNames {
		if !regions.Valid(d.Region) {
			return fmt.Errorf("domain name %s has region %q, which is not an AWS region; fix the file or re-run discover", d.DomainName, d.Region)
		}
		if d.DomainName == "" || seen[d.Region+"/"+d.DomainName] {
			return fmt.Errorf("domain name %q in %s is empty or listed twice; fix the file or re-run discover", d.DomainName, d.Region)
		}
		seen[d.Region+"/"+d.DomainName] = true
		ids := map[string]bool{}
		for _, m := range d.APIMappings {
			if m.ID == "" || ids[m.ID] {
				return fmt.Errorf("api mapping %q of domain name %s in %s is empty or listed twice; fix the file or re-run discover", m.ID, d.DomainName, d.Region)
			}
			ids[m.ID] = true
		}
	}
	for _, l := range inv.VPCLinks {
		if !regions.Valid(l.Region) {
			return fmt.Errorf("vpc link %s has region %q, which is not an AWS region; fix the file or re-run discover", l.ID, l.Region)
		}
		if l.ID == "" || seen[l.Region+"/vpc/"+l.ID] {
			return fmt.Errorf("vpc link %q in %s is empty or listed twice; fix the file or re-run discover", l.ID, l.Region)
		}
		seen[l.Region+"/vpc/"+l.ID] = true
	}
	return nil
}
