package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// renderAll renders the report in every format.
func renderAll(t *testing.T, rep *Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Render(&b, rep, f); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	return out
}

// traces are the forms in which a value could leak: itself, escaped for
// each format, and hashes of it.
func traces(secret string) []string {
	sum := sha256.Sum256([]byte(secret))
	h := hex.EncodeToString(sum[:])
	return []string{
		secret, strings.ReplaceAll(secret, "-", "&#45;"), base64.StdEncoding.EncodeToString([]byte(secret)),
		h[:16], h, fingerprintOfSecret(secret),
	}
}

// fingerprintOfSecret is the fingerprint a finding would have if the
// secret were hashed unmasked, so a test can prove it appears nowhere.
func fingerprintOfSecret(secret string) string {
	f := Finding{Class: ClassChanged, Type: TypeStage, Region: "us-east-1", ImportID: "a1/prod",
		Changes: []Change{{Path: `tags["owner"]`, Action: ActionAdd, After: secret}}}
	return fingerprint(&f)
}

func assertNoTrace(t *testing.T, label string, reports map[string]string, secret string) {
	t.Helper()
	for format, text := range reports {
		for _, tr := range traces(secret) {
			if strings.Contains(text, tr) {
				t.Errorf("%s: the %s report holds %q, derived from the redacted value %q", label, format, tr, secret)
			}
		}
	}
}

// tagDrift is a refresh-only plan in which a person tagged the prod stage
// with secret (tags and tags_all), while tags_all also carries a provider
// default tag whose value, defaultSecret, changed too: it is in tags_all
// only, never in tags.
func tagDrift(secret, defaultSecret string) *tfjson.Plan {
	p := driftScenario()
	before := p.ResourceDrift[0].Change.Before.(map[string]any)
	before["tags_all"] = map[string]any{"team": "api", "cost-center": "cc-old"}
	after := p.ResourceDrift[0].Change.After.(map[string]any)
	after["tags"] = map[string]any{"team": "payments", "owner": secret}
	after["tags_all"] = map[string]any{"team": "payments", "owner": secret, "cost-center": defaultSecret}
	return p
}

// TestRedactTagsHidesTagsAll: --redact tags hides the same values under
// tags_all, those that came from the provider's default_tags included, in
// every report format and in both modes.
func TestRedactTagsHidesTagsAll(t *testing.T) {
	const secret, defaultSecret = "s3cr3t-owner-4711", "cc-secret-0815"
	plan := tagDrift(secret, defaultSecret)
	rep := runScenario(t, Options{Redact: []string{"tags"}, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: plan}})})
	var hidden int
	for _, c := range rep.Findings[0].Changes {
		if top := tfvalue.TopAttribute(c.Path); top == "tags" || top == "tags_all" {
			if !c.Redacted {
				t.Errorf("plan mode: %s is not redacted: %+v", c.Path, c)
			}
			hidden++
		}
	}
	if hidden < 4 {
		t.Errorf("plan mode: %d tag changes redacted, want tags and tags_all of owner and team, and cost-center", hidden)
	}
	assertNoTrace(t, "plan mode", renderAll(t, rep), secret)
	assertNoTrace(t, "plan mode", renderAll(t, rep), defaultSecret)

	// Live mode: the state holds the default tag in tags_all; the live
	// tags carry the secret.
	st := driftScenario().ResourceDrift[0].Change.Before.(map[string]any)
	st["tags_all"] = map[string]any{"team": "api", "cost-center": defaultSecret}
	inv := scenarioInventory()
	inv.APIs[0].Stages[0].Tags = map[string]string{"team": "payments", "owner": secret}
	eng := &fakeEngine{state: &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: []*tfjson.StateResource{
		stateRes("aws_apigatewayv2_stage.orders_prod", TypeStage, st),
	}}}}}
	live := runScenario(t, Options{Mode: ModeLive, Redact: []string{"tags"}, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}),
		Discover: func(context.Context) (*inventory.Inventory, error) { return inv, nil }})
	if live.Summary.Changed != 1 {
		t.Fatalf("live mode: %+v", live.Summary)
	}
	assertNoTrace(t, "live mode", renderAll(t, live), secret)
	assertNoTrace(t, "live mode", renderAll(t, live), defaultSecret)
}

