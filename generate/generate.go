// Package generate turns an inventory into import blocks and the minimal
// HCL that plans with zero changes, in a directory that may already manage
// some of the resources. Re-running it over the same inventory rewrites the
// same bytes.
package generate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/apigw2tf/apigw2tf/inventory"
)

// Managed is a resource generate left alone because something already
// manages it.
type Managed struct {
	Address  string
	ImportID string
	// Source is "state" or the configuration file holding its import block.
	Source string
}

// Result says what Run did.
type Result struct {
	Files   []string // files written or already up to date, in order
	Removed []string // generate's own files that no longer have content
	APIs    int      // import blocks written for APIs
	Stages  int      // import blocks written for stages
	// Authorizers, Integrations and Routes count the import blocks
	// written for an API's children.
	Authorizers, Integrations, Routes int
	// Models, RouteResponses and IntegrationResponses count those of
	// WebSocket APIs; DomainNames, APIMappings and VPCLinks the import
	// blocks written for the account-level resources.
	Models, RouteResponses, IntegrationResponses int
	DomainNames, APIMappings, VPCLinks           int
	Managed                                      []Managed
	// Pruned lists addresses whose import block --prune removed.
	Pruned []string
	// Dropped lists addresses from an earlier run whose resources are
	// neither in the inventory nor in the state any more.
	Dropped []string
	Skipped []inventory.Skipped
	// UnusedNames lists the API ids of Options.Names that the inventory
	// does not hold, so a mistyped id is not silently ignored.
	UnusedNames []string
}

// Run writes the configuration for inv into opts.Dir. Nothing is written
// unless every file renders.
func Run(ctx context.Context, inv *inventory.Inventory, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if inv == nil {
		return nil, errors.New("generate: no inventory")
	}
	if err := inv.Validate(); err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	if opts.Prune && opts.State == nil {
		return nil, fmt.Errorf("--prune removes the import blocks of resources in the state, but %s has no state (no .terraform/, backend or terraform.tfstate); apply the imports first", opts.Dir)
	}
	if fi, err := os.Stat(opts.Dir); err != nil {
		return nil, fmt.Errorf("--dir %s: %w", opts.Dir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("--dir %s is not a directory", opts.Dir)
	}
	scan, err := scanDir(opts.Dir, opts.isOwn)
	if err != nil {
		return nil, err
	}
	st, err := readState(ctx, opts.State)
	if err != nil {
		return nil, err
	}
	scan.applyMoves()
	st.applyMoves(scan)
	g := &gen{opts: opts, inv: inv, scan: scan, st: st, res: &Result{}, files: map[string]*fileOut{}}
	if err := g.regions(); err != nil {
		return nil, err
	}
	if err := g.checkAccountLevel(); err != nil {
		return nil, err
	}
	g.assignNames()
	g.unusedNames()
	g.build()
	if err := g.renderUnits(ctx); err != nil {
		return nil, err
	}
	out := g.render()
	prov, err := g.providers()
	if err != nil {
		return nil, err
	}
	if prov != nil {
		out[providersFile] = prov
	}
	return g.res, g.write(out, prov == nil)
}

// gen holds one run's working state.
type gen struct {
	opts Options
	inv  *inventory.Inventory
	scan *dirScan
	st   *stateIndex
	res  *Result

	defaultRegion string
	alias         map[string]string // region -> provider alias ("" for default)

	names  map[key]string    // resource name (address without type) per import id
	apiRef map[string]string // API id -> the address its stages refer to
	// apiRegion, stageRef and vpcLinkRef are what account-level
	// resources and integrations refer to: an API's region, a stage's
	// address by its key, a VPC link's id by region/id.
	apiRegion  map[string]string
	stageRef   map[key]string
	vpcLinkRef map[string]hcl.Traversal
	consumed   map[string]bool // own resource addresses already placed
	files      map[string]*fileOut
}

type fileOut struct {
	comments []string
	units    []unit
	others   [][]byte // blocks generate does not write, kept verbatim
}

type unit struct {
	sort     [3]string
	imp, res []byte
	// render fills imp and res for a resource written fresh. Rendering is
	// most of a run's work, so it runs after all decisions, in parallel.
	render func(u *unit)
}

// build decides, resource by resource, whether to write it, keep it or
// leave it to whatever already manages it.
func (g *gen) build() {
	g.apiRef = map[string]string{}
	g.apiRegion = map[string]string{}
	g.stageRef = map[key]string{}
	g.consumed = map[string]bool{}
	g.buildVPCLinks()
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		file := g.fileFor(a.Region, g.names[apiKey(a)])
		rank := g.regionRank(a.Region)
		apiAddr := typeAPI + "." + g.names[apiKey(a)]
		g.apiRegion[a.ID] = a.Region
		if addr, handled := g.existing(apiKey(a), file, [3]string{rank, apiAddr, "0"}); handled {
			g.apiRef[a.ID] = addr
		} else {
			name, provider := g.names[apiKey(a)], g.provider(a.Region)
			g.add(file, unit{sort: [3]string{rank, apiAddr, "0"}, render: func(u *unit) {
				u.imp = importBlock(typeAPI, name, a.ImportID(), provider)
				u.res = apiBlock(a, name, provider)
			}})
			g.apiRef[a.ID] = apiAddr
			g.res.APIs++
		}
		for j := range a.Stages {
			s := &a.Stages[j]
			k := stageKey(a.ID, s.Name)
			name := g.names[k]
			sortKey := [3]string{rank, apiAddr, "1" + name}
			if addr, handled := g.existing(k, file, sortKey); handled {
				g.stageRef[k] = addr
				continue
			}
			g.stageRef[k] = typeStage + "." + name
			provider, apiRef := g.provider(a.Region), g.apiIDExpr(a.ID)
			g.add(file, unit{sort: sortKey, render: func(u *unit) {
				u.imp = importBlock(typeStage, name, k.id, provider)
				u.res = stageBlock(a, s, name, apiRef, provider)
			}})
			g.res.Stages++
		}
		g.buildChildren(a, file, rank, apiAddr)
	}
	g.buildDomainNames()
	g.leftovers()
	g.skipped()
	for _, b := range g.scan.ownOther {
		f := g.file(b.file)
		f.others = append(f.others, verbatim(b.src))
	}
}

