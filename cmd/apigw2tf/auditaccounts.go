package main

import (
	"context"
	"errors"
	"os"
	"slices"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/config"
	"github.com/apigw2tf/apigw2tf/internal/shard"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// severalAccounts reports whether the audit covers the accounts of an
// inventory, each in its own directories: those of --dir-template, or
// accounts[].dirs of the configuration file.
func (f auditFlags) severalAccounts(cfg *config.Config) bool {
	if f.dirTemplate != "" {
		return true
	}
	return f.inventory != "" && len(f.dirs) == 0 && cfg != nil &&
		slices.ContainsFunc(cfg.Accounts, func(a config.Account) bool { return len(a.Dirs) > 0 })
}

// accountAudit is an audit of several accounts before it runs: the
// accounts with the directories they have, those the organization skipped,
// each account weighed for --shard, and the shard a sharded discovery
// recorded in the inventory.
type accountAudit struct {
	targets  []audit.AccountTarget
	skipped  []audit.SkippedAccount
	units    []shard.Unit
	recorded *inventory.ShardRef
}

// auditAccountTargets reads an inventory of several accounts and finds
// each account's directories: by the template generate laid them out with,
// else by accounts[].dirs, matched by account name. Each account is audited
// against its own discovery, so a fresh `apigw2tf discover` before the
// audit finds what changed since.
func auditAccountTargets(f auditFlags, cfg *config.Config) (*accountAudit, error) {
	if f.inventory == "" {
		return nil, errors.New("--dir-template needs --inventory: discover the accounts first with `apigw2tf discover -o inventory.json`")
	}
	if len(f.dirs) > 0 {
		return nil, errors.New("--dir-template finds the directories itself; drop --dir")
	}
	all, err := inventory.ReadAccountsFile(f.inventory)
	if err != nil {
		return nil, err
	}
	byAccount := map[string][]string{}
	layout := map[string]int{} // directories per account id, existing or not
	if f.dirTemplate != "" {
		dirs, err := generate.AccountDirs(all, f.dirTemplate)
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			layout[d.Account.ID]++
			if fi, err := os.Stat(d.Dir); err == nil && fi.IsDir() {
				byAccount[d.Account.ID] = append(byAccount[d.Account.ID], d.Dir)
			}
		}
	} else {
		byName := map[string][]string{}
		for _, a := range cfg.Accounts {
			byName[a.Name] = a.Dirs
		}
		for _, a := range all.Accounts {
			byAccount[a.ID] = byName[a.Name]
			layout[a.ID] = len(byName[a.Name])
		}
	}
	run := &accountAudit{units: layoutUnits(all, layout), recorded: all.Shard}
	for _, a := range all.Accounts {
		t := audit.AccountTarget{Name: a.Label(), ID: a.ID, RoleARN: a.RoleARN, Error: a.Error, Dirs: byAccount[a.ID]}
		if inv := a.Inventory; inv != nil {
			t.Discover = func(context.Context) (*inventory.Inventory, error) { return inv, nil }
		}
		run.targets = append(run.targets, t)
	}
	for _, s := range all.Skipped {
		run.skipped = append(run.skipped, audit.SkippedAccount{Name: s.Name, ID: s.ID, Status: s.Status, Reason: s.Reason})
	}
	return run, nil
}
