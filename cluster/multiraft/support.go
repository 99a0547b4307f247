package multiraft

import (
	"maps"
	"slices"
	"time"

	"go.etcd.io/raft/v3"
)

// Support and leases: why a leader may serve a read from its own state,
// why a quiesced group keeps that right, and why a follower of a
// quiesced group still notices that its leader died.
//
// Raft ticks are what a follower counts down to an election; a leader
// that sends no heartbeats (quiesced, quiesce.go) would see its
// followers campaign, and 64 groups each renewing a lease by its own
// heartbeat round at every tick is the traffic quiescence exists to
// save. So liveness and leases are carried once per node pair, by beats
// (CockroachDB's store liveness and leader leases work the same way).
//
// At every tick each node sends each peer a Beat listing the groups it
// leads there, with their terms. A follower F receiving it at time r
// (F's clock) supports the sender L in every listed group G where raft
// on F names L as the leader in that same term, and says so in its
// acknowledgement. Supporting means that until r + support (F's clock),
// as long as raft on F still names L leader in that term, F does not
// tick G — so it does not campaign — and drops every vote and pre-vote
// request in G (Core.stepGroup); raft's own check with CheckQuorum
// (electionElapsed below the timeout, which a follower that does not
// tick never reaches) refuses them as well. When beats stop (L died,
// paused or cut off), support runs out, F ticks G again and, after an
// election timeout, campaigns.
//
// L sent the beat at s (L's clock), before r. When acknowledgements
// from a quorum of G's voters (L counting itself) name G in L's current
// term, no other node can become G's leader before the earliest of the
// supporting followers' r + support in real time: any election needs a
// majority, which includes a supporter, which votes for nobody until
// then (and cannot have voted in a later term before acknowledging: it
// would no longer name L leader in L's term). So L holds a lease in G
// until that quorum's s + lease, where lease is support converted from
// the fastest follower clock to the slowest leader clock:
//
//	lease = support * (1-ρ)/(1+ρ),  ρ = MaxClockRateDrift
//
// A leader leaves its lease as soon as raft says it no longer leads, or
// once it starts a leadership transfer (the transferee's election
// ignores support; a transfer's vote requests carry campaignTransfer),
// and its lease serves reads only once the first entry of its term is
// applied (everything an earlier leader acknowledged is then applied).
// A node that restarts forgets what it supported, so it grants no vote
// for voteGrace (= support) after it starts in any group it had state
// for (a group created empty never promised anything). A follower that stops
// supporting (the beat no longer lists G, or raft moved on) may stop at
// once: the leader's lease rests only on acknowledgements naming G, and
// ends with its leadership.

// peer is what this node knows of one other node.
type peer struct {
	id uint64
	// Leader side: beats sent and not yet acknowledged, oldest first,
	// and the support named by the latest acknowledgement.
	sent        []sentBeat
	hasAck      bool
	ackedSentAt time.Duration     // when the acknowledged beat was sent
	acked       map[uint64]uint64 // group -> term of the support acknowledged
	unwilling   bool              // the latest acknowledgement's (rebalance.go)
}

// sentBeat is a beat in flight: when it left and what it claimed.
type sentBeat struct {
	seq    uint64
	sentAt time.Duration
	leads  []GroupTerm
}

// maxBeatsInFlight bounds the beats remembered per peer: acknowledgements
// come in order on one stream, so older ones are no longer useful.
const maxBeatsInFlight = 64

