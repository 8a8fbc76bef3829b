package generate

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/apigw2tf/apigw2tf/internal/regions"
)

// Layout says how resources are spread over files.
type Layout string

// Layouts.
const (
	LayoutSingle    Layout = "single"     // everything in Options.Output
	LayoutPerRegion Layout = "per-region" // <stem>.<region>.tf
	LayoutPerAPI    Layout = "per-api"    // <stem>.<api name>.tf
)

// Layouts lists the layouts in the order help texts give them.
var Layouts = []Layout{LayoutSingle, LayoutPerRegion, LayoutPerAPI}

// ValidOutput reports whether name can be Options.Output: a file name (no
// directory) ending in .tf, other than the provider configuration's.
func ValidOutput(name string) bool { return tfFileName(name) && name != providersFile }

func tfFileName(name string) bool {
	return name == filepath.Base(name) && strings.HasSuffix(name, ".tf") && name != ".tf"
}

// ValidName reports whether name can be the resource name of an API
// (Options.Names): a Terraform identifier.
func ValidName(name string) bool { return hclsyntax.ValidIdentifier(name) }

// DefaultOutput is the file generate writes when none is named.
const DefaultOutput = "imports.tf"

const providersFile = "providers.tf"

// Options configures Run.
type Options struct {
	// Dir is the Terraform/OpenTofu root module to write into. It must exist.
	Dir string
	// Output is the file name (inside Dir) of the single layout, and the
	// stem of the others' names.
	Output string
	Layout Layout
	// Prune removes import blocks of resources already in the state; it
	// needs State.
	Prune bool
	// DefaultRegion is the region of the unaliased provider. Empty means the
	// region of the directory's unaliased provider "aws", else the
	// inventory's default region, else its first region.
	DefaultRegion string
	// State reads the directory's state; nil when the directory has none
	// (engine.OpenState tells).
	State StateReader
	// Names overrides the resource name of an API (and the prefix of its
	// stages' names), keyed by API id. An API already bound to an address
	// keeps it: renaming would move state.
	Names map[string]string
	// AssumeRole, when set, goes into every provider block generate
	// writes, so the directory reaches its account from the credentials
	// apigw2tf ran with (one root module per account).
	AssumeRole *AssumeRole
	// Profile, when set, goes into every provider block generate writes:
	// the shared-config profile that reached the account.
	Profile string
}

// Validate reports the first bad option.
func (o Options) Validate() error {
	o = o.withDefaults() // a zero field means its default, which is valid
	if o.Dir == "" {
		return errors.New("--dir is empty; name the directory to write into")
	}
	if !tfFileName(o.Output) {
		return fmt.Errorf("--output %q must be a file name ending in .tf (it is written inside --dir)", o.Output)
	}
	if o.Output == providersFile {
		return fmt.Errorf("--output %q is reserved for the provider configuration; pick another name", o.Output)
	}
	if !slices.Contains(Layouts, o.Layout) {
		names := make([]string, len(Layouts))
		for i, l := range Layouts {
			names[i] = string(l)
		}
		return fmt.Errorf("--layout %q is not one of %s", o.Layout, strings.Join(names, ", "))
	}
	if o.DefaultRegion != "" && !regions.Valid(o.DefaultRegion) {
		return fmt.Errorf("--default-region %q is not an AWS region; use a name like us-east-1", o.DefaultRegion)
	}
	owner := make(map[string]string, len(o.Names))
	for _, id := range slices.Sorted(maps.Keys(o.Names)) {
		name := o.Names[id]
		if id == "" {
			return fmt.Errorf("--name =%s has no API id; use apiId=name", name)
		}
		if !ValidName(name) {
			return fmt.Errorf("--name %s=%s: %q is not a Terraform name; use letters, digits and underscores, starting with a letter", id, name, name)
		}
		if other, dup := owner[name]; dup {
			return fmt.Errorf("--name %s=%s: %q is already the name of API %s; names must be unique", id, name, name, other)
		}
		owner[name] = id
	}
	return nil
}

// withDefaults returns a copy with zero fields filled in: the one place
// generate's defaults are applied.
func (o Options) withDefaults() Options {
	if o.Output == "" {
		o.Output = DefaultOutput
	}
	if o.Layout == "" {
		o.Layout = LayoutSingle
	}
	return o
}

func (o *Options) stem() string { return strings.TrimSuffix(o.Output, ".tf") }

// isOwn reports whether a file name is one generate may write under these
// options (it must also start with header to count as ours).
func (o *Options) isOwn(name string) bool {
	return name == o.Output || strings.HasPrefix(name, o.stem()+".") && strings.HasSuffix(name, ".tf")
}
