package codify_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/codify"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/inventory"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// TestEndToEnd adopts a synthetic account on OpenTofu 1.12 and Terraform
// 1.8 (and Terraform 1.5.7, which has no removed block), makes console
// changes of every kind through the SDK, runs the audit with codify in
// write mode, and then runs an ordinary plan (with refresh): it must show
// no changes (the unmanaged stage only its import). The emulator sees no
// mutating call and the state file keeps its bytes until someone applies;
// a user's comment inside an edited block survives, and the description
// that a variable sets is listed as needing a person, with the live value
// that, put into the variable, makes the plan empty.
func TestEndToEnd(t *testing.T) {
	engines := e2e.MigrateEngines(t)
	for _, e := range e2e.Engines(t) {
		if e.Name == "terraform" {
			engines = append(engines, e) // 1.5.7
		}
	}
	for _, eng := range engines {
		t.Run(eng.Name, func(t *testing.T) { endToEnd(t, eng) })
	}
}

func endToEnd(t *testing.T, eng e2e.Engine) {
	ctx := context.Background()
	env := e2e.StartEmulator(t, emulator.Options{Seed: emulator.Synthetic(emulator.SyntheticSpec{APIs: 10, Stages: 3, Seed: 11})})
	o := env.DiscoverOptions(e2e.Region)
	o.CapturedAt = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	disc := func(ctx context.Context) (*inventory.Inventory, error) { return discover.Run(ctx, o) }
	inv, dir, r := env.Adopt(t, eng, o)
	ver, err := r.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	forgets := migrate.CheckEngine(migrate.EngineVersion{Name: r.Name, Version: ver}) == nil

	c := env.Client(t, e2e.Region)
	st := pickStages(t, inv, forgets)
	addr := addresses(t, dir)

	// The user's own edits: a comment inside the block whose throttle
	// drifts, and a description that a variable sets.
	file := filepath.Join(dir, generate.DefaultOutput)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	text = insertInBlock(t, text, addr[id(st["throttle"])], "  # throttles agreed with the API owners\n")
	text = replaceInBlock(t, text, addr[id(st["description"])], `(?m)^(\s*description\s*=\s*).*$`, "${1}var.stage_description")
	text += fmt.Sprintf("\nvariable \"stage_description\" {\n  type    = string\n  default = %q\n}\n", st["description"].stage.Description)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("apply imports: %v", err)
	}

	consoleChanges(t, c, st, forgets)

	statePath := filepath.Join(dir, "terraform.tfstate")
	stateBefore, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	mutating := env.Emulator.Stats().Mutating
	open := func(context.Context, string) (audit.Engine, string, error) { return r, r.Name, nil }
	rep, err := audit.Run(ctx, audit.Options{Dirs: []string{dir}, Open: open, Discover: disc})
	if err != nil {
		t.Fatal(err)
	}
	res, err := codify.Run(ctx, rep, codify.Options{
		Mode: codify.ModeWrite, Engine: migrate.EngineVersion{Name: r.Name, Version: ver}, Inventory: inv2(t, disc),
		State: func(context.Context, string) (generate.StateReader, func(), error) { return r, func() {}, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Written || len(res.Patch) == 0 {
		t.Fatalf("codify wrote nothing: %+v", res)
	}
	if got := env.Emulator.Stats().Mutating; got != mutating {
		t.Errorf("audit and codify made %d mutating calls", got-mutating)
	}
	if after, _ := os.ReadFile(statePath); string(after) != string(stateBefore) {
		t.Error("codify changed the state file")
	}
	edited, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(edited), "# throttles agreed with the API owners") || !strings.Contains(string(edited), "var.stage_description") {
		t.Errorf("the user's comment or variable did not survive:\n%s", edited)
	}

	// What was left to a person: exactly the variable-driven description
	// (and, on an engine without removed blocks, the deleted stage).
	var live any
	for _, f := range rep.Findings {
		if f.Class == audit.ClassUnimportable {
			continue // nothing to write: the provider cannot import it
		}
		if f.Codify == nil {
			t.Errorf("%s %s: not codified", f.Class, f.Address)
			continue
		}
		for _, m := range f.Codify.Manual {
			switch {
			case m.Path == "description" && f.ImportID == id(st["description"]):
				live = m.Value
			case f.Class == audit.ClassDeleted && !forgets:
			default:
				t.Errorf("%s %s: %s left to a person: %s", f.Class, f.Address, m.Path, m.Reason)
			}
		}
	}
	if live != "changed in the console" {
		t.Fatalf("the variable-driven description is not listed with its live value (got %v)", live)
	}
	// The person puts the listed value into the variable.
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), fmt.Appendf(nil, "stage_description = %q\n", live), 0o644); err != nil {
		t.Fatal(err)
	}
	if !forgets {
		removeByHand(t, file, addr[id(st["deleted"])])
	}

	plan, err := r.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Actions.NoOp() && rc.Change.Importing != nil {
			continue // the unmanaged stage, imported as generate writes it
		}
		// OpenTofu 1.12 and Terraform 1.8 drop the deleted stage on
		// refresh, so its removed block plans nothing. Newer Terraform
		// (1.11 found on PATH) plans a forget for it: applying that only
		// drops the stale object from state, and nothing is destroyed.
		if rc.Change.Actions.Forget() && rc.Address == addr[id(st["deleted"])] && eng.Name != "tofu" && eng.Name != "terraform1.8" {
			t.Logf("%s plans forget for the deleted %s", eng.Name, rc.Address)
			continue
		}
		if !rc.Change.Actions.NoOp() || rc.Change.Importing != nil {
			t.Errorf("after codify the plan changes %s: %v", rc.Address, rc.Change.Actions)
		}
	}
	var imports []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Importing != nil {
			imports = append(imports, rc.Change.Importing.ID)
		}
	}
	if want := []string{st["tag"].api.ID + "/console-made"}; !slices.Equal(imports, want) {
		t.Errorf("plan imports %v, want the unmanaged stage %v", imports, want)
	}
	if got := env.Emulator.Stats().Mutating; got != mutating {
		t.Errorf("the plan made %d mutating calls", got-mutating)
	}
	if after, _ := os.ReadFile(statePath); string(after) != string(stateBefore) {
		t.Error("the state changed before anyone applied")
	}
	if t.Failed() {
		t.Logf("patch:\n%s", res.Patch)
	}
}

