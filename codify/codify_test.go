package codify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/migrate"
)

const (
	stage = "aws_apigatewayv2_stage.shop_prod"
	api   = "aws_apigatewayv2_api.shop"
)

var tofu = migrate.EngineVersion{Name: "tofu", Version: version.Must(version.NewVersion("1.12.6"))}

func changed(addr string, live map[string]any, changes ...audit.Change) audit.Finding {
	typ := audit.TypeStage
	if addr == api {
		typ = audit.TypeAPI
	}
	return audit.Finding{Class: audit.ClassChanged, Address: addr, Type: typ, ImportID: "abc123/prod", Changes: changes, Live: live}
}

func ch(path, action string, before, after any) audit.Change {
	return audit.Change{Path: path, Action: action, Before: before, After: after}
}

// TestGolden codifies one kind of change at a time in a hand-edited
// configuration (testdata/main.tf) and compares the patch and what is
// left to a person with testdata/golden/<case>.txt (-update rewrites).
// Each patch must also apply with git apply to the original file.
func TestGolden(t *testing.T) {
	cases := []struct {
		name     string
		findings []audit.Finding
		engine   migrate.EngineVersion
		redact   []string
	}{
		{name: "description_variable", findings: []audit.Finding{changed(stage, nil, ch("description", audit.ActionUpdate, "prod stage", "changed in the console"))}},
		{name: "description_added", findings: []audit.Finding{changed(api, nil, ch("description", audit.ActionAdd, nil, "the shop's \"public\" API ${x}"))}},
		{name: "throttle", findings: []audit.Finding{changed(stage, nil, ch("default_route_settings[0].throttling_burst_limit", audit.ActionUpdate, 100.0, 117.0))}},
		{name: "route_settings_changed", findings: []audit.Finding{changed(stage, nil, ch(`route_settings["GET /items"].throttling_rate_limit`, audit.ActionUpdate, 5.0, 8.5))}},
		{name: "route_settings_added", findings: []audit.Finding{changed(stage, nil, ch(`route_settings["PUT /items"]`, audit.ActionAdd, nil, map[string]any{
			"route_key": "PUT /items", "throttling_burst_limit": 7.0, "throttling_rate_limit": 3.5, "detailed_metrics_enabled": false, "logging_level": "", "data_trace_enabled": false,
		}))}},
		{name: "route_settings_removed", findings: []audit.Finding{changed(stage, nil, ch(`route_settings["POST /items"]`, audit.ActionRemove, map[string]any{"route_key": "POST /items"}, nil))}},
		{name: "stage_variables", findings: []audit.Finding{changed(stage, nil,
			ch(`stage_variables["mode"]`, audit.ActionRemove, "live", nil),
			ch(`stage_variables["region"]`, audit.ActionAdd, nil, "eu-west-1"),
		)}},
		{name: "tags", findings: []audit.Finding{changed(api, nil,
			ch(`tags["cost-center"]`, audit.ActionAdd, nil, "42"),
			ch(`tags["team"]`, audit.ActionUpdate, "web", "console"),
			ch(`tags_all["cost-center"]`, audit.ActionAdd, nil, "42"),
			ch(`tags_all["team"]`, audit.ActionUpdate, "web", "console"),
		)}},
		{name: "access_log_removed", findings: []audit.Finding{changed(stage, nil, ch("access_log_settings[0]", audit.ActionRemove, map[string]any{"format": "$context.requestId"}, nil))}},
		{name: "default_route_settings_written_whole", findings: []audit.Finding{changed("aws_apigatewayv2_stage.shop_old",
			map[string]any{"default_route_settings": []any{map[string]any{"detailed_metrics_enabled": false, "throttling_burst_limit": 30.0, "throttling_rate_limit": 0.0}}},
			ch("default_route_settings[0].throttling_burst_limit", audit.ActionUpdate, 0.0, 30.0))}},
		{name: "computed_and_auto_deploy", findings: []audit.Finding{changed(stage, map[string]any{"auto_deploy": true},
			ch("deployment_id", audit.ActionUpdate, "d1", "d2"),
			ch("invoke_url", audit.ActionUpdate, "https://a", "https://b"),
		)}},
		{name: "redacted", redact: []string{"stage_variables"}, findings: []audit.Finding{changed(stage, nil,
			audit.Change{Path: `stage_variables["mode"]`, Action: audit.ActionUpdate, Before: audit.RedactedMask, After: audit.RedactedMask, Redacted: true},
			ch("description", audit.ActionUpdate, "prod stage", "x"),
		)}},
		{name: "deleted", findings: []audit.Finding{{Class: audit.ClassDeleted, Address: "aws_apigatewayv2_stage.shop_old", Type: audit.TypeStage, ImportID: "abc123/old"}}},
		{name: "deleted_terraform_1.5", engine: migrate.EngineVersion{Name: "terraform", Version: version.Must(version.NewVersion("1.5.7"))},
			findings: []audit.Finding{{Class: audit.ClassDeleted, Address: "aws_apigatewayv2_stage.shop_old", Type: audit.TypeStage, ImportID: "abc123/old"}}},
		{name: "module_address", findings: []audit.Finding{changed("module.shop.aws_apigatewayv2_stage.prod", nil, ch("description", audit.ActionUpdate, "a", "b"))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			orig, err := os.ReadFile(filepath.Join("testdata", "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), orig, 0o644); err != nil {
				t.Fatal(err)
			}
			for i := range tc.findings {
				tc.findings[i].Dir = dir
			}
			rep := &audit.Report{Findings: tc.findings, Dirs: []audit.DirResult{{Dir: dir}}}
			eng := tc.engine
			if eng.Name == "" {
				eng = tofu
			}
			res, err := Run(context.Background(), rep, Options{Mode: ModePatch, Engine: eng, Redact: tc.redact, Base: dir})
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, f := range rep.Findings {
				fmt.Fprintf(&got, "# %s %s\n", f.Class, f.Address)
				if f.Codify == nil {
					got.WriteString("(nothing)\n")
					continue
				}
				got.WriteString(f.Codify.Patch)
				for _, m := range f.Codify.Manual {
					v, _ := json.Marshal(m.Value)
					fmt.Fprintf(&got, "needs a person: %s = %s: %s\n", m.Path, v, m.Reason)
				}
			}
			golden := filepath.Join("testdata", "golden", tc.name+".txt")
			testenv.Golden(t, golden, []byte(got.String()))
			// Patch mode changes nothing.
			if now, _ := os.ReadFile(filepath.Join(dir, "main.tf")); !bytes.Equal(now, orig) {
				t.Error("patch mode changed main.tf")
			}
			checkApplies(t, dir, res.Patch)
		})
	}
}

// checkApplies runs git apply --check on the patch in dir.
func checkApplies(t *testing.T, dir string, patch []byte) {
	t.Helper()
	if len(patch) == 0 {
		return
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("git not found; patch not checked with git apply")
		return
	}
	cmd := exec.Command("git", "apply", "--check", "-")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(patch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("git apply --check: %v\n%s\n%s", err, out, patch)
	}
}
