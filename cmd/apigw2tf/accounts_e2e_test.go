package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
)

// TestAccountsEndToEnd runs the several-account path on both engines over
// the demo organization: discover the accounts of apigw2tf.yaml, generate
// one root module per account, verify and apply each, change two accounts
// from the console, discover again and audit every directory at once.
//
// The accounts are reached through shared-config profiles whose access key
// is the account id (the emulator's account selector), so generate writes
// profile = "…" into each provider; TestOrganizationAuditEndToEnd covers
// assume_role. An account reached by a role that is denied stays in the
// run as the partial failure.
func TestAccountsEndToEnd(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		env := startDemoOrgEnv(t)
		dir := t.TempDir()
		var profiles strings.Builder
		for name, id := range map[string]string{"mgmt": "111111111111", "payments-prod": "222222222222", "identity": "333333333333", "payments-staging": "444444444444"} {
			profiles.WriteString("[profile " + name + "]\naws_access_key_id = " + id + "\naws_secret_access_key = s\nregion = us-east-1\n\n")
		}
		t.Setenv("AWS_CONFIG_FILE", writeFile(t, dir, "aws-config", profiles.String()))
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		cfg := writeFile(t, dir, "apigw2tf.yaml", "version: 1\nendpoint_url: "+env.URL+"\nrate: 0\naccounts:\n"+
			"  - {name: payments-prod, profile: payments-prod, regions: [us-east-1, eu-west-1]}\n"+
			"  - {name: identity, profile: identity, regions: [eu-west-1]}\n"+
			"  - {name: payments-staging, profile: payments-staging, regions: [us-east-1]}\n"+
			"  - {name: data-sandbox, profile: mgmt, role_arn: 'arn:aws:iam::777777777777:role/apigw2tf-read', regions: [us-east-1]}\n")
		inv := filepath.Join(dir, "inventory.json")
		if code, _, stderr := runCLI(ctx, "-c", cfg, "discover", "-q", "-o", inv); code != exitPartial {
			t.Fatalf("discover: exit %d, want %d\n%s", code, exitPartial, stderr)
		}
		tmpl := filepath.Join(dir, "infra", "{account_name}")
		if code, stdout, stderr := runCLI(ctx, "generate", "--inventory", inv, "--dir-template", tmpl, "--terraform-bin", eng.Bin); code != exitPartial {
			t.Fatalf("generate: exit %d, want %d\n%s%s", code, exitPartial, stdout, stderr)
		}
		for _, acct := range []string{"payments-prod", "identity", "payments-staging"} {
			d := filepath.Join(dir, "infra", acct)
			if code, stdout, stderr := runCLI(ctx, "verify", "--dir", d, "--terraform-bin", eng.Bin); code != exitOK {
				t.Fatalf("verify %s: exit %d\n%s%s", acct, code, stdout, stderr)
			}
			r := env.Runner(t, eng, d)
			// The process environment, which holds the profiles, not the
			// emulator's static key that Runner sets.
			engEnv := map[string]string{}
			for _, kv := range os.Environ() {
				if k, v, ok := strings.Cut(kv, "="); ok {
					engEnv[k] = v
				}
			}
			if err := r.SetEnv(tfexec.CleanEnv(engEnv)); err != nil {
				t.Fatal(err)
			}
			if err := r.TF.Apply(ctx); err != nil {
				t.Fatalf("apply %s: %v", acct, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "infra", "data-sandbox")); !os.IsNotExist(err) {
			t.Errorf("the denied account got a directory: %v", err)
		}

		// The console: a stage edited in payments-prod, an API created in
		// payments-staging.
		editInTheConsole(t, env.URL, "222222222222", "us-east-1", "pay0prod01", "444444444444")

		inv2 := filepath.Join(dir, "inventory-now.json")
		if code, _, stderr := runCLI(ctx, "-c", cfg, "discover", "-q", "-o", inv2); code != exitPartial {
			t.Fatalf("second discover: exit %d\n%s", code, stderr)
		}
		reports := filepath.Join(dir, "reports")
		rep, stdout := auditAccounts(ctx, t, eng, inv2, tmpl, reports)
		var drift []string
		for _, f := range rep.Findings {
			if f.Class.Drift() {
				drift = append(drift, string(f.Class)+" "+f.Account+" "+f.ImportID)
			}
		}
		if len(drift) != 2 || drift[0] != "changed payments-prod pay0prod01/prod" || !strings.HasPrefix(drift[1], "unmanaged payments-staging ") {
			t.Errorf("drift findings %v; want the stage changed in payments-prod and the API created in payments-staging", drift)
		}
		var failed []string
		for _, a := range rep.Accounts {
			if a.Error != "" {
				failed = append(failed, a.Name+" "+a.RoleARN+" "+a.Error)
			}
		}
		if len(failed) != 1 || !strings.Contains(failed[0], "data-sandbox arn:aws:iam::777777777777:role/apigw2tf-read") || !strings.Contains(failed[0], "AccessDenied") {
			t.Errorf("failed accounts %v", failed)
		}
		if len(rep.Coverage.Accounts) != 3 || rep.Coverage.Total.Percent != nil {
			t.Errorf("coverage %+v; want three accounts and an unknown total", rep.Coverage)
		}
		if !strings.Contains(stdout, "data-sandbox (777777777777): FAILED: assuming arn:aws:iam::777777777777:role/apigw2tf-read") {
			t.Errorf("text report does not name the denied role:\n%s", stdout)
		}

		// The same audit with each account's directories in apigw2tf.yaml
		// (accounts[].dirs) instead of a template.
		infra := filepath.Join(dir, "infra")
		cfg2 := writeFile(t, dir, "dirs.yaml", "version: 1\naccounts:\n"+
			"  - {name: payments-prod, profile: payments-prod, regions: [us-east-1, eu-west-1], dirs: ["+filepath.Join(infra, "payments-prod")+"]}\n"+
			"  - {name: identity, profile: identity, regions: [eu-west-1], dirs: ["+filepath.Join(infra, "identity")+"]}\n"+
			"  - {name: payments-staging, profile: payments-staging, regions: [us-east-1], dirs: ["+filepath.Join(infra, "payments-staging")+"]}\n"+
			"  - {name: data-sandbox, profile: mgmt, role_arn: 'arn:aws:iam::777777777777:role/apigw2tf-read', regions: [us-east-1]}\n")
		code, stdout, stderr := runCLI(ctx, "-c", cfg2, "audit", "--inventory", inv2, "--terraform-bin", eng.Bin)
		if code != exitPartial || !strings.Contains(stdout, "[payments-prod us-east-1 pay0prod01/prod]") ||
			!strings.Contains(stdout, "payments-staging (444444444444): 1 directories") {
			t.Errorf("audit with accounts[].dirs: exit %d\n%s%s", code, stdout, stderr)
		}
	})
}

