package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Seed is the emulator's initial state: accounts, their regions and the
// APIs and stages in them. Member names follow the API Gateway wire names.
type Seed struct {
	// Organization, when set, makes every account below a member of one
	// AWS Organization, served by the Organizations operations.
	Organization *OrgSeed      `yaml:"organization,omitempty"`
	Accounts     []AccountSeed `yaml:"accounts"`
}

// AccountSeed is one account's resources. Name, Email, Status and Parent
// describe it as Organizations lists it; Roles are what STS AssumeRole
// may assume in it.
type AccountSeed struct {
	ID      string       `yaml:"id"`
	Name    string       `yaml:"name,omitempty"`
	Email   string       `yaml:"email,omitempty"`
	Status  string       `yaml:"status,omitempty"` // ACTIVE (default), SUSPENDED or PENDING_CLOSURE
	Parent  string       `yaml:"parent,omitempty"` // an organizational unit id; empty = the root
	Roles   []RoleSeed   `yaml:"roles,omitempty"`
	Regions []RegionSeed `yaml:"regions"`
}

// RegionSeed is one region's APIs.
type RegionSeed struct {
	Name string    `yaml:"name"`
	APIs []APISeed `yaml:"apis"`
	// VPCLinks and DomainNames are the region's account-level resources;
	// domain names' API mappings name the APIs above.
	VPCLinks    []VPCLinkSeed     `yaml:"vpcLinks,omitempty"`
	DomainNames []DomainNameInput `yaml:"domainNames,omitempty"`
}

// APISeed is an API with every attribute API Gateway reports. ID and
// CreatedDate may be fixed so tests are stable; empty ones are generated.
// Target (with RouteKey) makes it a quick-create API, which gets a managed
// $default stage unless Stages already has one.
type APISeed struct {
	ID                        string            `yaml:"id,omitempty"`
	Name                      string            `yaml:"name"`
	ProtocolType              string            `yaml:"protocolType"`
	Description               *string           `yaml:"description,omitempty"`
	Version                   *string           `yaml:"version,omitempty"`
	RouteSelectionExpression  *string           `yaml:"routeSelectionExpression,omitempty"`
	APIKeySelectionExpression *string           `yaml:"apiKeySelectionExpression,omitempty"`
	IPAddressType             *string           `yaml:"ipAddressType,omitempty"`
	DisableExecuteAPIEndpoint bool              `yaml:"disableExecuteApiEndpoint,omitempty"`
	DisableSchemaValidation   bool              `yaml:"disableSchemaValidation,omitempty"`
	APIGatewayManaged         bool              `yaml:"apiGatewayManaged,omitempty"`
	CorsConfiguration         *Cors             `yaml:"corsConfiguration,omitempty"`
	CreatedDate               time.Time         `yaml:"createdDate,omitempty"`
	Tags                      map[string]string `yaml:"tags,omitempty"`
	Target                    *string           `yaml:"target,omitempty"`
	RouteKey                  *string           `yaml:"routeKey,omitempty"`
	// Authorizers and Integrations are built before Routes, which refer to
	// them by id (target "integrations/<id>", authorizerId).
	Authorizers  []AuthorizerInput  `yaml:"authorizers,omitempty"`
	Integrations []IntegrationInput `yaml:"integrations,omitempty"`
	// Models come before Routes, whose request models name them.
	Models []ModelInput `yaml:"models,omitempty"`
	// Routes are CreateRoute bodies with an optional id, or bare route
	// keys; stage routeSettings may only name these keys.
	Routes []RouteInput `yaml:"routes,omitempty"`
	Stages []StageSeed  `yaml:"stages,omitempty"`
}

