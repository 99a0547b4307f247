package multiraft

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"

	"github.com/quorumdb/quorumdb/internal/raftslog"
)

var (
	// ErrNotLeader is returned for a proposal, read or transfer asked of
	// a node that does not lead the group.
	ErrNotLeader = errors.New("multiraft: not the leader")
	// ErrNoGroup is returned for a group this node does not replicate.
	ErrNoGroup = errors.New("multiraft: no such group here")
)

// Core is the deterministic part of a node's multi-raft: every group's
// RawNode, the node-level beats that carry the followers' support and
// the leaders' leases, the coalescing of messages per peer, and
// quiescence. It starts no goroutine, reads time only from its Clock and
// is driven by one goroutine at a time: the shell's scheduler loop, or a
// test that scripts ticks and deliveries. Disks, the network and state
// machines stay outside: the caller takes each Ready, persists it, sends
// its batches, applies its committed entries and calls Advance.
type Core struct {
	cfg    Config
	tm     timing
	logger *slog.Logger

	openedAt time.Duration
	lastTick time.Duration
	ticked   bool

	groups map[uint64]*replica
	order  []uint64 // group ids, sorted: iteration is deterministic
	peers  map[uint64]*peer

	beatSeq uint64
	out     map[uint64]*Batch // what the next Ready sends, per peer
	// unwilling is SetUnwilling's: this node asks not to be handed
	// leadership.
	unwilling bool
}

// replica is this node's member of one group.
type replica struct {
	group  uint64
	rn     *raft.RawNode
	voters []uint64

	// restarted: the group had state when it was added, so this node
	// may have supported a leader before a restart it cannot remember;
	// it grants no vote for voteGrace (support.go).
	restarted bool

	// quiesced: this leader stopped ticking because everything is
	// replicated and nothing is pending (quiesce.go).
	quiesced bool

	// preferred is GroupConfig.Preferred; rebalanceAt is when this
	// leader next considers handing the group to it (0: not leading).
	preferred   uint64
	rebalanceAt time.Duration

	// Leadership as of the last Ready.
	lead, term uint64
	leading    bool
	// termStart is the index of the first entry of this leader's term;
	// a lease serves reads only once it is applied.
	termStart uint64
	// noLeaseTerm is a term in which this leader began a leadership
	// transfer: it takes no lease for the rest of it.
	noLeaseTerm uint64

	// The support this follower gives its leader (support.go): until
	// supportUntil it neither campaigns nor votes, as long as raft still
	// names supportLead as leader in supportTerm.
	supportLead, supportTerm uint64
	supportUntil             time.Duration
}

// GroupReady is one group's raft.Ready.
type GroupReady struct {
	Group uint64
	raft.Ready
}

// Ready is one cycle's work: the groups' Readies, whose entries, hard
// states and snapshots the caller persists (one fsync for all), then the
// batches it sends, one per peer, then the committed entries it applies.
type Ready struct {
	Groups  []GroupReady
	Batches []*Batch
}

// Empty says whether there is nothing to do.
func (r *Ready) Empty() bool { return len(r.Groups) == 0 && len(r.Batches) == 0 }

// New returns a core with no groups.
func New(cfg Config) (*Core, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	return &Core{
		cfg:      cfg,
		tm:       newTiming(cfg),
		logger:   cfg.Logger,
		openedAt: cfg.Clock.Now(),
		groups:   make(map[uint64]*replica),
		peers:    make(map[uint64]*peer),
		out:      make(map[uint64]*Batch),
	}, nil
}

// GroupConfig says how to open one group.
type GroupConfig struct {
	Group uint64
	// Voters are the node ids of the group's replicas, this node
	// included; membership is fixed.
	Voters []uint64
	// Storage serves raft's reads of the log; the caller persists what
	// each Ready says into it (and to disk) before Advance.
	Storage raft.Storage
	// Preferred is the node that should lead the group whenever it is
	// healthy (the partition's first replica in placement order, so
	// that leadership spreads evenly); 0: none (rebalance.go).
	Preferred uint64
}

