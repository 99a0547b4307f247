package raftgroup

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

	"github.com/quorumdb/quorumdb/internal/raftslog"
)

// A deterministic simulation of a group's cores, for scripted scenarios
// of the lease (lease_test.go): real time is a number the test advances;
// each node's clock runs at its own rate from it; messages travel with a
// fixed latency and are dropped across a cut link; a paused node neither
// ticks nor processes anything (messages wait for it, as in a socket
// buffer) while its clock keeps going; storage is raft's MemoryStorage
// and counts as durable. Nothing runs concurrently, so a scenario is a
// sequence of calls, and after every step the simulator checks the lease
// invariant: no node holds a valid lease while another node leads in a
// later term.

// simClock is a node's clock: rate times real time, plus an offset.
type simClock struct {
	sim    *sim
	rate   float64
	offset time.Duration
}

func (c *simClock) Now() time.Duration {
	return c.offset + time.Duration(float64(c.sim.now)*c.rate)
}

type simNode struct {
	id      uint64
	clock   *simClock
	mem     *raft.MemoryStorage
	pub     *published
	core    *core
	applied uint64
	// tickEvery is the spacing of ticks on the node's own clock;
	// nextTick is when (on that clock) it ticks next.
	tickEvery, nextTick time.Duration
	paused, down        bool
	// onOpen, if set, adjusts the timing of the node's next core (tests
	// that show what a safeguard prevents turn it off).
	onOpen func(*timing)
}

type simMessage struct {
	at time.Duration // real time of delivery
	m  raftpb.Message
}

// violation is a moment when a node held a valid lease while another led
// in a later term.
type violation struct {
	at                 time.Duration
	holder, usurper    uint64
	leaseTerm, newTerm uint64
}

func (v violation) String() string {
	return fmt.Sprintf("at %v node %d held its term-%d lease while node %d led in term %d", v.at, v.holder, v.leaseTerm, v.usurper, v.newTerm)
}

type sim struct {
	t          testing.TB
	now        time.Duration
	step       time.Duration // real time per simulation step
	latency    time.Duration
	timing     timing
	nodes      []*simNode // by id-1
	cut        map[[2]uint64]bool
	inflight   []simMessage
	violations []violation
	trace      []string // leadership and lease events, for failure messages
	timers     []simTimer
	debug      func(raftpb.Message)
}

// simTimer is an action the simulation runs at a real time.
type simTimer struct {
	at time.Duration
	fn func()
}

// after schedules fn to run d from now.
func (s *sim) after(d time.Duration, fn func()) {
	s.timers = append(s.timers, simTimer{at: s.now + d, fn: fn})
}

// simTick and simElection are the simulated group's timing: the
// production tick (100 ms) and an election timeout of 10 ticks.
const (
	simTick     = 100 * time.Millisecond
	simElection = 10
)

func newSim(t testing.TB, n int) *sim {
	tm, err := newTiming(simTick, simElection)
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{t: t, step: time.Millisecond / 2, latency: time.Millisecond, timing: tm, cut: map[[2]uint64]bool{}}
	var peers []raft.Peer
	for id := uint64(1); id <= uint64(n); id++ {
		peers = append(peers, raft.Peer{ID: id})
	}
	for id := uint64(1); id <= uint64(n); id++ {
		nd := &simNode{id: id, clock: &simClock{sim: s, rate: 1}, mem: raft.NewMemoryStorage(), tickEvery: tm.tickInterval}
		nd.nextTick = nd.tickEvery * time.Duration(id) / time.Duration(n) // spread the phases
		s.nodes = append(s.nodes, nd)
		s.open(nd, peers)
	}
	return s
}

var simLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// open starts the node's core from what its storage holds (bootstrapping
// peers on a fresh one), as Open does.
func (s *sim) open(nd *simNode, peers []raft.Peer) {
	hs, _, err := nd.mem.InitialState()
	if err != nil {
		s.t.Fatal(err)
	}
	// Applied 0: raft hands every committed entry over again, conf
	// changes included, and the node's (in-memory) state machine
	// re-applies them.
	nd.applied = 0
	rn, err := raft.NewRawNode(&raft.Config{
		ID: nd.id, ElectionTick: simElection, HeartbeatTick: 1, Storage: nd.mem,
		MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, CheckQuorum: true, PreVote: true,
		ReadOnlyOption: raft.ReadOnlySafe, DisableProposalForwarding: true,
		Logger: &raftslog.Logger{L: simLogger},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if raft.IsEmptyHardState(hs) && peers != nil {
		if err := rn.Bootstrap(peers); err != nil {
			s.t.Fatal(err)
		}
	}
	tm := s.timing
	if nd.onOpen != nil {
		nd.onOpen(&tm)
	}
	nd.pub = &published{}
	nd.pub.appliedIndex.Store(nd.applied)
	nd.core = newCore(nd.id, rn, nd.clock, tm, nd.pub, simLogger)
}

func (s *sim) node(id uint64) *simNode { return s.nodes[id-1] }

// setCut cuts (or heals) the links between a and b, both ways.
func (s *sim) setCut(a, b uint64, cut bool) {
	s.cut[[2]uint64{a, b}], s.cut[[2]uint64{b, a}] = cut, cut
}

// isolate cuts (or heals) every link of node id.
func (s *sim) isolate(id uint64, cut bool) {
	for _, nd := range s.nodes {
		if nd.id != id {
			s.setCut(id, nd.id, cut)
		}
	}
}

// setRate changes the rate of node id's clock from now on, without a
// jump in its reading.
func (s *sim) setRate(id uint64, rate float64) {
	c := s.node(id).clock
	now := c.Now()
	c.rate = rate
	c.offset = now - time.Duration(float64(s.now)*rate)
}

// restart crashes node id and opens it again from its storage at once.
func (s *sim) restart(id uint64) {
	nd := s.node(id)
	s.open(nd, nil)
	s.tracef("node %d restarted", id)
}

func (s *sim) tracef(format string, args ...any) {
	s.trace = append(s.trace, fmt.Sprintf("%8.1fms ", float64(s.now)/1e6)+fmt.Sprintf(format, args...))
}

// run advances real time by d, one step at a time.
func (s *sim) run(d time.Duration) {
	for end := s.now + d; s.now < end; {
		s.advance()
	}
}

// runUntil advances time until cond holds, failing after limit.
func (s *sim) runUntil(what string, limit time.Duration, cond func() bool) {
	s.t.Helper()
	for end := s.now + limit; !cond(); {
		if s.now >= end {
			s.t.Fatalf("%s: not within %v\n%s", what, limit, strings.Join(s.trace, "\n"))
		}
		s.advance()
	}
}

// advance is one simulation step: deliver what arrived, tick the nodes
// whose clock says so, handle their Readies, check the invariant.
func (s *sim) advance() {
	s.now += s.step
	pending := s.timers[:0]
	var due []func()
	for _, tm := range s.timers {
		if tm.at <= s.now {
			due = append(due, tm.fn)
		} else {
			pending = append(pending, tm)
		}
	}
	s.timers = pending
	for _, fn := range due {
		fn()
	}
	kept := s.inflight[:0]
	for _, sm := range s.inflight {
		to := s.node(sm.m.To)
		switch {
		case sm.at > s.now || to.paused:
			kept = append(kept, sm)
		case s.cut[[2]uint64{sm.m.From, sm.m.To}] || to.down:
			// dropped
		default:
			if s.debug != nil {
				s.debug(sm.m)
			}
			if err := to.core.step(sm.m); err != nil {
				s.t.Fatalf("node %d stepping %v: %v", to.id, sm.m.Type, err)
			}
		}
	}
	s.inflight = kept
	for _, nd := range s.nodes {
		if nd.paused || nd.down {
			continue
		}
		if now := nd.clock.Now(); now >= nd.nextTick {
			// The next tick is tickEvery after this one as it happened,
			// so ticks are never closer than tickEvery (a ticker set to
			// the core's minimum spacing loses none).
			nd.nextTick = now + nd.tickEvery
			nd.core.tick()
		}
		s.process(nd)
	}
	s.check()
}

// process handles the node's Readies as the loop does, with memory
// storage and instant application.
func (s *sim) process(nd *simNode) {
	for nd.core.hasReady() {
		wasLeading, wasTerm := nd.core.leading, nd.core.term
		rd := nd.core.ready()
		if nd.core.leading != wasLeading || nd.core.term != wasTerm {
			s.tracef("node %d: leader=%v term=%d", nd.id, nd.core.leading, nd.core.term)
		}
		if !raft.IsEmptyHardState(rd.HardState) {
			if err := nd.mem.SetHardState(rd.HardState); err != nil {
				s.t.Fatal(err)
			}
		}
		if err := nd.mem.Append(rd.Entries); err != nil {
			s.t.Fatal(err)
		}
		for _, m := range rd.Messages {
			if !s.cut[[2]uint64{m.From, m.To}] {
				s.inflight = append(s.inflight, simMessage{at: s.now + s.latency, m: m})
			}
		}
		for _, e := range rd.CommittedEntries {
			if e.Type == raftpb.EntryConfChange {
				var cc raftpb.ConfChange
				if err := cc.Unmarshal(e.Data); err != nil {
					s.t.Fatal(err)
				}
				nd.core.rn.ApplyConfChange(cc)
			}
			nd.applied = e.Index
			nd.pub.appliedIndex.Store(e.Index)
			nd.pub.appliedTerm.Store(e.Term)
		}
		nd.core.completeReads(nd.applied)
		nd.core.advance(rd)
	}
}

// leaseValid is Group.LeaseValid for a simulated node.
func (s *sim) leaseValid(nd *simNode) bool {
	l := nd.pub.lease.Load()
	return l.holds(nd.clock.Now()) && nd.pub.appliedTerm.Load() == l.term
}

// check records a violation of the lease invariant.
func (s *sim) check() {
	for _, a := range s.nodes {
		if a.down || !s.leaseValid(a) {
			continue
		}
		term := a.pub.lease.Load().term
		for _, b := range s.nodes {
			if b == a || b.down {
				continue
			}
			st := b.core.rn.BasicStatus()
			if st.RaftState == raft.StateLeader && st.Term > term {
				if n := len(s.violations); n == 0 || s.violations[n-1].holder != a.id || s.violations[n-1].usurper != b.id {
					s.tracef("VIOLATION node %d lease (term %d) vs leader %d term %d", a.id, term, b.id, st.Term)
				}
				s.violations = append(s.violations, violation{at: s.now, holder: a.id, usurper: b.id, leaseTerm: term, newTerm: st.Term})
			}
		}
	}
}

// leader returns the node that leads and holds a valid lease, if any.
func (s *sim) leader() *simNode {
	for _, nd := range s.nodes {
		if !nd.down && !nd.paused && nd.core.leading && s.leaseValid(nd) {
			return nd
		}
	}
	return nil
}

// leaderAbove returns a node leading in a term above term, if any.
func (s *sim) leaderAbove(term uint64) *simNode {
	for _, nd := range s.nodes {
		if nd.down || nd.paused {
			continue
		}
		if st := nd.core.rn.BasicStatus(); st.RaftState == raft.StateLeader && st.Term > term {
			return nd
		}
	}
	return nil
}

// elect runs until a leader holds its lease.
func (s *sim) elect() *simNode {
	s.t.Helper()
	s.runUntil("a leader with a lease", 10*time.Second, func() bool { return s.leader() != nil })
	return s.leader()
}

// others are the nodes other than nd.
func (s *sim) others(nd *simNode) []*simNode {
	return slices.DeleteFunc(slices.Clone(s.nodes), func(o *simNode) bool { return o == nd })
}

// noViolations fails the test if the invariant was ever broken.
func (s *sim) noViolations() {
	s.t.Helper()
	if len(s.violations) > 0 {
		s.t.Fatalf("lease invariant broken %d times, first %v\n%s", len(s.violations), s.violations[0], strings.Join(s.trace, "\n"))
	}
}

// propose proposes on nd and runs until it is applied there.
func (s *sim) propose(nd *simNode, data string) {
	s.t.Helper()
	if err := nd.core.propose([]byte(data)); err != nil {
		s.t.Fatalf("node %d propose: %v", nd.id, err)
	}
	s.process(nd)
	last, _ := nd.mem.LastIndex()
	s.runUntil("the proposal applied", 5*time.Second, func() bool { return nd.applied >= last })
}
