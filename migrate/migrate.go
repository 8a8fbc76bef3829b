package migrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/generate"
	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
	"github.com/apigw2tf/apigw2tf/internal/engine"
	"github.com/apigw2tf/apigw2tf/internal/hclfiles"
)

// Options configure a migration.
type Options struct {
	Moves []Move
	// Names maps API ids to resource names (--name) in every move; it wins
	// over a move's own names.
	Names  map[string]string
	Engine EngineVersion
	Open   Opener
	// Write writes the files; without it Run only reports what it would do.
	Write bool
	// WriteFile replaces one file atomically; nil means atomicfile.Write.
	// Tests inject failures through it.
	WriteFile func(path string, data []byte) error
}

// Validate checks the options before anything is read.
func (o *Options) Validate() error {
	if len(o.Moves) == 0 {
		return errors.New("the migration spec has no moves; add a migrate section to apigw2tf.yaml or pass --spec FILE")
	}
	if o.Open == nil {
		return errors.New("migrate needs an engine opener")
	}
	for i, mv := range o.Moves {
		where := mv.where(i)
		switch {
		case mv.From == "" || mv.To == "":
			return fmt.Errorf("%s: a move needs from and to directories", where)
		case mv.Select.Empty():
			return fmt.Errorf("%s: a move needs a selector (api_ids, names, tags, regions, protocol, addresses or stages)", where)
		case mv.Naming != "" && !slices.Contains(Namings, mv.Naming):
			return fmt.Errorf("%s: naming %q is not one of %s", where, mv.Naming, strings.Join(Namings, ", "))
		case mv.Module != "" && mv.cross():
			return fmt.Errorf("%s: module %s needs from and to to be the same directory; move between states first, then into the module", where, mv.Module)
		}
		if mv.Module != "" {
			if err := CheckModule(mv.Module); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		if _, err := compile(mv.Select); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if mv.cross() {
			if err := CheckEngine(o.Engine); err != nil {
				return err
			}
		}
	}
	return nil
}

func (mv *Move) cross() bool { return filepath.Clean(mv.From) != filepath.Clean(mv.To) }

func (mv *Move) where(i int) string {
	if mv.Where != "" {
		return mv.Where
	}
	return fmt.Sprintf("move %d", i+1)
}

// Step is one resource a migration moves.
type Step struct {
	Move           string // the move's position in the spec
	FromDir, ToDir string
	From, To       string // addresses
	ImportID       string
	// Notes say what else changed, like an api_id that became a literal.
	Notes []string
}

// Result is what a migration did, or would do without Write.
type Result struct {
	Steps []Step
	// Done lists moves with nothing left to do, and why.
	Done []string
	// Files are the files written, or that Write would write, in order.
	Files   []string
	Written bool
}

// WriteText prints the result address by address.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, d := range r.Done {
		fmt.Fprintf(&b, "%s\n", d)
	}
	last := ""
	for _, s := range r.Steps {
		head := fmt.Sprintf("%s: %s -> %s", s.Move, s.FromDir, s.ToDir)
		if s.FromDir == s.ToDir {
			head = fmt.Sprintf("%s: in %s", s.Move, s.FromDir)
		}
		if head != last {
			fmt.Fprintf(&b, "%s\n", head)
			last = head
		}
		fmt.Fprintf(&b, "  %s -> %s  [%s]\n", s.From, s.To, s.ImportID)
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "    note: %s\n", n)
		}
	}
	if len(r.Files) > 0 {
		verb := "would write (run with --write)"
		if r.Written {
			verb = "wrote"
		}
		fmt.Fprintf(&b, "%d resources; %s:\n", len(r.Steps), verb)
		for _, f := range r.Files {
			fmt.Fprintf(&b, "  %s\n", f)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type migration struct {
	opts   Options
	states map[string]*stateIndex
	// read holds the states read ahead by readStates, until state takes
	// them in move order.
	read map[string]stateRead
	// loaded holds the configurations parsed while the states were read,
	// until dir takes them.
	loaded  map[string]dirLoad
	dirs    map[string]*tfDir
	created map[string]bool // module directories this run creates
	// destFirst holds the directories that receive resources: they are
	// written before the sources, so a crash between files leaves a
	// resource declared twice (which verify flags) but never forgotten
	// without an import waiting for it.
	destFirst map[string]bool
	res       *Result
}

// Run plans the moves in order and, with Write, writes the files.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	m := &migration{opts: opts, states: map[string]*stateIndex{}, dirs: map[string]*tfDir{}, created: map[string]bool{}, destFirst: map[string]bool{}, res: &Result{}}
	m.readStates(ctx, moveDirs(opts.Moves))
	for i := range opts.Moves {
		if err := m.move(ctx, i, &opts.Moves[i]); err != nil {
			return nil, err
		}
	}
	return m.res, m.write(ctx)
}

// stateReaders bounds the states read at once. Each read starts the engine
// and its provider, seconds of mostly start-up per directory when done one
// after another (11 reads made most of a 10 s split); a few at a time
// overlap that start-up without starting an engine per directory at once.
const stateReaders = 4

type stateRead struct {
	idx *stateIndex
	err error
}

// moveDirs lists the directories the moves name, each once, in order.
func moveDirs(moves []Move) []string {
	var dirs []string
	for _, mv := range moves {
		for _, d := range []string{filepath.Clean(mv.From), filepath.Clean(mv.To)} {
			if !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

// readStates reads the states of dirs, stateReaders at a time, for state
// to hand out, and meanwhile parses their configurations for dir: parsing
// the files of an adopted directory costs about what its state pull does,
// and the engine runs in a process of its own. Errors wait there too, so
// the moves still fail in order.
func (m *migration) readStates(ctx context.Context, dirs []string) {
	reads := make([]stateRead, len(dirs))
	loads := make([]dirLoad, len(dirs))
	var initMu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, stateReaders)
	for i, dir := range dirs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			reads[i].idx, reads[i].err = m.readState(ctx, dir, &initMu)
		})
	}
	wg.Go(func() {
		for i, dir := range dirs {
			if ctx.Err() != nil {
				return // dir parses what is missing, and fails as it would
			}
			loads[i].d, loads[i].err = loadDir(dir)
		}
	})
	wg.Wait()
	m.read = make(map[string]stateRead, len(dirs))
	m.loaded = make(map[string]dirLoad, len(dirs))
	for i, dir := range dirs {
		m.read[dir] = reads[i]
		if loads[i].d != nil || loads[i].err != nil {
			m.loaded[dir] = loads[i]
		}
	}
}

