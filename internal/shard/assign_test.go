package shard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// org is a synthetic organisation: n accounts with skewed weights, as real
// ones have (a few large accounts, many small).
func org(n int, seed uint64) []Unit {
	rng := rand.New(rand.NewPCG(seed, seed))
	units := make([]Unit, n)
	for i := range units {
		units[i] = Unit{Name: fmt.Sprintf("acct-%03d", i), Weight: 1 + int(rng.ExpFloat64()*20)}
	}
	return units
}

func TestAssignBalanced(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 8, 16} {
		for _, accounts := range []int{1, 7, 40, 200} {
			units := org(accounts, uint64(accounts))
			a, err := Assign(units, n)
			if err != nil {
				t.Fatal(err)
			}
			total, heaviest := 0, 0
			for _, u := range units {
				total += weight(u)
				heaviest = max(heaviest, weight(u))
			}
			even := float64(total) / float64(n)
			bound := max(Slack*even, even+float64(heaviest))
			for s, l := range a.Loads() {
				if float64(l) > bound {
					t.Errorf("%d accounts on %d shards: shard %d has weight %d, above the bound %.1f", accounts, n, s, l, bound)
				}
			}
		}
	}
}

func TestAssignDeterministic(t *testing.T) {
	units := org(50, 7)
	a, _ := Assign(units, 6)
	shuffled := slices.Clone(units)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, _ := Assign(shuffled, 6)
	got := map[string]int{}
	for i, u := range b.Units {
		got[u.Name] = b.Shard[i]
	}
	for i, u := range a.Units {
		if got[u.Name] != a.Shard[i] {
			t.Errorf("account %s: shard %d, but %d when the accounts come in another order", u.Name, a.Shard[i], got[u.Name])
		}
	}
}

// TestAssignStableWhenAccountAdded adds one account at a time to an
// organisation and counts the others that change shard. Greedy (longest
// processing time first) moves a large part of them; bounded rendezvous
// keeps nearly all where they were.
func TestAssignStableWhenAccountAdded(t *testing.T) {
	const shards = 4
	units := org(60, 3)
	movedTotal, trials := 0, 0
	for i := 40; i < len(units); i++ {
		before, _ := Assign(units[:i], shards)
		after, _ := Assign(units[:i+1], shards)
		for j := range i {
			if before.Shard[j] != after.Shard[j] {
				movedTotal++
			}
		}
		trials++
	}
	mean := float64(movedTotal) / float64(trials)
	t.Logf("mean accounts moved per added account: %.2f of ~50", mean)
	// An added account raises the bound by Slack × its weight / N, so a
	// full shard may let a few accounts back to their preference, and the
	// added one may push some out: a few moves (5.25 measured at Slack
	// 1.1), not a reshuffle (greedy moves 19.65 here).
	if mean > 6 {
		t.Errorf("adding one account moves %.2f others on average; want at most 6", mean)
	}
}

// TestAssignEqualAccountsWithinSlack: accounts of equal weight, many more
// than shards, fill no shard above Slack × the even share, whatever their
// names; at the old Slack of 1.2 the largest of 2 or 4 shards sat at 1.2,
// the goal's own edge, for nearly every organisation.
func TestAssignEqualAccountsWithinSlack(t *testing.T) {
	worst := 0.0
	for trial := range 100 {
		units := make([]Unit, 40)
		for i := range units {
			units[i] = Unit{Name: fmt.Sprintf("org%d-account-%02d", trial, i), Weight: 1}
		}
		for _, n := range []int{2, 4} {
			a, err := Assign(units, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range a.Loads() {
				worst = max(worst, float64(l)*float64(n)/float64(len(units)))
			}
		}
	}
	if worst > 1.1 {
		t.Errorf("the largest shard of 40 equal accounts is %.3f× the even share; want at most 1.1", worst)
	}
}

func TestAssignRejects(t *testing.T) {
	if _, err := Assign([]Unit{{Name: "a"}, {Name: "a"}}, 2); err == nil {
		t.Error("Assign accepted an account listed twice")
	}
	if _, err := Assign(nil, 0); err == nil {
		t.Error("Assign accepted 0 shards")
	}
}
