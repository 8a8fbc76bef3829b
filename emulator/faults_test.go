package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// TestQuotaExact: with the clock frozen, a burst of 100 requests at rate 10
// and burst 40 gets exactly 60 429s; 1.5 s later exactly 15 more pass.
func TestQuotaExact(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	srv, url := start(t, emulator.Options{Rate: 10, Burst: 40, Clock: clock.Now})
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			code := signedGet(t, url+"/v2/apis", "us-east-1")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[200] != 40 || codes[429] != 60 {
		t.Fatalf("burst of 100: %v, want 40x200 and 60x429", codes)
	}
	// Quotas are per region: another region still has a full bucket.
	if code := signedGet(t, url+"/v2/apis", "eu-west-1"); code != 200 {
		t.Errorf("eu-west-1 got %d, want 200", code)
	}
	clock.Advance(1500 * time.Millisecond)
	var ok int
	for range 16 {
		if signedGet(t, url+"/v2/apis", "us-east-1") == 200 {
			ok++
		}
	}
	if ok != 15 {
		t.Errorf("after 1.5 s at 10/s: %d requests passed, want 15", ok)
	}
	if st := srv.Stats(); st.Throttled != 61 || st.Operations["GetApis"] != 117 {
		t.Errorf("stats = %+v, want 61 throttled of 117 GetApis", st)
	}
}

func TestQuotaErrorIsThrottle(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, url := start(t, emulator.Options{Rate: 1, Burst: 1, Clock: clock.Now})
	c := client(url, "us-east-1", nil)
	if _, err := c.GetApis(ctx(t), &apigatewayv2.GetApisInput{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	tm := wantErr[*types.TooManyRequestsException](t, "second call", err)
	if aws.ToString(tm.LimitType) == "" {
		t.Error("TooManyRequestsException without limitType")
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
		t.Error("the SDK does not classify the quota 429 as throttling")
	}
}

// TestInjectedFaultsRetried: the standard retryer treats injected 429 as
// throttling and 500/503 as retryable, so it makes all its attempts.
func TestInjectedFaultsRetried(t *testing.T) {
	for name, f := range map[string]emulator.Faults{
		"throttle":    {Throttle: 1},
		"internal":    {Internal: 1},
		"unavailable": {Unavailable: 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv, url := start(t, emulator.Options{Faults: f})
			retryer := retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = noRateLimit{}
			})
			_, err := client(url, "us-east-1", retryer).GetApis(ctx(t), &apigatewayv2.GetApisInput{})
			if err == nil {
				t.Fatal("want an error")
			}
			if got := srv.Stats().Operations["GetApis"]; got != 3 {
				t.Errorf("%d attempts, want 3 (retryable): %v", got, err)
			}
			if srv.Stats().Injected != 3 {
				t.Errorf("injected = %d, want 3", srv.Stats().Injected)
			}
			if name == "throttle" {
				wantErr[*types.TooManyRequestsException](t, "injected throttle", err)
				if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
					t.Error("injected 429 is not classified as throttling")
				}
			} else if retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) != aws.TrueTernary {
				t.Error("injected 5xx is not classified as retryable")
			}
		})
	}
}

type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func faultSequence(t *testing.T, seed int64) []int {
	_, url := start(t, emulator.Options{FaultSeed: seed, Faults: emulator.Faults{
		Throttle: 0.2, Internal: 0.1, Unavailable: 0.1, Jitter: time.Millisecond,
		PerOperation: map[string]emulator.OpFaults{"GetApi": {Throttle: 1}},
	}})
	codes := make([]int, 0, 200)
	for range 200 {
		codes = append(codes, signedGet(t, url+"/v2/apis", "us-east-1"))
	}
	return codes
}

