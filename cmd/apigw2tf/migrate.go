package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/migrate"
)

type migrateFlags struct {
	spec  string
	bin   string
	plan  bool
	write bool
	prune bool
	names []string
}

func (f *migrateFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.spec, "spec", "", "migration spec: a YAML file with version: 1 and a migrate list (default: the migrate section of the configuration file)")
	fs.StringVar(&f.bin, "terraform-bin", "", "engine binary (tofu or terraform); default terraform_bin of the configuration file, $"+engine.EnvBinary+", then tofu, then terraform on PATH")
}

func newMigrateCmd(s streams) *cobra.Command {
	var f migrateFlags
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Reshape existing state (rename, split, merge, into a module) by reviewed configuration",
		Long: `migrate moves API Gateway V2 resources that a state already manages: renames
them, moves them into a module, or moves them to another root module. It reads
the moves from the migrate section of the configuration file (or --spec FILE),
applies them in order, and writes configuration a pull request can review:

  same state:     moved blocks, and the resource blocks under their new addresses;
                  references follow them.
  between states: the destination gets import blocks plus the resource blocks
                  carried over verbatim (comments and edits survive); the source
                  loses those blocks and gets removed blocks with
                  lifecycle { destroy = false }.

Without --write (the default, --plan) it prints what goes where, address by
address, and writes nothing. --write writes each file atomically, destination
files first. --prune removes the moved, import and removed blocks in
migrated.tf that the states show are done. Moving between states needs
Terraform >= 1.7 or OpenTofu >= 1.10, which forget a resource by
configuration; migrate refuses older engines.

Then run 'apigw2tf migrate verify', apply the destination, then the source.

Exit codes: 0 done, 1 error.`,
		Example: `  apigw2tf migrate                    # the plan: what goes where
  apigw2tf migrate --write
  apigw2tf migrate --spec split.yaml --name a1b2c3d4e5=payments --write
  apigw2tf migrate verify
  apigw2tf migrate --prune --write     # after both sides are applied`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.plan && f.write {
				return errors.New("migrate: --plan and --write exclude each other; pass one")
			}
			return runMigrate(cmd.Context(), s, cmd, f)
		},
	}
	f.register(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&f.plan, "plan", false, "print what goes where and write nothing (the default)")
	fs.BoolVar(&f.write, "write", false, "write the files")
	fs.BoolVar(&f.prune, "prune", false, "remove the moved, import and removed blocks whose move the states show done")
	fs.StringArrayVar(&f.names, "name", nil, "resource name for an API, apiId=name (repeatable); its stages and children take it as prefix")
	cmd.AddCommand(newMigrateVerifyCmd(s))
	return cmd
}

func newMigrateVerifyCmd(s streams) *cobra.Command {
	var f migrateFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove with a plan of every side that the migration only moves, imports and forgets",
		Long: `migrate verify plans every directory the moves name with -lock=false and
reads the plans. It passes only when the sources only forget (or move), the
destinations only import (or move), every forgotten resource is imported
exactly once on another side with the same import id, the planned values after
import equal the source state's values attribute for attribute, and nothing is
created, updated, replaced or destroyed. Each violation is printed with its
directory, address and attribute paths. It never writes state or files.

Exit codes: 0 clean, 1 error, 2 violations.`,
		Example: `  apigw2tf migrate verify
  apigw2tf migrate verify --spec split.yaml --terraform-bin terraform`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMigrateVerify(cmd.Context(), s, cmd, f)
		},
	}
	f.register(cmd)
	return cmd
}

// migrateSetup loads the moves and finds the engine.
func migrateSetup(ctx context.Context, s streams, cmd *cobra.Command, f migrateFlags) ([]migrate.Move, migrate.Opener, migrate.EngineVersion, error) {
	var none migrate.EngineVersion
	path := f.spec
	var cfg *config.Config
	var err error
	if path != "" {
		cfg, err = config.Load(path)
	} else {
		path = configPath(cmd.Flags())
		cfg, err = config.FromFlags(cmd.Flags())
	}
	if err != nil {
		return nil, nil, none, configError(s, path, err)
	}
	if cfg == nil || len(cfg.Migrate) == 0 {
		return nil, nil, none, fmt.Errorf("%s has no migrate section; add one (see docs/migrate.md) or pass --spec FILE", path)
	}
	bin := f.bin
	if bin == "" {
		bin = cfg.TerraformBin
	}
	bin, err = engine.Find(bin)
	if err != nil {
		return nil, nil, none, err
	}
	ev, err := engineVersion(ctx, bin)
	if err != nil {
		return nil, nil, none, err
	}
	open := func(ctx context.Context, dir string) (migrate.Engine, error) {
		return engine.OpenNamed(dir, bin, ev.Name)
	}
	return cfg.Migrate, open, ev, nil
}

// engineVersion names the engine bin and asks its version, for the gates
// on what each engine's configuration language can say.
func engineVersion(ctx context.Context, bin string) (migrate.EngineVersion, error) {
	name := engine.Identify(ctx, bin)
	r, err := engine.OpenNamed(".", bin, name)
	if err != nil {
		return migrate.EngineVersion{}, err
	}
	v, err := r.Version(ctx)
	if err != nil {
		return migrate.EngineVersion{}, err
	}
	return migrate.EngineVersion{Name: name, Version: v}, nil
}

func runMigrate(ctx context.Context, s streams, cmd *cobra.Command, f migrateFlags) error {
	moves, open, ev, err := migrateSetup(ctx, s, cmd, f)
	if err != nil {
		return err
	}
	names, err := migrate.ParseNames(f.names)
	if err != nil {
		return err
	}
	opts := migrate.Options{Moves: moves, Names: names, Engine: ev, Open: open, Write: f.write}
	if f.prune {
		res, err := migrate.Prune(ctx, opts)
		if err != nil {
			return err
		}
		return res.WriteText(s.out)
	}
	res, err := migrate.Run(ctx, opts)
	if err != nil {
		return err
	}
	return res.WriteText(s.out)
}

func runMigrateVerify(ctx context.Context, s streams, cmd *cobra.Command, f migrateFlags) error {
	moves, open, _, err := migrateSetup(ctx, s, cmd, f)
	if err != nil {
		return err
	}
	rep, err := migrate.Verify(ctx, moves, open)
	if err != nil {
		return err
	}
	return printVerdict(s, rep)
}
