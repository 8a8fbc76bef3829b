package inventory

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample() *Inventory {
	burst := int32(5)
	return &Inventory{
		CapturedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Account:    "123456789012",
		Partition:  "aws",
		Regions:    []string{"us-east-1", "eu-west-1", "us-east-1"},
		APIs: []API{
			{Region: "us-east-1", ID: "zzz", Name: "b", ProtocolType: ProtocolHTTP, Stages: []Stage{{Name: "prod"}, {Name: "dev"}}},
			{Region: "eu-west-1", ID: "aaa", Name: "a", ProtocolType: ProtocolWebSocket, Stages: []Stage{{
				Name: "live",
				RouteSettings: []RouteSetting{
					{RouteKey: "$disconnect"},
					{RouteKey: "$connect", RouteSettings: RouteSettings{ThrottlingBurstLimit: &burst}},
				},
			}}},
		},
		Skipped: []Skipped{{Region: "us-east-1", APIID: "zzz", Stage: "$default", Reason: ReasonQuickCreate}},
	}
}

func TestNormalizeOrder(t *testing.T) {
	inv := sample()
	inv.Normalize()
	if got := strings.Join(inv.Regions, ","); got != "eu-west-1,us-east-1" {
		t.Errorf("regions = %s", got)
	}
	if inv.APIs[0].ID != "aaa" || inv.APIs[1].ID != "zzz" {
		t.Errorf("apis not sorted by region then id: %s, %s", inv.APIs[0].ID, inv.APIs[1].ID)
	}
	if inv.APIs[1].Stages[0].Name != "dev" {
		t.Errorf("stages not sorted: %v", inv.APIs[1].Stages)
	}
	if inv.APIs[0].Stages[0].RouteSettings[0].RouteKey != "$connect" {
		t.Errorf("route settings not sorted")
	}
	if inv.Errors == nil || inv.Schema != Schema {
		t.Errorf("normalize left errors nil or schema empty")
	}
}

// document is an inventory of one account or of several.
type document interface {
	WriteFile(path string) error
	Encode(w io.Writer) error
}

// roundTrip writes doc to a file, reads it back with read and encodes what
// it read: the bytes must not change. It returns the file's bytes and
// what was read.
func roundTrip[D document](t *testing.T, doc D, read func(path string) (D, error)) ([]byte, D) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "inventory.json")
	if err := doc.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := read(p)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := back.Encode(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again.Bytes()) {
		t.Fatalf("round trip changed the document:\n%s\n---\n%s", first, again.Bytes())
	}
	return first, back
}

