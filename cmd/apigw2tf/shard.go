package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/shard"
)

// shardFlags choose this process's part of the accounts of an audit of
// several accounts.
type shardFlags struct {
	shard   string
	shards  int
	weights string
}

func (f *shardFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.shard, "shard", "", "audit only shard `I/N` (0-based) of the accounts of a several-account audit, or auto: JOB_COMPLETION_INDEX with --shards, or AWS_BATCH_JOB_ARRAY_INDEX and _SIZE")
	f.registerPlan(fs)
}

// registerPlan registers what the assignment depends on, shared with
// `apigw2tf shards`.
func (f *shardFlags) registerPlan(fs *pflag.FlagSet) {
	fs.IntVar(&f.shards, "shards", 0, "number of shards N; required with a Kubernetes Indexed Job (its completions)")
	fs.StringVar(&f.weights, "weights", "", "JSON `file` weighing accounts: a previous sharded or merged report.json (managed resources), or an inventory; default: directories per account")
}

// units weighs the accounts of a several-account audit, in its order.
func (f *shardFlags) units(targets []audit.AccountTarget) ([]shard.Unit, error) {
	units := make([]shard.Unit, len(targets))
	for i, t := range targets {
		units[i] = shard.Unit{Name: t.Name, ID: t.ID, Weight: len(t.Dirs)}
	}
	if f.weights != "" {
		w, err := shard.ReadWeights(f.weights)
		if err != nil {
			return nil, err
		}
		units = w.Apply(units)
	}
	return units, nil
}

// selected returns the accounts this process audits: its shard's, or all.
func (f *shardFlags) selected(targets []audit.AccountTarget) ([]audit.AccountTarget, *audit.ShardRef, error) {
	if f.shard == "" {
		if f.shards != 0 {
			return nil, nil, errors.New("--shards needs --shard I/N or --shard auto")
		}
		return targets, nil, nil
	}
	spec, err := shard.Parse(f.shard, f.shards, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	units, err := f.units(targets)
	if err != nil {
		return nil, nil, err
	}
	a, err := shard.Assign(units, spec.Count)
	if err != nil {
		return nil, nil, err
	}
	var mine []audit.AccountTarget
	for i, t := range targets {
		if a.Shard[i] == spec.Index {
			mine = append(mine, t)
		}
	}
	return mine, &audit.ShardRef{Index: spec.Index, Count: spec.Count}, nil
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
			targets, _, err := auditAccountTargets(af, cfg)
			if err != nil {
				return err
			}
			units, err := sf.units(targets)
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
