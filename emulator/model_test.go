package emulator_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

type botoRef struct {
	Shape        string `json:"shape"`
	Location     string `json:"location"`
	LocationName string `json:"locationName"`
}

type botoShape struct {
	Type      string             `json:"type"`
	Members   map[string]botoRef `json:"members"`
	Required  []string           `json:"required"`
	Member    botoRef            `json:"member"`
	Key       botoRef            `json:"key"`
	Value     botoRef            `json:"value"`
	Enum      []string           `json:"enum"`
	Exception bool               `json:"exception"`
}

type botoModel struct {
	Metadata struct {
		Protocol string `json:"protocol"`
	} `json:"metadata"`
	Operations map[string]struct {
		HTTP struct {
			Method       string `json:"method"`
			RequestURI   string `json:"requestUri"`
			ResponseCode int    `json:"responseCode"`
		} `json:"http"`
		Output botoRef `json:"output"`
	} `json:"operations"`
	Shapes map[string]botoShape `json:"shapes"`
}

// loadBotocoreModel reads botocore's model of a service ("apigatewayv2/2018-11-29"),
// the one the AWS CLI uses. Outside CI a machine without botocore skips the test.
func loadBotocoreModel(t *testing.T, service string) *botoModel {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		testenv.MissingTool(t, fmt.Sprintf("botocore not installed (pip install awscli): %v", err))
	}
	f, err := os.Open(filepath.Join(strings.TrimSpace(string(out)), "data", service, "service-2.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var m botoModel
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// operationFor maps a recorded request to the model operation whose
// method and URI template match.
func (m *botoModel) operationFor(method, escapedPath string) string {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	for name, op := range m.Operations {
		if op.HTTP.Method != method {
			continue
		}
		uri, _, _ := strings.Cut(op.HTTP.RequestURI, "?")
		tmpl := strings.Split(strings.Trim(uri, "/"), "/")
		if len(tmpl) != len(segs) {
			continue
		}
		ok := true
		for i, p := range tmpl {
			if !strings.HasPrefix(p, "{") && p != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return name
		}
	}
	return ""
}

// check reports every way v does not fit shape: unknown or mistyped
// members, missing required members, and empty objects (unset members must
// be omitted).
func (m *botoModel) check(t *testing.T, where string, shapeName string, v any, top bool) {
	t.Helper()
	sh, ok := m.Shapes[shapeName]
	if !ok {
		t.Errorf("%s: model has no shape %s", where, shapeName)
		return
	}
	switch sh.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want an object (%s)", where, v, shapeName)
			return
		}
		if len(obj) == 0 && !top {
			t.Errorf("%s: empty %s object; unset members must be omitted", where, shapeName)
		}
		byWire := map[string]string{}
		for name, ref := range sh.Members {
			if ref.Location != "" {
				continue
			}
			wire := ref.LocationName
			if wire == "" {
				wire = name
			}
			byWire[wire] = name
		}
		for k, val := range obj {
			name, ok := byWire[k]
			if !ok {
				t.Errorf("%s: member %q is not in %s", where, k, shapeName)
				continue
			}
			m.check(t, where+"."+k, sh.Members[name].Shape, val, false)
		}
		for _, req := range sh.Required {
			ref := sh.Members[req]
			if ref.Location != "" {
				continue
			}
			wire := ref.LocationName
			if wire == "" {
				wire = req
			}
			if _, ok := obj[wire]; !ok {
				t.Errorf("%s: required member %q of %s missing", where, wire, shapeName)
			}
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			t.Errorf("%s: got %T, want an array", where, v)
			return
		}
		for _, e := range arr {
			m.check(t, where+"[]", sh.Member.Shape, e, false)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want an object (map)", where, v)
			return
		}
		for k, e := range obj {
			m.check(t, where+"["+k+"]", sh.Value.Shape, e, false)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			t.Errorf("%s: got %T, want a string", where, v)
		} else if len(sh.Enum) > 0 && !slices.Contains(sh.Enum, s) {
			t.Errorf("%s: %q is not one of %v", where, s, sh.Enum)
		}
	case "timestamp":
		if m.Metadata.Protocol == "json" { // JSON 1.1 sends epoch seconds
			if _, ok := v.(json.Number); !ok {
				t.Errorf("%s: %v is not an epoch-seconds timestamp", where, v)
			}
			return
		}
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			t.Errorf("%s: %v is not an ISO-8601 timestamp string", where, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: got %T, want a boolean", where, v)
		}
	case "integer", "long":
		if n, ok := v.(json.Number); !ok || strings.ContainsAny(n.String(), ".eE") {
			t.Errorf("%s: %v is not an integer", where, v)
		}
	case "double", "float":
		if _, ok := v.(json.Number); !ok {
			t.Errorf("%s: got %T, want a number", where, v)
		}
	default:
		t.Errorf("%s: unhandled model type %s", where, sh.Type)
	}
}

