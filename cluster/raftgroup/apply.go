package raftgroup

import (
	"fmt"

	"go.etcd.io/raft/v3/raftpb"
)

// The applier: committed entries go from the loop to the state machine
// through one goroutine of their own, so a long Apply (a commit of a
// million rows takes seconds) does not stop the loop from ticking,
// sending heartbeats and persisting new entries. Were the loop to apply,
// a leader busy applying would send no heartbeat, the followers would
// elect another leader, and the big commit's proposer would be told its
// fate is unknown.

// applyTask is one batch of committed entries in log order, or a barrier
// (done set, no entries) that the loop waits on before it restores a
// snapshot, so the state machine sees no Apply after Restore began.
type applyTask struct {
	ents []raftpb.Entry
	done chan struct{}
}

// applyQueueLen bounds the batches handed to the applier: when it falls
// that far behind, the loop waits (back pressure on the leader's log).
const applyQueueLen = 64

// runApplier applies tasks until applyc is closed. An Apply error is
// fatal: it is recorded and the loop told to stop.
func (g *Group) runApplier() {
	defer close(g.applierDone)
	failed := false
	for task := range g.applyc {
		if task.done != nil {
			close(task.done)
			continue
		}
		if failed {
			continue // drain until the loop closes applyc
		}
		for _, e := range task.ents {
			if e.Type == raftpb.EntryNormal && len(e.Data) > 0 {
				if err := g.cfg.SM.Apply(e.Index, e.Data); err != nil {
					err = fmt.Errorf("raftgroup: applying entry %d: %w", e.Index, err)
					g.fatal.CompareAndSwap(nil, &err)
					close(g.applyFailed)
					failed = true
					break
				}
			}
			g.pub.appliedIndex.Store(e.Index)
			g.pub.appliedTerm.Store(e.Term)
		}
		kick(g.appliedc)
	}
}

// drainApplier waits until the applier has applied everything queued
// before the call.
func (g *Group) drainApplier() error {
	done := make(chan struct{})
	select {
	case g.applyc <- applyTask{done: done}:
	case <-g.applyFailed:
		return g.usable()
	}
	select {
	case <-done:
		return nil
	case <-g.applyFailed:
		return g.usable()
	}
}
