package generate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/internal/tfvalue"
)

// Planner initialises a working directory and plans it (engine.Runner
// satisfies it).
type Planner interface {
	Init(ctx context.Context) error
	Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error)
}

// VerifyReport is the verdict on one plan.
type VerifyReport struct {
	Import, Add, Change, Destroy int
	Offenders                    []Offender
}

// Offender is a resource whose planned change is not a no-op import.
type Offender struct {
	Address   string
	Actions   []string // as the plan says: "create", "update", "delete", …
	Importing bool
	Diffs     []AttrDiff
	Hints     []string
}

// AttrDiff is one attribute path whose value would change; Before and After
// are rendered as JSON.
type AttrDiff struct {
	Path, Before, After string
}

// Pass reports whether the plan only imports, with nothing created,
// changed, replaced or destroyed.
func (r *VerifyReport) Pass() bool { return len(r.Offenders) == 0 }

// Summary is the plan's count line.
func (r *VerifyReport) Summary() string {
	return fmt.Sprintf("%d to import, %d to add, %d to change, %d to destroy", r.Import, r.Add, r.Change, r.Destroy)
}

// Verify initialises the directory, plans it and checks the plan.
func Verify(ctx context.Context, p Planner) (*VerifyReport, error) {
	if err := p.Init(ctx); err != nil {
		return nil, err
	}
	plan, err := p.Plan(ctx)
	if err != nil {
		return nil, err
	}
	return Check(plan), nil
}

// Check judges a plan from its resource changes. The plan's exit code cannot
// do it: a plan that only imports still reports "changes present".
func Check(plan *tfjson.Plan) *VerifyReport {
	r := &VerifyReport{}
	if plan == nil {
		return r
	}
	for _, rc := range plan.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
			continue
		}
		c := rc.Change
		a := c.Actions
		if c.Importing != nil {
			r.Import++
		}
		switch {
		case a.Replace():
			r.Add++
			r.Destroy++
		case a.Create():
			r.Add++
		case a.Update():
			r.Change++
		case a.Delete():
			r.Destroy++
		}
		if a.NoOp() || a.Read() {
			continue
		}
		o := Offender{Address: rc.Address, Importing: c.Importing != nil}
		for _, act := range a {
			o.Actions = append(o.Actions, string(act))
		}
		if a.Update() || a.Replace() {
			o.Diffs = attrDiffs(tfvalue.Change{Before: c.Before, After: c.After,
				BeforeSensitive: c.BeforeSensitive, AfterSensitive: c.AfterSensitive, AfterUnknown: c.AfterUnknown})
		}
		o.Hints = hints(rc, o.Diffs)
		r.Offenders = append(r.Offenders, o)
	}
	return r
}

// WriteText prints the verdict: the count line, then each offender with its
// attribute changes and hints.
func (r *VerifyReport) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Pass() {
		fmt.Fprintf(&b, "%s\n", r.Summary())
	} else {
		fmt.Fprintf(&b, "%s: plan is not a clean import (%d resources)\n", r.Summary(), len(r.Offenders))
	}
	for _, o := range r.Offenders {
		imp := ""
		if o.Importing {
			imp = " (importing)"
		}
		fmt.Fprintf(&b, "  %s: %s%s\n", o.Address, strings.Join(o.Actions, ", "), imp)
		for _, d := range o.Diffs {
			fmt.Fprintf(&b, "    %s: %s -> %s\n", d.Path, d.Before, d.After)
		}
		for _, h := range o.Hints {
			fmt.Fprintf(&b, "    hint: %s\n", h)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// attrDiffs lists the changes of a plan's change as the plan prints them.
func attrDiffs(c tfvalue.Change) []AttrDiff {
	var out []AttrDiff
	for _, d := range tfvalue.Compare(c, tfvalue.Options{}) {
		out = append(out, AttrDiff{d.Path, render(d.Before, d.BeforeSensitive), render(d.After, d.AfterSensitive || d.AfterUnknown)})
	}
	return out
}

// AttributeDiffs lists the attribute paths at which after differs from
// before, with both values as JSON; migrate verify compares a forgotten
// object with its import through it.
func AttributeDiffs(before, after any) []AttrDiff {
	return attrDiffs(tfvalue.Change{Before: before, After: after})
}

// render prints a value as JSON, shortened so one huge body cannot flood the
// terminal; a mask prints bare.
func render(v any, mask bool) string {
	if mask {
		return fmt.Sprint(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// hints names the known provider behaviour behind a diff, if any.
func hints(rc *tfjson.ResourceChange, diffs []AttrDiff) []string {
	var out []string
	add := func(h string) {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	a := rc.Change.Actions
	switch {
	case a.Create() && rc.Change.Importing == nil && ownType(rc.Type):
		add("nothing imports this resource: its import block is missing or the live resource is gone; re-run discover and generate")
	case a.Delete() && !a.Replace():
		add("the state holds a resource the configuration no longer declares; restore its block or remove it from the state")
	}
	for _, d := range diffs {
		leaf := d.Path
		if i := strings.LastIndexByte(leaf, '.'); i >= 0 {
			leaf = leaf[i+1:]
		}
		switch {
		case rc.Type == typeStage && (leaf == "logging_level" || leaf == "data_trace_enabled"):
			add("HTTP APIs take no logging_level or data_trace_enabled; remove them from HTTP stages (hashicorp/terraform-provider-aws#12893)")
		case rc.Type == typeStage && leaf == "deployment_id" && autoDeploy(rc.Change.After):
			add("with auto_deploy = true API Gateway moves deployment_id on every deployment; omit deployment_id (hashicorp/terraform-provider-aws#13633)")
		case rc.Type == typeStage && strings.HasPrefix(leaf, "throttling_"):
			add("a default_route_settings block without throttles means 0, which blocks all traffic; write throttling_burst_limit and throttling_rate_limit exactly as read (hashicorp/terraform-provider-aws#27674)")
		case rc.Type == typeAPI && slices.Contains([]string{"body", "target", "route_key", "credentials_arn", "fail_on_warnings"}, leaf):
			add(leaf + " is write-only: the provider never reads it back; remove it from the configuration")
		case strings.HasPrefix(d.Path, "tags_all"):
			add("provider default_tags add tags to every resource; add them to the live resource or exclude them")
		case rc.Type == typeAPI && strings.HasPrefix(d.Path, "cors_configuration"):
			add("API Gateway compares CORS headers, methods and origins case-insensitively; match the live values' case")
		}
	}
	return out
}

func autoDeploy(after any) bool {
	m, _ := after.(map[string]any)
	on, _ := m["auto_deploy"].(bool)
	return on
}
