package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/shard"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// shardFlags choose this process's part of the accounts of a run of
// several accounts. discover, generate and audit share them and the
// assignment (choose), so that the same --shard over the same accounts and
// weights picks the same accounts in all three.
type shardFlags struct {
	shard   string
	shards  int
	weights string
}

func (f *shardFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.shard, "shard", "", "run only shard `I/N` (0-based) of the accounts, each account whole; or auto: JOB_COMPLETION_INDEX with --shards, or AWS_BATCH_JOB_ARRAY_INDEX and _SIZE (docs/scale.md)")
	f.registerPlan(fs)
}

// registerPlan registers what the assignment depends on, shared with
// `apigw2tf shards`.
func (f *shardFlags) registerPlan(fs *pflag.FlagSet) {
	fs.IntVar(&f.shards, "shards", 0, "number of shards N; required with a Kubernetes Indexed Job (its completions)")
	fs.StringVar(&f.weights, "weights", "", "JSON `file` weighing accounts: a previous sharded or merged report.json (managed resources), or an inventory; default: directories per account (discover: 1)")
}

// given reports whether any shard flag was given.
func (f *shardFlags) given() bool { return f.shard != "" || f.shards != 0 || f.weights != "" }

// weigh applies --weights to units, which carry their default weights.
func (f *shardFlags) weigh(units []shard.Unit) ([]shard.Unit, error) {
	if f.weights == "" {
		return units, nil
	}
	w, err := shard.ReadWeights(f.weights)
	if err != nil {
		return nil, err
	}
	return w.Apply(units), nil
}

// choose returns, for each of units, whether this process runs it, and
// its shard (nil when not sharded). recorded is the shard a sharded
// discovery wrote into the inventory the units come from: that inventory
// holds only its shard's accounts, so they are all taken, and --shard, when
// given, must name the same shard.
func (f *shardFlags) choose(units []shard.Unit, inventoryPath string, recorded *inventory.ShardRef) ([]bool, *inventory.ShardRef, error) {
	all := func() []bool {
		keep := make([]bool, len(units))
		for i := range keep {
			keep[i] = true
		}
		return keep
	}
	if f.shard == "" {
		switch {
		case f.shards != 0:
			return nil, nil, errors.New("--shards needs --shard I/N or --shard auto")
		case f.weights != "":
			return nil, nil, errors.New("--weights weighs the accounts of a sharded run; pass --shard I/N or --shard auto, or drop --weights")
		}
		return all(), recorded, nil
	}
	spec, err := shard.Parse(f.shard, f.shards, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	ref := &inventory.ShardRef{Index: spec.Index, Count: spec.Count}
	if recorded != nil {
		if *recorded != *ref {
			given := "--shard " + f.shard
			if f.shard == shard.Auto {
				given += " is shard " + spec.String()
			}
			return nil, nil, fmt.Errorf("%s, but inventory %s holds only the accounts of shard %d/%d (discover --shard); pass the inventory of shard %s, or drop --shard", given, inventoryPath, recorded.Index, recorded.Count, spec)
		}
		return all(), ref, nil
	}
	units, err = f.weigh(units)
	if err != nil {
		return nil, nil, err
	}
	a, err := shard.Assign(units, spec.Count)
	if err != nil {
		return nil, nil, err
	}
	keep := make([]bool, len(units))
	for i := range units {
		keep[i] = a.Shard[i] == spec.Index
	}
	return keep, ref, nil
}

// kept returns the xs whose keep is true, in order.
func kept[T any](xs []T, keep []bool) []T {
	var out []T
	for i, x := range xs {
		if keep[i] {
			out = append(out, x)
		}
	}
	return out
}

// layoutUnits weighs each account of all by the directories its layout
// gives it (dirs, by account id), whether they exist yet or not: generate
// --shard weighs them before it writes them and audit --shard after, and
// both must pick the same accounts.
func layoutUnits(all *inventory.Accounts, dirs map[string]int) []shard.Unit {
	units := make([]shard.Unit, len(all.Accounts))
	for i, a := range all.Accounts {
		units[i] = shard.Unit{Name: a.Label(), ID: a.ID, Weight: dirs[a.ID]}
	}
	return units
}

func newShardsCmd(s streams) *cobra.Command {
	var (
		sf shardFlags
		af auditFlags
	)
	cmd := &cobra.Command{
		Use:   "shards",
		Short: "Print which shard runs which account, and each shard's weight",
		Long: `shards prints the assignment that audit --shard I/N uses for the accounts of
an audit of several accounts (the accounts of a several-account --inventory,
from a configuration file's accounts or an AWS Organization, with their
directories from --dir-template or accounts[].dirs): each account's shard and
weight, and each shard's total, so an operator can size N before running the
shards (docs/scale.md).

The weight of an account is its managed resources from --weights (a report
of a previous sharded or merged audit, or an inventory), else the number of
its directories. The same accounts and weights always give the same
assignment, and adding an account moves few others.`,
		Example: `  apigw2tf shards --inventory inventory.json --shards 4 --dir-template 'infra/{account_name}'
  apigw2tf shards -c apigw2tf.yaml --inventory inventory.json --shards 8 --weights reports/report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.FromFlags(cmd.Flags())
			if err != nil {
				return configError(s, configPath(cmd.Flags()), err)
			}
			if sf.shards < 1 {
				return errors.New("--shards N is required; pass the number of shards to plan for")
			}
			if !af.severalAccounts(cfg) {
				return errors.New("shards plans an audit of several accounts; pass a several-account --inventory with --dir-template, or list accounts[].dirs in the configuration file")
			}
			run, err := auditAccountTargets(af, cfg)
			if err != nil {
				return err
			}
			if sh := run.recorded; sh != nil {
				return fmt.Errorf("inventory %s holds only the accounts of shard %d/%d (discover --shard); plan with an inventory of every account", af.inventory, sh.Index, sh.Count)
			}
			units, err := sf.weigh(run.units)
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
	fs := cmd.Flags()
	fs.StringVar(&af.inventory, "inventory", "", "several-account inventory JSON `file` from apigw2tf discover, as audit reads it")
	fs.StringVar(&af.dirTemplate, "dir-template", "", "the directories of each account, as audit --dir-template reads them, e.g. infra/{account_name}/{region}")
	sf.registerPlan(fs)
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
