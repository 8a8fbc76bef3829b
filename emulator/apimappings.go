package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// apiMapping is the stored and the wire form of an API mapping: a path of
// a custom domain name (its key, "" for the root) sent to an API's stage.
type apiMapping struct {
	APIID         string `json:"apiId"`
	APIMappingID  string `json:"apiMappingId"`
	APIMappingKey string `json:"apiMappingKey,omitempty"`
	Stage         string `json:"stage"`
}

// APIMappingInput is the body of CreateApiMapping and UpdateApiMapping,
// and an API mapping in a seed file (with ID).
type APIMappingInput struct {
	ID            string  `json:"-" yaml:"id,omitempty"`
	APIID         *string `json:"apiId" yaml:"apiId"`
	APIMappingKey *string `json:"apiMappingKey" yaml:"apiMappingKey,omitempty"`
	Stage         *string `json:"stage" yaml:"stage"`
}

func apiMappingOperations() []operation {
	coll := []string{"v2", "domainnames", "{}", "apimappings"}
	item := []string{"v2", "domainnames", "{}", "apimappings", "{}"}
	return []operation{
		{"GET", coll, "GetApiMappings", false, (*Server).getAPIMappings},
		{"POST", coll, "CreateApiMapping", true, (*Server).createAPIMapping},
		{"GET", item, "GetApiMapping", false, (*Server).getAPIMapping},
		{"PATCH", item, "UpdateApiMapping", true, (*Server).updateAPIMapping},
		{"DELETE", item, "DeleteApiMapping", true, (*Server).deleteAPIMapping},
	}
}

// applyMapping validates in against the region's APIs and the domain's
// other mappings and applies it to x, the mapping at index self (-1 on
// create). The API and stage must exist; keys are unique per domain; a
// domain's mappings all go to APIs of one protocol, and a WebSocket API's
// key has one level.
func applyMapping(st *regionStore, d *domainName, x *apiMapping, self int, in *APIMappingInput, create bool) *apiError {
	next := *x
	if in.APIID == nil {
		return badRequest("Missing required member apiId")
	}
	if create && in.Stage == nil {
		return badRequest("Missing required member stage")
	}
	next.APIID = *in.APIID
	setStr(&next.Stage, in.Stage)
	setStr(&next.APIMappingKey, in.APIMappingKey)
	a, err := st.api(next.APIID)
	if err != nil {
		return badRequest("Invalid API identifier specified %s", next.APIID)
	}
	if a.stage(next.Stage) == nil {
		return badRequest("Invalid stage identifier specified %s", next.Stage)
	}
	key := next.APIMappingKey
	if err := checkLen("apiMappingKey", key, 0, 1024); err != nil {
		return err
	}
	if strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") || strings.Contains(key, "//") {
		return badRequest("Invalid apiMappingKey %q: path segments are separated by single slashes, without a leading or trailing one", key)
	}
	if a.protocol == protoWebSocket && strings.Contains(key, "/") {
		return badRequest("Invalid apiMappingKey %q: WebSocket APIs take single-level mappings", key)
	}
	for i, o := range d.mappings {
		if i == self {
			continue
		}
		if o.APIMappingKey == key {
			return conflict("ApiMapping with key %q already exists for domain name %s", key, d.DomainName)
		}
		if other, _ := st.api(o.APIID); other != nil && (other.protocol == protoWebSocket) != (a.protocol == protoWebSocket) {
			return badRequest("Domain name %s maps %s APIs; a WebSocket API and an HTTP API cannot share a domain name", d.DomainName, other.protocol)
		}
	}
	*x = next
	return nil
}

func (st *regionStore) mapping(c *call) (*domainName, int, *apiError) {
	d, err := st.domain(c.labels[0])
	if err != nil {
		return nil, -1, err
	}
	i := slices.IndexFunc(d.mappings, func(m apiMapping) bool { return m.APIMappingID == c.labels[1] })
	if i < 0 {
		return nil, -1, notFound("ApiMapping", "Invalid API mapping identifier specified %s", c.labels[1])
	}
	return d, i, nil
}

func (s *Server) getAPIMappings(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	d, err := c.st.domain(c.labels[0])
	if err != nil {
		return response{}, err
	}
	return listInOrder(c, d.mappings, "apimappings", func(m apiMapping) apiMapping { return m })
}

func (s *Server) getAPIMapping(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	d, i, err := c.st.mapping(c)
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, d.mappings[i])
}

func (s *Server) createAPIMapping(c *call) (response, *apiError) {
	var in APIMappingInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d, err := c.st.domain(c.labels[0])
	if err != nil {
		return response{}, err
	}
	x := apiMapping{APIMappingID: s.uniqueMappingID(d)}
	if err := applyMapping(c.st, d, &x, -1, &in, true); err != nil {
		return response{}, err
	}
	next := *d
	next.mappings = append(slices.Clone(d.mappings), x)
	c.st.domains.put(d.DomainName, &next)
	return okJSON(http.StatusCreated, x)
}

func (s *Server) updateAPIMapping(c *call) (response, *apiError) {
	var in APIMappingInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d, i, err := c.st.mapping(c)
	if err != nil {
		return response{}, err
	}
	x := d.mappings[i]
	if err := applyMapping(c.st, d, &x, i, &in, false); err != nil {
		return response{}, err
	}
	next := *d
	next.mappings = slices.Clone(d.mappings)
	next.mappings[i] = x
	c.st.domains.put(d.DomainName, &next)
	return okJSON(http.StatusOK, x)
}

func (s *Server) deleteAPIMapping(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	d, i, err := c.st.mapping(c)
	if err != nil {
		return response{}, err
	}
	next := *d
	next.mappings = slices.Delete(slices.Clone(d.mappings), i, i+1)
	c.st.domains.put(d.DomainName, &next)
	return noContent, nil
}

// uniqueMappingID is a new API mapping id: API Gateway's are six
// characters, unique within the domain name.
func (s *Server) uniqueMappingID(d *domainName) string {
	for {
		id := s.newID(6)
		if !slices.ContainsFunc(d.mappings, func(m apiMapping) bool { return m.APIMappingID == id }) {
			return id
		}
	}
}
