package migrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// Violation is one thing a migration's plans do that a pure move must not.
type Violation struct {
	Dir, Address string
	Msg          string
	Diffs        []generate.AttrDiff
}

// VerifyReport is the verdict on the plans of every directory a spec
// names.
type VerifyReport struct {
	Forgets, Imports, Moves int
	Violations              []Violation
}

// Pass reports whether every plan only moves, forgets and imports, each
// forget matched by exactly one import of the same object with the same
// values.
func (r *VerifyReport) Pass() bool { return len(r.Violations) == 0 }

// WriteText prints the verdict.
func (r *VerifyReport) WriteText(w io.Writer) error {
	var b strings.Builder
	counts := fmt.Sprintf("%d to forget, %d to import, %d to move", r.Forgets, r.Imports, r.Moves)
	if r.Pass() {
		fmt.Fprintf(&b, "%s; nothing created, changed or destroyed\n", counts)
	} else {
		fmt.Fprintf(&b, "%s: %d violations\n", counts, len(r.Violations))
	}
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  %s: %s: %s\n", v.Dir, v.Address, v.Msg)
		for _, d := range v.Diffs {
			fmt.Fprintf(&b, "    %s: %s -> %s\n", d.Path, d.Before, d.After)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type planned struct {
	dir, address, typ, id string
	values                any
}

// Verify plans every directory of the moves with -lock=false, so it never
// writes state or holds a lock, and checks the plans together.
func Verify(ctx context.Context, moves []Move, open Opener) (*VerifyReport, error) {
	if len(moves) == 0 {
		return nil, errors.New("the migration spec has no moves; add a migrate section to apigw2tf.yaml or pass --spec FILE")
	}
	var dirs []string
	sources, dests := map[string]bool{}, map[string]bool{}
	for i := range moves {
		from, to := filepath.Clean(moves[i].From), filepath.Clean(moves[i].To)
		for _, d := range []string{from, to} {
			if !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
		if moves[i].cross() {
			sources[from], dests[to] = true, true
		}
	}
	rep := &VerifyReport{}
	var forgets, imports []planned
	managed := map[string]map[[2]string]string{} // dir -> (type, import id) -> address
	for _, dir := range dirs {
		plan, err := planDir(ctx, open, dir)
		if err != nil {
			return nil, err
		}
		managed[dir] = map[[2]string]string{}
		for _, r := range indexState(plan.PriorState).resources {
			managed[dir][[2]string{r.Type, r.ImportID}] = r.Address
		}
		bad := func(addr, msg string, diffs []generate.AttrDiff) {
			rep.Violations = append(rep.Violations, Violation{Dir: dir, Address: addr, Msg: msg, Diffs: diffs})
		}
		for _, rc := range plan.ResourceChanges {
			if rc == nil || rc.Change == nil || rc.Mode != tfjson.ManagedResourceMode {
				continue
			}
			c := rc.Change
			a := c.Actions
			switch {
			case a.Forget():
				rep.Forgets++
				if !sources[dir] {
					bad(rc.Address, "forgets, but no move of the spec takes resources out of this directory", nil)
				}
				before, _ := c.Before.(map[string]any)
				if r := newResource(rc.Address, rc.Type, before); r != nil {
					forgets = append(forgets, planned{dir, rc.Address, rc.Type, r.ImportID, c.Before})
				} else {
					bad(rc.Address, "forgets a resource that is no API Gateway V2 API, stage or API child", nil)
				}
			case a.NoOp() || a.Read():
				if rc.PreviousAddress != "" && rc.PreviousAddress != rc.Address {
					rep.Moves++
				}
				if c.Importing != nil {
					rep.Imports++
					if !dests[dir] {
						bad(rc.Address, "imports, but no move of the spec brings resources into this directory", nil)
					}
					imports = append(imports, planned{dir, rc.Address, rc.Type, c.Importing.ID, c.After})
				}
			default:
				var acts []string
				for _, x := range a {
					acts = append(acts, string(x))
				}
				var diffs []generate.AttrDiff
				if a.Update() || a.Replace() {
					diffs = generate.AttributeDiffs(c.Before, c.After)
				}
				bad(rc.Address, "would "+strings.Join(acts, " and ")+"; a migration must only move, import and forget", diffs)
			}
		}
	}
	for _, f := range forgets {
		var match []planned
		for _, im := range imports {
			if im.dir != f.dir && im.typ == f.typ && im.id == f.id {
				match = append(match, im)
			}
		}
		if len(match) != 1 {
			rep.Violations = append(rep.Violations, Violation{Dir: f.dir, Address: f.address,
				Msg: fmt.Sprintf("is forgotten here, but %d other directories import %s; it must be imported exactly once", len(match), f.id)})
			continue
		}
		if diffs := generate.AttributeDiffs(f.values, match[0].values); len(diffs) > 0 {
			rep.Violations = append(rep.Violations, Violation{Dir: match[0].dir, Address: match[0].address,
				Msg: fmt.Sprintf("imports %s with values that differ from the source state's %s", f.id, f.address), Diffs: diffs})
		}
	}
	for _, im := range imports {
		for _, dir := range dirs {
			addr, ok := managed[dir][[2]string{im.typ, im.id}]
			if !ok || dir == im.dir || slices.ContainsFunc(forgets, func(f planned) bool { return f.dir == dir && f.address == addr }) {
				continue
			}
			rep.Violations = append(rep.Violations, Violation{Dir: im.dir, Address: im.address,
				Msg: fmt.Sprintf("imports %s, which %s still manages as %s without forgetting it", im.id, dir, addr)})
		}
	}
	return rep, nil
}

// planDir plans dir without writing into it: in place when it is
// initialised, else in an initialised temporary copy.
func planDir(ctx context.Context, open Opener, dir string) (_ *tfjson.Plan, err error) {
	e, err := open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, e.Close()) }()
	var plan *tfjson.Plan
	err = engine.WithInit(ctx, e, dir, true, func() error {
		var err error
		plan, err = e.Plan(ctx, tfexec.Lock(false))
		return err
	})
	return plan, err
}
