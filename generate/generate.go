// Package generate turns an inventory into import blocks and the minimal
// HCL that plans with zero changes, in a directory that may already manage
// some of the resources. Re-running it over the same inventory rewrites the
// same bytes.
package generate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
	"github.com/apigw2tf/apigw2tf/internal/inventory"
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
}

// Validate reports the first bad option.
func (o *Options) Validate() error {
	if o.Dir == "" {
		return errors.New("--dir is empty; name the directory to write into")
	}
	if o.Output == "" {
		o.Output = DefaultOutput
	}
	if o.Output != filepath.Base(o.Output) || !strings.HasSuffix(o.Output, ".tf") || o.Output == ".tf" {
		return fmt.Errorf("--output %q must be a file name ending in .tf (it is written inside --dir)", o.Output)
	}
	if o.Output == providersFile {
		return fmt.Errorf("--output %q is reserved for the provider configuration; pick another name", o.Output)
	}
	switch o.Layout {
	case "":
		o.Layout = LayoutSingle
	case LayoutSingle, LayoutPerRegion, LayoutPerAPI:
	default:
		return fmt.Errorf("--layout %q is not one of single, per-region, per-api", o.Layout)
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
		if !hclsyntax.ValidIdentifier(name) {
			return fmt.Errorf("--name %s=%s: %q is not a Terraform name; use letters, digits and underscores, starting with a letter", id, name, name)
		}
		if other, dup := owner[name]; dup {
			return fmt.Errorf("--name %s=%s: %q is already the name of API %s; names must be unique", id, name, name, other)
		}
		owner[name] = id
	}
	return nil
}

func (o *Options) stem() string { return strings.TrimSuffix(o.Output, ".tf") }

// isOwn reports whether a file name is one generate may write under these
// options (it must also start with header to count as ours).
func (o *Options) isOwn(name string) bool {
	return name == o.Output || strings.HasPrefix(name, o.stem()+".") && strings.HasSuffix(name, ".tf")
}

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
	Managed                           []Managed
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

	names    map[key]string    // resource name (address without type) per import id
	apiRef   map[string]string // API id -> the address its stages refer to
	consumed map[string]bool   // own resource addresses already placed
	files    map[string]*fileOut
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

func (g *gen) regions() error {
	all := map[string]bool{}
	for _, r := range g.inv.Regions {
		all[r] = true
	}
	for i := range g.inv.APIs {
		all[g.inv.APIs[i].Region] = true
	}
	switch {
	case g.opts.DefaultRegion != "":
		g.defaultRegion = g.opts.DefaultRegion
	case g.scan.defaultRegion != "":
		g.defaultRegion = g.scan.defaultRegion
	case g.scan.defaultDecl:
		return fmt.Errorf("the unaliased provider \"aws\" in %s has no literal region; pass --default-region", g.opts.Dir)
	case all[g.inv.DefaultRegion]:
		g.defaultRegion = g.inv.DefaultRegion
	case len(all) > 0:
		g.defaultRegion = sortedKeys(all)[0]
	}
	g.alias = map[string]string{g.defaultRegion: ""}
	for _, r := range sortedKeys(all) {
		if r == g.defaultRegion {
			continue
		}
		if a, ok := g.scan.aliases[r]; ok {
			g.alias[r] = a
			continue
		}
		a := identifier(snake(r), "region")
		if own, ok := g.scan.ownAliases[r]; ok {
			a = own
		}
		if g.scan.aliasNames[a] {
			return fmt.Errorf("provider alias aws.%s in %s is not for region %s; give region %s its own alias with a literal region", a, g.opts.Dir, r, r)
		}
		g.alias[r] = a
	}
	return nil
}

func (g *gen) provider(region string) hcl.Traversal {
	a := g.alias[region]
	if a == "" {
		return nil
	}
	return hcl.Traversal{hcl.TraverseRoot{Name: "aws"}, hcl.TraverseAttr{Name: a}}
}