// StageSeed is a stage with every attribute API Gateway reports. A
// DeploymentID names a deployment that is created with the API.
type StageSeed struct {
	Name                        string                    `yaml:"name"`
	Description                 *string                   `yaml:"description,omitempty"`
	DeploymentID                string                    `yaml:"deploymentId,omitempty"`
	ClientCertificateID         *string                   `yaml:"clientCertificateId,omitempty"`
	LastDeploymentStatusMessage string                    `yaml:"lastDeploymentStatusMessage,omitempty"`
	AutoDeploy                  bool                      `yaml:"autoDeploy,omitempty"`
	APIGatewayManaged           bool                      `yaml:"apiGatewayManaged,omitempty"`
	AccessLogSettings           *AccessLogSettings        `yaml:"accessLogSettings,omitempty"`
	DefaultRouteSettings        *RouteSettings            `yaml:"defaultRouteSettings,omitempty"`
	RouteSettings               map[string]*RouteSettings `yaml:"routeSettings,omitempty"`
	StageVariables              map[string]string         `yaml:"stageVariables,omitempty"`
	Tags                        map[string]string         `yaml:"tags,omitempty"`
	CreatedDate                 time.Time                 `yaml:"createdDate,omitempty"`
	LastUpdatedDate             time.Time                 `yaml:"lastUpdatedDate,omitempty"`
}

// seedPos locates a seed entry by indexes; -1 means "not this deep".
type seedPos struct{ account, region, api, stage int }

type seedError struct {
	pos   seedPos
	field string // a key of the entry at pos, or ""
	err   error
}

func (e *seedError) Error() string {
	path := fmt.Sprintf("accounts[%d]", e.pos.account)
	for _, p := range []struct {
		name string
		i    int
	}{{"regions", e.pos.region}, {"apis", e.pos.api}, {"stages", e.pos.stage}} {
		if p.i < 0 {
			break
		}
		path += fmt.Sprintf(".%s[%d]", p.name, p.i)
	}
	return path + ": " + e.err.Error()
}

// defaultSeedTime stamps seed resources that give no createdDate, so
// responses do not depend on when the emulator started.
var defaultSeedTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// build validates seed and loads it into stores, using the same checks as
// CreateApi and CreateStage.
func (s *Server) build(seed *Seed, stores map[storeKey]*regionStore) error {
	if err := checkOrgSeed(seed); err != nil {
		return err
	}
	for ai, acct := range seed.Accounts {
		for ri, reg := range acct.Regions {
			rpos := seedPos{ai, ri, -1, -1}
			if !isRegion(reg.Name) {
				return &seedError{rpos, "name", fmt.Errorf("region %q is not a region name such as us-east-1", reg.Name)}
			}
			k := storeKey{acct.ID, reg.Name}
			if stores[k] != nil {
				return &seedError{rpos, "name", fmt.Errorf("region %s of account %s is listed twice", reg.Name, acct.ID)}
			}
			st := s.newStore(acct.ID, reg.Name)
			stores[k] = st
			if err := s.buildVpcLinks(st, reg.VPCLinks); err != nil {
				return &seedError{rpos, "vpcLinks", err}
			}
			for pi := range reg.APIs {
				if err := s.buildAPI(st, &reg.APIs[pi], seedPos{ai, ri, pi, -1}); err != nil {
					return err
				}
			}
			if err := s.buildDomainNames(st, reg.DomainNames); err != nil {
				return &seedError{rpos, "domainNames", err}
			}
		}
	}
	return nil
}

