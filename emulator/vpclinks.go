package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// vpcLink is the stored and the wire form of a VPC link (V2): an
// account's, per region. API Gateway creates it PENDING and makes it
// AVAILABLE within minutes; the emulator makes it AVAILABLE at once, which
// is what the provider waits for.
type vpcLink struct {
	CreatedDate          string            `json:"createdDate"`
	Name                 string            `json:"name"`
	SecurityGroupIDs     []string          `json:"securityGroupIds"`
	SubnetIDs            []string          `json:"subnetIds"`
	Tags                 map[string]string `json:"tags,omitempty"`
	VpcLinkID            string            `json:"vpcLinkId"`
	VpcLinkStatus        string            `json:"vpcLinkStatus"`
	VpcLinkStatusMessage string            `json:"vpcLinkStatusMessage"`
	VpcLinkVersion       string            `json:"vpcLinkVersion"`
}

// VPCLinkSeed is a VPC link in a seed file: CreateVpcLink's body with an
// optional id (generated when empty) and creation date.
type VPCLinkSeed struct {
	ID               string            `json:"-" yaml:"id,omitempty"`
	Name             string            `json:"name" yaml:"name"`
	SecurityGroupIDs []string          `json:"securityGroupIds" yaml:"securityGroupIds,omitempty"`
	SubnetIDs        []string          `json:"subnetIds" yaml:"subnetIds"`
	Tags             map[string]string `json:"tags" yaml:"tags,omitempty"`
	CreatedDate      time.Time         `json:"-" yaml:"createdDate,omitempty"`
}

func vpcLinkOperations() []operation {
	coll := []string{"v2", "vpclinks"}
	item := []string{"v2", "vpclinks", "{}"}
	return []operation{
		{"GET", coll, "GetVpcLinks", false, listKeyed(func(st *regionStore) *keyed[vpcLink] { return &st.vpcLinks }, "vpclinks")},
		{"POST", coll, "CreateVpcLink", true, (*Server).createVpcLink},
		{"GET", item, "GetVpcLink", false, getKeyed((*regionStore).vpcLink)},
		{"PATCH", item, "UpdateVpcLink", true, (*Server).updateVpcLink},
		{"DELETE", item, "DeleteVpcLink", true, (*Server).deleteVpcLink},
	}
}

// newVpcLink validates a CreateVpcLink body.
func newVpcLink(in *VPCLinkSeed, id string, now time.Time) (*vpcLink, *apiError) {
	if err := checkLen("name", in.Name, 1, 128); err != nil {
		return nil, err
	}
	if len(in.SubnetIDs) == 0 {
		return nil, badRequest("Missing required member subnetIds")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &vpcLink{
		CreatedDate: fmtTime(now), Name: in.Name, VpcLinkID: id,
		SecurityGroupIDs: nonNil(slices.Clone(in.SecurityGroupIDs)), SubnetIDs: slices.Clone(in.SubnetIDs),
		Tags: nonEmptyMap(in.Tags), VpcLinkStatus: "AVAILABLE", VpcLinkStatusMessage: "VPC link is ready to route traffic",
		VpcLinkVersion: "V2",
	}, nil
}

// vpcLinkARN is the ARN the tagging operations take for a VPC link.
func vpcLinkARN(region, id string) string {
	return "arn:" + partition(region) + ":apigateway:" + region + "::/vpclinks/" + id
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (st *regionStore) vpcLink(id string) (*vpcLink, *apiError) {
	if l := st.vpcLinks.get(id); l != nil {
		return l, nil
	}
	return nil, notFound("VpcLink", "Invalid VPC link identifier specified %s", id)
}

func (s *Server) createVpcLink(c *call) (response, *apiError) {
	var in VPCLinkSeed
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	l, err := newVpcLink(&in, s.uniqueVpcLinkID(c.st), c.now)
	if err != nil {
		return response{}, err
	}
	c.st.vpcLinks.put(l.VpcLinkID, l)
	return okJSON(http.StatusCreated, l)
}

// updateVpcLink changes the name, the only member UpdateVpcLink takes.
func (s *Server) updateVpcLink(c *call) (response, *apiError) {
	var in struct {
		Name *string `json:"name"`
	}
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	l, err := c.st.vpcLink(c.labels[0])
	if err != nil {
		return response{}, err
	}
	if in.Name != nil {
		if err := checkLen("name", *in.Name, 1, 128); err != nil {
			return response{}, err
		}
		next := *l
		next.Name = *in.Name
		c.st.vpcLinks.put(l.VpcLinkID, &next)
		l = &next
	}
	return okJSON(http.StatusOK, l)
}

// deleteVpcLink refuses while an integration of the region uses the link,
// so that an import never meets an integration whose link is gone.
func (s *Server) deleteVpcLink(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	l, err := c.st.vpcLink(c.labels[0])
	if err != nil {
		return response{}, err
	}
	for _, id := range c.st.ids {
		for _, x := range c.st.apis[id].integrations {
			if x.ConnectionType == "VPC_LINK" && x.ConnectionID == l.VpcLinkID {
				return response{}, conflict("VpcLink %s is used by integration %s of api %s; change the integration first", l.VpcLinkID, x.IntegrationID, id)
			}
		}
	}
	c.st.vpcLinks.remove(l.VpcLinkID)
	return response{status: http.StatusAccepted, body: []byte("{}")}, nil
}

// uniqueVpcLinkID is a new VPC link id: API Gateway's are six characters.
func (s *Server) uniqueVpcLinkID(st *regionStore) string {
	for {
		if id := s.newID(6); st.vpcLinks.get(id) == nil {
			return id
		}
	}
}

// buildVpcLinks adds a seed region's VPC links with CreateVpcLink's checks.
func (s *Server) buildVpcLinks(st *regionStore, in []VPCLinkSeed) error {
	for i := range in {
		id := in[i].ID
		switch {
		case id == "":
			id = s.uniqueVpcLinkID(st)
		case !idRE.MatchString(id):
			return fmt.Errorf("vpc link id %q must be lowercase letters and digits", id)
		case st.vpcLinks.get(id) != nil:
			return fmt.Errorf("vpc link id %q is used twice in %s", id, st.region)
		}
		created := in[i].CreatedDate
		if created.IsZero() {
			created = defaultSeedTime
		}
		l, err := newVpcLink(&in[i], id, created.UTC())
		if err != nil {
			return fmt.Errorf("vpc link %q: %s", in[i].Name, err.message)
		}
		st.vpcLinks.put(id, l)
	}
	return nil
}
