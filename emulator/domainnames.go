package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Custom domain names: an account's, per region, each with its API
// mappings (apimappings.go).

const (
	endpointRegional = "REGIONAL"
	tls12            = "TLS_1_2"
	ipv4             = "ipv4"
)

// regionalZones are the hosted zones of API Gateway's regional endpoints,
// which a domain name's configuration reports (Route 53 alias targets).
var regionalZones = map[string]string{
	"us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE",
	"us-west-2": "Z2OJLYMUO9EFXC", "eu-west-1": "ZLY8HYME6SFDD", "eu-central-1": "Z1U9ULNL0V5AJ3",
	"ap-south-1": "Z3VO1THU9YC4UR", "ap-northeast-1": "Z1YSHQZHG15GKL",
}

// DomainNameConfiguration is a domain name's endpoint configuration, as on
// the wire (API Gateway fills in the status, zone and target) and in seeds.
type DomainNameConfiguration struct {
	APIGatewayDomainName                string `json:"apiGatewayDomainName,omitempty" yaml:"-"`
	CertificateArn                      string `json:"certificateArn,omitempty" yaml:"certificateArn"`
	DomainNameStatus                    string `json:"domainNameStatus,omitempty" yaml:"-"`
	EndpointType                        string `json:"endpointType,omitempty" yaml:"endpointType,omitempty"`
	HostedZoneID                        string `json:"hostedZoneId,omitempty" yaml:"-"`
	IPAddressType                       string `json:"ipAddressType,omitempty" yaml:"ipAddressType,omitempty"`
	SecurityPolicy                      string `json:"securityPolicy,omitempty" yaml:"securityPolicy,omitempty"`
	OwnershipVerificationCertificateArn string `json:"ownershipVerificationCertificateArn,omitempty" yaml:"ownershipVerificationCertificateArn,omitempty"`
}

// MutualTLS is a domain name's mutual TLS authentication.
type MutualTLS struct {
	TruststoreURI     string `json:"truststoreUri,omitempty" yaml:"truststoreUri"`
	TruststoreVersion string `json:"truststoreVersion,omitempty" yaml:"truststoreVersion,omitempty"`
}

// domainName is the stored and the wire form of a custom domain name; its
// API mappings are stored with it, in creation order.
type domainName struct {
	APIMappingSelectionExpression string                    `json:"apiMappingSelectionExpression"`
	DomainName                    string                    `json:"domainName"`
	DomainNameArn                 string                    `json:"domainNameArn"`
	DomainNameConfigurations      []DomainNameConfiguration `json:"domainNameConfigurations"`
	MutualTLSAuthentication       *MutualTLS                `json:"mutualTlsAuthentication,omitempty"`
	RoutingMode                   string                    `json:"routingMode"`
	Tags                          map[string]string         `json:"tags,omitempty"`
	mappings                      []apiMapping
}

// DomainNameInput is the body of CreateDomainName and UpdateDomainName,
// and a domain name in a seed file (with its API mappings).
type DomainNameInput struct {
	DomainName               *string                   `json:"domainName" yaml:"domainName"`
	DomainNameConfigurations []DomainNameConfiguration `json:"domainNameConfigurations" yaml:"domainNameConfigurations,omitempty"`
	MutualTLSAuthentication  *MutualTLS                `json:"mutualTlsAuthentication" yaml:"mutualTlsAuthentication,omitempty"`
	Tags                     map[string]string         `json:"tags" yaml:"tags,omitempty"`
	APIMappings              []APIMappingInput         `json:"-" yaml:"apiMappings,omitempty"`
}

func domainNameOperations() []operation {
	coll := []string{"v2", "domainnames"}
	item := []string{"v2", "domainnames", "{}"}
	return []operation{
		{"GET", coll, "GetDomainNames", false, listKeyed(func(st *regionStore) *keyed[domainName] { return &st.domains }, "domainnames")},
		{"POST", coll, "CreateDomainName", true, (*Server).createDomainName},
		{"GET", item, "GetDomainName", false, getKeyed((*regionStore).domain)},
		{"PATCH", item, "UpdateDomainName", true, (*Server).updateDomainName},
		{"DELETE", item, "DeleteDomainName", true, (*Server).deleteDomainName},
	}
}

func domainNameARN(region, name string) string {
	return "arn:" + partition(region) + ":apigateway:" + region + "::/domainnames/" + name
}

