package multiraft

import (
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/tracker"
)

// Quiescence: a leader stops ticking a group when there is nothing to
// tell its followers, so an idle group sends no heartbeats at all. Its
// followers do not tick it either while they support the leader
// (support.go), so nobody campaigns; the node-level beats, one per peer
// per tick whatever the number of groups, keep the leader's lease and
// the followers' support alive. Any proposal, read that needs a quorum,
// leadership transfer, or message for the group wakes it; a leader
// also wakes a group when a follower's latest acknowledgement no longer
// supports it (the follower restarted, or fell out of the term) so that
// raft's heartbeats tell it who leads, and when its lease lapsed (the
// followers stopped answering its beats) so that raft's CheckQuorum
// steps it down within an election timeout.
//
// A leader quiesces only when every voter has everything: its log
// matches the leader's last index, the commit index has been sent to it,
// it was last heard from in replicating state, and its support for this
// term is current; the leader holds its lease (a quorum answers its
// beats); nothing is uncommitted or unapplied here, no read round is
// waiting and no transfer is under way.

// canQuiesce says whether a leading, ticking group may stop ticking.
func (c *Core) canQuiesce(r *replica, st raft.BasicStatus, now time.Duration) bool {
	if st.LeadTransferee != 0 || st.Commit != st.Applied || r.rn.HasReady() || !c.leaseHolds(r.group, now) {
		return false
	}
	var last uint64
	ok := true
	r.rn.WithProgress(func(id uint64, _ raft.ProgressType, pr tracker.Progress) {
		if id == c.cfg.NodeID {
			last = pr.Match
		}
	})
	if last != st.Commit {
		return false
	}
	r.rn.WithProgress(func(id uint64, _ raft.ProgressType, pr tracker.Progress) {
		if id == c.cfg.NodeID {
			return
		}
		if pr.Match != last || pr.State != tracker.StateReplicate || pr.CanBumpCommit(st.Commit) || pr.IsPaused() {
			ok = false
		}
	})
	if !ok {
		return false
	}
	for _, v := range r.voters {
		if v != c.cfg.NodeID && !c.peerSupports(v, r.group, st.Term) {
			return false
		}
	}
	return true
}

// followerNeedsWaking says whether a quiesced leader must tick again
// because a follower that has been answering beats no longer supports
// it in this term.
func (c *Core) followerNeedsWaking(r *replica, term uint64) bool {
	for _, v := range r.voters {
		if v == c.cfg.NodeID {
			continue
		}
		if p := c.peers[v]; p.hasAck && p.acked[r.group] != term {
			return true
		}
	}
	return false
}

// peerSupports says whether the peer's latest acknowledgement supports
// this node in the group's term.
func (c *Core) peerSupports(id, group, term uint64) bool {
	p := c.peers[id]
	return p != nil && p.hasAck && p.acked[group] == term
}
