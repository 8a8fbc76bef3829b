package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Engine is what an audit needs from an engine in one working directory
// (internal/engine.Runner satisfies it). Only read-only commands are here on
// purpose: an audit has no way to apply or import, nor to write into the
// directory.
type Engine interface {
	// InitReadOnly initialises the engine without writing into the
	// directory (internal/engine runs init in a temporary copy).
	InitReadOnly(ctx context.Context) error
	Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error)
	// PlanIfChanged is Plan returning nil when the engine reports that
	// applying the plan would change nothing, not even the state.
	PlanIfChanged(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error)
	State(ctx context.Context) (*tfjson.State, error)
	// Close removes what InitReadOnly made.
	Close() error
}

// Opener prepares the engine for a directory and names it ("tofu" or
// "terraform").
type Opener func(ctx context.Context, dir string) (Engine, string, error)

// Discoverer runs a discovery of the live account.
type Discoverer func(ctx context.Context) (*inventory.Inventory, error)

// Options configure one audit.
type Options struct {
	Dirs     []string
	Parallel int  // directories audited at once; 0 means DefaultParallel
	Mode     Mode // ModePlan (default) or ModeLive
	// IncludePending adds a normal plan per directory to report
	// configuration that differs from state.
	IncludePending bool
	Open           Opener
	// Discover, when set, finds unmanaged resources and coverage; live
	// mode requires it.
	Discover Discoverer
	Ignore   *IgnoreRules
	Baseline *Report
	Redact   []string
	// Timeout bounds the audit of one directory (init, plans, state
	// reads); 0 means no limit. A directory that runs out of time fails
	// alone, like any other failed directory.
	Timeout time.Duration
	Now     func() time.Time
}

// DefaultParallel is the number of directories audited at once.
const DefaultParallel = 4

// withDefaults returns a copy with zero fields filled in: the one place
// audit's defaults are applied.
func (o Options) withDefaults() Options {
	if o.Mode == "" {
		o.Mode = ModePlan
	}
	if o.Parallel == 0 {
		o.Parallel = DefaultParallel
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Validate checks the options before anything runs; it changes nothing.
func (o Options) Validate() error {
	if len(o.Dirs) == 0 {
		return errors.New("no working directory to audit; pass --dir (repeatable) or --config")
	}
	if dup := duplicate(o.Dirs); dup != "" {
		return fmt.Errorf("directory %s is listed twice; list each --dir once", dup)
	}
	if o.Parallel < 0 {
		return fmt.Errorf("--parallel %d is not valid; use a positive number", o.Parallel)
	}
	if o.Timeout < 0 {
		return fmt.Errorf("--timeout %s is not valid; use a positive duration such as 30m, or 0 for no limit", o.Timeout)
	}
	switch o.Mode {
	case "", ModePlan:
	case ModeLive:
		if o.Discover == nil {
			return errors.New("--mode live compares state with a discovery; give the discovery flags (e.g. --region) or --inventory")
		}
		if o.IncludePending {
			return errors.New("--include-pending needs a plan; drop it or use --mode plan")
		}
	default:
		return fmt.Errorf("--mode %q is not valid; use plan or live", o.Mode)
	}
	if o.Open == nil {
		return errors.New("audit options: no engine opener")
	}
	for _, a := range o.Redact {
		if !ValidRedact(a) {
			return fmt.Errorf("--redact %q is not a top-level attribute name such as stage_variables or tags", a)
		}
	}
	return nil
}

// ValidRedact reports whether a can be redacted (Options.Redact): a
// top-level attribute name, since redaction hides whole attributes.
func ValidRedact(a string) bool { return a != "" && !strings.ContainsAny(a, ".[") }

func duplicate(list []string) string {
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s] {
			return s
		}
		seen[s] = true
	}
	return ""
}