// TestOrganizationAuditEndToEnd takes the demo organization from discover
// through generate (assume_role in every member's provider), verify and
// apply in each account's directory, to console changes in two accounts and
// an audit of all directories in plan mode on both engines. The provider
// reaches each member only through its assume_role block: the engines run
// with the management account's key, so a resource read or imported in the
// right account proves the role was assumed. The denied account makes the
// audit partial with its role ARN, and the suspended account is listed as
// skipped.
func TestOrganizationAuditEndToEnd(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		dir := t.TempDir()
		env, tmpl := generateDemoOrg(t, eng, dir)
		members := map[string]string{"payments-prod": "222222222222", "identity-prod-eu": "333333333333",
			"payments-staging": "444444444444", "chat-dev": "555555555555"}
		for _, acct := range []string{"management", "payments-prod", "identity-prod-eu", "payments-staging", "chat-dev"} {
			d := filepath.Join(dir, "infra", acct)
			main, err := os.ReadFile(filepath.Join(d, "providers.tf"))
			if err != nil {
				t.Fatal(err)
			}
			if id, member := members[acct]; member != strings.Contains(string(main), "arn:aws:iam::"+id+":role/apigw2tf-read") {
				t.Errorf("%s: provider block assumes the member role: %v, want %v\n%s", acct, !member, member, main)
			}
			if code, stdout, stderr := runCLI(ctx, "verify", "--dir", d, "--terraform-bin", eng.Bin); code != exitOK {
				t.Fatalf("verify %s: exit %d\n%s%s", acct, code, stdout, stderr)
			}
			// Only the provider talks to the emulator during apply; it runs
			// with the management account's key, so a member's imports are
			// found only through the role.
			before := env.Emulator.Stats().Operations["AssumeRole"]
			if err := env.Runner(t, eng, d).TF.Apply(ctx); err != nil {
				t.Fatalf("apply %s: %v", acct, err)
			}
			if _, member := members[acct]; member != (env.Emulator.Stats().Operations["AssumeRole"] > before) {
				t.Errorf("%s: AssumeRole calls %d before apply, %d after", acct, before, env.Emulator.Stats().Operations["AssumeRole"])
			}
		}
		for _, acct := range []string{"data-sandbox", "legacy-suspended"} {
			if _, err := os.Stat(filepath.Join(dir, "infra", acct)); !os.IsNotExist(err) {
				t.Errorf("%s got a directory: %v", acct, err)
			}
		}

		// The console: a stage edited in payments-prod (eu-west-1), an API
		// created in chat-dev.
		editInTheConsole(t, env.URL, "222222222222", "eu-west-1", "pay0euw101", "555555555555")

		inv2 := filepath.Join(dir, "inventory-now.json")
		if code, _, stderr := runCLI(ctx, append(demoOrgDiscover(env.URL), "-o", inv2)...); code != exitPartial {
			t.Fatalf("second discover: exit %d\n%s", code, stderr)
		}
		reports := filepath.Join(dir, "reports")
		rep, stdout := auditAccounts(ctx, t, eng, inv2, tmpl, reports, "--mode", "plan")
		var drift []string
		for _, f := range rep.Findings {
			if f.Class.Drift() {
				drift = append(drift, string(f.Class)+" "+f.Type+" "+f.Account+"/"+f.AccountID+" "+f.Region)
			}
		}
		slices.Sort(drift)
		if want := []string{"changed " + audit.TypeStage + " payments-prod/222222222222 eu-west-1",
			"unmanaged " + audit.TypeAPI + " chat-dev/555555555555 us-east-1"}; !slices.Equal(drift, want) {
			t.Errorf("drift findings %q, want %q", drift, want)
		}
		// Each imported API sits in the state of its own account's
		// directory, and the audit's refresh read it there.
		managed := map[string]string{}
		for _, d := range rep.Dirs {
			if d.Error != "" {
				t.Errorf("directory %s: %s", d.Dir, d.Error)
			}
			for _, r := range d.Resources {
				if r.Type == audit.TypeAPI {
					managed[r.ImportID] = d.Account + " " + filepath.Base(d.Dir)
				}
			}
		}
		want := map[string]string{"mgmt0api01": "management management", "pay0prod01": "payments-prod payments-prod",
			"pay0euw101": "payments-prod payments-prod", "idn0prod01": "identity-prod-eu identity-prod-eu",
			"pay0stag01": "payments-staging payments-staging", "chat0dev01": "chat-dev chat-dev"}
		if !maps.Equal(managed, want) {
			t.Errorf("managed APIs by account and directory %v, want %v", managed, want)
		}
		var covered []string
		for _, c := range rep.Coverage.Accounts {
			covered = append(covered, fmt.Sprintf("%s/%s %d+%d", c.Account, c.AccountID, c.Total.Managed, c.Total.Unmanaged))
		}
		if want := []string{"chat-dev/555555555555 4+1", "identity-prod-eu/333333333333 3+0", "management/111111111111 3+0",
			"payments-prod/222222222222 5+0", "payments-staging/444444444444 3+0"}; !slices.Equal(covered, want) {
			t.Errorf("coverage by account %q, want %q", covered, want)
		}
		var denied string
		for _, a := range rep.Accounts {
			if a.Error != "" {
				denied = a.Name + " " + a.RoleARN
			}
		}
		if denied != "data-sandbox arn:aws:iam::777777777777:role/apigw2tf-read" || len(rep.SkippedAccounts) != 1 ||
			rep.SkippedAccounts[0].Name != "legacy-suspended" || rep.SkippedAccounts[0].Status != "SUSPENDED" {
			t.Errorf("denied %q, skipped %+v", denied, rep.SkippedAccounts)
		}
		if !strings.Contains(stdout, "data-sandbox (777777777777): FAILED: assuming arn:aws:iam::777777777777:role/apigw2tf-read") {
			t.Errorf("text report does not name the denied role:\n%s", stdout)
		}
		html, _ := os.ReadFile(filepath.Join(reports, "report.html"))
		if !strings.Contains(string(html), `id="accounts-table"`) || !strings.Contains(string(html), "legacy-suspended") {
			t.Error("the HTML report lacks the per-account view or the skipped account")
		}
	})
}

