package heartbeat

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultMaxClockOffset is Config.MaxClockOffset's default, as
// CockroachDB's --max-offset: well above what NTP keeps between healthy
// machines, well below what would make timestamps from different nodes
// disagree visibly.
const DefaultMaxClockOffset = 500 * time.Millisecond

// ClockOffset is one measurement of a peer's clock against this node's,
// taken from a heartbeat round trip as NTP does: the peer stamped its
// answer at some instant between our send and our receipt, so its clock
// minus our clock at the round trip's midpoint is Offset, known to within
// Uncertainty (half the round trip).
type ClockOffset struct {
	Offset      time.Duration
	Uncertainty time.Duration
	// MeasuredAt is when the answer arrived, by this node's clock.
	MeasuredAt time.Time
}

// MeasureOffset is the offset of a peer whose answer, stamped peerTime
// by its clock, this node sent at sent and received at received.
func MeasureOffset(sent, peerTime, received time.Time) ClockOffset {
	rtt := received.Sub(sent)
	if rtt < 0 {
		rtt = 0 // this node's clock stepped back during the call
	}
	mid := sent.Add(rtt / 2)
	return ClockOffset{Offset: peerTime.Sub(mid), Uncertainty: rtt / 2, MeasuredAt: received}
}

// beyond reports whether the peer's clock is certainly more than max
// away from this node's: even at the edge of the uncertainty.
func (o ClockOffset) beyond(max time.Duration) bool {
	d := o.Offset
	if d < 0 {
		d = -d
	}
	return d-o.Uncertainty > max
}

// ClockMonitor decides whether this node's clock can be trusted: it keeps
// the latest offset measured to each peer and says the clock is off when
// the peers whose clocks are certainly more than the maximum offset away
// are a majority of the cluster's members. One peer with a bad clock is
// then that peer's problem, not ours (the others agree with us); a node
// that disagrees with a majority is the one to stop. With fewer members
// reachable than a majority, nothing can be concluded and the clock is
// trusted, as the node cannot serve writes without a majority anyway.
//
// Measurements older than the freshness window are ignored: a peer that
// stopped answering no longer testifies. ClockMonitor is a deterministic
// core: callers give it the time. It is safe for concurrent use.
type ClockMonitor struct {
	maxOffset time.Duration
	fresh     time.Duration
	members   int

	mu      sync.Mutex
	offsets map[int]ClockOffset // by peer node id; guarded by mu
}

// NewClockMonitor returns the monitor of a node among members nodes
// (itself included) that allows maxOffset between clocks and believes a
// measurement for fresh.
func NewClockMonitor(members int, maxOffset, fresh time.Duration) *ClockMonitor {
	return &ClockMonitor{maxOffset: maxOffset, fresh: fresh, members: members, offsets: map[int]ClockOffset{}}
}

// Record keeps o as peer's latest measurement.
func (m *ClockMonitor) Record(peer int, o ClockOffset) {
	m.mu.Lock()
	m.offsets[peer] = o
	m.mu.Unlock()
}

// Offsets returns the fresh measurements at now, by peer node id.
func (m *ClockMonitor) Offsets(now time.Time) map[int]ClockOffset {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int]ClockOffset{}
	for id, o := range m.offsets {
		if now.Sub(o.MeasuredAt) <= m.fresh {
			out[id] = o
		}
	}
	return out
}

// Check returns nil while this node's clock can be trusted at now, and
// a *ClockOffsetError naming the peers that disagree when it cannot.
//
// The SQL engine asks before every statement, so the common answer is
// counted under the lock without allocating; the error is built only
// when the clock is off.
func (m *ClockMonitor) Check(now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	off := 0
	for _, o := range m.offsets {
		if now.Sub(o.MeasuredAt) <= m.fresh && o.beyond(m.maxOffset) {
			off++
		}
	}
	if off < m.members/2+1 {
		return nil
	}
	e := &ClockOffsetError{MaxOffset: m.maxOffset, Members: m.members}
	for id, o := range m.offsets {
		if now.Sub(o.MeasuredAt) <= m.fresh && o.beyond(m.maxOffset) {
			e.Peers = append(e.Peers, PeerOffset{NodeID: id, ClockOffset: o})
		}
	}
	sort.Slice(e.Peers, func(i, j int) bool { return e.Peers[i].NodeID < e.Peers[j].NodeID })
	return e
}

// PeerOffset is a peer's measured clock offset.
type PeerOffset struct {
	NodeID int
	ClockOffset
}

// ClockOffsetError says that this node's clock is more than MaxOffset
// away from the clocks of a majority of the cluster's members (Peers).
type ClockOffsetError struct {
	MaxOffset time.Duration
	Members   int
	Peers     []PeerOffset
}

func (e *ClockOffsetError) Error() string {
	var parts []string
	for _, p := range e.Peers {
		parts = append(parts, fmt.Sprintf("node %d %+v (±%v)", p.NodeID, p.Offset.Round(time.Millisecond), p.Uncertainty.Round(10*time.Microsecond)))
	}
	return fmt.Sprintf("this node's clock is more than cluster.max_clock_offset (%v) away from the clocks of %d of the %d members: %s",
		e.MaxOffset, len(e.Peers), e.Members, strings.Join(parts, ", "))
}
