package emulator_test

import (
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// awsCLI runs the AWS CLI against url as an independent client: its own
// signer, serialiser and parser (botocore).
// service is the CLI's service command (default apigatewayv2) and key the
// access key id (default AKIDEXAMPLE, the emulator's configured account).
type awsCLI struct {
	t            *testing.T
	url          string
	service, key string
}

func (a awsCLI) run(args ...string) (map[string]any, error) {
	a.t.Helper()
	service, key := cmp.Or(a.service, "apigatewayv2"), cmp.Or(a.key, "AKIDEXAMPLE")
	cmd := exec.CommandContext(ctx(a.t), "aws", append([]string{"--endpoint-url", a.url, "--region", "us-east-1", "--output", "json", service}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY=secret", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, &cliError{string(ee.Stderr)}
		}
		a.t.Fatalf("aws %v: %v", args, err)
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &m); err != nil {
			a.t.Fatalf("aws %v: output is not JSON: %v\n%s", args, err, out)
		}
	}
	return m, nil
}

type cliError struct{ stderr string }

func (e *cliError) Error() string { return e.stderr }

func (a awsCLI) ok(args ...string) map[string]any {
	a.t.Helper()
	m, err := a.run(args...)
	if err != nil {
		a.t.Fatalf("aws %v: %v", args, err)
	}
	return m
}

func (a awsCLI) fails(code string, args ...string) {
	a.t.Helper()
	if _, err := a.run(args...); err == nil || !strings.Contains(err.Error(), code) {
		a.t.Errorf("aws %v: error %v, want %s", args, err, code)
	}
}

// needAWSCLI skips a test in -short mode or, outside CI, without the CLI.
func needAWSCLI(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: the AWS CLI starts a Python process per call")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		testenv.MissingTool(t, "aws not installed (pip install awscli, or apt-get install -y awscli)")
	}
}

func TestAWSCLI(t *testing.T) {
	needAWSCLI(t)
	seed := emutest.Seed(t, "demo.yaml")
	_, url := start(t, emulator.Options{Seed: seed})
	cli := awsCLI{t: t, url: url}

	stages := cli.ok("get-stages", "--api-id", "qk4cr8t3zz")["Items"].([]any)
	if len(stages) != 1 || stages[0].(map[string]any)["ApiGatewayManaged"] != true {
		t.Fatalf("quick-create stages = %v", stages)
	}
	apis := cli.ok("get-apis")["Items"].([]any)
	if len(apis) != 4 {
		t.Errorf("get-apis: %d APIs, want the demo's 4 in us-east-1", len(apis))
	}
	api := cli.ok("create-api", "--name", `cli "quoted" ${x}`, "--protocol-type", "HTTP", "--tags", "team=cli")
	id := api["ApiId"].(string)
	if api["Name"] != `cli "quoted" ${x}` || api["RouteSelectionExpression"] != "$request.method $request.path" {
		t.Errorf("create-api = %v", api)
	}
	cli.ok("create-stage", "--api-id", id, "--stage-name", "dev", "--stage-variables", "a=1,b=2", "--tags", "env=dev")
	cli.fails("ConflictException", "create-stage", "--api-id", id, "--stage-name", "dev")
	st := cli.ok("update-stage", "--api-id", id, "--stage-name", "dev", "--description", "changed",
		"--default-route-settings", "ThrottlingBurstLimit=5,ThrottlingRateLimit=2.5")
	if st["Description"] != "changed" || st["StageVariables"].(map[string]any)["b"] != "2" {
		t.Errorf("update-stage = %v", st)
	}
	got := cli.ok("get-stages", "--api-id", id)["Items"].([]any)[0].(map[string]any)
	if drs := got["DefaultRouteSettings"].(map[string]any); drs["ThrottlingBurstLimit"] != 5.0 || drs["ThrottlingRateLimit"] != 2.5 {
		t.Errorf("get-stages default route settings = %v", drs)
	}
	tags := cli.ok("get-tags", "--resource-arn", "arn:aws:apigateway:us-east-1::/apis/"+id+"/stages/dev")["Tags"].(map[string]any)
	if tags["env"] != "dev" {
		t.Errorf("get-tags = %v", tags)
	}
	cli.ok("delete-stage", "--api-id", id, "--stage-name", "dev")
	cli.fails("NotFoundException", "get-stage", "--api-id", id, "--stage-name", "dev")
	cli.fails("BadRequestException", "create-api", "--name", "ws", "--protocol-type", "WEBSOCKET")

	// Routes, integrations and authorizers through botocore.
	routes := cli.ok("get-routes", "--api-id", "pay7h2k9q1")["Items"].([]any)
	if r := routes[0].(map[string]any); len(routes) != 3 || r["Target"] != "integrations/paycrt1" || r["AuthorizerId"] != "jwtcogn" {
		t.Errorf("get-routes of the demo's payments API = %v", routes)
	}
	auth := cli.ok("get-authorizer", "--api-id", "pay7h2k9q1", "--authorizer-id", "jwtcogn")
	if auth["AuthorizerType"] != "JWT" || auth["JwtConfiguration"].(map[string]any)["Issuer"] == nil {
		t.Errorf("get-authorizer = %v", auth)
	}
	x := cli.ok("create-integration", "--api-id", id, "--integration-type", "HTTP_PROXY", "--integration-method", "GET",
		"--integration-uri", "https://backend.example.com/{proxy}")
	xid := x["IntegrationId"].(string)
	r := cli.ok("create-route", "--api-id", id, "--route-key", "GET /{proxy+}", "--target", "integrations/"+xid)
	cli.ok("update-integration", "--api-id", id, "--integration-id", xid, "--integration-uri", "https://other.example.com/{proxy}")
	if got := cli.ok("get-integration", "--api-id", id, "--integration-id", xid); got["IntegrationUri"] != "https://other.example.com/{proxy}" || got["TimeoutInMillis"] != 30000.0 {
		t.Errorf("get-integration after update-integration = %v", got)
	}
	cli.fails("ConflictException", "delete-integration", "--api-id", id, "--integration-id", xid)
	cli.ok("delete-route", "--api-id", id, "--route-id", r["RouteId"].(string))
	cli.ok("delete-integration", "--api-id", id, "--integration-id", xid)
	cli.fails("NotFoundException", "get-integration", "--api-id", id, "--integration-id", xid)

	// Domain names, API mappings and VPC links through botocore.
	doms := cli.ok("get-domain-names")["Items"].([]any)
	if d := doms[0].(map[string]any); len(doms) != 1 || d["DomainName"] != "api.example.com" ||
		d["DomainNameConfigurations"].([]any)[0].(map[string]any)["EndpointType"] != "REGIONAL" || d["MutualTlsAuthentication"] == nil {
		t.Errorf("get-domain-names = %v", doms)
	}
	maps := cli.ok("get-api-mappings", "--domain-name", "api.example.com")["Items"].([]any)
	if len(maps) != 2 || maps[1].(map[string]any)["ApiMappingKey"] != "orders" {
		t.Errorf("get-api-mappings = %v", maps)
	}
	// What people break: a mapping moved to another stage.
	cli.ok("update-api-mapping", "--domain-name", "api.example.com", "--api-mapping-id", "m4pay1", "--api-id", "pay7h2k9q1", "--stage", "staging")
	if m := cli.ok("get-api-mapping", "--domain-name", "api.example.com", "--api-mapping-id", "m4pay1"); m["Stage"] != "staging" {
		t.Errorf("get-api-mapping after update-api-mapping = %v", m)
	}
	cli.fails("ConflictException", "create-api-mapping", "--domain-name", "api.example.com", "--api-id", "pay7h2k9q1", "--stage", "prod", "--api-mapping-key", "orders")
	links := cli.ok("get-vpc-links")["Items"].([]any)
	if len(links) != 1 || links[0].(map[string]any)["VpcLinkId"] != "vpl4k9" {
		t.Errorf("get-vpc-links = %v", links)
	}
	cli.fails("ConflictException", "delete-vpc-link", "--vpc-link-id", "vpl4k9")
}

