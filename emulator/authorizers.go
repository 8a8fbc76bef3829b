package emulator

import (
	"slices"
	"strings"
)

// Authorizer types.
const (
	authorizerJWT     = "JWT"
	authorizerRequest = "REQUEST"
)

// JWTConfiguration is a JWT authorizer's issuer and audiences.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty" yaml:"audience,omitempty"`
	Issuer   string   `json:"issuer,omitempty" yaml:"issuer,omitempty"`
}

// authorizer is the stored and the wire form of an authorizer.
type authorizer struct {
	AuthorizerCredentialsArn       string            `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerID                   string            `json:"authorizerId"`
	AuthorizerPayloadFormatVersion string            `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 string            `json:"authorizerType"`
	AuthorizerURI                  string            `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          bool              `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   string            `json:"identityValidationExpression,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           string            `json:"name"`
}

// AuthorizerInput is the body of CreateAuthorizer and UpdateAuthorizer, and
// an authorizer in a seed file (with ID).
type AuthorizerInput struct {
	ID                             string            `json:"-" yaml:"id,omitempty"`
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn" yaml:"authorizerCredentialsArn,omitempty"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion" yaml:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds" yaml:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 *string           `json:"authorizerType" yaml:"authorizerType"`
	AuthorizerURI                  *string           `json:"authorizerUri" yaml:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses" yaml:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource" yaml:"identitySource,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration" yaml:"jwtConfiguration,omitempty"`
	Name                           *string           `json:"name" yaml:"name"`
}

// applyAuthorizer validates in against api a and applies it to x. JWT
// authorizers are HTTP-only and need an issuer; REQUEST (Lambda)
// authorizers need a URI, and on HTTP APIs a payload format version.
func applyAuthorizer(a *api, x *authorizer, in *AuthorizerInput, create bool) *apiError {
	ws := a.protocol == protoWebSocket
	if create {
		switch {
		case in.AuthorizerType == nil:
			return badRequest("Missing required member authorizerType")
		case in.Name == nil:
			return badRequest("Missing required member name")
		}
	}
	next := *x
	setStr(&next.AuthorizerType, in.AuthorizerType)
	setStr(&next.Name, in.Name)
	setStr(&next.AuthorizerCredentialsArn, in.AuthorizerCredentialsArn)
	setStr(&next.AuthorizerPayloadFormatVersion, in.AuthorizerPayloadFormatVersion)
	setStr(&next.AuthorizerURI, in.AuthorizerURI)
	setBool(&next.EnableSimpleResponses, in.EnableSimpleResponses)
	if in.AuthorizerResultTTLInSeconds != nil {
		next.AuthorizerResultTTLInSeconds = clonePtr(in.AuthorizerResultTTLInSeconds)
	}
	if in.IdentitySource != nil {
		next.IdentitySource = nonEmptySlice(slices.Clone(in.IdentitySource))
	}
	if in.JWTConfiguration != nil {
		jc := *in.JWTConfiguration
		jc.Audience = nonEmptySlice(slices.Clone(jc.Audience))
		next.JWTConfiguration = &jc
		if jc.Issuer == "" && jc.Audience == nil {
			next.JWTConfiguration = nil
		}
	}
	if !create && next.AuthorizerType != x.AuthorizerType {
		if err := authorizerInUse(a, x); err != nil {
			return conflict("%s; its type can't change", err.message)
		}
	}
	if err := checkLen("name", next.Name, 1, 128); err != nil {
		return err
	}
	if t := next.AuthorizerResultTTLInSeconds; t != nil && (*t < 0 || *t > 3600) {
		return badRequest("Invalid authorizerResultTtlInSeconds %d: must be between 0 and 3600.", *t)
	}
	switch next.AuthorizerType {
	case authorizerJWT:
		if ws {
			return badRequest("JWT authorizers are supported only for HTTP APIs")
		}
		if next.JWTConfiguration == nil || next.JWTConfiguration.Issuer == "" {
			return badRequest("jwtConfiguration.issuer is required for JWT authorizers")
		}
		if len(next.IdentitySource) != 1 || !strings.HasPrefix(next.IdentitySource[0], "$request.header.") {
			return badRequest("A JWT authorizer takes exactly one identity source, a request header such as $request.header.Authorization")
		}
		if next.AuthorizerURI != "" || next.AuthorizerPayloadFormatVersion != "" || next.EnableSimpleResponses {
			return badRequest("authorizerUri, authorizerPayloadFormatVersion and enableSimpleResponses are supported only for REQUEST authorizers")
		}
	case authorizerRequest:
		if next.AuthorizerURI == "" {
			return badRequest("authorizerUri is required for REQUEST authorizers")
		}
		if next.JWTConfiguration != nil {
			return badRequest("jwtConfiguration is supported only for JWT authorizers")
		}
		switch {
		case ws && next.AuthorizerPayloadFormatVersion != "":
			return badRequest("authorizerPayloadFormatVersion is supported only for HTTP APIs")
		case !ws && next.AuthorizerPayloadFormatVersion != "1.0" && next.AuthorizerPayloadFormatVersion != "2.0":
			return badRequest("authorizerPayloadFormatVersion must be 1.0 or 2.0 for REQUEST authorizers of HTTP APIs")
		}
		if next.EnableSimpleResponses && next.AuthorizerPayloadFormatVersion != "2.0" {
			return badRequest("enableSimpleResponses needs authorizerPayloadFormatVersion 2.0")
		}
		if next.AuthorizerResultTTLInSeconds == nil {
			next.AuthorizerResultTTLInSeconds = new(int32)
		}
	default:
		return badRequest("Invalid authorizerType %q: must be JWT or REQUEST.", next.AuthorizerType)
	}
	*x = next
	return nil
}

// authorizerInUse refuses to delete an authorizer a route uses, with the
// ConflictException the provider retries on.
func authorizerInUse(a *api, x *authorizer) *apiError {
	for _, r := range a.routes {
		if r.AuthorizerID == x.AuthorizerID {
			return conflict("Authorizer %s is used by route %s; detach it first", x.AuthorizerID, r.RouteKey)
		}
	}
	return nil
}