func TestFaultsDeterministic(t *testing.T) {
	a, b, other := faultSequence(t, 7), faultSequence(t, 7), faultSequence(t, 8)
	if !slices.Equal(a, b) {
		t.Fatal("same FaultSeed gave different fault sequences")
	}
	if slices.Equal(a, other) {
		t.Error("different FaultSeeds gave the same 200-request sequence")
	}
	counts := map[int]int{}
	for _, c := range a {
		counts[c]++
	}
	// 40% of 200 requests should fail; a seeded PRNG lands well inside this.
	if counts[200] < 90 || counts[200] > 150 || counts[429] == 0 || counts[500] == 0 || counts[503] == 0 {
		t.Errorf("fault mix %v is implausible for 20%%/10%%/10%%", counts)
	}
}

func TestPerOperationFaultsAndDenyRegion(t *testing.T) {
	_, url := start(t, emulator.Options{Faults: emulator.Faults{
		PerOperation: map[string]emulator.OpFaults{"GetStages": {Unavailable: 1}},
		DenyRegions:  []string{"eu-west-1"},
	}})
	if code := signedGet(t, url+"/v2/apis", "us-east-1"); code != 200 {
		t.Errorf("GetApis got %d, want 200", code)
	}
	if code := signedGet(t, url+"/v2/apis/abc/stages", "us-east-1"); code != 503 {
		t.Errorf("GetStages got %d, want the injected 503", code)
	}
	// GetApis does not model AccessDeniedException, so the SDK reports it
	// as a generic API error with that code, as it would from AWS.
	_, err := client(url, "eu-west-1", nil).GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	wantCode(t, "denied region", err, "AccessDeniedException")
}

func TestOptionsValidation(t *testing.T) {
	for name, o := range map[string]emulator.Options{
		"short account":       {Account: "123"},
		"probability > 1":     {Faults: emulator.Faults{Throttle: 1.5}},
		"sum > 1":             {Faults: emulator.Faults{Throttle: 0.6, Internal: 0.6}},
		"unknown operation":   {Faults: emulator.Faults{PerOperation: map[string]emulator.OpFaults{"GetWidgets": {}}}},
		"bad deny region":     {Faults: emulator.Faults{DenyRegions: []string{"mars"}}},
		"negative rate":       {Rate: -1},
		"negative op latency": {Faults: emulator.Faults{PerOperation: map[string]emulator.OpFaults{"GetApis": {Latency: -1}}}},
	} {
		if _, err := emulator.New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
}

func TestParseOpFaults(t *testing.T) {
	op, f, err := emulator.ParseOpFaults("GetStages:throttle=0.3,latency=20ms,jitter=5ms,internal=0.1,unavailable=0.2")
	if err != nil || op != "GetStages" || f != (emulator.OpFaults{Throttle: 0.3, Internal: 0.1, Unavailable: 0.2, Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond}) {
		t.Fatalf("got %q %+v %v", op, f, err)
	}
	for _, bad := range []string{"GetStages", "Nope:throttle=1", "GetStages:throttle=x", "GetStages:speed=1", "GetStages:throttle=2"} {
		if _, _, err := emulator.ParseOpFaults(bad); err == nil {
			t.Errorf("ParseOpFaults(%q) accepted", bad)
		}
	}
}

func TestSTSGetCallerIdentity(t *testing.T) {
	_, url := start(t, emulator.Options{Account: "111122223333"})
	for akid, want := range map[string]string{"AKIDEXAMPLE": "111122223333", "444455556666": "444455556666"} {
		c := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
			Credentials: credentials.NewStaticCredentialsProvider(akid, "secret", "")})
		out, err := c.GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != want || !strings.Contains(aws.ToString(out.Arn), want) || out.UserId == nil {
			t.Errorf("key %s: identity %+v, want account %s", akid, out, want)
		}
	}
}

