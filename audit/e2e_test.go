package audit_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
)

var record = flag.Bool("record", false, "save the engines' show -json output and the discovery under testdata/recorded/<engine> for the golden tests")

// recordingEngine passes calls to the real runner and keeps what the
// engine returned, for -record.
type recordingEngine struct {
	audit.Engine
	mu               sync.Mutex
	refresh, pending *tfjson.Plan
}

func (r *recordingEngine) Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	p, err := r.Engine.Plan(ctx, opts...)
	r.keep(p, opts)
	return p, err
}

func (r *recordingEngine) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	p, err := r.Engine.PlanIfChanged(ctx, opts...)
	r.keep(p, opts)
	return p, err
}

func (r *recordingEngine) keep(p *tfjson.Plan, opts []tfexec.PlanOption) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if slices.ContainsFunc(opts, func(o tfexec.PlanOption) bool { return fmt.Sprintf("%+v", o) == "&{refreshOnly:true}" }) {
		r.refresh = p
	} else {
		r.pending = p
	}
}

// edit is one console change and the finding it must cause.
type edit struct {
	class    audit.Class
	typ      string
	importID string
	paths    []string
}

// TestEndToEnd adopts a synthetic account on each engine (discover,
// generate, apply the imports), changes the live side through the API as a
// person in the console would, and audits: exactly those changes are
// reported, in plan and in live mode, nothing is written (no mutating call
// reaches the emulator, the state file keeps its bytes), and the exit code
// is 2. After the drift is undone, the audit exits 0.
func TestEndToEnd(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		ctx := context.Background()
		a := adopt(t, eng, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 8, Stages: 2, Seed: 11}), FaultSeed: 1})
		env, disc, inv, dir, r := a.env, a.disc, a.inv, a.dir, a.runner
		before, err := r.State(ctx)
		if err != nil {
			t.Fatal(err)
		}

		edits := driftConsole(t, env.Client(t, e2e.Region), inv)

		rec := &recordingEngine{Engine: r}
		open := func(context.Context, string) (audit.Engine, string, error) { return rec, r.Name, nil }
		statePath := filepath.Join(dir, "terraform.tfstate")
		stateBefore, err := os.ReadFile(statePath)
		if err != nil {
			t.Fatal(err)
		}
		mutating := env.Emulator.Stats().Mutating

		rep, err := audit.Run(ctx, audit.Options{Dirs: []string{dir}, IncludePending: true, Open: open, Discover: disc})
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, "plan mode", rep, edits)
		if code := rep.ExitCode(audit.FailOnAny, false); code != audit.ExitDrift {
			t.Errorf("plan mode: exit %d, want %d", code, audit.ExitDrift)
		}
		if rep.Summary.Pending != 0 {
			t.Errorf("configuration was not touched, yet %d pending findings", rep.Summary.Pending)
		}

		live, err := audit.Run(ctx, audit.Options{Dirs: []string{dir}, Mode: audit.ModeLive, Open: open, Discover: disc})
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, "live mode", live, edits)
		if a, b := findingsJSON(t, rep), findingsJSON(t, live); a != b {
			t.Errorf("live mode disagrees with plan mode:\nplan %s\nlive %s", a, b)
		}

		if got := env.Emulator.Stats().Mutating; got != mutating {
			t.Errorf("the audits made %d mutating calls", got-mutating)
		}
		if after, err := os.ReadFile(statePath); err != nil || string(after) != string(stateBefore) {
			t.Errorf("the audits changed the state file (%v)", err)
		}
		if *record {
			saveRecording(t, eng.Name, rec, before, disc)
		}

		// Undo: apply restores the configuration (the deleted stage too);
		// the resources made in the console go away.
		if err := r.TF.Apply(ctx); err != nil {
			t.Fatalf("apply to revert: %v", err)
		}
		undoCreates(t, env.Client(t, e2e.Region), edits)
		wantClean(t, dir, open, disc)
	})
}

