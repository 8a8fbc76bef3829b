// Package fakeapi is a small in-memory API Gateway V2 and STS endpoint for
// the stand-in provider's tests. It speaks the wire protocol the AWS SDK
// speaks (REST-JSON for API Gateway V2, query/XML for STS) and records the
// requests it served, so tests can assert what the provider sent.
package fakeapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
)

// Account is the account id GetCallerIdentity answers with.
const Account = "123456789012"

type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int32   `json:"maxAge,omitempty"`
}

type API struct {
	ApiId                     string            `json:"apiId"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	ApiEndpoint               string            `json:"apiEndpoint"`
	ApiKeySelectionExpression string            `json:"apiKeySelectionExpression"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	Description               string            `json:"description,omitempty"`
	Version                   string            `json:"version,omitempty"`
	DisableExecuteApiEndpoint bool              `json:"disableExecuteApiEndpoint"`
	IpAddressType             string            `json:"ipAddressType,omitempty"`
	Tags                      map[string]string `json:"tags,omitempty"`
}

type AccessLogSettings struct {
	DestinationArn string `json:"destinationArn,omitempty"`
	Format         string `json:"format,omitempty"`
}

type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           string   `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int32   `json:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty"`
}

type Stage struct {
	StageName            string                   `json:"stageName"`
	AccessLogSettings    *AccessLogSettings       `json:"accessLogSettings,omitempty"`
	ApiGatewayManaged    bool                     `json:"apiGatewayManaged,omitempty"`
	AutoDeploy           bool                     `json:"autoDeploy"`
	ClientCertificateId  string                   `json:"clientCertificateId,omitempty"`
	DefaultRouteSettings *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentId         string                   `json:"deploymentId,omitempty"`
	Description          string                   `json:"description,omitempty"`
	RouteSettings        map[string]RouteSettings `json:"routeSettings,omitempty"`
	StageVariables       map[string]string        `json:"stageVariables,omitempty"`
	Tags                 map[string]string        `json:"tags,omitempty"`
}

// Request is one request the fake served.
type Request struct {
	Method, Path string
	Body         map[string]any
}

// Server holds the APIs and stages of one region.
type Server struct {
	Region string

	mu       sync.Mutex
	next     int
	apis     map[string]*API
	stages   map[string]map[string]*Stage
	requests []Request
}

func New(region string) *Server {
	return &Server{Region: region, apis: map[string]*API{}, stages: map[string]map[string]*Stage{}}
}

// Requests returns the mutating requests served so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// PutAPI and PutStage seed state directly.
func (s *Server) PutAPI(a API) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis[a.ApiId] = &a
	if s.stages[a.ApiId] == nil {
		s.stages[a.ApiId] = map[string]*Stage{}
	}
}

func (s *Server) PutStage(apiID string, st Stage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages[apiID][st.StageName] = &st
}

// Stage returns a copy of a stage, if present.
func (s *Server) Stage(apiID, name string) (Stage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stages[apiID][name]
	if !ok {
		return Stage{}, false
	}
	return *st, true
}

