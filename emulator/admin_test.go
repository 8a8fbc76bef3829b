package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// TestAdminRefusesForeignCallers: a web page that rebinds its DNS name to
// 127.0.0.1 sends its own Host, and a browser adds the page's Origin; the
// administration endpoints must refuse both, and accept every loopback
// spelling, so a page cannot wipe the emulator a demo is using.
func TestAdminRefusesForeignCallers(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 2, Stages: 1, Seed: 1})
	srv, _ := start(t, emulator.Options{Seed: seed})
	cases := []struct {
		name, host, origin string
		want               int
	}{
		{"ipv4 loopback", "127.0.0.1:4566", "", http.StatusNoContent},
		{"ipv4 loopback range", "127.1.2.3", "", http.StatusNoContent},
		{"ipv6 loopback", "[::1]:4566", "", http.StatusNoContent},
		{"localhost", "LocalHost:80", "", http.StatusNoContent},
		{"loopback origin", "localhost:4566", "http://127.0.0.1:8080", http.StatusNoContent},
		{"rebound name", "attacker.example:4566", "", http.StatusForbidden},
		{"rebound name no port", "attacker.example", "", http.StatusForbidden},
		{"localhost suffix", "localhost.attacker.example", "", http.StatusForbidden},
		{"lan address", "192.168.1.10:4566", "", http.StatusForbidden},
		{"any address", "0.0.0.0:4566", "", http.StatusForbidden},
		{"foreign origin", "127.0.0.1:4566", "https://attacker.example", http.StatusForbidden},
		{"null origin", "127.0.0.1:4566", "null", http.StatusForbidden},
	}
	for _, tc := range cases {
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/_emulator/reset", nil),
			httptest.NewRequest(http.MethodGet, "/_emulator/stats", nil),
		} {
			t.Run(tc.name+" "+req.URL.Path, func(t *testing.T) {
				req.Host = tc.host
				if tc.origin != "" {
					req.Header.Set("Origin", tc.origin)
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				want := tc.want
				if want == http.StatusNoContent && req.Method == http.MethodGet {
					want = http.StatusOK
				}
				if rec.Code != want {
					t.Fatalf("%s %s Host %q Origin %q: status %d, want %d (%s)", req.Method, req.URL.Path, tc.host, tc.origin, rec.Code, want, rec.Body)
				}
				if want == http.StatusForbidden && !strings.Contains(rec.Body.String(), "loopback") {
					t.Errorf("refusal does not say why: %s", rec.Body)
				}
			})
		}
	}
}

// TestAdminForeignResetKeepsState: a refused reset leaves the store as it
// was, over a real connection.
func TestAdminForeignResetKeepsState(t *testing.T) {
	_, url := start(t, emulator.Options{})
	c := client(url, "us-east-1", nil)
	if _, err := c.CreateApi(ctx(t), &apigatewayv2.CreateApiInput{Name: aws.String("keep"), ProtocolType: "HTTP"}); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, url+"/_emulator/reset", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "rebind.attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("reset from a foreign Host: %s, want 403", resp.Status)
	}
	list, err := c.GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 {
		t.Errorf("after a refused reset %d APIs, want 1", len(list.Items))
	}
}
