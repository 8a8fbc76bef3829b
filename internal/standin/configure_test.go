package standin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-sdk/v2/terraform"
)

// cleanAWSEnv keeps the machine's AWS configuration out of a test.
func cleanAWSEnv(t *testing.T) {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_APIGATEWAYV2"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestConfigure(t *testing.T) {
	cleanAWSEnv(t)
	h := newHarness(t, `
accounts:
  - id: "123456789012"
    regions:
      - name: us-east-1
        apis:
          - {id: e1, name: env, protocolType: HTTP}
`)
	ctx := context.Background()
	base := options{Region: "us-east-1", AccessKey: "k", SecretKey: "s", STSEndpoint: h.url, APIGatewayV2Endpoint: h.url}

	d, err := configure(ctx, base)
	if err != nil || d.accountID != "123456789012" {
		t.Fatalf("configure: %v; want the STS account", err)
	}
	o := base
	o.SkipCredentialsValidation, o.SkipRequestingAccountID = true, true
	o.STSEndpoint = "http://127.0.0.1:1" // never dialled
	if d, err := configure(ctx, o); err != nil || d.accountID != "" {
		t.Errorf("skipping STS: err %v; want no account", err)
	}
	o = base
	o.Region = ""
	if _, err := configure(ctx, o); err == nil || !strings.Contains(err.Error(), `set "region"`) {
		t.Errorf("no region: %v", err)
	}
	o = base
	o.AllowedAccountIDs = []string{"111111111111"}
	if _, err := configure(ctx, o); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("account not allowed: %v", err)
	}
	t.Setenv("AWS_ENDPOINT_URL_APIGATEWAYV2", h.url)
	o = base
	o.APIGatewayV2Endpoint = ""
	if d, err = configure(ctx, o); err != nil {
		t.Fatal(err)
	}
	st, diags := resourceAPI().RefreshWithoutUpgrade(ctx, &terraform.InstanceState{ID: "e1", Attributes: map[string]string{"id": "e1"}}, d)
	if diags.HasError() || st == nil || st.Attributes["name"] != "env" {
		t.Errorf("reading through AWS_ENDPOINT_URL_APIGATEWAYV2: %v %v", st, diags)
	}
}

// fakeSTS answers AssumeRole and GetCallerIdentity in STS's query
// protocol, and keeps the AssumeRole parameters and the access key that
// signed each call.
type fakeSTS struct {
	mu      sync.Mutex
	assumed url.Values
	signers []string // "Action key"
}

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	key, _, _ := strings.Cut(cred, "/")
	f.mu.Lock()
	f.signers = append(f.signers, r.Form.Get("Action")+" "+key)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	switch r.Form.Get("Action") {
	case "AssumeRole":
		f.mu.Lock()
		f.assumed = r.Form
		f.mu.Unlock()
		fmt.Fprint(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/audit/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>`)
	case "GetCallerIdentity":
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:sts::210987654321:assumed-role/audit/s</Arn><UserId>AROA:s</UserId><Account>210987654321</Account>
</GetCallerIdentityResult></GetCallerIdentityResponse>`)
	default:
		http.Error(w, "unsupported", http.StatusBadRequest)
	}
}

// TestAssumeRole configures the provider from an HCL-shaped configuration
// with assume_role: AssumeRole goes to the sts endpoint signed with the
// base credentials, with the configured external id and session name, and
// everything after it uses the role's credentials.
func TestAssumeRole(t *testing.T) {
	cleanAWSEnv(t)
	sts := &fakeSTS{}
	ts := httptest.NewServer(sts)
	defer ts.Close()
	p := Provider()
	raw := map[string]any{
		"region": "us-east-1", "access_key": "AKIDBASE", "secret_key": "s",
		"endpoints": []any{map[string]any{"sts": ts.URL, "apigatewayv2": ts.URL}},
		"assume_role": []any{map[string]any{
			"role_arn": "arn:aws:iam::210987654321:role/audit", "external_id": "ext-1", "session_name": "apigw2tf",
		}},
	}
	if diags := p.Configure(context.Background(), terraform.NewResourceConfigRaw(raw)); diags.HasError() {
		t.Fatalf("configure: %v", diags)
	}
	d := p.Meta().(*providerData)
	if d.accountID != "210987654321" {
		t.Errorf("account = %q, want the role's", d.accountID)
	}
	if got := sts.assumed; got.Get("RoleArn") != "arn:aws:iam::210987654321:role/audit" || got.Get("ExternalId") != "ext-1" || got.Get("RoleSessionName") != "apigw2tf" {
		t.Errorf("AssumeRole parameters = %v", got)
	}
	if got := strings.Join(sts.signers, ", "); got != "AssumeRole AKIDBASE, GetCallerIdentity ASIAROLE" {
		t.Errorf("signers = %s, want AssumeRole with the base key, then the role's", got)
	}

	bad := Provider()
	raw["assume_role"] = []any{map[string]any{"role_arn": "not-an-arn"}}
	if diags := bad.Validate(terraform.NewResourceConfigRaw(raw)); !diags.HasError() {
		t.Errorf("role_arn = not-an-arn validates, want an ARN check")
	}
}

// TestProviderSchemaIsValid runs the SDK's own checks of the provider and
// every resource (conflicting flags, Default with Required, ForceNew on
// computed-only, MaxItems on sets of primitives, ...).
func TestProviderSchemaIsValid(t *testing.T) {
	if err := Provider().InternalValidate(); err != nil {
		t.Fatal(err)
	}
	if got := len(Provider().ResourcesMap); got != 11 {
		t.Errorf("%d resources, want 11: api, stage, authorizer, integration, route, model, route_response, integration_response, domain_name, api_mapping, vpc_link", got)
	}
}
