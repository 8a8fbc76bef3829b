package emulator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
)

// start serves an emulator built from opts on an httptest server.
func start(t testing.TB, opts emulator.Options) (*emulator.Server, string) {
	return emutest.Serve(t, opts)
}

// client is an apigatewayv2 client for url in region. Retries are off unless
// a retryer is given, so injected faults surface on the first attempt.
func client(url, region string, retryer aws.Retryer) *apigatewayv2.Client {
	if retryer == nil {
		retryer = aws.NopRetryer{}
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return retryer },
	}
	return apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(url) })
}

// signedGet sends a GET with a SigV4-shaped Authorization header, which is
// all the emulator reads, and returns the status.
func signedGet(t testing.TB, url, region string) int {
	t.Helper()
	resp := signedResponse(t, context.Background(), url, region)
	resp.Body.Close()
	return resp.StatusCode
}

// signedResponse is signedGet's response; the caller closes its body.
func signedResponse(t testing.TB, ctx context.Context, url, region string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/"+region+"/apigateway/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// fakeClock is an injectable clock for exact quota tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// recorder keeps every API Gateway and Organizations response body by
// operation, for the model conformance tests. Organizations requests are
// recorded with method TARGET and their X-Amz-Target as the path.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []recorded
}

type recorded struct {
	method, path, errType string
	status                int
	body                  []byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rw := httptest.NewRecorder()
	r.next.ServeHTTP(rw, req)
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	_, _ = w.Write(rw.Body.Bytes())
	if target := req.Header.Get("X-Amz-Target"); target != "" {
		r.mu.Lock()
		r.seen = append(r.seen, recorded{"TARGET", target, "", rw.Code, rw.Body.Bytes()})
		r.mu.Unlock()
	} else if strings.HasPrefix(req.URL.Path, "/v2/") {
		r.mu.Lock()
		r.seen = append(r.seen, recorded{req.Method, req.URL.EscapedPath(), rw.Header().Get("X-Amzn-ErrorType"), rw.Code, rw.Body.Bytes()})
		r.mu.Unlock()
	}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}