func (s *Server) buildAPI(st *regionStore, in *APISeed, pos seedPos) error {
	wrap := func(field string, err error) error { return &seedError{pos, field, err} }
	created := in.CreatedDate
	if created.IsZero() {
		created = defaultSeedTime
	}
	a := &api{created: created.UTC(), managed: in.APIGatewayManaged}
	req := apiInput{
		Name: &in.Name, ProtocolType: &in.ProtocolType, Description: in.Description, Version: in.Version,
		RouteSelectionExpression: in.RouteSelectionExpression, APIKeySelectionExpression: in.APIKeySelectionExpression,
		IPAddressType: in.IPAddressType, DisableExecuteAPIEndpoint: &in.DisableExecuteAPIEndpoint,
		DisableSchemaValidation: &in.DisableSchemaValidation, CorsConfiguration: in.CorsConfiguration,
		Tags: in.Tags, Target: in.Target, RouteKey: in.RouteKey,
	}
	if err := applyAPI(a, &req, true); err != nil {
		return wrap("", fmt.Errorf("api %q: %s", in.Name, err.message))
	}
	switch {
	case in.ID == "":
		a.id = s.uniqueID(func(id string) bool { return st.apis[id] != nil })
	case !idRE.MatchString(in.ID):
		return wrap("id", fmt.Errorf("api id %q must be lowercase letters and digits", in.ID))
	case st.apis[in.ID] != nil:
		return wrap("id", fmt.Errorf("api id %q is used twice in %s", in.ID, st.region))
	default:
		a.id = in.ID
	}
	if err := s.buildChildren(a, in); err != nil {
		return wrap("", err)
	}
	for si := range in.Stages {
		if err := s.buildStage(a, &in.Stages[si], seedPos{pos.account, pos.region, pos.api, si}); err != nil {
			return err
		}
	}
	if in.Target != nil && a.stage(defaultStage) == nil {
		key := defaultStage
		if in.RouteKey != nil {
			key = *in.RouteKey
		}
		if !a.hasRoute(key) {
			s.quickCreateRoute(a, in.Target, in.RouteKey)
		}
		qs := &stage{name: defaultStage, autoDeploy: true, managed: true, created: a.created, updated: a.created,
			defaultRS: &RouteSettings{DetailedMetricsEnabled: new(bool)}}
		autoDeploy(a, qs, s.uniqueDeploymentID(a), a.created)
		addStage(a, qs)
	}
	st.insert(a)
	return nil
}

// buildChildren adds a seed API's authorizers, integrations and their
// responses, models, and routes and their responses (routes refer to the
// others) with the checks of their Create operations.
func (s *Server) buildChildren(a *api, in *APISeed) error {
	for _, add := range []func() *apiError{
		func() *apiError {
			return authorizers.seed(s, a, &a.authorizers, in.Authorizers, func(x *AuthorizerInput) string { return x.ID })
		},
		func() *apiError {
			n := len(a.integrations)
			if err := integrations.seed(s, a, &a.integrations, in.Integrations, func(x *IntegrationInput) string { return x.ID }); err != nil {
				return err
			}
			for j := range in.Integrations {
				x := &a.integrations[n+j]
				if err := integrationResponses.seed(s, a, &x.responses, in.Integrations[j].Responses, func(x *IntegrationResponseInput) string { return x.ID }); err != nil {
					return badRequest("Integration %s: %s", x.IntegrationID, err.message)
				}
			}
			return nil
		},
		func() *apiError {
			return models.seed(s, a, &a.models, in.Models, func(x *ModelInput) string { return x.ID })
		},
		func() *apiError {
			n := len(a.routes)
			if err := routes.seed(s, a, &a.routes, in.Routes, func(x *RouteInput) string { return x.ID }); err != nil {
				return err
			}
			for j := range in.Routes {
				r := &a.routes[n+j]
				if err := routeResponses.seed(s, a, &r.responses, in.Routes[j].Responses, func(x *RouteResponseInput) string { return x.ID }); err != nil {
					return badRequest("Route %s: %s", r.RouteID, err.message)
				}
			}
			return nil
		},
	} {
		if err := add(); err != nil {
			return fmt.Errorf("api %q: %s", in.Name, err.message)
		}
	}
	return nil
}

