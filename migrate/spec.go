// Package migrate reshapes existing state by configuration: it renames
// resources, moves them into a module, and splits or merges root modules,
// writing `moved`, `import` and `removed` blocks that a pull request can
// review, and proves with a plan of every side that nothing in AWS is
// created, changed or destroyed. It never touches state itself.
package migrate

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Naming choices for the resources a move carries.
const (
	// NamingKeep keeps each resource's name (the default).
	NamingKeep = "keep"
	// NamingApigw2tf renames resources the way generate names them: the
	// API's name in snake_case, its stages prefixed with it.
	NamingApigw2tf = "apigw2tf"
)

// Namings lists the naming choices, in the order help texts list them.
var Namings = []string{NamingKeep, NamingApigw2tf}

// Protocols a selector may name, as in discover's --protocol.
var Protocols = []string{"http", "websocket"}

// Move is one step of a migration: the resources Select picks in the root
// module From go to the root module To (the same one for a rename or a move
// into a module), named by Naming and Names, under Module when set.
type Move struct {
	From, To string
	Select   Selector
	Naming   string
	// Names maps an API id to the resource name its API gets; its stages
	// are named after it.
	Names map[string]string
	// Module is the module path the resources go into, like
	// module.payments; "" is the root module.
	Module string
	// Where names the move in messages, like "apigw2tf.yaml:12".
	Where string
}

// Selector picks resources from the source state. Fields set together must
// all match (and); values inside one field are alternatives (or). API
// selectors pick APIs, and an API's stages move with it; Stages and
// Addresses pick single resources.
type Selector struct {
	APIIDs    []string
	Names     []string // regular expressions on the API's name
	Tags      map[string]string
	Regions   []string
	Protocol  string   // http or websocket
	Addresses []string // globs on the resource address, `*` within a name
	Stages    []string // stage import ids, api-id/stage-name
}

// Empty reports whether the selector picks nothing at all, which a spec
// must not do: a move of "everything" is spelled out as a glob.
func (s Selector) Empty() bool {
	return len(s.APIIDs)+len(s.Names)+len(s.Tags)+len(s.Regions)+len(s.Addresses)+len(s.Stages) == 0 && s.Protocol == ""
}

// CheckModule checks a module path: only module.NAME, one level, is
// supported, because a resource inside a nested module needs every parent
// to pass its references through.
func CheckModule(m string) error {
	name, ok := strings.CutPrefix(m, "module.")
	if !ok || !hclsyntax.ValidIdentifier(name) {
		return fmt.Errorf("module %q is not a module path like module.payments", m)
	}
	return nil
}

// CheckName checks a resource name given for an API.
func CheckName(name string) error {
	if !hclsyntax.ValidIdentifier(name) {
		return fmt.Errorf("%q is not a Terraform name; use letters, digits and underscores, starting with a letter (like payments_api)", name)
	}
	return nil
}

// CheckGlob checks an address glob.
func CheckGlob(g string) error {
	if _, err := path.Match(g, ""); err != nil {
		return fmt.Errorf("%q is not a valid address glob: %w", g, err)
	}
	return nil
}

// CheckStageID checks a stage import id.
func CheckStageID(id string) error {
	api, stage, ok := strings.Cut(id, "/")
	if !ok || api == "" || stage == "" {
		return fmt.Errorf("%q is not a stage import id like a1b2c3d4e5/prod", id)
	}
	return nil
}

// ParseNames reads --name values, apiId=name, into a map.
func ParseNames(values []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range values {
		id, name, ok := strings.Cut(v, "=")
		if !ok || id == "" {
			return nil, fmt.Errorf("--name %q is not apiId=name, like --name a1b2c3d4e5=payments", v)
		}
		if err := CheckName(name); err != nil {
			return nil, fmt.Errorf("--name %s: %w", id, err)
		}
		out[id] = name
	}
	return out, nil
}

// compiled is a selector with its regular expressions compiled.
type compiled struct {
	Selector
	names []*regexp.Regexp
}

func compile(s Selector) (compiled, error) {
	c := compiled{Selector: s}
	for _, n := range s.Names {
		re, err := regexp.Compile(n)
		if err != nil {
			return c, fmt.Errorf("api name %q is not a valid regular expression: %w", n, err)
		}
		c.names = append(c.names, re)
	}
	return c, nil
}
