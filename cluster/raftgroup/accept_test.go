package raftgroup

import (
	"testing"
	"time"
)

// TestFollowerRefusingEntries: a follower whose AcceptEntries refuses (its
// disk is full) keeps running while the other two commit, takes nothing
// new, and catches up by itself once it accepts again — by appends, and
// by a snapshot when the log was compacted past it meanwhile.
func TestFollowerRefusingEntries(t *testing.T) {
	c := newTestCluster(t, 3, 5)
	lead := c.leader()
	propose(t, lead.g, "a", 5)
	c.converged(lead, "a4")

	full := c.followers(lead)[0]
	full.refuse.Store(true)
	propose(t, lead.g, "b", 50) // a majority without the full follower
	time.Sleep(200 * time.Millisecond)
	if got, _ := full.sm.state(); got["b0"] != "" {
		t.Fatalf("the refusing follower applied new entries: %v", got)
	}
	if err := full.g.usable(); err != nil {
		t.Fatalf("the refusing follower's group stopped: %v", err)
	}
	if l := full.g.Leader(); l != lead.id || !lead.g.IsLeader() {
		t.Fatalf("leadership moved while a follower refused appends: it sees %d, was %d", l, lead.id)
	}
	full.refuse.Store(false)
	c.converged(lead, "b49")

	// Now past the compacted log: the snapshot is refused too, then taken.
	full.refuse.Store(true)
	behind := full.sm.AppliedIndex()
	propose(t, lead.g, "c", 100)
	for _, nd := range c.nodes {
		nd.g.Compact(nd.sm.AppliedIndex())
	}
	waitFor(t, "the leader's log compacted past the refusing follower", func() bool {
		first, _ := lead.g.mem.FirstIndex()
		return first > behind+10
	})
	time.Sleep(200 * time.Millisecond)
	if got, _ := full.sm.state(); got["c0"] != "" || full.sm.restores != 0 {
		t.Fatalf("the refusing follower took entries or a snapshot: restores %d", full.sm.restores)
	}
	full.refuse.Store(false)
	c.converged(lead, "c99")
	if full.sm.restores == 0 {
		t.Fatal("caught up without a snapshot; the test did not reach the snapshot path")
	}
}
