package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// PulledState is the state that `state pull` prints, in the shape of
// `show -json`'s state values but without sensitive-value marks and without
// the provider's schema upgrade of old objects: what callers need who only
// read addresses and the identifying attributes (import ids, tags, names).
//
// It is several times cheaper than State on a large state: `show -json`
// starts the provider to read its schema, then decodes and encodes every
// object, while `state pull` only reads the backend. Needing no provider,
// it succeeds in a directory that was never initialised when the state is
// local; where the engine says init must run first, its error says so
// (InitRequired) and WithInit knows what to do.
//
// When the pulled state holds what only the engine renders faithfully (a
// format other than version 4, objects in the pre-0.12 flat format, string
// keys that need escaping in an address), it falls back to State.
func (r *Runner) PulledState(ctx context.Context) (*tfjson.State, error) {
	raw, err := r.TF.StatePull(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s state pull in %s: %w", r.Name, r.Dir, err)
	}
	if st, ok := decodePulled([]byte(raw)); ok {
		return st, nil
	}
	return r.State(ctx)
}

// pulled is the part of the state file format (version 4, the one every
// engine since Terraform 0.12 writes) that PulledState reads.
type pulled struct {
	Version          int    `json:"version"`
	TerraformVersion string `json:"terraform_version"`
	Resources        []struct {
		Module    string           `json:"module"`
		Mode      string           `json:"mode"`
		Type      string           `json:"type"`
		Name      string           `json:"name"`
		Provider  string           `json:"provider"`
		Instances []pulledInstance `json:"instances"`
	} `json:"resources"`
}

type pulledInstance struct {
	IndexKey       any               `json:"index_key"`
	Status         string            `json:"status"`
	Deposed        string            `json:"deposed"`
	SchemaVersion  uint64            `json:"schema_version"`
	Attributes     map[string]any    `json:"attributes"`
	AttributesFlat map[string]string `json:"attributes_flat"`
	Dependencies   []string          `json:"dependencies"`
}

// decodePulled turns a pulled state into show -json's shape; ok is false
// when only the engine can: see PulledState. An empty pull (no state yet)
// is an empty state.
func decodePulled(raw []byte) (st *tfjson.State, ok bool) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return &tfjson.State{}, true
	}
	var p pulled
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // as terraform-exec decodes show -json
	if err := d.Decode(&p); err != nil || p.Version != 4 {
		return nil, false
	}
	root := &tfjson.StateModule{}
	modules := map[string]*tfjson.StateModule{"": root}
	for _, res := range p.Resources {
		m, ok := module(modules, res.Module)
		if !ok {
			return nil, false
		}
		mode := tfjson.ResourceMode(res.Mode)
		local := res.Type + "." + res.Name
		if mode == tfjson.DataResourceMode {
			local = "data." + local
		}
		if res.Module != "" {
			local = res.Module + "." + local
		}
		for _, in := range res.Instances {
			key, ok := indexKey(in.IndexKey)
			if !ok || in.Attributes == nil && in.AttributesFlat != nil {
				return nil, false
			}
			m.Resources = append(m.Resources, &tfjson.StateResource{
				Address:         local + key,
				Mode:            mode,
				Type:            res.Type,
				Name:            res.Name,
				Index:           in.IndexKey,
				ProviderName:    providerName(res.Provider),
				SchemaVersion:   in.SchemaVersion,
				AttributeValues: in.Attributes,
				DependsOn:       in.Dependencies,
				Tainted:         in.Status == "tainted",
				DeposedKey:      in.Deposed,
			})
		}
	}
	for _, m := range modules {
		slices.SortStableFunc(m.Resources, func(a, b *tfjson.StateResource) int { return strings.Compare(a.Address, b.Address) })
		slices.SortFunc(m.ChildModules, func(a, b *tfjson.StateModule) int { return strings.Compare(a.Address, b.Address) })
	}
	return &tfjson.State{
		FormatVersion:    "1.0",
		TerraformVersion: p.TerraformVersion,
		Values:           &tfjson.StateValues{RootModule: root},
	}, true
}

// module finds or makes the module of address (module.a["k"].module.b)
// and its parents in the tree.
func module(modules map[string]*tfjson.StateModule, address string) (*tfjson.StateModule, bool) {
	if m, ok := modules[address]; ok {
		return m, true
	}
	// The parent is the address up to its last ".module." step; a key that
	// could hold one (any quote) is left to the engine.
	if strings.Contains(address, `"`) && !safeKeys(address) || !strings.HasPrefix(address, "module.") {
		return nil, false
	}
	parentAddr := ""
	if i := strings.LastIndex(address, ".module."); i >= 0 {
		parentAddr = address[:i]
	}
	parent, ok := module(modules, parentAddr)
	if !ok {
		return nil, false
	}
	m := &tfjson.StateModule{Address: address}
	parent.ChildModules = append(parent.ChildModules, m)
	modules[address] = m
	return m, true
}

// indexKey renders an instance key as its address suffix: [0] or ["k"].
// Engines escape quotes, backslashes and template sequences in string keys
// their own way, so keys with anything but plain characters are not
// rendered here.
func indexKey(k any) (string, bool) {
	switch k := k.(type) {
	case nil:
		return "", true
	case json.Number:
		return "[" + k.String() + "]", true
	case string:
		if !plainKey(k) {
			return "", false
		}
		return `["` + k + `"]`, true
	}
	return "", false
}

func plainKey(k string) bool {
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:@+=, ", c)) {
			return false
		}
	}
	return true
}

// safeKeys reports whether every quoted key of a module address is plain
// and holds no step that module would take for the address's own.
func safeKeys(address string) bool {
	parts := strings.Split(address, `"`)
	for i := 1; i < len(parts); i += 2 {
		if !plainKey(parts[i]) || strings.Contains(parts[i], ".module.") {
			return false
		}
	}
	return len(parts)%2 == 1
}

// providerName is the provider's source address from the state's provider
// configuration address: provider["registry.opentofu.org/hashicorp/aws"].west
// (perhaps after a module path) gives registry.opentofu.org/hashicorp/aws.
func providerName(config string) string {
	_, rest, ok := strings.Cut(config, `provider["`)
	if !ok {
		return config
	}
	name, _, _ := strings.Cut(rest, `"]`)
	return name
}
