package multiraft

import "go.etcd.io/raft/v3/raftpb"

// Batch is everything one node sends another in one cycle: the
// node-level beat or its acknowledgement, the raft heartbeats of all
// groups coalesced into a few words each, and the other raft messages.
// The shell sends a Batch as one message on the peer's stream, so n
// groups between two nodes cost one message per cycle, not n.
type Batch struct {
	From, To uint64
	// Beat is sent at every tick to every peer sharing a group.
	Beat *Beat
	// Acks answer the beats received since the last cycle.
	Acks []BeatAck
	// Heartbeats are raft's MsgHeartbeat and MsgHeartbeatResp of every
	// group, without the fields they do not use.
	Heartbeats []Heartbeat
	// Messages are raft's other messages (appends, votes, snapshots...).
	Messages []GroupMessage
}

// Empty says whether the batch carries nothing.
func (b *Batch) Empty() bool {
	return b.Beat == nil && len(b.Acks) == 0 && len(b.Heartbeats) == 0 && len(b.Messages) == 0
}

// Beat is a node's liveness signal to a peer, and its claim of the
// groups it leads there: the follower's support, and the leader's lease,
// are per group (support.go).
type Beat struct {
	Seq   uint64
	Leads []GroupTerm // groups the sender leads that the receiver replicates
}

// GroupTerm names a group and a term in it.
type GroupTerm struct {
	Group, Term uint64
}

// BeatAck acknowledges a beat and lists the groups, among those the
// beat claimed, in which the sender now supports the beat's sender.
type BeatAck struct {
	Seq      uint64
	Supports []uint64
	// Unwilling: the sender asks not to be handed leadership
	// (Core.SetUnwilling), e.g. while its clock is off.
	Unwilling bool
}

// Heartbeat is a raft MsgHeartbeat (Response false) or MsgHeartbeatResp
// of one group; From and To are the batch's.
type Heartbeat struct {
	Group    uint64
	Term     uint64
	Commit   uint64
	Context  []byte // the read-index round a heartbeat carries (ReadOnlySafe)
	Response bool
}

// GroupMessage is a raft message of one group.
type GroupMessage struct {
	Group uint64
	Msg   raftpb.Message
}

func (h Heartbeat) message(from, to uint64) raftpb.Message {
	t := raftpb.MsgHeartbeat
	if h.Response {
		t = raftpb.MsgHeartbeatResp
	}
	return raftpb.Message{Type: t, From: from, To: to, Term: h.Term, Commit: h.Commit, Context: h.Context}
}

func heartbeatOf(group uint64, m raftpb.Message) (Heartbeat, bool) {
	switch m.Type {
	case raftpb.MsgHeartbeat, raftpb.MsgHeartbeatResp:
		return Heartbeat{Group: group, Term: m.Term, Commit: m.Commit, Context: m.Context, Response: m.Type == raftpb.MsgHeartbeatResp}, true
	}
	return Heartbeat{}, false
}
