package emulator

// Integration types, as API Gateway names them.
const (
	integrationAWS       = "AWS"
	integrationAWSProxy  = "AWS_PROXY"
	integrationHTTP      = "HTTP"
	integrationHTTPProxy = "HTTP_PROXY"
	integrationMock      = "MOCK"
)

// TLSConfig is an integration's TLS configuration.
type TLSConfig struct {
	ServerNameToVerify string `json:"serverNameToVerify,omitempty" yaml:"serverNameToVerify,omitempty"`
}

// integration is the stored and the wire form of an integration.
type integration struct {
	APIGatewayManaged                      bool                         `json:"apiGatewayManaged,omitempty"`
	ConnectionID                           string                       `json:"connectionId,omitempty"`
	ConnectionType                         string                       `json:"connectionType,omitempty"`
	ContentHandlingStrategy                string                       `json:"contentHandlingStrategy,omitempty"`
	CredentialsArn                         string                       `json:"credentialsArn,omitempty"`
	Description                            string                       `json:"description,omitempty"`
	IntegrationID                          string                       `json:"integrationId"`
	IntegrationMethod                      string                       `json:"integrationMethod,omitempty"`
	IntegrationResponseSelectionExpression string                       `json:"integrationResponseSelectionExpression,omitempty"`
	IntegrationSubtype                     string                       `json:"integrationSubtype,omitempty"`
	IntegrationType                        string                       `json:"integrationType"`
	IntegrationURI                         string                       `json:"integrationUri,omitempty"`
	PassthroughBehavior                    string                       `json:"passthroughBehavior,omitempty"`
	PayloadFormatVersion                   string                       `json:"payloadFormatVersion,omitempty"`
	RequestParameters                      map[string]string            `json:"requestParameters,omitempty"`
	RequestTemplates                       map[string]string            `json:"requestTemplates,omitempty"`
	ResponseParameters                     map[string]map[string]string `json:"responseParameters,omitempty"`
	TemplateSelectionExpression            string                       `json:"templateSelectionExpression,omitempty"`
	TimeoutInMillis                        int32                        `json:"timeoutInMillis,omitempty"`
	TLSConfig                              *TLSConfig                   `json:"tlsConfig,omitempty"`

	responses []integrationResponse
}

// IntegrationInput is the body of CreateIntegration and UpdateIntegration,
// and an integration in a seed file (with ID).
type IntegrationInput struct {
	ID                          string                       `json:"-" yaml:"id,omitempty"`
	ConnectionID                *string                      `json:"connectionId" yaml:"connectionId,omitempty"`
	ConnectionType              *string                      `json:"connectionType" yaml:"connectionType,omitempty"`
	ContentHandlingStrategy     *string                      `json:"contentHandlingStrategy" yaml:"contentHandlingStrategy,omitempty"`
	CredentialsArn              *string                      `json:"credentialsArn" yaml:"credentialsArn,omitempty"`
	Description                 *string                      `json:"description" yaml:"description,omitempty"`
	IntegrationMethod           *string                      `json:"integrationMethod" yaml:"integrationMethod,omitempty"`
	IntegrationSubtype          *string                      `json:"integrationSubtype" yaml:"integrationSubtype,omitempty"`
	IntegrationType             *string                      `json:"integrationType" yaml:"integrationType"`
	IntegrationURI              *string                      `json:"integrationUri" yaml:"integrationUri,omitempty"`
	PassthroughBehavior         *string                      `json:"passthroughBehavior" yaml:"passthroughBehavior,omitempty"`
	PayloadFormatVersion        *string                      `json:"payloadFormatVersion" yaml:"payloadFormatVersion,omitempty"`
	RequestParameters           map[string]string            `json:"requestParameters" yaml:"requestParameters,omitempty"`
	RequestTemplates            map[string]string            `json:"requestTemplates" yaml:"requestTemplates,omitempty"`
	ResponseParameters          map[string]map[string]string `json:"responseParameters" yaml:"responseParameters,omitempty"`
	TemplateSelectionExpression *string                      `json:"templateSelectionExpression" yaml:"templateSelectionExpression,omitempty"`
	TimeoutInMillis             *int32                       `json:"timeoutInMillis" yaml:"timeoutInMillis,omitempty"`
	TLSConfig                   *TLSConfig                   `json:"tlsConfig" yaml:"tlsConfig,omitempty"`
	// Responses are a seed integration's responses.
	Responses []IntegrationResponseInput `json:"-" yaml:"responses,omitempty"`
}

