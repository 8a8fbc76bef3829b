package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadIgnoreRules(t *testing.T) {
	p := writeTemp(t, "ignore.yaml", `ignore:
  - address: "aws_apigatewayv2_stage.*"
    attributes: [deployment_id, tags]
    reason: deployments roll on their own
  - import_id: "abc/*"
    classes: [unmanaged]
`)
	r, err := LoadIgnoreRules(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rules) != 2 || r.Rules[1].Classes[0] != ClassUnmanaged || r.Rules[0].Attributes[1] != "tags" {
		t.Errorf("rules = %+v", r.Rules)
	}
	for content, want := range map[string]string{
		"ignore:\n  - reason: all\n":                        "matches everything",
		"ignore:\n  - address: x\n    classes: [drifted]\n": `unknown class "drifted"`,
		"ignore:\n  - adress: x\n":                          "adress",
	} {
		_, err := LoadIgnoreRules(writeTemp(t, "bad.yaml", content))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: err = %v, want it to name the file and say %q", content, err, want)
		}
	}
}

func TestPathMatches(t *testing.T) {
	for _, tt := range []struct {
		patterns []string
		path     string
		want     bool
	}{
		{[]string{"tags"}, `tags["team"]`, true},
		{[]string{"tags"}, `tags_all["team"]`, false},
		{[]string{"default_route_settings"}, "default_route_settings[0].throttling_burst_limit", true},
		{[]string{`route_settings[*].throttling_*`}, `route_settings["GET /"].throttling_rate_limit`, true},
		{[]string{`route_settings[*].throttling_*`}, `route_settings["GET /"].logging_level`, false},
		{[]string{"description"}, "description", true},
	} {
		if got := pathMatches(tt.patterns, tt.path); got != tt.want {
			t.Errorf("pathMatches(%v, %s) = %v", tt.patterns, tt.path, got)
		}
	}
}

func TestExitCode(t *testing.T) {
	rep := runScenario(t, Options{})
	if got := rep.ExitCode(FailOnAny, false); got != ExitDrift {
		t.Errorf("drift: exit %d", got)
	}
	rep.Partial = true
	if got := rep.ExitCode(FailOnAny, false); got != ExitPartial {
		t.Errorf("partial: exit %d", got)
	}
	clean := &Report{Dirs: []DirResult{{Dir: "infra", Resources: []Resource{{Address: "a"}}}}, Findings: []Finding{{Class: ClassUnimportable, Status: StatusNew}}}
	if got := clean.ExitCode(FailOnAny, false); got != ExitOK {
		t.Errorf("only unimportable: exit %d", got)
	}
	// Failure and emptiness never read as health.
	failed := &Report{Partial: true, Dirs: []DirResult{{Dir: "a", Error: "boom"}, {Dir: "b", Error: "boom"}}}
	if got := failed.ExitCode(FailOnAny, true); got != ExitError {
		t.Errorf("nothing audited: exit %d, want %d", got, ExitError)
	}
	empty := &Report{Dirs: []DirResult{{Dir: "a", Empty: true}, {Dir: "b", Resources: []Resource{{Address: "x"}}}}}
	if got := empty.ExitCode(FailOnAny, false); got != ExitError {
		t.Errorf("a directory with nothing to audit: exit %d, want %d", got, ExitError)
	}
	if got := empty.ExitCode(FailOnAny, true); got != ExitOK {
		t.Errorf("a directory with nothing to audit, --allow-empty: exit %d, want %d", got, ExitOK)
	}
}

// TestShippedExamplesLoad keeps the examples in step with the formats.
func TestShippedExamplesLoad(t *testing.T) {
	rules, err := LoadIgnoreRules(filepath.Join("..", "examples", "audit-ignore.yaml"))
	if err != nil || len(rules.Rules) == 0 {
		t.Errorf("examples/audit-ignore.yaml: %v", err)
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"aws_apigatewayv2_stage.*", "aws_apigatewayv2_stage.x", true},
		{"aws_apigatewayv2_stage.*", "aws_apigatewayv2_api.x", false},
		{`module.a["k"].*`, `module.a["k"].aws_apigatewayv2_api.x`, true},
		{"*prod*", "aws_apigatewayv2_stage.api_prod", true},
		{"*prod", "aws_apigatewayv2_stage.prod_api", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
	}
	for _, tt := range tests {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
