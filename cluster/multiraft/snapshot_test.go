package multiraft

import (
	"errors"
	"strings"
	"testing"

	"go.etcd.io/raft/v3/raftpb"
)

// validatingSM refuses snapshot data that is not "good".
type validatingSM struct{ kvSM }

func (s *validatingSM) ValidateSnapshot(data []byte, _ uint64) error {
	if string(data) != "good" {
		return errors.New("malformed snapshot")
	}
	return nil
}

// TestSnapshotChecked: the receiver refuses a snapshot before raft sees
// it when it does not come from the node this one knows as the group's
// leader, when the state machine finds its data malformed, or while the
// disk refuses new entries; a well-formed one from the leader passes.
func TestSnapshotChecked(t *testing.T) {
	full := false
	n := &Node{
		groups: map[uint64]*groupState{1: {id: 1, sm: &validatingSM{}}},
		cfg: NodeConfig{AcceptEntries: func() error {
			if full {
				return errors.New("disk full")
			}
			return nil
		}},
	}
	n.groups[1].leader.Store(2)
	snap := func(data string) raftpb.Message {
		return raftpb.Message{Type: raftpb.MsgSnap, From: 2, To: 1, Snapshot: &raftpb.Snapshot{Data: []byte(data), Metadata: raftpb.SnapshotMetadata{Index: 10, Term: 2}}}
	}
	if err := n.checkSnapshot(1, 2, snap("good")); err != nil {
		t.Fatalf("a good snapshot from the leader: %v", err)
	}
	for _, c := range []struct {
		name        string
		group, from uint64
		data        string
		full        bool
		want        string
	}{
		{"from a node not the leader", 1, 3, "good", false, "does not know as the leader"},
		{"malformed", 1, 2, "bad", false, "malformed snapshot"},
		{"disk full", 1, 2, "good", true, "not taking a snapshot now"},
		{"unknown group", 7, 2, "good", false, "not here"},
	} {
		full = c.full
		err := n.checkSnapshot(c.group, c.from, snap(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
