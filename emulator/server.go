package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// DefaultAccount is the account the emulator serves when none is configured.
const DefaultAccount = "123456789012"

// Options configure a Server. The zero value is a fault-free, unlimited,
// empty emulator for DefaultAccount.
type Options struct {
	Account   string       // 12 digits; default "123456789012" (or the seed's only account, or its organization's management account)
	Seed      *Seed        // initial resources (Reset returns to it); nil = empty; not to be modified after New
	Rate      float64      // token-bucket quota per account+region, requests/s; 0 = unlimited
	Burst     int          // bucket size; 0 with Rate > 0 means max(1, int(Rate))
	Faults    Faults       // injected faults; all off by default
	FaultSeed int64        // makes injected faults and jitter deterministic; ids never depend on it
	Logger    *slog.Logger // nil = discard; one line per request at debug level
	// Clock is the time source for the quota and timestamps; nil = time.Now.
	// Tests inject it to make quota decisions exact.
	Clock func() time.Time
	// Capture keeps every API Gateway V2 request for Requests, so tests can
	// check what a client sent.
	Capture bool
}

// Stats are request counts since start or the last Reset.
type Stats struct {
	Operations map[string]int64 `json:"operations"` // requests per operation, rejected ones included
	Throttled  int64            `json:"throttled"`  // 429s from the quota
	Injected   int64            `json:"injected"`   // injected 429/500/503s
	Mutating   int64            `json:"mutating"`   // mutating calls that succeeded
}

// Server is the emulator. It is an http.Handler; use it with httptest or
// ListenAndServe.
type Server struct {
	opts    Options
	account string
	log     *slog.Logger
	now     func() time.Time

	mu     sync.RWMutex
	stores map[storeKey]*regionStore

	rngMu    sync.Mutex
	faultRNG *rand.Rand
	idRNG    *rand.Rand

	capture capture

	statsMu    sync.Mutex
	opCounts   map[string]int64
	throttled  atomic.Int64
	injected   atomic.Int64
	mutating   atomic.Int64
	requestSeq atomic.Int64
}

type storeKey struct{ account, region string }

// isAccountID reports whether s is an account id: 12 digits. Every request
// asks (see accountFor), so it is not a regular expression.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// New validates opts and builds a server holding opts.Seed.
func New(opts Options) (*Server, error) {
	account := opts.Account
	if account == "" {
		account = DefaultAccount
		switch {
		case opts.Seed.organization() != nil:
			// Unsigned-for-an-account callers act as the management
			// account, which is who lists an organization.
			account = opts.Seed.Organization.ManagementAccount
		case opts.Seed != nil && len(opts.Seed.Accounts) == 1:
			account = opts.Seed.Accounts[0].ID
		}
	}
	if !isAccountID(account) {
		return nil, fmt.Errorf("account %q must be 12 digits", account)
	}
	if opts.Rate < 0 || opts.Burst < 0 {
		return nil, fmt.Errorf("rate %g and burst %d must not be negative", opts.Rate, opts.Burst)
	}
	if err := (OpFaults{Throttle: opts.Faults.Throttle, Internal: opts.Faults.Internal, Unavailable: opts.Faults.Unavailable,
		Latency: opts.Faults.Latency, Jitter: opts.Faults.Jitter}).validate("faults"); err != nil {
		return nil, err
	}
	known := operationNames()
	for name, f := range opts.Faults.PerOperation {
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("faults for unknown operation %q; known: %s", name, strings.Join(known, ", "))
		}
		if err := f.validate("faults for " + name); err != nil {
			return nil, err
		}
	}
	for _, r := range opts.Faults.DenyRegions {
		if !isRegion(r) {
			return nil, fmt.Errorf("deny region %q is not a region name such as us-east-1", r)
		}
	}
	s := &Server{opts: opts, account: account, log: opts.Logger, now: opts.Clock}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.reset(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reset returns the server to its seed and zeroes the stats, the quota
// buckets and the fault and id sequences.
func (s *Server) Reset() {
	// The seed was built once in New, so building it again cannot fail.
	if err := s.reset(); err != nil {
		s.log.Error("emulator reset", "err", err)
	}
}

func (s *Server) reset() error {
	s.rngMu.Lock()
	s.faultRNG = rand.New(rand.NewPCG(uint64(s.opts.FaultSeed), 0x6661756c74))
	s.idRNG = newIDRand()
	s.rngMu.Unlock()
	stores := map[storeKey]*regionStore{}
	if s.opts.Seed != nil {
		if err := s.build(s.opts.Seed, stores); err != nil {
			return fmt.Errorf("loading seed: %w", err)
		}
	}
	s.mu.Lock()
	s.stores = stores
	s.mu.Unlock()
	s.statsMu.Lock()
	s.opCounts = map[string]int64{}
	s.throttled.Store(0)
	s.injected.Store(0)
	s.mutating.Store(0)
	s.statsMu.Unlock()
	return nil
}

// Stats returns a snapshot of the request counts.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	ops := make(map[string]int64, len(s.opCounts))
	for k, v := range s.opCounts {
		ops[k] = v
	}
	return Stats{Operations: ops, Throttled: s.throttled.Load(), Injected: s.injected.Load(), Mutating: s.mutating.Load()}
}

