package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/discover"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
)

type generateFlags struct {
	inventory     string
	dir           string
	output        string
	layout        string
	prune         bool
	defaultRegion string
	terraformBin  string
	names         []string // apiId=name
	dirTemplate   string
	shard         shardFlags
}

func newGenerateCmd(s streams) *cobra.Command {
	var f generateFlags
	df, discoverSet := discoverFlagSet(s)
	ff := df.refs // the flags the configuration file sets
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write import blocks and minimal HCL for discovered APIs and their children",
		Long: `generate writes an import block and a resource block for every API, stage,
authorizer, integration and route of an inventory (--inventory, or a discovery
run with the discover flags) into --dir, plus providers.tf with one provider
configuration per region unless the directory already declares them. Resource
blocks hold only attributes that differ from the provider's defaults, and refer
to each other (api_id, a route's target and authorizer_id) instead of holding
ids, so the first plan imports with no changes (check with apigw2tf verify).

Resources the directory already manages are skipped and listed: those in the
state and those with an import block in any other *.tf file. A state that is
provably the directory's own terraform.tfstate (no backend, the default
workspace) is read from that file, with no engine; any other is read by the
engine, and in a fresh checkout (no .terraform/) through a read-only init in a
temporary copy, which needs its .terraform.lock.hcl. A state is never taken for
empty.
Names already bound to an import id are reused, never renamed; moved blocks
are followed. Quick-create stages cannot be imported; each is written as a
comment with the reason. Re-running over the same inventory rewrites the same
bytes; blocks of resources already in the state, and blocks of other kinds
added to generate's files, are kept as they are. --prune needs a state.

--dir-template with --shard I/N writes only the directories of shard I's
accounts, each account whole, as audit --shard assigns them (an account
weighs its directories unless --weights says otherwise); an inventory from
discover --shard holds only its shard's accounts, and they are all written.

--name apiId=name sets the resource name of an API, and the prefix of its
stages' names, instead of the one derived from its display name; an API
already bound to an address keeps it. Flags may also come from the
configuration file (--config, else ./apigw2tf.yaml), names from its
generate.names; flags given on the command line win.

Exit codes: 0 written, 1 error, 3 written from a partial inventory.`,
		Example: `  apigw2tf generate --inventory inventory.json --dir infra/
  apigw2tf generate --inventory inventory.json --dir infra/ --layout per-region -o apigw.tf
  apigw2tf generate --region us-east-1,eu-west-1 --dir infra/
  apigw2tf generate --inventory inventory.json --dir infra/ --prune
  apigw2tf generate --inventory inventory.json --dir infra/ --name a1b2c3d4e5=payments
  apigw2tf generate -c deploy/apigw2tf.yaml --account prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := withConfig(s, cmd, ff, func(c *config.Config) error { return generateFromConfig(c, ff, df, &f) })
			if err != nil {
				return err
			}
			names, err := nameOverrides(cfg, f.names)
			if err != nil {
				return err
			}
			return runGenerate(cmd.Context(), s, f, names, df)
		},
	}
	f.register(cmd.Flags(), &ff)
	cmd.Flags().AddFlagSet(discoverSet)
	return cmd
}

func (f *generateFlags) register(fs *pflag.FlagSet, ff *flagRefs) {
	ff.Inventory = flagVar(fs, fs.StringVar, &f.inventory, "inventory", "", "inventory JSON from `apigw2tf discover`; without it generate discovers first (discover flags)")
	ff.Dir = flagVar(fs, fs.StringVar, &f.dir, "dir", ".", "Terraform/OpenTofu root module to write into (must exist)")
	ff.Output = flagVarP(fs, fs.StringVarP, &f.output, "output", "o", generate.DefaultOutput, "file name inside --dir (single layout), else the stem of <stem>.<region|api>.tf")
	ff.Layout = flagVar(fs, fs.StringVar, &f.layout, "layout", string(generate.LayoutSingle), "single, per-region or per-api")
	fs.BoolVar(&f.prune, "prune", false, "remove import blocks whose resources are already in the state")
	fs.StringVar(&f.defaultRegion, "default-region", "", "region of the unaliased provider (default: the directory's provider \"aws\" region, else the inventory's first region)")
	ff.TerraformBin = flagVar(fs, fs.StringVar, &f.terraformBin, "terraform-bin", "", "engine that reads the state of --dir; default $"+engine.EnvBinary+", then tofu, then terraform on PATH")
	fs.StringVar(&f.dirTemplate, "dir-template", "", "with an inventory of several accounts: one root module per account (and region), like infra/{account_name}/{region}; placeholders {account_name}, {account_id}, {region}")
	f.shard.register(fs)
	fs.StringArrayVar(&f.names, "name", nil, "resource name of an API (and prefix of its stages' names) as apiId=name; repeatable, overrides generate.names")
}

// nameOverrides merges generate.names of the file with the --name flags,
// which win per API id.
func nameOverrides(cfg *config.Config, flags []string) (map[string]string, error) {
	var names map[string]string
	if cfg != nil {
		names = maps.Clone(cfg.Generate.Names)
	}
	for _, kv := range flags {
		id, name, ok := strings.Cut(kv, "=")
		if !ok || id == "" || name == "" {
			return nil, fmt.Errorf("--name %q must be apiId=name, like a1b2c3d4e5=payments", kv)
		}
		if names == nil {
			names = map[string]string{}
		}
		names[id] = name
	}
	return names, nil
}

// options are generate's options as the flags (and the configuration
// file, through them) give them; names are nameOverrides'.
func (f generateFlags) options(names map[string]string) generate.Options {
	return generate.Options{
		Dir:           f.dir,
		Output:        f.output,
		Layout:        generate.Layout(f.layout),
		Prune:         f.prune,
		DefaultRegion: f.defaultRegion,
		Names:         names,
	}
}

func runGenerate(ctx context.Context, s streams, f generateFlags, names map[string]string, df *discoverFlags) error {
	if f.dirTemplate != "" {
		return runGenerateAccounts(ctx, s, f, names)
	}
	if f.shard.given() {
		return errors.New("--shard splits the accounts of an inventory of several accounts; pass --dir-template to lay out one root module per account")
	}
	opts := f.options(names)
	if err := opts.Validate(); err != nil {
		return err
	}
	inv, err := loadInventory(ctx, f.inventory, df)
	if err != nil {
		return err
	}
	// A fresh checkout (no .terraform/) may still have a state: it is
	// read from its file or through a read-only init, never taken for "no
	// state".
	r, done, err := engine.OpenState(ctx, f.dir, f.terraformBin)
	if err != nil {
		return err
	}
	defer done()
	if runner, ok := r.(*engine.Runner); ok {
		log, err := df.log.logger(s.err)
		if err != nil {
			return err
		}
		logEngineCommands(runner, log)
	}
	if r != nil {
		opts.State = r
	}
	res, err := generate.Run(ctx, inv, opts)
	if err != nil {
		return err
	}
	printGenerate(s, res)
	for _, id := range res.UnusedNames {
		fmt.Fprintf(s.err, "warning: name override %s=%s (--name or generate.names) is unused: the inventory has no API %s; check the id\n", id, names[id], id)
	}
	if inv.Partial() {
		return withCode(exitPartial, fmt.Errorf("the inventory is partial (failed calls: %d); the configuration covers what was found; see its errors and re-run discover", len(inv.Errors)))
	}
	return nil
}

func loadInventory(ctx context.Context, path string, df *discoverFlags) (*inventory.Inventory, error) {
	if path != "" {
		if err := df.checkInventory(); err != nil {
			return nil, err
		}
		return inventory.ReadFile(path)
	}
	o, err := df.options()
	if err != nil {
		return nil, err
	}
	// An interrupted discovery is not generated from: half an account
	// would look like deleted resources.
	return discover.Run(ctx, o)
}

func printGenerate(s streams, res *generate.Result) {
	w := s.out
	fmt.Fprintf(w, "%d APIs, %d stages, %d authorizers, %d integrations and %d routes to import\n",
		res.APIs, res.Stages, res.Authorizers, res.Integrations, res.Routes)
	if n := res.Models + res.RouteResponses + res.IntegrationResponses; n > 0 {
		fmt.Fprintf(w, "%d models, %d route responses and %d integration responses of WebSocket APIs to import\n",
			res.Models, res.RouteResponses, res.IntegrationResponses)
	}
	if n := res.DomainNames + res.APIMappings + res.VPCLinks; n > 0 {
		fmt.Fprintf(w, "and account-level: domain names %d, API mappings %d, VPC links %d\n", res.DomainNames, res.APIMappings, res.VPCLinks)
	}
	for _, p := range res.Files {
		fmt.Fprintf(w, "wrote %s\n", p)
	}
	for _, p := range res.Removed {
		fmt.Fprintf(w, "removed %s (nothing left to write)\n", p)
	}
	// Every pruned resource is also managed: one line says both.
	pruned := make(map[string]bool, len(res.Pruned))
	for _, a := range res.Pruned {
		pruned[a] = true
	}
	for _, m := range res.Managed {
		switch {
		case pruned[m.Address]:
			fmt.Fprintf(w, "pruned import block of %s (%s): in the state\n", m.Address, m.ImportID)
		case m.Source == "state":
			fmt.Fprintf(w, "already managed: %s (%s) in the state\n", m.Address, m.ImportID)
		default:
			fmt.Fprintf(w, "already managed: %s (%s) by an import block in %s\n", m.Address, m.ImportID, m.Source)
		}
	}
	for _, a := range res.Dropped {
		fmt.Fprintf(w, "dropped %s: neither in the inventory nor in the state\n", a)
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(w, "not imported: %s in %s: %s\n", sk.Describe(), sk.Region, sk.Reason)
	}
}
