package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// call is one decoded request, routed to a region store.
type call struct {
	st     *regionStore
	labels []string // decoded path labels, in pattern order
	query  url.Values
	body   []byte
	now    time.Time
}

func (c *call) decode(v any) *apiError {
	if len(c.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return badRequest("Invalid request body: %v", err)
	}
	return nil
}

type handler func(s *Server, c *call) (response, *apiError)

type operation struct {
	method   string
	pattern  []string // "{}" is a label; a trailing "*" takes the rest of the path
	name     string
	mutating bool
	h        handler
}

var operations = append([]operation{
	{"GET", []string{"v2", "apis"}, "GetApis", false, (*Server).getApis},
	{"POST", []string{"v2", "apis"}, "CreateApi", true, (*Server).createAPI},
	{"GET", []string{"v2", "apis", "{}"}, "GetApi", false, (*Server).getAPI},
	{"PATCH", []string{"v2", "apis", "{}"}, "UpdateApi", true, (*Server).updateAPI},
	{"DELETE", []string{"v2", "apis", "{}"}, "DeleteApi", true, (*Server).deleteAPI},
	{"DELETE", []string{"v2", "apis", "{}", "cors"}, "DeleteCorsConfiguration", true, (*Server).deleteCors},
	{"GET", []string{"v2", "apis", "{}", "stages"}, "GetStages", false, (*Server).getStages},
	{"POST", []string{"v2", "apis", "{}", "stages"}, "CreateStage", true, (*Server).createStage},
	{"GET", []string{"v2", "apis", "{}", "stages", "{}"}, "GetStage", false, (*Server).getStage},
	{"PATCH", []string{"v2", "apis", "{}", "stages", "{}"}, "UpdateStage", true, (*Server).updateStage},
	{"DELETE", []string{"v2", "apis", "{}", "stages", "{}"}, "DeleteStage", true, (*Server).deleteStage},
	{"DELETE", []string{"v2", "apis", "{}", "stages", "{}", "accesslogsettings"}, "DeleteAccessLogSettings", true, (*Server).deleteAccessLog},
	{"DELETE", []string{"v2", "apis", "{}", "stages", "{}", "routesettings", "{}"}, "DeleteRouteSettings", true, (*Server).deleteRouteSettings},
	{"GET", []string{"v2", "apis", "{}", "deployments"}, "GetDeployments", false, (*Server).getDeployments},
	{"POST", []string{"v2", "apis", "{}", "deployments"}, "CreateDeployment", true, (*Server).createDeployment},
	{"GET", []string{"v2", "tags", "*"}, "GetTags", false, (*Server).getTags},
	{"POST", []string{"v2", "tags", "*"}, "TagResource", true, (*Server).tagResource},
	{"DELETE", []string{"v2", "tags", "*"}, "UntagResource", true, (*Server).untagResource},
}, slices.Concat(
	childOperations("routes", "Route", "Routes", routes.handlers()),
	childOperations("integrations", "Integration", "Integrations", integrations.handlers()),
	childOperations("authorizers", "Authorizer", "Authorizers", authorizers.handlers()),
	childOperations("models", "Model", "Models", models.handlers()),
	childOperations("routes/{}/routeresponses", "RouteResponse", "RouteResponses", routeResponses.handlers()),
	childOperations("integrations/{}/integrationresponses", "IntegrationResponse", "IntegrationResponses", integrationResponses.handlers()),
	domainNameOperations(), apiMappingOperations(), vpcLinkOperations(),
)...)

// childOperations are the list, create, get, update and delete operations
// of one kind of an API's children (or a route's or an integration's)
// under /v2/apis/{apiId}/<path>.
func childOperations(path, one, many string, h [5]handler) []operation {
	coll := append([]string{"v2", "apis", "{}"}, strings.Split(path, "/")...)
	item := append(slices.Clone(coll), "{}")
	return []operation{
		{"GET", coll, "Get" + many, false, h[0]},
		{"POST", coll, "Create" + one, true, h[1]},
		{"GET", item, "Get" + one, false, h[2]},
		{"PATCH", item, "Update" + one, true, h[3]},
		{"DELETE", item, "Delete" + one, true, h[4]},
	}
}