func (s *Server) count(op string) {
	s.statsMu.Lock()
	s.opCounts[op]++
	s.statsMu.Unlock()
}

// store returns the store of an account and region, creating it empty on
// first use.
func (s *Server) store(account, region string) *regionStore {
	k := storeKey{account, region}
	s.mu.RLock()
	st := s.stores[k]
	s.mu.RUnlock()
	if st != nil {
		return st
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st = s.stores[k]; st == nil {
		st = s.newStore(account, region)
		s.stores[k] = st
	}
	return st
}

func (s *Server) newStore(account, region string) *regionStore {
	st := &regionStore{account: account, region: region, apis: map[string]*api{}}
	if s.opts.Rate > 0 {
		burst := s.opts.Burst
		if burst == 0 {
			burst = max(1, int(s.opts.Rate))
		}
		st.limiter = rate.NewLimiter(rate.Limit(s.opts.Rate), burst)
	}
	return st
}

// newIDRand returns the sequence generated ids are drawn from. It is the
// same for every server, so the ids of a seed's resources depend on the
// seed alone, whatever the fault seed: a --synthetic account is the same
// account under any faults.
func newIDRand() *rand.Rand { return rand.New(rand.NewPCG(0, 0x696473)) }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func (s *Server) newID(n int) string {
	b := make([]byte, n)
	s.rngMu.Lock()
	for i := range b {
		b[i] = idAlphabet[s.idRNG.IntN(len(idAlphabet))]
	}
	s.rngMu.Unlock()
	return string(b)
}

// uniqueID returns a fresh 10-character API id for which taken is false.
func (s *Server) uniqueID(taken func(string) bool) string {
	for {
		if id := s.newID(10); !taken(id) {
			return id
		}
	}
}

func (s *Server) uniqueDeploymentID(a *api) string {
	for {
		if id := s.newID(6); !a.hasDeployment(id) {
			return id
		}
	}
}

// ServeHTTP routes a request: /_emulator/* administration, STS, or an API
// Gateway V2 operation in the caller's account and region.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := fmt.Sprintf("emu-%012d", s.requestSeq.Add(1))
	w.Header().Set("X-Amzn-RequestId", reqID)
	if strings.HasPrefix(r.URL.Path, "/_emulator/") {
		s.serveAdmin(w, r)
		return
	}
	cred, credErr := parseCredential(r)
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), orgTargetPrefix) {
		s.serveOrganizations(w, r, cred, credErr)
		return
	}
	if (credErr == nil && cred.service == "sts") || (r.URL.Path == "/" && r.Method == http.MethodPost) {
		s.serveSTS(w, r, cred)
		return
	}
	op, labels, ok := match(r.Method, r.URL.EscapedPath())
	if !ok {
		writeError(w, &apiError{status: http.StatusNotFound, code: "UnknownOperationException",
			message: "no API Gateway V2 operation at " + r.Method + " " + r.URL.Path})
		return
	}
	s.count(op.name)
	status, err := s.serveOp(w, r, op, labels, cred, credErr)
	// Checked first: the arguments alone cost allocations on every request.
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.Debug("request", "op", op.name, "region", cred.region, "account", s.accountFor(cred),
			"status", status, "error", errCode(err), "request_id", reqID, "duration", time.Since(start))
	}
}

func errCode(err *apiError) string {
	if err == nil {
		return ""
	}
	return err.code
}