// wantClean audits dir after the drift was undone: it must exit 0.
func wantClean(t *testing.T, dir string, open audit.Opener, disc audit.Discoverer) {
	t.Helper()
	clean, err := audit.Run(context.Background(), audit.Options{Dirs: []string{dir}, IncludePending: true, Open: open, Discover: disc})
	if err != nil {
		t.Fatal(err)
	}
	if code := clean.ExitCode(audit.FailOnAny, false); code != audit.ExitOK {
		var b strings.Builder
		audit.Render(&b, clean, "text")
		t.Errorf("after the revert: exit %d, want 0\n%s", code, b.String())
	}
}

// driftConsole makes the console changes on stages and APIs the adoption
// imported and returns the findings they must cause.
func driftConsole(t *testing.T, c *apigatewayv2.Client, inv *inventory.Inventory) []edit {
	t.Helper()
	ctx := context.Background()
	type target struct {
		api   inventory.API
		stage inventory.Stage
	}
	var stages []target
	for _, a := range inv.APIs {
		if a.ProtocolType != inventory.ProtocolHTTP {
			continue
		}
		for _, s := range a.Stages {
			stages = append(stages, target{a, s})
		}
	}
	pick := func(what string, ok func(target) bool) target {
		for i, s := range stages {
			if ok(s) {
				stages = slices.Delete(stages, i, i+1)
				return s
			}
		}
		t.Fatalf("the synthetic account has no HTTP stage for %s", what)
		return target{}
	}
	id := func(x target) string { return inventory.StageImportID(x.api.ID, x.stage.Name) }
	var edits []edit

	desc := pick("a description", func(target) bool { return true })
	if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &desc.api.ID, StageName: &desc.stage.Name, Description: aws.String("changed in the console")}); err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassChanged, audit.TypeStage, id(desc), []string{"description"}})

	thr := pick("a throttle", func(x target) bool {
		d := x.stage.DefaultRouteSettings
		return d != nil && d.ThrottlingBurstLimit != nil && d.ThrottlingRateLimit != nil
	})
	d := thr.stage.DefaultRouteSettings
	if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &thr.api.ID, StageName: &thr.stage.Name, DefaultRouteSettings: &types.RouteSettings{
		DetailedMetricsEnabled: d.DetailedMetricsEnabled, ThrottlingBurstLimit: aws.Int32(*d.ThrottlingBurstLimit + 17), ThrottlingRateLimit: d.ThrottlingRateLimit,
	}}); err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassChanged, audit.TypeStage, id(thr), []string{"default_route_settings[0].throttling_burst_limit"}})

	tag := pick("a tag", func(target) bool { return true })
	arn := fmt.Sprintf("arn:aws:apigateway:%s::/apis/%s/stages/%s", e2e.Region, tag.api.ID, tag.stage.Name)
	if _, err := c.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"team": "console"}}); err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassChanged, audit.TypeStage, id(tag), []string{`tags["team"]`, `tags_all["team"]`}})

	rs := pick("route settings", func(x target) bool {
		return !slices.ContainsFunc(x.stage.RouteSettings, func(r inventory.RouteSetting) bool { return r.RouteKey == "POST /items" })
	})
	if _, err := c.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: &rs.api.ID, StageName: &rs.stage.Name, RouteSettings: map[string]types.RouteSettings{
		"POST /items": {ThrottlingBurstLimit: aws.Int32(7), ThrottlingRateLimit: aws.Float64(3.5)},
	}}); err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassChanged, audit.TypeStage, id(rs), []string{`route_settings["POST /items"]`}})

	del := pick("a deletion", func(target) bool { return true })
	if _, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: &del.api.ID, StageName: &del.stage.Name}); err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassDeleted, audit.TypeStage, id(del), nil})

	host := inv.APIs[0]
	for _, name := range []string{"console-a", "console-b"} {
		if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: &host.ID, StageName: aws.String(name), Description: aws.String("made by hand")}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{audit.ClassUnmanaged, audit.TypeStage, inventory.StageImportID(host.ID, name), nil})
	}
	api, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("shadow-api"), ProtocolType: types.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	edits = append(edits, edit{audit.ClassUnmanaged, audit.TypeAPI, *api.ApiId, nil})
	return append(edits, unimportable(inv)...)
}