// inv2 discovers again, after the console changes, as the audit's own
// discovery would.
func inv2(t *testing.T, disc audit.Discoverer) *inventory.Inventory {
	t.Helper()
	inv, err := disc(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

type target struct {
	api   inventory.API
	stage inventory.Stage
}

func id(x target) string { return inventory.StageImportID(x.api.ID, x.stage.Name) }

// pickStages chooses one HTTP stage per console change.
func pickStages(t *testing.T, inv *inventory.Inventory, forgets bool) map[string]target {
	t.Helper()
	var pool []target
	for _, a := range inv.APIs {
		if a.ProtocolType != inventory.ProtocolHTTP {
			continue
		}
		for _, s := range a.Stages {
			pool = append(pool, target{a, s})
		}
	}
	out := map[string]target{}
	pick := func(what string, ok func(target) bool) {
		for i, s := range pool {
			if ok(s) {
				out[what] = s
				pool = slices.Delete(pool, i, i+1)
				return
			}
		}
		t.Fatalf("the synthetic account has no HTTP stage for %s", what)
	}
	pick("throttle", func(x target) bool {
		d := x.stage.DefaultRouteSettings
		return d != nil && d.ThrottlingBurstLimit != nil && d.ThrottlingRateLimit != nil
	})
	pick("description", func(x target) bool { return x.stage.Description != "" })
	pick("route changed", func(x target) bool { return len(x.stage.RouteSettings) == 1 })
	pick("route removed", func(x target) bool { return len(x.stage.RouteSettings) == 1 })
	// An API with a route setting on some stage has routes to set.
	pick("route added", func(x target) bool {
		return len(x.stage.RouteSettings) == 0 && slices.ContainsFunc(x.api.Stages, func(s inventory.Stage) bool {
			return slices.ContainsFunc(s.RouteSettings, func(r inventory.RouteSetting) bool { return r.RouteKey == "POST /items" })
		})
	})
	pick("variables", func(x target) bool { return x.stage.StageVariables["lambdaAlias"] != "" })
	pick("tag", func(target) bool { return true })
	pick("access log", func(x target) bool { return x.stage.AccessLogSettings != nil })
	pick("deleted", func(target) bool { return true })
	return out
}

func consoleChanges(t *testing.T, c *apigatewayv2.Client, st map[string]target, forgets bool) {
	t.Helper()
	ctx := context.Background()
	update := func(x target, in apigatewayv2.UpdateStageInput) {
		t.Helper()
		in.ApiId, in.StageName = &x.api.ID, &x.stage.Name
		if _, err := c.UpdateStage(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	update(st["description"], apigatewayv2.UpdateStageInput{Description: aws.String("changed in the console")})
	d := st["throttle"].stage.DefaultRouteSettings
	update(st["throttle"], apigatewayv2.UpdateStageInput{DefaultRouteSettings: &types.RouteSettings{
		DetailedMetricsEnabled: d.DetailedMetricsEnabled, ThrottlingBurstLimit: aws.Int32(*d.ThrottlingBurstLimit + 17), ThrottlingRateLimit: d.ThrottlingRateLimit,
	}})
	rc := st["route changed"]
	key := rc.stage.RouteSettings[0].RouteKey
	update(rc, apigatewayv2.UpdateStageInput{RouteSettings: map[string]types.RouteSettings{key: {ThrottlingBurstLimit: aws.Int32(61), ThrottlingRateLimit: aws.Float64(12.5)}}})
	rr := st["route removed"]
	if _, err := c.DeleteRouteSettings(ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: &rr.api.ID, StageName: &rr.stage.Name, RouteKey: &rr.stage.RouteSettings[0].RouteKey}); err != nil {
		t.Fatal(err)
	}
	update(st["route added"], apigatewayv2.UpdateStageInput{RouteSettings: map[string]types.RouteSettings{"POST /items": {ThrottlingBurstLimit: aws.Int32(7), ThrottlingRateLimit: aws.Float64(3.5)}}})
	update(st["variables"], apigatewayv2.UpdateStageInput{StageVariables: map[string]string{"lambdaAlias": "", "featureFlag": "on"}})
	tg := st["tag"]
	arn := fmt.Sprintf("arn:aws:apigateway:%s::/apis/%s/stages/%s", e2e.Region, tg.api.ID, tg.stage.Name)
	if _, err := c.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"team": "console"}}); err != nil {
		t.Fatal(err)
	}
	al := st["access log"]
	if _, err := c.DeleteAccessLogSettings(ctx, &apigatewayv2.DeleteAccessLogSettingsInput{ApiId: &al.api.ID, StageName: &al.stage.Name}); err != nil {
		t.Fatal(err)
	}
	del := st["deleted"]
	if _, err := c.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: &del.api.ID, StageName: &del.stage.Name}); err != nil {
		t.Fatal(err)
	}
	host := st["tag"].api
	if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: &host.ID, StageName: aws.String("console-made"), Description: aws.String("made by hand")}); err != nil {
		t.Fatal(err)
	}
}