func (s *Server) serveOp(w http.ResponseWriter, r *http.Request, op *operation, labels []string, cred credential, credErr error) (int, *apiError) {
	fail := func(e *apiError) (int, *apiError) {
		writeError(w, e)
		return e.status, e
	}
	if credErr != nil {
		return fail(&apiError{status: http.StatusForbidden, code: "MissingAuthenticationTokenException", message: credErr.Error()})
	}
	f := s.faultsFor(op.name)
	if d := s.delay(f); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return fail(&apiError{status: 499, code: "RequestCanceled", message: "client went away"})
		}
	}
	if slices.Contains(s.opts.Faults.DenyRegions, cred.region) {
		return fail(&apiError{status: http.StatusForbidden, code: "AccessDeniedException",
			message: fmt.Sprintf("User: arn:aws:iam::%s:user/emulator is not authorized to perform: apigateway:%s in region %s", s.accountFor(cred), op.method, cred.region)})
	}
	st := s.store(s.accountFor(cred), cred.region)
	now := s.now()
	if st.limiter != nil && !st.limiter.AllowN(now, 1) {
		s.throttled.Add(1)
		return fail(&apiError{status: http.StatusTooManyRequests, code: "TooManyRequestsException", message: "Too Many Requests", limitType: "AccountRegionQuota"})
	}
	if e := s.injectFault(f); e != nil {
		s.injected.Add(1)
		return fail(e)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return fail(badRequest("reading request body: %v", err))
	}
	if s.opts.Capture {
		s.capture.add(op.name, r.Method, r.URL.EscapedPath(), body)
	}
	resp, e := op.h(s, &call{st: st, labels: labels, query: r.URL.Query(), body: body, now: now.UTC().Truncate(time.Second)})
	if e != nil {
		return fail(e)
	}
	if op.mutating {
		s.mutating.Add(1)
	}
	if resp.body != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	if resp.body != nil {
		_, _ = w.Write(resp.body)
	}
	return resp.status, nil
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := struct {
		Message      string `json:"message"`
		ResourceType string `json:"resourceType,omitempty"`
		LimitType    string `json:"limitType,omitempty"`
	}{e.message, e.resourceType, e.limitType}
	b, _ := json.Marshal(body) // plain strings always marshal
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
}

// credential is the SigV4 credential scope of a request.
type credential struct {
	accessKey, region, service string
}

// parseCredential reads the credential scope from the Authorization header
// (or a presigned X-Amz-Credential): AKID/DATE/REGION/SERVICE/aws4_request.
func parseCredential(r *http.Request) (credential, error) {
	scope := r.URL.Query().Get("X-Amz-Credential")
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, ok := strings.Cut(h, "Credential=")
		if !ok {
			return credential{}, errors.New("authorization header has no Credential")
		}
		scope, _, _ = strings.Cut(rest, ",")
	}
	if scope == "" {
		return credential{}, errors.New("missing authentication token: sign requests with SigV4")
	}
	parts := strings.Split(strings.TrimSpace(scope), "/")
	if len(parts) != 5 || !isRegion(parts[2]) {
		return credential{}, fmt.Errorf("malformed credential scope %q", scope)
	}
	return credential{accessKey: parts[0], region: parts[2], service: parts[3]}, nil
}

// accountFor maps a caller to an account: an access key id of 12 digits
// selects that account (for multi-account tests), any other key the
// configured one.
func (s *Server) accountFor(c credential) string {
	if isAccountID(c.accessKey) {
		return c.accessKey
	}
	return s.account
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if err := adminCaller(r); err != nil {
		writeError(w, &apiError{status: http.StatusForbidden, code: "AccessDeniedException", message: err.Error()})
		return
	}
	switch {
	case r.URL.Path == "/_emulator/stats" && r.Method == http.MethodGet:
		b, err := json.Marshal(s.Stats())
		if err != nil {
			writeError(w, &apiError{status: http.StatusInternalServerError, code: "InternalFailure", message: err.Error()})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case r.URL.Path == "/_emulator/reset" && r.Method == http.MethodPost:
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, &apiError{status: http.StatusNotFound, code: "NotFoundException",
			message: "unknown emulator endpoint " + r.Method + " " + r.URL.Path + "; use GET /_emulator/stats or POST /_emulator/reset"})
	}
}

// adminCaller refuses an administration request that did not come from this
// machine: a Host that is not loopback is what a DNS-rebinding web page
// sends, and a foreign Origin is a browser acting for another site.
func adminCaller(r *http.Request) error {
	if !loopbackHost(r.Host) {
		return fmt.Errorf("emulator administration refused for Host %q: only loopback hosts (127.0.0.0/8, ::1, localhost) may use /_emulator/", r.Host)
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || !loopbackHost(u.Host) {
		return fmt.Errorf("emulator administration refused for Origin %q: only pages on loopback hosts may use /_emulator/", origin)
	}
	return nil
}

// loopbackHost reports whether hostport (a Host header, port optional) names
// this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveSTS answers GetCallerIdentity and AssumeRole in the query protocol
// (form POST or GET, XML response), which is all apigw2tf asks of STS.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, cred credential) {
	action := ""
	if err := r.ParseForm(); err == nil {
		action = r.Form.Get("Action")
	}
	switch action {
	case "GetCallerIdentity":
		s.count(action)
		s.getCallerIdentity(w, r, cred)
	case "AssumeRole":
		s.count(action)
		s.assumeRole(w, r, cred)
	default:
		s.count("GetCallerIdentity")
		writeSTSError(w, http.StatusBadRequest, "InvalidAction", "only GetCallerIdentity and AssumeRole are supported")
	}
}

// ListenAndServe serves on addr until ctx is cancelled, then shuts down
// gracefully. ready, if not nil, is called with the bound address (useful
// with port 0) once the listener accepts connections.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down emulator: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving on %s: %w", addr, err)
	}
	return nil
}