// AddGroup opens a group on this node. A group whose storage is empty is
// bootstrapped with Voters, as every replica does identically.
func (c *Core) AddGroup(gc GroupConfig) error {
	if _, ok := c.groups[gc.Group]; ok {
		return fmt.Errorf("multiraft: group %d added twice", gc.Group)
	}
	if !slices.Contains(gc.Voters, c.cfg.NodeID) {
		return fmt.Errorf("multiraft: group %d: this node (%d) is not among its voters %v", gc.Group, c.cfg.NodeID, gc.Voters)
	}
	snap, err := gc.Storage.Snapshot()
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", gc.Group, err)
	}
	// raft hands out again every committed entry after the snapshot:
	// the voters are rebuilt from the conf changes among them (Storage
	// knows only the snapshot's), and the caller skips the normal
	// entries its state machine already holds.
	rn, err := raft.NewRawNode(&raft.Config{
		ID:                        c.cfg.NodeID,
		ElectionTick:              c.cfg.ElectionTicks,
		HeartbeatTick:             c.cfg.HeartbeatTicks,
		Storage:                   gc.Storage,
		Applied:                   snap.Metadata.Index,
		MaxSizePerMsg:             c.cfg.MaxSizePerMsg,
		MaxInflightMsgs:           c.cfg.MaxInflightMsgs,
		MaxInflightBytes:          c.cfg.MaxInflightBytes,
		CheckQuorum:               true,
		PreVote:                   true,
		ReadOnlyOption:            raft.ReadOnlySafe,
		DisableProposalForwarding: true,
		Logger:                    &raftslog.Logger{L: c.logger.With("group", gc.Group)},
	})
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", gc.Group, err)
	}
	first, err := gc.Storage.FirstIndex()
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", gc.Group, err)
	}
	last, err := gc.Storage.LastIndex()
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", gc.Group, err)
	}
	fresh := first == 1 && last == 0
	if fresh {
		peers := make([]raft.Peer, len(gc.Voters))
		for i, v := range gc.Voters {
			peers[i] = raft.Peer{ID: v}
		}
		if err := rn.Bootstrap(peers); err != nil {
			return fmt.Errorf("multiraft: group %d: bootstrap: %w", gc.Group, err)
		}
	}
	r := &replica{group: gc.Group, rn: rn, voters: slices.Sorted(slices.Values(gc.Voters)), restarted: !fresh, preferred: gc.Preferred}
	c.groups[gc.Group] = r
	i, _ := slices.BinarySearch(c.order, gc.Group)
	c.order = slices.Insert(c.order, i, gc.Group)
	for _, v := range r.voters {
		if v != c.cfg.NodeID && c.peers[v] == nil {
			c.peers[v] = &peer{id: v}
		}
	}
	return nil
}

// Tick advances time by one tick: every group that should count time
// (support.go, quiesce.go) ticks raft once, and every peer gets a beat.
// A tick less than minTickGap after the previous one is ignored: the
// leases rely on that spacing.
func (c *Core) Tick() {
	now := c.cfg.Clock.Now()
	if c.ticked && now-c.lastTick < c.tm.minTickGap {
		return
	}
	c.ticked, c.lastTick = true, now
	for _, g := range c.order {
		r := c.groups[g]
		st := r.rn.BasicStatus()
		if st.RaftState == raft.StateLeader {
			if !r.quiesced && c.canQuiesce(r, st, now) {
				r.quiesced = true
			} else if r.quiesced && (c.followerNeedsWaking(r, st.Term) || !c.leaseHolds(g, now)) {
				// A leader whose lease lapsed (its followers stopped
				// answering) ticks again, so raft's CheckQuorum steps it
				// down and the node says so, instead of a quiesced group
				// claiming leadership until someone asks it.
				r.quiesced = false
			}
			c.rebalance(g, r, st, now)
			if !r.quiesced {
				r.rn.Tick()
			}
			continue
		}
		r.quiesced, r.rebalanceAt = false, 0
		if !r.supports(st, now) {
			r.rn.Tick()
		}
	}
	c.sendBeats(now)
}

// Propose hands data to the group's raft as a new entry.
func (c *Core) Propose(group uint64, data []byte) error {
	r, err := c.awake(group)
	if err != nil {
		return err
	}
	if err := r.rn.Propose(data); err != nil {
		if errors.Is(err, raft.ErrProposalDropped) {
			return ErrNotLeader
		}
		return fmt.Errorf("multiraft: group %d: %w", group, err)
	}
	return nil
}

