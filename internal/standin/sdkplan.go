package standin

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The helpers below plan one value the way SDKv2 plans it; see the package
// doc. prior is null when the resource is being created.

// sdkString plans an optional string: null in configuration equals "".
func sdkString(cfg, prior types.String) types.String {
	if !cfg.IsNull() {
		return cfg
	}
	if prior.IsNull() || prior.ValueString() == "" {
		return prior
	}
	return types.StringValue("")
}

// sdkBool plans an optional bool without a default: null equals false.
func sdkBool(cfg, prior types.Bool) types.Bool {
	if !cfg.IsNull() {
		return cfg
	}
	if prior.IsNull() || !prior.ValueBool() {
		return prior
	}
	return types.BoolValue(false)
}

// sdkInt64 and sdkFloat64 plan numbers inside blocks, which SDKv2 always
// stores, so null is planned as 0.
func sdkInt64(cfg types.Int64) types.Int64 {
	if cfg.IsNull() {
		return types.Int64Value(0)
	}
	return cfg
}

func sdkFloat64(cfg types.Float64) types.Float64 {
	if cfg.IsNull() {
		return types.Float64Value(0)
	}
	return cfg
}

func defaultString(cfg types.String, def string) types.String {
	if cfg.IsNull() {
		return types.StringValue(def)
	}
	return cfg
}

func defaultBool(cfg types.Bool, def bool) types.Bool {
	if cfg.IsNull() {
		return types.BoolValue(def)
	}
	return cfg
}

// computedString plans an optional+computed string: configuration wins,
// otherwise the prior value is kept, and on create it is unknown.
func computedString(cfg, prior types.String, create bool) types.String {
	switch {
	case !cfg.IsNull():
		return cfg
	case create:
		return types.StringUnknown()
	default:
		return prior
	}
}

// sdkMap plans an optional map: SDKv2 treats null and empty alike.
func sdkMap(cfg, prior types.Map) types.Map {
	if cfg.IsUnknown() || len(cfg.Elements()) > 0 {
		return cfg
	}
	if len(prior.Elements()) == 0 {
		return prior
	}
	return cfg
}

// sdkStringSetFold plans an optional set of strings hashed case-insensitively
// (the provider's StringCaseInsensitiveSetFunc): a configuration that differs
// from the prior set only in case, or in null versus empty, keeps the prior.
func sdkStringSetFold(cfg, prior types.Set) types.Set {
	if !cfg.IsUnknown() && foldSet(cfg).equal(foldSet(prior)) {
		return prior
	}
	return cfg
}

type stringSet map[string]struct{}

// foldSet returns the lower-cased elements, or nil when one is unknown.
func foldSet(s types.Set) stringSet {
	out := stringSet{}
	for _, e := range s.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() {
			return nil
		}
		out[strings.ToLower(v.ValueString())] = struct{}{}
	}
	return out
}

func (a stringSet) equal(b stringSet) bool {
	if a == nil || b == nil || len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// stringMap reads a known map of strings; unknown or null maps are empty.
func stringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// stringSlice reads a known set or list of strings.
func stringSlice(ctx context.Context, v interface {
	IsNull() bool
	IsUnknown() bool
	ElementsAs(context.Context, any, bool) diag.Diagnostics
}) ([]string, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := v.ElementsAs(ctx, &out, false)
	return out, diags
}

func mapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// setValue builds a set from an API list, which may repeat a value.
func setValue(s []string) types.Set {
	elems := make([]attr.Value, 0, len(s))
	seen := make(map[string]bool, len(s))
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			elems = append(elems, types.StringValue(v))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}
