package audit

import (
	"context"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// withAccount sets the execute-api ARN the provider stores, which names the
// account.
func withAccount(v map[string]any, account string) map[string]any {
	v = clone(v)
	id := str(v["id"])
	if api := str(v["api_id"]); api != "" {
		id = api + "/" + str(v["name"])
	}
	v["execution_arn"] = "arn:aws:execute-api:us-east-1:" + account + ":" + id
	return v
}

// TestAccountMismatchIsRefused: a state of one account audited against the
// discovery of another is an error naming both accounts, in live and in
// plan mode, instead of a report of everything deleted and unmanaged.
func TestAccountMismatchIsRefused(t *testing.T) {
	inv := scenarioInventory()
	inv.Account = "111122223333"
	disc := func(context.Context) (*inventory.Inventory, error) { return inv, nil }
	p := driftScenario()
	for _, rc := range p.ResourceDrift {
		rc.Change.Before = withAccount(rc.Change.Before.(map[string]any), "123456789012")
		if rc.Change.After != nil {
			rc.Change.After = withAccount(rc.Change.After.(map[string]any), "123456789012")
		}
	}
	for _, r := range p.PriorState.Values.RootModule.Resources {
		if auditedType(r.Type) {
			r.AttributeValues = withAccount(r.AttributeValues, "123456789012")
		}
	}
	for _, mode := range []Mode{ModePlan, ModeLive} {
		eng := &fakeEngine{refresh: p, state: p.PriorState}
		_, err := Run(context.Background(), Options{Mode: mode, Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": eng}), Discover: disc})
		if err == nil || !strings.Contains(err.Error(), "123456789012") || !strings.Contains(err.Error(), "111122223333") {
			t.Errorf("%s mode: err = %v, want a refusal naming both accounts", mode, err)
		}
	}
	// The same account, or a state that names none, passes.
	inv.Account = "123456789012"
	if _, err := Run(context.Background(), Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: p}}), Discover: disc}); err != nil {
		t.Errorf("same account: %v", err)
	}
	inv.Account = "111122223333"
	if _, err := Run(context.Background(), Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: driftScenario()}}), Discover: disc}); err != nil {
		t.Errorf("a state without account ids: %v", err)
	}
}

// TestPlanningAsAnotherAccountIsRefused: the engine reads values back as
// the caller it plans as; when that account differs from the state's,
// the audit names both.
func TestPlanningAsAnotherAccountIsRefused(t *testing.T) {
	p := driftScenario()
	prod := p.ResourceDrift[0]
	prod.Change.Before = withAccount(prod.Change.Before.(map[string]any), "123456789012")
	prod.Change.After = withAccount(prod.Change.After.(map[string]any), "444455556666")
	p.PriorState = &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{Resources: []*tfjson.StateResource{
		stateRes("aws_apigatewayv2_stage.orders_prod", TypeStage, prod.Change.Before.(map[string]any)),
	}}}}
	_, err := Run(context.Background(), Options{Dirs: []string{"infra"}, Open: openerFor(map[string]*fakeEngine{"infra": {refresh: p}})})
	if err == nil || !strings.Contains(err.Error(), "123456789012") || !strings.Contains(err.Error(), "444455556666") {
		t.Errorf("err = %v, want a refusal naming both accounts", err)
	}
}
