package emulator_test

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"gopkg.in/yaml.v3"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
)

const demoOrgExternalID = "apigw2tf-demo-org"

func startDemoOrg(t *testing.T) string {
	t.Helper()
	_, url := start(t, emulator.Options{Seed: emutest.Seed(t, "demo-org.yaml")})
	return url
}

func orgClient(url, akid string) *organizations.Client {
	return organizations.New(organizations.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(akid, "secret", "")})
}

func stsClient(url, akid string) *sts.Client {
	return sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(akid, "secret", "")})
}

func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestOrganizationsListsEveryPage(t *testing.T) {
	url := startDemoOrg(t)
	c := orgClient(url, "AKIDEXAMPLE")
	var ids, statuses []string
	pages := 0
	p := organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range out.Accounts {
			ids = append(ids, aws.ToString(a.Id))
			statuses = append(statuses, string(a.Status))
		}
	}
	want := []string{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555", "666666666666", "777777777777"}
	if !slices.Equal(ids, want) || pages != 4 {
		t.Errorf("ListAccounts in %d pages = %v, want %v in 4 pages", pages, ids, want)
	}
	if statuses[5] != "SUSPENDED" || statuses[0] != "ACTIVE" {
		t.Errorf("statuses = %v", statuses)
	}

	roots, err := c.ListRoots(ctx(t), &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 || aws.ToString(roots.Roots[0].Id) != "r-demo" {
		t.Fatalf("ListRoots = %+v, %v", roots, err)
	}
	children := func(parent string, ct orgtypes.ChildType) []string {
		var out []string
		p := organizations.NewListChildrenPaginator(c, &organizations.ListChildrenInput{ParentId: &parent, ChildType: ct, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range page.Children {
				out = append(out, aws.ToString(ch.Id))
			}
		}
		return out
	}
	if got := children("r-demo", orgtypes.ChildTypeOrganizationalUnit); !slices.Equal(got, []string{"ou-demo-prod0001", "ou-demo-nonprod1"}) {
		t.Errorf("units under the root = %v", got)
	}
	if got := children("ou-demo-prod0001", orgtypes.ChildTypeOrganizationalUnit); !slices.Equal(got, []string{"ou-demo-prodeu01"}) {
		t.Errorf("units under prod = %v", got)
	}
	if got := children("r-demo", orgtypes.ChildTypeAccount); !slices.Equal(got, []string{"111111111111", "666666666666"}) {
		t.Errorf("accounts under the root = %v", got)
	}
	var inParent []string
	ap := organizations.NewListAccountsForParentPaginator(c, &organizations.ListAccountsForParentInput{ParentId: aws.String("ou-demo-nonprod1"), MaxResults: aws.Int32(2)})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Accounts {
			inParent = append(inParent, aws.ToString(a.Name))
		}
	}
	if !slices.Equal(inParent, []string{"payments-staging", "chat-dev", "data-sandbox"}) {
		t.Errorf("accounts in nonprod = %v", inParent)
	}
	org, err := c.DescribeOrganization(ctx(t), &organizations.DescribeOrganizationInput{})
	if err != nil || aws.ToString(org.Organization.MasterAccountId) != "111111111111" || aws.ToString(org.Organization.Id) != "o-demo0org01" {
		t.Fatalf("DescribeOrganization = %+v, %v", org, err)
	}
}

func TestOrganizationsErrors(t *testing.T) {
	url := startDemoOrg(t)
	mgmt := orgClient(url, "AKIDEXAMPLE")
	for name, tc := range map[string]struct {
		call func() error
		want string
	}{
		"member may not list": {func() error {
			_, err := orgClient(url, "222222222222").ListAccounts(ctx(t), &organizations.ListAccountsInput{})
			return err
		}, "AccessDeniedException"},
		"outside the organization": {func() error {
			_, err := orgClient(url, "999999999999").ListAccounts(ctx(t), &organizations.ListAccountsInput{})
			return err
		}, "AWSOrganizationsNotInUseException"},
		"unknown unit": {func() error {
			_, err := mgmt.ListChildren(ctx(t), &organizations.ListChildrenInput{ParentId: aws.String("ou-demo-missing01"), ChildType: orgtypes.ChildTypeAccount})
			return err
		}, "ParentNotFoundException"},
		"malformed parent": {func() error {
			_, err := mgmt.ListAccountsForParent(ctx(t), &organizations.ListAccountsForParentInput{ParentId: aws.String("prod")})
			return err
		}, "InvalidInputException"},
		"bad token": {func() error {
			_, err := mgmt.ListAccounts(ctx(t), &organizations.ListAccountsInput{NextToken: aws.String("Um9vdHM6MQ")}) // "Roots:1"
			return err
		}, "InvalidInputException"},
		"page too large": {func() error {
			_, err := mgmt.ListAccounts(ctx(t), &organizations.ListAccountsInput{MaxResults: aws.Int32(21)})
			return err
		}, "InvalidInputException"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := apiErrorCode(tc.call()); got != tc.want {
				t.Errorf("error code %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := orgClient(startDemoOrgless(t), "AKIDEXAMPLE").ListRoots(ctx(t), &organizations.ListRootsInput{}); apiErrorCode(err) != "AWSOrganizationsNotInUseException" {
		t.Errorf("seed without an organization: %v", err)
	}
}

func startDemoOrgless(t *testing.T) string {
	t.Helper()
	_, url := start(t, emulator.Options{})
	return url
}

func TestAssumeRoleSelectsTheAccount(t *testing.T) {
	url := startDemoOrg(t)
	role := "arn:aws:iam::222222222222:role/apigw2tf-read"
	prov := stscreds.NewAssumeRoleProvider(stsClient(url, "AKIDEXAMPLE"), role, func(o *stscreds.AssumeRoleOptions) {
		o.ExternalID = aws.String(demoOrgExternalID)
		o.RoleSessionName = "apigw2tf"
	})
	creds, err := prov.Retrieve(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "222222222222" || creds.SessionToken == "" || !creds.CanExpire {
		t.Errorf("credentials = %+v", creds)
	}
	cfg := aws.Config{Region: "eu-west-1", Credentials: aws.NewCredentialsCache(prov), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	apis, err := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(url) }).GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 || aws.ToString(apis.Items[0].ApiId) != "pay0euw101" {
		t.Fatalf("GetApis with the assumed role = %+v, %v", apis, err)
	}
	id, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(url) }).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:sts::222222222222:assumed-role/apigw2tf-read/apigw2tf" {
		t.Errorf("GetCallerIdentity = %+v, %v", id, err)
	}
}

func TestAssumeRoleDenied(t *testing.T) {
	url := startDemoOrg(t)
	for name, tc := range map[string]struct{ caller, role, externalID, want string }{
		"wrong external id": {"AKIDEXAMPLE", "arn:aws:iam::222222222222:role/apigw2tf-read", "nope-nope", "AccessDenied"},
		"no external id":    {"AKIDEXAMPLE", "arn:aws:iam::222222222222:role/apigw2tf-read", "", "AccessDenied"},
		"role missing":      {"AKIDEXAMPLE", "arn:aws:iam::777777777777:role/apigw2tf-read", demoOrgExternalID, "AccessDenied"},
		"role name typo":    {"AKIDEXAMPLE", "arn:aws:iam::222222222222:role/apigw2tf-raed", demoOrgExternalID, "AccessDenied"},
		"untrusted caller":  {"333333333333", "arn:aws:iam::222222222222:role/apigw2tf-read", demoOrgExternalID, "AccessDenied"},
		"unknown account":   {"AKIDEXAMPLE", "arn:aws:iam::999999999999:role/apigw2tf-read", demoOrgExternalID, "AccessDenied"},
		"malformed arn":     {"AKIDEXAMPLE", "arn:aws:iam::2222:role/x", demoOrgExternalID, "ValidationError"},
	} {
		t.Run(name, func(t *testing.T) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(tc.role), RoleSessionName: aws.String("apigw2tf")}
			if tc.externalID != "" {
				in.ExternalId = aws.String(tc.externalID)
			}
			_, err := stsClient(url, tc.caller).AssumeRole(ctx(t), in)
			if got := apiErrorCode(err); got != tc.want {
				t.Fatalf("error %v, want code %s", err, tc.want)
			}
			if tc.want == "AccessDenied" && !strings.Contains(err.Error(), "not authorized to perform: sts:AssumeRole on resource: "+tc.role) {
				t.Errorf("message does not name the role: %v", err)
			}
		})
	}
}

