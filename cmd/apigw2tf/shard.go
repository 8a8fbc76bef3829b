package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/inventory"
	"github.com/apigw2tf/apigw2tf/internal/shard"
)

// shardFlags choose the accounts of a several-account run and, when
// sharded, this process's part of them.
type shardFlags struct {
	shard       string
	shards      int
	weights     string
	dirTemplate string
}

func (f *shardFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.shard, "shard", "", "run only shard `I/N` (0-based) of the configuration's accounts, or auto: JOB_COMPLETION_INDEX with --shards, or AWS_BATCH_JOB_ARRAY_INDEX and _SIZE")
	f.registerPlan(fs)
}

// registerPlan registers what the assignment depends on, shared with
// `apigw2tf shards`.
func (f *shardFlags) registerPlan(fs *pflag.FlagSet) {
	fs.IntVar(&f.shards, "shards", 0, "number of shards N; required with a Kubernetes Indexed Job (its completions)")
	fs.StringVar(&f.weights, "weights", "", "JSON `file` weighing accounts: a previous sharded or merged report.json (managed resources), or an inventory; default: directories per account")
	fs.StringVar(&f.dirTemplate, "dir-template", "", "directories of each account, e.g. infra/{account_name} or infra/{account_name}/{region}: audits every account of the configuration file")
}

// active reports whether the command runs several accounts.
func (f *shardFlags) active() bool { return f.shard != "" || f.dirTemplate != "" }

// units lists the configuration's accounts with their directories and
// weights, in file order.
func (f *shardFlags) units(cfg *config.Config) ([]shard.Unit, map[string][]string, error) {
	if cfg == nil || len(cfg.Accounts) == 0 {
		return nil, nil, fmt.Errorf("a several-account run takes its accounts from the configuration file's accounts list; pass --config FILE or create ./%s", config.DefaultFile)
	}
	if f.dirTemplate == "" {
		return nil, nil, errors.New("--dir-template is missing: name each account's directories, e.g. --dir-template 'infra/{account_name}'")
	}
	units := make([]shard.Unit, len(cfg.Accounts))
	dirs := map[string][]string{}
	for i, a := range cfg.Accounts {
		d, err := shard.Dirs(f.dirTemplate, a.Name)
		if err != nil {
			return nil, nil, err
		}
		dirs[a.Name] = d
		units[i] = shard.Unit{Name: a.Name, Weight: len(d)}
	}
	if f.weights != "" {
		w, err := shard.ReadWeights(f.weights)
		if err != nil {
			return nil, nil, err
		}
		units = w.Apply(units)
	}
	return units, dirs, nil
}

// selected returns the accounts this process runs: its shard's, or all.
func (f *shardFlags) selected(units []shard.Unit) ([]shard.Unit, *audit.ShardRef, error) {
	if f.shard == "" {
		if f.shards != 0 {
			return nil, nil, errors.New("--shards needs --shard I/N or --shard auto")
		}
		return units, nil, nil
	}
	spec, err := shard.Parse(f.shard, f.shards, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	a, err := shard.Assign(units, spec.Count)
	if err != nil {
		return nil, nil, err
	}
	return a.Of(spec.Index), &audit.ShardRef{Index: spec.Index, Count: spec.Count}, nil
}

// auditFlagsOnly is the audit command's flags without the discovery ones:
// in a several-account run the configuration's discovery settings apply
// per account (accountDiscovery), not to the command.
func auditFlagsOnly(all, discoverSet *pflag.FlagSet) *pflag.FlagSet {
	view := pflag.NewFlagSet("audit", pflag.ContinueOnError)
	all.VisitAll(func(fl *pflag.Flag) {
		if discoverSet.Lookup(fl.Name) == nil {
			view.AddFlag(fl)
		}
	})
	return view
}

// accountDiscovery builds the discovery of one configured account as
// `--account NAME` would: the file's settings for it, under the discovery
// flags given on the command line.
func accountDiscovery(s streams, cfg *config.Config, name string, cmdline *pflag.FlagSet) (audit.Discoverer, error) {
	df := newDiscoverFlags(s)
	fs := pflag.NewFlagSet("discover", pflag.ContinueOnError)
	df.register(fs)
	var err error
	cmdline.Visit(func(fl *pflag.Flag) {
		dst := fs.Lookup(fl.Name)
		if dst == nil || err != nil {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			err = dst.Value.(pflag.SliceValue).Replace(sv.GetSlice())
			dst.Changed = true
			return
		}
		err = fs.Set(fl.Name, fl.Value.String())
	})
	if err != nil {
		return nil, err
	}
	if err := fs.Set(accountFlag, name); err != nil {
		return nil, err
	}
	if err := cfg.ApplyTo(fs, "discover"); err != nil {
		return nil, err
	}
	do, err := df.options()
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", name, err)
	}
	return func(ctx context.Context) (*inventory.Inventory, error) { return discover.Run(ctx, do) }, nil
}

