package raftgroup

import (
	"testing"

	"go.etcd.io/raft/v3/raftpb"
)

// FuzzDecodeMessages feeds arbitrary bytes to the decoding of a received
// batch's messages: it must refuse or accept, never panic, and whatever
// it accepts must be a wire message between the stream's two nodes.
func FuzzDecodeMessages(f *testing.F) {
	for _, m := range []raftpb.Message{
		{Type: raftpb.MsgApp, From: 1, To: 2, Term: 3, Index: 10, LogTerm: 3, Commit: 9, Entries: []raftpb.Entry{{Term: 3, Index: 11, Data: []byte("x")}}},
		{Type: raftpb.MsgHeartbeat, From: 1, To: 2, Term: 3, Commit: 9, Context: []byte{0, 1}},
		{Type: raftpb.MsgVote, From: 1, To: 2, Term: 4, Index: 10, LogTerm: 3},
		{Type: raftpb.MsgHup, From: 1, To: 2},
		{Type: raftpb.MsgSnap, From: 1, To: 2},
	} {
		b, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := decodeMessages([][]byte{data}, 1, 2)
		if err != nil {
			return
		}
		for _, m := range msgs {
			if !wireTypes[m.Type] || m.From != 1 || m.To != 2 || m.Type == raftpb.MsgSnap {
				t.Fatalf("accepted %+v", m)
			}
		}
	})
}
