package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// TestGoldenDemoResponses pins the exact bytes the emulator sends for the
// demo account: every API and its stages, authorizers, integrations and
// routes, a WebSocket API's models and route and integration responses, and
// the VPC links, domain names and API mappings, per region. Regenerate with
// go test ./emulator -run Golden -update, and review the diff.
func TestGoldenDemoResponses(t *testing.T) {
	seed := emutest.Seed(t, "demo.yaml")
	_, url := start(t, emulator.Options{Seed: seed})
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		var doc struct {
			Items []struct {
				APIID        string `json:"apiId"`
				ProtocolType string `json:"protocolType"`
			} `json:"items"`
		}
		apis := rawGet(t, url+"/v2/apis", region)
		if err := json.Unmarshal(apis, &doc); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		out.WriteString("GET /v2/apis\n")
		out.Write(indent(t, apis))
		for _, a := range doc.Items {
			for _, child := range []string{"stages", "authorizers", "integrations", "routes"} {
				path := "/v2/apis/" + a.APIID + "/" + child
				out.WriteString("\nGET " + path + "\n")
				out.Write(indent(t, rawGet(t, url+path, region)))
			}
			if a.ProtocolType == "WEBSOCKET" {
				wsChildren(t, &out, url, region, "/v2/apis/"+a.APIID)
			}
		}
		accountLevelGolden(t, &out, url, region)
		golden(t, filepath.Join("testdata", "demo-"+region+".golden"), out.Bytes())
	}
}

// wsChildren writes a WebSocket API's models and the responses of each of
// its integrations and routes.
func wsChildren(t *testing.T, out *bytes.Buffer, url, region, apiPath string) {
	t.Helper()
	get := func(path string) []byte {
		out.WriteString("\nGET " + path + "\n")
		body := rawGet(t, url+path, region)
		out.Write(indent(t, body))
		return body
	}
	get(apiPath + "/models")
	for _, kind := range []struct{ coll, id, responses string }{
		{"integrations", "integrationId", "integrationresponses"},
		{"routes", "routeId", "routeresponses"},
	} {
		var doc struct{ Items []map[string]any }
		if err := json.Unmarshal(rawGet(t, url+apiPath+"/"+kind.coll, region), &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			get(apiPath + "/" + kind.coll + "/" + it[kind.id].(string) + "/" + kind.responses)
		}
	}
}

// accountLevelGolden adds the region's VPC links, domain names and their
// API mappings.
func accountLevelGolden(t *testing.T, out *bytes.Buffer, url, region string) {
	for _, path := range []string{"/v2/vpclinks", "/v2/domainnames"} {
		out.WriteString("\nGET " + path + "\n")
		out.Write(indent(t, rawGet(t, url+path, region)))
	}
	var doc struct {
		Items []struct {
			DomainName string `json:"domainName"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rawGet(t, url+"/v2/domainnames", region), &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Items {
		path := "/v2/domainnames/" + d.DomainName + "/apimappings"
		out.WriteString("\nGET " + path + "\n")
		out.Write(indent(t, rawGet(t, url+path, region)))
	}
}

func rawGet(t *testing.T, url, region string) []byte {
	t.Helper()
	resp := signedResponse(t, ctx(t), url, region)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v %s", url, resp.Status, err, body)
	}
	return body
}

func indent(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	testenv.Golden(t, path, got)
}
