package emulator

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// Cors is an API's CORS configuration, as on the wire and in seed files.
// Pointers keep "not sent" apart from false/0, so what a client wrote is what
// it reads back.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty" yaml:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty" yaml:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty" yaml:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty" yaml:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty" yaml:"exposeHeaders,omitempty"`
	MaxAge           *int32   `json:"maxAge,omitempty" yaml:"maxAge,omitempty"`
}

func (c *Cors) empty() bool {
	return c.AllowCredentials == nil && c.AllowHeaders == nil && c.AllowMethods == nil &&
		c.AllowOrigins == nil && c.ExposeHeaders == nil && c.MaxAge == nil
}

func (c *Cors) clone() *Cors {
	if c == nil {
		return nil
	}
	out := *c
	out.AllowCredentials = clonePtr(c.AllowCredentials)
	out.MaxAge = clonePtr(c.MaxAge)
	out.AllowHeaders = slices.Clone(c.AllowHeaders)
	out.AllowMethods = slices.Clone(c.AllowMethods)
	out.AllowOrigins = slices.Clone(c.AllowOrigins)
	out.ExposeHeaders = slices.Clone(c.ExposeHeaders)
	return &out
}

// AccessLogSettings is a stage's access logging, as on the wire and in seeds.
type AccessLogSettings struct {
	DestinationArn string `json:"destinationArn,omitempty" yaml:"destinationArn,omitempty"`
	Format         string `json:"format,omitempty" yaml:"format,omitempty"`
}

// RouteSettings is a stage's default or per-route settings. Pointers keep an
// unset throttle apart from 0, which the provider reads differently
// (provider issue #27674).
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty" yaml:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty" yaml:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           string   `json:"loggingLevel,omitempty" yaml:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int32   `json:"throttlingBurstLimit,omitempty" yaml:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty" yaml:"throttlingRateLimit,omitempty"`
}

// merge overlays the members set in in, as UpdateStage does.
func (r *RouteSettings) merge(in *RouteSettings) {
	if in.DataTraceEnabled != nil {
		r.DataTraceEnabled = clonePtr(in.DataTraceEnabled)
	}
	if in.DetailedMetricsEnabled != nil {
		r.DetailedMetricsEnabled = clonePtr(in.DetailedMetricsEnabled)
	}
	if in.LoggingLevel != "" {
		r.LoggingLevel = in.LoggingLevel
	}
	if in.ThrottlingBurstLimit != nil {
		r.ThrottlingBurstLimit = clonePtr(in.ThrottlingBurstLimit)
	}
	if in.ThrottlingRateLimit != nil {
		r.ThrottlingRateLimit = clonePtr(in.ThrottlingRateLimit)
	}
}

