package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// BenchmarkPlan100ImportedStages times one engine plan that imports 100
// stages (and their API) from the emulator through the stand-in provider:
//
//	go test -run '^$' -bench Plan100 -benchtime 3x ./internal/e2e/
func BenchmarkPlan100ImportedStages(b *testing.B) {
	for _, eng := range Engines(b) {
		b.Run(eng.Name, func(b *testing.B) {
			env := StartEmulator(b, emulator.Options{})
			ctx := context.Background()
			c := env.Client(b, Region)
			api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("bench"), ProtocolType: "HTTP"})
			if err != nil {
				b.Fatal(err)
			}
			f := hclwrite.NewEmptyFile()
			body := f.Body()
			addImport(body, "aws_apigatewayv2_api", "bench", *api.ApiId)
			rb := body.AppendNewBlock("resource", []string{"aws_apigatewayv2_api", "bench"}).Body()
			rb.SetAttributeValue("name", cty.StringVal("bench"))
			rb.SetAttributeValue("protocol_type", cty.StringVal("HTTP"))
			for i := range 100 {
				name := fmt.Sprintf("s%03d", i)
				if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String(name)}); err != nil {
					b.Fatal(err)
				}
				addImport(body, "aws_apigatewayv2_stage", name, *api.ApiId+"/"+name)
				sb := body.AppendNewBlock("resource", []string{"aws_apigatewayv2_stage", name}).Body()
				sb.SetAttributeTraversal("api_id", hcl.Traversal{
					hcl.TraverseRoot{Name: "aws_apigatewayv2_api"}, hcl.TraverseAttr{Name: "bench"}, hcl.TraverseAttr{Name: "id"},
				})
				sb.SetAttributeValue("name", cty.StringVal(name))
			}
			dir := b.TempDir()
			writeFile(b, filepath.Join(dir, "providers.tf"), ProviderHCL(env.URL, Region))
			writeFile(b, filepath.Join(dir, "main.tf"), string(f.Bytes()))
			r := env.Runner(b, eng, dir)
			if err := r.Init(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				plan, err := r.Plan(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(plan.ResourceChanges) != 101 {
					b.Fatalf("plan has %d changes, want 101", len(plan.ResourceChanges))
				}
			}
		})
	}
}

func addImport(body *hclwrite.Body, typ, name, id string) {
	ib := body.AppendNewBlock("import", nil).Body()
	ib.SetAttributeTraversal("to", hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}})
	ib.SetAttributeValue("id", cty.StringVal(id))
}