// editInTheConsole acts as a person in the console of each account, with
// that account's own key (the emulator's account selector): it edits the
// description of stage prod of apiID in editAccount and region, and
// creates an API "shadow" in us-east-1 of createAccount.
func editInTheConsole(t *testing.T, url, editAccount, region, apiID, createAccount string) {
	t.Helper()
	ctx := context.Background()
	if _, err := consoleClient(url, editAccount, region).UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: aws.String(apiID),
		StageName: aws.String("prod"), Description: aws.String("hotfix from the console")}); err != nil {
		t.Fatal(err)
	}
	if _, err := consoleClient(url, createAccount, "us-east-1").CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("shadow"), ProtocolType: "HTTP"}); err != nil {
		t.Fatal(err)
	}
}

// consoleClient is a person in the console of account: the account's own
// key is the emulator's account selector.
func consoleClient(url, account, region string) *apigatewayv2.Client {
	return apigatewayv2.New(apigatewayv2.Options{Region: region, BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider(account, "s", "")})
}

// demoOrgDiscover are the flags that discover the demo organization
// served at url through its member roles.
func demoOrgDiscover(url string) []string {
	return []string{"discover", "--endpoint-url", url, "--region", "us-east-1,eu-west-1", "--rate", "0", "-q",
		"--member-role-name", "apigw2tf-read", "--external-id", demoOrgExternalID}
}

