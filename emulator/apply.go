package emulator

import "time"

// This file decodes the bodies of the create and update operations and
// applies them, with API Gateway's validation.

// apiInput is the body of CreateApi and UpdateApi. Pointers tell "absent"
// from "zero", which PATCH semantics need.
type apiInput struct {
	APIKeySelectionExpression *string           `json:"apiKeySelectionExpression"`
	CorsConfiguration         *Cors             `json:"corsConfiguration"`
	CredentialsArn            *string           `json:"credentialsArn"`
	Description               *string           `json:"description"`
	DisableExecuteAPIEndpoint *bool             `json:"disableExecuteApiEndpoint"`
	DisableSchemaValidation   *bool             `json:"disableSchemaValidation"`
	IPAddressType             *string           `json:"ipAddressType"`
	Name                      *string           `json:"name"`
	ProtocolType              *string           `json:"protocolType"`
	RouteKey                  *string           `json:"routeKey"`
	RouteSelectionExpression  *string           `json:"routeSelectionExpression"`
	Tags                      map[string]string `json:"tags"`
	Target                    *string           `json:"target"`
	Version                   *string           `json:"version"`
}

type stageInput struct {
	AccessLogSettings    *AccessLogSettings        `json:"accessLogSettings"`
	AutoDeploy           *bool                     `json:"autoDeploy"`
	ClientCertificateID  *string                   `json:"clientCertificateId"`
	DefaultRouteSettings *RouteSettings            `json:"defaultRouteSettings"`
	DeploymentID         *string                   `json:"deploymentId"`
	Description          *string                   `json:"description"`
	RouteSettings        map[string]*RouteSettings `json:"routeSettings"`
	StageName            *string                   `json:"stageName"`
	StageVariables       map[string]string         `json:"stageVariables"`
	Tags                 map[string]string         `json:"tags"`
}

// applyAPI validates in and applies it to a (a fresh api on create).
func applyAPI(a *api, in *apiInput, create bool) *apiError {
	if create {
		if in.Name == nil {
			return badRequest("Missing required member name")
		}
		if in.ProtocolType == nil {
			return badRequest("Missing required member protocolType")
		}
		switch *in.ProtocolType {
		case protoHTTP, protoWebSocket:
		default:
			return badRequest("Invalid protocolType %q: must be HTTP or WEBSOCKET.", *in.ProtocolType)
		}
		a.protocol = *in.ProtocolType
		if a.protocol == protoWebSocket && in.RouteSelectionExpression == nil {
			return badRequest("Missing required member routeSelectionExpression for protocolType WEBSOCKET")
		}
	} else if in.ProtocolType != nil && *in.ProtocolType != a.protocol {
		return badRequest("protocolType cannot be changed")
	}
	ws := a.protocol == protoWebSocket
	if in.Name != nil {
		if err := checkLen("API name", *in.Name, 1, 128); err != nil {
			return err
		}
	}
	if in.Description != nil {
		if err := checkLen("description", *in.Description, 0, 1024); err != nil {
			return err
		}
	}
	if in.Version != nil {
		if err := checkLen("version", *in.Version, 1, 64); err != nil {
			return err
		}
	}
	if in.RouteSelectionExpression != nil {
		v := *in.RouteSelectionExpression
		if v == "" {
			return badRequest("Invalid routeSelectionExpression: must not be empty.")
		}
		if !ws && v != defaultHTTPRouteSelection && v != "${request.method} ${request.path}" {
			return badRequest("Unsupported routeSelectionExpression %q for HTTP APIs: use %s.", v, defaultHTTPRouteSelection)
		}
	}
	if in.APIKeySelectionExpression != nil {
		switch *in.APIKeySelectionExpression {
		case defaultAPIKeySelection, "$context.authorizer.usageIdentifierKey":
		default:
			return badRequest("Invalid apiKeySelectionExpression %q: use %s or $context.authorizer.usageIdentifierKey.", *in.APIKeySelectionExpression, defaultAPIKeySelection)
		}
	}
	if in.IPAddressType != nil {
		switch *in.IPAddressType {
		case "ipv4", "dualstack":
		default:
			return badRequest("Invalid ipAddressType %q: must be ipv4 or dualstack.", *in.IPAddressType)
		}
	}
	if in.CorsConfiguration != nil {
		if ws {
			return badRequest("CORS is not supported for WebSocket APIs")
		}
		if err := checkCors(in.CorsConfiguration); err != nil {
			return err
		}
	}
	if create && (in.Target != nil || in.RouteKey != nil) {
		if ws {
			return badRequest("Quick create (target, routeKey) is not supported for WebSocket APIs")
		}
		if in.Target == nil {
			return badRequest("routeKey requires target")
		}
		if err := checkLen("target", *in.Target, 1, 2048); err != nil {
			return err
		}
		if in.RouteKey != nil {
			if err := checkRouteKey(a.protocol, *in.RouteKey); err != nil {
				return err
			}
		}
	}
	if in.DisableSchemaValidation != nil && *in.DisableSchemaValidation && !ws {
		return badRequest("disableSchemaValidation is supported only for WebSocket APIs")
	}
	if err := checkInputTags(in.Tags, create, "UpdateApi"); err != nil {
		return err
	}

	setStr(&a.name, in.Name)
	setStr(&a.description, in.Description)
	setStr(&a.version, in.Version)
	setStr(&a.rse, in.RouteSelectionExpression)
	setStr(&a.akse, in.APIKeySelectionExpression)
	setStr(&a.ipType, in.IPAddressType)
	setBool(&a.disableExec, in.DisableExecuteAPIEndpoint)
	setBool(&a.disableSchema, in.DisableSchemaValidation)
	if in.CorsConfiguration != nil {
		// UpdateApi replaces the configuration; clearing it is
		// DeleteCorsConfiguration's job.
		a.cors = in.CorsConfiguration.clone()
		if a.cors.empty() {
			a.cors = nil
		}
	}
	if create {
		if a.rse == "" {
			a.rse = defaultHTTPRouteSelection
		}
		if a.rse == "${request.method} ${request.path}" {
			a.rse = defaultHTTPRouteSelection
		}
		if a.akse == "" {
			a.akse = defaultAPIKeySelection
		}
		if a.ipType == "" {
			a.ipType = defaultIPAddressType
		}
		if len(in.Tags) > 0 {
			a.tags = in.Tags
		}
	}
	return nil
}

