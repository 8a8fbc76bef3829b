package generate

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// discoverDemo discovers the shipped demo account from an in-process
// emulator, the same inventory `make demo` generates from.
func discoverDemo(t *testing.T) *inventory.Inventory {
	t.Helper()
	_, url := emutest.Serve(t, emulator.Options{Seed: emutest.Seed(t, "demo.yaml")})
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	inv, err := discover.Run(context.Background(), discover.Options{
		Regions: []string{"eu-west-1", "us-east-1"}, EndpointURL: url, Rate: discover.Unlimited,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDDEMO", "demo", ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The emulator's address changes per run; the golden file pins one.
	inv.Endpoint = "http://127.0.0.1:4566"
	return inv
}

func TestGoldenDemoAccount(t *testing.T) {
	inv := discoverDemo(t)
	dir := t.TempDir()
	run(t, inv, Options{Dir: dir})
	first := dirText(t, dir)
	golden(t, "demo-account.txt", first)
	for _, f := range filesOf(t, dir) {
		wantFormatted(t, f)
	}
	run(t, inv, Options{Dir: dir})
	if second := dirText(t, dir); string(first) != string(second) {
		t.Errorf("second pass differs:\n%s", testenv.FirstDifference(first, second))
	}
}
