package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Faults are injected into requests. Probabilities are per request, in
// [0,1], and their sum may not exceed 1.
type Faults struct {
	Throttle, Internal, Unavailable float64             // probability of 429 TooManyRequests / 500 / 503, all operations
	PerOperation                    map[string]OpFaults // by operation name, e.g. "GetStages"; overrides the above
	Latency, Jitter                 time.Duration       // added to every request: Latency + rand[0,Jitter)
	DenyRegions                     []string            // AccessDeniedException (403) for every call in these regions
}

// OpFaults are the faults of one operation.
type OpFaults struct {
	Throttle, Internal, Unavailable float64
	Latency, Jitter                 time.Duration
}

func (f OpFaults) validate(where string) error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"throttle", f.Throttle}, {"internal", f.Internal}, {"unavailable", f.Unavailable}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("%s: %s probability %g is outside [0,1]", where, p.name, p.v)
		}
	}
	if f.Throttle+f.Internal+f.Unavailable > 1 {
		return fmt.Errorf("%s: fault probabilities add up to more than 1", where)
	}
	if f.Latency < 0 || f.Jitter < 0 {
		return fmt.Errorf("%s: latency and jitter must not be negative", where)
	}
	return nil
}

// ParseOpFaults parses a per-operation fault setting such as
// "GetStages:throttle=0.3,latency=20ms". Keys: throttle, internal (500),
// unavailable (503), latency, jitter.
func ParseOpFaults(s string) (string, OpFaults, error) {
	op, rest, ok := strings.Cut(s, ":")
	if !ok || op == "" || rest == "" {
		return "", OpFaults{}, fmt.Errorf("fault %q: use OPERATION:key=value,..., e.g. GetStages:throttle=0.3,latency=20ms", s)
	}
	if !slices.Contains(operationNames(), op) {
		return "", OpFaults{}, fmt.Errorf("fault %q: unknown operation %q; known: %s", s, op, strings.Join(operationNames(), ", "))
	}
	var f OpFaults
	for _, kv := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", OpFaults{}, fmt.Errorf("fault %q: %q is not key=value", s, kv)
		}
		var err error
		switch k {
		case "throttle":
			f.Throttle, err = strconv.ParseFloat(v, 64)
		case "internal", "500":
			f.Internal, err = strconv.ParseFloat(v, 64)
		case "unavailable", "503":
			f.Unavailable, err = strconv.ParseFloat(v, 64)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "jitter":
			f.Jitter, err = time.ParseDuration(v)
		default:
			return "", OpFaults{}, fmt.Errorf("fault %q: unknown key %q; use throttle, internal, unavailable, latency, jitter", s, k)
		}
		if err != nil {
			return "", OpFaults{}, fmt.Errorf("fault %q: bad %s %q: %w", s, k, v, err)
		}
	}
	if err := f.validate("fault " + strconv.Quote(s)); err != nil {
		return "", OpFaults{}, err
	}
	return op, f, nil
}

func (s *Server) faultsFor(op string) OpFaults {
	if f, ok := s.opts.Faults.PerOperation[op]; ok {
		return f
	}
	g := s.opts.Faults
	return OpFaults{Throttle: g.Throttle, Internal: g.Internal, Unavailable: g.Unavailable, Latency: g.Latency, Jitter: g.Jitter}
}

// delay draws the request's latency. Draws happen only when jitter is on, so
// enabling latency alone does not shift the fault sequence.
func (s *Server) delay(f OpFaults) time.Duration {
	d := f.Latency
	if f.Jitter > 0 {
		s.rngMu.Lock()
		d += time.Duration(s.faultRNG.Int64N(int64(f.Jitter)))
		s.rngMu.Unlock()
	}
	return d
}

// injectFault draws one number per request that has any fault probability
// set, so a given FaultSeed yields the same sequence of outcomes.
func (s *Server) injectFault(f OpFaults) *apiError {
	if f.Throttle+f.Internal+f.Unavailable == 0 {
		return nil
	}
	s.rngMu.Lock()
	u := s.faultRNG.Float64()
	s.rngMu.Unlock()
	switch {
	case u < f.Throttle:
		return &apiError{status: http.StatusTooManyRequests, code: "TooManyRequestsException", message: "Too Many Requests (injected)", limitType: "Injected"}
	case u < f.Throttle+f.Internal:
		return &apiError{status: http.StatusInternalServerError, code: "InternalFailure", message: "Internal server error (injected)"}
	case u < f.Throttle+f.Internal+f.Unavailable:
		return &apiError{status: http.StatusServiceUnavailable, code: "ServiceUnavailable", message: "Service unavailable (injected)"}
	}
	return nil
}