// ReadIndex asks the group's raft for a read index confirmed by a quorum
// (ReadOnlySafe); the answer comes in a Ready's ReadStates with ctx. For
// reads when the lease (Lease) does not hold.
func (c *Core) ReadIndex(group uint64, ctx []byte) error {
	r, err := c.awake(group)
	if err != nil {
		return err
	}
	if r.rn.BasicStatus().RaftState != raft.StateLeader {
		return ErrNotLeader
	}
	r.rn.ReadIndex(ctx)
	return nil
}

// TransferLeadership gives up the group's lease for the rest of the term
// and asks raft to hand leadership to node to.
func (c *Core) TransferLeadership(group, to uint64) error {
	r, err := c.awake(group)
	if err != nil {
		return err
	}
	st := r.rn.BasicStatus()
	if st.RaftState != raft.StateLeader {
		return ErrNotLeader
	}
	r.noLeaseTerm = st.Term
	r.rn.TransferLeader(to)
	return nil
}

// ReportUnreachable tells the group's raft a message to node to was not
// delivered.
func (c *Core) ReportUnreachable(group, to uint64) {
	if r := c.groups[group]; r != nil {
		r.rn.ReportUnreachable(to)
	}
}

// ReportSnapshot tells the group's raft how sending a snapshot to node
// to ended.
func (c *Core) ReportSnapshot(group, to uint64, status raft.SnapshotStatus) {
	if r := c.groups[group]; r != nil {
		r.quiesced = false
		r.rn.ReportSnapshot(to, status)
	}
}

// Step takes a batch from a peer: the beat is answered, acknowledgements
// are recorded for the leases, and every raft message goes to its group
// (waking it if quiesced). Messages for groups this node does not have
// are dropped.
func (c *Core) Step(b *Batch) error {
	if b.To != c.cfg.NodeID {
		return fmt.Errorf("multiraft: batch for node %d reached node %d", b.To, c.cfg.NodeID)
	}
	p := c.peers[b.From]
	if p == nil {
		return fmt.Errorf("multiraft: batch from node %d, which shares no group with node %d", b.From, c.cfg.NodeID)
	}
	now := c.cfg.Clock.Now()
	for _, a := range b.Acks {
		p.ack(a)
	}
	if b.Beat != nil {
		c.answerBeat(p, b.Beat, now)
	}
	for _, h := range b.Heartbeats {
		c.stepGroup(h.Group, h.message(b.From, b.To), now)
	}
	for _, m := range b.Messages {
		if m.Msg.From != b.From || m.Msg.To != b.To {
			return fmt.Errorf("multiraft: group %d message from %d to %d in a batch from %d to %d", m.Group, m.Msg.From, m.Msg.To, b.From, b.To)
		}
		c.stepGroup(m.Group, m.Msg, now)
	}
	return nil
}

// stepGroup hands one message to its group's raft. A vote request is
// dropped while this node supports the group's leader, and for voteGrace
// after the core started if the group had state then (support.go) — unless it is the election a
// leader asked for by transferring leadership.
func (c *Core) stepGroup(group uint64, m raftpb.Message, now time.Duration) {
	r := c.groups[group]
	if r == nil {
		c.logger.Debug("multiraft: message for a group not here", "group", group, "from", m.From, "type", m.Type)
		return
	}
	r.quiesced = false
	if (m.Type == raftpb.MsgVote || m.Type == raftpb.MsgPreVote) && string(m.Context) != campaignTransfer {
		if (r.restarted && now-c.openedAt < c.tm.voteGrace) || r.supports(r.rn.BasicStatus(), now) {
			return
		}
	}
	if err := r.rn.Step(m); err != nil && !errors.Is(err, raft.ErrStepPeerNotFound) {
		c.logger.Debug("multiraft: step", "group", group, "from", m.From, "type", m.Type, "err", err)
	}
}

// campaignTransfer is the context of the votes raft requests for a
// leadership transfer (raft's unexported campaignTransfer).
const campaignTransfer = "CampaignTransfer"