// applyDomainName validates in and applies it to d: one regional
// configuration with a certificate (the only kind API Gateway V2 takes),
// replaced whole on update; mutual TLS needs TLS 1.2, and a truststore URI
// of "" removes it.
func (s *Server) applyDomainName(st *regionStore, d *domainName, in *DomainNameInput, create bool) *apiError {
	next := *d
	if create {
		if in.DomainName == nil {
			return badRequest("Missing required member domainName")
		}
		if err := checkLen("domainName", *in.DomainName, 1, 512); err != nil {
			return err
		}
		if strings.ContainsAny(*in.DomainName, "/ ") || !strings.Contains(*in.DomainName, ".") {
			return badRequest("Invalid domain name %q", *in.DomainName)
		}
		next.DomainName = strings.ToLower(*in.DomainName)
		next.DomainNameArn = domainNameARN(st.region, next.DomainName)
		next.APIMappingSelectionExpression = "$request.basepath"
		next.RoutingMode = "API_MAPPING_ONLY"
		if len(in.DomainNameConfigurations) == 0 {
			return badRequest("Missing required member domainNameConfigurations")
		}
		if err := checkTags(in.Tags); err != nil {
			return err
		}
		next.Tags = nonEmptyMap(in.Tags)
	}
	if in.DomainNameConfigurations != nil {
		if len(in.DomainNameConfigurations) != 1 {
			return badRequest("Exactly one domain name configuration is supported")
		}
		cfg := in.DomainNameConfigurations[0]
		if cfg.CertificateArn == "" {
			return badRequest("certificateArn is required in a domain name configuration")
		}
		if !strings.HasPrefix(cfg.CertificateArn, "arn:") {
			return badRequest("Invalid certificate ARN %q", cfg.CertificateArn)
		}
		if cfg.EndpointType == "" {
			cfg.EndpointType = endpointRegional
		}
		if cfg.EndpointType != endpointRegional {
			return badRequest("Invalid endpointType %q: API Gateway V2 domain names are REGIONAL", cfg.EndpointType)
		}
		if cfg.SecurityPolicy == "" {
			cfg.SecurityPolicy = tls12
		}
		if cfg.SecurityPolicy != tls12 && cfg.SecurityPolicy != "TLS_1_0" {
			return badRequest("Invalid securityPolicy %q: must be TLS_1_0 or TLS_1_2.", cfg.SecurityPolicy)
		}
		if cfg.IPAddressType == "" {
			cfg.IPAddressType = ipv4
		}
		if cfg.IPAddressType != ipv4 && cfg.IPAddressType != "dualstack" {
			return badRequest("Invalid ipAddressType %q: must be ipv4 or dualstack.", cfg.IPAddressType)
		}
		cfg.DomainNameStatus = "AVAILABLE"
		cfg.HostedZoneID = regionalZones[st.region]
		if cfg.HostedZoneID == "" {
			cfg.HostedZoneID = "Z" + strings.ToUpper(shortID(st.region+next.DomainName))
		}
		cfg.APIGatewayDomainName = "d-" + shortID(next.DomainName) + ".execute-api." + st.region + "." + dnsSuffix(st.region)
		next.DomainNameConfigurations = []DomainNameConfiguration{cfg}
	}
	if m := in.MutualTLSAuthentication; m != nil {
		switch {
		case m.TruststoreURI == "":
			next.MutualTLSAuthentication = nil
		case !strings.HasPrefix(m.TruststoreURI, "s3://"):
			return badRequest("Invalid truststoreUri %q: must be an s3:// URI", m.TruststoreURI)
		default:
			cp := *m
			next.MutualTLSAuthentication = &cp
		}
	}
	if next.MutualTLSAuthentication != nil && next.DomainNameConfigurations[0].SecurityPolicy != tls12 {
		return badRequest("Mutual TLS authentication requires the TLS_1_2 security policy")
	}
	*d = next
	return nil
}

// shortID is a stable ten-character id derived from s, for the generated
// parts of a domain name's configuration.
func shortID(s string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	b := make([]byte, 10)
	for i := range b {
		b[i] = idAlphabet[h%uint64(len(idAlphabet))]
		h /= uint64(len(idAlphabet))
	}
	return string(b)
}

func (st *regionStore) domain(name string) (*domainName, *apiError) {
	if d := st.domains.get(strings.ToLower(name)); d != nil {
		return d, nil
	}
	return nil, notFound("DomainName", "Invalid domain name identifier specified %s", name)
}

func (s *Server) createDomainName(c *call) (response, *apiError) {
	var in DomainNameInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d := &domainName{}
	if err := s.applyDomainName(c.st, d, &in, true); err != nil {
		return response{}, err
	}
	if c.st.domains.get(d.DomainName) != nil {
		return response{}, conflict("The domain name you provided already exists.")
	}
	c.st.domains.put(d.DomainName, d)
	return okJSON(http.StatusCreated, d)
}

func (s *Server) updateDomainName(c *call) (response, *apiError) {
	var in DomainNameInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d, err := c.st.domain(c.labels[0])
	if err != nil {
		return response{}, err
	}
	next := *d
	if err := s.applyDomainName(c.st, &next, &in, false); err != nil {
		return response{}, err
	}
	c.st.domains.put(next.DomainName, &next)
	return okJSON(http.StatusOK, &next)
}

// deleteDomainName deletes the domain name with its API mappings, as API
// Gateway does.
func (s *Server) deleteDomainName(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d, err := c.st.domain(c.labels[0])
	if err != nil {
		return response{}, err
	}
	c.st.domains.remove(d.DomainName)
	return noContent, nil
}

// buildDomainNames adds a seed region's domain names and their mappings
// with the checks of their Create operations, after the region's APIs.
func (s *Server) buildDomainNames(st *regionStore, in []DomainNameInput) error {
	for i := range in {
		d := &domainName{}
		if err := s.applyDomainName(st, d, &in[i], true); err != nil {
			return fmt.Errorf("domain name %q: %s", derefOr(in[i].DomainName), err.message)
		}
		if st.domains.get(d.DomainName) != nil {
			return fmt.Errorf("domain name %q is listed twice in %s", d.DomainName, st.region)
		}
		for j := range in[i].APIMappings {
			m := &in[i].APIMappings[j]
			id := m.ID
			switch {
			case id == "":
				id = s.uniqueMappingID(d)
			case !idRE.MatchString(id):
				return fmt.Errorf("domain name %q: api mapping id %q must be lowercase letters and digits", d.DomainName, id)
			case slices.ContainsFunc(d.mappings, func(x apiMapping) bool { return x.APIMappingID == id }):
				return fmt.Errorf("domain name %q: api mapping id %q is used twice", d.DomainName, id)
			}
			x := apiMapping{APIMappingID: id}
			if err := applyMapping(st, d, &x, -1, m, true); err != nil {
				return fmt.Errorf("domain name %q: api mapping %s: %s", d.DomainName, id, err.message)
			}
			d.mappings = append(d.mappings, x)
		}
		st.domains.put(d.DomainName, d)
	}
	return nil
}

func derefOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
