package emulator

import (
	"encoding/json"
	"slices"
	"sync"
)

// Request is one API Gateway V2 request the emulator received with
// Options.Capture set: what a test needs to check what a client sent.
type Request struct {
	Operation string         // e.g. "CreateStage"
	Method    string         // HTTP method
	Path      string         // URL path as sent (labels percent-encoded)
	Body      map[string]any // the JSON body decoded; nil when there was none
}

// capture keeps requests for Requests when Options.Capture is set.
type capture struct {
	mu   sync.Mutex
	reqs []Request
}

func (c *capture) add(op, method, path string, body []byte) {
	r := Request{Operation: op, Method: method, Path: path}
	if len(body) > 0 {
		// A body that is not a JSON object is kept as nil: the handler
		// rejects it, and a test sees that in the response.
		_ = json.Unmarshal(body, &r.Body)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, r)
}

// Requests returns the API Gateway V2 requests received so far, oldest
// first, or nil unless Options.Capture is set. Requests rejected before
// their body was read (credentials, quota, injected faults) are not in it.
func (s *Server) Requests() []Request {
	s.capture.mu.Lock()
	defer s.capture.mu.Unlock()
	return slices.Clone(s.capture.reqs)
}
