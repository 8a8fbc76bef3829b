package migrate_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/emulator"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/emutest"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/migrate"
)

// hostile is an API name that is hard to carry: quotes, a template
// sequence, non-ASCII and characters that fold away in a resource name.
const hostile = `billing "v2" ${x} ünï/€`

// account creates three APIs, two of team payments, one of team identity,
// each with stages, in the emulator.
func account(t *testing.T, env *e2e.Env) {
	t.Helper()
	ctx := context.Background()
	c := env.Client(t, e2e.Region)
	for _, a := range []struct {
		name, team string
		stages     []string
	}{{"orders", "payments", []string{"prod", "dev"}}, {hostile, "payments", []string{"v1"}}, {"users", "identity", []string{"prod"}}} {
		out, err := c.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(a.name), ProtocolType: "HTTP", Tags: map[string]string{"team": a.team}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range a.stages {
			if _, err := c.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: out.ApiId, StageName: aws.String(s)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// s3Server serves an in-memory S3 on a loopback port for the engines' s3
// backend.
type s3Server struct {
	url     string
	backend *s3mem.Backend
}

func startS3(t *testing.T) *s3Server {
	t.Helper()
	b := s3mem.New()
	if err := b.CreateBucket("tfstate"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(gofakes3.New(b).Server())
	t.Cleanup(ts.Close)
	return &s3Server{url: ts.URL, backend: b}
}

// objects maps every state object's key to its ETag and a hash of its bytes.
func (s *s3Server) objects(t *testing.T) map[string]string {
	t.Helper()
	list, err := s.backend.ListBucket("tfstate", nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range list.Contents {
		obj, err := s.backend.GetObject("tfstate", c.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(obj.Contents)
		obj.Contents.Close()
		sum := md5.Sum(buf.Bytes())
		out[c.Key] = c.ETag + " " + hex.EncodeToString(sum[:])
	}
	return out
}

func (s *s3Server) backendHCL(key string) string {
	return fmt.Sprintf(`terraform {
  backend "s3" {
    bucket                      = "tfstate"
    key                         = %q
    region                      = "us-east-1"
    endpoints                   = { s3 = %q }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_region_validation      = true
    skip_metadata_api_check     = true
    access_key                  = "test"
    secret_key                  = "test"
  }
}
`, key, s.url)
}

type world struct {
	t    *testing.T
	eng  e2e.Engine
	env  *e2e.Env
	s3   *s3Server
	root string
}

func (w *world) dir(name string) string { return filepath.Join(w.root, name) }

func (w *world) runner(dir string) *engine.Runner {
	r := w.env.Runner(w.t, w.eng, dir)
	return r
}

func (w *world) open(ctx context.Context, dir string) (migrate.Engine, error) {
	return w.runner(dir), nil
}

// newDir makes a root module with the provider and backend configuration a
// team writes before moving resources into it.
func (w *world) newDir(name string) {
	w.t.Helper()
	d := w.dir(name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		w.t.Fatal(err)
	}
	prov, err := os.ReadFile(filepath.Join(w.dir("all"), "providers.tf"))
	if err != nil {
		w.t.Fatal(err)
	}
	write(w.t, filepath.Join(d, "providers.tf"), string(prov))
	write(w.t, filepath.Join(d, "backend.tf"), w.s3.backendHCL(name+"/terraform.tfstate"))
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ids is every resource id across the states of dirs, sorted.
func (w *world) ids(dirs ...string) []string {
	w.t.Helper()
	var out []string
	for _, d := range dirs {
		r := w.runner(w.dir(d))
		if err := r.Init(context.Background()); err != nil {
			w.t.Fatal(err)
		}
		st, err := r.State(context.Background())
		if err != nil {
			w.t.Fatal(err)
		}
		if st.Values == nil {
			continue
		}
		var walk func(m *tfjson.StateModule)
		walk = func(m *tfjson.StateModule) {
			for _, r := range m.Resources {
				out = append(out, r.Type+" "+fmt.Sprint(r.AttributeValues["id"])+" "+fmt.Sprint(r.AttributeValues["api_id"]))
			}
			for _, c := range m.ChildModules {
				walk(c)
			}
		}
		walk(st.Values.RootModule)
	}
	slices.Sort(out)
	return out
}

// migrateAndApply runs one scenario: write, verify, apply destinations
// first, then a plain plan of every side must be empty, no mutating call
// may reach the emulator and the set of ids must stay the same.
func (w *world) migrateAndApply(name string, dests, sources []string, moves ...migrate.Move) {
	t := w.t
	t.Helper()
	ctx := context.Background()
	for i := range moves {
		moves[i].From, moves[i].To = w.dir(moves[i].From), w.dir(moves[i].To)
	}
	var all []string
	for _, d := range append(slices.Clone(dests), sources...) {
		if !slices.Contains(all, d) {
			all = append(all, d)
		}
	}
	idsBefore := w.ids(all...)
	mutBefore := w.env.Emulator.Stats().Mutating
	ev := engineVersion(t, w.runner(w.dir(sources[0])))
	res, err := migrate.Run(ctx, migrate.Options{Moves: moves, Engine: ev, Open: w.open, Write: true})
	if err != nil {
		t.Fatalf("%s: migrate --write: %v", name, err)
	}
	var out strings.Builder
	res.WriteText(&out)
	t.Logf("%s:\n%s", name, out.String())
	if len(res.Steps) == 0 {
		t.Fatalf("%s: nothing moved", name)
	}
	objs := w.s3.objects(t)
	rep, err := migrate.Verify(ctx, moves, w.open)
	if err != nil {
		t.Fatalf("%s: migrate verify: %v", name, err)
	}
	var vb strings.Builder
	rep.WriteText(&vb)
	if !rep.Pass() {
		t.Fatalf("%s: migrate verify fails:\n%s", name, vb.String())
	}
	t.Logf("%s: verify: %s", name, vb.String())
	w.auditPending(name, all)
	if after := w.s3.objects(t); !maps.Equal(objs, after) {
		t.Fatalf("%s: verify or audit changed state objects:\n before %v\n after  %v", name, objs, after)
	}
	for _, d := range all {
		r := w.runner(w.dir(d))
		if err := r.Init(ctx); err != nil {
			t.Fatal(err)
		}
		if err := r.TF.Apply(ctx); err != nil {
			t.Fatalf("%s: apply in %s: %v", name, d, err)
		}
	}
	for _, d := range all {
		changed, err := w.runner(w.dir(d)).TF.Plan(ctx)
		if err != nil || changed {
			t.Fatalf("%s: plain plan in %s after apply: changed %v, %v", name, d, changed, err)
		}
	}
	if got := w.env.Emulator.Stats().Mutating; got != mutBefore {
		t.Errorf("%s: the emulator saw %d mutating calls", name, got-mutBefore)
	}
	if got := w.ids(all...); !slices.Equal(got, idsBefore) {
		t.Errorf("%s: ids across states changed:\n before %v\n after  %v", name, idsBefore, got)
	}
	again, err := migrate.Run(ctx, migrate.Options{Moves: moves, Engine: ev, Open: w.open})
	if err != nil || len(again.Steps) != 0 || len(again.Files) != 0 {
		t.Errorf("%s: migrate after apply should have nothing left to do: %+v, %v", name, again, err)
	}
	if _, err := migrate.Prune(ctx, migrate.Options{Moves: moves, Engine: ev, Open: w.open, Write: true}); err != nil {
		t.Fatalf("%s: prune: %v", name, err)
	}
	for _, d := range all {
		if b, err := os.ReadFile(filepath.Join(w.dir(d), migrate.OwnFile)); err == nil && regexp.MustCompile(`(?m)^(moved|removed|import) `).Match(b) {
			t.Errorf("%s: prune left spent blocks in %s:\n%s", name, d, b)
		}
		changed, err := w.runner(w.dir(d)).TF.Plan(ctx)
		if err != nil || changed {
			t.Fatalf("%s: plan in %s after prune: changed %v, %v", name, d, changed, err)
		}
	}
}

// auditPending audits every side between write and apply: pending moves,
// imports and forgets are no drift.
func (w *world) auditPending(name string, dirs []string) {
	t := w.t
	t.Helper()
	var full []string
	for _, d := range dirs {
		full = append(full, w.dir(d))
	}
	rep, err := audit.Run(context.Background(), audit.Options{Dirs: full, IncludePending: true, Open: func(ctx context.Context, dir string) (audit.Engine, string, error) {
		return w.runner(dir), w.eng.Name, nil
	}})
	if err != nil {
		t.Fatalf("%s: audit: %v", name, err)
	}
	if rep.Summary.Changed+rep.Summary.Deleted != 0 {
		var b strings.Builder
		for _, f := range rep.Findings {
			fmt.Fprintf(&b, "%s %s %s\n", f.Class, f.Dir, f.Address)
		}
		t.Errorf("%s: audit reports pending migration as drift:\n%s", name, b.String())
	}
	if rep.Summary.Pending == 0 {
		t.Errorf("%s: audit --include-pending reports no pending moves", name)
	}
}

func engineVersion(t *testing.T, r *engine.Runner) migrate.EngineVersion {
	t.Helper()
	v, err := r.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return migrate.EngineVersion{Name: engine.Identify(context.Background(), r.Bin), Version: v}
}

var tferRef = regexp.MustCompile(`(aws_apigatewayv2_(?:api|stage))(\.|" ")([a-z0-9_]+)`)

// adopt discovers the account, generates into all/ (renamed the way
// terraformer names resources, with a user's comment and hand-added
// attribute) on the s3 backend, and applies.
func (w *world) adopt() {
	w.adoptWith(func(src string) string {
		src = tferRef.ReplaceAllString(src, "${1}${2}tfer--${3}")
		src = strings.Replace(src, `resource "aws_apigatewayv2_api" "tfer--orders" {`, "# Orders belongs to payments; ask #payments-oncall before changing it.\nresource \"aws_apigatewayv2_api\" \"tfer--orders\" {", 1)
		return strings.Replace(src, "  name   = \"prod\"\n", "  name   = \"prod\"\n  auto_deploy = false # hand-added\n", 1)
	})
}

// adoptWith discovers the account's region us-east-1 with every resource
// type, generates into all/, lets edit change imports.tf the way a user
// would, and applies on the s3 backend.
func (w *world) adoptWith(edit func(src string) string) {
	t := w.t
	ctx := context.Background()
	inv, err := discover.Run(ctx, w.env.DiscoverOptions(e2e.Region))
	if err != nil {
		t.Fatal(err)
	}
	all := w.dir("all")
	if err := os.MkdirAll(all, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := generate.Run(ctx, inv, generate.Options{Dir: all}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(all, "imports.tf")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, edit(string(b)))
	write(t, filepath.Join(all, "backend.tf"), w.s3.backendHCL("all/terraform.tfstate"))
	r := w.runner(all)
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.TF.Apply(ctx); err != nil {
		t.Fatalf("adopting: %v", err)
	}
}

// TestMigrateScenarios adopts an account of three APIs, then renames
// terraformer addresses to apigw2tf names, splits the directory per team
// by tag, merges the teams back and moves one team into a module, each
// proven by migrate verify and by plans that are empty after apply, with
// every state in S3.
func TestMigrateScenarios(t *testing.T) {
	for _, eng := range e2e.MigrateEngines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			env := e2e.StartEmulator(t, emulator.Options{})
			account(t, env)
			w := &world{t: t, eng: eng, env: env, s3: startS3(t), root: t.TempDir()}
			w.adopt()
			w.migrateAndApply("rename", []string{"all"}, []string{"all"},
				migrate.Move{From: "all", To: "all", Select: migrate.Selector{Addresses: []string{"aws_apigatewayv2_*.tfer--*"}}, Naming: migrate.NamingApigw2tf})
			imports, _ := os.ReadFile(filepath.Join(w.dir("all"), "imports.tf"))
			if !bytes.Contains(imports, []byte("# Orders belongs to payments")) || !bytes.Contains(imports, []byte("auto_deploy = false # hand-added")) {
				t.Fatalf("rename lost the user's comment or attribute:\n%s", imports)
			}
			w.newDir("payments")
			w.newDir("identity")
			w.migrateAndApply("split", []string{"payments", "identity"}, []string{"all"},
				migrate.Move{From: "all", To: "payments", Select: migrate.Selector{Tags: map[string]string{"team": "payments"}}},
				migrate.Move{From: "all", To: "identity", Select: migrate.Selector{Tags: map[string]string{"team": "identity"}}})
			moved, _ := os.ReadFile(filepath.Join(w.dir("payments"), migrate.OwnFile))
			if !bytes.Contains(moved, []byte("# Orders belongs to payments")) || !bytes.Contains(moved, []byte("auto_deploy = false # hand-added")) {
				t.Fatalf("split lost the user's comment or attribute:\n%s", moved)
			}
			w.migrateAndApply("merge", []string{"all"}, []string{"payments", "identity"},
				migrate.Move{From: "payments", To: "all", Select: migrate.Selector{Addresses: []string{"*"}}},
				migrate.Move{From: "identity", To: "all", Select: migrate.Selector{Addresses: []string{"*"}}})
			w.migrateAndApply("module", []string{"all"}, []string{"all"},
				migrate.Move{From: "all", To: "all", Select: migrate.Selector{Tags: map[string]string{"team": "payments"}}, Module: "module.payments"})
		})
	}
}

// TestRefusesTerraform15 proves that Terraform 1.5.7, which has no removed
// block, gets a one-line refusal naming the engine, its version and the
// minimum, before anything is read or written.
func TestRefusesTerraform15(t *testing.T) {
	for _, eng := range e2e.Engines(t) {
		if eng.Name != "terraform" {
			continue
		}
		env := e2e.StartEmulator(t, emulator.Options{})
		dir := t.TempDir()
		ev := engineVersion(t, env.Runner(t, eng, dir))
		_, err := migrate.Run(context.Background(), migrate.Options{
			Moves:  []migrate.Move{{From: dir, To: t.TempDir(), Select: migrate.Selector{Addresses: []string{"*"}}}},
			Engine: ev,
			Open: func(context.Context, string) (migrate.Engine, error) {
				t.Fatal("a refused migration must not open the engine")
				return nil, nil
			},
		})
		want := "terraform 1.5.7 cannot forget a resource by configuration"
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), ">= 1.7.0") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("error = %v, want one line with %q and the minimum", err, want)
		}
	}
}

// snapshotDir reads every .tf file of dir, to prove a refusal wrote nothing.
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	var b strings.Builder
	for _, n := range names {
		c, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(n + "\n" + string(c))
	}
	return b.String()
}

// TestMigrateAPIChildren adopts the demo account with every type, then
// moves the payments API (authorizers, integrations, routes, stages) and
// the support team's WebSocket API (models, route and integration
// responses) to their own states, and renames the WebSocket API inside its
// new state, children along: each proven by migrate verify and by empty
// plans after apply. The payments API's custom-domain mapping stays (it is
// account-level): migrate refuses until the mapping no longer refers to it.
func TestMigrateAPIChildren(t *testing.T) {
	for _, eng := range e2e.MigrateEngines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			env := e2e.StartEmulator(t, emulator.Options{Seed: emutest.Seed(t, "demo.yaml")})
			w := &world{t: t, eng: eng, env: env, s3: startS3(t), root: t.TempDir()}
			w.adoptWith(func(src string) string { return src })
			w.newDir("payments")
			w.newDir("support")
			ctx := context.Background()
			split := []migrate.Move{
				{From: "all", To: "payments", Select: migrate.Selector{Tags: map[string]string{"team": "payments"}}},
				{From: "all", To: "support", Select: migrate.Selector{Tags: map[string]string{"team": "support"}}},
			}
			refused := slices.Clone(split)
			for i := range refused {
				refused[i].From, refused[i].To = w.dir(refused[i].From), w.dir(refused[i].To)
			}
			before := snapshotDir(t, w.dir("all")) + snapshotDir(t, w.dir("payments")) + snapshotDir(t, w.dir("support"))
			_, err := migrate.Run(ctx, migrate.Options{Moves: refused, Engine: engineVersion(t, w.runner(w.dir("all"))), Open: w.open, Write: true})
			want := `resource "aws_apigatewayv2_api_mapping" "api_example_com_root" in ` + w.dir("all") + ` refers to aws_apigatewayv2_api.payments_api (api_id)`
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "shared by APIs") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("moving an API its domain maps to: error = %v, want one line with %q", err, want)
			}
			if snapshotDir(t, w.dir("all"))+snapshotDir(t, w.dir("payments"))+snapshotDir(t, w.dir("support")) != before {
				t.Fatal("a refused migration wrote files")
			}
			// What the error asks: the mapping keeps the API's id and stage
			// as literals.
			p := filepath.Join(w.dir("all"), "imports.tf")
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			mapping := regexp.MustCompile(`(?s)resource "aws_apigatewayv2_api_mapping" "api_example_com_root" \{.*?\n\}`)
			block := mapping.Find(src)
			lit := strings.NewReplacer("aws_apigatewayv2_api.payments_api.id", `"pay7h2k9q1"`, "aws_apigatewayv2_stage.payments_api_prod.id", `"prod"`).Replace(string(block))
			if block == nil || lit == string(block) {
				t.Fatalf("no mapping of the payments API to make literal in:\n%s", src)
			}
			write(t, p, strings.Replace(string(src), string(block), lit, 1))

			w.migrateAndApply("split", []string{"payments", "support"}, []string{"all"}, split...)
			moved, _ := os.ReadFile(filepath.Join(w.dir("payments"), migrate.OwnFile))
			// The import blocks are pruned by now; verify matched each
			// forget with an import of the same id.
			for _, want := range []string{`resource "aws_apigatewayv2_authorizer" "payments_api_cognito_checkout"`, `= aws_apigatewayv2_authorizer.payments_api_cognito_checkout.id`, `"integrations/${aws_apigatewayv2_integration.`} {
				if !bytes.Contains(moved, []byte(want)) {
					t.Errorf("payments/%s lacks %q:\n%s", migrate.OwnFile, want, moved)
				}
			}
			ws, _ := os.ReadFile(filepath.Join(w.dir("support"), migrate.OwnFile))
			if !bytes.Contains(ws, []byte(`resource "aws_apigatewayv2_route_response" "chat_websocket_send_message"`)) {
				t.Errorf("support/%s lacks the route response:\n%s", migrate.OwnFile, ws)
			}

			w.migrateAndApply("rename", []string{"support"}, []string{"support"},
				migrate.Move{From: "support", To: "support", Select: migrate.Selector{APIIDs: []string{"chat9w5s0c"}}, Names: map[string]string{"chat9w5s0c": "chat"}})
			ws, _ = os.ReadFile(filepath.Join(w.dir("support"), migrate.OwnFile))
			if bytes.Contains(ws, []byte("resource \"aws_apigatewayv2_route\" \"chat_websocket")) || !bytes.Contains(ws, []byte("resource \"aws_apigatewayv2_route_response\" \"chat_")) {
				t.Errorf("the rename left children under the old name:\n%s", ws)
			}
		})
	}
}