func TestAdminStatsAndReset(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 3, Stages: 2, Seed: 1})
	srv, url := start(t, emulator.Options{Seed: seed})
	c := client(url, "us-east-1", nil)
	if _, err := c.CreateApi(ctx(t), &apigatewayv2.CreateApiInput{Name: aws.String("extra"), ProtocolType: types.ProtocolTypeHttp}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetApi(ctx(t), &apigatewayv2.GetApiInput{ApiId: aws.String("missing")}); err == nil {
		t.Fatal("want NotFound")
	}
	resp, err := http.Get(url + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st emulator.Stats
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Operations["CreateApi"] != 1 || st.Operations["GetApi"] != 1 || st.Mutating != 1 {
		t.Errorf("stats = %+v", st)
	}
	resp, err = http.Post(url+"/_emulator/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reset: %s", resp.Status)
	}
	list, err := c.GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 {
		t.Errorf("after reset %d APIs, want the seed's 3", len(list.Items))
	}
	if st := srv.Stats(); st.Mutating != 0 || st.Operations["GetApis"] != 1 || len(st.Operations) != 1 {
		t.Errorf("stats after reset = %+v", st)
	}
}

func TestUnsignedRequestRejected(t *testing.T) {
	_, url := start(t, emulator.Options{})
	resp, err := http.Get(url + "/v2/apis")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-ErrorType") == "" || !strings.Contains(string(body), `"message"`) {
		t.Errorf("unsigned request: %s %s %s", resp.Status, resp.Header.Get("X-Amzn-ErrorType"), body)
	}
}

func TestListenAndServe(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(cx, "127.0.0.1:0", func(a string) { addrc <- a }) }()
	addr := <-addrc
	if code := signedGet(t, "http://"+addr+"/v2/apis", "us-east-1"); code != 200 {
		t.Errorf("GetApis over TCP: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenAndServe after cancel: %v", err)
	}
	if err := srv.ListenAndServe(context.Background(), "256.0.0.1:1", nil); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("bad address: %v", err)
	}
}

// TestLatencyHonoursCancellation: an hour of injected latency ends when the
// client gives up; the server's Close, which waits for handlers, would hang
// otherwise.
func TestLatencyHonoursCancellation(t *testing.T) {
	srv, url := start(t, emulator.Options{Faults: emulator.Faults{Latency: time.Hour}})
	cx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client(url, "us-east-1", nil).GetApis(cx, &apigatewayv2.GetApisInput{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the client's deadline", err)
	}
	if srv.Stats().Operations["GetApis"] != 1 {
		t.Errorf("stats = %+v", srv.Stats())
	}
}

func TestDebugLogLinePerRequest(t *testing.T) {
	var buf syncBuffer
	_, url := start(t, emulator.Options{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	signedGet(t, url+"/v2/apis", "eu-west-1")
	signedGet(t, url+"/v2/apis/nope", "eu-west-1")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "op=GetApis") || !strings.Contains(lines[0], "region=eu-west-1") ||
		!strings.Contains(lines[1], "status=404") || !strings.Contains(lines[1], "error=NotFoundException") {
		t.Errorf("log lines:\n%s", buf.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestIDsComeFromTheSeedOnly: one seed serves the same ids (deployments,
// routes) whatever the fault seed, so a --synthetic account is the same
// account under any faults (issue 12: the fault seed drew them).
func TestIDsComeFromTheSeedOnly(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 12, Stages: 3, Seed: 5})
	dump := func(faultSeed int64) string {
		_, url := start(t, emulator.Options{Seed: seed, FaultSeed: faultSeed})
		var doc struct {
			Items []struct {
				APIID string `json:"apiId"`
			} `json:"items"`
		}
		apis := rawGet(t, url+"/v2/apis?maxResults=500", "us-east-1")
		if err := json.Unmarshal(apis, &doc); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.Write(apis)
		for _, a := range doc.Items {
			b.Write(rawGet(t, url+"/v2/apis/"+a.APIID+"/stages", "us-east-1"))
			b.Write(rawGet(t, url+"/v2/apis/"+a.APIID+"/routes", "us-east-1"))
		}
		return b.String()
	}
	plain := dump(0)
	if !strings.Contains(plain, `"deploymentId"`) {
		t.Fatal("the seed has no deployment ids; the test proves nothing")
	}
	for _, fs := range []int64{1, 7} {
		if got := dump(fs); got != plain {
			t.Errorf("fault seed %d changed the seeded account's ids", fs)
		}
	}
}
