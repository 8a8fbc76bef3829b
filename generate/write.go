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

	"golang.org/x/sync/errgroup"

	"github.com/apigw2tf/apigw2tf/internal/atomicfile"
)

// renderUnits renders fresh resources on every core, in batches large
// enough that scheduling costs nothing next to hclwrite's formatting.
func (g *gen) renderUnits(ctx context.Context) error {
	const batch = 256
	eg, ctx := errgroup.WithContext(ctx)
	eg.SetLimit(runtime.GOMAXPROCS(0))
	for _, name := range slices.Sorted(maps.Keys(g.files)) {
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
	names := slices.Sorted(maps.Keys(out))
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
	stale := slices.Sorted(maps.Keys(g.scan.ownFiles))
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
