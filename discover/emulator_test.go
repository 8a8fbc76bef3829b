package discover

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/inventory"
)

const testAccount = "210987654321"

// TestMain keeps the developer's AWS setup out of the tests: no profile,
// config file or endpoint variable may change what the SDK resolves.
func TestMain(m *testing.M) {
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_APIGATEWAYV2", "AWS_ENDPOINT_URL_STS", "AWS_MAX_ATTEMPTS",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

// serve starts an in-process emulator and returns it with its URL.
func serve(t testing.TB, opts emulator.Options) (*emulator.Server, string) {
	t.Helper()
	if opts.Account == "" {
		opts.Account = testAccount
	}
	return emutest.Serve(t, opts)
}

// testOptions point discovery at an emulator with static credentials, no
// client-side quota and millisecond backoff, so fault tests run fast.
func testOptions(url string, regions ...string) Options {
	return Options{
		Regions:     regions,
		EndpointURL: url,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Rate:        Unlimited,
		MaxBackoff:  2 * time.Millisecond,
		MaxAttempts: 25,
		CapturedAt:  time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
	}
}

// seedSpec describes a generated account: APIs per region, stages per API.
type seedSpec struct {
	regions map[string]int
	stages  int
}

// buildSeed makes a deterministic account with varied attributes: every
// fifth API is WebSocket, APIs carry tags (team, index) except that i%7 == 5
// has none and i%7 == 6 has no team, stages carry variables, tags, access
// logs and route settings.
func buildSeed(spec seedSpec) *emulator.Seed {
	acct := emulator.AccountSeed{ID: testAccount}
	for region, n := range spec.regions {
		rs := emulator.RegionSeed{Name: region}
		for i := range n {
			a := emulator.APISeed{
				ID:           fmt.Sprintf("%s%05d", regionTag(region), i),
				Name:         fmt.Sprintf("api-%s-%05d", region, i),
				ProtocolType: inventory.ProtocolHTTP,
				Tags:         map[string]string{"team": []string{"payments", "orders", "search"}[i%3], "index": fmt.Sprint(i)},
				Description:  ptr(fmt.Sprintf("api number %d", i)),
			}
			// Some APIs carry no tags and some lack the team key, as real
			// accounts do: a tag filter must drop both.
			switch i % 7 {
			case 5:
				a.Tags = nil
			case 6:
				delete(a.Tags, "team")
			}
			if i%5 == 4 {
				a.ProtocolType = inventory.ProtocolWebSocket
				a.RouteSelectionExpression = ptr("$request.body.action")
			}
			for j := range spec.stages {
				a.Stages = append(a.Stages, emulator.StageSeed{
					Name:           fmt.Sprintf("s%d", j),
					AutoDeploy:     j%2 == 0,
					StageVariables: map[string]string{"n": fmt.Sprint(j)},
					Tags:           map[string]string{"stage": fmt.Sprint(j)},
				})
			}
			rs.APIs = append(rs.APIs, a)
		}
		acct.Regions = append(acct.Regions, rs)
	}
	return &emulator.Seed{Accounts: []emulator.AccountSeed{acct}}
}

// regionTag shortens a region into id-safe letters and digits.
func regionTag(region string) string {
	out := []byte{}
	for _, c := range []byte(region) {
		if c != '-' {
			out = append(out, c)
		}
	}
	return string(out)
}

func ptr[T any](v T) *T { return &v }

// checkAgainstSeed compares an inventory with the seed it was discovered
// from: the same APIs (id, name, protocol, tags) and stages (name,
// variables, tags), nothing more, nothing less.
func checkAgainstSeed(t *testing.T, seed *emulator.Seed, inv *inventory.Inventory) {
	t.Helper()
	type key struct{ region, id string }
	want := map[key]emulator.APISeed{}
	for _, r := range seed.Accounts[0].Regions {
		for _, a := range r.APIs {
			want[key{r.Name, a.ID}] = a
		}
	}
	if len(inv.APIs) != len(want) {
		t.Errorf("inventory has %d APIs, seed %d", len(inv.APIs), len(want))
	}
	for _, got := range inv.APIs {
		w, ok := want[key{got.Region, got.ID}]
		if !ok {
			t.Errorf("unexpected API %s in %s", got.ID, got.Region)
			continue
		}
		delete(want, key{got.Region, got.ID})
		if got.Name != w.Name || got.ProtocolType != w.ProtocolType || fmt.Sprint(got.Tags) != fmt.Sprint(w.Tags) {
			t.Errorf("api %s: got name %q protocol %s tags %v, want %q %s %v", got.ID, got.Name, got.ProtocolType, got.Tags, w.Name, w.ProtocolType, w.Tags)
		}
		if len(got.Stages) != len(w.Stages) {
			t.Errorf("api %s: %d stages, want %d", got.ID, len(got.Stages), len(w.Stages))
			continue
		}
		for i, s := range got.Stages {
			ws := w.Stages[i]
			if s.Name != ws.Name || fmt.Sprint(s.StageVariables) != fmt.Sprint(ws.StageVariables) || fmt.Sprint(s.Tags) != fmt.Sprint(ws.Tags) {
				t.Errorf("api %s stage %d: got %s %v %v, want %s %v %v", got.ID, i, s.Name, s.StageVariables, s.Tags, ws.Name, ws.StageVariables, ws.Tags)
			}
		}
	}
	for k := range want {
		t.Errorf("API %s in %s is missing", k.id, k.region)
	}
}
