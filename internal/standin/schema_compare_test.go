package standin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/standin"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// A flattened schema: "attr name" or "block.attr name" -> "mode type", and
// "block" -> "block nesting", with " max 1" for a block of at most one.
// Modes are required, optional (with or without computed: cdktf cannot tell
// them apart) and computed.
type flatSchema map[string]string

func (f flatSchema) diff(want flatSchema) []string {
	var out []string
	for k, v := range want {
		if got, ok := f[k]; !ok {
			out = append(out, fmt.Sprintf("missing %s (%s)", k, v))
		} else if got != v {
			out = append(out, fmt.Sprintf("%s: got %s, want %s", k, got, v))
		}
	}
	for k, v := range f {
		if _, ok := want[k]; !ok {
			out = append(out, fmt.Sprintf("extra %s (%s)", k, v))
		}
	}
	sort.Strings(out)
	return out
}

func mode(required, optional, computed bool) string {
	switch {
	case required:
		return "required"
	case optional:
		return "optional"
	case computed:
		return "computed"
	}
	return "none"
}

// resources are the resource types the stand-in serves, with their
// package directories.
var resources = map[string]string{
	"aws_apigatewayv2_api":                  "apigatewayv2-api",
	"aws_apigatewayv2_stage":                "apigatewayv2-stage",
	"aws_apigatewayv2_integration":          "apigatewayv2-integration",
	"aws_apigatewayv2_route":                "apigatewayv2-route",
	"aws_apigatewayv2_authorizer":           "apigatewayv2-authorizer",
	"aws_apigatewayv2_model":                "apigatewayv2-model",
	"aws_apigatewayv2_route_response":       "apigatewayv2-route-response",
	"aws_apigatewayv2_integration_response": "apigatewayv2-integration-response",
	"aws_apigatewayv2_domain_name":          "apigatewayv2-domain-name",
	"aws_apigatewayv2_api_mapping":          "apigatewayv2-api-mapping",
	"aws_apigatewayv2_vpc_link":             "apigatewayv2-vpc-link",
}

// addedLater are the arguments a newer hashicorp/aws added to a resource
// after the version the stand-in serves (FACTS.md): the stand-in leaves
// them out, and comparisons with the newer schema expect exactly these to
// be missing.
var addedLater = map[string]map[string]string{
	"aws_apigatewayv2_domain_name": {"routing_mode": "optional string"},
}

// withoutLater is want less what addedLater says the served version lacks.
func withoutLater(name string, want flatSchema) flatSchema {
	out := flatSchema{}
	for k, v := range want {
		if later, ok := addedLater[name][k]; ok && later == v {
			continue
		}
		out[k] = v
	}
	return out
}