// TestAWSCLIOrganizations lists the demo organization and assumes its member
// roles through botocore's own paginator, serialisers and parsers.
func TestAWSCLIOrganizations(t *testing.T) {
	needAWSCLI(t)
	url := startDemoOrg(t)
	orgs := awsCLI{t: t, url: url, service: "organizations"}
	accounts := orgs.ok("list-accounts", "--page-size", "2")["Accounts"].([]any)
	if len(accounts) != 7 || accounts[5].(map[string]any)["Status"] != "SUSPENDED" {
		t.Fatalf("list-accounts over every page = %v", accounts)
	}
	children := orgs.ok("list-children", "--parent-id", "ou-demo-prod0001", "--child-type", "ORGANIZATIONAL_UNIT")["Children"].([]any)
	if len(children) != 1 || children[0].(map[string]any)["Id"] != "ou-demo-prodeu01" {
		t.Errorf("list-children = %v", children)
	}
	inOU := orgs.ok("list-accounts-for-parent", "--parent-id", "ou-demo-nonprod1", "--page-size", "1")["Accounts"].([]any)
	if len(inOU) != 3 {
		t.Errorf("list-accounts-for-parent = %v", inOU)
	}
	if org := orgs.ok("describe-organization")["Organization"].(map[string]any); org["MasterAccountId"] != "111111111111" {
		t.Errorf("describe-organization = %v", org)
	}
	orgs.fails("ParentNotFoundException", "list-children", "--parent-id", "ou-demo-missing01", "--child-type", "ACCOUNT")
	awsCLI{t: t, url: url, service: "organizations", key: "222222222222"}.fails("AccessDeniedException", "list-roots")

	st := awsCLI{t: t, url: url, service: "sts"}
	out := st.ok("assume-role", "--role-arn", "arn:aws:iam::333333333333:role/apigw2tf-read", "--role-session-name", "cli",
		"--external-id", demoOrgExternalID)
	creds := out["Credentials"].(map[string]any)
	if creds["AccessKeyId"] != "333333333333" || out["AssumedRoleUser"].(map[string]any)["Arn"] != "arn:aws:sts::333333333333:assumed-role/apigw2tf-read/cli" {
		t.Errorf("assume-role = %v", out)
	}
	st.fails("AccessDenied", "assume-role", "--role-arn", "arn:aws:iam::333333333333:role/apigw2tf-read", "--role-session-name", "cli", "--external-id", "wrong-id")
	st.fails("AccessDenied", "assume-role", "--role-arn", "arn:aws:iam::777777777777:role/apigw2tf-read", "--role-session-name", "cli", "--external-id", demoOrgExternalID)
}
