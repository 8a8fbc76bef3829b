package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
)

// SchemaAccounts is the version tag of a discovery of several accounts.
// A one-account discovery keeps writing Schema, so existing files,
// pipelines and goldens stay as they are.
const SchemaAccounts = "apigw2tf.inventory/v2"

// Accounts is one discovery of several accounts: each discovered account
// holds a complete one-account Inventory, so a tool that handles one
// account can take it out unchanged.
type Accounts struct {
	Schema     string    `json:"schema"`
	CapturedAt time.Time `json:"captured_at"`
	// Organization is the organization id when the accounts were listed
	// from AWS Organizations.
	Organization string `json:"organization,omitempty"`
	// ExternalID and SessionName went with every AssumeRole; generate
	// writes them into the provider's assume_role blocks. An external id
	// is an identifier, not a secret (AWS IAM documentation).
	ExternalID  string `json:"external_id,omitempty"`
	SessionName string `json:"session_name,omitempty"`
	// Accounts are sorted by name, then id; failed ones stay listed.
	Accounts []Account `json:"accounts"`
	// Skipped are accounts that were not discovered on purpose: not
	// ACTIVE, or excluded.
	Skipped []SkippedAccount `json:"skipped_accounts"`
	// Shard is set when a sharded discovery (discover --shard) wrote the
	// inventory: it then holds only that shard's accounts, which generate
	// and audit take whole instead of assigning them again.
	Shard *ShardRef `json:"shard,omitempty"`
}

// ShardRef names one shard of a sharded run: Index (0-based) of Count.
// Inventories and audit reports record it, so that the shards of one run
// can be told apart and merged.
type ShardRef struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Account is one account of a run. Exactly one of Inventory and Error is
// set.
type Account struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// RoleARN is the role assumed to reach the account; empty when the
	// run's own credentials (or the account's profile) were used.
	RoleARN string `json:"role_arn,omitempty"`
	// Profile is the shared-config profile the account was reached with.
	Profile string `json:"profile,omitempty"`
	// Error says why the account could not be discovered at all, e.g. the
	// role could not be assumed; AWS's message is kept.
	Error     string     `json:"error,omitempty"`
	Inventory *Inventory `json:"inventory,omitempty"`
}

// SkippedAccount is an account of the organization that was not
// discovered, with its Organizations status and why.
type SkippedAccount struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// Label names an account for people: its name, else its id.
func (a Account) Label() string {
	if a.Name != "" {
		return a.Name
	}
	return a.ID
}

// Failed lists the accounts that could not be discovered.
func (all *Accounts) Failed() []Account {
	var out []Account
	for _, a := range all.Accounts {
		if a.Error != "" {
			out = append(out, a)
		}
	}
	return out
}

// Partial reports whether an account failed or an account's discovery is
// partial.
func (all *Accounts) Partial() bool {
	return slices.ContainsFunc(all.Accounts, func(a Account) bool {
		return a.Error != "" || (a.Inventory != nil && a.Inventory.Partial())
	})
}

// Normalize sorts accounts and skipped accounts and normalizes every
// account's inventory, so equal discoveries encode to equal bytes.
func (all *Accounts) Normalize() {
	if all.Schema == "" {
		all.Schema = SchemaAccounts
	}
	slices.SortFunc(all.Accounts, func(a, b Account) int { return cmpJoin(a.Name, b.Name, a.ID, b.ID) })
	slices.SortFunc(all.Skipped, func(a, b SkippedAccount) int { return cmpJoin(a.Name, b.Name, a.ID, b.ID) })
	for i := range all.Accounts {
		if inv := all.Accounts[i].Inventory; inv != nil {
			inv.Normalize()
		}
	}
	if all.Accounts == nil {
		all.Accounts = []Account{}
	}
	if all.Skipped == nil {
		all.Skipped = []SkippedAccount{}
	}
}

// Encode writes the normalized document as indented JSON, one account at a
// time, so the whole organization is never held twice in memory.
func (all *Accounts) Encode(w io.Writer) error {
	all.Normalize()
	head := *all
	head.Accounts = []Account{}
	return encodeStreaming(w, &head, "accounts", len(all.Accounts), func(k int) (any, string) {
		return &all.Accounts[k], "account " + all.Accounts[k].Label()
	})
}

// WriteFile writes the document to path atomically.
func (all *Accounts) WriteFile(path string) error {
	return atomicfile.WriteFunc(path, 0o644, all.Encode)
}

// Validate checks every account's inventory and that no account is listed
// twice.
func (all *Accounts) Validate() error {
	if sh := all.Shard; sh != nil && (sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count) {
		return fmt.Errorf("shard %d/%d is not valid; shards are numbered 0 to N-1; re-run discover --shard", sh.Index, sh.Count)
	}
	ids := map[string]bool{}
	names := map[string]bool{}
	for _, a := range all.Accounts {
		switch {
		case a.ID != "" && ids[a.ID]:
			return fmt.Errorf("account %s is listed twice; remove one entry or re-run discover", a.ID)
		case a.Name != "" && names[a.Name]:
			return fmt.Errorf("account name %q is used twice; remove one entry or re-run discover", a.Name)
		case (a.Error == "") == (a.Inventory == nil):
			return fmt.Errorf("account %s must have either an inventory or an error", a.Label())
		}
		ids[a.ID], names[a.Name] = true, true
		if a.Inventory != nil {
			if err := a.Inventory.Validate(); err != nil {
				return fmt.Errorf("account %s: %w", a.Label(), err)
			}
		}
	}
	return nil
}

// DecodeAccounts reads either schema: a one-account inventory becomes a
// document with that one account (its name empty), so every reader of
// several accounts also reads the files discover wrote before.
func DecodeAccounts(r io.Reader, name string) (*Accounts, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading inventory %s: %w", name, err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("inventory %s is not valid JSON: %w; produce one with `apigw2tf discover -o %s`", name, err, name)
	}
	switch head.Schema {
	case Schema:
		inv, err := Decode(bytes.NewReader(data), name)
		if err != nil {
			return nil, err
		}
		return &Accounts{Schema: SchemaAccounts, CapturedAt: inv.CapturedAt, Skipped: []SkippedAccount{},
			Accounts: []Account{{ID: inv.Account, Inventory: inv}}}, nil
	case SchemaAccounts:
	default:
		return nil, fmt.Errorf("inventory %s has schema %q, want %q or %q; re-run `apigw2tf discover` with this version",
			name, head.Schema, Schema, SchemaAccounts)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var all Accounts
	if err := dec.Decode(&all); err != nil {
		return nil, fmt.Errorf("decoding inventory %s: %w", name, err)
	}
	for _, a := range all.Accounts {
		if a.Inventory != nil && a.Inventory.Schema != Schema {
			return nil, fmt.Errorf("inventory %s: account %s has schema %q, want %q", name, a.Label(), a.Inventory.Schema, Schema)
		}
	}
	all.Normalize()
	if err := all.Validate(); err != nil {
		return nil, fmt.Errorf("inventory %s: %w", name, err)
	}
	return &all, nil
}

// ReadAccountsFile reads an inventory of either schema at path.
func ReadAccountsFile(path string) (*Accounts, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeAccounts(f, path)
}
