package standin

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/emulator"
)

// harness is a configured provider talking to an emulator that captures
// requests, with the default tag owner=platform.
type harness struct {
	t    *testing.T
	emu  *emulator.Server
	url  string
	data *providerData
}

func newHarness(t *testing.T, seedYAML string) *harness {
	t.Helper()
	var seed *emulator.Seed
	if seedYAML != "" {
		seed = &emulator.Seed{}
		if err := yaml.Unmarshal([]byte(seedYAML), seed); err != nil {
			t.Fatal(err)
		}
	}
	emu, err := emulator.New(emulator.Options{Seed: seed, Capture: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu)
	t.Cleanup(ts.Close)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	return &harness{t: t, emu: emu, url: ts.URL, data: &providerData{
		region:    "us-east-1",
		accountID: "123456789012",
		tags:      tagPolicy{defaults: map[string]string{"owner": "platform"}},
		newClient: sdkClientFactory(cfg, ts.URL),
	}}
}

// apply plans cfg against prior (nil to create) the way SDKv2 does,
// CustomizeDiff included, and applies the plan.
func (h *harness) apply(r *schema.Resource, prior *terraform.InstanceState, cfg map[string]any) *terraform.InstanceState {
	h.t.Helper()
	ctx := context.Background()
	diff, err := r.Diff(ctx, prior, terraform.NewResourceConfigRaw(cfg), h.data)
	if err != nil {
		h.t.Fatalf("plan: %v", err)
	}
	if prior == nil {
		prior = &terraform.InstanceState{}
	}
	st, diags := r.Apply(ctx, prior, diff, h.data)
	if diags.HasError() {
		h.t.Fatalf("apply: %v", diags)
	}
	return st
}

// plan is the planned attribute diff of cfg against prior.
func (h *harness) plan(r *schema.Resource, prior *terraform.InstanceState, cfg map[string]any) *terraform.InstanceDiff {
	h.t.Helper()
	diff, err := r.Diff(context.Background(), prior, terraform.NewResourceConfigRaw(cfg), h.data)
	if err != nil {
		h.t.Fatalf("plan: %v", err)
	}
	return diff
}

// last is the body of the last captured request of operation op whose path
// has the given suffix.
func (h *harness) last(op, pathSuffix string) map[string]any {
	h.t.Helper()
	reqs := h.emu.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		path, _ := url.PathUnescape(reqs[i].Path)
		if reqs[i].Operation == op && strings.HasSuffix(path, pathSuffix) {
			return reqs[i].Body
		}
	}
	h.t.Fatalf("no %s request to …%s among %d captured", op, pathSuffix, len(reqs))
	return nil
}

// count is how many requests of operation op were captured.
func (h *harness) count(op string) int {
	n := 0
	for _, r := range h.emu.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}
