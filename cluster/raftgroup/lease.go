package raftgroup

import (
	"fmt"
	"time"
)

// The leader lease: why a leader may answer a read from its own state
// without asking anyone, and for how long.
//
// The leader renews its lease with read rounds (core.startRound): it
// reads its clock (sentAt), then asks raft for a ReadIndex, which raft
// (ReadOnlySafe) answers only once a quorum has acknowledged a heartbeat
// carrying the round's context. Every acknowledging follower F received
// that heartbeat after sentAt and, as it did, reset its election timer
// and recorded the leader (etcd raft's stepFollower). From then on F
// neither grants a vote or a pre-vote to anybody else (raft's inLease
// check, with CheckQuorum) nor campaigns itself until it has counted
// ElectionTicks ticks. Ticks are at least minTickGap apart on F's clock
// (core.tick drops a tick that comes too early), and the first may come
// at once, so F stays loyal for at least (ElectionTicks-1)*minTickGap of
// its clock after acknowledging. Any new leader needs a majority of
// votes, which shares a member with the acknowledging quorum, so no new
// leader can exist before that much time after sentAt — and a new
// leader is the only way a write can be acknowledged without this
// leader. The lease therefore ends at sentAt + leaseDuration, where
// leaseDuration is the follower's bound converted from the fastest
// follower clock to the slowest leader clock:
//
//	leaseDuration = (ElectionTicks-1) * minTickGap * (1-ρ)/(1+ρ),  ρ = maxClockRateDrift
//
// The assumption is a bound on clock RATES, not on offsets: clocks are
// never compared across nodes, each node only measures its own elapsed
// time.
//
// Three ways around that argument are closed elsewhere:
//   - A follower that restarts forgets that it heard from the leader. A
//     node therefore grants no vote (nor pre-vote) for voteGrace after it
//     opens its group (core.step); its process started after whatever it
//     acknowledged before the crash.
//   - A leadership transfer makes the transferee campaign with a forced
//     election that ignores the followers' loyalty. The leader gives up
//     its lease before it starts a transfer, and takes no new one for the
//     rest of that term (a delayed MsgTimeoutNow could still arrive).
//   - The check is made on the read path (Group.ReadIndex) with a fresh
//     clock reading, not in the loop: a process that was paused, or a
//     loop that fell behind, sees an expired lease when it resumes,
//     whatever its Raft state still says, and reads through a ReadIndex
//     round instead.
//
// The lease also needs the leader to have applied everything committed
// before its term (Group.ReadIndex checks appliedTerm): those are the
// only writes another leader may have acknowledged.

// minTickGapFraction is the least spacing of raft ticks as a fraction of
// Config.TickInterval. A time.Ticker delivers late ticks early relative
// to each other (a late tick followed by one on time), so demanding the
// full interval would drop ticks that are really on schedule.
const minTickGapFraction = 0.9

// timing holds the durations the group's safety and liveness rest on,
// derived from Config once.
type timing struct {
	tickInterval  time.Duration
	minTickGap    time.Duration // least time between two raft ticks
	electionTicks int
	// leaseDuration is how long after a read round's start (sentAt) the
	// leader may serve reads locally once a quorum answered the round.
	leaseDuration time.Duration
	// voteGrace is how long after opening the group a node refuses
	// votes: at least the longest lease any leader may hold, in real
	// time, measured on this node's clock.
	voteGrace time.Duration
}

func newTiming(tickInterval time.Duration, electionTicks int) (timing, error) {
	if electionTicks < 2 {
		return timing{}, fmt.Errorf("raftgroup: ElectionTicks must be at least 2 (got %d)", electionTicks)
	}
	gap := time.Duration(float64(tickInterval) * minTickGapFraction)
	loyalty := time.Duration(electionTicks-1) * gap // a follower's bound, on its own clock
	lease := time.Duration(float64(loyalty) * (1 - maxClockRateDrift) / (1 + maxClockRateDrift))
	return timing{
		tickInterval:  tickInterval,
		minTickGap:    gap,
		electionTicks: electionTicks,
		leaseDuration: lease,
		// The longest lease lasts lease/(1-ρ) of real time; this node's
		// clock measures that as at most lease*(1+ρ)/(1-ρ) = loyalty,
		// which a whole election timeout exceeds.
		voteGrace: time.Duration(electionTicks) * tickInterval,
	}, nil
}

// leaseState is the lease a leader holds: reads are served locally while
// the group's clock is before expires and the term is still the one the
// lease was granted in. Published by the loop (core), read by
// Group.ReadIndex; a nil lease is none.
type leaseState struct {
	term    uint64
	expires time.Duration // on the group's Clock
}

// holds reports whether the lease covers a read at now.
func (l *leaseState) holds(now time.Duration) bool {
	return l != nil && now < l.expires
}
