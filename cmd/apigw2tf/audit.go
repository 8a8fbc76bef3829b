package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/codify"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
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
	// fileFormats and ignoreRules are audit.formats and inline
	// audit.ignore rules of the configuration file; no flag holds them.
	fileFormats  []string
	ignoreRules  []audit.IgnoreRule
	terraformBin string
	timeout      time.Duration
	allowEmpty   bool
	codify       string
	dirTemplate  string
}

func newAuditCmd(s streams) *cobra.Command {
	var (
		f  auditFlags
		sf shardFlags
	)
	df, discoverSet := discoverFlagSet(s)
	ff := df.refs // the flags the configuration file sets
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Report drift between state, configuration and live API Gateway V2 resources",
		Long: `audit runs a read-only refresh-only plan (plan -refresh-only -lock=false) in each
working directory and reports APIs, stages, authorizers, integrations and
routes that changed or were deleted outside Terraform; init -input=false runs
first when a directory is not initialised, or when the engine says its
initialisation is stale. Next to the plans it discovers the account (the discover
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

--dir-template audits every account of a several-account --inventory (from
apigw2tf discover) at once, in the directories generate --dir-template laid
out: each account against its own discovery, so unmanaged is per account;
coverage per account, per region and in total; the account named on every
finding; an account that failed at discovery makes the audit partial. Without
--dir-template, accounts[].dirs of the configuration file name each account's
directories.

init never writes into a directory: when one is needed, it runs in a
temporary copy of the directory (without .terraform/), so the lock file,
state and everything else keep their bytes.

Each directory has --timeout to finish (init, plans and state reads); one
that runs out fails alone, and the audit is partial.

--codify keeps console changes: for every changed finding it edits the
resource block in the audited directory so that the configuration holds the
live value at exactly the drifted paths (comments, expressions and layout
around them stay); a deleted resource's block becomes a removed block with
lifecycle { destroy = false } (Terraform >= 1.7, OpenTofu >= 1.10); unmanaged
resources get import blocks and HCL from generate (one --dir only).
Attributes set by an expression, redacted or sensitive values and ignored
findings are never written: they are listed as needing a person. patch
writes codify.patch into --out-dir and changes nothing; write edits the
files atomically. Neither touches state: review, then plan and apply.

Exit codes: 0 no drift, 1 error (also: no directory could be audited, or a
directory has no API or stage in its state, unless --allow-empty), 2 drift
(per --fail-on), 3 partial (a directory or region failed; the reports cover
the rest). The reports are written whenever the directories were audited,
also for those two errors.`,
		Example: `  apigw2tf audit --dir infra/ --region us-east-1,eu-west-1
  apigw2tf audit --dir infra/prod --dir infra/staging --inventory inventory.json --format text,html,json --out-dir reports/
  apigw2tf audit -c deploy/apigw2tf.yaml --account prod --baseline reports/report.json --fail-on new --format markdown,junit --out-dir reports/
  apigw2tf audit --dir infra/ --mode live --redact stage_variables,tags
  apigw2tf audit --dir infra/ --no-discover --include-pending
  apigw2tf audit --dir infra/ --region us-east-1 --codify patch --format markdown --out-dir reports/
  apigw2tf audit --inventory org-inventory.json --dir-template 'infra/{account_name}/{region}' --format text,html,json --out-dir reports/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := withConfig(s, cmd, ff, func(c *config.Config) error { return auditFromConfig(c, ff, df, &f) })
			if err != nil {
				return err
			}
			return runAudit(cmd.Context(), s, cfg, f, sf, df)
		},
	}
	f.register(cmd.Flags(), &ff)
	sf.register(cmd.Flags())
	cmd.Flags().AddFlagSet(discoverSet)
	return cmd
}

func (f *auditFlags) register(fs *pflag.FlagSet, ff *flagRefs) {
	ff.Dir = flagVar(fs, fs.StringArrayVar, &f.dirs, "dir", nil, "working directory to audit (repeatable)")
	ff.Parallel = flagVar(fs, fs.IntVar, &f.parallel, "parallel", audit.DefaultParallel, "directories audited at once")
	ff.Mode = flagVar(fs, fs.StringVar, &f.mode, "mode", string(audit.ModePlan), "plan (refresh-only plan per directory) or live (state versus discovery, no plan)")
	ff.IncludePending = flagVar(fs, fs.BoolVar, &f.includePending, "include-pending", false, "also report configuration that differs from state (a normal plan with -refresh=false)")
	ff.Inventory = flagVar(fs, fs.StringVar, &f.inventory, "inventory", "", "inventory JSON `file` from apigw2tf discover, used instead of discovering (discover flags)")
	ff.NoDiscover = flagVar(fs, fs.BoolVar, &f.noDiscover, "no-discover", false, "skip discovery: no unmanaged resources, no coverage (plan mode only)")
	ff.Ignore = flagVar(fs, fs.StringVar, &f.ignore, "ignore", "", "YAML file of ignore rules (see above)")
	ff.Baseline = flagVar(fs, fs.StringVar, &f.baseline, "baseline", "", "previous JSON report; findings in it are marked known")
	ff.FailOn = flagVar(fs, fs.StringVar, &f.failOn, "fail-on", string(audit.FailOnAny), "exit 2 on any drift finding (any) or only findings not in the baseline (new)")
	ff.Format = flagVar(fs, fs.StringVar, &f.formats, "format", "text", "report formats, comma-separated: "+strings.Join(audit.Formats, ","))
	ff.OutDir = flagVar(fs, fs.StringVar, &f.outDir, "out-dir", "", "directory for the reports (report.txt, report.json, report.md, report-junit.xml, report.html, report.sarif); created if missing, its parent must exist")
	ff.Redact = flagVar(fs, fs.StringSliceVar, &f.redact, "redact", nil, "top-level attributes whose values are masked in reports, e.g. stage_variables,tags; tags covers tags_all (default tags too), and a masked value is masked wherever it shows")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Minute, "time limit per directory (init, plans, state reads); 0 = none")
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "a directory whose state holds no API or stage is a warning only, not an error (exit 1)")
	fs.StringVar(&f.codify, "codify", "", "keep the drift as code: patch (write codify.patch into --out-dir) or write (edit the files); see above")
	fs.StringVar(&f.dirTemplate, "dir-template", "", "audit every account of a several-account --inventory in the directories generate --dir-template laid out, e.g. infra/{account_name}/{region}")
	ff.TerraformBin = flagVar(fs, fs.StringVar, &f.terraformBin, "terraform-bin", "", "engine binary (tofu or terraform); default $"+engine.EnvBinary+", then tofu, then terraform on PATH")
}

func runAudit(ctx context.Context, s streams, cfg *config.Config, f auditFlags, sf shardFlags, df *discoverFlags) error {
	several := f.severalAccounts(cfg)
	if sf.given() && !several {
		return errors.New("--shard splits the accounts of an audit of several accounts; pass a several-account --inventory with --dir-template, or list accounts[].dirs in the configuration file")
	}
	opts, formats, failOn, err := f.options(cfg, df)
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
	var mode codify.Mode
	if f.codify != "" {
		if mode, err = codify.ParseMode(f.codify); err != nil {
			return err
		}
		if mode == codify.ModePatch && f.outDir == "" {
			return errors.New("--codify patch writes codify.patch into --out-dir; pass --out-dir")
		}
	}
	var inv *inventory.Inventory
	if discover := opts.Discover; discover != nil && mode != "" {
		opts.Discover = func(ctx context.Context) (*inventory.Inventory, error) {
			i, err := discover(ctx)
			inv = i
			return i, err
		}
	}
	var rep *audit.Report
	if several {
		if mode != "" {
			return errors.New("--codify edits one account's directories; audit that account alone (--dir) to codify its drift")
		}
		run, terr := auditAccountTargets(f, cfg)
		if terr != nil {
			return terr
		}
		keep, ref, serr := sf.choose(run.units, f.inventory, run.recorded)
		if serr != nil {
			return serr
		}
		rep, err = audit.RunAccounts(ctx, opts, kept(run.targets, keep), run.skipped)
		if rep != nil {
			rep.Shard = ref
		}
	} else {
		rep, err = audit.Run(ctx, opts)
	}
	if err != nil {
		return err
	}
	if mode != "" {
		if err := runCodify(ctx, s, rep, mode, inv, f); err != nil {
			return err
		}
	}
	return writeAndExit(s, rep, formats, failOn, f.outDir, f.allowEmpty, "audit is partial: some accounts, directories or regions failed; see the report")
}

// writeAndExit renders rep as audit does and maps it to the exit code.
func writeAndExit(s streams, rep *audit.Report, formats []string, failOn audit.FailOn, outDir string, allowEmpty bool, partial string) error {
	if outDir == "" {
		if err := audit.Render(s.out, rep, formats[0]); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
	} else {
		if slices.Contains(formats, "text") {
			if err := audit.Render(s.out, rep, "text"); err != nil {
				return fmt.Errorf("writing report: %w", err)
			}
		}
		paths, err := audit.WriteReports(rep, formats, outDir)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintf(s.err, "wrote %s\n", p)
		}
	}
	switch rep.ExitCode(failOn, allowEmpty) {
	case audit.ExitError:
		if rep.NothingAudited() {
			return errors.New("audit failed: no directory could be audited; see the report")
		}
		return fmt.Errorf("nothing to audit in %s: no API or stage in the state; check --dir and the state's backend, or pass --allow-empty", strings.Join(rep.EmptyDirs(), ", "))
	case audit.ExitPartial:
		return withCode(exitPartial, errors.New(partial))
	case audit.ExitDrift:
		return withCode(exitDrift, nil)
	}
	return nil
}

// options turns flags into audit options, reading every input file up
// front so a typo fails before any plan runs.
func (f auditFlags) options(cfg *config.Config, df *discoverFlags) (audit.Options, []string, audit.FailOn, error) {
	o := audit.Options{Dirs: f.dirs, Parallel: f.parallel, Mode: audit.Mode(f.mode), IncludePending: f.includePending, Redact: f.redact, Timeout: f.timeout}
	formats, err := audit.ParseFormats(f.formats)
	if f.fileFormats != nil {
		formats, err = audit.CheckFormats(f.fileFormats)
	}
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
	case len(f.ignoreRules) > 0:
		o.Ignore = &audit.IgnoreRules{Rules: f.ignoreRules}
	}
	if f.baseline != "" {
		if o.Baseline, err = audit.ReadReport(f.baseline); err != nil {
			return o, nil, "", fmt.Errorf("--baseline: %w", err)
		}
	} else if failOn == audit.FailOnNew {
		return o, nil, "", errors.New("--fail-on new needs --baseline (a previous JSON report)")
	}
	changed := df.changedScope()
	switch {
	case f.noDiscover && f.inventory != "":
		return o, nil, "", errors.New("--no-discover cannot be combined with --inventory; drop one or the other")
	case f.noDiscover && len(changed) > 0:
		return o, nil, "", fmt.Errorf("--no-discover cannot be combined with discover flags (%s); drop one or the other", strings.Join(changed, ", "))
	case f.noDiscover:
	case f.inventory != "" && f.severalAccounts(cfg):
		if err := df.checkInventory(); err != nil {
			return o, nil, "", err
		}
		// Each account's discovery comes from the inventory (auditAccountTargets).
	case f.inventory != "":
		if err := df.checkInventory(); err != nil {
			return o, nil, "", err
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
	log, err := df.log.logger(df.s.err)
	if err != nil {
		return o, nil, "", err
	}
	o.Open = auditOpener(bin, log)
	return o, formats, failOn, nil
}

// runCodify codifies the report's findings; each finding then carries its
// diff into every report.
func runCodify(ctx context.Context, s streams, rep *audit.Report, mode codify.Mode, inv *inventory.Inventory, f auditFlags) error {
	bin, err := engine.Find(f.terraformBin)
	if err != nil {
		return err
	}
	ev, err := engineVersion(ctx, bin)
	if err != nil {
		return fmt.Errorf("--codify: %w", err)
	}
	res, err := codify.Run(ctx, rep, codify.Options{
		Mode: mode, Engine: ev, Redact: f.redact, Inventory: inv,
		State: func(ctx context.Context, dir string) (generate.StateReader, func(), error) {
			return engine.OpenState(ctx, dir, bin)
		},
	})
	if err != nil {
		return fmt.Errorf("--codify: %w", err)
	}
	switch {
	case mode == codify.ModePatch:
		p := filepath.Join(f.outDir, codify.PatchFile)
		if err := atomicfile.Write(p, res.Patch, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(s.err, "wrote %s (%d findings codified, %d need a person)\n", p, res.Codified, res.Manual)
	case res.Written:
		for _, p := range res.Files {
			fmt.Fprintf(s.err, "edited %s\n", p)
		}
		fmt.Fprintf(s.err, "%d findings codified, %d need a person; review, then plan and apply\n", res.Codified, res.Manual)
	}
	return nil
}

// auditOpener prepares a runner per directory like engine.Open, but asks
// the binary what it is only once: every engine process costs a few
// hundred milliseconds, which is a tenth of a live-mode audit.
func auditOpener(bin string, log *slog.Logger) audit.Opener {
	var once sync.Once
	var name string
	return func(ctx context.Context, dir string) (audit.Engine, string, error) {
		once.Do(func() { name = engine.Identify(ctx, bin) })
		r, err := engine.OpenNamed(dir, bin, name)
		if err != nil {
			return nil, "", err
		}
		logEngineCommands(r, log)
		return r, name, nil
	}
}