func (r *RouteSettings) clone() *RouteSettings {
	if r == nil {
		return nil
	}
	out := RouteSettings{LoggingLevel: r.LoggingLevel}
	out.merge(r)
	return &out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// api is the stored form of an API. Stages are kept sorted by name so that
// listing and pagination need no per-request sort.
type api struct {
	id, name, protocol, description, version string
	rse, akse, ipType                        string
	cors                                     *Cors
	disableExec, disableSchema, managed      bool
	created                                  time.Time
	tags                                     map[string]string
	routes                                   []route
	integrations                             []integration
	authorizers                              []authorizer
	models                                   []model
	stages                                   []*stage
	deployments                              []deployment
}

type deployment struct {
	id, description string
	created         time.Time
	auto            bool
}

type stage struct {
	name, description, deploymentID, clientCertID, lastDeployMsg string
	autoDeploy, managed                                          bool
	accessLog                                                    *AccessLogSettings
	defaultRS                                                    *RouteSettings
	routeSettings                                                map[string]*RouteSettings
	variables, tags                                              map[string]string
	created, updated                                             time.Time
}

func (a *api) stageIndex(name string) (int, bool) {
	i := sort.Search(len(a.stages), func(i int) bool { return a.stages[i].name >= name })
	return i, i < len(a.stages) && a.stages[i].name == name
}

func (a *api) stage(name string) *stage {
	if i, ok := a.stageIndex(name); ok {
		return a.stages[i]
	}
	return nil
}

func (a *api) hasRoute(key string) bool {
	return slices.ContainsFunc(a.routes, func(r route) bool { return r.RouteKey == key })
}

func (a *api) hasDeployment(id string) bool {
	return slices.ContainsFunc(a.deployments, func(d deployment) bool { return d.id == id })
}

func (s *stage) clone() *stage {
	out := *s
	if s.accessLog != nil {
		al := *s.accessLog
		out.accessLog = &al
	}
	out.defaultRS = s.defaultRS.clone()
	if s.routeSettings != nil {
		out.routeSettings = make(map[string]*RouteSettings, len(s.routeSettings))
		for k, v := range s.routeSettings {
			out.routeSettings[k] = v.clone()
		}
	}
	out.variables = maps.Clone(s.variables)
	out.tags = maps.Clone(s.tags)
	return &out
}

// Wire forms. Unset members are omitted: providers read an empty object as a
// block of empty strings and report drift forever.
type apiJSON struct {
	APIEndpoint               string            `json:"apiEndpoint,omitempty"`
	APIGatewayManaged         bool              `json:"apiGatewayManaged,omitempty"`
	APIID                     string            `json:"apiId"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CreatedDate               string            `json:"createdDate,omitempty"`
	Description               string            `json:"description,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	DisableSchemaValidation   bool              `json:"disableSchemaValidation,omitempty"`
	IPAddressType             string            `json:"ipAddressType,omitempty"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Tags                      map[string]string `json:"tags,omitempty"`
	Version                   string            `json:"version,omitempty"`
}

type stageJSON struct {
	AccessLogSettings           *AccessLogSettings        `json:"accessLogSettings,omitempty"`
	APIGatewayManaged           bool                      `json:"apiGatewayManaged,omitempty"`
	AutoDeploy                  bool                      `json:"autoDeploy,omitempty"`
	ClientCertificateID         string                    `json:"clientCertificateId,omitempty"`
	CreatedDate                 string                    `json:"createdDate,omitempty"`
	DefaultRouteSettings        *RouteSettings            `json:"defaultRouteSettings,omitempty"`
	DeploymentID                string                    `json:"deploymentId,omitempty"`
	Description                 string                    `json:"description,omitempty"`
	LastDeploymentStatusMessage string                    `json:"lastDeploymentStatusMessage,omitempty"`
	LastUpdatedDate             string                    `json:"lastUpdatedDate,omitempty"`
	RouteSettings               map[string]*RouteSettings `json:"routeSettings,omitempty"`
	StageName                   string                    `json:"stageName"`
	StageVariables              map[string]string         `json:"stageVariables,omitempty"`
	Tags                        map[string]string         `json:"tags,omitempty"`
}

type deploymentJSON struct {
	AutoDeployed     bool   `json:"autoDeployed"`
	CreatedDate      string `json:"createdDate,omitempty"`
	DeploymentID     string `json:"deploymentId"`
	DeploymentStatus string `json:"deploymentStatus"`
	Description      string `json:"description,omitempty"`
}

const isoTime = "2006-01-02T15:04:05Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(isoTime)
}

func (a *api) wire(region string) apiJSON {
	scheme := "https"
	if a.protocol == protoWebSocket {
		scheme = "wss"
	}
	return apiJSON{
		APIEndpoint:               scheme + "://" + a.id + ".execute-api." + region + "." + dnsSuffix(region),
		APIGatewayManaged:         a.managed,
		APIID:                     a.id,
		APIKeySelectionExpression: a.akse,
		CorsConfiguration:         a.cors,
		CreatedDate:               fmtTime(a.created),
		Description:               a.description,
		DisableExecuteAPIEndpoint: a.disableExec,
		DisableSchemaValidation:   a.disableSchema,
		IPAddressType:             a.ipType,
		Name:                      a.name,
		ProtocolType:              a.protocol,
		RouteSelectionExpression:  a.rse,
		Tags:                      a.tags,
		Version:                   a.version,
	}
}

func (s *stage) wire() stageJSON {
	return stageJSON{
		AccessLogSettings:           s.accessLog,
		APIGatewayManaged:           s.managed,
		AutoDeploy:                  s.autoDeploy,
		ClientCertificateID:         s.clientCertID,
		CreatedDate:                 fmtTime(s.created),
		DefaultRouteSettings:        s.defaultRS,
		DeploymentID:                s.deploymentID,
		Description:                 s.description,
		LastDeploymentStatusMessage: s.lastDeployMsg,
		LastUpdatedDate:             fmtTime(s.updated),
		RouteSettings:               s.routeSettings,
		StageName:                   s.name,
		StageVariables:              s.variables,
		Tags:                        s.tags,
	}
}

func (d deployment) wire() deploymentJSON {
	return deploymentJSON{
		AutoDeployed:     d.auto,
		CreatedDate:      fmtTime(d.created),
		DeploymentID:     d.id,
		DeploymentStatus: "DEPLOYED",
		Description:      d.description,
	}
}

// partition and dnsSuffix follow the AWS partitions the provider knows.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func dnsSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// apiARN is the ARN the tagging operations take for an API; a stage's is
// apiARN + "/stages/" + name.
func apiARN(region, id string) string {
	return "arn:" + partition(region) + ":apigateway:" + region + "::/apis/" + id
}
