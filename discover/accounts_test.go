package discover

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

const (
	demoOrgManagement = "111111111111"
	demoOrgRole       = "apigw2tf-read"
	demoOrgExternalID = "apigw2tf-demo-org"
)

func serveDemoOrg(t testing.TB) (*emulator.Server, string) {
	t.Helper()
	return serve(t, emulator.Options{Seed: emutest.Seed(t, "demo-org.yaml"), Account: demoOrgManagement})
}

// orgRun lists the demo organization and discovers what it selects.
func orgRun(t *testing.T, url string, oo OrgOptions, externalID string) (*inventory.Accounts, error) {
	t.Helper()
	base := testOptions(url, "us-east-1", "eu-west-1")
	orgID, targets, skipped, err := Organization(context.Background(), base, oo)
	if err != nil {
		return nil, err
	}
	return RunAccounts(context.Background(), AccountsOptions{Options: base, Targets: targets, Skipped: skipped,
		Organization: orgID, ExternalID: externalID})
}

func TestOrganizationDiscoversEveryActiveAccount(t *testing.T) {
	srv, url := serveDemoOrg(t)
	all, err := orgRun(t, url, OrgOptions{MemberRoleName: demoOrgRole}, demoOrgExternalID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, a := range all.Accounts {
		if a.Inventory == nil {
			continue
		}
		for _, api := range a.Inventory.APIs {
			got[a.Name] = append(got[a.Name], api.Region+"/"+api.ID)
		}
		if a.Inventory.Account != a.ID {
			t.Errorf("account %s: inventory of account %s", a.Name, a.Inventory.Account)
		}
	}
	want := map[string][]string{
		"management":       {"us-east-1/mgmt0api01"},
		"payments-prod":    {"eu-west-1/pay0euw101", "us-east-1/pay0prod01"},
		"identity-prod-eu": {"eu-west-1/idn0prod01"},
		"payments-staging": {"us-east-1/pay0stag01"},
		"chat-dev":         {"us-east-1/chat0dev01"},
	}
	for name, apis := range want {
		if !slices.Equal(got[name], apis) {
			t.Errorf("account %s: APIs %v, want %v", name, got[name], apis)
		}
	}
	if len(all.Accounts) != 6 || all.Organization != "o-demo0org01" {
		t.Errorf("accounts %d (want 6: 5 discovered, 1 failed), organization %q", len(all.Accounts), all.Organization)
	}
	failed := all.Failed()
	wantRole := "arn:aws:iam::777777777777:role/apigw2tf-read"
	if len(failed) != 1 || failed[0].Name != "data-sandbox" || failed[0].RoleARN != wantRole ||
		!strings.Contains(failed[0].Error, "AccessDenied: User: arn:aws:iam::111111111111:user/emulator is not authorized to perform: sts:AssumeRole on resource: "+wantRole) {
		t.Errorf("failed accounts = %+v", failed)
	}
	if !all.Partial() {
		t.Error("a run with a failed account must be partial")
	}
	if len(all.Skipped) != 1 || all.Skipped[0].ID != "666666666666" || all.Skipped[0].Status != "SUSPENDED" {
		t.Errorf("skipped = %+v", all.Skipped)
	}
	// One AssumeRole per member account: four that work, one denied; the
	// management account uses the listing credentials themselves.
	if n := srv.Stats().Operations["AssumeRole"]; n != 5 {
		t.Errorf("AssumeRole calls = %d, want 5", n)
	}
}

func TestOrganizationUnitsIncludeSubUnits(t *testing.T) {
	_, url := serveDemoOrg(t)
	all, err := orgRun(t, url, OrgOptions{MemberRoleName: demoOrgRole, Units: []string{"ou-demo-prod0001"}, Exclude: []string{"payments-prod"}}, demoOrgExternalID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range all.Accounts {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"identity-prod-eu"}) || len(all.Skipped) != 1 || all.Skipped[0].Reason != "excluded" {
		t.Errorf("accounts %v, skipped %+v; want identity-prod-eu from the sub-unit, payments-prod excluded", names, all.Skipped)
	}
	all, err = orgRun(t, url, OrgOptions{MemberRoleName: demoOrgRole, Include: []string{"333333333333", "chat-dev"}}, demoOrgExternalID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Accounts) != 2 || all.Partial() {
		t.Errorf("include: %+v", all.Accounts)
	}
}

// TestOrganizationBadInput: each mistake is one error that names what to
// fix, and no inventory comes back.
func TestOrganizationBadInput(t *testing.T) {
	_, url := serveDemoOrg(t)
	for name, tc := range map[string]struct {
		oo         OrgOptions
		externalID string
		key        string
		want       string
	}{
		"external id mismatch": {OrgOptions{MemberRoleName: demoOrgRole}, "not-the-id", "", "no member role could be assumed (5 of 5 denied); nothing written; check the role name and external id; first: account chat-dev: assuming arn:aws:iam::555555555555:role/apigw2tf-read: AccessDenied"},
		"role name typo":       {OrgOptions{MemberRoleName: "apigw2tf-raed"}, demoOrgExternalID, "", "role/apigw2tf-raed: AccessDenied"},
		"unknown unit":         {OrgOptions{MemberRoleName: demoOrgRole, Units: []string{"ou-demo-missing01"}}, demoOrgExternalID, "", "--org-unit ou-demo-missing01 does not exist in the organization: ParentNotFoundException"},
		"malformed unit":       {OrgOptions{MemberRoleName: demoOrgRole, Units: []string{"prod"}}, demoOrgExternalID, "", `--org-unit "prod" is not an organizational unit id`},
		"member credentials":   {OrgOptions{MemberRoleName: demoOrgRole}, demoOrgExternalID, "222222222222", "the listing credentials (account 222222222222) cannot read the organization: AccessDeniedException"},
		"unknown include":      {OrgOptions{MemberRoleName: demoOrgRole, Include: []string{"payments-prd"}}, demoOrgExternalID, "", `--include-account "payments-prd" is no account id or name in organization o-demo0org01`},
		"role arn as name":     {OrgOptions{MemberRoleName: "arn:aws:iam::1:role/x"}, demoOrgExternalID, "", "must be a role name, not an ARN"},
		"no role name":         {OrgOptions{}, "", "", "--member-role-name is required"},
	} {
		t.Run(name, func(t *testing.T) {
			base := testOptions(url, "us-east-1")
			if tc.key != "" {
				base.Credentials = credentials.NewStaticCredentialsProvider(tc.key, "s", "")
			}
			var all *inventory.Accounts
			orgID, targets, skipped, err := Organization(context.Background(), base, tc.oo)
			if err == nil {
				all, err = RunAccounts(context.Background(), AccountsOptions{Options: base, Targets: targets, Skipped: skipped,
					Organization: orgID, ExternalID: tc.externalID})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line containing %q", err, tc.want)
			}
			if all != nil {
				t.Errorf("an inventory came back: %+v", all)
			}
		})
	}
}

// inFlight wraps a handler and records the most accounts that had a
// request in flight at the same time.
type inFlight struct {
	next http.Handler
	mu   sync.Mutex
	now  map[string]int
	max  int
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, rest, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	key, _, _ := strings.Cut(rest, "/")
	f.mu.Lock()
	f.now[key]++
	f.max = max(f.max, len(f.now))
	f.mu.Unlock()
	f.next.ServeHTTP(w, r)
	f.mu.Lock()
	if f.now[key]--; f.now[key] == 0 {
		delete(f.now, key)
	}
	f.mu.Unlock()
}

func TestAccountConcurrencyBound(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 4, Stages: 1, Seed: 1, Account: "100000000000", Accounts: 8})
	for _, bound := range []int{2, 8} {
		srv, err := emulator.New(emulator.Options{Seed: seed, Faults: emulator.Faults{Latency: 5 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		f := &inFlight{next: srv, now: map[string]int{}}
		hs := httptest.NewServer(f)
		var targets []Target
		for i := range 8 {
			id := "10000000000" + string(rune('0'+i))
			targets = append(targets, Target{Name: id, ID: id, RoleARN: "arn:aws:iam::" + id + ":role/" + emulator.SyntheticMemberRole})
		}
		all, err := RunAccounts(context.Background(), AccountsOptions{Options: testOptions(hs.URL, "us-east-1"), Targets: targets, AccountConcurrency: bound})
		hs.Close()
		if err != nil || all.Partial() || len(all.Accounts) != 8 {
			t.Fatalf("bound %d: %v, %+v", bound, err, all)
		}
		// The listing key (AKIDTEST) assumes the roles, so it may add one.
		if f.max > bound+1 {
			t.Errorf("bound %d: %d accounts had requests in flight at once", bound, f.max)
		}
		if bound == 8 && f.max < 3 {
			t.Errorf("bound 8: at most %d accounts in flight; the accounts did not run side by side", f.max)
		}
	}
}

// TestRunAccountsInterrupted cancels the run when the first stage listing
// arrives, as Ctrl-C would mid-run: nothing comes back to be written.
func TestRunAccountsInterrupted(t *testing.T) {
	seed := emulator.Synthetic(emulator.SyntheticSpec{APIs: 50, Stages: 2, Seed: 1, Account: "100000000000", Accounts: 3})
	srv, err := emulator.New(emulator.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/stages") {
			cancel()
		}
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	targets := []Target{{Name: "a", ID: "100000000001", RoleARN: "arn:aws:iam::100000000001:role/" + emulator.SyntheticMemberRole},
		{Name: "b", ID: "100000000002", RoleARN: "arn:aws:iam::100000000002:role/" + emulator.SyntheticMemberRole}}
	all, err := RunAccounts(ctx, AccountsOptions{Options: testOptions(hs.URL, "us-east-1"), Targets: targets})
	if err == nil || all != nil || !strings.Contains(err.Error(), "interrupted; nothing written") {
		t.Fatalf("interrupted run: %v, %+v", err, all)
	}
}

func TestAccountProgressLine(t *testing.T) {
	var c accountCounts
	c.done.Add(3)
	c.running.Add(2)
	c.failed.Add(1)
	var out testenv.SyncBuffer
	stop := startAccountProgress(&out, &c, 9, time.Now(), time.Millisecond)
	for !strings.Contains(out.String(), "accounts 3/9 done  2 running  1 failed") {
		time.Sleep(time.Millisecond) // polls for the first redraw; the test timeout is the hang guard
	}
	stop()
	if got := out.String(); !strings.HasPrefix(got, "\r\033[K") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("progress output %q", got)
	}
}

// TestRoleFromTheTargetsProfileNeedsNoDefaultCredentials runs an account
// reached by a role on top of its own profile, with nothing in the default
// chain: the profile signs AssumeRole, so the empty default chain must not
// fail the run.
func TestRoleFromTheTargetsProfileNeedsNoDefaultCredentials(t *testing.T) {
	_, url := serveDemoOrg(t)
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config")
	if err := os.WriteFile(cfgFile, []byte("[profile mgmt]\naws_access_key_id = "+demoOrgManagement+"\naws_secret_access_key = s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"AWS_CONFIG_FILE": cfgFile, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull, "AWS_ACCESS_KEY_ID": "",
		"AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true"} {
		t.Setenv(k, v)
	}
	base := testOptions(url, "us-east-1")
	base.Credentials = nil
	all, err := RunAccounts(context.Background(), AccountsOptions{Options: base, ExternalID: demoOrgExternalID, Targets: []Target{
		{Name: "payments-prod", Profile: "mgmt", RoleARN: "arn:aws:iam::222222222222:role/" + demoOrgRole}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Accounts) != 1 || all.Accounts[0].Error != "" || all.Accounts[0].Inventory == nil ||
		len(all.Accounts[0].Inventory.APIs) != 1 || all.Accounts[0].Inventory.APIs[0].ID != "pay0prod01" {
		t.Errorf("accounts = %+v", all.Accounts)
	}
}
