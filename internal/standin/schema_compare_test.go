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
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/standin"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// A flattened schema: "attr name" or "block.attr name" -> "mode type", and
// "block" -> "block nesting". Modes are required, optional (with or without
// computed: cdktf cannot tell them apart) and computed.
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

var resources = map[string]string{
	"aws_apigatewayv2_api":   "apigatewayv2-api",
	"aws_apigatewayv2_stage": "apigatewayv2-stage",
}

// protoSchemas is the stand-in's schema as engines receive it.
func protoSchemas(t *testing.T) map[string]flatSchema {
	t.Helper()
	resp, err := standin.NewServer("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
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
		var walk func(prefix string, b *tfprotov6.SchemaBlock)
		walk = func(prefix string, b *tfprotov6.SchemaBlock) {
			for _, a := range b.Attributes {
				f[prefix+a.Name] = mode(a.Required, a.Optional, a.Computed) + " " + protoType(a.Type)
			}
			for _, nb := range b.BlockTypes {
				f[prefix+nb.TypeName] = "block " + strings.ToLower(nb.Nesting.String())
				walk(prefix+nb.TypeName+".", nb.Block)
			}
		}
		walk("", s.Block)
		out[name] = f
	}
	return out
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
			f[prefix+name] = "block " + string(nb.NestingMode)
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
				block := strings.Fields(strings.TrimSuffix(strings.Fields(typ)[0], "[]"))[0]
				block = strings.TrimSuffix(block, "[]")
				f[prefix+name] = "block " + types[name][0]
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

// cdktfDir is where testdata/fetch-cdktf.sh extracts the package.
func cdktfDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(e2e.ToolsDir(), "cdktf", "provider-aws-21.22.1", "lib")
	if _, err := os.Stat(dir); err != nil {
		msg := "schema comparison needs @cdktf/provider-aws; run internal/standin/testdata/fetch-cdktf.sh (missing " + dir + ")"
		testenv.MissingTool(t, msg)
	}
	return dir
}

func cdktfSchemas(t *testing.T) map[string]flatSchema {
	dir := cdktfDir(t)
	out := map[string]flatSchema{}
	for name, pkg := range resources {
		class := map[string]string{"aws_apigatewayv2_api": "Apigatewayv2Api", "aws_apigatewayv2_stage": "Apigatewayv2Stage"}[name]
		out[name] = cdktfSchema(t, filepath.Join(dir, pkg), class)
	}
	return out
}

func TestSchemaMatchesCDKTF(t *testing.T) {
	want := cdktfSchemas(t)
	got := protoSchemas(t)
	for name := range resources {
		if len(want[name]) < 10 {
			t.Fatalf("%s: parsed only %d entries from cdktf: the parser no longer fits the package", name, len(want[name]))
		}
		for _, d := range got[name].diff(want[name]) {
			t.Errorf("%s: %s", name, d)
		}
	}
}

// TestSchemaThroughEngine checks the schema an engine reports after loading
// the built plugin, which catches what the in-process server hides (the
// plugin handshake, the registry address, the version).
func TestSchemaThroughEngine(t *testing.T) {
	bins := engines(t)
	want := protoSchemas(t)
	rc := buildMirror(t)
	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorkdir(t, bin, rc)
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
			}
		})
	}
}
