package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// TestInvalidGolden checks every file under testdata/invalid against the
// problems recorded in its .golden file: all problems, in file order, each
// with its position.
func TestInvalidGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ps := Validate(file)
			if len(ps) == 0 {
				t.Fatal("no problems reported for an invalid file")
			}
			var b strings.Builder
			for _, p := range ps {
				b.WriteString(p.String())
				b.WriteByte('\n')
			}
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			testenv.Golden(t, golden, []byte(b.String()))
			// Load must refuse the same file with the same problems.
			c, err := Load(file)
			var lp Problems
			if c != nil || !errors.As(err, &lp) || !reflect.DeepEqual([]Problem(lp), ps) {
				t.Errorf("Load = %v, %v; want nil and the problems Validate found", c, err)
			}
		})
	}
}

func TestLoadValid(t *testing.T) {
	dir := filepath.Join("testdata", "valid")
	c, err := Load(filepath.Join(dir, "apigw2tf.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	want := &Config{
		Path:    filepath.Join(dir, "apigw2tf.yaml"),
		Version: 1,
		Accounts: []Account{
			{Name: "prod", Profile: "prod-readonly", Regions: []string{"us-east-1", "eu-west-1"}, Dirs: []string{filepath.Join(dir, "infra", "prod")}},
			{Name: "staging", Profile: "ci", RoleARN: "arn:aws:iam::123456789012:role/apigw2tf-read", Regions: []string{"all"}},
		},
		Filters: Filters{
			Include:  []string{"^payments-", "orders"},
			Exclude:  []string{"-test$"},
			APIIDs:   []string{"a1b2c3d4e5", "0123456789"},
			Tags:     map[string]string{"team": "payments", "env": ""},
			Protocol: "http",
			Types:    []string{"api", "stage", "authorizer", "integration", "route"},
		},
		Rate: 5.5, RateSet: true, Burst: 20, Concurrency: 8, MaxAttempts: 6,
		EndpointURL:  "http://127.0.0.1:4566",
		TerraformBin: "/bin/sh",
		Generate: Generate{
			Dir:    filepath.Join(dir, "infra", "new"),
			Output: "apigw.tf",
			Layout: "per-region",
			Names:  map[string]string{"a1b2c3d4e5": "payments", "0123456789": "orders_api"},
		},
		Audit: Audit{
			Dirs:           []string{filepath.Join(dir, "infra", "prod"), filepath.Join(dir, "infra", "staging")},
			Formats:        []string{"text", "json", "markdown", "junit", "html"},
			OutDir:         filepath.Join(dir, "reports"),
			IgnoreFile:     filepath.Join(dir, "ignore.yaml"),
			Baseline:       filepath.Join(dir, "baseline.json"),
			FailOn:         "new",
			Parallel:       2,
			Mode:           "plan",
			IncludePending: &yes,
			Redact:         []string{"stage_variables"},
		},
		Migrate: []migrate.Move{
			{
				From: filepath.Join(dir, "infra", "prod"), To: filepath.Join(dir, "infra", "staging"),
				Select: migrate.Selector{
					APIIDs: []string{"a1b2c3d4e5"}, Names: []string{"^payments-"}, Tags: map[string]string{"team": "payments"},
					Regions: []string{"us-east-1"}, Protocol: "http", Addresses: []string{"aws_apigatewayv2_*.tfer--*"}, Stages: []string{"a1b2c3d4e5/prod"},
				},
				Naming: "apigw2tf", Names: map[string]string{"a1b2c3d4e5": "payments"},
				Where: filepath.Join(dir, "apigw2tf.yaml") + ":43",
			},
			{
				From: filepath.Join(dir, "infra", "prod"), To: filepath.Join(dir, "infra", "prod"),
				Select: migrate.Selector{Tags: map[string]string{"team": "orders"}},
				Module: "module.orders",
				Where:  filepath.Join(dir, "apigw2tf.yaml") + ":56",
			},
		},
	}
	pos := c.pos
	c.pos = nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load:\n got %+v\nwant %+v", c, want)
	}
	org, err := Load(filepath.Join(dir, "organization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	wantOrg := &Organization{Profile: "org-admin", RoleARN: "arn:aws:iam::111111111111:role/apigw2tf-org", MemberRoleName: "apigw2tf-read",
		ExternalID: "shared-external-id", SessionName: "nightly-audit", Units: []string{"ou-ab12-cd34ef56"},
		IncludeAccounts: []string{"222222222222", "payments"}, ExcludeAccounts: []string{"sandbox"}, Regions: []string{"us-east-1", "eu-west-1"}}
	if !reflect.DeepEqual(org.Organization, wantOrg) || org.AccountConcurrency != 16 {
		t.Errorf("Load organization.yaml:\n got %+v (account_concurrency %d)\nwant %+v", org.Organization, org.AccountConcurrency, wantOrg)
	}
	for k, v := range org.pos {
		pos[k] = v
	}
	checkDocumented(t, pos)
}

// checkDocumented compares the keys the valid test files set (together
// they set every key) with the key column of docs/config.md, both ways.
func checkDocumented(t *testing.T, pos map[string]position) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` \\|").FindAllSubmatch(doc, -1) {
		documented[string(m[1])] = true
	}
	index := regexp.MustCompile(`\[\d+\]`)
	parsed := map[string]bool{}
	for k := range pos {
		parsed[index.ReplaceAllString(k, "[]")] = true
	}
	section := func(k string) bool {
		for d := range documented {
			if strings.HasPrefix(d, k+".") {
				return true
			}
		}
		return false
	}
	for k := range parsed {
		if !documented[k] && !section(k) {
			t.Errorf("key %s is not in the table of docs/config.md", k)
		}
	}
	for k := range documented {
		if !parsed[k] {
			t.Errorf("docs/config.md documents %s, which testdata/valid/apigw2tf.yaml does not set (or the parser does not know)", k)
		}
	}
}

func TestLoadInlineIgnore(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "valid", "inline-ignore.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.IgnoreRule{
		{Address: "module.legacy.*", Reason: "owned by another team"},
		{ImportID: "abc123/*", Classes: []audit.Class{"unmanaged", "unimportable"}},
	}
	if !reflect.DeepEqual(c.Audit.IgnoreRules, want) || c.Audit.IgnoreFile != "" {
		t.Errorf("ignore rules = %+v (file %q), want %+v", c.Audit.IgnoreRules, c.Audit.IgnoreFile, want)
	}
}

// TestRelativeToFile proves paths resolve against the file, not the working
// directory: the same file validates from anywhere.
func TestRelativeToFile(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("testdata", "valid", "apigw2tf.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if ps := Validate(abs); len(ps) != 0 {
		t.Fatalf("problems from another directory: %v", ps)
	}
}

func TestUnreadableFile(t *testing.T) {
	ps := Validate(filepath.Join("testdata", "no-such-file.yaml"))
	if len(ps) != 1 || ps[0].Line != 0 || !strings.Contains(ps[0].String(), "testdata/no-such-file.yaml: cannot read the configuration file: no such file or directory") {
		t.Fatalf("problems = %v", ps)
	}
}

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{"a.yaml", 3, 5, "bad"}, "a.yaml:3:5: bad"},
		{Problem{"a.yaml", 3, 0, "bad"}, "a.yaml:3: bad"},
		{Problem{"a.yaml", 0, 0, "bad"}, "a.yaml: bad"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
	if got := (Problems{{"a", 1, 2, "x"}, {"a", 3, 4, "y"}}).Error(); got != "a:1:2: x\na:3:4: y" {
		t.Errorf("Problems.Error() = %q", got)
	}
}

func TestSuggestion(t *testing.T) {
	known := []string{"accounts", "audit", "burst", "dirs", "generate", "regions", "version"}
	for _, tc := range []struct{ got, want string }{
		{"regoins", `did you mean "regions"?`},
		{"versoin", `did you mean "version"?`},
		{"dir", `did you mean "dirs"?`},
		{"acount", `did you mean "accounts"?`},
		{"colour", "fallback"},
		{"base", "fallback"},
		{"burts", `did you mean "burst"?`},
		{"x", "fallback"},
		{"generator_settings", "fallback"},
	} {
		if got := suggestion(tc.got, known, "fallback"); got != tc.want {
			t.Errorf("suggestion(%q) = %q, want %q", tc.got, got, tc.want)
		}
	}
}

func TestAnchors(t *testing.T) {
	path := filepath.Join(t.TempDir(), DefaultFile)
	text := `version: 1
accounts:
  - name: a
    profile: a
    regions: &regions [us-east-1, eu-west-1]
  - name: b
    profile: b
    regions: *regions
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Accounts[1].Regions; !reflect.DeepEqual(got, []string{"us-east-1", "eu-west-1"}) {
		t.Errorf("regions through an alias = %v", got)
	}
}

func BenchmarkValidate(b *testing.B) {
	path := filepath.Join("testdata", "valid", "apigw2tf.yaml")
	for b.Loop() {
		if ps := Validate(path); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

// TestOwnersRules checks that the file follows the rule of the package
// that owns each value (issue 12), where the file once had its own copy:
// role ARNs in every partition (discover.ValidRoleARN, not a regex of three
// partitions), and an ignore rule with nothing to match on
// (audit.IgnoreRule.MatchesEverything, also for an empty classes list).
func TestOwnersRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), DefaultFile)
	text := `version: 1
accounts:
  - name: iso
    role_arn: arn:aws-iso:iam::123456789012:role/read
    regions: [us-east-1]
  - name: bucket
    role_arn: arn:aws:s3:::123456789012
    regions: [us-east-1]
audit:
  ignore:
    - classes: []
      reason: empty
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range Validate(path) {
		got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Msg))
	}
	want := []string{
		`7: accounts[1].role_arn "arn:aws:s3:::123456789012" is not an IAM role ARN like arn:aws:iam::123456789012:role/apigw2tf-read`,
		`11: audit.ignore[0] matches everything; give it an address, import_id or classes`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