// HasReady says whether Ready would return anything.
func (c *Core) HasReady() bool {
	for _, b := range c.out {
		if !b.Empty() {
			return true
		}
	}
	for _, g := range c.order {
		if c.groups[g].rn.HasReady() {
			return true
		}
	}
	return false
}

// Ready collects the cycle's work from every group and the batches for
// every peer. The caller persists the groups' entries, hard states and
// snapshots, then sends the batches, applies the committed entries, and
// calls Advance with the same Ready.
func (c *Core) Ready() Ready {
	var rd Ready
	for _, g := range c.order {
		r := c.groups[g]
		if !r.rn.HasReady() {
			continue
		}
		grd := r.rn.Ready()
		r.noteLeadership(grd)
		for _, m := range grd.Messages {
			c.queue(g, m)
		}
		rd.Groups = append(rd.Groups, GroupReady{Group: g, Ready: grd})
	}
	for _, id := range slices.Sorted(maps.Keys(c.out)) {
		if b := c.out[id]; !b.Empty() {
			rd.Batches = append(rd.Batches, b)
		}
		delete(c.out, id)
	}
	return rd
}

// Advance tells every group's raft that its Ready was handled.
func (c *Core) Advance(rd Ready) {
	for _, g := range rd.Groups {
		c.groups[g.Group].rn.Advance(g.Ready)
	}
}

// queue puts one group message into its peer's batch, coalescing
// heartbeats.
func (c *Core) queue(group uint64, m raftpb.Message) {
	b := c.batchFor(m.To)
	if h, ok := heartbeatOf(group, m); ok {
		b.Heartbeats = append(b.Heartbeats, h)
		return
	}
	b.Messages = append(b.Messages, GroupMessage{Group: group, Msg: m})
}

func (c *Core) batchFor(to uint64) *Batch {
	b := c.out[to]
	if b == nil {
		b = &Batch{From: c.cfg.NodeID, To: to}
		c.out[to] = b
	}
	return b
}

// awake returns the group, woken if it was quiesced.
func (c *Core) awake(group uint64) (*replica, error) {
	r := c.groups[group]
	if r == nil {
		return nil, fmt.Errorf("multiraft: group %d: %w", group, ErrNoGroup)
	}
	r.quiesced = false
	return r, nil
}

// noteLeadership records leadership and term changes from a Ready.
func (r *replica) noteLeadership(rd raft.Ready) {
	if rd.SoftState != nil {
		wasLeading, wasTerm := r.leading, r.term
		r.lead = rd.SoftState.Lead
		r.leading = rd.SoftState.RaftState == raft.StateLeader
		if !raft.IsEmptyHardState(rd.HardState) {
			r.term = rd.HardState.Term
		}
		if r.leading && (!wasLeading || wasTerm != r.term) {
			// becomeLeader appends an empty entry of the new term; it
			// is in this Ready.
			r.termStart = 0
			for _, e := range rd.Entries {
				if e.Term == r.term {
					r.termStart = e.Index
					break
				}
			}
		}
		if !r.leading {
			r.quiesced = false
		}
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		r.term = rd.HardState.Term
	}
}

// ApplyConfChange applies a committed conf change to the group's raft
// (the shell does, for every conf change entry it is handed).
func (c *Core) ApplyConfChange(group uint64, cc raftpb.ConfChangeI) {
	if r := c.groups[group]; r != nil {
		r.rn.ApplyConfChange(cc)
	}
}

// GroupStatus is what this node knows of one group.
type GroupStatus struct {
	Group    uint64
	Voters   []uint64
	Leader   uint64 // 0: none known
	Term     uint64
	Commit   uint64
	Applied  uint64 // handed to the state machine
	Leading  bool
	Quiesced bool
}

// Status reports the group as this node knows it.
func (c *Core) Status(group uint64) (GroupStatus, bool) {
	r := c.groups[group]
	if r == nil {
		return GroupStatus{}, false
	}
	st := r.rn.BasicStatus()
	return GroupStatus{Group: group, Voters: slices.Clone(r.voters), Leader: st.Lead, Term: st.Term,
		Commit: st.Commit, Applied: st.Applied, Leading: st.RaftState == raft.StateLeader, Quiesced: r.quiesced}, true
}
