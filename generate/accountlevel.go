package generate

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// An account's domain names, API mappings and VPC links: their names,
// blocks and references (a mapping's api_id, stage and domain_name, an
// integration's connection_id). They belong to no API, so every layout
// puts them where a region's shared blocks go: the output file (single
// and per-api layouts) or the region's file (per-region); a mapping
// follows its domain name.

const (
	typeDomainName = inventory.TypeDomainName
	typeAPIMapping = inventory.TypeAPIMapping
	typeVPCLink    = inventory.TypeVPCLink
)

func domainKey(d *inventory.DomainName) key { return key{typeDomainName, d.DomainName} }

func mappingKey(d *inventory.DomainName, m *inventory.APIMapping) key {
	return key{typeAPIMapping, inventory.APIMappingImportID(m.ID, d.DomainName)}
}

func vpcLinkKey(l *inventory.VPCLink) key { return key{typeVPCLink, l.ID} }

// checkAccountLevel refuses what one address per import id cannot hold:
// a domain name (its import id) in two regions, as latency-routed custom
// domains are, or a VPC link id in two.
func (g *gen) checkAccountLevel() error {
	seen := map[key]string{}
	check := func(what string, k key, region string) error {
		if r, ok := seen[k]; ok {
			return fmt.Errorf("%s %s is in both %s and %s, and its import id names no region; generate each region into its own directory (discover --region)", what, k.id, r, region)
		}
		seen[k] = region
		return nil
	}
	for i := range g.inv.DomainNames {
		if err := check("domain name", domainKey(&g.inv.DomainNames[i]), g.inv.DomainNames[i].Region); err != nil {
			return err
		}
	}
	for i := range g.inv.VPCLinks {
		if err := check("vpc link", vpcLinkKey(&g.inv.VPCLinks[i]), g.inv.VPCLinks[i].Region); err != nil {
			return err
		}
	}
	return nil
}

// assignAccountNames names VPC links after their names, domain names
// after the domain, and mappings after their domain and key ("root" for
// the domain's root).
func (g *gen) assignAccountNames(n *namer) {
	var links, domains []candidate
	for i := range g.inv.VPCLinks {
		l := &g.inv.VPCLinks[i]
		k := vpcLinkKey(l)
		links = append(links, candidate{k: k, base: identifier(snake(l.Name), "vpc_link"), suffix: identifier(snake(l.ID), "id")})
	}
	for i := range g.inv.DomainNames {
		d := &g.inv.DomainNames[i]
		k := domainKey(d)
		domains = append(domains, candidate{k: k, base: identifier(snake(d.DomainName), "domain_name"), suffix: shortHash(k.id)})
	}
	for k, v := range n.assign(typeVPCLink, links) {
		g.names[k] = v
	}
	for k, v := range n.assign(typeDomainName, domains) {
		g.names[k] = v
	}
	var mappings []candidate
	for i := range g.inv.DomainNames {
		d := &g.inv.DomainNames[i]
		prefix := stageBase(g.names[domainKey(d)])
		for j := range d.APIMappings {
			m := &d.APIMappings[j]
			k := mappingKey(d, m)
			mappings = append(mappings, candidate{k: k, base: prefix + "_" + identifier(snake(m.Key), "root"), suffix: shortHash(k.id)})
		}
	}
	for k, v := range n.assign(typeAPIMapping, mappings) {
		g.names[k] = v
	}
}

// placeAccount decides one account-level resource: kept where something
// manages it, else written fresh. It returns the address it will have.
func (g *gen) placeAccount(k key, region string, sortKey [3]string, count *int, render func(name string, provider hcl.Traversal) []byte) string {
	file := g.fileFor(region, "")
	if addr, handled := g.existing(k, file, sortKey); handled {
		return addr
	}
	name, provider := g.names[k], g.provider(region)
	g.add(file, unit{sort: sortKey, render: func(u *unit) {
		u.imp = importBlock(k.typ, name, k.id, provider)
		u.res = render(name, provider)
	}})
	*count++
	return k.typ + "." + name
}

// buildVPCLinks places the VPC links before the APIs, whose integrations
// refer to them.
func (g *gen) buildVPCLinks() {
	g.vpcLinkRef = map[string]hcl.Traversal{}
	for i := range g.inv.VPCLinks {
		l := &g.inv.VPCLinks[i]
		k := vpcLinkKey(l)
		addr := typeVPCLink + "." + g.names[k]
		got := g.placeAccount(k, l.Region, [3]string{g.regionRank(l.Region), addr, "0"}, &g.res.VPCLinks, func(name string, provider hcl.Traversal) []byte {
			return vpcLinkBlock(l, name, provider)
		})
		g.vpcLinkRef[l.Region+"/"+l.ID] = refTraversal(got)
	}
}