// TestWireMatchesBotocoreModel replays the operation scenario and lists a
// demo and a synthetic account under a recorder, then checks every
// response body the emulator sent against botocore's model.
func TestWireMatchesBotocoreModel(t *testing.T) {
	model := loadBotocoreModel(t, "apigatewayv2/2018-11-29")
	seed := emutest.Seed(t, "demo.yaml")
	seed.Accounts[0].Regions = append(seed.Accounts[0].Regions,
		emulator.Synthetic(emulator.SyntheticSpec{APIs: 40, Stages: 4, Seed: 4, Regions: []string{"ap-south-1"}}).Accounts[0].Regions...)
	srv, err := emulator.New(emulator.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv}
	ts := httptest.NewServer(rec)
	defer ts.Close()

	scenario(t, client(ts.URL, "us-east-1", nil))
	childScenario(t, client(ts.URL, "us-east-1", nil))
	accountScenario(t, client(ts.URL, "us-west-2", nil))
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
		c := client(ts.URL, region, nil)
		ids, _ := listAPIs(t, c, 10)
		for _, id := range ids {
			if _, err := c.GetApi(ctx(t), &apigatewayv2.GetApiInput{ApiId: &id}); err != nil {
				t.Fatal(err)
			}
			names, _ := listStages(t, c, id, 2)
			for _, n := range names {
				if _, err := c.GetStage(ctx(t), &apigatewayv2.GetStageInput{ApiId: &id, StageName: aws.String(n)}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := c.GetDeployments(ctx(t), &apigatewayv2.GetDeploymentsInput{ApiId: &id}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetRoutes(ctx(t), &apigatewayv2.GetRoutesInput{ApiId: &id}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetIntegrations(ctx(t), &apigatewayv2.GetIntegrationsInput{ApiId: &id}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAuthorizers(ctx(t), &apigatewayv2.GetAuthorizersInput{ApiId: &id}); err != nil {
				t.Fatal(err)
			}
		}
	}

	covered := map[string]bool{}
	for _, r := range rec.seen {
		op := model.operationFor(r.method, r.path)
		if op == "" {
			t.Errorf("%s %s matches no operation in the model", r.method, r.path)
			continue
		}
		where := op + " " + r.path
		if r.errType != "" {
			sh, ok := model.Shapes[r.errType]
			if !ok || !sh.Exception {
				t.Errorf("%s: error type %q is not an exception in the model", where, r.errType)
				continue
			}
			m := decode(t, where, r.body)
			if _, ok := m.(map[string]any)["message"]; !ok {
				t.Errorf("%s: error body has no message: %s", where, r.body)
			}
			model.check(t, where, r.errType, m, true)
			continue
		}
		covered[op] = true
		if want := model.Operations[op].HTTP.ResponseCode; r.status != want {
			t.Errorf("%s: status %d, model says %d", where, r.status, want)
		}
		out := model.Operations[op].Output.Shape
		if len(r.body) == 0 {
			if out != "" && hasBodyMembers(model.Shapes[out]) && r.status != 204 {
				t.Errorf("%s: empty body, want %s", where, out)
			}
			continue
		}
		model.check(t, where, out, decode(t, where, r.body), true)
	}
	for _, op := range []string{"GetApis", "GetApi", "CreateApi", "UpdateApi", "DeleteApi", "GetStages", "GetStage", "CreateStage",
		"UpdateStage", "DeleteStage", "DeleteRouteSettings", "GetTags", "TagResource", "UntagResource", "CreateDeployment",
		"GetDeployments", "DeleteCorsConfiguration", "DeleteAccessLogSettings", "CreateRoute", "GetRoutes",
		"GetRoute", "UpdateRoute", "DeleteRoute", "GetIntegrations", "GetIntegration", "CreateIntegration", "UpdateIntegration",
		"DeleteIntegration", "GetAuthorizers", "GetAuthorizer", "CreateAuthorizer", "UpdateAuthorizer", "DeleteAuthorizer",
		"GetDomainNames", "GetDomainName", "CreateDomainName", "UpdateDomainName", "DeleteDomainName", "GetApiMappings",
		"GetApiMapping", "CreateApiMapping", "UpdateApiMapping", "DeleteApiMapping", "GetVpcLinks", "GetVpcLink",
		"CreateVpcLink", "UpdateVpcLink", "DeleteVpcLink"} {
		if !covered[op] {
			t.Errorf("no successful %s response was checked", op)
		}
	}
}

func hasBodyMembers(sh botoShape) bool {
	for _, ref := range sh.Members {
		if ref.Location == "" {
			return true
		}
	}
	return false
}

func decode(t *testing.T, where string, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: body is not JSON: %v: %s", where, err, body)
	}
	return v
}
