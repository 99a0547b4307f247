package multiraft

import (
	"time"

	"go.etcd.io/raft/v3"
)

// Leadership placement. Each group may name a preferred leader
// (GroupConfig.Preferred): the partition's first replica in placement
// order, which rendezvous hashing spreads evenly over the nodes, so that
// every node leads about its share of the groups and serves their reads
// and commits. A group led elsewhere — after its preferred node failed
// and came back, or after an election that another node won — is handed
// back by its leader as soon as the preferred node is healthy:
//
//   - it supports this leader in the group's current term (its latest
//     beat acknowledgement says so: it is up and hears the leader),
//   - it holds the whole log (its match index is the leader's last), so
//     the transfer does not wait for it to catch up,
//   - it has not asked to be spared (SetUnwilling, e.g. while its clock
//     is off: it would hand the group away at once),
//   - and this node has led the group for an election timeout, and has
//     not tried for as long, so a flapping node does not make groups
//     flap with it.
//
// The hand-over is TransferLeadership's: the lease is given up first.

// SetUnwilling asks the other nodes not to hand this node leadership
// (rebalancing only: raft elections are unaffected), carried on every
// beat acknowledgement.
func (c *Core) SetUnwilling(unwilling bool) { c.unwilling = unwilling }

// rebalance hands group g, which this node leads, to its preferred
// leader when that node is healthy. Called from Tick.
func (c *Core) rebalance(g uint64, r *replica, st raft.BasicStatus, now time.Duration) {
	if r.preferred == 0 || r.preferred == c.cfg.NodeID || st.LeadTransferee != 0 {
		return
	}
	if r.rebalanceAt == 0 {
		r.rebalanceAt = now + c.tm.support
		return
	}
	if now < r.rebalanceAt {
		return
	}
	r.rebalanceAt = now + c.tm.support
	p := c.peers[r.preferred]
	if p == nil || p.unwilling || !c.peerSupports(r.preferred, g, st.Term) {
		return
	}
	status := r.rn.Status()
	target, ok := status.Progress[r.preferred]
	if !ok || target.Match < status.Progress[c.cfg.NodeID].Match {
		return
	}
	c.logger.Info("multiraft: handing the group to its preferred leader", "group", g, "to", r.preferred, "term", st.Term)
	r.noLeaseTerm = st.Term
	r.quiesced = false
	r.rn.TransferLeader(r.preferred)
}