// existing handles a resource something already manages. It reports the
// address and true when the resource must not be written fresh.
func (g *gen) existing(k key, file string, sortKey [3]string) (string, bool) {
	if addr, ok := g.st.byKey[k]; ok {
		g.res.Managed = append(g.res.Managed, Managed{Address: addr, ImportID: k.id, Source: "state"})
		g.keep(addr, sortKey, file)
		return addr, true
	}
	if f, ok := g.scan.imports[k]; ok {
		g.res.Managed = append(g.res.Managed, Managed{Address: f.address, ImportID: k.id, Source: f.file})
		return f.address, true
	}
	g.consumed[k.typ+"."+g.names[k]] = true
	return "", false
}

// keep carries an in-state resource's blocks from our earlier output over
// unchanged: regenerating them from a fresh inventory would write live drift
// into the configuration and hide it from audit.
func (g *gen) keep(addr string, sortKey [3]string, file string) {
	blk, ok := g.scan.ownResources[addr]
	if !ok || g.consumed[addr] {
		return
	}
	g.consumed[addr] = true
	u := unit{sort: sortKey, res: verbatim(blk.src)}
	if imp, ok := g.scan.ownImports[addr]; ok {
		if g.opts.Prune {
			g.res.Pruned = append(g.res.Pruned, addr)
		} else {
			u.imp = verbatim(imp.src)
		}
	}
	g.add(file, u)
}

// leftovers deals with our earlier output for resources the inventory no
// longer lists: kept while in the state (or while the inventory is partial,
// or was discovered without their type, and may simply have missed them),
// dropped otherwise.
func (g *gen) leftovers() {
	for _, addr := range g.scan.ownOrder {
		if g.consumed[addr] {
			continue
		}
		blk := g.scan.ownResources[addr]
		sortKey := [3]string{"~", addr, ""}
		switch {
		case g.st.addresses[addr]:
			g.res.Managed = append(g.res.Managed, Managed{Address: addr, ImportID: g.scan.ownIDs[addr].id, Source: "state"})
			g.keep(addr, sortKey, blk.file)
		case g.inv.Partial() || !g.discovered(addr):
			// Missed, or of a type this discovery did not list: not
			// known to be gone.
			g.consumed[addr] = true
			u := unit{sort: sortKey, res: verbatim(blk.src)}
			if imp, ok := g.scan.ownImports[addr]; ok {
				u.imp = verbatim(imp.src)
			}
			g.add(blk.file, u)
		default:
			g.res.Dropped = append(g.res.Dropped, addr)
		}
	}
}

func (g *gen) skipped() {
	for _, s := range g.inv.Skipped {
		var line string
		switch {
		case s.Kind != "":
			line = skippedChild(s)
		case s.Stage == "":
			line = fmt.Sprintf("# Not imported: api %q (%q, %q): %s", s.APIName, s.APIID, s.Region, commentSafe(s.Reason))
		default:
			line = fmt.Sprintf("# Not imported: stage %q of api %q (%q, %q): %s", s.Stage, s.APIName, s.APIID, s.Region, commentSafe(s.Reason))
		}
		file := g.opts.Output
		switch g.opts.Layout {
		case LayoutPerRegion:
			file = g.fileFor(s.Region, "")
		case LayoutPerAPI:
			if name, ok := g.names[key{typeAPI, s.APIID}]; ok {
				file = g.fileFor(s.Region, name)
			}
		}
		f := g.file(file)
		f.comments = append(f.comments, line)
		g.res.Skipped = append(g.res.Skipped, s)
	}
}

// commentSafe keeps a reason on one comment line.
func commentSafe(s string) string {
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}

func (g *gen) apiIDExpr(apiID string) hcl.Traversal {
	return refTraversal(g.apiRef[apiID])
}

func sortedKeyKeys[V any](m map[key]V) []key {
	out := make([]key, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b key) int {
		if c := strings.Compare(a.typ, b.typ); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}