// applyIntegration validates in against api a and applies it to x with
// UpdateIntegration's rules: absent members are kept, a request parameter
// set to "" and a response-parameter status code set to {} are removed.
// Creation fills in what API Gateway fills in (connection type, timeout,
// payload format version, a Lambda proxy's POST, WebSocket passthrough).
func applyIntegration(a *api, x *integration, in *IntegrationInput, create bool) *apiError {
	ws := a.protocol == protoWebSocket
	next := *x
	if create && in.IntegrationType == nil {
		return badRequest("Missing required member integrationType")
	}
	setStr(&next.IntegrationType, in.IntegrationType)
	switch next.IntegrationType {
	case integrationAWSProxy, integrationHTTPProxy:
	case integrationAWS, integrationHTTP, integrationMock:
		if !ws {
			return badRequest("Integration type %s is supported only for WebSocket APIs; use AWS_PROXY or HTTP_PROXY", next.IntegrationType)
		}
	default:
		return badRequest("Invalid integrationType %q: must be AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK.", next.IntegrationType)
	}
	for _, m := range []struct {
		name  string
		v     *string
		lo, n int
	}{{"integrationUri", in.IntegrationURI, 1, 2048}, {"description", in.Description, 0, 1024},
		{"integrationMethod", in.IntegrationMethod, 1, 64}, {"integrationSubtype", in.IntegrationSubtype, 1, 128},
		{"connectionId", in.ConnectionID, 0, 1024}} {
		if m.v != nil {
			if err := checkLen(m.name, *m.v, m.lo, m.n); err != nil {
				return err
			}
		}
	}
	if !ws && (in.RequestTemplates != nil || in.TemplateSelectionExpression != nil || in.ContentHandlingStrategy != nil) {
		return badRequest("requestTemplates, templateSelectionExpression and contentHandlingStrategy are supported only for WebSocket APIs")
	}
	if !ws {
		// HTTP APIs keep no passthrough behavior: one sent is dropped
		// rather than refused.
		in.PassthroughBehavior = nil
	}
	if ws && (in.ResponseParameters != nil || in.TLSConfig != nil || in.IntegrationSubtype != nil) {
		return badRequest("responseParameters, tlsConfig and integrationSubtype are supported only for HTTP APIs")
	}
	setStr(&next.ConnectionID, in.ConnectionID)
	setStr(&next.ConnectionType, in.ConnectionType)
	setStr(&next.ContentHandlingStrategy, in.ContentHandlingStrategy)
	setStr(&next.CredentialsArn, in.CredentialsArn)
	setStr(&next.Description, in.Description)
	setStr(&next.IntegrationMethod, in.IntegrationMethod)
	setStr(&next.IntegrationSubtype, in.IntegrationSubtype)
	setStr(&next.IntegrationURI, in.IntegrationURI)
	setStr(&next.PassthroughBehavior, in.PassthroughBehavior)
	setStr(&next.PayloadFormatVersion, in.PayloadFormatVersion)
	setStr(&next.TemplateSelectionExpression, in.TemplateSelectionExpression)
	if in.TimeoutInMillis != nil {
		next.TimeoutInMillis = *in.TimeoutInMillis
	}
	if in.TLSConfig != nil {
		next.TLSConfig = nil
		if in.TLSConfig.ServerNameToVerify != "" {
			cp := *in.TLSConfig
			next.TLSConfig = &cp
		}
	}
	if in.RequestTemplates != nil {
		next.RequestTemplates = nonEmptyMap(in.RequestTemplates)
	}
	if in.RequestParameters != nil {
		params := nonEmptyMap(next.RequestParameters)
		if params == nil {
			params = map[string]string{}
		}
		for k, v := range in.RequestParameters {
			if v == "" {
				delete(params, k)
			} else {
				params[k] = v
			}
		}
		next.RequestParameters = nonEmptyMap(params)
	}
	if in.ResponseParameters != nil {
		resp := map[string]map[string]string{}
		for k, v := range next.ResponseParameters {
			resp[k] = v
		}
		for code, m := range in.ResponseParameters {
			if len(m) == 0 {
				delete(resp, code)
			} else {
				resp[code] = nonEmptyMap(m)
			}
		}
		next.ResponseParameters = nonEmptyMap(resp)
	}
	if create {
		if next.ConnectionType == "" {
			next.ConnectionType = "INTERNET"
		}
		if next.PayloadFormatVersion == "" {
			next.PayloadFormatVersion = "1.0"
		}
		if next.TimeoutInMillis == 0 {
			next.TimeoutInMillis = 30000
			if ws {
				next.TimeoutInMillis = 29000
			}
		}
		if next.IntegrationMethod == "" && next.IntegrationType == integrationAWSProxy && !ws {
			next.IntegrationMethod = "POST"
		}
		if next.PassthroughBehavior == "" && ws {
			next.PassthroughBehavior = "WHEN_NO_MATCH"
		}
	}
	switch next.ConnectionType {
	case "INTERNET":
		if next.ConnectionID != "" {
			return badRequest("connectionId is supported only for connectionType VPC_LINK")
		}
	case "VPC_LINK":
		if next.ConnectionID == "" {
			return badRequest("connectionId is required for connectionType VPC_LINK")
		}
	default:
		return badRequest("Invalid connectionType %q: must be INTERNET or VPC_LINK.", next.ConnectionType)
	}
	switch next.PayloadFormatVersion {
	case "1.0":
	case "2.0":
		if ws || next.IntegrationType != integrationAWSProxy {
			return badRequest("payloadFormatVersion 2.0 is supported only for Lambda proxy integrations of HTTP APIs")
		}
	default:
		return badRequest("Invalid payloadFormatVersion %q: must be 1.0 or 2.0.", next.PayloadFormatVersion)
	}
	limit := int32(30000)
	if ws {
		limit = 29000
	}
	if next.TimeoutInMillis < 50 || next.TimeoutInMillis > limit {
		return badRequest("Invalid timeoutInMillis %d: must be between 50 and %d.", next.TimeoutInMillis, limit)
	}
	if next.IntegrationURI == "" && next.IntegrationType != integrationMock && next.IntegrationSubtype == "" {
		return badRequest("integrationUri is required for integrationType %s", next.IntegrationType)
	}
	if next.IntegrationType == integrationHTTPProxy && next.IntegrationMethod == "" {
		return badRequest("integrationMethod is required for integrationType HTTP_PROXY")
	}
	*x = next
	return nil
}

// integrationInUse refuses to delete an integration a route targets.
func integrationInUse(a *api, x *integration) *apiError {
	for _, r := range a.routes {
		if r.Target == "integrations/"+x.IntegrationID {
			return conflict("Integration %s is the target of route %s; change the route first", x.IntegrationID, r.RouteKey)
		}
	}
	return nil
}
