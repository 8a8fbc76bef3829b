package emulator

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

const (
	protoHTTP      = "HTTP"
	protoWebSocket = "WEBSOCKET"

	defaultHTTPRouteSelection = "$request.method $request.path"
	defaultAPIKeySelection    = "$request.header.x-api-key"
	defaultIPAddressType      = "ipv4"
	defaultStage              = "$default"
)

// apiError is an error API Gateway reports to the client: the status, the
// X-Amzn-ErrorType code and the JSON body members.
type apiError struct {
	status       int
	code         string
	message      string
	resourceType string
	limitType    string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "BadRequestException", message: fmt.Sprintf(format, args...)}
}

func notFound(resourceType, format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, code: "NotFoundException", message: fmt.Sprintf(format, args...), resourceType: resourceType}
}

func conflict(format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, code: "ConflictException", message: fmt.Sprintf(format, args...)}
}

var (
	httpRouteKey = regexp.MustCompile(`^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$`)
	stageNameRE  = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)
	stageVarKey  = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	stageVarVal  = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=, ]*$`)
	idRE         = regexp.MustCompile(`^[a-z0-9]{1,64}$`)
)

// isRegion reports whether s is a region name such as us-east-1 or
// us-gov-west-1: two letters, one or more words, a number, joined by
// hyphens. Every request's credential scope is checked, so it is not a
// regular expression.
func isRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		last := i == len(parts)-1
		for j := range len(p) {
			c := p[j]
			if last && (c < '0' || c > '9') || !last && (c < 'a' || c > 'z') {
				return false
			}
		}
	}
	return true
}

func checkLen(member, v string, lo, hi int) *apiError {
	if n := utf8.RuneCountInString(v); n < lo || n > hi {
		return badRequest("Invalid %s specified. Must be between %d and %d characters in length.", member, lo, hi)
	}
	return nil
}

func checkRouteKey(protocol, key string) *apiError {
	if key == "" || utf8.RuneCountInString(key) > 128 {
		return badRequest("Invalid route key specified: %q", key)
	}
	if protocol == protoHTTP && key != defaultStage && !httpRouteKey.MatchString(key) {
		return badRequest("Invalid route key specified: %q. Route keys for HTTP APIs are $default or a method and a resource path, e.g. \"GET /pets\".", key)
	}
	return nil
}

func checkTags(tags map[string]string) *apiError {
	if len(tags) > 50 {
		return badRequest("Too many tags specified: %d; at most 50 are allowed.", len(tags))
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 128 {
			return badRequest("Invalid tag key %q: must be between 1 and 128 characters in length.", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return badRequest("Invalid tag key %q: the aws: prefix is reserved.", k)
		}
		if utf8.RuneCountInString(v) > 256 {
			return badRequest("Invalid tag value for key %q: at most 256 characters are allowed.", k)
		}
	}
	return nil
}

func checkCors(c *Cors) *apiError {
	if c.MaxAge != nil && (*c.MaxAge < -1 || *c.MaxAge > 86400) {
		return badRequest("Invalid maxAge %d in corsConfiguration: must be between -1 and 86400.", *c.MaxAge)
	}
	if c.AllowCredentials != nil && *c.AllowCredentials && containsString(c.AllowOrigins, "*") {
		return badRequest("allow-credentials is not supported when allow-origins contains the wildcard *.")
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func checkRouteSettings(protocol, where string, rs *RouteSettings) *apiError {
	if protocol == protoHTTP && (rs.LoggingLevel != "" || (rs.DataTraceEnabled != nil && *rs.DataTraceEnabled)) {
		return badRequest("Execution logs are not supported on protocolType HTTP")
	}
	switch rs.LoggingLevel {
	case "", "ERROR", "INFO", "OFF":
	default:
		return badRequest("Invalid loggingLevel %q in %s: must be ERROR, INFO or OFF.", rs.LoggingLevel, where)
	}
	if rs.ThrottlingBurstLimit != nil && *rs.ThrottlingBurstLimit < 0 {
		return badRequest("Invalid throttlingBurstLimit %d in %s: must not be negative.", *rs.ThrottlingBurstLimit, where)
	}
	if rs.ThrottlingRateLimit != nil && !(*rs.ThrottlingRateLimit >= 0 && *rs.ThrottlingRateLimit <= math.MaxFloat64) {
		return badRequest("Invalid throttlingRateLimit %g in %s: must not be negative.", *rs.ThrottlingRateLimit, where)
	}
	return nil
}

func checkAccessLog(al *AccessLogSettings) *apiError {
	if !strings.HasPrefix(al.DestinationArn, "arn:") {
		return badRequest("Invalid destinationArn %q in accessLogSettings: must be a CloudWatch Logs log group ARN.", al.DestinationArn)
	}
	if al.Format == "" || utf8.RuneCountInString(al.Format) > 1024 {
		return badRequest("Invalid format in accessLogSettings: must be between 1 and 1024 characters in length.")
	}
	return nil
}

func checkStageVariables(vars map[string]string, allowEmpty bool) *apiError {
	for k, v := range vars {
		if !stageVarKey.MatchString(k) || len(k) > 64 {
			return badRequest("Invalid stage variable name %q: use 1-64 alphanumerics and underscores.", k)
		}
		if (v == "" && !allowEmpty) || len(v) > 512 || !stageVarVal.MatchString(v) {
			return badRequest("Invalid stage variable value for %q: use 1-512 alphanumerics, spaces and -._~:/?#&=,", k)
		}
	}
	return nil
}