// cdktfClass is the class cdktf generates for a package directory:
// apigatewayv2-api-mapping -> Apigatewayv2ApiMapping.
func cdktfClass(pkg string) string {
	var b strings.Builder
	for _, part := range strings.Split(pkg, "-") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// protoSchemas is the stand-in's schema as engines receive it.
func protoSchemas(t *testing.T) map[string]flatSchema {
	t.Helper()
	resp, err := schema.NewGRPCProviderServer(standin.Provider()).GetProviderSchema(context.Background(), &tfprotov5.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
	}
	out := map[string]flatSchema{}
	for name := range resources {
		s, ok := resp.ResourceSchemas[name]
		if !ok {
			t.Fatalf("the provider serves no %s", name)
		}
		f := flatSchema{}
		var walk func(prefix string, b *tfprotov5.SchemaBlock)
		walk = func(prefix string, b *tfprotov5.SchemaBlock) {
			for _, a := range b.Attributes {
				f[prefix+a.Name] = mode(a.Required, a.Optional, a.Computed) + " " + protoType(a.Type)
			}
			for _, nb := range b.BlockTypes {
				f[prefix+nb.TypeName] = "block " + strings.ToLower(nb.Nesting.String()) + maxItems(nb.MaxItems)
				walk(prefix+nb.TypeName+".", nb.Block)
			}
		}
		walk("", s.Block)
		out[name] = f
	}
	return out
}

// maxItems notes the one limit both resources use: a block of at most one.
func maxItems[N int64 | uint64](n N) string {
	if n == 1 {
		return " max 1"
	}
	return ""
}

func protoType(t tftypes.Type) string {
	switch {
	case t.Is(tftypes.String):
		return "string"
	case t.Is(tftypes.Bool):
		return "bool"
	case t.Is(tftypes.Number):
		return "number"
	case t.Is(tftypes.Map{ElementType: tftypes.String}):
		return "map(string)"
	case t.Is(tftypes.Set{ElementType: tftypes.String}):
		return "set(string)"
	case t.Is(tftypes.List{ElementType: tftypes.String}):
		return "list(string)"
	}
	return t.String()
}

func ctyType(t cty.Type) string {
	switch {
	case t.Equals(cty.String):
		return "string"
	case t.Equals(cty.Bool):
		return "bool"
	case t.Equals(cty.Number):
		return "number"
	case t.Equals(cty.Map(cty.String)):
		return "map(string)"
	case t.Equals(cty.Set(cty.String)):
		return "set(string)"
	case t.Equals(cty.List(cty.String)):
		return "list(string)"
	}
	return t.FriendlyName()
}

func jsonSchema(s *tfjson.Schema) flatSchema {
	f := flatSchema{}
	var walk func(prefix string, b *tfjson.SchemaBlock)
	walk = func(prefix string, b *tfjson.SchemaBlock) {
		for name, a := range b.Attributes {
			f[prefix+name] = mode(a.Required, a.Optional, a.Computed) + " " + ctyType(a.AttributeType)
		}
		for name, nb := range b.NestedBlocks {
			f[prefix+name] = "block " + string(nb.NestingMode) + maxItems(nb.MaxItems)
			walk(prefix+name+".", nb.Block)
		}
	}
	walk("", s.Block)
	return f
}

var (
	dtsInterface = regexp.MustCompile(`export interface (\w+)(?: extends [\w.]+)? \{([\s\S]*?)\n\}`)
	dtsClass     = regexp.MustCompile(`export declare class (\w+) extends [\w.]+ \{([\s\S]*?)\n\}`)
	dtsMember    = regexp.MustCompile(`readonly (\w+)(\??): ([^;]+);`)
	dtsGetter    = regexp.MustCompile(`get (\w+)\(\): ([^;]+);`)
	dtsSetter    = regexp.MustCompile(`set (\w+)\(`)
	jsEntry      = regexp.MustCompile(`(\w+): \{\s*value: [^\n]*\n\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)"`)
	camelHump    = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

func snake(s string) string { return strings.ToLower(camelHump.ReplaceAllString(s, "${1}_${2}")) }

// cdktfSchema reads a resource's schema from @cdktf/provider-aws: the
// config interfaces say what is required (no "?") and optional, getters
// without setters are the computed-only attributes, and index.js gives each
// argument's type and each block's nesting.
func cdktfSchema(t *testing.T, dir, class string) flatSchema {
	t.Helper()
	dts, err := os.ReadFile(filepath.Join(dir, "index.d.ts"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "index.js"))
	if err != nil {
		t.Fatal(err)
	}
	types := map[string][2]string{} // snake name -> type, storage class
	for _, m := range jsEntry.FindAllStringSubmatch(string(js), -1) {
		types[m[1]] = [2]string{m[3], m[4]}
	}
	argType := func(name string) string {
		ts, ok := types[name]
		if !ok {
			t.Fatalf("cdktf index.js has no entry for %s", name)
		}
		switch ts {
		case [2]string{"simple", "string"}:
			return "string"
		case [2]string{"simple", "boolean"}:
			return "bool"
		case [2]string{"simple", "number"}:
			return "number"
		case [2]string{"map", "stringMap"}:
			return "map(string)"
		case [2]string{"set", "stringList"}:
			return "set(string)"
		case [2]string{"list", "stringList"}:
			return "list(string)"
		}
		return ts[0] + "/" + ts[1]
	}
	interfaces := map[string]string{}
	for _, m := range dtsInterface.FindAllStringSubmatch(string(dts), -1) {
		interfaces[m[1]] = m[2]
	}
	classes := map[string]string{}
	for _, m := range dtsClass.FindAllStringSubmatch(string(dts), -1) {
		classes[m[1]] = m[2]
	}

	f := flatSchema{}
	var walk func(prefix, iface, class string)
	walk = func(prefix, iface, class string) {
		body, ok := interfaces[iface]
		if !ok {
			t.Fatalf("cdktf index.d.ts has no interface %s", iface)
		}
		args := map[string]bool{}
		for _, m := range dtsMember.FindAllStringSubmatch(body, -1) {
			name := snake(m[1])
			args[m[1]] = true
			typ := strings.TrimSpace(m[3])
			if strings.HasPrefix(typ, class) {
				// cdktf types a block of at most one as the object, others
				// as an array of it.
				first := strings.Fields(typ)[0]
				block := strings.TrimSuffix(first, "[]")
				limit := ""
				if block == first {
					limit = " max 1"
				}
				nesting := "block " + types[name][0] + limit
				if types[name][0] == "struct" {
					// The SDK's timeouts block, nested "single" in the
					// protocol.
					nesting = "block single"
				}
				f[prefix+name] = nesting
				walk(prefix+name+".", block, block+"OutputReference")
				continue
			}
			f[prefix+name] = mode(m[2] == "", m[2] == "?", false) + " " + argType(name)
		}
		cbody := classes[class]
		setters := map[string]bool{}
		for _, m := range dtsSetter.FindAllStringSubmatch(cbody, -1) {
			setters[m[1]] = true
		}
		for _, m := range dtsGetter.FindAllStringSubmatch(cbody, -1) {
			name := m[1]
			if setters[name] || args[name] || strings.HasSuffix(name, "Input") || name == "internalValue" {
				continue
			}
			typ := "string"
			if strings.TrimSpace(m[2]) != "string" {
				typ = strings.TrimSpace(m[2])
			}
			f[prefix+snake(name)] = "computed " + typ
		}
	}
	walk("", class+"Config", class)
	return f
}

// cdktfPackages are the machine-readable copies of hashicorp/aws's schema
// that testdata/fetch-cdktf.sh extracts: the version the stand-in serves,
// and the newest release.
var cdktfPackages = []struct{ name, dir, aws string }{
	{"@cdktf/provider-aws@21.22.1", "provider-aws-21.22.1", "6.25.0"},
	{"@cdktn/provider-aws@25.7.0", "cdktn-provider-aws-25.7.0", "6.66.0"},
}

// cdktfSchemas reads both packages' schemas, keyed by hashicorp/aws
// version, or skips (fails under CI=true) when they were not fetched.
func cdktfSchemas(t *testing.T) map[string]map[string]flatSchema {
	t.Helper()
	out := map[string]map[string]flatSchema{}
	for _, p := range cdktfPackages {
		dir := filepath.Join(e2e.ToolsDir(), "cdktf", p.dir, "lib")
		if _, err := os.Stat(dir); err != nil {
			testenv.MissingTool(t, "schema comparison needs "+p.name+"; run internal/standin/testdata/fetch-cdktf.sh (missing "+dir+")")
		}
		schemas := map[string]flatSchema{}
		for name, pkg := range resources {
			schemas[name] = cdktfSchema(t, filepath.Join(dir, pkg), cdktfClass(pkg))
			if len(schemas[name]) < 4 {
				t.Fatalf("%s %s: parsed only %d entries: the parser no longer fits the package", p.name, name, len(schemas[name]))
			}
		}
		out[p.aws] = schemas
	}
	return out
}

// TestSchemaMatchesCDKTF holds the stand-in's schema to hashicorp/aws
// 6.25.0's and 6.66.0's: attribute names, types, modes, block nesting and
// max items.
func TestSchemaMatchesCDKTF(t *testing.T) {
	want := cdktfSchemas(t)
	got := protoSchemas(t)
	for _, p := range cdktfPackages {
		t.Run("hashicorp/aws "+p.aws, func(t *testing.T) {
			for name := range resources {
				w := want[p.aws][name]
				if p.aws != cdktfPackages[0].aws {
					w = withoutLater(name, w)
				}
				for _, d := range got[name].diff(w) {
					t.Errorf("%s (%s): %s", name, p.name, d)
				}
			}
		})
	}
}

// TestCDKTFVersionsAgree reports by name what changed in the two resources'
// schemas between the version the stand-in serves and the newest release,
// so that a schema change upstream is seen before a user meets it.
func TestCDKTFVersionsAgree(t *testing.T) {
	want := cdktfSchemas(t)
	old, cur := cdktfPackages[0], cdktfPackages[len(cdktfPackages)-1]
	for name := range resources {
		for _, d := range withoutLater(name, want[cur.aws][name]).diff(want[old.aws][name]) {
			t.Errorf("%s changed from hashicorp/aws %s to %s: %s", name, old.aws, cur.aws, d)
		}
		for k := range addedLater[name] {
			if _, ok := want[cur.aws][name][k]; !ok {
				t.Errorf("%s: hashicorp/aws %s has no %s any more; update addedLater", name, cur.aws, k)
			}
		}
	}
}

// TestSchemaThroughEngine checks the schema an engine reports after loading
// the built plugin (`providers schema -json`) against the in-process one
// and both hashicorp/aws versions, which catches what the in-process server
// hides (the plugin handshake, the registry address, the version).
func TestSchemaThroughEngine(t *testing.T) {
	bins := engines(t)
	want := protoSchemas(t)
	real := cdktfSchemas(t)
	rc := buildMirror(t)
	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorkdir(t, bin, rc, nil)
			if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(`terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "6.25.0" }
  }
}
`), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := w.tf.Init(ctx); err != nil {
				t.Fatalf("init: %v", err)
			}
			schemas, err := w.tf.ProvidersSchema(ctx)
			if err != nil {
				t.Fatalf("providers schema: %v", err)
			}
			var ps *tfjson.ProviderSchema
			for addr, s := range schemas.Schemas {
				if strings.HasSuffix(addr, "/hashicorp/aws") {
					ps = s
				}
			}
			if ps == nil {
				t.Fatalf("%s reports no hashicorp/aws schema", name)
			}
			for res := range resources {
				s, ok := ps.ResourceSchemas[res]
				if !ok {
					t.Fatalf("no %s in %s's schema", res, name)
				}
				for _, d := range jsonSchema(s).diff(want[res]) {
					t.Errorf("%s: %s", res, d)
				}
				for v, schemas := range real {
					w := schemas[res]
					if v != cdktfPackages[0].aws {
						w = withoutLater(res, w)
					}
					for _, d := range jsonSchema(s).diff(w) {
						t.Errorf("%s against hashicorp/aws %s: %s", res, v, d)
					}
				}
			}
		})
	}
}