// API returns a copy of an API, if present.
func (s *Server) API(id string) (API, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apis[id]
	if !ok {
		return API{}, false
	}
	return *a, true
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/" {
		s.sts(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var body map[string]any
	if r.Method != http.MethodGet && r.Method != http.MethodDelete {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fail(w, http.StatusBadRequest, "BadRequestException", "invalid JSON body: "+err.Error())
			return
		}
	}
	if r.Method != http.MethodGet {
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Body: body})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/apis", func(w http.ResponseWriter, r *http.Request) { s.createAPI(w, body) })
	mux.HandleFunc("GET /v2/apis/{api}", func(w http.ResponseWriter, r *http.Request) {
		if a := s.api(w, r); a != nil {
			reply(w, http.StatusOK, a)
		}
	})
	mux.HandleFunc("PATCH /v2/apis/{api}", func(w http.ResponseWriter, r *http.Request) {
		if a := s.api(w, r); a != nil {
			patchAPI(a, body)
			reply(w, http.StatusOK, a)
		}
	})
	mux.HandleFunc("DELETE /v2/apis/{api}", func(w http.ResponseWriter, r *http.Request) {
		if a := s.api(w, r); a != nil {
			delete(s.apis, a.ApiId)
			delete(s.stages, a.ApiId)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("DELETE /v2/apis/{api}/cors", func(w http.ResponseWriter, r *http.Request) {
		if a := s.api(w, r); a != nil {
			a.CorsConfiguration = nil
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("POST /v2/apis/{api}/stages", func(w http.ResponseWriter, r *http.Request) {
		if a := s.api(w, r); a != nil {
			st := &Stage{}
			decode(body, st)
			if _, ok := s.stages[a.ApiId][st.StageName]; ok {
				fail(w, http.StatusConflict, "ConflictException", "Stage already exists")
				return
			}
			s.stages[a.ApiId][st.StageName] = st
			reply(w, http.StatusCreated, st)
		}
	})
	mux.HandleFunc("GET /v2/apis/{api}/stages/{stage}", func(w http.ResponseWriter, r *http.Request) {
		if st := s.stage(w, r); st != nil {
			reply(w, http.StatusOK, st)
		}
	})
	mux.HandleFunc("PATCH /v2/apis/{api}/stages/{stage}", func(w http.ResponseWriter, r *http.Request) {
		if st := s.stage(w, r); st != nil {
			patchStage(st, body)
			reply(w, http.StatusOK, st)
		}
	})
	mux.HandleFunc("DELETE /v2/apis/{api}/stages/{stage}", func(w http.ResponseWriter, r *http.Request) {
		if st := s.stage(w, r); st != nil {
			delete(s.stages[r.PathValue("api")], st.StageName)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("DELETE /v2/apis/{api}/stages/{stage}/routesettings/{key}", func(w http.ResponseWriter, r *http.Request) {
		if st := s.stage(w, r); st != nil {
			key := r.PathValue("key")
			if _, ok := st.RouteSettings[key]; !ok {
				fail(w, http.StatusNotFound, "NotFoundException", "Invalid route key")
				return
			}
			delete(st.RouteSettings, key)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("POST /v2/tags/{arn}", func(w http.ResponseWriter, r *http.Request) {
		if tags := s.tags(w, r); tags != nil {
			for k, v := range body["tags"].(map[string]any) {
				(*tags)[k] = v.(string)
			}
			reply(w, http.StatusCreated, map[string]any{})
		}
	})
	mux.HandleFunc("DELETE /v2/tags/{arn}", func(w http.ResponseWriter, r *http.Request) {
		if tags := s.tags(w, r); tags != nil {
			for _, k := range r.URL.Query()["tagKeys"] {
				delete(*tags, k)
			}
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.ServeHTTP(w, r)
}

func (s *Server) createAPI(w http.ResponseWriter, body map[string]any) {
	s.next++
	a := &API{
		ApiId:                     fmt.Sprintf("a%09d", s.next),
		ApiKeySelectionExpression: "$request.header.x-api-key",
		RouteSelectionExpression:  "$request.method $request.path",
	}
	decode(body, a)
	scheme := "https"
	if a.ProtocolType == "WEBSOCKET" {
		scheme = "wss"
	}
	a.ApiEndpoint = fmt.Sprintf("%s://%s.execute-api.%s.amazonaws.com", scheme, a.ApiId, s.Region)
	if a.IpAddressType == "" {
		a.IpAddressType = "ipv4"
	}
	s.apis[a.ApiId] = a
	s.stages[a.ApiId] = map[string]*Stage{}
	if _, ok := body["target"]; ok && a.ProtocolType == "HTTP" {
		s.stages[a.ApiId]["$default"] = &Stage{StageName: "$default", AutoDeploy: true, ApiGatewayManaged: true}
	}
	reply(w, http.StatusCreated, a)
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) *API {
	a, ok := s.apis[r.PathValue("api")]
	if !ok {
		fail(w, http.StatusNotFound, "NotFoundException", "Invalid API identifier specified")
		return nil
	}
	return a
}

func (s *Server) stage(w http.ResponseWriter, r *http.Request) *Stage {
	if s.api(w, r) == nil {
		return nil
	}
	st, ok := s.stages[r.PathValue("api")][r.PathValue("stage")]
	if !ok {
		fail(w, http.StatusNotFound, "NotFoundException", "Invalid stage identifier specified")
		return nil
	}
	return st
}

// tags finds the tags of the API or stage an ARN names.
func (s *Server) tags(w http.ResponseWriter, r *http.Request) *map[string]string {
	arn := r.PathValue("arn")
	_, rest, _ := strings.Cut(arn, "::/apis/")
	apiID, stage, isStage := strings.Cut(rest, "/stages/")
	if a, ok := s.apis[apiID]; ok && !isStage {
		if a.Tags == nil {
			a.Tags = map[string]string{}
		}
		return &a.Tags
	}
	if st, ok := s.stages[apiID][stage]; ok && isStage {
		if st.Tags == nil {
			st.Tags = map[string]string{}
		}
		return &st.Tags
	}
	fail(w, http.StatusNotFound, "NotFoundException", "Invalid resource ARN "+arn)
	return nil
}

func patchAPI(a *API, body map[string]any) {
	cors := a.CorsConfiguration
	decode(body, a)
	if _, ok := body["corsConfiguration"]; !ok {
		a.CorsConfiguration = cors
	}
}

// patchStage applies an UpdateStage body: route settings merge by key, a
// stage variable set to "" is removed, an empty access log setting clears.
func patchStage(st *Stage, body map[string]any) {
	routes, vars := st.RouteSettings, st.StageVariables
	var patch Stage
	decode(body, &patch)
	decode(body, st)
	st.RouteSettings = routes
	if patch.RouteSettings != nil {
		if st.RouteSettings == nil {
			st.RouteSettings = map[string]RouteSettings{}
		}
		maps.Copy(st.RouteSettings, patch.RouteSettings)
	}
	st.StageVariables = vars
	if patch.StageVariables != nil {
		if st.StageVariables == nil {
			st.StageVariables = map[string]string{}
		}
		for k, v := range patch.StageVariables {
			if v == "" {
				delete(st.StageVariables, k)
			} else {
				st.StageVariables[k] = v
			}
		}
	}
	if st.AccessLogSettings != nil && *st.AccessLogSettings == (AccessLogSettings{}) {
		st.AccessLogSettings = nil
	}
}

func (s *Server) sts(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "GetCallerIdentity" {
		http.Error(w, "unsupported STS action", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::%[1]s:user/test</Arn><UserId>AIDATEST</UserId><Account>%[1]s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, Account)
}

// decode copies a JSON body's members onto v through a JSON round trip.
func decode(body map[string]any, v any) {
	b, _ := json.Marshal(body)
	_ = json.Unmarshal(b, v)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Amzn-ErrorType", code)
	reply(w, status, map[string]string{"message": msg})
}

// DeleteStage removes a stage as someone outside Terraform would.
func (s *Server) DeleteStage(apiID, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.stages[apiID], name)
}
