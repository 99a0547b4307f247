package raftgroup

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	"go.etcd.io/raft/v3/raftpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/cluster/raftgroup/raftgrouppb"
)

// A snapshot reaches raft only if its data matches the checksum that
// came with it and it comes from the node this one knows as the leader:
// a forged one is refused at the transport, and the follower's state
// stays as it was.
func TestForgedSnapshotsRefused(t *testing.T) {
	c := newTestCluster(t, 3, 0)
	lead := c.leader()
	propose(t, lead.g, "a", 3)
	c.converged(lead, "a2")
	fs := c.followers(lead)
	victim, other := fs[0], fs[1]

	// What a forger would send: everything replaced by one key, far
	// ahead of the log.
	forged, err := json.Marshal(kvSnapshot{Data: map[string]string{"owned": "yes"}, Applied: 1000})
	if err != nil {
		t.Fatal(err)
	}
	send := func(from uint64, checksum []byte) error {
		cc, err := grpc.NewClient(c.peers[victim.id], grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer cc.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st, err := raftgrouppb.NewRaftClient(cc).Send(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Send(&raftgrouppb.Batch{Header: header(testFingerprint, from, victim.id)}); err != nil {
			t.Fatal(err)
		}
		m := raftpb.Message{Type: raftpb.MsgSnap, From: from, To: victim.id, Term: lead.g.Term(),
			Snapshot: &raftpb.Snapshot{Metadata: raftpb.SnapshotMetadata{Index: 1000, Term: lead.g.Term(), ConfState: raftpb.ConfState{Voters: []uint64{1, 2, 3}}}}}
		enc, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Send(&raftgrouppb.Batch{SnapshotMessage: enc, SnapshotSize: uint64(len(forged)), SnapshotChecksum: checksum}); err != nil {
			t.Fatal(err)
		}
		_ = st.Send(&raftgrouppb.Batch{SnapshotChunk: forged})
		_, err = st.CloseAndRecv()
		return err
	}
	right := sha256.Sum256(forged)
	wrong := sha256.Sum256([]byte("something else"))
	for what, err := range map[string]error{
		"wrong checksum, as the leader":  send(lead.id, wrong[:]),
		"right checksum, not the leader": send(other.id, right[:]),
	} {
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("%s: %v, want InvalidArgument", what, err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if got, _ := victim.sm.state(); got["owned"] != "" || got["a2"] != "v2" || victim.sm.restores != 0 {
		t.Fatalf("after forged snapshots the follower's state is %v (%d restores)", got, victim.sm.restores)
	}
	// The group still works.
	propose(t, lead.g, "b", 2)
	c.converged(lead, "b1")
}
