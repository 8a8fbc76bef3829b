package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/testenv"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// goldenCases are the reports the golden files are rendered from: the
// recordings of real engine runs under testdata/recorded (made by the
// end-to-end test with -record), audited as a plan and as live mode.
func goldenCases(t *testing.T) map[string]*Report {
	t.Helper()
	dirs, err := filepath.Glob("testdata/recorded/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no recordings under testdata/recorded (%v); make them with `go test ./audit -run TestEndToEnd -record`", err)
	}
	cases := map[string]*Report{}
	for _, dir := range dirs {
		rec := loadRecording(t, dir)
		name := filepath.Base(dir)
		for _, mode := range []Mode{ModePlan, ModeLive} {
			eng := &fakeEngine{refresh: rec.refresh, pending: rec.pending, state: rec.state}
			rep, err := Run(context.Background(), Options{
				Dirs: []string{"infra"}, Mode: mode, IncludePending: mode == ModePlan,
				Open:     openerFor(map[string]*fakeEngine{"infra": eng}),
				Discover: func(context.Context) (*inventory.Inventory, error) { return rec.inv, nil },
				Now:      fixedNow,
			})
			if err != nil {
				t.Fatal(err)
			}
			cases[name+"-"+string(mode)] = rep
		}
	}
	return cases
}

// recording is what the end-to-end test saved from one engine: show -json
// of the refresh-only plan, of the -refresh=false plan and of the state
// before the audit, and the discovery.
type recording struct {
	refresh, pending *tfjson.Plan
	state            *tfjson.State
	inv              *inventory.Inventory
}

func loadRecording(t *testing.T, dir string) recording {
	t.Helper()
	var rec recording
	for name, v := range map[string]any{"refresh.json": &rec.refresh, "pending.json": &rec.pending, "state.json": &rec.state} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s/%s: %v", dir, name, err)
		}
	}
	inv, err := inventory.ReadFile(filepath.Join(dir, "inventory.json"))
	if err != nil {
		t.Fatal(err)
	}
	rec.inv = inv
	return rec
}

func TestGoldenReports(t *testing.T) {
	for name, rep := range goldenCases(t) {
		for _, format := range Formats {
			t.Run(name+"/"+format, func(t *testing.T) {
				var first, second bytes.Buffer
				if err := Render(&first, rep, format); err != nil {
					t.Fatal(err)
				}
				if err := Render(&second, rep, format); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first.Bytes(), second.Bytes()) {
					t.Fatal("two renderings of one report differ")
				}
				path := filepath.Join("testdata", "golden", name, FileName(format))
				testenv.Golden(t, path, first.Bytes())
			})
		}
	}
}

func TestGoldenPlanAndLiveAgree(t *testing.T) {
	cases := goldenCases(t)
	for name, plan := range cases {
		if !strings.HasSuffix(name, "-"+string(ModePlan)) {
			continue
		}
		live := cases[strings.TrimSuffix(name, string(ModePlan))+string(ModeLive)]
		var pf []Finding
		for _, f := range plan.Findings {
			if f.Class != ClassPending {
				pf = append(pf, f)
			}
		}
		if a, b := mustJSON(t, pf), mustJSON(t, live.Findings); a != b {
			t.Errorf("%s: live mode disagrees with plan mode:\nplan %s\nlive %s", name, a, b)
		}
	}
}

// bigReport has n changed findings with several attribute changes each.
func bigReport(n int) *Report {
	rep := &Report{Schema: Schema, GeneratedAt: fixedNow(), Mode: ModePlan, Dirs: []DirResult{{Dir: "infra", Engine: "tofu"}}}
	for i := range n {
		id := fmt.Sprintf("api%04d/stage", i)
		rep.Dirs[0].Resources = append(rep.Dirs[0].Resources, Resource{Address: "aws_apigatewayv2_stage.s" + fmt.Sprint(i), Type: TypeStage, Region: "us-east-1", ImportID: id})
		rep.Findings = append(rep.Findings, Finding{
			Class: ClassChanged, Status: StatusNew, Dir: "infra", Address: fmt.Sprintf("aws_apigatewayv2_stage.s%d", i), Type: TypeStage, Region: "us-east-1", ImportID: id,
			Changes: []Change{
				{Path: "description", Action: ActionUpdate, Before: "a | b", After: "```c```"},
				{Path: `tags["team"]`, Action: ActionAdd, After: strings.Repeat("x", 40)},
			},
			Hint: hintChanged,
		})
	}
	rep.Summary.Changed, rep.Summary.Managed, rep.Summary.New = n, n, n
	return rep
}

