package generate

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/text/unicode/norm"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// FuzzGenerate feeds arbitrary names and values through generate and reads
// the file back with HCL's own parser: it must parse, and every value must
// decode to exactly what went in. HCL (like cty) keeps strings in Unicode
// NFC, and inventories are JSON (valid UTF-8), so inputs are compared in
// that form.
func FuzzGenerate(f *testing.F) {
	f.Add("Orders API", "desc", "team", "orders", "prod", "v", int32(10), 5.5, "WEBSOCKET")
	f.Add(`${file("/etc/passwd")}`, `%{ if true }x%{ endif }`, "null", `"q"`, "$default", `\`, int32(0), 0.0, "HTTP")
	f.Add("line\nbreak", "$${x} %%{y} $$ %", "a b", "}\n}", "st\"age", "\u2028\x00\x7f", int32(-1), 1e300, "HTTP")
	f.Add("", "", "", "", "", "", int32(math.MaxInt32), 0.1, "WEBSOCKET")
	f.Add("e\u0301", "A\u030a", "true", "ﬁ", "${", "%{", int32(5), 2.5, "HTTP")
	f.Fuzz(func(t *testing.T, name, desc, tagKey, tagValue, stage, variable string, burst int32, rate float64, protocol string) {
		if math.IsNaN(rate) || math.IsInf(rate, 0) {
			t.Skip("JSON cannot carry NaN or Inf")
		}
		clean := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
		name, desc, tagKey, tagValue, stage, variable = clean(name), clean(desc), clean(tagKey), clean(tagValue), clean(stage), clean(variable)
		if protocol != inventory.ProtocolWebSocket {
			protocol = inventory.ProtocolHTTP
		}
		api := inventory.API{
			Region: "us-east-1", ID: "fuzzapi001", Name: name, ProtocolType: protocol, Description: desc,
			RouteSelectionExpression: variable, Tags: map[string]string{tagKey: tagValue},
			Stages: []inventory.Stage{{
				Name: stage, Description: desc, StageVariables: map[string]string{"v": variable, tagKey: name},
				DefaultRouteSettings: &inventory.RouteSettings{ThrottlingBurstLimit: &burst, ThrottlingRateLimit: &rate},
				RouteSettings:        []inventory.RouteSetting{{RouteKey: variable, RouteSettings: inventory.RouteSettings{LoggingLevel: "INFO"}}},
			}},
		}
		inv := &inventory.Inventory{Schema: inventory.Schema, Regions: []string{"us-east-1"}, APIs: []inventory.API{api},
			Skipped: []inventory.Skipped{{Region: "us-east-1", APIID: "x", APIName: name, Stage: stage, Reason: desc}}}
		dir := t.TempDir()
		if _, err := Run(context.Background(), inv, Options{Dir: dir}); err != nil {
			t.Fatal(err)
		}
		body := parseFile(t, filepath.Join(dir, "imports.tf"))
		wantFormatted(t, filepath.Join(dir, "imports.tf"))
		nfc := norm.NFC.String
		var sawAPI, sawStage int
		for _, b := range body.Blocks {
			switch {
			case b.Type == "import":
				id := attrString(t, b.Body, "id")
				if id != api.ID && id != nfc(api.ID+"/"+stage) {
					t.Errorf("import id %q is neither the API's nor the stage's", id)
				}
				trav, diags := hcl.AbsTraversalForExpr(b.Body.Attributes["to"].Expr)
				if diags.HasErrors() || len(trav) != 2 {
					t.Errorf("import to is not a resource address: %s", diags.Error())
				}
			case b.Type == "resource" && b.Labels[0] == typeAPI:
				sawAPI++
				if !hclsyntax.ValidIdentifier(b.Labels[1]) {
					t.Errorf("resource name %q is not an identifier", b.Labels[1])
				}
				wantString(t, b.Body, "name", nfc(name))
				if desc != "" {
					wantString(t, b.Body, "description", nfc(desc))
				}
				if protocol == inventory.ProtocolWebSocket && variable != "" || variable != "" && variable != defaultRouteSelection {
					wantString(t, b.Body, "route_selection_expression", nfc(variable))
				}
				wantMap(t, b.Body, "tags", map[string]string{nfc(tagKey): nfc(tagValue)})
			case b.Type == "resource" && b.Labels[0] == typeStage:
				sawStage++
				wantString(t, b.Body, "name", nfc(stage))
				vars := map[string]string{"v": nfc(variable)}
				if nfc(tagKey) != "v" {
					vars[nfc(tagKey)] = nfc(name)
				}
				wantMap(t, b.Body, "stage_variables", vars)
				for _, rb := range b.Body.Blocks {
					if rb.Type == "route_settings" {
						wantString(t, rb.Body, "route_key", nfc(variable))
					}
					if rb.Type != "default_route_settings" {
						continue
					}
					v := attrValue(t, rb.Body, "throttling_burst_limit")
					bf := v.AsBigFloat()
					if n, _ := bf.Int64(); !bf.IsInt() || n != int64(burst) {
						t.Errorf("throttling_burst_limit = %s, want %d", bf.String(), burst)
					}
					if got, _ := attrValue(t, rb.Body, "throttling_rate_limit").AsBigFloat().Float64(); got != rate {
						t.Errorf("throttling_rate_limit = %v, want %v", got, rate)
					}
				}
			}
		}
		if sawAPI != 1 || sawStage != 1 {
			t.Errorf("found %d API and %d stage blocks, want 1 and 1", sawAPI, sawStage)
		}
	})
}

func attrValue(t *testing.T, body *hclsyntax.Body, name string) cty.Value {
	t.Helper()
	a, ok := body.Attributes[name]
	if !ok {
		t.Fatalf("attribute %s missing", name)
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("attribute %s does not evaluate as a constant: %s", name, diags.Error())
	}
	return v
}

func attrString(t *testing.T, body *hclsyntax.Body, name string) string {
	t.Helper()
	v := attrValue(t, body, name)
	if v.Type() != cty.String {
		t.Fatalf("attribute %s is %s, want string", name, v.Type().FriendlyName())
	}
	return v.AsString()
}

func wantString(t *testing.T, body *hclsyntax.Body, name, want string) {
	t.Helper()
	if got := attrString(t, body, name); got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func wantMap(t *testing.T, body *hclsyntax.Body, name string, want map[string]string) {
	t.Helper()
	v := attrValue(t, body, name)
	if !v.Type().IsObjectType() {
		t.Fatalf("%s is %s, want an object", name, v.Type().FriendlyName())
	}
	got := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.Type() != cty.String {
			t.Fatalf("%s[%q] is %s", name, k.AsString(), e.Type().FriendlyName())
		}
		got[k.AsString()] = e.AsString()
	}
	if !mapsEqual(got, want) {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

// TestMapKeysReadBack reads map keys that HCL would otherwise take for
// templates, keywords, numbers or escapes back through HCL's parser: each
// key must evaluate, without any variables, to exactly the string that went
// in. It checks the escaping independently of the hostile golden file.
func TestMapKeysReadBack(t *testing.T) {
	keys := []string{"${x}", "$${x}", "${", "%{ if true }y%{ endif }", "%{", "$", "%", `a"b`, `back\slash`, "new\nline", "tab\there",
		"null", "true", "false", "1abc", "ok_key", "with space", "ünï", "a.b", "-dash"}
	m := map[string]string{}
	for i, k := range keys {
		m[k] = "v" + strconv.Itoa(i) + "${" + k
	}
	a := &inventory.API{ID: "k3ysk3ysk3", Name: "keys", ProtocolType: inventory.ProtocolHTTP, Tags: m}
	s := &inventory.Stage{Name: "prod", StageVariables: m, Tags: m}
	for _, src := range [][]byte{apiBlock(a, "keys", nil), stageBlock(a, s, "keys_prod", nil, nil)} {
		f, diags := hclsyntax.ParseConfig(src, "keys.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("does not parse: %s\n%s", diags.Error(), src)
		}
		body := f.Body.(*hclsyntax.Body).Blocks[0].Body
		for _, name := range []string{"tags", "stage_variables"} {
			if _, ok := body.Attributes[name]; ok {
				wantMap(t, body, name, m)
			}
		}
	}
}
