package audit

import (
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// UnknownMask stands for a value the engine will only know after apply.
const UnknownMask = tfvalue.UnknownMask

// Hints printed with each class of finding.
const (
	hintChanged   = "changed outside Terraform: revert it in AWS, or update the configuration and run `apply -refresh-only`"
	hintDeleted   = "deleted outside Terraform: re-create it with `apply`, or remove it from the configuration and `state rm` it"
	hintPending   = "configuration differs from state: run `plan` and `apply` in this directory"
	hintUnmanaged = "in no audited state: run `apigw2tf generate` to adopt it"
)

// stateResource is one API, stage or child of an API in a state, with what the audit needs
// to match it against live resources.
type stateResource struct {
	Resource
	Name      string
	Values    map[string]any
	Sensitive any
}

func auditedType(t string) bool {
	return t == TypeAPI || t == TypeStage || isChildType(t) || isResponseType(t) || isAccountType(t)
}

// stateResources lists the APIs and stages of a state module tree.
// defaultRegion is the provider's configured region, used when neither the
// region attribute nor the ARN names one.
func stateResources(m *tfjson.StateModule, defaultRegion string) []stateResource {
	if m == nil {
		return nil
	}
	var out []stateResource
	for _, r := range m.Resources {
		if r.Mode != tfjson.ManagedResourceMode || !auditedType(r.Type) {
			continue
		}
		var sens any
		if len(r.SensitiveValues) > 0 {
			sens = decodeMask(r.SensitiveValues)
		}
		out = append(out, newStateResource(r.Address, r.Type, r.AttributeValues, sens, defaultRegion))
	}
	for _, c := range m.ChildModules {
		out = append(out, stateResources(c, defaultRegion)...)
	}
	return out
}

func newStateResource(addr, typ string, values map[string]any, sens any, defaultRegion string) stateResource {
	return stateResource{
		Resource: Resource{
			Address:  addr,
			Type:     typ,
			Region:   regionOf(values, defaultRegion),
			ImportID: inventory.StateImportID(typ, values),
		},
		Name:      str(values["name"]),
		Values:    values,
		Sensitive: sens,
	}
}

// regionOf reads the v6 per-resource region attribute, then the ARN
// (arn:partition:apigateway:region::/apis/...), then the provider default.
func regionOf(v map[string]any, defaultRegion string) string {
	if r := str(v["region"]); r != "" {
		return r
	}
	if parts := strings.SplitN(str(v["arn"]), ":", 5); len(parts) == 5 && parts[3] != "" {
		return parts[3]
	}
	return defaultRegion
}

// providerRegion is the region of the configuration's aws provider when
// there is exactly one with a constant region.
func providerRegion(cfg *tfjson.Config) string {
	if cfg == nil {
		return ""
	}
	region := ""
	n := 0
	for _, pc := range cfg.ProviderConfigs {
		if pc.Name != "aws" {
			continue
		}
		n++
		if e, ok := pc.Expressions["region"]; ok && e.ExpressionData != nil {
			region = str(e.ConstantValue)
		}
	}
	if n != 1 {
		return ""
	}
	return region
}

// fromPlans analyses a refresh-only plan, or the state when the engine
// found nothing changed (then refresh is nil and unchanged holds the
// state), and, when not nil, a normal plan made with -refresh=false (so it
// compares configuration with state, not with live values).
func fromPlans(dir string, refresh *tfjson.Plan, unchanged *tfjson.State, pending *tfjson.Plan) ([]stateResource, []Finding) {
	var region string
	prior := unchanged
	switch {
	case refresh != nil:
		region, prior = providerRegion(refresh.Config), refresh.PriorState
	case pending != nil:
		region = providerRegion(pending.Config)
	}
	var managed []stateResource
	seen := map[string]bool{}
	if prior != nil && prior.Values != nil {
		for _, r := range stateResources(prior.Values.RootModule, region) {
			managed = append(managed, r)
			seen[r.Address] = true
		}
	}
	var drift []*tfjson.ResourceChange
	if refresh != nil {
		drift = refresh.ResourceDrift
	}
	var findings []Finding
	for _, rc := range drift {
		if rc.Mode != tfjson.ManagedResourceMode || !auditedType(rc.Type) || rc.Change == nil {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		switch {
		case rc.Change.Actions.Delete():
			sr := newStateResource(rc.Address, rc.Type, before, rc.Change.BeforeSensitive, region)
			if !seen[sr.Address] {
				seen[sr.Address] = true
				managed = append(managed, sr)
			}
			findings = append(findings, finding(ClassDeleted, dir, sr, nil, hintDeleted))
		case rc.Change.Actions.Update():
			sr := newStateResource(rc.Address, rc.Type, after, rc.Change.AfterSensitive, region)
			if ch := diffAttributes(before, after, rc.Change.BeforeSensitive, rc.Change.AfterSensitive); len(ch) > 0 {
				f := finding(ClassChanged, dir, sr, ch, hintChanged)
				f.Live = after
				findings = append(findings, f)
			}
		}
	}
	if pending != nil {
		for _, rc := range pending.ResourceChanges {
			if rc.Mode != tfjson.ManagedResourceMode || !auditedType(rc.Type) || rc.Change == nil {
				continue
			}
			a := rc.Change.Actions
			// A move, an import or a forget (apigw2tf migrate writes them)
			// changes no attribute, yet the engine counts it as a change:
			// pending, never drift.
			migrating := rc.Change.Importing != nil || a.Forget() || rc.PreviousAddress != "" && rc.PreviousAddress != rc.Address
			if (a.NoOp() || a.Read()) && !migrating {
				continue
			}
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := tfvalue.OverlayUnknown(rc.Change.After, rc.Change.AfterUnknown).(map[string]any)
			if a.Forget() {
				after = before
			}
			values := after
			if values == nil {
				values = before
			}
			sr := newStateResource(rc.Address, rc.Type, values, rc.Change.AfterSensitive, region)
			if sr.ImportID == "/" || sr.ImportID == "" || strings.HasSuffix(sr.ImportID, UnknownMask) {
				if rc.Change.Importing != nil {
					sr.ImportID = rc.Change.Importing.ID
				}
			}
			ch := diffAttributes(before, after, rc.Change.BeforeSensitive, rc.Change.AfterSensitive)
			if len(ch) == 0 && !migrating {
				continue
			}
			findings = append(findings, finding(ClassPending, dir, sr, ch, hintPending))
		}
	}
	return managed, findings
}

func finding(c Class, dir string, r stateResource, changes []Change, hint string) Finding {
	return Finding{
		Class:    c,
		Dir:      dir,
		Address:  r.Address,
		Type:     r.Type,
		Region:   r.Region,
		ImportID: r.ImportID,
		Name:     r.Name,
		Changes:  changes,
		Hint:     hint,
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
