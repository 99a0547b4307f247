package multiraft

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// sim is a scripted cluster of cores: real time advances only when the
// script says, every node reads its own clock (at its own rate), and
// batches travel only when delivered. Storage is raft.MemoryStorage
// written before Advance, as the shell writes its disk; the state
// machine is the list of applied proposals.
type sim struct {
	t        testing.TB
	now      time.Duration // real time
	tick     time.Duration
	election int
	nodes    map[uint64]*simNode
	ids      []uint64
	voters   map[uint64][]uint64 // group -> voters
	groups   []uint64
	cut      map[uint64]bool // nodes whose links are down
	traffic  traffic
	// preferred: each group names its first node in rotation as its
	// preferred leader (GroupConfig.Preferred).
	preferred bool
}

type simNode struct {
	id      uint64
	clock   *simClock
	core    *Core
	down    bool // killed: no ticks, messages to it are lost
	paused  bool // stopped: no ticks, messages to it wait
	held    []*Batch
	storage map[uint64]*raft.MemoryStorage
	applied map[uint64][]string // group -> applied proposals
	index   map[uint64]uint64   // group -> applied index
	reads   map[uint64]uint64   // group -> read index answered
}

// simClock runs at rate times real time from where it was set.
type simClock struct {
	s      *sim
	rate   float64
	base   time.Duration // clock reading at baseAt
	baseAt time.Duration // real time
}

func (c *simClock) Now() time.Duration {
	return c.base + time.Duration(float64(c.s.now-c.baseAt)*c.rate)
}

func (c *simClock) setRate(rate float64) {
	c.base, c.baseAt, c.rate = c.Now(), c.s.now, rate
}

// traffic counts what crossed the simulated network.
type traffic struct {
	batches, beats, acks, heartbeats int
	messages                         map[raftpb.MessageType]int
}

func (tr traffic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "batches=%d beats=%d acks=%d heartbeats=%d", tr.batches, tr.beats, tr.acks, tr.heartbeats)
	types := make([]raftpb.MessageType, 0, len(tr.messages))
	for t := range tr.messages {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		fmt.Fprintf(&b, " %s=%d", t, tr.messages[t])
	}
	return b.String()
}

func newSim(t testing.TB, nodes, groups, rf int) *sim {
	return newSimPreferred(t, nodes, groups, rf, false)
}

// newSimPreferred is newSim, with preferred leaders when preferred.
func newSimPreferred(t testing.TB, nodes, groups, rf int, preferred bool) *sim {
	s := &sim{t: t, tick: 100 * time.Millisecond, election: 10, nodes: map[uint64]*simNode{},
		voters: map[uint64][]uint64{}, cut: map[uint64]bool{}, preferred: preferred}
	s.now = time.Hour // clocks need not start at zero
	for i := 1; i <= nodes; i++ {
		s.ids = append(s.ids, uint64(i))
	}
	for g := 1; g <= groups; g++ {
		var vs []uint64
		for i := 0; i < rf; i++ {
			vs = append(vs, uint64((g-1+i)%nodes+1))
		}
		slices.Sort(vs)
		s.voters[uint64(g)] = vs
		s.groups = append(s.groups, uint64(g))
	}
	for _, id := range s.ids {
		n := &simNode{id: id, clock: &simClock{s: s, rate: 1}, storage: map[uint64]*raft.MemoryStorage{},
			applied: map[uint64][]string{}, index: map[uint64]uint64{}, reads: map[uint64]uint64{}}
		n.clock.base, n.clock.baseAt = time.Duration(id)*time.Minute, s.now
		s.nodes[id] = n
		for _, g := range s.groups {
			if slices.Contains(s.voters[g], id) {
				n.storage[g] = raft.NewMemoryStorage()
			}
		}
		s.start(n)
	}
	return s
}

