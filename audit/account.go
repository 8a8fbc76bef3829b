package audit

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// accountOf reads the AWS account from a resource's ARNs. The API Gateway
// ARN (arn:aws:apigateway:region::/apis/id) has none; the execute-api ARN
// (arn:aws:execute-api:region:account:id) has it, unless the provider was
// told not to ask for it (skip_requesting_account_id).
func accountOf(values map[string]any) string {
	for _, k := range []string{"execution_arn", "arn"} {
		if parts := strings.SplitN(str(values[k]), ":", 6); len(parts) == 6 && parts[0] == "arn" && parts[4] != "" {
			return parts[4]
		}
	}
	return ""
}

// planAccounts collects the accounts a directory names: in its state and,
// when refresh is a plan, in the values the engine read back, which the
// provider derives from the caller identity it plans as.
func planAccounts(managed []stateResource, refresh *tfjson.Plan) map[string]string {
	acc := map[string]string{}
	add := func(addr string, values map[string]any) {
		if a := accountOf(values); a != "" && acc[a] == "" {
			acc[a] = addr
		}
	}
	for _, r := range managed {
		add(r.Address, r.Values)
	}
	if refresh != nil {
		for _, rc := range refresh.ResourceDrift {
			if rc.Change != nil && auditedType(rc.Type) {
				after, _ := rc.Change.After.(map[string]any)
				add(rc.Address, after)
			}
		}
	}
	return acc
}

// checkAccounts refuses an audit that compares one account with another:
// a state of one account against the discovery of another reports every
// resource deleted and every live one unmanaged, and a person acting on
// that would re-create what exists. Every directory must name at most one
// account, and that must be the discovery's.
func checkAccounts(dirs []dirOutcome, inv *inventory.Inventory) error {
	for _, d := range dirs {
		if d.result.Error != "" {
			continue
		}
		names := slices.Sorted(maps.Keys(d.accounts))
		if len(names) > 1 {
			return fmt.Errorf("directory %s names two AWS accounts, %s (%s) and %s (%s): the state belongs to one and the engine's credentials to the other; audit with the credentials of the state's account",
				d.result.Dir, names[0], d.accounts[names[0]], names[1], d.accounts[names[1]])
		}
		if inv == nil || inv.Account == "" || len(names) == 0 || names[0] == inv.Account {
			continue
		}
		return fmt.Errorf("directory %s holds resources of AWS account %s (%s), but the discovery is of account %s; audit each account with its own discovery (--inventory, --account or --profile)",
			d.result.Dir, names[0], d.accounts[names[0]], inv.Account)
	}
	return nil
}
