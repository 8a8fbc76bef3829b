package generate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
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
			diffValues("", c.Before, c.After, c.AfterUnknown, sensitive{c.BeforeSensitive, c.AfterSensitive}, &o.Diffs)
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

// sensitive carries the before/after sensitivity trees alongside values.
type sensitive struct{ before, after any }

func (s sensitive) child(k any) sensitive {
	return sensitive{childOf(s.before, k), childOf(s.after, k)}
}

func childOf(v, k any) any {
	switch t := v.(type) {
	case bool:
		return t // a sensitive parent marks everything under it
	case map[string]any:
		if s, ok := k.(string); ok {
			return t[s]
		}
	case []any:
		if i, ok := k.(int); ok && i < len(t) {
			return t[i]
		}
	}
	return nil
}

func diffValues(path string, before, after, unknown any, sens sensitive, out *[]AttrDiff) {
	if u, ok := unknown.(bool); ok && u {
		*out = append(*out, AttrDiff{path, render(before, sens.before), "(known after apply)"})
		return
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if bok && aok {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		um, _ := unknown.(map[string]any)
		for _, k := range sortedKeys(keys) {
			diffValues(joinPath(path, k), bm[k], am[k], um[k], sens.child(k), out)
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		ul, _ := unknown.([]any)
		for i := range bl {
			var u any
			if i < len(ul) {
				u = ul[i]
			}
			diffValues(path+"["+strconv.Itoa(i)+"]", bl[i], al[i], u, sens.child(i), out)
		}
		return
	}
	if !reflect.DeepEqual(before, after) {
		*out = append(*out, AttrDiff{path, render(before, sens.before), render(after, sens.after)})
	}
}

// AttributeDiffs lists the attribute paths at which after differs from
// before, with both values as JSON; migrate verify compares a forgotten
// object with its import through it.
func AttributeDiffs(before, after any) []AttrDiff {
	var out []AttrDiff
	diffValues("", before, after, nil, sensitive{}, &out)
	return out
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// render prints a value as JSON, masked when sensitive and shortened so one
// huge body cannot flood the terminal.
func render(v, sens any) string {
	if s, ok := sens.(bool); ok && s {
		return "(sensitive)"
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
