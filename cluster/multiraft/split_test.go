package multiraft

import (
	"testing"

	"go.etcd.io/raft/v3/raftpb"
)

// TestSplitBatches: only what promises nothing durable leaves before the
// cycle's fsync — a leader's appends and heartbeats, beats and their
// acknowledgements; answers, votes and snapshots wait.
func TestSplitBatches(t *testing.T) {
	b := &Batch{From: 1, To: 2, Beat: &Beat{Seq: 1}, Acks: []BeatAck{{Seq: 9}},
		Heartbeats: []Heartbeat{{Group: 1}, {Group: 2, Response: true}},
		Messages: []GroupMessage{
			{Group: 1, Msg: raftpb.Message{Type: raftpb.MsgApp}},
			{Group: 1, Msg: raftpb.Message{Type: raftpb.MsgAppResp}},
			{Group: 2, Msg: raftpb.Message{Type: raftpb.MsgVote}},
			{Group: 2, Msg: raftpb.Message{Type: raftpb.MsgVoteResp}},
			{Group: 3, Msg: raftpb.Message{Type: raftpb.MsgPreVoteResp}},
			{Group: 3, Msg: raftpb.Message{Type: raftpb.MsgSnap}},
			{Group: 3, Msg: raftpb.Message{Type: raftpb.MsgTimeoutNow}},
		}}
	early, late := splitBatches([]*Batch{b})
	if len(early) != 1 || len(late) != 1 {
		t.Fatalf("%d early, %d late batches", len(early), len(late))
	}
	e, l := early[0], late[0]
	if e.Beat == nil || len(e.Acks) != 1 || len(e.Heartbeats) != 1 || e.Heartbeats[0].Response ||
		len(e.Messages) != 1 || e.Messages[0].Msg.Type != raftpb.MsgApp {
		t.Fatalf("early: %+v", e)
	}
	if l.Beat != nil || len(l.Acks) != 0 || len(l.Heartbeats) != 1 || !l.Heartbeats[0].Response || len(l.Messages) != 6 {
		t.Fatalf("late: %+v", l)
	}
	for _, m := range l.Messages {
		if m.Msg.Type == raftpb.MsgApp {
			t.Fatal("an append waited for the fsync")
		}
	}
	if e.From != 1 || e.To != 2 || l.From != 1 || l.To != 2 {
		t.Fatal("addresses lost")
	}
}
