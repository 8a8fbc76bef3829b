package main

import (
	"context"
	"errors"
	"os"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/inventory"
)

// auditAccountTargets reads an inventory of several accounts and finds
// each account's directories by the template generate laid them out with.
// Each account is audited against its own discovery, so a fresh
// `apigw2tf discover` before the audit finds what changed since.
func auditAccountTargets(f auditFlags) ([]audit.AccountTarget, []audit.SkippedAccount, error) {
	if f.inventory == "" {
		return nil, nil, errors.New("--dir-template needs --inventory: discover the accounts first with `apigw2tf discover -o inventory.json`")
	}
	if len(f.dirs) > 0 {
		return nil, nil, errors.New("--dir-template finds the directories itself; drop --dir")
	}
	all, err := inventory.ReadAccountsFile(f.inventory)
	if err != nil {
		return nil, nil, err
	}
	dirs, err := generate.AccountDirs(all, f.dirTemplate)
	if err != nil {
		return nil, nil, err
	}
	byAccount := map[string][]string{}
	for _, d := range dirs {
		if fi, err := os.Stat(d.Dir); err == nil && fi.IsDir() {
			byAccount[d.Account.ID] = append(byAccount[d.Account.ID], d.Dir)
		}
	}
	var targets []audit.AccountTarget
	for _, a := range all.Accounts {
		t := audit.AccountTarget{Name: a.Label(), ID: a.ID, RoleARN: a.RoleARN, Error: a.Error, Dirs: byAccount[a.ID]}
		if inv := a.Inventory; inv != nil {
			t.Discover = func(context.Context) (*inventory.Inventory, error) { return inv, nil }
		}
		targets = append(targets, t)
	}
	var skipped []audit.SkippedAccount
	for _, s := range all.Skipped {
		skipped = append(skipped, audit.SkippedAccount{Name: s.Name, ID: s.ID, Status: s.Status, Reason: s.Reason})
	}
	return targets, skipped, nil
}