// runAuditAccounts is audit over the configuration's accounts, all or one
// shard of them, each with its own discovery and directories.
func runAuditAccounts(ctx context.Context, s streams, cmd *cobra.Command, f auditFlags, sf shardFlags, df *discoverFlags, discoverSet *pflag.FlagSet) error {
	cfg, err := config.FromFlags(cmd.Flags())
	if err != nil {
		return configError(s, configPath(cmd.Flags()), err)
	}
	if cfg != nil {
		if err := cfg.ApplyTo(auditFlagsOnly(cmd.Flags(), discoverSet), "audit"); err != nil {
			return err
		}
	}
	switch {
	case cmd.Flags().Changed(accountFlag):
		return errors.New("--account picks one account; a run with --shard or --dir-template takes the configuration's accounts, so drop --account")
	case cmd.Flags().Changed("dir"):
		return errors.New("--dir cannot be combined with --dir-template; the template names each account's directories")
	case f.codify != "":
		return errors.New("--codify edits the directories of one audit; run it without --shard or --dir-template, per account")
	case f.inventory != "":
		return errors.New("--inventory holds one account; a run with --shard or --dir-template discovers each account itself, so drop --inventory")
	}
	units, dirs, err := sf.units(cfg)
	if err != nil {
		return err
	}
	mine, ref, err := sf.selected(units)
	if err != nil {
		return err
	}
	// options checks the rest; the accounts bring their own directories
	// and discoveries.
	common := f
	common.dirs, common.noDiscover = nil, true
	opts, formats, failOn, err := common.options(nil, df, pflag.NewFlagSet("none", pflag.ContinueOnError))
	if err != nil {
		return err
	}
	runs := make([]audit.AccountRun, len(mine))
	for i, u := range mine {
		runs[i] = audit.AccountRun{Name: u.Name, Dirs: dirs[u.Name]}
		if !f.noDiscover {
			if runs[i].Discover, err = accountDiscovery(s, cfg, u.Name, discoverSet); err != nil {
				return err
			}
		}
	}
	if f.outDir != "" {
		if err := audit.CheckOutDir(f.outDir); err != nil {
			return err
		}
	}
	rep, err := audit.RunAccounts(ctx, runs, opts, ref)
	if err != nil {
		return err
	}
	return writeAndExit(s, rep, formats, failOn, f.outDir, f.allowEmpty, "audit is partial: some accounts, directories or regions failed; see the report")
}

func newShardsCmd(s streams) *cobra.Command {
	var sf shardFlags
	cmd := &cobra.Command{
		Use:   "shards",
		Short: "Print which shard runs which account, and each shard's weight",
		Long: `shards prints the assignment that audit --shard I/N uses for the accounts of
the configuration file: each account's shard and weight, and each shard's
total, so an operator can size N before running the shards (docs/scale.md).

The weight of an account is its managed resources from --weights (a report
of a previous sharded or merged audit, or an inventory), else the number of
its directories under --dir-template. The same accounts and weights always
give the same assignment, and adding an account moves few others.`,
		Example: `  apigw2tf shards -c apigw2tf.yaml --shards 4 --dir-template 'infra/{account_name}'
  apigw2tf shards --shards 8 --dir-template 'infra/{account_name}/{region}' --weights reports/report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.FromFlags(cmd.Flags())
			if err != nil {
				return configError(s, configPath(cmd.Flags()), err)
			}
			if sf.shards < 1 {
				return errors.New("--shards N is required; pass the number of shards to plan for")
			}
			units, _, err := sf.units(cfg)
			if err != nil {
				return err
			}
			a, err := shard.Assign(units, sf.shards)
			if err != nil {
				return err
			}
			return printAssignment(s, a)
		},
	}
	sf.registerPlan(cmd.Flags())
	return cmd
}

func printAssignment(s streams, a shard.Assignment) error {
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tSHARD\tWEIGHT")
	for i, u := range a.Units {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", u.Name, a.Shard[i], max(u.Weight, 1))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "SHARD\tACCOUNTS\tWEIGHT")
	loads := a.Loads()
	total := 0
	for i, l := range loads {
		fmt.Fprintf(tw, "%d\t%d\t%d\n", i, len(a.Of(i)), l)
		total += l
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	largest := 0
	for _, l := range loads {
		largest = max(largest, l)
	}
	even := float64(total) / float64(a.Count)
	_, err := fmt.Fprintf(s.out, "\ntotal weight %d; largest shard %d, %.2f× the even share %.1f\n", total, largest, float64(largest)/max(even, 1), even)
	return err
}