// unimportable are the findings the inventory's skipped resources cause.
func unimportable(inv *inventory.Inventory) []edit {
	var out []edit
	for _, s := range inv.Skipped {
		typ, id := audit.TypeAPI, s.APIID
		switch s.Kind {
		case inventory.KindRoute:
			typ, id = audit.TypeRoute, inventory.ChildImportID(s.APIID, s.ID)
		case inventory.KindIntegration:
			typ, id = audit.TypeIntegration, inventory.ChildImportID(s.APIID, s.ID)
		case "":
			if s.Stage != "" {
				typ, id = audit.TypeStage, inventory.StageImportID(s.APIID, s.Stage)
			}
		}
		out = append(out, edit{audit.ClassUnimportable, typ, id, nil})
	}
	return out
}

func undoCreates(t *testing.T, c *apigatewayv2.Client, edits []edit) {
	t.Helper()
	ctx := context.Background()
	for _, e := range edits {
		if e.class != audit.ClassUnmanaged {
			continue
		}
		var err error
		apiID, child, _ := strings.Cut(e.importID, "/")
		switch e.typ {
		case audit.TypeAPI:
			_, err = c.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: &e.importID})
		case audit.TypeRoute:
			_, err = c.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: &apiID, RouteId: &child})
		default:
			_, err = c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: &apiID, StageName: &child})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func checkFindings(t *testing.T, label string, rep *audit.Report, edits []edit) {
	t.Helper()
	var got, want []string
	for _, f := range rep.Findings {
		var paths []string
		for _, c := range f.Changes {
			paths = append(paths, c.Path)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", f.Class, f.Type, f.ImportID, strings.Join(paths, ",")))
	}
	for _, e := range edits {
		want = append(want, fmt.Sprintf("%s %s %s %s", e.class, e.typ, e.importID, strings.Join(e.paths, ",")))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s findings:\n  %s\nwant:\n  %s", label, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if rep.Partial {
		t.Errorf("%s: report is partial: %+v %+v", label, rep.Dirs, rep.Errors)
	}
}

func findingsJSON(t *testing.T, r *audit.Report) string {
	t.Helper()
	var fs []audit.Finding
	for _, f := range r.Findings {
		if f.Class != audit.ClassPending {
			fs = append(fs, f)
		}
	}
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// saveRecording writes what the engine returned during the audit, the state
// before it and a fresh discovery, for the golden tests.
func saveRecording(t *testing.T, engine string, rec *recordingEngine, st *tfjson.State, disc audit.Discoverer) {
	t.Helper()
	dir := filepath.Join("testdata", "recorded", engine)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"refresh.json": rec.refresh, "pending.json": rec.pending, "state.json": st} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := disc(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	inv.Endpoint = ""
	if err := inv.WriteFile(filepath.Join(dir, "inventory.json")); err != nil {
		t.Fatal(err)
	}
}

// adopted is a directory that generate wrote and an engine applied.
type adopted struct {
	dir    string
	env    *e2e.Env
	disc   audit.Discoverer
	inv    *inventory.Inventory
	runner *engine.Runner
}

// smallAccount is enough of an account for the tests that check how an
// audit runs rather than what it finds.
var smallAccount = emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 2, Stages: 1, Seed: 3})}

// adopt serves opts, discovers the account, generates its configuration
// into a new directory and applies the imports with eng.
func adopt(t *testing.T, eng e2e.Engine, opts emulator.Options) adopted {
	t.Helper()
	ctx := context.Background()
	env := e2e.StartEmulator(t, opts)
	o := env.DiscoverOptions(e2e.Region)
	o.CapturedAt = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	disc := func(ctx context.Context) (*inventory.Inventory, error) { return discover.Run(ctx, o) }
	inv, dir, r := env.Adopt(t, eng, o)
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("apply imports: %v", err)
	}
	return adopted{dir: dir, env: env, disc: disc, inv: inv, runner: r}
}
