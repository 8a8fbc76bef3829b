package emulator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
)

func TestLoadSeedFileErrors(t *testing.T) {
	head := "accounts:\n  - id: \"123456789012\"\n    regions:\n      - name: us-east-1\n        apis:\n"
	api := "          - id: abcdefghij\n            name: a\n            protocolType: HTTP\n"
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown key":        {head + api + "            colour: blue\n", ":9: field colour not found"},
		"bad protocolType":   {head + "          - name: a\n            protocolType: GRPC\n", `:6: api "a": Invalid protocolType`},
		"wrong type":         {head + api + "            corsConfiguration:\n              maxAge: soon\n", ":10: cannot unmarshal"},
		"duplicate stage":    {head + api + "            stages:\n              - name: prod\n              - name: prod\n", `:11: stage "prod" of api "a": Stage already exists`},
		"unknown route key":  {head + api + "            stages:\n              - name: prod\n                routeSettings:\n                  GET /x: {throttlingBurstLimit: 1}\n", `:10: stage "prod" of api "a": Unable to find Route`},
		"duplicate api id":   {head + api + api, `:9: api id "abcdefghij" is used twice`},
		"bad account":        {"accounts:\n  - id: \"12\"\n", ":2: account id"},
		"bad region":         {"accounts:\n  - id: \"123456789012\"\n    regions:\n      - name: Mars\n", ":4: region \"Mars\""},
		"syntax error":       {"accounts: [\n", ":1: did not find expected node content"},
		"websocket no rse":   {head + "          - name: w\n            protocolType: WEBSOCKET\n", ":6: api \"w\": Missing required member routeSelectionExpression"},
		"http logging level": {head + api + "            stages:\n              - name: p\n                defaultRouteSettings: {loggingLevel: INFO}\n", ":10: stage \"p\" of api \"a\": Execution logs are not supported"},
		"empty file":         {"", "seed file is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seed.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := emulator.LoadSeedFile(path)
			if err == nil {
				t.Fatalf("accepted:\n%s", tc.yaml)
			}
			if !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to start with %s and contain %q", err, path, tc.want)
			}
		})
	}
	if _, err := emulator.LoadSeedFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestSyntheticDeterministicAndVaried(t *testing.T) {
	spec, err := emulator.ParseSyntheticSpec("apis=200,stages=4,seed=9")
	if err != nil {
		t.Fatal(err)
	}
	a, b := emulator.Synthetic(spec), emulator.Synthetic(spec)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same spec gave different seeds")
	}
	spec.Seed = 10
	if reflect.DeepEqual(a, emulator.Synthetic(spec)) {
		t.Error("different seeds gave the same result")
	}
	var ws, quick, long, hostile, cors, accessLogs, routeSettings, snakeCollision int
	names := map[string]bool{}
	for _, api := range a.Accounts[0].Regions[0].APIs {
		names[api.Name] = true
		if api.ProtocolType == "WEBSOCKET" {
			ws++
		}
		if api.Target != nil {
			quick++
		}
		if len([]rune(api.Name)) == 128 {
			long++
		}
		if strings.ContainsAny(api.Name, "\"\\\n") || strings.Contains(api.Name, "${") {
			hostile++
		}
		if api.CorsConfiguration != nil {
			cors++
		}
		for _, s := range api.Stages {
			if s.AccessLogSettings != nil {
				accessLogs++
			}
			if len(s.RouteSettings) > 0 {
				routeSettings++
			}
		}
	}
	if names["Orders API"] && names["orders-api"] {
		snakeCollision++
	}
	region := a.Accounts[0].Regions[0]
	var vpcIntegrations, mappings int
	for _, api := range region.APIs {
		for _, x := range api.Integrations {
			if x.ConnectionType != nil && *x.ConnectionType == "VPC_LINK" {
				vpcIntegrations++
			}
		}
	}
	for _, d := range region.DomainNames {
		mappings += len(d.APIMappings)
	}
	for what, n := range map[string]int{"vpc links": len(region.VPCLinks), "integrations over a vpc link": vpcIntegrations,
		"domain names": len(region.DomainNames), "api mappings": mappings, "websocket": ws, "quick-create": quick, "128-char names": long, "hostile names": hostile,
		"cors": cors, "access logs": accessLogs, "route settings": routeSettings, "snake_case collisions": snakeCollision} {
		if n == 0 {
			t.Errorf("synthetic seed has no %s", what)
		}
	}
	if _, err := emulator.New(emulator.Options{Seed: a}); err != nil {
		t.Errorf("emulator rejects its own synthetic seed: %v", err)
	}
	// Account-level ids are unique across regions, as generate needs.
	multi := emulator.Synthetic(emulator.SyntheticSpec{APIs: 200, Stages: 1, Regions: []string{"us-east-1", "eu-west-1"}})
	links := map[string]bool{}
	for _, r := range multi.Accounts[0].Regions {
		for _, l := range r.VPCLinks {
			if links[l.ID] {
				t.Errorf("VPC link id %s is in two regions", l.ID)
			}
			links[l.ID] = true
		}
	}
}

// TestSeedYAMLRoundTrip: a synthetic seed, hostile strings and all, written
// as YAML loads back identical.
func TestSeedYAMLRoundTrip(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 60, Stages: 3, Seed: 2, Regions: []string{"us-east-1", "eu-west-1"}})
	var buf bytes.Buffer
	if err := seed.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := emulator.LoadSeedFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seed, back) {
		t.Error("seed changed in a YAML round trip")
	}
}

func TestParseSyntheticSpec(t *testing.T) {
	got, err := emulator.ParseSyntheticSpec("apis=3,stages=2,seed=-4,regions=us-east-1+eu-west-1,account=111122223333")
	want := emulator.SyntheticSpec{APIs: 3, Stages: 2, Seed: -4, Account: "111122223333", Regions: []string{"us-east-1", "eu-west-1"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"", "stages=2", "apis=x", "apis=1,apis=2", "apis=1,colour=red", "apis=-1", "apis=1,regions=Mars", "apis=1,stages"} {
		if _, err := emulator.ParseSyntheticSpec(bad); err == nil {
			t.Errorf("ParseSyntheticSpec(%q) accepted", bad)
		}
	}
}

func TestNewRejectsBadSeed(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 3, Stages: 2, Seed: 1})
	seed.Accounts[0].Regions[0].APIs[2].Stages[1].Name = "bad name!"
	_, err := emulator.New(emulator.Options{Seed: seed})
	if err == nil || !strings.Contains(err.Error(), "loading seed: accounts[0].regions[0].apis[2].stages[1]: ") {
		t.Errorf("New with a bad stage name: %v", err)
	}
}