func TestSyntheticOrganization(t *testing.T) {
	spec, err := emulator.ParseSyntheticSpec("apis=3,stages=1,seed=2,accounts=5,account=100000000000,regions=us-east-1+eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	_, url := start(t, emulator.Options{Seed: emulator.Synthetic(spec)})
	out, err := orgClient(url, "AKIDEXAMPLE").ListAccounts(ctx(t), &organizations.ListAccountsInput{})
	if err != nil || len(out.Accounts) != 5 || aws.ToString(out.Accounts[4].Id) != "100000000004" {
		t.Fatalf("ListAccounts = %+v, %v", out, err)
	}
	role := "arn:aws:iam::100000000003:role/" + emulator.SyntheticMemberRole
	if _, err := stsClient(url, "AKIDEXAMPLE").AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: &role, RoleSessionName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	ids, _ := listAPIs(t, client(url, "eu-west-1", nil), 10)
	member := apigatewayv2.NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("100000000003", "s", "")},
		func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(url) })
	apis, err := member.GetApis(ctx(t), &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 || len(ids) != 1 || aws.ToString(apis.Items[0].ApiId) == ids[0] {
		t.Errorf("member APIs %+v (err %v) should differ from the management account's %v", apis, err, ids)
	}
	for _, bad := range []string{"apis=1,accounts=0", "apis=1,accounts=x", "apis=1,accounts=2,account=999999999999"} {
		if _, err := emulator.ParseSyntheticSpec(bad); err == nil {
			t.Errorf("ParseSyntheticSpec(%q) accepted", bad)
		}
	}
}

