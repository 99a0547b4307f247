package replication

import (
	"context"
	"time"
)

// Membership tells the replication manager which peers are active. The
// heartbeat package implements it over cluster_node_heartbeat; tests use
// a small in-memory table.
type Membership interface {
	// ActivePeers returns the peers currently ACTIVE, this node included or
	// not (it is skipped). It is called from one goroutine every
	// Config.MembershipPoll and must not block for long; ctx bounds it. An
	// error means "unknown now": the manager keeps its previous view and
	// never deletes queues because of a failed read.
	ActivePeers(ctx context.Context) ([]Peer, error)
}

// Peer is one active member as the heartbeat table sees it.
type Peer struct {
	ID int
	// Address is the peer's gRPC host:port.
	Address string
	// LastHeartbeat is the peer's last heartbeat (informational; retention
	// is measured on this node's clock, see peerTable.observe).
	LastHeartbeat time.Time
}

// membershipLoop polls Membership and applies the peer table's decisions
// until ctx is done. It owns m.table.
func (m *Manager) membershipLoop(ctx context.Context) {
	failures := 0
	for {
		delay := m.cfg.MembershipPoll
		if err := m.pollMembership(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			policy := MembershipBackoff
			policy.Initial = m.cfg.MembershipPoll
			policy.Max = max(policy.Max, m.cfg.MembershipPoll)
			delay = policy.Delay(failures)
			failures++
			m.log.Warn("replication: reading active peers failed", "err", err, "attempt", failures, "retry_in", delay)
		} else {
			failures = 0
		}
		if sleep(ctx, delay) != nil {
			return
		}
	}
}

// pollMembership reads the active peers once and applies the changes.
func (m *Manager) pollMembership(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, max(m.cfg.MembershipPoll, time.Second))
	peers, err := m.members.ActivePeers(rctx)
	cancel()
	if err != nil {
		return err
	}
	for _, c := range m.table.observe(m.cfg.Now(), peers) {
		m.apply(c)
	}
	return nil
}
