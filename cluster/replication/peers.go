package replication

import (
	"sort"
	"time"
)

// peerTable is the deterministic core of membership handling: it turns
// successive observations of the active peer set into decisions — create
// a peer's queues, point its dispatchers at a new address, delete its
// queues after the retention period. No goroutines, no clock: the caller
// passes now. Owned by the membership goroutine (and by New/Start before
// that goroutine runs).
type peerTable struct {
	self      int
	retention time.Duration
	peers     map[int]*peerRecord
}

type peerRecord struct {
	address  string    // gRPC address; "" until seen (recovered from disk)
	lastSeen time.Time // last observation in which the peer was active
}

type changeOp int

const (
	opAdd       changeOp = iota // create the peer's queues and dispatchers
	opReaddress                 // the peer's address changed (or became known)
	opRemove                    // delete the peer's queues
)

func (o changeOp) String() string {
	return [...]string{"add", "readdress", "remove"}[o]
}

type peerChange struct {
	op      changeOp
	peer    int
	address string
}

func newPeerTable(self int, retention time.Duration) *peerTable {
	return &peerTable{self: self, retention: retention, peers: make(map[int]*peerRecord)}
}

// recover registers a peer whose queues were found on disk at startup.
// Its address is unknown until it is observed; it counts as seen now, so
// it is deleted only if it stays absent for the retention period.
func (t *peerTable) recover(peer int, now time.Time) {
	if _, ok := t.peers[peer]; !ok && peer != t.self {
		t.peers[peer] = &peerRecord{lastSeen: now}
	}
}

// observe applies one successful read of the active peer set and returns
// the changes to carry out, sorted by peer id. A peer counts as seen at
// now (this node's clock) when it is listed: the heartbeat table already
// judged it active, and comparing the peer's own heartbeat timestamp with
// this clock would mix two clocks. A failed read must not be observed, so
// an unreadable heartbeat table never ages peers out.
func (t *peerTable) observe(now time.Time, active []Peer) []peerChange {
	var out []peerChange
	listed := make(map[int]bool, len(active))
	for _, p := range active {
		if p.ID == t.self || p.ID <= 0 {
			continue
		}
		listed[p.ID] = true
		rec, ok := t.peers[p.ID]
		switch {
		case !ok:
			t.peers[p.ID] = &peerRecord{address: p.Address, lastSeen: now}
			out = append(out, peerChange{op: opAdd, peer: p.ID, address: p.Address})
			continue
		case rec.address != p.Address:
			rec.address = p.Address
			out = append(out, peerChange{op: opReaddress, peer: p.ID, address: p.Address})
		}
		rec.lastSeen = now
	}
	for id, rec := range t.peers {
		if !listed[id] && now.Sub(rec.lastSeen) > t.retention {
			delete(t.peers, id)
			out = append(out, peerChange{op: opRemove, peer: id})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].peer != out[j].peer {
			return out[i].peer < out[j].peer
		}
		return out[i].op < out[j].op
	})
	return out
}