// generateDemoOrg serves the demo organization (startDemoOrgEnv), discovers
// it into dir/inventory.json through the member roles and generates one
// directory per account from it; it returns the emulator and the
// directory template.
func generateDemoOrg(t *testing.T, eng e2e.Engine, dir string) (*e2e.Env, string) {
	t.Helper()
	ctx := context.Background()
	env := startDemoOrgEnv(t)
	inv := filepath.Join(dir, "inventory.json")
	if code, _, stderr := runCLI(ctx, append(demoOrgDiscover(env.URL), "-o", inv)...); code != exitPartial {
		t.Fatalf("discover: exit %d\n%s", code, stderr)
	}
	tmpl := filepath.Join(dir, "infra", "{account_name}")
	if code, stdout, stderr := runCLI(ctx, "generate", "--inventory", inv, "--dir-template", tmpl, "--terraform-bin", eng.Bin); code != exitPartial {
		t.Fatalf("generate: exit %d\n%s%s", code, stdout, stderr)
	}
	return env, tmpl
}

// readJSONReport decodes the JSON report an audit wrote.
func readJSONReport(t *testing.T, path string) audit.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return rep
}

// auditAccounts audits every account of the several-account inventory inv
// in the directories of tmpl, writing every report format into reports. An
// account of the demo organization always fails, so the audit must exit 3
// (partial); it returns the JSON report and the text report.
func auditAccounts(ctx context.Context, t *testing.T, eng e2e.Engine, inv, tmpl, reports string, args ...string) (audit.Report, string) {
	t.Helper()
	args = append([]string{"audit", "--inventory", inv, "--dir-template", tmpl, "--terraform-bin", eng.Bin,
		"--format", strings.Join(audit.Formats, ","), "--out-dir", reports}, args...)
	code, stdout, stderr := runCLI(ctx, args...)
	if code != exitPartial {
		t.Fatalf("audit: exit %d, want %d (an account failed)\n%s%s", code, exitPartial, stdout, stderr)
	}
	return readJSONReport(t, filepath.Join(reports, "report.json")), stdout
}

// startDemoOrgEnv serves the demo organization with the test credentials
// as its management account's, and points this process's AWS settings at
// it.
func startDemoOrgEnv(t *testing.T) *e2e.Env {
	t.Helper()
	env := e2e.StartEmulator(t, emulator.Options{Seed: emutest.Seed(t, "demo-org.yaml"), Account: "111111111111"})
	env.Setenv(t)
	return env
}