// operationNames lists every operation the emulator serves, for validating
// per-operation fault settings.
func operationNames() []string {
	names := []string{"GetCallerIdentity"}
	for _, op := range operations {
		names = append(names, op.name)
	}
	return names
}

// match finds the operation for a request. Segments are split on the escaped
// path and decoded one by one, so an encoded "/" (a resource ARN) or "$"
// stays inside its label.
func match(method, escapedPath string) (*operation, []string, bool) {
	raw := strings.Split(strings.Trim(escapedPath, "/"), "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		v, err := url.PathUnescape(r)
		if err != nil {
			return nil, nil, false
		}
		segs[i] = v
	}
	for i := range operations {
		op := &operations[i]
		if op.method != method {
			continue
		}
		if labels, ok := matchSegments(op.pattern, segs); ok {
			return op, labels, true
		}
	}
	return nil, nil, false
}

func matchSegments(pattern, segs []string) ([]string, bool) {
	var labels []string
	for i, p := range pattern {
		if p == "*" {
			if i >= len(segs) {
				return nil, false
			}
			return append(labels, strings.Join(segs[i:], "/")), true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch {
		case p == "{}":
			if segs[i] == "" {
				return nil, false
			}
			labels = append(labels, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return labels, len(segs) == len(pattern)
}

func (s *Server) getApis(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	lo, hi, next, err := page(c.st.ids, c.query, "apis")
	if err != nil {
		return response{}, err
	}
	out := listJSON[apiJSON]{Items: make([]apiJSON, 0, hi-lo), NextToken: next}
	for _, id := range c.st.ids[lo:hi] {
		out.Items = append(out.Items, c.st.apis[id].wire(c.st.region))
	}
	return okJSON(http.StatusOK, out)
}

func (s *Server) getAPI(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, a.wire(c.st.region))
}

func (s *Server) createAPI(c *call) (response, *apiError) {
	var in apiInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	a := &api{created: c.now}
	if err := applyAPI(a, &in, true); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a.id = s.uniqueID(func(id string) bool { return c.st.apis[id] != nil })
	if in.Target != nil {
		s.quickCreate(a, in.Target, in.RouteKey, c.now)
	}
	c.st.insert(a)
	return okJSON(http.StatusCreated, a.wire(c.st.region))
}

// quickCreate adds what API Gateway creates alongside a quick-create HTTP
// API, all of it managed: an integration with the target, a route to it
// and an auto-deploying $default stage.
func (s *Server) quickCreate(a *api, target, routeKey *string, now time.Time) {
	s.quickCreateRoute(a, target, routeKey)
	st := &stage{name: defaultStage, autoDeploy: true, managed: true, created: now, updated: now,
		defaultRS: &RouteSettings{DetailedMetricsEnabled: new(bool)}}
	autoDeploy(a, st, s.newID(6), now)
	a.stages = []*stage{st}
}

// quickCreateRoute adds quick create's managed integration and route. A
// Lambda ARN target becomes a Lambda proxy integration, a URL an HTTP proxy.
func (s *Server) quickCreateRoute(a *api, target, routeKey *string) {
	key := defaultStage
	if routeKey != nil {
		key = *routeKey
	}
	x := integration{APIGatewayManaged: true, IntegrationID: s.uniqueChildID(a), ConnectionType: "INTERNET",
		IntegrationType: integrationAWSProxy, IntegrationMethod: "POST", IntegrationURI: *target,
		PayloadFormatVersion: "2.0", TimeoutInMillis: 30000}
	if strings.HasPrefix(*target, "http://") || strings.HasPrefix(*target, "https://") {
		x.IntegrationType, x.IntegrationMethod, x.PayloadFormatVersion = integrationHTTPProxy, "ANY", "1.0"
	}
	a.integrations = append(a.integrations, x)
	a.routes = append(a.routes, route{APIGatewayManaged: true, AuthorizationType: authNone, RouteID: s.uniqueChildID(a),
		RouteKey: key, Target: "integrations/" + x.IntegrationID})
}

func (s *Server) updateAPI(c *call) (response, *apiError) {
	var in apiInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	if a.managed {
		return response{}, badRequest("API %s is managed by API Gateway; update it through the service that created it", a.id)
	}
	// applyAPI replaces members rather than mutating them, so a shallow
	// copy keeps a failed update from leaving a half-applied API.
	next := *a
	if err := applyAPI(&next, &in, false); err != nil {
		return response{}, err
	}
	if in.Target != nil || in.RouteKey != nil {
		routes, integrations, err := updateQuickCreate(a, in.Target, in.RouteKey)
		if err != nil {
			return response{}, err
		}
		next.routes, next.integrations = routes, integrations
	}
	*a = next
	return okJSON(http.StatusOK, a.wire(c.st.region))
}

// updateQuickCreate applies UpdateApi's target and routeKey, which change
// the route quick create made: the target may change, the $default route
// key may not.
func updateQuickCreate(a *api, target, routeKey *string) ([]route, []integration, *apiError) {
	i := slices.IndexFunc(a.routes, func(r route) bool { return r.APIGatewayManaged })
	if i < 0 {
		return nil, nil, badRequest("target and routeKey can only be updated on an API made by quick create")
	}
	rs := slices.Clone(a.routes)
	xs := slices.Clone(a.integrations)
	if target != nil {
		if err := checkLen("target", *target, 1, 2048); err != nil {
			return nil, nil, err
		}
		if j, err := integrations.index(a, strings.TrimPrefix(rs[i].Target, "integrations/")); err == nil {
			xs[j].IntegrationURI = *target
		}
	}
	if routeKey != nil && *routeKey != rs[i].RouteKey {
		if rs[i].RouteKey == defaultStage {
			return nil, nil, badRequest("The $default route key can't be modified")
		}
		if err := checkRouteKey(a.protocol, *routeKey); err != nil {
			return nil, nil, err
		}
		if a.hasRoute(*routeKey) {
			return nil, nil, conflict("Route with key %s already exists for this API", *routeKey)
		}
		rs[i].RouteKey = *routeKey
	}
	return rs, xs, nil
}

func (s *Server) deleteAPI(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	if a.managed {
		return response{}, badRequest("API %s is managed by API Gateway; delete it through the service that created it", a.id)
	}
	c.st.remove(c.labels[0])
	return noContent, nil
}

func (s *Server) deleteCors(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	a.cors = nil
	return noContent, nil
}

func (s *Server) getStages(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	names := make([]string, len(a.stages))
	for i, st := range a.stages {
		names[i] = st.name
	}
	lo, hi, next, err := page(names, c.query, "stages")
	if err != nil {
		return response{}, err
	}
	out := listJSON[stageJSON]{Items: make([]stageJSON, 0, hi-lo), NextToken: next}
	for _, st := range a.stages[lo:hi] {
		out.Items = append(out.Items, st.wire())
	}
	return okJSON(http.StatusOK, out)
}

func (s *Server) getStage(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	st, err := c.st.stage(a, c.labels[1])
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, st.wire())
}

func (s *Server) createStage(c *call) (response, *apiError) {
	var in stageInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	st, err := newStage(a, &in, c.now)
	if err != nil {
		return response{}, err
	}
	autoDeploy(a, st, s.uniqueDeploymentID(a), c.now)
	addStage(a, st)
	return okJSON(http.StatusCreated, st.wire())
}

// newStage validates a CreateStage request against a and builds the stage.
func newStage(a *api, in *stageInput, now time.Time) (*stage, *apiError) {
	if in.StageName == nil {
		return nil, badRequest("Missing required member stageName")
	}
	name := *in.StageName
	if err := checkLen("stage name", name, 1, 128); err != nil {
		return nil, err
	}
	if !stageNameRE.MatchString(name) && !(name == defaultStage && a.protocol == protoHTTP) {
		return nil, badRequest("Stage name %q is invalid: use alphanumerics, hyphens and underscores ($default only for HTTP APIs).", name)
	}
	if a.stage(name) != nil {
		return nil, conflict("Stage already exists")
	}
	st := &stage{name: name, created: now, updated: now}
	if err := applyStage(a, st, in, true); err != nil {
		return nil, err
	}
	return st, nil
}

// modifiable refuses changes to a stage quick create made: API Gateway
// manages it ("You can't modify the $default stage").
func modifiable(st *stage) *apiError {
	if st.managed {
		return badRequest("Stage %s is managed by API Gateway and can't be modified", st.name)
	}
	return nil
}

func addStage(a *api, st *stage) {
	i, _ := a.stageIndex(st.name)
	a.stages = slices.Insert(a.stages, i, st)
}

func (s *Server) updateStage(c *call) (response, *apiError) {
	var in stageInput
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	return s.modifyStage(c, func(a *api, st *stage) (response, *apiError) {
		if in.StageName != nil && *in.StageName != st.name {
			return response{}, badRequest("stageName cannot be changed")
		}
		if in.DeploymentID != nil && (st.autoDeploy && in.AutoDeploy == nil || in.AutoDeploy != nil && *in.AutoDeploy) {
			return response{}, badRequest("deploymentId can't be updated while autoDeploy is enabled")
		}
		next := st.clone()
		if err := applyStage(a, next, &in, false); err != nil {
			return response{}, err
		}
		next.updated = c.now
		if in.AutoDeploy != nil && *in.AutoDeploy && !st.autoDeploy {
			autoDeploy(a, next, s.uniqueDeploymentID(a), c.now)
		}
		*st = *next
		return okJSON(http.StatusOK, st.wire())
	})
}

func (s *Server) deleteStage(c *call) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	i, ok := a.stageIndex(c.labels[1])
	if !ok {
		return response{}, notFound("Stage", "Invalid stage identifier specified")
	}
	if err := modifiable(a.stages[i]); err != nil {
		return response{}, err
	}
	a.stages = slices.Delete(a.stages, i, i+1)
	return noContent, nil
}

func (s *Server) deleteAccessLog(c *call) (response, *apiError) {
	return s.mutateStage(c, func(st *stage) *apiError {
		st.accessLog = nil
		return nil
	})
}

func (s *Server) deleteRouteSettings(c *call) (response, *apiError) {
	key := c.labels[2]
	return s.mutateStage(c, func(st *stage) *apiError {
		if _, ok := st.routeSettings[key]; !ok {
			return notFound("RouteSettings", "Unable to find route settings for route key %s", key)
		}
		delete(st.routeSettings, key)
		if len(st.routeSettings) == 0 {
			st.routeSettings = nil
		}
		return nil
	})
}

// mutateStage changes the stage the path names and answers 204.
func (s *Server) mutateStage(c *call, f func(*stage) *apiError) (response, *apiError) {
	return s.modifyStage(c, func(_ *api, st *stage) (response, *apiError) {
		if err := f(st); err != nil {
			return response{}, err
		}
		st.updated = c.now
		return noContent, nil
	})
}

// modifyStage runs f on the stage the path names, under the store's write
// lock, once it is known to be a stage API Gateway lets users change.
func (s *Server) modifyStage(c *call, f func(*api, *stage) (response, *apiError)) (response, *apiError) {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	st, err := c.st.stage(a, c.labels[1])
	if err != nil {
		return response{}, err
	}
	if err := modifiable(st); err != nil {
		return response{}, err
	}
	return f(a, st)
}

func (s *Server) getDeployments(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	return listInOrder(c, a.deployments, "deployments", deployment.wire)
}

// listInOrder pages items kept in creation order (deployments, routes): the
// token is the position, rendered so that string order is numeric order.
func listInOrder[T, J any](c *call, items []T, kind string, wire func(T) J) (response, *apiError) {
	keys := make([]string, len(items))
	for i := range items {
		keys[i] = fmt.Sprintf("%012d", i)
	}
	lo, hi, next, err := page(keys, c.query, kind)
	if err != nil {
		return response{}, err
	}
	out := listJSON[J]{Items: make([]J, 0, hi-lo), NextToken: next}
	for _, it := range items[lo:hi] {
		out.Items = append(out.Items, wire(it))
	}
	return okJSON(http.StatusOK, out)
}

func (s *Server) createDeployment(c *call) (response, *apiError) {
	var in struct {
		Description *string `json:"description"`
		StageName   *string `json:"stageName"`
	}
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	a, err := c.st.api(c.labels[0])
	if err != nil {
		return response{}, err
	}
	var st *stage
	if in.StageName != nil {
		if st, err = c.st.stage(a, *in.StageName); err != nil {
			return response{}, err
		}
	}
	if len(a.routes) == 0 {
		return response{}, badRequest("Unable to deploy API because no routes exist in this API")
	}
	d := deployment{id: s.uniqueDeploymentID(a), created: c.now}
	if in.Description != nil {
		if err := checkLen("description", *in.Description, 0, 1024); err != nil {
			return response{}, err
		}
		d.description = *in.Description
	}
	a.deployments = append(a.deployments, d)
	if st != nil {
		st.deploymentID = d.id
		st.updated = c.now
	}
	return okJSON(http.StatusCreated, d.wire())
}

// tagged resolves a resource ARN to the tag map it names, in this store.
func (c *call) tagged() (*map[string]string, *apiError) {
	arn := c.labels[0]
	if name, ok := strings.CutPrefix(arn, domainNameARN(c.st.region, "")); ok {
		d, err := c.st.domain(name)
		if err != nil {
			return nil, err
		}
		return &d.Tags, nil
	}
	if id, ok := strings.CutPrefix(arn, vpcLinkARN(c.st.region, "")); ok {
		l, err := c.st.vpcLink(id)
		if err != nil {
			return nil, err
		}
		return &l.Tags, nil
	}
	rest, ok := strings.CutPrefix(arn, apiARN(c.st.region, ""))
	if !ok {
		return nil, badRequest("Invalid resource ARN %q for region %s", arn, c.st.region)
	}
	parts := strings.Split(rest, "/")
	a, err := c.st.api(parts[0])
	if err != nil {
		return nil, err
	}
	switch {
	case len(parts) == 1:
		return &a.tags, nil
	case len(parts) == 3 && parts[1] == "stages":
		st, err := c.st.stage(a, parts[2])
		if err != nil {
			return nil, err
		}
		return &st.tags, nil
	}
	return nil, notFound("Resource", "Invalid resource ARN specified %s", arn)
}

func (s *Server) getTags(c *call) (response, *apiError) {
	c.st.mu.RLock()
	defer c.st.mu.RUnlock()
	tags, err := c.tagged()
	if err != nil {
		return response{}, err
	}
	return okJSON(http.StatusOK, struct {
		Tags map[string]string `json:"tags,omitempty"`
	}{*tags})
}

func (s *Server) tagResource(c *call) (response, *apiError) {
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if err := c.decode(&in); err != nil {
		return response{}, err
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	tags, err := c.tagged()
	if err != nil {
		return response{}, err
	}
	merged := make(map[string]string, len(*tags)+len(in.Tags))
	for k, v := range *tags {
		merged[k] = v
	}
	for k, v := range in.Tags {
		merged[k] = v
	}
	if err := checkTags(merged); err != nil {
		return response{}, err
	}
	*tags = merged
	return response{status: http.StatusCreated, body: []byte("{}")}, nil
}

func (s *Server) untagResource(c *call) (response, *apiError) {
	keys := c.query["tagKeys"]
	if len(keys) == 0 {
		return response{}, badRequest("Missing required member tagKeys")
	}
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	tags, err := c.tagged()
	if err != nil {
		return response{}, err
	}
	kept := make(map[string]string, len(*tags))
	for k, v := range *tags {
		if !slices.Contains(keys, k) {
			kept[k] = v
		}
	}
	if len(kept) == 0 {
		kept = nil
	}
	*tags = kept
	return noContent, nil
}