// assignNames binds every importable resource to an address: existing bindings
// first (state, then the user's import blocks, then our earlier output),
// then new names for the rest.
func (g *gen) assignNames() {
	n := newNamer()
	for _, k := range sortedKeyKeys(g.st.byKey) {
		n.reserve(g.st.byKey[k], k)
	}
	for a := range g.st.addresses {
		n.reserve(a, key{})
	}
	for _, k := range sortedKeyKeys(g.scan.imports) {
		n.reserve(g.scan.imports[k].address, k)
	}
	for _, a := range sortedKeys(g.scan.resources) {
		n.reserve(a, key{})
	}
	for _, a := range sortedKeys(g.scan.ownIDs) {
		n.reserve(a, g.scan.ownIDs[a])
	}
	// Both ends of a move stay taken: a new resource at either would
	// collide with the move.
	for _, from := range sortedKeys(g.scan.moved) {
		n.reserve(from, key{})
		n.reserve(g.scan.moved[from], key{})
	}
	var apis []candidate
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		suffix := snake(a.ID)
		if suffix == "" {
			suffix = shortHash(a.ID)
		}
		base, ok := g.opts.Names[a.ID]
		if !ok {
			base = APIResourceName(a.Name)
		}
		apis = append(apis, candidate{k: apiKey(a), base: base, suffix: suffix})
	}
	g.names = n.assign(typeAPI, apis)
	var stages []candidate
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		prefix := g.names[apiKey(a)]
		for _, s := range a.Stages {
			k := stageKey(a.ID, s.Name)
			stages = append(stages, candidate{k: k, base: StageResourceName(prefix, s.Name), suffix: shortHash(k.id)})
		}
	}
	for k, v := range n.assign(typeStage, stages) {
		g.names[k] = v
	}
	g.assignChildNames(n)
}

func (g *gen) unusedNames() {
	ids := make(map[string]bool, len(g.inv.APIs))
	for i := range g.inv.APIs {
		ids[g.inv.APIs[i].ID] = true
	}
	for _, id := range sortedKeys(g.opts.Names) {
		if !ids[id] {
			g.res.UnusedNames = append(g.res.UnusedNames, id)
		}
	}
}

// stageBase is the API part of a stage's name: the API's own name when it
// is a plain identifier, else a snake_case rendering of it.
func stageBase(apiLocal string) string {
	if i := strings.LastIndex(apiLocal, typeAPI+"."); i >= 0 {
		apiLocal = apiLocal[i+len(typeAPI)+1:]
	}
	if hclsyntax.ValidIdentifier(apiLocal) {
		return apiLocal
	}
	return identifier(snake(apiLocal), "api")
}

// build decides, resource by resource, whether to write it, keep it or
// leave it to whatever already manages it.
func (g *gen) build() {
	g.apiRef = map[string]string{}
	g.consumed = map[string]bool{}
	for i := range g.inv.APIs {
		a := &g.inv.APIs[i]
		file := g.fileFor(a.Region, g.names[apiKey(a)])
		rank := g.regionRank(a.Region)
		apiAddr := typeAPI + "." + g.names[apiKey(a)]
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
			if _, handled := g.existing(k, file, sortKey); handled {
				continue
			}
			provider, apiRef := g.provider(a.Region), g.apiIDExpr(a.ID)
			g.add(file, unit{sort: sortKey, render: func(u *unit) {
				u.imp = importBlock(typeStage, name, k.id, provider)
				u.res = stageBlock(a, s, name, apiRef, provider)
			}})
			g.res.Stages++
		}
		g.buildChildren(a, file, rank, apiAddr)
	}
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

func (g *gen) regionRank(region string) string {
	if region == g.defaultRegion {
		return "0"
	}
	return "1" + region
}

func (g *gen) fileFor(region, apiName string) string {
	switch g.opts.Layout {
	case LayoutPerRegion:
		return g.opts.stem() + "." + fileSafe(region) + ".tf"
	case LayoutPerAPI:
		if apiName != "" {
			return g.opts.stem() + "." + fileSafe(apiName) + ".tf"
		}
	}
	return g.opts.Output
}