// Run audits every directory, at most Parallel at once, and returns the
// report. A directory or region that fails is recorded in the report, which
// is then Partial; Run itself fails only for errors that leave nothing to
// report (bad options, a cancelled context, a failed discovery in live
// mode).
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	mode, now := o.Mode, o.Now
	var (
		inv     *inventory.Inventory
		discErr error
	)
	// Discovery runs next to the engines: it is the other slow half of an
	// audit, and only the comparison at the end needs it.
	discovered := make(chan struct{})
	go func() {
		defer close(discovered)
		if o.Discover != nil {
			inv, discErr = o.Discover(ctx)
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Parallel)
	dirs := make([]dirOutcome, len(o.Dirs))
	for i, dir := range o.Dirs {
		g.Go(func() error {
			dctx, cancel := gctx, context.CancelFunc(func() {})
			if o.Timeout > 0 {
				dctx, cancel = context.WithTimeout(gctx, o.Timeout)
			}
			defer cancel()
			if mode == ModeLive {
				dirs[i] = readState(dctx, o.Open, dir)
			} else {
				dirs[i] = auditPlan(dctx, o.Open, dir, o.IncludePending)
			}
			if dirs[i].result.Error != "" && errors.Is(dctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
				dirs[i].result.Error = fmt.Sprintf("stopped after --timeout %s: %s", o.Timeout, dirs[i].result.Error)
			}
			// A cancelled run stops; any other failure stays with its
			// directory.
			return ctx.Err()
		})
	}
	werr := g.Wait()
	<-discovered
	if werr != nil {
		return nil, werr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if mode == ModePlan && discErr == nil && throttled(inv) {
		// The plans' refresh shares the account's request quota with the
		// discovery next to it. What that contention refused gets another
		// try now that the engines are done, rather than a partial report.
		inv, discErr = o.Discover(ctx)
	}
	if discErr == nil {
		if err := checkAccounts(dirs, inv); err != nil {
			return nil, err
		}
	}
	var live *liveIndex
	if inv != nil && discErr == nil {
		live = indexInventory(inv)
	}
	if mode == ModeLive {
		if discErr != nil {
			return nil, fmt.Errorf("discovering live resources: %w", discErr)
		}
		for i := range dirs {
			if dirs[i].result.Error == "" {
				dirs[i].managed, dirs[i].findings = fromState(dirs[i].result.Dir, dirs[i].state, live)
			}
		}
	}
	return assemble(mode, now().UTC(), dirs, inv, live, discErr, o), nil
}

func throttled(inv *inventory.Inventory) bool {
	return inv != nil && slices.ContainsFunc(inv.Errors, func(e inventory.Error) bool { return e.Throttled })
}

// dirOutcome is the result of one directory before assembly.
type dirOutcome struct {
	result   DirResult
	state    *tfjson.State // live mode, until compared
	managed  []stateResource
	findings []Finding
	// accounts are the AWS accounts the directory's ARNs name, each with
	// the address of a resource that names it.
	accounts map[string]string
}

// openDir opens dir's engine; a nil engine means out already holds the
// directory's failure.
func openDir(ctx context.Context, open Opener, dir string) (Engine, dirOutcome) {
	out := dirOutcome{result: DirResult{Dir: dir}}
	eng, name, err := open(ctx, dir)
	if err != nil {
		out.result.Error = err.Error()
		return nil, out
	}
	out.result.Engine = name
	return eng, out
}

func auditPlan(ctx context.Context, open Opener, dir string, pending bool) (out dirOutcome) {
	var eng Engine
	eng, out = openDir(ctx, open, dir)
	if eng == nil {
		return out
	}
	defer closeEngine(eng, &out)
	var (
		refresh, normal *tfjson.Plan
		unchanged       *tfjson.State
	)
	err := engine.WithInit(ctx, eng, dir, true, func() error {
		var err error
		refresh, unchanged, err = refreshOnly(ctx, eng)
		return err
	})
	if err == nil && pending {
		// -refresh=false compares configuration with state as stored;
		// live changes are already reported from the refresh-only plan.
		normal, err = eng.Plan(ctx, tfexec.Refresh(false), tfexec.Lock(false))
	}
	if err != nil {
		out.result.Error = err.Error()
		return out
	}
	out.managed, out.findings = fromPlans(dir, refresh, unchanged, normal)
	out.accounts = planAccounts(out.managed, refresh)
	return out
}

// closeEngine removes the engine's temporary files; failing to is the
// directory's failure, so that leftovers are not silent.
func closeEngine(eng Engine, out *dirOutcome) {
	if err := eng.Close(); err != nil && out.result.Error == "" {
		out.result.Error = err.Error()
	}
}

// refreshOnly runs the refresh-only plan and, next to it, reads the state.
// On most nights nothing drifted: the engine says so (-detailed-exitcode),
// the state read (which overlaps the plan) is then all the audit needs, and
// the plan is never shown; showing it would take about a sixth of the
// plan's own time again, after it. When something changed, the state read
// is stopped and the plan shown. Exactly one of the plan and the state is
// returned.
func refreshOnly(ctx context.Context, eng Engine) (*tfjson.Plan, *tfjson.State, error) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type read struct {
		st  *tfjson.State
		err error
	}
	state := make(chan read, 1)
	go func() {
		st, err := eng.State(sctx)
		state <- read{st, err}
	}()
	plan, err := eng.PlanIfChanged(ctx, tfexec.RefreshOnly(true), tfexec.Lock(false))
	if err != nil || plan != nil {
		cancel()
		<-state // no engine process outlives the directory's audit
		return plan, nil, err
	}
	r := <-state
	if r.err != nil {
		return nil, nil, r.err
	}
	return nil, r.st, nil
}

// readState is live mode's engine half: show -json of the state.
func readState(ctx context.Context, open Opener, dir string) (out dirOutcome) {
	var eng Engine
	eng, out = openDir(ctx, open, dir)
	if eng == nil {
		return out
	}
	defer closeEngine(eng, &out)
	err := engine.WithInit(ctx, eng, dir, true, func() error {
		var err error
		out.state, err = eng.State(ctx)
		return err
	})
	if err != nil {
		out.result.Error = err.Error()
		return out
	}
	if out.state != nil && out.state.Values != nil {
		out.accounts = planAccounts(stateResources(out.state.Values.RootModule, ""), nil)
	}
	return out
}

func percent(managed, unmanaged int) *float64 {
	p := 100.0
	if managed+unmanaged > 0 {
		// One decimal, so reports are stable and readable.
		p = float64(int(float64(managed)*1000/float64(managed+unmanaged)+0.5)) / 10
	}
	return &p
}

// sortFindings orders by class, then account, region, type, import id and directory,
// so reports are stable run to run.
func sortFindings(fs []Finding) {
	rank := map[Class]int{}
	for i, c := range Classes {
		rank[c] = i
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if d := rank[a.Class] - rank[b.Class]; d != 0 {
			return d
		}
		return cmpStrings(a.Account, b.Account, a.Region, b.Region, a.Type, b.Type, a.ImportID, b.ImportID, a.Dir, b.Dir, a.Address, b.Address)
	})
}

func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}
