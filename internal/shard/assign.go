package shard

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
)

// Unit is one account to place: Name is how the run knows it (the
// configuration's account name), ID the 12-digit account id when known.
// Weight is its expected cost, e.g. managed resources or directories.
type Unit struct {
	Name   string
	ID     string
	Weight int
}

// Slack is how far above the even share (total/N) a shard may fill while
// accounts still go to their preferred shard. The goal is a largest shard
// within 1.2 × total/N in time (issue 16); at 1.2 in weight, which equal
// accounts reach nearly always (about half of 40 accounts prefer each of
// two shards, give or take three), the time had no room left: 40 equal
// accounts on 2 shards weighed 24/16 and took 55 s against 37 s
// (docs/benchmarks.md, shards). 1.1 costs stability: an added account
// moves about 5 others of 50 with skewed weights instead of 1.75, and 1
// with equal weights (greedy moves about 20).
const Slack = 1.1

// Assignment maps each unit to a shard.
type Assignment struct {
	Count int
	// Shard[i] is the shard of Units[i].
	Units []Unit
	Shard []int
}

// Assign places every unit on one of n shards. It is consistent hashing
// with bounded loads over rendezvous (highest random weight) hashing:
// heaviest accounts first, each account goes to the first shard in its own
// hash order of the shards that stays within Slack × total/N; when none
// does (an account heavier than the slack), it goes to the least loaded.
//
// Why this and not plain greedy (longest processing time first): greedy
// balances as well, but an account's shard then depends on every account
// placed before it, so one added account reshuffles most of the others
// and every shard's caches and baselines with them. Plain rendezvous
// hashing moves nothing when an account is added, but balances by chance.
// Bounded loads keep each account on its own preferred shard unless that
// shard is full, so an added account moves only the few that overflow.
// The largest shard stays within max(Slack × total/N, total/N + the
// heaviest account): a preferred shard is taken only below the bound, and
// the least loaded shard is never above total/N. No assignment can do
// better than the heaviest account.
//
// The result depends only on the units (names, weights) and n, not on
// their order. Weights below 1 count as 1: an account with nothing still
// costs a discovery.
func Assign(units []Unit, n int) (Assignment, error) {
	if n < 1 || n > MaxCount {
		return Assignment{}, fmt.Errorf("shard count %d is not valid; use 1 to %d", n, MaxCount)
	}
	seen := map[string]bool{}
	total := 0
	for _, u := range units {
		if seen[u.Name] {
			return Assignment{}, fmt.Errorf("account %q is listed twice; list each account once", u.Name)
		}
		seen[u.Name] = true
		total += weight(u)
	}
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(weight(units[b]), weight(units[a])); c != 0 {
			return c
		}
		return cmp.Compare(units[a].Name, units[b].Name)
	})
	bound := Slack * float64(total) / float64(n)
	load := make([]int, n)
	out := Assignment{Count: n, Units: slices.Clone(units), Shard: make([]int, len(units))}
	for _, i := range order {
		w := weight(units[i])
		shard := -1
		for _, s := range preference(units[i].Name, n) {
			if float64(load[s]+w) <= bound {
				shard = s
				break
			}
		}
		if shard < 0 {
			shard = 0
			for s := range load {
				if load[s] < load[shard] {
					shard = s
				}
			}
		}
		load[shard] += w
		out.Shard[i] = shard
	}
	return out, nil
}

func weight(u Unit) int { return max(u.Weight, 1) }

// preference is the unit's rendezvous order of the shards: highest hash of
// (name, shard) first.
func preference(name string, n int) []int {
	scores := make([]uint64, n)
	for s := range n {
		h := fnv.New64a()
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(s)))
		scores[s] = mix(h.Sum64())
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}

// mix is splitmix64's finaliser: FNV's high bits vary little for inputs
// that differ in the last byte, which the shard number is.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Of returns the units of shard s, in the order they were given.
func (a Assignment) Of(s int) []Unit {
	var out []Unit
	for i, u := range a.Units {
		if a.Shard[i] == s {
			out = append(out, u)
		}
	}
	return out
}

// Loads returns each shard's total weight.
func (a Assignment) Loads() []int {
	load := make([]int, a.Count)
	for i, u := range a.Units {
		load[a.Shard[i]] += weight(u)
	}
	return load
}
