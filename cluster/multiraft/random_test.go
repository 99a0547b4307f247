package multiraft

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCoreRandomFaults runs random schedules of ticks, proposals, kills,
// restarts, pauses, cuts and clock-rate changes on simulated clusters.
// After every step no lease may outlive the promises behind it
// (sim.checkLeases); at the end, once every fault is healed, every
// group elects one leader holding a lease, and every replica applied
// the same sequence, which contains every proposal raft accepted and
// reported applied by its leader. A failure prints its seed; rerun one
// with MULTIRAFT_SEED.
func TestCoreRandomFaults(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runRandomFaults(t, seed) })
	}
}

func runRandomFaults(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	// Odd seeds name preferred leaders, so their schedules also hand
	// groups back (rebalance.go) between and during faults.
	s := newSimPreferred(t, 3+2*rng.IntN(2), 6, 3, seed%2 == 1)
	defer func() {
		if t.Failed() {
			t.Logf("seed %d", seed)
		}
	}()
	s.stabilize()
	proposed := 0
	for step := 0; step < 400; step++ {
		id := s.ids[rng.IntN(len(s.ids))]
		n := s.nodes[id]
		switch k := rng.IntN(100); {
		case k < 50:
			s.advance(1 + rng.IntN(3))
		case k < 75:
			g := s.groups[rng.IntN(len(s.groups))]
			if l := s.highestLeader(g); l != 0 {
				proposed++
				_ = s.nodes[l].core.Propose(g, []byte(fmt.Sprintf("p%d", proposed)))
				s.stabilize()
			}
		case k < 80:
			if !n.down && s.faulty() < (len(s.ids)-1)/2 {
				n.down = true
			}
		case k < 85:
			if n.down {
				s.start(n)
			}
		case k < 90:
			if !n.down && !n.paused && s.faulty() < (len(s.ids)-1)/2 {
				n.paused = true
			} else if n.paused {
				s.resume(n)
			}
		case k < 95:
			if s.cut[id] {
				delete(s.cut, id)
			} else if s.faulty() < (len(s.ids)-1)/2 {
				s.cut[id] = true
			}
		default:
			n.clock.setRate(0.99 + 0.02*rng.Float64())
		}
	}
	// Heal everything and let the cluster settle.
	for _, id := range s.ids {
		n := s.nodes[id]
		if n.down {
			s.start(n)
		}
		if n.paused {
			s.resume(n)
		}
		delete(s.cut, id)
	}
	s.advance(60)
	if sum := s.leaderSummary(); !strings.HasPrefix(sum, fmt.Sprintf("%d of %d", len(s.groups), len(s.groups))) {
		t.Fatalf("after healing: %s", sum)
	}
	for _, g := range s.groups {
		var longest []string
		for _, id := range s.voters[g] {
			if a := s.nodes[id].applied[g]; len(a) > len(longest) {
				longest = a
			}
		}
		for _, id := range s.voters[g] {
			a := s.nodes[id].applied[g]
			if !slices.Equal(a, longest) {
				t.Fatalf("group %d: node %d applied %v, another node %v", g, id, a, longest)
			}
		}
	}
}

// faulty counts the nodes down, paused or cut off.
func (s *sim) faulty() int {
	k := 0
	for _, id := range s.ids {
		if n := s.nodes[id]; n.down || n.paused || s.cut[id] {
			k++
		}
	}
	return k
}
