package migrate

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// gatheringEngine is a fakeEngine whose State waits (up to a timeout) until
// `want` reads are under way at once, and records the most it saw.
type gatheringEngine struct {
	fakeEngine
	cur, peak *atomic.Int64
	all       *sync.Cond
	want      int64
}

func (g *gatheringEngine) PulledState(ctx context.Context) (*tfjson.State, error) {
	n := g.cur.Add(1)
	defer g.cur.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	var late atomic.Bool
	deadline := time.AfterFunc(2*time.Second, func() {
		late.Store(true)
		g.all.L.Lock()
		g.all.Broadcast()
		g.all.L.Unlock()
	})
	defer deadline.Stop()
	g.all.L.Lock()
	g.all.Broadcast()
	for g.peak.Load() < g.want && !late.Load() {
		g.all.Wait()
	}
	g.all.L.Unlock()
	return g.fakeEngine.PulledState(ctx)
}

// TestStatesAreReadSideBySide: the states of the directories a migration
// names are read a few at a time, not one after another (each read starts
// an engine), and never more than stateReaders at once.
func TestStatesAreReadSideBySide(t *testing.T) {
	files := map[string]string{"all/imports.tf": adopted, "all/providers.tf": "provider \"aws\" {}\n"}
	teams := []string{"payments", "identity", "chat", "search", "ads", "maps"}
	for _, team := range teams {
		files[team+"/providers.tf"] = "provider \"aws\" {}\n"
	}
	for _, c := range []struct {
		name  string
		teams []string
		run   func(context.Context, Options) (*Result, error)
	}{
		{"migrate, 3 directories", teams[:2], Run},
		{"prune, 7 directories", teams, Prune},
	} {
		t.Run(c.name, func(t *testing.T) {
			states := map[string]*tfjson.State{"all": adoptedState()}
			for _, team := range c.teams {
				states[team] = stateOf() // a state file, so the engine is asked
			}
			f := newFixture(t, files, states)
			var moves []Move
			for _, team := range c.teams {
				moves = append(moves, Move{From: "all", To: team, Select: Selector{Tags: map[string]string{"team": team}}})
			}
			o := f.opts(false, moves...)
			want := int64(min(len(c.teams)+1, stateReaders))
			var cur, peak atomic.Int64
			all := sync.NewCond(&sync.Mutex{})
			open := o.Open
			o.Open = func(ctx context.Context, dir string) (Engine, error) {
				e, err := open(ctx, dir)
				if err != nil {
					return nil, err
				}
				return &gatheringEngine{fakeEngine: *e.(*fakeEngine), cur: &cur, peak: &peak, all: all, want: want}, nil
			}
			if _, err := c.run(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			if p := peak.Load(); p != want {
				t.Errorf("at most %d states were read at once, want %d", p, want)
			}
		})
	}
}

// TestNewDestinationAsksNoEngine: a split into a directory that has no
// state yet reads only the source's state through the engine.
func TestNewDestinationAsksNoEngine(t *testing.T) {
	f := newFixture(t, map[string]string{"all/imports.tf": adopted, "payments/providers.tf": "provider \"aws\" {}\n"},
		map[string]*tfjson.State{"all": adoptedState()})
	o := f.opts(false, Move{From: "all", To: "payments", Select: Selector{Tags: map[string]string{"team": "payments"}}})
	var mu sync.Mutex
	var opened []string
	open := o.Open
	o.Open = func(ctx context.Context, dir string) (Engine, error) {
		rel, _ := filepath.Rel(f.root, dir)
		mu.Lock()
		opened = append(opened, rel)
		mu.Unlock()
		return open(ctx, dir)
	}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opened, []string{"all"}) || len(res.Steps) == 0 {
		t.Errorf("engines opened in %v (want only all), %d steps", opened, len(res.Steps))
	}
}
