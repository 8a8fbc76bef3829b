package emulator

// integrationResponse is the stored and the wire form of a WebSocket
// integration's response.
type integrationResponse struct {
	ContentHandlingStrategy     string            `json:"contentHandlingStrategy,omitempty"`
	IntegrationResponseID       string            `json:"integrationResponseId"`
	IntegrationResponseKey      string            `json:"integrationResponseKey"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	TemplateSelectionExpression string            `json:"templateSelectionExpression,omitempty"`
}

// IntegrationResponseInput is the body of CreateIntegrationResponse and
// UpdateIntegrationResponse, and an integration's response in a seed file
// (with ID).
type IntegrationResponseInput struct {
	ID                          string            `json:"-" yaml:"id,omitempty"`
	ContentHandlingStrategy     *string           `json:"contentHandlingStrategy" yaml:"contentHandlingStrategy,omitempty"`
	IntegrationResponseKey      *string           `json:"integrationResponseKey" yaml:"integrationResponseKey"`
	ResponseParameters          map[string]string `json:"responseParameters" yaml:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates" yaml:"responseTemplates,omitempty"`
	TemplateSelectionExpression *string           `json:"templateSelectionExpression" yaml:"templateSelectionExpression,omitempty"`
}

var integrationResponses = child[integrationResponse, IntegrationResponseInput]{
	kind: "IntegrationResponse",
	nested: func(a *api, integrationID string) (*[]integrationResponse, *apiError) {
		i, err := integrations.index(a, integrationID)
		if err != nil {
			return nil, err
		}
		return &a.integrations[i].responses, nil
	},
	id:      func(x *integrationResponse) *string { return &x.IntegrationResponseID },
	managed: func(*integrationResponse) bool { return false },
	apply:   applyIntegrationResponse,
	inUse:   func(*api, *integrationResponse) *apiError { return nil },
}

func applyIntegrationResponse(a *api, siblings []integrationResponse, x *integrationResponse, self int, in *IntegrationResponseInput, create bool) *apiError {
	if a.protocol != protoWebSocket {
		return badRequest("Integration responses are supported only for WebSocket APIs")
	}
	if create && in.IntegrationResponseKey == nil {
		return badRequest("Missing required member integrationResponseKey")
	}
	next := *x
	setStr(&next.IntegrationResponseKey, in.IntegrationResponseKey)
	setStr(&next.ContentHandlingStrategy, in.ContentHandlingStrategy)
	setStr(&next.TemplateSelectionExpression, in.TemplateSelectionExpression)
	switch next.ContentHandlingStrategy {
	case "", "CONVERT_TO_BINARY", "CONVERT_TO_TEXT":
	default:
		return badRequest("Invalid contentHandlingStrategy %q: must be CONVERT_TO_BINARY or CONVERT_TO_TEXT", next.ContentHandlingStrategy)
	}
	if in.ResponseParameters != nil {
		next.ResponseParameters = nonEmptyMap(in.ResponseParameters)
	}
	if in.ResponseTemplates != nil {
		next.ResponseTemplates = nonEmptyMap(in.ResponseTemplates)
	}
	for i, o := range siblings {
		if i != self && o.IntegrationResponseKey == next.IntegrationResponseKey {
			return conflict("IntegrationResponse with key %s already exists for this Integration", next.IntegrationResponseKey)
		}
	}
	*x = next
	return nil
}
