package migrate

import (
	"context"
	"fmt"
	"strings"
)

// Prune removes the moved, import and removed blocks of migrated.tf in
// every directory the moves name once its state shows the block is spent:
// a moved block whose object is at its new address, an import whose
// object is in the state, a removed block whose object is gone. It never
// touches the user's other files.
func Prune(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Moves) == 0 || opts.Open == nil {
		return nil, fmt.Errorf("prune needs the moves of a migration spec")
	}
	m := &migration{opts: opts, states: map[string]*stateIndex{}, dirs: map[string]*tfDir{}, created: map[string]bool{}, destFirst: map[string]bool{}, res: &Result{}}
	dirs := moveDirs(opts.Moves)
	m.readStates(ctx, dirs)
	for _, dir := range dirs {
		idx, err := m.state(ctx, dir)
		if err != nil {
			return nil, err
		}
		d, err := m.dir(dir)
		if err != nil {
			return nil, err
		}
		own, ok := d.Files[OwnFile]
		if !ok {
			continue
		}
		body := own.F.Body()
		for _, b := range body.Blocks() {
			from, to := traversalAttr(b.Body(), "from"), traversalAttr(b.Body(), "to")
			var spent bool
			switch b.Type() {
			case "moved":
				spent = !idx.taken(from) && idx.taken(to)
			case "import":
				id := strings.Trim(traversalAttr(b.Body(), "id"), `"`)
				r := idx.byAddr[to]
				spent = r != nil && r.ImportID == id
			case "removed":
				spent = !idx.taken(from)
			}
			if spent {
				body.RemoveBlock(b)
				m.res.Done = append(m.res.Done, fmt.Sprintf("pruned from %s: %s %s%s", own.Path, b.Type(), from, to))
			}
		}
	}
	if len(m.res.Done) == 0 {
		m.res.Done = append(m.res.Done, "nothing to prune: no moved, import or removed block in migrated.tf is done yet")
	}
	return m.res, m.write(ctx)
}
