package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/internal/inventory"
)

// auditFlags are the audit command's flags before validation.
type auditFlags struct {
	dirs           []string
	noDiscover     bool
	parallel       int
	mode           string
	includePending bool
	inventory      string
	ignore         string
	baseline       string
	failOn         string
	formats        string
	outDir         string
	redact         []string
	terraformBin   string
	timeout        time.Duration
	allowEmpty     bool
}

func newAuditCmd(s streams) *cobra.Command {
	var f auditFlags
	df := newDiscoverFlags(s)
	discoverSet := pflag.NewFlagSet("discover", pflag.ContinueOnError)
	df.register(discoverSet)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Report drift between state, configuration and live API Gateway V2 resources",
		Long: `audit runs a read-only refresh-only plan (plan -refresh-only -lock=false) in each
working directory and reports APIs, stages, authorizers, integrations and
routes that changed or were deleted
outside Terraform; init -input=false runs first when a directory is not
initialised, or when the engine says its initialisation is stale. Next to the plans it discovers the account (the discover
flags, or a saved --inventory) to list live resources that no audited state
manages, what quick create made (it cannot be imported), and coverage per
region; --no-discover skips that. It never applies, imports or writes state.

--mode live skips the plan: it compares each state with the discovery, which
is much faster and reports the same findings.

Ignore file (--ignore), YAML:
  ignore:
    - address: "aws_apigatewayv2_stage.*"   # resource address glob
      attributes: ["deployment_id", "tags"] # omit to ignore the whole resource
    - import_id: "abc123/*"
      classes: [unmanaged]

Every flag can also come from the audit section (and the discovery settings)
of the configuration file (--config, else ./apigw2tf.yaml when it exists),
including ignore rules written inline; flags given on the command line win.
With several accounts in the file, --account NAME picks the one to discover.

init never writes into a directory: when one is needed, it runs in a
temporary copy of the directory (without .terraform/), so the lock file,
state and everything else keep their bytes.

Each directory has --timeout to finish (init, plans and state reads); one
that runs out fails alone, and the audit is partial.

Exit codes: 0 no drift, 1 error (also: no directory could be audited, or a
directory has no API or stage in its state, unless --allow-empty), 2 drift
(per --fail-on), 3 partial (a directory or region failed; the reports cover
the rest). The reports are written whenever the directories were audited,
also for those two errors.`,
		Example: `  apigw2tf audit --dir infra/ --region us-east-1,eu-west-1
  apigw2tf audit --dir infra/prod --dir infra/staging --inventory inventory.json --format text,html,json --out-dir reports/
  apigw2tf audit -c deploy/apigw2tf.yaml --account prod --baseline reports/report.json --fail-on new --format markdown,junit --out-dir reports/
  apigw2tf audit --dir infra/ --mode live --redact stage_variables,tags
  apigw2tf audit --dir infra/ --no-discover --include-pending`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := applyConfig(s, cmd)
			if err != nil {
				return err
			}
			return runAudit(cmd.Context(), s, cfg, f, df, discoverSet)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVar(&f.dirs, "dir", nil, "working directory to audit (repeatable)")
	fs.IntVar(&f.parallel, "parallel", 4, "directories audited at once")
	fs.StringVar(&f.mode, "mode", audit.ModePlan, "plan (refresh-only plan per directory) or live (state versus discovery, no plan)")
	fs.BoolVar(&f.includePending, "include-pending", false, "also report configuration that differs from state (a normal plan with -refresh=false)")
	fs.StringVar(&f.inventory, "inventory", "", "inventory JSON `file` from apigw2tf discover, used instead of discovering (discover flags)")
	fs.BoolVar(&f.noDiscover, "no-discover", false, "skip discovery: no unmanaged resources, no coverage (plan mode only)")
	fs.StringVar(&f.ignore, "ignore", "", "YAML file of ignore rules (see above)")
	fs.StringVar(&f.baseline, "baseline", "", "previous JSON report; findings in it are marked known")
	fs.StringVar(&f.failOn, "fail-on", string(audit.FailOnAny), "exit 2 on any drift finding (any) or only findings not in the baseline (new)")
	fs.StringVar(&f.formats, "format", "text", "report formats, comma-separated: "+strings.Join(audit.Formats, ","))
	fs.StringVar(&f.outDir, "out-dir", "", "directory for the reports (report.txt, report.json, report.md, report-junit.xml, report.html); created if missing, its parent must exist")
	fs.StringSliceVar(&f.redact, "redact", nil, "top-level attributes whose values are masked in reports, e.g. stage_variables,tags; tags covers tags_all (default tags too), and a masked value is masked wherever it shows")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Minute, "time limit per directory (init, plans, state reads); 0 = none")
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "a directory whose state holds no API or stage is a warning only, not an error (exit 1)")
	fs.StringVar(&f.terraformBin, "terraform-bin", "", "engine binary (tofu or terraform); default $"+engine.EnvBinary+", then tofu, then terraform on PATH")
	fs.AddFlagSet(discoverSet)
	return cmd
}

