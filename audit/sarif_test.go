package audit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchema compiles the vendored OASIS SARIF 2.1.0 schema
// (testdata/sarif-schema-2.1.0.json, from oasis-tcs/sarif-spec).
func compiledSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(sarifSchema, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(t *testing.T, s *jsonschema.Schema, out []byte) map[string]any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema: %v", err)
	}
	var log map[string]any
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestSARIFValidatesAndLocates renders every golden report, and one whose
// directory holds the resource blocks, as SARIF; each validates against the
// schema, is one run with a result per finding, and a managed finding
// points at its resource block's file and line.
func TestSARIFValidatesAndLocates(t *testing.T) {
	schema := compiledSARIFSchema(t)
	for name, rep := range goldenCases(t) {
		var out bytes.Buffer
		if err := Render(&out, rep, "sarif"); err != nil {
			t.Fatal(err)
		}
		log := validateSARIF(t, schema, out.Bytes())
		runs := log["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("%s: %d runs, want 1 (GitHub rejects several runs of one tool and category)", name, len(runs))
		}
		if got := len(runs[0].(map[string]any)["results"].([]any)); got != len(rep.Findings) {
			t.Errorf("%s: %d results for %d findings", name, got, len(rep.Findings))
		}
	}

	dir := t.TempDir()
	tf := "# header\n\nresource \"aws_apigatewayv2_api\" \"payments\" {\n  name = \"payments\"\n}\n\nresource \"aws_apigatewayv2_stage\" \"payments_prod\" {\n  api_id = \"x\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := &Report{Schema: Schema, Mode: ModePlan, Findings: []Finding{
		{Class: ClassChanged, Status: StatusNew, Dir: dir, Address: "aws_apigatewayv2_stage.payments_prod", Type: TypeStage, Region: "us-east-1", ImportID: "a1/prod", Fingerprint: "f1",
			Changes: []Change{{Path: "description", Action: ActionUpdate, Before: "a", After: "b"}}},
		{Class: ClassUnmanaged, Status: StatusKnown, Type: TypeAPI, Region: "eu-west-1", ImportID: "b2", Name: "orders", Fingerprint: "f2", Account: "prod"},
	}}
	var out bytes.Buffer
	if err := Render(&out, rep, "sarif"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, schema, out.Bytes())
	// The schema is strict enough to catch a wrong level.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(out.String(), `"level": "warning"`, `"level": "severe"`, 1)))
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepted a result with level severe")
	}
	var log sarifLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	phys := res[0].Locations[0].Physical
	if phys == nil || phys.Artifact.URI != filepath.ToSlash(filepath.Join(dir, "main.tf")) || phys.Region.StartLine != 7 {
		t.Errorf("changed stage located at %+v, want %s/main.tf line 7", phys, dir)
	}
	if res[1].Locations[0].Physical != nil || res[1].BaselineState != "unchanged" || !strings.Contains(res[1].Message.Text, "account prod") {
		t.Errorf("unmanaged API: %+v; want no file, baseline unchanged, the account named", res[1])
	}
}