func (s *Server) buildStage(a *api, in *StageSeed, pos seedPos) error {
	wrap := func(field string, err error) error { return &seedError{pos, field, err} }
	created := in.CreatedDate
	if created.IsZero() {
		created = a.created
	}
	updated := in.LastUpdatedDate
	if updated.IsZero() {
		updated = created
	}
	if in.DeploymentID != "" && !a.hasDeployment(in.DeploymentID) {
		if !idRE.MatchString(in.DeploymentID) {
			return wrap("deploymentId", fmt.Errorf("stage %q: deployment id %q must be lowercase letters and digits", in.Name, in.DeploymentID))
		}
		a.deployments = append(a.deployments, deployment{id: in.DeploymentID, created: created.UTC(), auto: in.AutoDeploy})
	}
	req := stageInput{
		StageName: &in.Name, Description: in.Description, ClientCertificateID: in.ClientCertificateID,
		AccessLogSettings: in.AccessLogSettings, DefaultRouteSettings: in.DefaultRouteSettings,
		RouteSettings: in.RouteSettings, StageVariables: in.StageVariables, Tags: in.Tags,
		AutoDeploy: &in.AutoDeploy,
	}
	if in.DeploymentID != "" {
		req.DeploymentID = &in.DeploymentID
	}
	st, err := newStage(a, &req, created.UTC())
	if err != nil {
		return wrap("", fmt.Errorf("stage %q of api %q: %s", in.Name, a.name, err.message))
	}
	st.updated = updated.UTC()
	st.managed = in.APIGatewayManaged
	st.lastDeployMsg = in.LastDeploymentStatusMessage
	if in.DeploymentID == "" {
		// As on AWS, an auto-deploying stage of an API with routes has a
		// deployment.
		autoDeploy(a, st, s.uniqueDeploymentID(a), st.created)
	}
	addStage(a, st)
	return nil
}

// LoadSeedFile reads a YAML seed file strictly (unknown keys are errors) and
// validates it as the emulator would load it. Errors name file:line.
func LoadSeedFile(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seed file: %w", err)
	}
	return parseSeed(path, data)
}

var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

func parseSeed(path string, data []byte) (*Seed, error) {
	var seed Seed
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&seed); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: seed file is empty; it needs an accounts: list", path)
		}
		return nil, yamlError(path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, err)
	}
	// Validate by loading into a throwaway server.
	s := &Server{now: time.Now, idRNG: newIDRand()}
	if err := s.build(&seed, map[storeKey]*regionStore{}); err != nil {
		var se *seedError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d: %w", path, lineOf(&root, se.pos, se.field), se.err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &seed, nil
}

// yamlError rewrites yaml.v3's "line N: msg" errors as "file:N: msg".
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			if sm := yamlLineRE.FindStringSubmatch(m); sm != nil {
				msgs[i] = path + ":" + sm[1] + ": " + sm[2]
			} else {
				msgs[i] = path + ": " + m
			}
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if sm := yamlLineRE.FindStringSubmatch(msg); sm != nil {
		return fmt.Errorf("%s:%s: %s", path, sm[1], sm[2])
	}
	return fmt.Errorf("%s: %s", path, msg)
}

// lineOf finds the line of the seed entry at pos (and its key field, if
// present) in the parsed document.
func lineOf(root *yaml.Node, pos seedPos, field string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	steps := []struct {
		key string
		idx int
	}{{"accounts", pos.account}, {"regions", pos.region}, {"apis", pos.api}, {"stages", pos.stage}}
	for _, st := range steps {
		if st.idx < 0 {
			break
		}
		seq := mapValue(n, st.key)
		if seq == nil || st.idx >= len(seq.Content) {
			break
		}
		n = seq.Content[st.idx]
	}
	if field != "" {
		if v := mapValue(n, field); v != nil {
			return v.Line
		}
	}
	return n.Line
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// WriteYAML writes seed in the seed file format LoadSeedFile reads, e.g. to
// save a Synthetic seed for editing.
func (seed *Seed) WriteYAML(w io.Writer) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(seed); err != nil {
		return fmt.Errorf("encoding seed: %w", err)
	}
	return enc.Close()
}