func fileSafe(s string) string {
	out := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return '_'
	}, s)
	if out == "" {
		return "_"
	}
	return out
}

func (g *gen) file(name string) *fileOut {
	f, ok := g.files[name]
	if !ok {
		f = &fileOut{}
		g.files[name] = f
	}
	return f
}

func (g *gen) add(file string, u unit) { g.file(file).units = append(g.file(file).units, u) }

// renderUnits renders fresh resources on every core, in batches large
// enough that scheduling costs nothing next to hclwrite's formatting.
func (g *gen) renderUnits(ctx context.Context) error {
	const batch = 256
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(runtime.GOMAXPROCS(0))
	for _, name := range sortedKeys(g.files) {
		units := g.files[name].units
		for start := 0; start < len(units); start += batch {
			part := units[start:min(start+batch, len(units))]
			eg.Go(func() error {
				if err := ctx.Err(); err != nil {
					return err
				}
				for i := range part {
					if part[i].render != nil {
						part[i].render(&part[i])
					}
				}
				return nil
			})
		}
	}
	return eg.Wait()
}

// render assembles each file: header, skip comments, each resource's import
// block followed by its resource block, then the blocks kept verbatim.
func (g *gen) render() map[string][]byte {
	out := make(map[string][]byte, len(g.files))
	for name, f := range g.files {
		slices.SortFunc(f.units, func(a, b unit) int {
			for i := range a.sort {
				if c := strings.Compare(a.sort[i], b.sort[i]); c != 0 {
					return c
				}
			}
			return 0
		})
		size := len(header) + 1
		for _, c := range f.comments {
			size += len(c) + 1
		}
		for _, u := range f.units {
			size += len(u.imp) + len(u.res) + 2
		}
		for _, o := range f.others {
			size += len(o) + 1
		}
		var buf bytes.Buffer
		buf.Grow(size)
		buf.WriteString(header)
		if len(f.comments) > 0 {
			buf.WriteByte('\n')
			for _, c := range f.comments {
				buf.WriteString(c)
				buf.WriteByte('\n')
			}
		}
		for _, u := range f.units {
			for _, b := range [][]byte{u.imp, u.res} {
				if b != nil {
					buf.WriteByte('\n')
					buf.Write(b)
				}
			}
		}
		for _, o := range f.others {
			buf.WriteByte('\n')
			buf.Write(o)
		}
		out[name] = buf.Bytes()
	}
	return out
}

// write replaces changed files, then removes own files that lost all their
// content. Files are rendered before any is written, so a failure leaves at
// most a mix of complete old and complete new files, never a torn one.
func (g *gen) write(out map[string][]byte, dropProviders bool) error {
	names := sortedKeys(out)
	same := map[string]bool{}
	for _, name := range names {
		path := filepath.Join(g.opts.Dir, name)
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return fmt.Errorf("reading %s: %w", path, err)
		case bytes.Equal(old, out[name]):
			same[name] = true
		case !bytes.HasPrefix(old, []byte(header)):
			return fmt.Errorf("%s exists and was not written by apigw2tf; move it aside or choose another --output", path)
		}
	}
	for _, name := range names {
		path := filepath.Join(g.opts.Dir, name)
		if same[name] {
			g.res.Files = append(g.res.Files, path)
			continue
		}
		if err := atomicfile.Write(path, out[name], 0o644); err != nil {
			return err
		}
		g.res.Files = append(g.res.Files, path)
	}
	stale := sortedKeys(g.scan.ownFiles)
	if dropProviders && g.scan.ownProviders {
		stale = append(stale, providersFile)
	}
	for _, name := range stale {
		if _, ok := out[name]; ok {
			continue
		}
		path := filepath.Join(g.opts.Dir, name)
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", path, err)
		}
		g.res.Removed = append(g.res.Removed, path)
	}
	return nil
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
