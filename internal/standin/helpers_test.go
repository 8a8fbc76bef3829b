package standin

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/apigw2tf/apigw2tf/internal/standin/internal/fakeapi"
)

// testData is a configured provider talking to a fake endpoint, with the
// default tag owner=platform.
func testData(t *testing.T) (*providerData, *fakeapi.Server) {
	t.Helper()
	fake := fakeapi.New("us-east-1")
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}
	return &providerData{
		region:    "us-east-1",
		accountID: fakeapi.Account,
		tags:      tagPolicy{defaults: map[string]string{"owner": "platform"}},
		newClient: sdkClientFactory(cfg, ts.URL),
	}, fake
}

func rawOf(t *testing.T, s schema.Schema, m any) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	if diags := st.Set(ctx, m); diags.HasError() {
		t.Fatalf("building a value: %v", diags)
	}
	return st.Raw
}

func stateOf(t *testing.T, s schema.Schema, m any) tfsdk.State {
	return tfsdk.State{Schema: s, Raw: rawOf(t, s, m)}
}

func planOf(t *testing.T, s schema.Schema, m any) tfsdk.Plan {
	return tfsdk.Plan{Schema: s, Raw: rawOf(t, s, m)}
}

func configOf(t *testing.T, s schema.Schema, m any) tfsdk.Config {
	return tfsdk.Config{Schema: s, Raw: rawOf(t, s, m)}
}

func emptyState(s schema.Schema) tfsdk.State {
	return tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(context.Background()), nil)}
}

func str(s string) types.String { return types.StringValue(s) }

func strMap(m map[string]string) types.Map { return mapValue(m) }

func list[T any](t *testing.T, typ types.ObjectType, elems ...T) types.List {
	t.Helper()
	v, diags := types.ListValueFrom(context.Background(), typ, elems)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return v
}

func set[T any](t *testing.T, typ types.ObjectType, elems ...T) types.Set {
	t.Helper()
	v, diags := types.SetValueFrom(context.Background(), typ, elems)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return v
}
