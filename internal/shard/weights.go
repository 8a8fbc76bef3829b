package shard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/apigw2tf/apigw2tf/audit"
	"github.com/apigw2tf/apigw2tf/inventory"
)

// Weights are accounts' expected costs by account name or id.
type Weights map[string]int

// ReadWeights reads --weights: a JSON audit report of several accounts
// (a shard's, or a merged one), whose managed count per account is the
// weight, or an inventory, whose APIs and stages are. The cost of an
// audit grows with the resources in state; the inventory is the best guess
// before the first audit.
func ReadWeights(path string) (Weights, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--weights: %w", err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("--weights %s is not JSON: %w; pass a report.json of a sharded audit or an inventory", path, err)
	}
	w := Weights{}
	switch head.Schema {
	case audit.Schema:
		rep, err := audit.DecodeReport(bytes.NewReader(b), path)
		if err != nil {
			return nil, fmt.Errorf("--weights: %w", err)
		}
		if len(rep.Accounts) == 0 {
			return nil, fmt.Errorf("--weights %s is a report of one account and names none; pass the report of a sharded audit or of `apigw2tf report merge`", path)
		}
		for _, a := range rep.Accounts {
			w[a.Name] = a.Managed
			if a.ID != "" {
				w[a.ID] = a.Managed
			}
		}
	case inventory.Schema:
		inv, err := inventory.Decode(bytes.NewReader(b), path)
		if err != nil {
			return nil, fmt.Errorf("--weights: %w", err)
		}
		w[inv.Account] = resources(inv)
	case inventory.SchemaAccounts:
		all, err := inventory.DecodeAccounts(bytes.NewReader(b), path)
		if err != nil {
			return nil, fmt.Errorf("--weights: %w", err)
		}
		for _, a := range all.Accounts {
			if a.Inventory == nil {
				continue
			}
			n := resources(a.Inventory)
			w[a.Label()], w[a.ID] = n, n
		}
	default:
		return nil, fmt.Errorf("--weights %s has schema %q; pass a report.json (%s) or an inventory (%s or %s)", path, head.Schema, audit.Schema, inventory.Schema, inventory.SchemaAccounts)
	}
	return w, nil
}

// Apply sets each unit's weight from w, by name, else by id. Units w does
// not know get the mean of those it does: a new account is guessed to cost
// what an average one costs, not nothing.
func (w Weights) Apply(units []Unit) []Unit {
	out := make([]Unit, len(units))
	var known, sum int
	found := make([]bool, len(units))
	for i, u := range units {
		out[i] = u
		v, ok := w[u.Name]
		if !ok && u.ID != "" {
			v, ok = w[u.ID]
		}
		if ok {
			out[i].Weight, found[i] = v, true
			known++
			sum += v
		}
	}
	mean := 1
	if known > 0 {
		mean = max(1, (sum+known/2)/known)
	}
	for i := range out {
		if !found[i] {
			out[i].Weight = mean
		}
	}
	return out
}

// resources counts an inventory's APIs and stages.
func resources(inv *inventory.Inventory) int {
	n := 0
	for _, api := range inv.APIs {
		n += 1 + len(api.Stages)
	}
	return n
}