// addresses maps the import ids in dir's import blocks to their addresses.
func addresses(t *testing.T, dir string) map[string]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, generate.DefaultOutput))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)import \{\s*to\s*=\s*(\S+)\s*id\s*=\s*"([^"]+)"`)
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		out[m[2]] = m[1]
	}
	return out
}

// blockSpan finds the resource block of address in text.
func blockSpan(t *testing.T, text, address string) (int, int) {
	t.Helper()
	typ, name, _ := strings.Cut(address, ".")
	head := fmt.Sprintf("resource %q %q {\n", typ, name)
	start := strings.Index(text, head)
	if start < 0 {
		t.Fatalf("no block for %s", address)
	}
	end := start + strings.Index(text[start:], "\n}\n") + 3
	return start, end
}

func insertInBlock(t *testing.T, text, address, line string) string {
	start, _ := blockSpan(t, text, address)
	at := start + strings.Index(text[start:], "\n") + 1
	return text[:at] + line + text[at:]
}

func replaceInBlock(t *testing.T, text, address, pattern, repl string) string {
	start, end := blockSpan(t, text, address)
	block := regexp.MustCompile(pattern).ReplaceAllString(text[start:end], repl)
	return text[:start] + block + text[end:]
}

// removeByHand is the person's step where the engine has no removed
// block: the block and its import go.
func removeByHand(t *testing.T, file, address string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start, end := blockSpan(t, text, address)
	text = text[:start] + text[end:]
	re := regexp.MustCompile(`(?s)import \{\s*to\s*=\s*` + regexp.QuoteMeta(address) + `\s*id\s*=\s*"[^"]+"\s*\}\n`)
	text = re.ReplaceAllString(text, "")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