// buildDomainNames places the domain names and their mappings after the
// APIs and stages the mappings refer to.
func (g *gen) buildDomainNames() {
	for i := range g.inv.DomainNames {
		d := &g.inv.DomainNames[i]
		k := domainKey(d)
		rank, domainAddr := g.regionRank(d.Region), typeDomainName+"."+g.names[k]
		got := g.placeAccount(k, d.Region, [3]string{rank, domainAddr, "0"}, &g.res.DomainNames, func(name string, provider hcl.Traversal) []byte {
			return domainNameBlock(d, name, provider)
		})
		domainRef := refTraversal(got)
		for j := range d.APIMappings {
			m := &d.APIMappings[j]
			mk := mappingKey(d, m)
			refs := mappingRefs{domain: domainRef, stage: refTraversal(g.stageRef[stageKey(m.APIID, m.Stage)])}
			if api, ok := g.apiRegion[m.APIID]; ok && api == d.Region {
				refs.api = g.apiIDExpr(m.APIID)
			} else {
				refs.stage = nil
			}
			g.placeAccount(mk, d.Region, [3]string{rank, domainAddr, "1" + g.names[mk]}, &g.res.APIMappings, func(name string, provider hcl.Traversal) []byte {
				return apiMappingBlock(d, m, name, refs, provider)
			})
		}
	}
}

func vpcLinkBlock(l *inventory.VPCLink, name string, provider hcl.Traversal) []byte {
	b := newBlock("resource", typeVPCLink, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	b.value("name", cty.StringVal(l.Name))
	b.value("subnet_ids", stringSet(l.SubnetIDs))
	b.value("security_group_ids", stringSet(l.SecurityGroupIDs))
	setMap(b, "tags", l.Tags)
	return b.bytes()
}

// stringSet is a required set, written even when empty.
func stringSet(s []string) cty.Value {
	if len(s) == 0 {
		return cty.SetValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(s))
	for i, v := range slices.Sorted(slices.Values(s)) {
		vals[i] = cty.StringVal(v)
	}
	return cty.SetVal(vals)
}

func domainNameBlock(d *inventory.DomainName, name string, provider hcl.Traversal) []byte {
	b := newBlock("resource", typeDomainName, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	b.value("domain_name", cty.StringVal(d.DomainName))
	cb := b.block("domain_name_configuration")
	cb.value("certificate_arn", cty.StringVal(d.CertificateARN))
	cb.value("endpoint_type", cty.StringVal(d.EndpointType))
	cb.value("security_policy", cty.StringVal(d.SecurityPolicy))
	// Optional and computed: left out they plan no change, so only a
	// value other than API Gateway's default is a decision to keep.
	if d.IPAddressType != "" && d.IPAddressType != defaultIPAddressType {
		cb.value("ip_address_type", cty.StringVal(d.IPAddressType))
	}
	setString(cb, "ownership_verification_certificate_arn", d.OwnershipVerificationCertificateARN)
	if d.TruststoreURI != "" {
		mb := b.block("mutual_tls_authentication")
		mb.value("truststore_uri", cty.StringVal(d.TruststoreURI))
		setString(mb, "truststore_version", d.TruststoreVersion)
	}
	setMap(b, "tags", d.Tags)
	return b.bytes()
}

// mappingRefs are the references a mapping may use; nil ones are written
// as literals.
type mappingRefs struct{ api, stage, domain hcl.Traversal }

func apiMappingBlock(d *inventory.DomainName, m *inventory.APIMapping, name string, refs mappingRefs, provider hcl.Traversal) []byte {
	b := newBlock("resource", typeAPIMapping, name)
	if provider != nil {
		b.traversal("provider", provider)
	}
	idRef(b, "api_id", refs.api, m.APIID)
	idRef(b, "domain_name", refs.domain, d.DomainName)
	idRef(b, "stage", refs.stage, m.Stage)
	setString(b, "api_mapping_key", m.Key)
	return b.bytes()
}

// accountKinds maps the account-level resource types to their kinds.
var accountKinds = map[string]string{typeDomainName: inventory.KindDomainName, typeAPIMapping: inventory.KindAPIMapping, typeVPCLink: inventory.KindVPCLink}

// accountTypes are the account-level types, for ownType.
var accountTypes = slices.Sorted(maps.Keys(accountKinds))