func runAudit(ctx context.Context, s streams, cfg *config.Config, f auditFlags, df *discoverFlags, discoverSet *pflag.FlagSet) error {
	opts, formats, failOn, err := f.options(cfg, df, discoverSet)
	if err != nil {
		return err
	}
	if len(formats) > 1 && f.outDir == "" {
		return errors.New("--format with several formats needs --out-dir")
	}
	if f.outDir != "" {
		if err := audit.CheckOutDir(f.outDir); err != nil {
			return err
		}
	}
	rep, err := audit.Run(ctx, opts)
	if err != nil {
		return err
	}
	if f.outDir == "" {
		if err := audit.Render(s.out, rep, formats[0]); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
	} else {
		if slices.Contains(formats, "text") {
			if err := audit.Render(s.out, rep, "text"); err != nil {
				return fmt.Errorf("writing report: %w", err)
			}
		}
		paths, err := audit.WriteReports(rep, formats, f.outDir)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintf(s.err, "wrote %s\n", p)
		}
	}
	switch rep.ExitCode(failOn, f.allowEmpty) {
	case audit.ExitError:
		if rep.NothingAudited() {
			return errors.New("audit failed: no directory could be audited; see the report")
		}
		return fmt.Errorf("nothing to audit in %s: no API or stage in the state; check --dir and the state's backend, or pass --allow-empty", strings.Join(rep.EmptyDirs(), ", "))
	case audit.ExitPartial:
		return withCode(exitPartial, errors.New("audit is partial: some directories or regions failed; see the report"))
	case audit.ExitDrift:
		return withCode(exitDrift, nil)
	}
	return nil
}

// options turns flags into audit options, reading every input file up
// front so a typo fails before any plan runs.
func (f auditFlags) options(cfg *config.Config, df *discoverFlags, discoverSet *pflag.FlagSet) (audit.Options, []string, audit.FailOn, error) {
	o := audit.Options{Dirs: f.dirs, Parallel: f.parallel, Mode: f.mode, IncludePending: f.includePending, Redact: f.redact, Timeout: f.timeout}
	formats, err := audit.ParseFormats(f.formats)
	if err != nil {
		return o, nil, "", err
	}
	failOn, err := audit.ParseFailOn(f.failOn)
	if err != nil {
		return o, nil, "", err
	}
	if f.parallel < 1 {
		return o, nil, "", fmt.Errorf("--parallel %d is not valid; use 1 or more", f.parallel)
	}
	switch {
	case f.ignore != "":
		if o.Ignore, err = audit.LoadIgnoreRules(f.ignore); err != nil {
			return o, nil, "", err
		}
	case cfg != nil && len(cfg.Audit.IgnoreRules) > 0:
		// Inline rules have no flag; an --ignore file replaces them.
		o.Ignore = inlineIgnoreRules(cfg.Audit.IgnoreRules)
	}
	if f.baseline != "" {
		if o.Baseline, err = audit.ReadReport(f.baseline); err != nil {
			return o, nil, "", fmt.Errorf("--baseline: %w", err)
		}
	} else if failOn == audit.FailOnNew {
		return o, nil, "", errors.New("--fail-on new needs --baseline (a previous JSON report)")
	}
	// The output flags share the set but say nothing about what to discover.
	output := map[string]bool{"quiet": true, "log-level": true, "log-format": true}
	var changed []string
	discoverSet.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed && !output[fl.Name] {
			changed = append(changed, "--"+fl.Name)
		}
	})
	switch {
	case f.noDiscover && f.inventory != "":
		return o, nil, "", errors.New("--no-discover cannot be combined with --inventory; drop one or the other")
	case f.noDiscover && len(changed) > 0:
		return o, nil, "", fmt.Errorf("--no-discover cannot be combined with discover flags (%s); drop one or the other", strings.Join(changed, ", "))
	case f.noDiscover:
	case f.inventory != "":
		if len(changed) > 0 {
			return o, nil, "", fmt.Errorf("--inventory cannot be combined with discover flags (%s); drop one or the other", strings.Join(changed, ", "))
		}
		inv, err := inventory.ReadFile(f.inventory)
		if err != nil {
			return o, nil, "", fmt.Errorf("--inventory: %w", err)
		}
		o.Discover = func(context.Context) (*inventory.Inventory, error) { return inv, nil }
	default:
		do, err := df.options()
		if err != nil {
			return o, nil, "", err
		}
		o.Discover = func(ctx context.Context) (*inventory.Inventory, error) { return discover.Run(ctx, do) }
	}
	bin, err := engine.Find(f.terraformBin)
	if err != nil {
		return o, nil, "", err
	}
	o.Open = auditOpener(bin)
	return o, formats, failOn, nil
}

// inlineIgnoreRules converts the rules written in the configuration file,
// which config.Load has already checked like an ignore file.
func inlineIgnoreRules(rules []config.IgnoreRule) *audit.IgnoreRules {
	out := &audit.IgnoreRules{Rules: make([]audit.IgnoreRule, len(rules))}
	for i, r := range rules {
		classes := make([]audit.Class, len(r.Classes))
		for j, c := range r.Classes {
			classes[j] = audit.Class(c)
		}
		out.Rules[i] = audit.IgnoreRule{Address: r.Address, ImportID: r.ImportID, Attributes: r.Attributes, Classes: classes, Reason: r.Reason}
	}
	return out
}

// auditOpener prepares a runner per directory like engine.Open, but asks
// the binary what it is only once: every engine process costs a few
// hundred milliseconds, which is a tenth of a live-mode audit.
func auditOpener(bin string) audit.Opener {
	var once sync.Once
	var name string
	return func(ctx context.Context, dir string) (audit.Engine, string, error) {
		once.Do(func() { name = engine.Identify(ctx, bin) })
		r, err := engine.OpenNamed(dir, bin, name)
		if err != nil {
			return nil, "", err
		}
		return r, name, nil
	}
}