func TestOrgSeedErrors(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown parent":     {"organization: {id: o-abcdefghij, rootId: r-abcd, managementAccount: \"111111111111\"}\naccounts:\n  - id: \"111111111111\"\n    parent: ou-abcd-efghijkl\n", ":4: account 111111111111: parent"},
		"management missing": {"organization: {id: o-abcdefghij, rootId: r-abcd, managementAccount: \"222222222222\"}\naccounts:\n  - id: \"111111111111\"\n", "managementAccount"},
		"bad trust":          {"accounts:\n  - id: \"111111111111\"\n    roles: [{name: r, trust: [\"me\"]}]\n", ":3: role r trusts \"me\""},
		"bad status":         {"accounts:\n  - id: \"111111111111\"\n    status: GONE\n", ":3: account status"},
		"parent without org": {"accounts:\n  - id: \"111111111111\"\n    parent: ou-abcd-efghijkl\n", "has no organization"},
		"duplicate account":  {"accounts:\n  - id: \"111111111111\"\n  - id: \"111111111111\"\n", ":3: account id 111111111111 is listed twice"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := emulator.New(emulator.Options{Seed: mustParseSeed(t, tc.yaml)})
			if msg := lineRE.ReplaceAllString(tc.want, ""); err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("New: %v, want %q", err, tc.want)
			}
			path := filepath.Join(t.TempDir(), "seed.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err = emulator.LoadSeedFile(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadSeedFile: %v, want %q", err, tc.want)
			}
		})
	}
}

var lineRE = regexp.MustCompile(`^:\d+: `)

// mustParseSeed decodes a seed without validating it, for emulator.New to
// validate.
func mustParseSeed(t *testing.T, doc string) *emulator.Seed {
	t.Helper()
	var seed emulator.Seed
	if err := yaml.Unmarshal([]byte(doc), &seed); err != nil {
		t.Fatal(err)
	}
	return &seed
}

// TestOrganizationsMatchesBotocoreModel checks every Organizations response,
// errors included, against botocore's model of the JSON 1.1 service.
func TestOrganizationsMatchesBotocoreModel(t *testing.T) {
	model := loadBotocoreModel(t, "organizations/2016-11-28")
	srv, err := emulator.New(emulator.Options{Seed: emutest.Seed(t, "demo-org.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	c := orgClient(ts.URL, "AKIDEXAMPLE")
	p := organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		if _, err := p.NextPage(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = c.ListRoots(ctx(t), &organizations.ListRootsInput{})
	_, _ = c.DescribeOrganization(ctx(t), &organizations.DescribeOrganizationInput{})
	_, _ = c.ListChildren(ctx(t), &organizations.ListChildrenInput{ParentId: aws.String("r-demo"), ChildType: orgtypes.ChildTypeOrganizationalUnit, MaxResults: aws.Int32(1)})
	_, _ = c.ListAccountsForParent(ctx(t), &organizations.ListAccountsForParentInput{ParentId: aws.String("ou-demo-nonprod1")})
	_, _ = c.ListChildren(ctx(t), &organizations.ListChildrenInput{ParentId: aws.String("ou-demo-missing01"), ChildType: orgtypes.ChildTypeAccount})
	_, _ = c.ListAccountsForParent(ctx(t), &organizations.ListAccountsForParentInput{ParentId: aws.String("bad")})
	_, _ = orgClient(ts.URL, "222222222222").ListAccounts(ctx(t), &organizations.ListAccountsInput{})

	covered := map[string]bool{}
	for _, r := range rec.seen {
		op, ok := strings.CutPrefix(r.path, "AWSOrganizationsV20161128.")
		if _, known := model.Operations[op]; !ok || !known {
			t.Errorf("X-Amz-Target %q names no operation in the model", r.path)
			continue
		}
		body := decode(t, op, r.body).(map[string]any)
		if r.status != 200 {
			typ, _ := body["__type"].(string)
			sh, ok := model.Shapes[typ]
			if !ok || !sh.Exception {
				t.Errorf("%s: error type %q is not an exception in the model", op, typ)
				continue
			}
			delete(body, "__type")
			model.check(t, op, typ, body, true)
			covered[typ] = true
			continue
		}
		covered[op] = true
		model.check(t, op, model.Operations[op].Output.Shape, body, true)
	}
	for _, want := range []string{"ListAccounts", "ListRoots", "DescribeOrganization", "ListChildren", "ListAccountsForParent",
		"ParentNotFoundException", "InvalidInputException", "AccessDeniedException"} {
		if !covered[want] {
			t.Errorf("no %s response was checked", want)
		}
	}
}