func TestMarkdownStaysUnderTheCommentLimit(t *testing.T) {
	small := renderMarkdown(bigReport(3), MarkdownLimit)
	if !strings.Contains(small, "```diff") || strings.Contains(small, "left out") {
		t.Errorf("a small report should carry its diffs in full:\n%s", small)
	}
	for _, n := range []int{300, 1000, 5000} {
		md := renderMarkdown(bigReport(n), MarkdownLimit)
		if len(md) > MarkdownLimit {
			t.Errorf("%d findings: %d characters, limit %d", n, len(md), MarkdownLimit)
		}
		if !strings.Contains(md, "full report") {
			t.Errorf("%d findings: no note that the report was summarised", n)
		}
		if got := strings.Count(md, "<details>"); got != strings.Count(md, "</details>") {
			t.Errorf("%d findings: unbalanced <details> (%d open)", n, got)
		}
	}
	// The summary must use the space: rows shown plus the note's count add
	// up to all findings.
	md := renderMarkdown(bigReport(5000), MarkdownLimit)
	rows := strings.Count(md, "| `aws_apigatewayv2_stage.s")
	var more int
	fmt.Sscanf(md[strings.Index(md, "_The report is too long for a comment: ")+len("_The report is too long for a comment: "):], "%d", &more)
	if rows+more != 5000 || rows < 100 {
		t.Errorf("summary shows %d rows and %d more, want 5000 in all", rows, more)
	}
	// A fence inside a value must not close the diff block early.
	if strings.Contains(renderMarkdown(bigReport(1), MarkdownLimit), "\"```c```\"") {
		t.Error("a value's ``` closes the diff fence")
	}
}

func TestJUnitCountsResources(t *testing.T) {
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	var b bytes.Buffer
	if err := Render(&b, rep, "junit"); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit report is not XML: %v", err)
	}
	// 3 state resources (api, prod, deleted dev) + 2 unmanaged + 1 unimportable.
	if doc.Tests != 6 || doc.Failures != 4 || doc.Skipped != 1 || doc.Errors != 0 {
		t.Errorf("tests=%d failures=%d skipped=%d errors=%d", doc.Tests, doc.Failures, doc.Skipped, doc.Errors)
	}
	if !strings.Contains(b.String(), `~ description: &#34;production&#34; -&gt; &#34;production (edited)&#34;`) {
		t.Errorf("failure body lacks the attribute diff:\n%s", b.String())
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	rep := runScenario(t, Options{Discover: func(context.Context) (*inventory.Inventory, error) { return scenarioInventory(), nil }})
	var b bytes.Buffer
	if err := Render(&b, rep, "html"); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if m := regexp.MustCompile(`(?i)(src|href)\s*=|<link|@import|url\(`).FindString(html); m != "" {
		t.Errorf("html report loads something from outside: %q", m)
	}
	for _, want := range []string{`<svg id="coverage-chart"`, `<table id="findings-table">`, `<tbody class="finding" data-class="changed" data-status="new">`, `route_settings[&#34;GET /orders&#34;]`} {
		if !strings.Contains(html, want) {
			t.Errorf("html report lacks %s", want)
		}
	}
}

func TestWriteReports(t *testing.T) {
	rep := runScenario(t, Options{})
	dir := filepath.Join(t.TempDir(), "reports")
	paths, err := WriteReports(rep, Formats, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(Formats) {
		t.Fatalf("wrote %v", paths)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(Formats) {
		t.Errorf("report directory holds %d files, want %d (no temporaries)", len(entries), len(Formats))
	}
	got, err := ReadReport(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary != rep.Summary {
		t.Errorf("json summary %+v, want %+v", got.Summary, rep.Summary)
	}
}

// TestOutDirParentMustExist: the report directory is created, but not a
// tree of them, as docs/config.md says and config validate checks.
func TestOutDirParentMustExist(t *testing.T) {
	rep := runScenario(t, Options{})
	missing := filepath.Join(t.TempDir(), "no-such-parent", "reports")
	if _, err := WriteReports(rep, []string{"json"}, missing); err == nil || !strings.Contains(err.Error(), "create the parent first") {
		t.Errorf("missing parent: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("the missing parent was created: %v", err)
	}
	file := filepath.Join(t.TempDir(), "report")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckOutDir(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("a file as --out-dir: %v", err)
	}
	if err := CheckOutDir(filepath.Join(t.TempDir(), "new")); err != nil {
		t.Errorf("a new directory in an existing one: %v", err)
	}
}

func TestParseFormats(t *testing.T) {
	got, err := ParseFormats("text, json,text,html")
	if err != nil || strings.Join(got, ",") != "text,json,html" {
		t.Errorf("ParseFormats = %v, %v", got, err)
	}
	if _, err := ParseFormats("text,pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("pdf: %v", err)
	}
}
