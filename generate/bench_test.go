package generate

import (
	"context"
	"fmt"
	"testing"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// synthetic builds an inventory of apis APIs with stagesPer stages each,
// every optional attribute set somewhere.
func synthetic(apis, stagesPer int) *inventory.Inventory {
	inv := &inventory.Inventory{Schema: inventory.Schema, Regions: []string{"eu-west-1", "us-east-1"}}
	burst, rate, on := int32(100), 50.5, true
	for i := range apis {
		a := inventory.API{
			Region: inv.Regions[i%2], ID: fmt.Sprintf("a%09d", i), Name: fmt.Sprintf("service %d ${x}", i%(apis/2+1)),
			ProtocolType: inventory.ProtocolHTTP, RouteSelectionExpression: defaultRouteSelection,
			Description: "an API with a \"quoted\" description", Tags: map[string]string{"team": "t", "cost-center": fmt.Sprint(i)},
		}
		if i%3 == 0 {
			a.ProtocolType, a.RouteSelectionExpression = inventory.ProtocolWebSocket, "$request.body.action"
		}
		for j := range stagesPer {
			a.Stages = append(a.Stages, inventory.Stage{
				Name: fmt.Sprintf("stage-%d", j), DeploymentID: "dep", AutoDeploy: j%2 == 0,
				StageVariables:       map[string]string{"backend": "http://example.com"},
				DefaultRouteSettings: &inventory.RouteSettings{ThrottlingBurstLimit: &burst, ThrottlingRateLimit: &rate, DetailedMetricsEnabled: &on},
				RouteSettings:        []inventory.RouteSetting{{RouteKey: "GET /x", RouteSettings: inventory.RouteSettings{ThrottlingBurstLimit: &burst}}},
			})
		}
		inv.APIs = append(inv.APIs, a)
	}
	inv.Normalize()
	return inv
}

// BenchmarkGenerate writes 20,000 stages (4,000 APIs) into a fresh
// directory per iteration; the CLI numbers (wall, RSS) come from
// bench/generate/run.sh.
func BenchmarkGenerate(b *testing.B) {
	inv := synthetic(4000, 5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), inv, Options{Dir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegenerate reruns over a directory that already holds the
// output, the steady state of a repository that regenerates nightly.
func BenchmarkRegenerate(b *testing.B) {
	inv := synthetic(4000, 5)
	dir := b.TempDir()
	if _, err := Run(context.Background(), inv, Options{Dir: dir}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), inv, Options{Dir: dir}); err != nil {
			b.Fatal(err)
		}
	}
}
