package audit

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// headlineOf is the verdict line each human format shows.
func headlineOf(t *testing.T, reports map[string]string, format string) string {
	t.Helper()
	text := reports[format]
	switch format {
	case "text":
		return strings.Split(text, "\n")[1]
	case "markdown":
		return strings.SplitN(strings.SplitN(text, "\n", 2)[0], "apigw2tf audit: ", 2)[1]
	case "html":
		i := strings.Index(text, `<p class="verdict`)
		return text[i : i+strings.Index(text[i:], "</p>")]
	}
	return ""
}

// TestNothingAuditedIsAFailure: when every directory fails, the report
// says so first in every human format, and the exit code is 1, not the
// partial 3 with a "no drift" verdict.
func TestNothingAuditedIsAFailure(t *testing.T) {
	bad := &fakeEngine{initErr: errors.New("tofu init in a temporary copy of infra: backend unreachable")}
	rep := runScenario(t, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": bad}),
		Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	if got := rep.ExitCode(FailOnAny, true); got != ExitError {
		t.Errorf("exit %d, want %d", got, ExitError)
	}
	reports := renderAll(t, rep)
	for _, f := range []string{"text", "markdown", "html"} {
		h := headlineOf(t, reports, f)
		if !strings.Contains(h, "FAILED, nothing audited: 1 of 1 directories failed") || strings.Contains(h, "no drift") {
			t.Errorf("%s headline: %q", f, h)
		}
	}
	if !strings.Contains(reports["markdown"], ":x:") {
		t.Errorf("markdown shows a failed audit without the failure mark:\n%s", reports["markdown"])
	}
}

// TestFailedRegionCoverageIsUnknown: a region whose discovery failed has
// unknown coverage, and so has the total, in every format; the JSON says
// null (no percentage), the headline names the region first.
func TestFailedRegionCoverageIsUnknown(t *testing.T) {
	inv := scenarioInventory()
	inv.Regions = append(inv.Regions, "eu-west-1")
	inv.Errors = []inventory.Error{{Region: "eu-west-1", Operation: "GetApis", Message: "AccessDeniedException: denied"}}
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil }})
	if !rep.Partial || rep.ExitCode(FailOnAny, false) != ExitPartial {
		t.Errorf("partial=%v exit=%d", rep.Partial, rep.ExitCode(FailOnAny, false))
	}
	var eu *CoverageRow
	for i := range rep.Coverage.Regions {
		if rep.Coverage.Regions[i].Region == "eu-west-1" {
			eu = &rep.Coverage.Regions[i]
		}
	}
	if eu == nil || eu.Percent != nil || rep.Coverage.Total.Percent != nil {
		t.Fatalf("coverage of a failed region must be unknown: %+v", rep.Coverage)
	}
	reports := renderAll(t, rep)
	var doc struct {
		Coverage struct {
			Total   map[string]any   `json:"total"`
			Regions []map[string]any `json:"regions"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(reports["json"]), &doc); err != nil {
		t.Fatal(err)
	}
	if p, ok := doc.Coverage.Total["percent"]; !ok || p != nil {
		t.Errorf("json total percent = %v, want null", p)
	}
	for _, f := range []string{"text", "markdown", "html"} {
		if strings.Contains(reports[f], "100.0%") {
			t.Errorf("%s report claims 100%% somewhere:\n%s", f, reports[f])
		}
		if !strings.Contains(reports[f], "unknown") {
			t.Errorf("%s report does not say the coverage is unknown", f)
		}
		if h := headlineOf(t, reports, f); !strings.Contains(h, "PARTIAL: discovery failed in eu-west-1; in the rest drift found") {
			t.Errorf("%s headline: %q", f, h)
		}
	}
}

// TestFailedRegionMakesPartial is a second, independent check that a
// failed region makes the audit partial: in live mode, with the failure in
// the only region, and without any resource there being reported deleted.
func TestFailedRegionMakesPartial(t *testing.T) {
	inv := scenarioInventory()
	inv.APIs = nil
	inv.Errors = []inventory.Error{{Region: "us-east-1", Operation: "GetApis", Message: "RequestTimeout"}}
	st := driftScenario().PriorState
	eng := &fakeEngine{state: st}
	rep := runScenario(t, Options{Mode: ModeLive, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}),
		Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil }})
	if !rep.Partial || rep.ExitCode(FailOnAny, false) != ExitPartial {
		t.Errorf("partial=%v exit=%d, want partial and %d", rep.Partial, rep.ExitCode(FailOnAny, false), ExitPartial)
	}
	if rep.Summary.Deleted != 0 {
		t.Errorf("%d resources reported deleted where the discovery failed", rep.Summary.Deleted)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Region != "us-east-1" {
		t.Errorf("region errors = %+v", rep.Errors)
	}
}

// TestEmptyDirectoryIsAWarning: a directory whose state holds no API or
// stage is flagged in the report and fails the audit (exit 1) unless empty
// directories are allowed.
func TestEmptyDirectoryIsAWarning(t *testing.T) {
	empty := &fakeEngine{refresh: &tfjson.Plan{}, state: &tfjson.State{}}
	ok := &fakeEngine{refresh: driftScenario()}
	rep := runScenario(t, Options{Dirs: []string{"infra", "typo"}, Open: openerFor(map[string]*fakeEngine{"infra": ok, "typo": empty})})
	if got := rep.EmptyDirs(); len(got) != 1 || got[0] != "typo" {
		t.Errorf("empty dirs = %v", got)
	}
	if got := rep.ExitCode(FailOnAny, false); got != ExitError {
		t.Errorf("exit %d, want %d", got, ExitError)
	}
	if got := rep.ExitCode(FailOnAny, true); got != ExitDrift {
		t.Errorf("with allow-empty: exit %d, want %d", got, ExitDrift)
	}
	reports := renderAll(t, rep)
	for _, f := range []string{"text", "markdown", "html"} {
		if h := headlineOf(t, reports, f); !strings.HasPrefix(strings.TrimPrefix(h, `<p class="verdict failed">`), "WARNING: 1 of 2 directories have no API or stage") {
			t.Errorf("%s headline: %q", f, h)
		}
	}
	if !strings.Contains(reports["json"], `"empty": true`) || !strings.Contains(reports["junit"], "nothing to audit") {
		t.Errorf("json or junit does not flag the empty directory")
	}

	alone := runScenario(t, Options{Dirs: []string{"typo"}, Open: openerFor(map[string]*fakeEngine{"typo": {refresh: &tfjson.Plan{}, state: &tfjson.State{}}})})
	if h := alone.headline(); strings.HasPrefix(h, "no drift") {
		t.Errorf("an empty directory reads as health: %q", h)
	}
}