// checkInputTags checks the tags of a create; an update (the operation
// update names) takes none, since tags change through TagResource.
func checkInputTags(tags map[string]string, create bool, update string) *apiError {
	if create {
		return checkTags(tags)
	}
	if tags != nil {
		return badRequest("tags cannot be changed with %s; use TagResource", update)
	}
	return nil
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// applyStage validates in against api a and applies it to s with UpdateStage's
// merge rules: members absent from in are kept; defaultRouteSettings and each
// routeSettings entry merge member by member; a stage variable set to ""
// is removed; an empty accessLogSettings or defaultRouteSettings object
// clears it.
func applyStage(a *api, s *stage, in *stageInput, create bool) *apiError {
	ws := a.protocol == protoWebSocket
	if in.Description != nil {
		if err := checkLen("description", *in.Description, 0, 1024); err != nil {
			return err
		}
	}
	if in.ClientCertificateID != nil && *in.ClientCertificateID != "" && !ws {
		return badRequest("Client certificates are not supported for HTTP APIs")
	}
	if in.DeploymentID != nil && *in.DeploymentID != "" && !a.hasDeployment(*in.DeploymentID) {
		return badRequest("Invalid deployment identifier specified: %s", *in.DeploymentID)
	}
	if al := in.AccessLogSettings; al != nil && (*al != AccessLogSettings{}) {
		if err := checkAccessLog(al); err != nil {
			return err
		}
	}
	if in.DefaultRouteSettings != nil {
		if err := checkRouteSettings(a.protocol, "defaultRouteSettings", in.DefaultRouteSettings); err != nil {
			return err
		}
	}
	for k, rs := range in.RouteSettings {
		if rs == nil {
			return badRequest("Invalid routeSettings for route key %q: must be an object.", k)
		}
		if !a.hasRoute(k) {
			return badRequest("Unable to find Route by key %s within the provided RouteSettings", k)
		}
		if err := checkRouteSettings(a.protocol, "routeSettings", rs); err != nil {
			return err
		}
	}
	if err := checkStageVariables(in.StageVariables, !create); err != nil {
		return err
	}
	if err := checkInputTags(in.Tags, create, "UpdateStage"); err != nil {
		return err
	}

	setStr(&s.description, in.Description)
	setStr(&s.clientCertID, in.ClientCertificateID)
	setStr(&s.deploymentID, in.DeploymentID)
	setBool(&s.autoDeploy, in.AutoDeploy)
	if al := in.AccessLogSettings; al != nil {
		if *al == (AccessLogSettings{}) {
			s.accessLog = nil
		} else {
			cp := *al
			s.accessLog = &cp
		}
	}
	// API Gateway reports detailedMetricsEnabled: false in every route
	// settings object it stores, so none is ever empty.
	switch {
	case in.DefaultRouteSettings == nil:
	case *in.DefaultRouteSettings == (RouteSettings{}):
		// An empty object clears the settings, as for accessLogSettings;
		// it is what the provider sends when the block is removed.
		s.defaultRS = nil
	default:
		if s.defaultRS == nil {
			s.defaultRS = &RouteSettings{DetailedMetricsEnabled: new(bool)}
		}
		s.defaultRS.merge(in.DefaultRouteSettings)
	}
	for k, rs := range in.RouteSettings {
		if s.routeSettings == nil {
			s.routeSettings = map[string]*RouteSettings{}
		}
		cur := s.routeSettings[k]
		if cur == nil {
			cur = &RouteSettings{DetailedMetricsEnabled: new(bool)}
			s.routeSettings[k] = cur
		}
		cur.merge(rs)
	}
	if create {
		// Creation allows no "" values, so the map can be taken as is.
		s.variables = in.StageVariables
	} else {
		for k, v := range in.StageVariables {
			if v == "" {
				delete(s.variables, k)
				continue
			}
			if s.variables == nil {
				s.variables = map[string]string{}
			}
			s.variables[k] = v
		}
	}
	if len(s.variables) == 0 {
		s.variables = nil
	}
	if create && len(in.Tags) > 0 {
		s.tags = in.Tags
	}
	return nil
}

// autoDeploy deploys the API to s the way API Gateway does for a stage with
// autoDeploy enabled, when there is something to deploy.
func autoDeploy(a *api, s *stage, id string, now time.Time) {
	if !s.autoDeploy || len(a.routes) == 0 {
		return
	}
	a.deployments = append(a.deployments, deployment{id: id, created: now, auto: true})
	s.deploymentID = id
	s.lastDeployMsg = "Successfully deployed stage with deployment ID '" + id + "'"
}