// sendBeats queues a beat to every peer with the groups this node leads
// that the peer replicates.
func (c *Core) sendBeats(now time.Duration) {
	c.beatSeq++
	leads := make(map[uint64][]GroupTerm, len(c.peers))
	for _, g := range c.order {
		r := c.groups[g]
		st := r.rn.BasicStatus()
		if st.RaftState != raft.StateLeader {
			continue
		}
		for _, v := range r.voters {
			if v != c.cfg.NodeID {
				leads[v] = append(leads[v], GroupTerm{Group: g, Term: st.Term})
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.peers)) {
		p := c.peers[id]
		beat := &Beat{Seq: c.beatSeq, Leads: leads[id]}
		c.batchFor(id).Beat = beat
		p.sent = append(p.sent, sentBeat{seq: beat.Seq, sentAt: now, leads: beat.Leads})
		if len(p.sent) > maxBeatsInFlight {
			p.sent = slices.Delete(p.sent, 0, len(p.sent)-maxBeatsInFlight)
		}
	}
}

// answerBeat gives or withdraws this node's support for the beat's
// sender in each group and queues the acknowledgement.
func (c *Core) answerBeat(p *peer, b *Beat, now time.Duration) {
	claimed := make(map[uint64]uint64, len(b.Leads))
	for _, gt := range b.Leads {
		claimed[gt.Group] = gt.Term
	}
	ack := BeatAck{Seq: b.Seq, Unwilling: c.unwilling}
	for _, g := range c.order {
		r := c.groups[g]
		term, ok := claimed[g]
		st := r.rn.BasicStatus()
		if ok && st.Lead == p.id && st.Term == term && st.RaftState == raft.StateFollower {
			r.supportLead, r.supportTerm, r.supportUntil = p.id, term, now+c.tm.support
			ack.Supports = append(ack.Supports, g)
		} else if r.supportLead == p.id {
			r.supportLead, r.supportTerm, r.supportUntil = 0, 0, 0
		}
	}
	b2 := c.batchFor(p.id)
	b2.Acks = append(b2.Acks, ack)
}

// ack records a peer's acknowledgement of one of this node's beats.
func (p *peer) ack(a BeatAck) {
	i := slices.IndexFunc(p.sent, func(s sentBeat) bool { return s.seq == a.Seq })
	if i < 0 {
		return // too old, or from before a restart of this node
	}
	s := p.sent[i]
	p.sent = slices.Delete(p.sent, 0, i+1)
	acked := make(map[uint64]uint64, len(a.Supports))
	for _, gt := range s.leads {
		if slices.Contains(a.Supports, gt.Group) {
			acked[gt.Group] = gt.Term
		}
	}
	p.hasAck, p.ackedSentAt, p.acked, p.unwilling = true, s.sentAt, acked, a.Unwilling
}

// supports says whether this follower currently supports its leader in
// the group: it then neither ticks nor votes.
func (r *replica) supports(st raft.BasicStatus, now time.Duration) bool {
	return r.supportLead != 0 && st.Lead == r.supportLead && st.Term == r.supportTerm && now < r.supportUntil
}

// Lease is a leader's right to serve reads of a group from its own
// state: while the Clock reads before Expires, the node still leads in
// Term, and the state machine has applied MinApplied.
type Lease struct {
	Term       uint64
	Expires    time.Duration
	MinApplied uint64
}

// Lease returns the group's lease, or false when this node holds none.
// The shell publishes it after every cycle; a reader checks it against a
// fresh clock reading, so a paused or lagging loop only shortens it.
func (c *Core) Lease(group uint64) (Lease, bool) {
	r := c.groups[group]
	if r == nil {
		return Lease{}, false
	}
	st := r.rn.BasicStatus()
	if st.RaftState != raft.StateLeader || st.LeadTransferee != 0 || r.noLeaseTerm == st.Term ||
		!r.leading || r.term != st.Term || r.termStart == 0 {
		return Lease{}, false
	}
	var sentAt []time.Duration
	for _, v := range r.voters {
		if v == c.cfg.NodeID {
			continue
		}
		if p := c.peers[v]; p.hasAck && p.acked[group] == st.Term {
			sentAt = append(sentAt, p.ackedSentAt)
		}
	}
	need := len(r.voters)/2 + 1 - 1 // a majority, this node counted
	if len(sentAt) < need {
		return Lease{}, false
	}
	expires := time.Duration(1<<63 - 1)
	if need > 0 {
		slices.Sort(sentAt)
		expires = sentAt[len(sentAt)-need] + c.tm.lease
	}
	return Lease{Term: st.Term, Expires: expires, MinApplied: r.termStart}, true
}

// leaseHolds says whether this node holds the group's lease at now.
func (c *Core) leaseHolds(group uint64, now time.Duration) bool {
	l, ok := c.Lease(group)
	return ok && now < l.Expires
}