// TestRedactFollowsTheValue: a redacted value shown under another
// attribute (here copied into the description) is hidden there too.
func TestRedactFollowsTheValue(t *testing.T) {
	const secret = "token-9f8e7d6c"
	p := driftScenario()
	p.ResourceDrift[0].Change.After.(map[string]any)["stage_variables"] = map[string]any{"token": secret}
	p.ResourceDrift[0].Change.After.(map[string]any)["description"] = secret
	rep := runScenario(t, Options{Redact: []string{"stage_variables"}, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: p}})})
	assertNoTrace(t, "copied value", renderAll(t, rep), secret)
	for _, c := range rep.Findings[0].Changes {
		if c.Path == `default_route_settings[0].throttling_burst_limit` && c.Redacted {
			t.Errorf("a change without the value is redacted: %+v", c)
		}
	}
}

// TestRedactionBeforeFingerprint: two audits that differ only in a
// redacted value give the same fingerprints (so --fail-on new does not
// see a new finding every night the secret rotates), and no report holds
// anything derived from the secret.
func TestRedactionBeforeFingerprint(t *testing.T) {
	run := func(secret string) *Report {
		return runScenario(t, Options{Redact: []string{"tags"}, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: tagDrift(secret, "cc-"+secret)}})})
	}
	a, b := run("first-secret-1111"), run("second-secret-2222")
	if len(a.Findings) != len(b.Findings) || len(a.Findings) == 0 {
		t.Fatalf("findings differ: %d and %d", len(a.Findings), len(b.Findings))
	}
	for i := range a.Findings {
		if a.Findings[i].Fingerprint != b.Findings[i].Fingerprint {
			t.Errorf("%s %s: fingerprint %s and %s differ only by a redacted value", a.Findings[i].Class, a.Findings[i].ImportID, a.Findings[i].Fingerprint, b.Findings[i].Fingerprint)
		}
	}
	// Known from a baseline with the other secret.
	c := runScenario(t, Options{Redact: []string{"tags"}, Baseline: a, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: tagDrift("third-secret-3333", "cc-x")}})})
	if c.Failed(FailOnNew) {
		t.Error("a rotated redacted value makes a known finding new")
	}
	assertNoTrace(t, "first", renderAll(t, a), "first-secret-1111")
	assertNoTrace(t, "second", renderAll(t, b), "second-secret-2222")
}

// TestMaskOneSideSensitive is a second check, through a whole audit and
// every format, that a change whose value is sensitive on one side only
// shows neither value: the provider may mark a value sensitive only after
// the refresh (after_sensitive) or only before it (before_sensitive).
func TestMaskOneSideSensitive(t *testing.T) {
	for _, tc := range []struct {
		name         string
		bSens, aSens any
	}{
		{"after only", nil, map[string]any{"stage_variables": map[string]any{"token": true}}},
		{"before only", map[string]any{"stage_variables": map[string]any{"token": true}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := driftScenario()
			ch := p.ResourceDrift[0].Change
			ch.Before.(map[string]any)["stage_variables"] = map[string]any{"token": "old-token-aaaa"}
			ch.After.(map[string]any)["stage_variables"] = map[string]any{"token": "new-token-bbbb", "added": "x"}
			ch.BeforeSensitive, ch.AfterSensitive = tc.bSens, tc.aSens
			rep := runScenario(t, Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: p}})})
			var found bool
			for _, c := range rep.Findings[0].Changes {
				if c.Path == `stage_variables["token"]` {
					found = true
					if !c.Sensitive || c.Before != SensitiveMask || c.After != SensitiveMask {
						t.Errorf("one-sided sensitive change not masked: %+v", c)
					}
				}
			}
			if !found {
				t.Fatalf("no change of the token: %+v", rep.Findings[0].Changes)
			}
			for _, secret := range []string{"old-token-aaaa", "new-token-bbbb"} {
				assertNoTrace(t, tc.name, renderAll(t, rep), secret)
			}
		})
	}
}
