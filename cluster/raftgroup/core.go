package raftgroup

import (
	"bytes"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// core is the deterministic part of a group: raft's RawNode and what the
// group decides on top of it — tick spacing, read rounds and the leader
// lease (lease.go), the refusal to vote right after a start, leadership
// transfer. It starts no goroutine, reads time only from its Clock and
// is driven by explicit calls from one goroutine at a time: the group's
// loop (loop.go), or a test that scripts a scenario tick by tick.
// Storage, the network and the state machine stay outside: the caller
// takes each Ready, does what it says, and calls advance.
type core struct {
	id     uint64
	rn     *raft.RawNode
	clock  Clock
	timing timing
	logger *slog.Logger
	// pub is what other goroutines read: leadership and the lease. The
	// core writes it; applied index and term are written by the applier.
	pub *published

	openedAt time.Duration // clock reading when the group opened
	lastTick time.Duration // clock reading at the last raft tick
	ticked   bool          // a raft tick happened

	// Leadership as of the last Ready.
	lead, term uint64
	leading    bool
	// noLeaseTerm is a term in which this leader started a leadership
	// transfer: it takes no lease for the rest of that term.
	noLeaseTerm uint64

	roundSeq uint64
	rounds   []*readRound // sent to raft, not answered; oldest first
	waiting  []chan error // callers for the next round
	answered []*readRound // with a read index, waiting for it to be applied
}

// published holds what the loop publishes for the group's other
// goroutines (API callers, the transport, the applier).
type published struct {
	leader   atomic.Uint64
	term     atomic.Uint64
	isLeader atomic.Bool
	lease    atomic.Pointer[leaseState]
	// appliedIndex and appliedTerm are the index and term of the last
	// entry the applier applied (apply.go). Once appliedTerm equals the
	// leader's term, every entry of earlier terms is applied here.
	appliedIndex atomic.Uint64
	appliedTerm  atomic.Uint64
}

// readRound is one raft ReadIndex request: a lease renewal, shared by
// the callers that were waiting when it started.
type readRound struct {
	ctx     []byte
	term    uint64
	sentAt  time.Duration // clock reading before the request reached raft
	ticks   int           // raft ticks since it started
	index   uint64        // the commit index raft answered
	waiters []chan error
}

// maxRoundsInFlight bounds the read rounds raft holds at once; callers
// beyond it wait for the next round.
const maxRoundsInFlight = 64

// campaignTransfer is the context of the votes raft requests for a
// leadership transfer (raft's unexported campaignTransfer): such votes
// are granted even to a node that just started, since the leader asked
// for them and has given up its lease.
const campaignTransfer = "CampaignTransfer"

func newCore(id uint64, rn *raft.RawNode, clock Clock, tm timing, pub *published, logger *slog.Logger) *core {
	return &core{id: id, rn: rn, clock: clock, timing: tm, pub: pub, logger: logger, openedAt: clock.Now()}
}

// tick advances raft's logical clock by one tick, unless the previous
// tick was less than minTickGap ago (lease.go relies on that spacing),
// and starts a read round that renews the lease.
func (c *core) tick() {
	now := c.clock.Now()
	if c.ticked && now-c.lastTick < c.timing.minTickGap {
		return
	}
	c.ticked, c.lastTick = true, now
	c.rn.Tick()
	kept := c.rounds[:0]
	for _, r := range c.rounds {
		r.ticks++
		// raft drops a request it cannot serve (no quorum answers):
		// give up on it after an election timeout.
		if r.ticks > c.timing.electionTicks {
			finish(r.waiters, ErrNotLeader)
			continue
		}
		kept = append(kept, r)
	}
	clear(c.rounds[len(kept):])
	c.rounds = kept
	c.startRound()
}

// step hands a message from a peer to raft. A vote or pre-vote request
// that arrives within voteGrace of the group's opening is dropped: this
// node may have promised, before a restart it cannot remember, not to
// vote while a leader's lease runs (lease.go).
func (c *core) step(m raftpb.Message) error {
	if (m.Type == raftpb.MsgVote || m.Type == raftpb.MsgPreVote) && string(m.Context) != campaignTransfer {
		if since := c.clock.Now() - c.openedAt; since < c.timing.voteGrace {
			c.logger.Debug("raftgroup: vote request refused right after start", "from", m.From, "type", m.Type, "since_open", since)
			return nil
		}
	}
	return c.rn.Step(m)
}

// propose hands data to raft as a new entry; ErrNotLeader unless this
// node leads (and is not handing leadership over).
func (c *core) propose(data []byte) error {
	if err := c.rn.Propose(data); err != nil {
		if errors.Is(err, raft.ErrProposalDropped) {
			return ErrNotLeader
		}
		return err
	}
	return nil
}

// addReaders queues callers for the next read round and starts it.
func (c *core) addReaders(ws []chan error) {
	if len(ws) == 0 {
		return
	}
	if !c.leaderNow() {
		finish(ws, ErrNotLeader)
		return
	}
	c.waiting = append(c.waiting, ws...)
	c.startRound()
}

// startRound sends raft a ReadIndex request carrying the waiting
// callers, if this node leads. Called at every tick (lease renewal) and
// when callers arrive.
func (c *core) startRound() {
	st := c.rn.BasicStatus()
	if st.RaftState != raft.StateLeader {
		finish(c.waiting, ErrNotLeader)
		c.waiting = nil
		return
	}
	if len(c.rounds) >= maxRoundsInFlight {
		return // the waiting callers go with the next round
	}
	c.roundSeq++
	r := &readRound{
		ctx:     putUint64(c.roundSeq),
		term:    st.Term,
		sentAt:  c.clock.Now(), // before raft sends anything for it
		waiters: c.waiting,
	}
	c.waiting = nil
	c.rn.ReadIndex(r.ctx)
	c.rounds = append(c.rounds, r)
}

// leaderNow says whether raft's state is leader right now (c.leading is
// as of the last Ready).
func (c *core) leaderNow() bool {
	return c.rn.BasicStatus().RaftState == raft.StateLeader
}

// transferLeadership gives up the lease for the rest of this term, then
// asks raft to hand leadership to node to.
func (c *core) transferLeadership(to uint64) error {
	st := c.rn.BasicStatus()
	if st.RaftState != raft.StateLeader {
		return ErrNotLeader
	}
	c.noLeaseTerm = st.Term
	c.pub.lease.Store(nil)
	c.rn.TransferLeader(to)
	return nil
}

// hasReady says whether raft has work for the caller.
func (c *core) hasReady() bool { return c.rn.HasReady() }

// ready takes raft's next Ready and notes what it says about leadership
// and read rounds. The caller persists, sends and applies it, then calls
// advance.
func (c *core) ready() raft.Ready {
	rd := c.rn.Ready()
	c.noteLeadership(rd)
	c.noteReadStates(rd.ReadStates)
	return rd
}

// advance tells raft the Ready was handled.
func (c *core) advance(rd raft.Ready) { c.rn.Advance(rd) }

// noteLeadership publishes leader and term changes; the lease and every
// pending read end with the leadership or term they belonged to.
func (c *core) noteLeadership(rd raft.Ready) {
	if rd.SoftState != nil {
		c.lead = rd.SoftState.Lead
		c.leading = rd.SoftState.RaftState == raft.StateLeader
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		c.term = rd.HardState.Term
	}
	if l := c.pub.lease.Load(); l != nil && (!c.leading || l.term != c.term) {
		c.pub.lease.Store(nil)
	}
	if !c.leading {
		c.failReads(ErrNotLeader)
	}
	c.pub.leader.Store(c.lead)
	c.pub.term.Store(c.term)
	c.pub.isLeader.Store(c.leading)
}

// noteReadStates matches raft's answers to the rounds in flight. raft
// answers a round only after a quorum acknowledged a heartbeat sent
// after the round's sentAt, so the lease runs from sentAt (lease.go).
// An answer also releases every earlier round (raft answers them too).
func (c *core) noteReadStates(states []raft.ReadState) {
	for _, rs := range states {
		i := c.roundIndex(rs.RequestCtx)
		if i < 0 {
			continue // timed out already
		}
		r := c.rounds[i]
		c.rounds = append(c.rounds[:i], c.rounds[i+1:]...)
		r.index = rs.Index
		c.renewLease(r)
		if len(r.waiters) > 0 {
			c.answered = append(c.answered, r)
		}
	}
	if len(c.waiting) > 0 {
		c.startRound()
	}
}

func (c *core) roundIndex(ctx []byte) int {
	for i, r := range c.rounds {
		if bytes.Equal(r.ctx, ctx) {
			return i
		}
	}
	return -1
}

// renewLease extends the lease to the answered round's sentAt plus the
// lease duration, if this node still leads in the round's term and has
// not started a transfer in it.
func (c *core) renewLease(r *readRound) {
	st := c.rn.BasicStatus()
	if st.RaftState != raft.StateLeader || st.Term != r.term || c.noLeaseTerm == r.term || st.LeadTransferee != 0 {
		return
	}
	expires := r.sentAt + c.timing.leaseDuration
	if l := c.pub.lease.Load(); l != nil && l.term == r.term && l.expires >= expires {
		return
	}
	c.pub.lease.Store(&leaseState{term: r.term, expires: expires})
}

// completeReads releases the callers whose read index is applied.
func (c *core) completeReads(applied uint64) {
	kept := c.answered[:0]
	for _, r := range c.answered {
		switch {
		case !c.leading:
			finish(r.waiters, ErrNotLeader)
		case r.index <= applied:
			finish(r.waiters, nil)
		default:
			kept = append(kept, r)
		}
	}
	clear(c.answered[len(kept):])
	c.answered = kept
}

// failReads ends every pending read with err.
func (c *core) failReads(err error) {
	for _, r := range c.rounds {
		finish(r.waiters, err)
	}
	c.rounds = nil
	for _, r := range c.answered {
		finish(r.waiters, err)
	}
	c.answered = nil
	finish(c.waiting, err)
	c.waiting = nil
}

func finish(waiters []chan error, err error) {
	for _, w := range waiters {
		w <- err // buffered 1, written once
	}
}