// start opens a node's core over its storage (a restart keeps it).
func (s *sim) start(n *simNode) {
	c, err := New(Config{NodeID: n.id, Clock: n.clock, TickInterval: s.tick, ElectionTicks: s.election,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, g := range s.groups {
		if st := n.storage[g]; st != nil {
			gc := GroupConfig{Group: g, Voters: s.voters[g], Storage: st}
			if s.preferred {
				gc.Preferred = (g-1)%uint64(len(s.ids)) + 1
			}
			if err := c.AddGroup(gc); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	n.core = c
	n.down, n.paused, n.held = false, false, nil
}

// handle runs one node's Ready the way the shell does: persist, send,
// apply, advance. It returns whether there was anything.
func (s *sim) handle(n *simNode) bool {
	if n.down || n.paused || !n.core.HasReady() {
		return false
	}
	rd := n.core.Ready()
	for _, g := range rd.Groups {
		st := n.storage[g.Group]
		if !raft.IsEmptySnap(g.Snapshot) {
			if err := st.ApplySnapshot(g.Snapshot); err != nil {
				s.t.Fatalf("node %d group %d: apply snapshot: %v", n.id, g.Group, err)
			}
			n.applied[g.Group] = splitState(g.Snapshot.Data)
			n.index[g.Group] = g.Snapshot.Metadata.Index
		}
		if err := st.Append(g.Entries); err != nil {
			s.t.Fatalf("node %d group %d: append: %v", n.id, g.Group, err)
		}
		if !raft.IsEmptyHardState(g.HardState) {
			if err := st.SetHardState(g.HardState); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	for _, b := range rd.Batches {
		s.send(n, b)
	}
	for _, g := range rd.Groups {
		for _, e := range g.CommittedEntries {
			// After a restart raft hands out everything after the
			// snapshot again: conf changes are re-applied to raft (it
			// rebuilds the voters from them), normal entries the state
			// machine holds are skipped.
			switch e.Type {
			case raftpb.EntryConfChange:
				var cc raftpb.ConfChange
				if err := cc.Unmarshal(e.Data); err != nil {
					s.t.Fatal(err)
				}
				n.core.ApplyConfChange(g.Group, cc)
			case raftpb.EntryNormal:
				if len(e.Data) > 0 && e.Index > n.index[g.Group] {
					n.applied[g.Group] = append(n.applied[g.Group], string(e.Data))
				}
			}
			n.index[g.Group] = max(n.index[g.Group], e.Index)
		}
		for _, rs := range g.ReadStates {
			n.reads[g.Group] = rs.Index
		}
	}
	n.core.Advance(rd)
	return true
}

func splitState(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	return strings.Split(string(data), ",")
}

// send puts a batch on the network: lost if either end is cut or the
// receiver is down, held while it is paused.
func (s *sim) send(from *simNode, b *Batch) {
	s.traffic.batches++
	if b.Beat != nil {
		s.traffic.beats++
	}
	s.traffic.acks += len(b.Acks)
	s.traffic.heartbeats += len(b.Heartbeats)
	for _, m := range b.Messages {
		if s.traffic.messages == nil {
			s.traffic.messages = map[raftpb.MessageType]int{}
		}
		s.traffic.messages[m.Msg.Type]++
	}
	to := s.nodes[b.To]
	if s.cut[b.From] || s.cut[b.To] || to.down {
		for _, m := range b.Messages {
			from.core.ReportUnreachable(m.Group, b.To)
			if m.Msg.Type == raftpb.MsgSnap {
				from.core.ReportSnapshot(m.Group, b.To, raft.SnapshotFailure)
			}
		}
		return
	}
	if to.paused {
		to.held = append(to.held, b)
		return
	}
	s.deliver(to, b)
}

// resume lets a paused node run again: the batches held for it are
// delivered in order, then the cluster settles.
func (s *sim) resume(n *simNode) {
	n.paused = false
	held := n.held
	n.held = nil
	for _, b := range held {
		s.deliver(n, b)
	}
	s.stabilize()
}

func (s *sim) deliver(to *simNode, b *Batch) {
	if err := to.core.Step(b); err != nil {
		s.t.Fatalf("node %d: step: %v", to.id, err)
	}
	for _, m := range b.Messages {
		if m.Msg.Type == raftpb.MsgSnap {
			s.nodes[b.From].core.ReportSnapshot(m.Group, b.To, raft.SnapshotFinish)
		}
	}
}

// stabilize handles Readies until no node has any, checking the lease
// invariant after each.
func (s *sim) stabilize() {
	for round := 0; ; round++ {
		if round > 10000 {
			s.t.Fatal("no quiet after 10000 rounds")
		}
		busy := false
		for _, id := range s.ids {
			if s.handle(s.nodes[id]) {
				busy = true
				s.checkLeases()
			}
		}
		if !busy {
			return
		}
	}
}

// advance moves real time by d in steps of one tick, ticking every
// running node and stabilizing after each.
func (s *sim) advance(ticks int) {
	for i := 0; i < ticks; i++ {
		s.now += s.tick
		for _, id := range s.ids {
			if n := s.nodes[id]; !n.down && !n.paused {
				n.core.Tick()
			}
		}
		s.checkLeases()
		s.stabilize()
	}
}

// checkLeases fails the test if a node holds a valid lease in a group
// unless a majority of the group's voters are bound not to elect anyone
// else right now — each is the lease holder, supports it in its term
// (support.go), or refuses votes after a restart — and if another node
// leads the group in a later term (the new leader could acknowledge a
// write the lease holder's reads would miss). The first is the lease's
// argument, checked directly; the second its consequence.
func (s *sim) checkLeases() {
	for _, g := range s.groups {
		for _, id := range s.ids {
			n := s.nodes[id]
			if n.down || n.core.groups[g] == nil {
				continue
			}
			l, ok := n.core.Lease(g)
			if !ok || n.clock.Now() >= l.Expires {
				continue
			}
			bound := 0
			for _, v := range s.voters[g] {
				if v == id || s.promises(s.nodes[v], g, id, l.Term) {
					bound++
				}
			}
			if bound <= len(s.voters[g])/2 {
				s.t.Fatalf("group %d: node %d holds a lease of term %d (%v left) but only %d of %v are bound to it",
					g, id, l.Term, l.Expires-n.clock.Now(), bound, s.voters[g])
			}
			for _, other := range s.ids {
				o := s.nodes[other]
				if other == id || o.down || o.core.groups[g] == nil {
					continue
				}
				st := o.core.groups[g].rn.BasicStatus()
				if st.RaftState == raft.StateLeader && st.Term > l.Term {
					s.t.Fatalf("group %d: node %d holds a lease of term %d (%v left) while node %d leads in term %d",
						g, id, l.Term, l.Expires-n.clock.Now(), other, st.Term)
				}
			}
		}
	}
}

// promises says whether node n, by its own clock, is now bound to vote
// for nobody in the group but leader lead: it supports lead in term, or
// it restarted with state for the group and is within its vote grace.
// A killed node's promise is judged on the state it died with.
func (s *sim) promises(n *simNode, g, lead, term uint64) bool {
	r := n.core.groups[g]
	now := n.clock.Now()
	if r.restarted && now-n.core.openedAt < n.core.tm.voteGrace {
		return true
	}
	return r.supports(r.rn.BasicStatus(), now) && r.supportLead == lead && r.supportTerm == term
}

// leaders returns the nodes that lead the group as raft says on each
// running node (not down, not paused), in node order.
func (s *sim) leaders(g uint64) []uint64 {
	var out []uint64
	for _, id := range s.ids {
		n := s.nodes[id]
		if n.down || n.paused || n.core.groups[g] == nil {
			continue
		}
		if n.core.groups[g].rn.BasicStatus().RaftState == raft.StateLeader {
			out = append(out, id)
		}
	}
	return out
}

// highestLeader is the group's leader in the highest term among running
// nodes, or 0.
func (s *sim) highestLeader(g uint64) uint64 {
	var best, term uint64
	for _, id := range s.leaders(g) {
		if t := s.nodes[id].core.groups[g].rn.BasicStatus().Term; t > term {
			best, term = id, t
		}
	}
	return best
}
