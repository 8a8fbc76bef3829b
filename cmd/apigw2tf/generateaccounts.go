package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// runGenerateAccounts writes one root module per account (and region) of an
// inventory, each with a provider configuration that reaches its account.
// The layout is checked before any directory is written, so a template
// that maps two accounts to one directory writes nothing. With --shard only
// the shard's accounts are written; the layout of all of them is checked.
func runGenerateAccounts(ctx context.Context, s streams, f generateFlags, names map[string]string) error {
	if f.inventory == "" {
		return errors.New("--dir-template needs --inventory: discover the accounts first with `apigw2tf discover -o inventory.json`")
	}
	if f.prune {
		return errors.New("--prune works on one directory; run it per directory with --dir")
	}
	all, err := inventory.ReadAccountsFile(f.inventory)
	if err != nil {
		return err
	}
	dirs, err := generate.AccountDirs(all, f.dirTemplate)
	if err != nil {
		return err
	}
	layout := map[string]int{}
	for _, d := range dirs {
		layout[d.Account.ID]++
	}
	keep, _, err := f.shard.choose(layoutUnits(all, layout), f.inventory, all.Shard)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, a := range kept(all.Accounts, keep) {
		mine[a.ID] = true
	}
	dirs = slices.DeleteFunc(dirs, func(d generate.AccountDir) bool { return !mine[d.Account.ID] })
	all.Accounts = kept(all.Accounts, keep)
	for _, d := range dirs {
		if fi, err := os.Stat(d.Dir); err == nil && !fi.IsDir() {
			return fmt.Errorf("--dir-template %q: %s exists and is not a directory", f.dirTemplate, d.Dir)
		}
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d.Dir, 0o755); err != nil {
			return fmt.Errorf("creating %s for account %s: %w", d.Dir, d.Account.Label(), err)
		}
		opts := f.options(names)
		opts.Dir, opts.Profile = d.Dir, d.Account.Profile
		if d.Account.RoleARN != "" {
			opts.AssumeRole = &generate.AssumeRole{RoleARN: d.Account.RoleARN, ExternalID: all.ExternalID, SessionName: all.SessionName}
		}
		if err := opts.Validate(); err != nil {
			return err
		}
		r, done, err := engine.OpenState(ctx, d.Dir, f.terraformBin)
		if err != nil {
			return fmt.Errorf("account %s: %w", d.Account.Label(), err)
		}
		if r != nil {
			opts.State = r
		}
		res, err := generate.Run(ctx, d.Inventory, opts)
		done()
		if err != nil {
			return fmt.Errorf("account %s, %s: %w", d.Account.Label(), d.Dir, err)
		}
		fmt.Fprintf(s.out, "account %s (%s) -> %s\n", d.Account.Label(), d.Inventory.Account, d.Dir)
		printGenerate(s, res)
	}
	if failed := all.Failed(); len(failed) > 0 || all.Partial() {
		return withCode(exitPartial, fmt.Errorf("the inventory is partial (%d accounts failed, see its errors); the directories cover what was found", len(failed)))
	}
	return nil
}