func TestRoundTripFile(t *testing.T) {
	_, back := roundTrip(t, sample(), ReadFile)
	if *back.APIs[0].Stages[0].RouteSettings[0].ThrottlingBurstLimit != 5 {
		t.Fatal("throttling burst limit lost")
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]struct{ doc, want string }{
		"not json":       {`{`, "is not valid JSON"},
		"wrong schema":   {`{"schema":"apigw2tf.inventory/v0"}`, `has schema "apigw2tf.inventory/v0"`},
		"unknown member": {`{"schema":"apigw2tf.inventory/v1","bogus":1}`, `unknown field "bogus"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(c.doc), "inv.json")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "inv.json") {
				t.Fatalf("err = %v, want it to name inv.json and contain %q", err, c.want)
			}
		})
	}
}

// TestEncodeStreamsLikeMarshalIndent holds the streaming encoder to the
// standard library's bytes for a rich, an empty and a one-API inventory.
func TestEncodeStreamsLikeMarshalIndent(t *testing.T) {
	rich := sample()
	rich.Normalize()
	one := *rich
	one.APIs = rich.APIs[:1]
	empty := &Inventory{}
	empty.Normalize()
	for name, inv := range map[string]*Inventory{"rich": rich, "one": &one, "empty": empty} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(inv); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := inv.Encode(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streaming encoding differs:\n%s\n--- want\n%s", name, got.Bytes(), want.Bytes())
		}
	}
}

// An entry that would become wrong configuration is refused when the file
// is read, with the file and the offending value named.
func TestDecodeRejectsWhatGenerateCannotWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Inventory)
		want string
	}{
		{"duplicate api", func(inv *Inventory) { inv.APIs = append(inv.APIs, inv.APIs[0]) }, "api zzz in us-east-1 is listed twice"},
		{"duplicate stage", func(inv *Inventory) { inv.APIs[0].Stages = append(inv.APIs[0].Stages, Stage{Name: "prod"}) }, `stage "prod" of api zzz in us-east-1 is listed twice`},
		{"unknown api region", func(inv *Inventory) { inv.APIs[0].Region = "mars-west-9" }, `api zzz has region "mars-west-9"`},
		{"unknown region", func(inv *Inventory) { inv.Regions = append(inv.Regions, "mars-west-9") }, `region "mars-west-9" is not an AWS region`},
		{"unknown default region", func(inv *Inventory) { inv.DefaultRegion = "mars-1" }, `default_region "mars-1" is not an AWS region`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := sample()
			tc.edit(inv)
			var b bytes.Buffer
			if err := inv.Encode(&b); err != nil {
				t.Fatal(err)
			}
			_, err := Decode(&b, "inv.json")
			if err == nil || !strings.Contains(err.Error(), "inventory inv.json: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming inv.json and containing %q", err, tc.want)
			}
		})
	}
	// The same API id in two regions is two APIs.
	inv := sample()
	other := inv.APIs[0]
	other.Region = "eu-west-1"
	inv.APIs = append(inv.APIs, other)
	if err := inv.Validate(); err != nil {
		t.Errorf("same id in two regions refused: %v", err)
	}
}

// TestLegacyInventoryReads decodes an inventory written before routes,
// integrations and authorizers were discovered: it still reads, and says
// it holds APIs and stages only, so generate and audit do not take the
// missing routes for deleted ones.
func TestLegacyInventoryReads(t *testing.T) {
	old := `{"schema": "apigw2tf.inventory/v1", "captured_at": "2026-01-01T00:00:00Z", "account": "123456789012",
	"partition": "aws", "regions": ["us-east-1"], "apis": [{"region": "us-east-1", "id": "a1", "name": "a",
	"protocol_type": "HTTP", "stages": [{"name": "prod"}]}], "skipped": [], "errors": []}`
	inv, err := Decode(strings.NewReader(old), "old.json")
	if err != nil {
		t.Fatal(err)
	}
	if !inv.Has(KindStage) || inv.Has(KindRoute) || inv.Has(KindIntegration) || inv.Has(KindAuthorizer) {
		t.Errorf("legacy inventory kinds = %v, want api and stage", inv.Kinds())
	}
	inv.Types = []string{KindAPI, "routes"}
	if err := inv.Validate(); err == nil || !strings.Contains(err.Error(), `"routes"`) {
		t.Errorf("unknown type: %v", err)
	}
}

func TestParseKinds(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
		err  string
	}{
		{nil, "api,stage,authorizer,vpc_link,integration,integration_response,model,route,route_response,domain_name,api_mapping", ""},
		{[]string{"api_mapping,api,domain_name"}, "api,domain_name,api_mapping", ""},
		{[]string{"api,api_mapping"}, "", "must include domain_name with api_mapping"},
		{[]string{"route,api", "stage"}, "api,stage,route", ""},
		{[]string{"stage"}, "", "must include api"},
		{[]string{"api,lambda"}, "", `--types "lambda" is not a resource type`},
		{[]string{"api,route_response"}, "", "--types route_response needs route as well"},
		{[]string{"api,integration,integration_response,model"}, "api,integration,integration_response,model", ""},
	} {
		got, err := ParseKinds(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseKinds(%q): %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != tc.want {
			t.Errorf("ParseKinds(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

// TestResponsesRoundTrip reads a WebSocket API's models and responses back
// sorted, and refuses a response listed twice or without its parent.
func TestResponsesRoundTrip(t *testing.T) {
	doc := `{"schema":"` + Schema + `","types":["api","integration","integration_response","model","route","route_response"],"regions":["us-east-1"],
"apis":[{"region":"us-east-1","id":"w1","name":"ws","protocol_type":"WEBSOCKET","stages":[],
"models":[{"id":"m2","name":"B"},{"id":"m1","name":"A","schema":"{}"}],
"route_responses":[{"id":"rr2","route_id":"r1","route_response_key":"$default"},{"id":"rr1","route_id":"r2","route_response_key":"$default"}],
"integration_responses":[{"id":"ir1","integration_id":"i1","integration_response_key":"$default","response_templates":{"application/json":"{}"}}]}],
"skipped":[],"errors":[]}`
	inv, err := Decode(strings.NewReader(doc), "inv.json")
	if err != nil {
		t.Fatal(err)
	}
	a := inv.APIs[0]
	if a.Models[0].ID != "m1" || a.RouteResponses[0].ID != "rr2" || a.RouteResponses[0].ImportID("w1") != "w1/r1/rr2" ||
		a.IntegrationResponses[0].ImportID("w1") != "w1/i1/ir1" || !inv.Has(KindRouteResponse) {
		t.Errorf("read back: %+v", a)
	}
	twice := strings.Replace(doc, `"id":"rr1","route_id":"r2"`, `"id":"rr2","route_id":"r1"`, 1)
	if _, err := Decode(strings.NewReader(twice), "inv.json"); err == nil || !strings.Contains(err.Error(), "route_response w1/r1/rr2 of api w1 in us-east-1 is listed twice") {
		t.Errorf("a route response twice: %v", err)
	}
	orphan := strings.Replace(doc, `"integration_id":"i1",`, ``, 1)
	if _, err := Decode(strings.NewReader(orphan), "inv.json"); err == nil || !strings.Contains(err.Error(), "has no integration_id") {
		t.Errorf("an integration response without its integration: %v", err)
	}
}

// TestAccountLevelRoundTrip: domain names with their mappings and VPC
// links survive encoding in canonical order, an inventory written before
// they existed still reads (without them), and one listed twice is refused.
func TestAccountLevelRoundTrip(t *testing.T) {
	inv := &Inventory{Schema: Schema, Account: "123456789012", Partition: "aws", Regions: []string{"us-east-1"},
		Types: AllKinds,
		DomainNames: []DomainName{{Region: "us-east-1", DomainName: "b.example.com", CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/x",
			EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2", APIMappings: []APIMapping{{ID: "m2", APIID: "a1", Stage: "prod", Key: "v2"}, {ID: "m1", APIID: "a1", Stage: "prod"}}},
			{Region: "us-east-1", DomainName: "a.example.com", CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/y", EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2"}},
		VPCLinks: []VPCLink{{Region: "us-east-1", ID: "vl1", Name: "private", SubnetIDs: []string{"subnet-2", "subnet-1"}}},
	}
	inv.Normalize()
	if inv.DomainNames[0].DomainName != "a.example.com" || inv.DomainNames[1].APIMappings[0].ID != "m1" || inv.VPCLinks[0].SubnetIDs[0] != "subnet-1" {
		t.Errorf("normalized = %+v %+v", inv.DomainNames, inv.VPCLinks)
	}
	var buf bytes.Buffer
	if err := inv.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(&buf, "inv.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.DomainNames, inv.DomainNames) || !reflect.DeepEqual(back.VPCLinks, inv.VPCLinks) || !back.Has(KindAPIMapping) {
		t.Errorf("round trip = %+v %+v", back.DomainNames, back.VPCLinks)
	}
	old := `{"schema":"apigw2tf.inventory/v1","captured_at":"2026-01-01T00:00:00Z","account":"123456789012","partition":"aws",` +
		`"types":["api","stage","authorizer","integration","route"],"regions":["us-east-1"],"apis":[],"skipped":[],"errors":[]}`
	prev, err := Decode(strings.NewReader(old), "old.json")
	if err != nil {
		t.Fatalf("an inventory of slice one's types: %v", err)
	}
	if prev.Has(KindDomainName) || prev.Has(KindVPCLink) || len(prev.DomainNames) != 0 {
		t.Errorf("an older inventory claims account-level types: %v", prev.Kinds())
	}
	inv.VPCLinks = append(inv.VPCLinks, inv.VPCLinks[0])
	if err := inv.Validate(); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("a VPC link listed twice: %v", err)
	}
}
