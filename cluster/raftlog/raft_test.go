package raftlog

import (
	"fmt"
	"io"
	"log"
	"slices"
	"strings"
	"testing"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// This file drives real go.etcd.io/raft RawNodes (3 nodes, several
// groups, messages delivered in-process) with each node's state in a
// Store, the way the multi-raft scheduler will: per cycle one Ready per
// group, one Commit for all, then messages, then apply.

var quietRaft = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

// testSM is a group's state machine on one node: the data of the
// entries it applied. It survives a node restart, as a durable state
// machine would.
type testSM struct {
	applied uint64
	data    []string
	snaps   map[uint64]string // encoded state at each compaction index
}

type testNode struct {
	id     uint64
	dir    string
	store  *Store
	rns    map[uint64]*raft.RawNode
	sms    map[uint64]*testSM
	cs     map[uint64]raftpb.ConfState
	down   bool
	outbox []envelope
	// received counts the snapshots each group received from a leader.
	received map[uint64]int
	// crashOnSnapshot stops the node right after the Commit that saved
	// a received snapshot, before its state machine restores it;
	// restoredAtStart counts the restores start then made from
	// SnapshotData.
	crashOnSnapshot bool
	restoredAtStart map[uint64]int
}

type envelope struct {
	group uint64
	m     raftpb.Message
}

type testCluster struct {
	t        *testing.T
	nodes    []*testNode
	groups   []uint64
	proposed int // entries proposed to each group
}

func newTestCluster(t *testing.T, groups []uint64) *testCluster {
	c := &testCluster{t: t, groups: groups}
	for id := uint64(1); id <= 3; id++ {
		n := &testNode{id: id, dir: t.TempDir(), sms: make(map[uint64]*testSM), received: make(map[uint64]int), restoredAtStart: make(map[uint64]int)}
		for _, g := range groups {
			n.sms[g] = &testSM{snaps: make(map[uint64]string)}
		}
		c.nodes = append(c.nodes, n)
		c.start(n, true)
	}
	t.Cleanup(func() {
		for _, n := range c.nodes {
			if !n.down {
				n.store.Close()
			}
		}
	})
	return c
}

// start opens the node's store and its groups' RawNodes; a new node
// bootstraps each group with the three voters.
func (c *testCluster) start(n *testNode, bootstrap bool) {
	t := c.t
	s, err := Open(n.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	n.store, n.down = s, false
	n.rns = make(map[uint64]*raft.RawNode)
	n.cs = make(map[uint64]raftpb.ConfState)
	if !bootstrap && !slices.Equal(s.Groups(), c.groups) {
		t.Fatalf("node %d: groups on disk %v, want %v", n.id, s.Groups(), c.groups)
	}
	for _, g := range c.groups {
		gs, err := s.Storage(g)
		if err != nil {
			t.Fatal(err)
		}
		// A snapshot saved but not restored before the restart.
		if data, meta, err := s.SnapshotData(g); err != nil {
			t.Fatal(err)
		} else if data != nil && meta.Index > n.sms[g].applied {
			n.sms[g].restore(string(data), meta.Index)
			n.restoredAtStart[g]++
		}
		rn, err := raft.NewRawNode(&raft.Config{
			ID:              n.id,
			ElectionTick:    10,
			HeartbeatTick:   1,
			Storage:         gs,
			MaxSizePerMsg:   64 << 10,
			MaxInflightMsgs: 64,
			CheckQuorum:     true,
			PreVote:         true,
			Logger:          quietRaft,
		})
		if err != nil {
			t.Fatal(err)
		}
		if bootstrap {
			if err := rn.Bootstrap([]raft.Peer{{ID: 1}, {ID: 2}, {ID: 3}}); err != nil {
				t.Fatal(err)
			}
		}
		n.rns[g] = rn
	}
}

func (c *testCluster) stop(n *testNode) {
	if err := n.store.Close(); err != nil {
		c.t.Fatal(err)
	}
	n.down, n.rns, n.outbox = true, nil, nil
}

func (sm *testSM) encode() string { return strings.Join(sm.data, ",") }

func (sm *testSM) restore(data string, index uint64) {
	sm.data = nil
	if data != "" {
		sm.data = strings.Split(data, ",")
	}
	sm.applied = index
}

// cycle is one round of a node's scheduler: collect every group's
// Ready, persist them all with one Commit, send, apply, advance.
func (c *testCluster) cycle(n *testNode) {
	t := c.t
	b := n.store.NewBatch()
	readies := make(map[uint64]raft.Ready)
	for _, g := range c.groups {
		rn := n.rns[g]
		rn.Tick()
		if !rn.HasReady() {
			continue
		}
		rd := rn.Ready()
		readies[g] = rd
		b.ApplySnapshot(g, rd.Snapshot)
		b.Append(g, rd.Entries)
		b.SetHardState(g, rd.HardState)
	}
	if len(readies) == 0 {
		return
	}
	if err := n.store.Commit(b); err != nil {
		t.Fatalf("node %d: %v", n.id, err)
	}
	if n.crashOnSnapshot {
		for _, rd := range readies {
			if !raft.IsEmptySnap(rd.Snapshot) {
				n.crashOnSnapshot = false
				c.stop(n)
				return
			}
		}
	}
	for _, g := range c.groups {
		rd, ok := readies[g]
		if !ok {
			continue
		}
		rn, sm := n.rns[g], n.sms[g]
		for _, m := range rd.Messages {
			if m.Type == raftpb.MsgSnap {
				// The mirror holds metadata only; the state machine
				// supplies the data at that index.
				data, ok := sm.snaps[m.Snapshot.Metadata.Index]
				if !ok {
					t.Fatalf("node %d group %d: no state recorded at %d", n.id, g, m.Snapshot.Metadata.Index)
				}
				m.Snapshot.Data = []byte(data)
			}
			n.outbox = append(n.outbox, envelope{g, m})
		}
		if !raft.IsEmptySnap(rd.Snapshot) {
			sm.restore(string(rd.Snapshot.Data), rd.Snapshot.Metadata.Index)
			n.cs[g] = rd.Snapshot.Metadata.ConfState
			n.received[g]++
		}
		for _, e := range rd.CommittedEntries {
			switch e.Type {
			case raftpb.EntryConfChange:
				var cc raftpb.ConfChange
				if err := cc.Unmarshal(e.Data); err != nil {
					t.Fatal(err)
				}
				n.cs[g] = *rn.ApplyConfChange(cc)
			case raftpb.EntryNormal:
				if e.Index > sm.applied && len(e.Data) > 0 {
					sm.data = append(sm.data, string(e.Data))
				}
			}
			sm.applied = max(sm.applied, e.Index)
		}
		rn.Advance(rd)
		// Compact behind the state machine, as the replicated store
		// will, keeping a few entries for slow followers.
		gs, _ := n.store.Storage(g)
		first, _ := gs.FirstIndex()
		if sm.applied >= first+20 {
			// The test's state machine knows its state at the applied
			// index only, so it compacts there (the replicated store
			// leaves some slack).
			at := sm.applied
			sm.snaps[at] = sm.encode()
			if err := n.store.Compact(g, at, n.cs[g]); err != nil {
				t.Fatalf("node %d group %d: compacting at %d: %v", n.id, g, at, err)
			}
		}
	}
}

// deliver hands every queued message to its target; messages to a down
// node are lost (and raft told so).
func (c *testCluster) deliver() {
	for _, from := range c.nodes {
		out := from.outbox
		from.outbox = nil
		for _, env := range out {
			to := c.nodes[env.m.To-1]
			if to.down {
				if !from.down {
					from.rns[env.group].ReportUnreachable(env.m.To)
					if env.m.Type == raftpb.MsgSnap {
						from.rns[env.group].ReportSnapshot(env.m.To, raft.SnapshotFailure)
					}
				}
				continue
			}
			if err := to.rns[env.group].Step(env.m); err != nil && err != raft.ErrStepPeerNotFound {
				c.t.Fatalf("node %d group %d: stepping %v: %v", to.id, env.group, env.m.Type, err)
			}
			if env.m.Type == raftpb.MsgSnap && !from.down {
				from.rns[env.group].ReportSnapshot(env.m.To, raft.SnapshotFinish)
			}
		}
	}
}

func (c *testCluster) round() {
	for _, n := range c.nodes {
		if !n.down {
			c.cycle(n)
		}
	}
	c.deliver()
}

// leader returns the node leading group g, or nil.
func (c *testCluster) leader(g uint64) *testNode {
	var best *testNode
	var term uint64
	for _, n := range c.nodes {
		if n.down {
			continue
		}
		st := n.rns[g].Status()
		if st.RaftState == raft.StateLeader && st.Term > term {
			best, term = n, st.Term
		}
	}
	return best
}

// until runs rounds until done reports true, failing after limit.
func (c *testCluster) until(what string, limit int, done func() bool) {
	c.t.Helper()
	for i := 0; i < limit; i++ {
		if done() {
			return
		}
		c.round()
	}
	c.t.Fatalf("%s: not done after %d rounds", what, limit)
}

// propose adds count entries to every group through its leader and
// waits until every live node applied them.
func (c *testCluster) propose(tag string, count int) {
	for _, g := range c.groups {
		c.until(fmt.Sprintf("leader of group %d", g), 500, func() bool { return c.leader(g) != nil })
		l := c.leader(g)
		for i := range count {
			if err := l.rns[g].Propose([]byte(fmt.Sprintf("%s-%d-%d", tag, g, i))); err != nil {
				c.t.Fatal(err)
			}
			if i%10 == 9 {
				c.round()
			}
		}
	}
	c.proposed += count
	c.until("replication", 2000, c.converged)
}

// converged reports whether every live node applied the same data in
// every group, all that was proposed.
func (c *testCluster) converged() bool {
	for _, g := range c.groups {
		var want string
		first := true
		for _, n := range c.nodes {
			if n.down {
				continue
			}
			if len(n.sms[g].data) != c.proposed {
				return false
			}
			if got := n.sms[g].encode(); first {
				want, first = got, false
			} else if got != want {
				return false
			}
		}
	}
	return true
}

// TestRaftNodesRestartAndCatchUp runs 3 nodes with 4 groups, stops one
// node, writes and compacts past it, restarts it from its Store, and
// checks that it catches up (by snapshot where the others compacted)
// and that the logs agree.
func TestRaftNodesRestartAndCatchUp(t *testing.T) {
	groups := []uint64{1, 2, 3, 4}
	c := newTestCluster(t, groups)
	// Spread the leaders: group g campaigns on node g%3+1.
	for _, g := range groups {
		_ = c.nodes[g%3].rns[g].Campaign()
	}
	c.propose("a", 30)

	down := c.nodes[2]
	c.stop(down)
	c.propose("b", 80) // the live nodes compact past the down node
	for _, n := range c.nodes[:2] {
		for _, g := range groups {
			gs, _ := n.store.Storage(g)
			first, _ := gs.FirstIndex()
			if downLast := down.sms[g].applied; first <= downLast+1 {
				t.Fatalf("node %d group %d: log starts at %d, the down node applied %d: no snapshot needed", n.id, g, first, downLast)
			}
		}
	}

	// The restarted node crashes after saving its first snapshot and
	// before restoring it; at the next start, SnapshotData repairs it.
	c.start(down, false)
	down.crashOnSnapshot = true
	c.until("a snapshot on the restarted node", 500, func() bool { return down.down })
	c.start(down, false)
	if len(down.restoredAtStart) == 0 {
		t.Fatal("the restart after the crash restored nothing from SnapshotData")
	}
	c.propose("c", 20)
	for _, g := range groups {
		if got := len(down.sms[g].data); got != 130 {
			t.Fatalf("restarted node, group %d: %d entries applied, want 130", g, got)
		}
		if down.received[g]+down.restoredAtStart[g] == 0 {
			t.Fatalf("group %d: the restarted node caught up without a snapshot", g)
		}
	}

	// Every node restarts from its store and still agrees.
	for _, n := range c.nodes {
		c.stop(n)
		c.start(n, false)
	}
	c.propose("d", 10)
	for _, n := range c.nodes {
		for _, g := range groups {
			if got := len(n.sms[g].data); got != 140 {
				t.Fatalf("node %d group %d: %d entries applied, want 140", n.id, g, got)
			}
		}
		checkKeys(t, n.store)
	}
}