type dirLoad struct {
	d   *tfDir
	err error
}

func (m *migration) state(ctx context.Context, dir string) (*stateIndex, error) {
	dir = filepath.Clean(dir)
	if idx, ok := m.states[dir]; ok {
		return idx, nil
	}
	r, ok := m.read[dir]
	if !ok {
		r.idx, r.err = m.readState(ctx, dir, &sync.Mutex{})
	}
	if r.err != nil {
		return nil, r.err
	}
	m.states[dir] = r.idx
	return r.idx, nil
}

// readState reads one directory's state, from its file where that is
// provably the state and through the engine otherwise. It touches nothing
// of m but the options, so several run at once.
func (m *migration) readState(ctx context.Context, dir string, initMu *sync.Mutex) (_ *stateIndex, err error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("directory %s does not exist; create it with its provider and backend configuration first", dir)
	}
	// A new destination of a split has no state yet, and an adopted
	// directory often keeps its state beside it: neither needs an engine.
	if st, ok := engine.LocalState(ctx, dir); ok {
		return indexState(st), nil
	}
	e, err := m.opts.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, e.Close()) }()
	var st *tfjson.State
	err = engine.WithInit(ctx, serialInit{e, initMu}, dir, false, func() error {
		var err error
		st, err = e.PulledState(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return indexState(st), nil
}

// serialInit runs one InitReadOnly at a time: init is not safe to run
// concurrently with a shared plugin cache.
type serialInit struct {
	e  Engine
	mu *sync.Mutex
}

func (s serialInit) InitReadOnly(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.InitReadOnly(ctx)
}

func (m *migration) dir(path string) (*tfDir, error) {
	path = filepath.Clean(path)
	if d, ok := m.dirs[path]; ok {
		return d, nil
	}
	if m.created[path] {
		d := &tfDir{hclfiles.New(path)}
		m.dirs[path] = d
		return d, nil
	}
	l, ok := m.loaded[path]
	if !ok {
		l.d, l.err = loadDir(path)
	}
	delete(m.loaded, path)
	if l.err != nil {
		return nil, l.err
	}
	m.dirs[path] = l.d
	return l.d, nil
}

// config is the configuration directory of module (module.x, or "" for the
// root) in root. A module the root does not declare yet is created under
// modules/.
func (m *migration) config(root, module string) (*tfDir, error) {
	rd, err := m.dir(root)
	if err != nil || module == "" {
		return rd, err
	}
	name := strings.TrimPrefix(module, "module.")
	if src, ok := rd.moduleSource(name); ok {
		return m.dir(src)
	}
	src := filepath.Join(rd.Path, "modules", name)
	if m.created[src] {
		return m.dir(src)
	}
	if _, err := os.Stat(src); err == nil {
		return nil, fmt.Errorf("%s already exists but %s declares no module %q with a local source; declare it or choose another module name", src, root, name)
	}
	b := hclwrite.NewBlock("module", []string{name})
	b.Body().SetAttributeValue("source", cty.StringVal("./modules/"+name))
	rd.own().AddNew(b)
	m.created[filepath.Clean(src)] = true
	return m.dir(src)
}

func (m *migration) move(ctx context.Context, i int, mv *Move) error {
	where := mv.where(i)
	cs, _ := compile(mv.Select)
	src, err := m.state(ctx, mv.From)
	if err != nil {
		return err
	}
	dst := src
	if mv.cross() {
		if dst, err = m.state(ctx, mv.To); err != nil {
			return err
		}
	}
	sel, err := selectFrom(cs, src)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if len(sel) == 0 {
		if again, _ := selectFrom(cs, dst); mv.cross() && len(again) > 0 {
			m.res.Done = append(m.res.Done, fmt.Sprintf("%s: done, %s manages all %d selected resources", where, mv.To, len(again)))
			return nil
		}
		if n, err := m.landed(mv.To, dst); err != nil || n > 0 {
			m.res.Done = append(m.res.Done, fmt.Sprintf("%s: done, the state of %s shows the %d moves of %s applied", where, mv.To, n, OwnFile))
			return err
		}
		return fmt.Errorf("%s: the selector picks nothing in the state of %s; check it against `show` there (a move that is applied and pruned can leave the spec)", where, mv.From)
	}
	for _, r := range sel {
		if strings.Contains(r.Address, "[") {
			return fmt.Errorf("%s: %s has an instance key; migrate moves resources without count or for_each", where, r.Address)
		}
	}
	srcRoot, err := m.dir(mv.From)
	if err != nil {
		return err
	}
	var todo []*resource
	pending := 0
	removed := srcRoot.attrValues("removed", "from")
	for _, r := range sel {
		if mv.cross() && removed[r.Address] {
			pending++
			continue
		}
		todo = append(todo, r)
	}
	targets, err := m.targets(mv, where, todo, src, dst)
	if err != nil {
		return err
	}
	if !mv.cross() {
		todo = slices.DeleteFunc(todo, func(r *resource) bool { return targets[r.Address] == r.Address })
	}
	if len(todo) == 0 {
		msg := fmt.Sprintf("%s: done, nothing left to move", where)
		if pending > 0 {
			msg = fmt.Sprintf("%s: already written, %d resources wait for apply (apply %s first, then %s)", where, pending, mv.To, mv.From)
		}
		m.res.Done = append(m.res.Done, msg)
		return nil
	}
	if mv.cross() {
		err = m.between(where, mv, todo, targets, src, dst)
	} else {
		err = m.within(where, mv, todo, targets, src)
	}
	if err != nil {
		return err
	}
	return m.flush()
}

// landed counts the moved and import blocks of dir's own file whose
// target the state holds: a move applied earlier, not pruned yet.
func (m *migration) landed(dir string, st *stateIndex) (int, error) {
	d, err := m.dir(dir)
	if err != nil {
		return 0, err
	}
	own, ok := d.Files[OwnFile]
	if !ok {
		return 0, nil
	}
	n := 0
	for _, b := range own.F.Body().Blocks() {
		if (b.Type() == "moved" || b.Type() == "import") && st.taken(traversalAttr(b.Body(), "to")) {
			n++
		}
	}
	return n, nil
}

// targets computes every selected resource's new address.
func (m *migration) targets(mv *Move, where string, sel []*resource, src, dst *stateIndex) (map[string]string, error) {
	out := map[string]string{}
	moving := map[string]bool{}
	for _, r := range sel {
		moving[r.Address] = true
	}
	dcfg, err := m.dir(mv.To)
	if err != nil {
		return nil, err
	}
	claimed := map[string]string{}
	taken := func(r *resource, addr string) bool {
		if owner, ok := claimed[addr]; ok && owner != r.Address {
			return true
		}
		if addr == r.Address && !mv.cross() {
			return false
		}
		// Inside one state an address that moves away frees itself; in
		// another state it is someone else's.
		if dst.taken(addr) && (mv.cross() || !moving[addr]) {
			return true
		}
		if mod, local := splitModule(addr); mod == "" && mv.cross() {
			if _, b := dcfg.ResourceBlock(local); b != nil {
				return true
			}
		}
		return false
	}
	apiName := map[string]string{} // api id -> new resource name
	explicit := func(id string) (string, bool) {
		if n, ok := m.opts.Names[id]; ok {
			return n, true
		}
		n, ok := mv.Names[id]
		return n, ok
	}
	prefix := ""
	if mv.Module != "" {
		prefix = mv.Module + "."
	}
	assign := func(r *resource, name string, derived bool) error {
		addr := prefix + r.Type + "." + name
		if taken(r, addr) {
			if !derived {
				return fmt.Errorf("%s: %s cannot move to %s: %s already has that address; give it another name with names: or --name", where, r.Address, addr, mv.To)
			}
			name = generate.Disambiguate(name, r.ImportID)
			addr = prefix + r.Type + "." + name
		}
		claimed[addr] = r.Address
		out[r.Address] = addr
		if r.Type == typeAPI {
			apiName[r.APIID] = name
		}
		return nil
	}
	for _, r := range sel {
		if r.Type != typeAPI {
			continue
		}
		name, ok := explicit(r.APIID)
		derived := false
		switch {
		case ok:
		case mv.Naming == NamingApigw2tf:
			name, derived = generate.APIResourceName(str(r.Values["name"])), true
		default:
			name = r.name()
		}
		if err := assign(r, name, derived); err != nil {
			return nil, err
		}
	}
	apiLocal := func(id string) string {
		if api := apiName[id]; api != "" {
			return api
		}
		if a := src.byImportID(typeAPI, id); a != nil {
			return a.name()
		}
		return ""
	}
	renamed := func(id string) bool {
		_, named := explicit(id)
		return named || mv.Naming == NamingApigw2tf
	}
	for _, r := range sel {
		if r.Type != typeStage {
			continue
		}
		api := apiLocal(r.APIID)
		name := r.name()
		derived := false
		if renamed(r.APIID) && api != "" {
			name, derived = generate.StageResourceName(api, str(r.Values["name"])), true
		}
		if err := assign(r, name, derived); err != nil {
			return nil, err
		}
	}
	return out, childTargets(sel, src, apiLocal, renamed, assign, out)
}

// carried is a moving resource with its block, and the module paths it
// leaves and enters.
type carried struct {
	r        *resource
	f        *tfFile
	b        *hclwrite.Block
	from, to string
}

// gather finds the resource block of every moving resource and opens a step
// for each; moving is the set of their addresses.
func (m *migration) gather(where string, mv *Move, todo []*resource, targets map[string]string) (blocks []carried, steps map[string]*Step, moving map[string]bool, err error) {
	steps, moving = map[string]*Step{}, map[string]bool{}
	for _, r := range todo {
		fromMod, fromLocal := splitModule(r.Address)
		toMod, _ := splitModule(targets[r.Address])
		cfg, err := m.config(mv.From, fromMod)
		if err != nil {
			return nil, nil, nil, err
		}
		f, b := cfg.ResourceBlock(fromLocal)
		if mb := cfg.byAttr("moved", "from")[fromLocal]; b == nil && len(mb) > 0 {
			// The state still has the old address: which block to carry,
			// and where its moved block goes, is clear once it is applied.
			return nil, nil, nil, fmt.Errorf("%s: %s is renamed to %s by a moved block in %s that is not applied yet; plan and apply %s, then run migrate again", where, r.Address, traversalAttr(mb[0].Body(), "to"), cfg.Path, mv.From)
		}
		if b == nil {
			return nil, nil, nil, fmt.Errorf("%s: no resource block declares %s in %s; migrate moves resources whose configuration it can edit", where, r.Address, cfg.Path)
		}
		blocks = append(blocks, carried{r, f, b, fromMod, toMod})
		steps[r.Address] = &Step{Move: where, FromDir: mv.From, ToDir: mv.To, From: r.Address, To: targets[r.Address], ImportID: r.ImportID}
		moving[r.Address] = true
	}
	return blocks, steps, moving, nil
}

// within moves resources inside one state: moved blocks, and each resource
// block renamed where it is or carried into its new module.
func (m *migration) within(where string, mv *Move, todo []*resource, targets map[string]string, src *stateIndex) error {
	root, err := m.dir(mv.From)
	if err != nil {
		return err
	}
	blocks, steps, moving, err := m.gather(where, mv, todo, targets)
	if err != nil {
		return err
	}
	for _, c := range blocks {
		if api := src.byImportID(typeAPI, c.r.APIID); perAPI(c.r.Type) && api != nil && otherModule(api.Address) == c.from && (!moving[api.Address] || otherModule(targets[api.Address]) != c.to) && c.from != c.to {
			detachStage(c.b, c.r, src, nil, "the root module", steps[c.r.Address])
		}
	}
	for _, c := range blocks {
		if c.from == c.to {
			continue
		}
		cfg, _ := m.config(mv.From, c.from)
		stays := func(addr string) bool { return !moving[addr] || otherModule(targets[addr]) != c.to }
		if err := strandedRef(where, cfg.Path, c.from, c.b, stays); err != nil {
			return err
		}
	}
	// References first, while every block is still where it was.
	refs := map[*tfDir]map[string][]*hclwrite.Block{}
	for _, c := range blocks {
		_, fromLocal := splitModule(c.r.Address)
		newAddr := targets[c.r.Address]
		_, toLocal := splitModule(newAddr)
		cfg, _ := m.config(mv.From, c.from)
		if refs[cfg] == nil {
			refs[cfg] = cfg.referrers()
		}
		for _, b := range refs[cfg][fromLocal] {
			other, isMoving := movingBlock(b, c.from, moving)
			if c.from == c.to {
				renameIn(b, fromLocal, toLocal)
				continue
			}
			switch {
			case isMoving && otherModule(targets[other]) == c.to:
				renameIn(b, fromLocal, toLocal)
			case b.Type() == "import" || b.Type() == "moved":
				if c.from == "" {
					renameAttr(b, "to", c.r.Address, newAddr)
				}
			default:
				if err := m.literalAPIRef(where, cfg, b, c.r, newAddr, steps[c.r.Address]); err != nil {
					return err
				}
			}
		}
		if c.from != "" {
			// Import and moved blocks naming a module resource live in the root.
			for _, n := range root.Names() {
				for _, b := range root.Files[n].F.Body().Blocks() {
					if b.Type() == "import" || b.Type() == "moved" {
						renameAttr(b, "to", c.r.Address, newAddr)
					}
				}
			}
		}
	}
	for _, c := range blocks {
		newAddr := targets[c.r.Address]
		_, toLocal := splitModule(newAddr)
		typ, name, _ := strings.Cut(toLocal, ".")
		setLabels(c.b, typ, name)
		if c.from != c.to {
			c.f.F.Body().RemoveBlock(c.b)
			dcfg, err := m.config(mv.To, c.to)
			if err != nil {
				return err
			}
			dcfg.own().Carry(c.b)
		}
		mb := hclwrite.NewBlock("moved", nil)
		mb.Body().SetAttributeTraversal("from", traversal(c.r.Address))
		mb.Body().SetAttributeTraversal("to", traversal(newAddr))
		root.own().AddNew(mb)
		m.done(steps[c.r.Address], c.r, newAddr, src, src)
	}
	return nil
}

// between moves resources from one state to another: the destination
// imports them with their blocks carried over verbatim, the source forgets
// them.
func (m *migration) between(where string, mv *Move, todo []*resource, targets map[string]string, src, dst *stateIndex) error {
	for _, r := range todo {
		if mod, _ := splitModule(r.Address); mod != "" {
			return fmt.Errorf("%s: %s is inside a module; move it to the root module of %s first (a move with from = to), then between states", where, r.Address, mv.From)
		}
		if d := dst.byImportID(r.Type, r.ImportID); d != nil {
			return fmt.Errorf("%s: %s already manages %s %s as %s; drop it from the move or from that state", where, mv.To, r.Type, r.ImportID, d.Address)
		}
	}
	scfg, err := m.dir(mv.From)
	if err != nil {
		return err
	}
	dcfg, err := m.dir(mv.To)
	if err != nil {
		return err
	}
	blocks, steps, moving, err := m.gather(where, mv, todo, targets)
	if err != nil {
		return err
	}
	for _, c := range blocks {
		detachStage(c.b, c.r, src, moving, relDir(mv.To, mv.From), steps[c.r.Address])
		if err := strandedRef(where, scfg.Path, "", c.b, func(addr string) bool { return !moving[addr] }); err != nil {
			return err
		}
	}
	var dropImports []*hclwrite.Block
	// Import, moved and removed blocks keep their references here, but
	// for the adoption's import, which is spent: the resource now leaves.
	refs := scfg.referrers("import", "moved", "removed")
	imports := scfg.byAttr("import", "to")
	for _, c := range blocks {
		newAddr := targets[c.r.Address]
		dropImports = append(dropImports, imports[c.r.Address]...)
		for _, b := range refs[c.r.Address] {
			_, isMoving := movingBlock(b, "", moving)
			switch {
			case isMoving:
				renameIn(b, c.r.Address, newAddr)
			default:
				if err := m.literalAPIRef(where, scfg, b, c.r, newAddr, steps[c.r.Address]); err != nil {
					return err
				}
			}
		}
	}
	for _, b := range dropImports {
		for _, n := range scfg.Names() {
			scfg.Files[n].F.Body().RemoveBlock(b)
		}
	}
	for _, c := range blocks {
		newAddr := targets[c.r.Address]
		typ, name, _ := strings.Cut(newAddr, ".")
		c.f.F.Body().RemoveBlock(c.b)
		setLabels(c.b, typ, name)
		ib := hclwrite.NewBlock("import", nil)
		ib.Body().SetAttributeTraversal("to", traversal(newAddr))
		ib.Body().SetAttributeValue("id", cty.StringVal(c.r.ImportID))
		dcfg.own().AddNew(ib)
		dcfg.own().Carry(c.b)
		// Never a bare removed block: Terraform destroys on one.
		rb := hclwrite.NewBlock("removed", nil)
		rb.Body().SetAttributeTraversal("from", traversal(c.r.Address))
		rb.Body().AppendNewBlock("lifecycle", nil).Body().SetAttributeValue("destroy", cty.False)
		scfg.own().AddNew(rb)
		m.done(steps[c.r.Address], c.r, newAddr, src, dst)
	}
	m.destFirst[filepath.Clean(mv.To)] = true
	return nil
}

// done records a move's step, and r under its new address: gone from the
// index of the state it leaves, added to the one it joins (the same index
// within one state), so later moves see where it is now.
func (m *migration) done(step *Step, r *resource, newAddr string, from, to *stateIndex) {
	m.res.Steps = append(m.res.Steps, *step)
	from.remove(r.Address)
	moved := *r
	moved.Address = newAddr
	to.add(&moved)
}

// detachStage turns the api_id of a moving stage or API child into a
// literal when its API stays behind, where no reference can reach it.
func detachStage(b *hclwrite.Block, r *resource, src *stateIndex, moving map[string]bool, stays string, step *Step) {
	api := src.byImportID(typeAPI, r.APIID)
	if !perAPI(r.Type) || api == nil || moving[api.Address] {
		return
	}
	_, local := splitModule(api.Address)
	a := b.Body().GetAttribute("api_id")
	if a == nil || !refersTo(a, local) {
		return
	}
	b.Body().SetAttributeRaw("api_id", literalWithComment(r.APIID, fmt.Sprintf("literal: the API %s stays in %s", api.Address, stays)))
	step.Notes = append(step.Notes, fmt.Sprintf("api_id is now the literal %q: its API %s stays in %s", r.APIID, api.Address, stays))
}

// relDir names dir as seen from base, so a comment written into base's
// files holds no machine's absolute path.
func relDir(base, dir string) string {
	if rel, err := filepath.Rel(base, dir); err == nil {
		return filepath.ToSlash(rel)
	}
	return dir
}

// movingBlock reports whether b is the resource block of a moving resource
// in module mod, and which.
func movingBlock(b *hclwrite.Block, mod string, moving map[string]bool) (string, bool) {
	l := b.Labels()
	if b.Type() != "resource" || len(l) != 2 {
		return "", false
	}
	addr := l[0] + "." + l[1]
	if mod != "" {
		addr = mod + "." + addr
	}
	return addr, moving[addr]
}

func otherModule(addr string) string {
	mod, _ := splitModule(addr)
	return mod
}

// literalAPIRef handles a block that stays behind (or moves elsewhere) and
// refers to r, which moves to newAddr where the reference cannot follow: a
// stage's api_id becomes the API's id as a literal, with a comment saying
// why; any other reference is an error the user must resolve first.
func (m *migration) literalAPIRef(where string, cfg *tfDir, b *hclwrite.Block, r *resource, newAddr string, step *Step) error {
	var bad []string
	eachExpr(b.Body(), nil, func(path []string, name string, a *hclwrite.Attribute) {
		if !refersTo(a, r.Address) {
			return
		}
		l := b.Labels()
		if r.Type == typeAPI && len(path) == 0 && name == "api_id" && b.Type() == "resource" && len(l) == 2 && perAPI(l[0]) {
			why := fmt.Sprintf("literal: the API moved to %s", newAddr)
			b.Body().SetAttributeRaw("api_id", literalWithComment(r.APIID, why))
			if step != nil {
				step.Notes = append(step.Notes, fmt.Sprintf("%s keeps api_id as the literal %q: it does not move with its API", blockName(b), r.APIID))
			}
			return
		}
		bad = append(bad, name)
	})
	if len(bad) > 0 {
		fix := "remove the reference or move that block too"
		if l := b.Labels(); b.Type() == "resource" && len(l) == 2 && slices.Contains(accountTypes, l[0]) {
			fix = sharedFix
		}
		return fmt.Errorf("%s: %s in %s refers to %s (%s), which moves to %s; %s", where, blockName(b), cfg.Path, r.Address, strings.Join(bad, ", "), newAddr, fix)
	}
	return nil
}

// renameIn rewrites references from one address to another in b, except
// the `from` of moved and removed blocks, which name the past.
func renameIn(b *hclwrite.Block, from, to string) {
	if from == to {
		return
	}
	eachExpr(b.Body(), nil, func(path []string, name string, a *hclwrite.Attribute) {
		if len(path) == 0 && name == "from" && (b.Type() == "moved" || b.Type() == "removed") {
			return
		}
		a.Expr().RenameVariablePrefix(parts(from), parts(to))
	})
}

// renameAttr points attr at to when it names from exactly; unlike a
// reference, an address may gain a module path, so the whole value is set.
func renameAttr(b *hclwrite.Block, attr, from, to string) {
	if traversalAttr(b.Body(), attr) == from {
		a := b.Body().SetAttributeTraversal(attr, traversal(to))
		a.Expr().BuildTokens(nil)[0].SpacesBefore = 1
	}
}

// setLabels renames a resource block, spaced as terraform fmt spaces it
// (hclwrite's SetLabels leaves no space between labels).
func setLabels(b *hclwrite.Block, labels ...string) {
	if slices.Equal(b.Labels(), labels) {
		return
	}
	b.SetLabels(labels)
	typ := false
	for _, t := range b.BuildTokens(nil) {
		switch {
		case t.Type == hclsyntax.TokenIdent && !typ:
			typ = true
		case t.Type == hclsyntax.TokenOQuote && typ:
			t.SpacesBefore = 1
		case t.Type == hclsyntax.TokenOBrace && typ:
			return
		}
	}
}

// flush applies every file's queued blocks at the end of a move.
func (m *migration) flush() error {
	for _, d := range m.dirs {
		if err := d.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// changed is every changed file of the directories with its new bytes,
// each checked by a parse before it can be written; the directories are
// checked side by side, since parsing them again is most of this.
func (m *migration) changed() (map[string][]byte, error) {
	paths := slices.Sorted(maps.Keys(m.dirs))
	changes := make([]map[string][]byte, len(paths))
	errs := make([]error, len(paths))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range paths {
		g.Go(func() error {
			changes[i], errs[i] = m.dirs[p].Changed()
			return nil
		})
	}
	g.Wait()
	all := map[string][]byte{}
	for i, ch := range changes {
		if errs[i] != nil {
			return nil, errs[i] // the first in path order, so the message is stable
		}
		maps.Copy(all, ch)
	}
	return all, nil
}

func (m *migration) write(ctx context.Context) error {
	all, err := m.changed()
	if err != nil {
		return err
	}
	paths := slices.Collect(maps.Keys(all))
	rank := func(p string) int {
		for d := range m.destFirst {
			if strings.HasPrefix(p, d+string(filepath.Separator)) {
				return 0
			}
		}
		return 1
	}
	slices.SortFunc(paths, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	m.res.Files = paths
	if !m.opts.Write {
		return nil
	}
	write := m.opts.WriteFile
	if write == nil {
		write = func(p string, b []byte) error { return atomicfile.Write(p, b, 0o644) }
	}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.created[filepath.Dir(p)] {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return fmt.Errorf("creating module directory %s: %w", filepath.Dir(p), err)
			}
		}
		if err := write(p, all[p]); err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	m.res.Written = true
	return nil
}
