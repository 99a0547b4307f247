package heartbeat

import (
	"fmt"
	"sync"
	"time"
)

// Beat is one heartbeat a node sends a peer directly (exchange.go): the
// facts of its cluster_node_heartbeat row, with the sender's clock.
type Beat struct {
	NodeID     int
	Address    string
	SQLAddress string
	StartedAt  time.Time
	// SentAt is the sender's clock when it sent the beat. Liveness never
	// compares it with the receiver's clock; the clock monitor measures
	// the sender's offset from it (clockoffset.go).
	SentAt  time.Time
	Version string
}

// Peers is this node's own view of the members' liveness, built from the
// heartbeats they send it directly, so it answers when the replicated
// cluster_node_heartbeat table cannot be read (no quorum). It is the
// deterministic core of the direct heartbeats: no goroutines, no clock
// of its own (every method is given the time), and a size fixed by the
// membership it was created with — a beat from a node that is not in it
// is refused, so memory is bounded by cluster.nodes. Exchanger is the
// shell that feeds it.
//
// A peer's HeartbeatAt in this view is when its last beat arrived, by
// this node's clock, and its State is computed from that (StateOf), so
// clock offset between nodes does not enter the view. Peers is safe for
// concurrent use: the exchange goroutines, the gRPC handler and SQL
// readers share it under mu.
type Peers struct {
	// cfg gives this node's id and facts and the liveness timeouts; it
	// never changes after NewPeers.
	cfg Config
	// members[i] is the peer address of node i+1 (cluster.nodes); empty
	// for a single node.
	members []string
	// created is when the view was made: a member never heard from is
	// aged from it.
	created time.Time

	mu sync.Mutex
	// self is this node's row once SetSelf was called (started false
	// before); heard holds each peer's last beat, HeartbeatAt set to
	// its arrival. Both guarded by mu.
	self    Row
	started bool
	heard   map[int]Row
}

// NewPeers returns an empty view for node cfg.NodeID among members
// (cluster.nodes: members[i] is node i+1), created at now. cfg's
// defaults are applied.
func NewPeers(cfg Config, members []string, now time.Time) *Peers {
	return &Peers{
		cfg:     cfg.WithDefaults(),
		members: append([]string(nil), members...),
		created: now,
		heard:   make(map[int]Row, len(members)),
	}
}

// SetSelf records this node's own facts once it serves: its SQL address
// and start time (the rest comes from Config). Until then Self reports
// false and the node does not answer beats.
func (p *Peers) SetSelf(sqlAddress string, startedAt time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.self = Row{
		NodeID:     p.cfg.NodeID,
		Address:    p.cfg.Address,
		SQLAddress: sqlAddress,
		StartedAt:  startedAt,
		Version:    p.cfg.Version,
	}
	p.started = true
}

// Self returns this node's beat as sent at now, and false before
// SetSelf.
func (p *Peers) Self(now time.Time) (Beat, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.started {
		return Beat{}, false
	}
	s := p.self
	return Beat{NodeID: s.NodeID, Address: s.Address, SQLAddress: s.SQLAddress, StartedAt: s.StartedAt, SentAt: now, Version: s.Version}, true
}

// Member returns the peer address of node id and whether id is a member
// other than this node.
func (p *Peers) Member(id int) (string, bool) {
	if id < 1 || id > len(p.members) || id == p.cfg.NodeID {
		return "", false
	}
	return p.members[id-1], true
}

// Observe records b, received at now. A beat from a node that is not a
// member, from this node itself, or whose address is not the member's
// is refused with ErrNotMember and changes nothing: nodes configured
// with different cluster.nodes must not feed each other's views.
func (p *Peers) Observe(b Beat, now time.Time) error {
	addr, ok := p.Member(b.NodeID)
	switch {
	case !ok:
		return fmt.Errorf("%w: node %d (%s) is not a peer of node %d among %d members", ErrNotMember, b.NodeID, b.Address, p.cfg.NodeID, len(p.members))
	case b.Address != addr:
		return fmt.Errorf("%w: node %d sent address %s, cluster.nodes[%d] here is %s", ErrNotMember, b.NodeID, b.Address, b.NodeID-1, addr)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if last, ok := p.heard[b.NodeID]; ok && now.Before(last.HeartbeatAt) {
		now = last.HeartbeatAt // never move a peer's last contact back
	}
	p.heard[b.NodeID] = Row{
		NodeID:      b.NodeID,
		Address:     b.Address,
		SQLAddress:  b.SQLAddress,
		StartedAt:   b.StartedAt,
		HeartbeatAt: now,
		Version:     b.Version,
	}
	return nil
}

// Rows returns the view at now, in node id order: this node (ACTIVE,
// heartbeat now: it is the one answering), every peer heard from with
// its State by the age of its last beat, and every member never heard
// from with only its address, no heartbeat time, and NO_HEARTBEAT (or
// OFFLINE once the view is older than OfflineAfter) — never ACTIVE.
func (p *Peers) Rows(now time.Time) []Row {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := max(len(p.members), p.cfg.NodeID)
	rows := make([]Row, 0, n)
	for id := 1; id <= n; id++ {
		switch r, heard := p.heard[id]; {
		case id == p.cfg.NodeID:
			self := p.self
			if !p.started {
				self = Row{NodeID: id, Address: p.cfg.Address, Version: p.cfg.Version}
			}
			self.HeartbeatAt, self.State = now, StateActive
			rows = append(rows, self)
		case heard:
			r.State = StateOf(now, r.HeartbeatAt, p.cfg)
			rows = append(rows, r)
		case id <= len(p.members):
			state := StateOf(now, p.created, p.cfg)
			if state == StateActive {
				state = StateNoHeartbeat
			}
			rows = append(rows, Row{NodeID: id, Address: p.members[id-1], State: state})
		}
	}
	return rows
}
