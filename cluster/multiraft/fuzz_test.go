package multiraft

import (
	"testing"

	"go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"

	"github.com/quorumdb/quorumdb/cluster/multiraft/multiraftpb"
)

// FuzzDecodeBatch feeds arbitrary bytes, as a received gRPC batch, to
// the decoding the receiver does before the node sees anything: it must
// refuse or accept, never panic, and whatever it accepts must be wire
// messages between the stream's two nodes.
func FuzzDecodeBatch(f *testing.F) {
	for _, m := range []raftpb.Message{
		{Type: raftpb.MsgApp, From: 1, To: 2, Term: 3, Index: 10, LogTerm: 3, Commit: 9, Entries: []raftpb.Entry{{Term: 3, Index: 11, Data: []byte("x")}}},
		{Type: raftpb.MsgVote, From: 1, To: 2, Term: 4, Index: 10, LogTerm: 3},
		{Type: raftpb.MsgHup, From: 1, To: 2},
		{Type: raftpb.MsgSnap, From: 1, To: 2},
	} {
		enc, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		w := &multiraftpb.Batch{
			Beat:       &multiraftpb.Beat{Seq: 7, Leads: []*multiraftpb.GroupTerm{{Group: 3, Term: 2}}},
			Acks:       []*multiraftpb.BeatAck{{Seq: 6, Supports: []uint64{1, 4}}},
			Heartbeats: []*multiraftpb.Heartbeat{{Group: 5, Term: 2, Commit: 9, Context: []byte{1}}},
			Messages:   []*multiraftpb.GroupMessage{{Group: 3, Message: enc}},
		}
		b, err := proto.Marshal(w)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		var w multiraftpb.Batch
		if err := proto.Unmarshal(data, &w); err != nil {
			return
		}
		b, err := decodeBatch(&w, 1, 2)
		if err != nil {
			return
		}
		if b.From != 1 || b.To != 2 {
			t.Fatalf("batch from %d to %d", b.From, b.To)
		}
		for _, m := range b.Messages {
			if !wireTypes[m.Msg.Type] || m.Msg.From != 1 || m.Msg.To != 2 {
				t.Fatalf("accepted %+v", m.Msg)
			}
		}
	})
}
