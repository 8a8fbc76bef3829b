package audit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/e2e"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/internal/testenv"
)

// opener opens eng in each directory with the emulator's environment, as
// the CLI does, and keeps the runners' calls.
type countingEngine struct {
	audit.Engine
	mu    sync.Mutex
	calls []string
}

func (c *countingEngine) note(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, s)
}

func (c *countingEngine) InitReadOnly(ctx context.Context) error {
	c.note("init")
	return c.Engine.InitReadOnly(ctx)
}

func (c *countingEngine) PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	c.note("plan")
	return c.Engine.PlanIfChanged(ctx, opts...)
}

func runnerOpener(t *testing.T, eng e2e.Engine, env map[string]string, keep *[]*countingEngine) audit.Opener {
	return func(_ context.Context, dir string) (audit.Engine, string, error) {
		r, err := engine.OpenNamed(dir, eng.Bin, eng.Name)
		if err != nil {
			return nil, "", err
		}
		full := map[string]string{}
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok {
				full[k] = v
			}
		}
		for k, v := range env {
			full[k] = v
		}
		if err := r.SetEnv(tfexec.CleanEnv(full)); err != nil {
			return nil, "", err
		}
		c := &countingEngine{Engine: r}
		if keep != nil {
			*keep = append(*keep, c)
		}
		return c, eng.Name, nil
	}
}

// TestEndToEndAuditNeverWrites: each engine audits a directory it applied
// as a fresh checkout (no .terraform/, so it must init), and terraform
// audits a directory initialised and applied by tofu, which it must init
// again (its lock file records other provider addresses). Every file of
// the directory, .terraform.lock.hcl and the state included, keeps its
// bytes, and the audits find no drift. (tofu cannot read a state that
// terraform wrote with registry.terraform.io provider addresses, even
// after an init in place, so the reverse is not a case.)
func TestEndToEndAuditNeverWrites(t *testing.T) {
	type tc struct{ auditor, owner e2e.Engine }
	var cases []tc
	var tofu, terraform *e2e.Engine
	for _, eng := range e2e.Engines(t) {
		cases = append(cases, tc{eng, eng})
		switch eng.Name {
		case "tofu":
			tofu = &eng
		case "terraform":
			terraform = &eng
		}
	}
	if tofu != nil && terraform != nil {
		cases = append(cases, tc{*terraform, *tofu})
	}
	for _, c := range cases {
		eng, other := c.auditor, c.owner
		t.Run(eng.Name+" on a directory of "+other.Name, func(t *testing.T) {
			ctx := context.Background()
			a := adopt(t, other, smallAccount)
			fresh := t.TempDir()
			if err := os.CopyFS(fresh, os.DirFS(a.dir)); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(filepath.Join(fresh, ".terraform")); err != nil {
				t.Fatal(err)
			}
			dirs := []string{fresh}
			if eng != other {
				dirs = append(dirs, a.dir)
			}
			for _, dir := range dirs {
				before := testenv.Tree(t, dir)
				for _, mode := range []audit.Mode{audit.ModePlan, audit.ModeLive} {
					var engines []*countingEngine
					rep, err := audit.Run(ctx, audit.Options{Dirs: []string{dir}, Mode: mode, IncludePending: mode == audit.ModePlan,
						Open: runnerOpener(t, eng, a.env.EngineEnv(), &engines), Discover: a.disc})
					if err != nil {
						t.Fatal(err)
					}
					if code := rep.ExitCode(audit.FailOnAny, false); code != audit.ExitOK {
						var b strings.Builder
						audit.Render(&b, rep, "text")
						t.Errorf("%s mode in %s: exit %d, want 0\n%s", mode, dir, code, b.String())
					}
					if d := testenv.TreeDiff(before, testenv.Tree(t, dir)); d != "" {
						t.Errorf("%s mode in %s: %s", mode, dir, d)
					}
				}
			}
		})
	}
}

// TestEndToEndPlanFailureIsNotRetried: against an endpoint that refuses
// every call, an initialised directory fails after one plan; no init and
// no second plan follow, since neither could help.
func TestEndToEndPlanFailureIsNotRetried(t *testing.T) {
	e2e.ForEachEngine(t, func(t *testing.T, eng e2e.Engine) {
		a := adopt(t, eng, smallAccount)
		deny := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"denied by the test"}`))
		}))
		t.Cleanup(deny.Close)
		providers := filepath.Join(a.dir, "providers.tf")
		b, err := os.ReadFile(providers)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(providers, []byte(strings.ReplaceAll(string(b), a.env.URL, deny.URL)), 0o644); err != nil {
			t.Fatal(err)
		}
		env := a.env.EngineEnv()
		env["AWS_ENDPOINT_URL_APIGATEWAYV2"], env["AWS_ENDPOINT_URL_STS"] = deny.URL, deny.URL
		var engines []*countingEngine
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		rep, err := audit.Run(ctx, audit.Options{Dirs: []string{a.dir}, Open: runnerOpener(t, eng, env, &engines)})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.NothingAudited() || rep.ExitCode(audit.FailOnAny, false) != audit.ExitError {
			t.Errorf("dirs = %+v", rep.Dirs)
		}
		if got := strings.Join(engines[0].calls, "; "); got != "plan" {
			t.Errorf("engine calls = %s, want one plan", got)
		}
	})
}
