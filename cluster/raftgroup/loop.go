package raftgroup

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// run is the group's loop goroutine: it ticks raft, handles each Ready in
// the durable order, and serves compaction and read-index requests. It
// returns on Close or on a fatal error (disk, state machine).
func (g *Group) run() {
	defer close(g.done)
	defer func() {
		close(g.applyc)
		<-g.applierDone
	}()
	defer g.node.Stop()
	ticker := time.NewTicker(g.cfg.TickInterval)
	defer ticker.Stop()
	for {
		var err error
		select {
		case <-g.stopc:
			g.failReads(ErrClosed)
			return
		case <-ticker.C:
			g.node.Tick()
			g.tickReads()
		case rd := <-g.node.Ready():
			err = g.handleReady(rd)
		case <-g.compactc:
			err = g.compact()
		case <-g.readc:
			g.startRead()
		case <-g.appliedc:
			g.completeReads()
		case <-g.applyFailed:
			err = g.usable()
		}
		if err != nil {
			g.logger.Error("raftgroup: group stopped", "err", err)
			g.fatal.Store(&err)
			g.failReads(err)
			return
		}
	}
}

// handleReady processes one Ready: save (snapshot, entries, hard state,
// all synced), send, apply the snapshot, apply committed entries,
// Advance. Messages go out only after what they promise is durable.
func (g *Group) handleReady(rd raft.Ready) error {
	g.noteLeadership(rd)
	// A leader sends before it writes: its appends go out while its own
	// disk syncs them, so a commit waits for one fsync (the slowest of
	// the majority's) instead of the leader's then a follower's, as the
	// Raft thesis (10.2.1) and etcd do. Safe because the leader counts
	// itself in the majority only once its own entries are durable (raft
	// learns that from Advance), and what leaders send depends on no
	// new term or vote — when the hard state's term or vote changes, the
	// messages wait for it as usual.
	early := g.isLeader.Load() && !g.disk.termOrVoteChanges(rd.HardState)
	if early {
		g.sendMessages(rd.Messages)
	}
	if err := g.disk.save(rd.Snapshot, rd.HardState, rd.Entries); err != nil {
		return err
	}
	if !raft.IsEmptySnap(rd.Snapshot) {
		meta := rd.Snapshot.Metadata
		if err := g.mem.ApplySnapshot(raftpb.Snapshot{Metadata: meta}); err != nil {
			return fmt.Errorf("raftgroup: installing snapshot %d: %w", meta.Index, err)
		}
		g.snapIndex = meta.Index
		g.confState = meta.ConfState
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		if err := g.mem.SetHardState(rd.HardState); err != nil {
			return fmt.Errorf("raftgroup: setting hard state: %w", err)
		}
	}
	if err := g.mem.Append(rd.Entries); err != nil {
		return fmt.Errorf("raftgroup: appending entries to memory: %w", err)
	}
	if !early {
		g.sendMessages(rd.Messages)
	}
	if !raft.IsEmptySnap(rd.Snapshot) {
		meta := rd.Snapshot.Metadata
		if err := g.drainApplier(); err != nil {
			return err
		}
		if err := g.cfg.SM.Restore(rd.Snapshot.Data, meta.Index); err != nil {
			return fmt.Errorf("raftgroup: restoring the state machine to snapshot %d: %w", meta.Index, err)
		}
		g.queued = meta.Index
		g.appliedIndex.Store(meta.Index)
		g.appliedTerm.Store(meta.Term)
		g.logger.Info("raftgroup: restored a snapshot from the leader", "index", meta.Index, "bytes", len(rd.Snapshot.Data))
	}
	if err := g.applyCommitted(rd.CommittedEntries); err != nil {
		return err
	}
	g.noteReadStates(rd.ReadStates)
	g.completeReads()
	g.node.Advance()
	return nil
}

// noteLeadership publishes leader and term changes.
func (g *Group) noteLeadership(rd raft.Ready) {
	if rd.SoftState != nil {
		g.leader.Store(rd.SoftState.Lead)
		leading := rd.SoftState.RaftState == raft.StateLeader
		if g.isLeader.Swap(leading) && !leading {
			g.failReads(ErrNotLeader)
		}
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		g.term.Store(rd.HardState.Term)
	}
	lead, term := g.leader.Load(), g.term.Load()
	if lead != g.lastLead || term != g.lastTerm {
		g.lastLead, g.lastTerm = lead, term
		g.logger.Debug("raftgroup: leader changed", "leader", lead, "term", term)
		if g.cfg.OnLeaderChange != nil {
			g.cfg.OnLeaderChange(lead, term)
		}
	}
}

// sendMessages hands msgs to the transport, first filling each snapshot
// message with the state machine's current state (the memory storage's
// snapshot carries metadata only).
func (g *Group) sendMessages(msgs []raftpb.Message) {
	kept := msgs[:0]
	for _, m := range msgs {
		if m.Type == raftpb.MsgSnap {
			if err := g.fillSnapshot(&m); err != nil {
				g.logger.Error("raftgroup: cannot send a snapshot", "to", m.To, "err", err)
				g.reportSnapshot(m.To, raft.SnapshotFailure)
				continue
			}
		}
		kept = append(kept, m)
	}
	g.cfg.Transport.send(groupID, g, kept)
}

// fillSnapshot replaces the snapshot of m with the state machine's state
// at the index it reflects (at or after raft's snapshot index, like etcd's
// merged snapshot), so the follower continues from there.
func (g *Group) fillSnapshot(m *raftpb.Message) error {
	data, index, err := g.cfg.SM.Snapshot()
	if err != nil {
		return fmt.Errorf("taking a state machine snapshot: %w", err)
	}
	if m.Snapshot == nil || index < m.Snapshot.Metadata.Index {
		return fmt.Errorf("state machine snapshot at %d is older than the log's start", index)
	}
	term, err := g.mem.Term(index)
	if err != nil {
		return fmt.Errorf("term of snapshot index %d: %w", index, err)
	}
	snap := raftpb.Snapshot{Data: data, Metadata: m.Snapshot.Metadata}
	snap.Metadata.Index, snap.Metadata.Term = index, term
	m.Snapshot = &snap
	g.logger.Info("raftgroup: sending a snapshot", "to", m.To, "index", index, "bytes", len(data))
	return nil
}

// applyCommitted handles committed entries: conf changes are applied to
// raft here (always, they rebuild the voter set after a restart); every
// entry above g.queued goes to the applier (apply.go), which applies the
// normal ones and tracks the index and term of all.
func (g *Group) applyCommitted(ents []raftpb.Entry) error {
	var batch []raftpb.Entry
	for _, e := range ents {
		switch e.Type {
		case raftpb.EntryConfChange:
			var cc raftpb.ConfChange
			if err := cc.Unmarshal(e.Data); err != nil {
				return fmt.Errorf("raftgroup: decoding conf change %d: %w", e.Index, err)
			}
			g.confState = *g.node.ApplyConfChange(cc)
		case raftpb.EntryConfChangeV2:
			var cc raftpb.ConfChangeV2
			if err := cc.Unmarshal(e.Data); err != nil {
				return fmt.Errorf("raftgroup: decoding conf change %d: %w", e.Index, err)
			}
			g.confState = *g.node.ApplyConfChange(cc)
		}
		if e.Index > g.queued {
			batch = append(batch, e) // the applier applies normal entries only
		}
		g.queued = max(g.queued, e.Index)
	}
	if len(batch) == 0 {
		return nil
	}
	select {
	case g.applyc <- applyTask{ents: batch}:
		return nil
	case <-g.applyFailed:
		return g.usable()
	}
}

// compact drops log entries the state machine holds durably, keeping
// CompactionSlack of them, and never past what raft delivered (the conf
// state recorded in the snapshot must be the one at its index).
func (g *Group) compact() error {
	want := g.compactTo.Load()
	if want <= g.cfg.CompactionSlack {
		return nil
	}
	target := min(want-g.cfg.CompactionSlack, g.appliedIndex.Load())
	if last, err := g.mem.LastIndex(); err == nil {
		target = min(target, last)
	}
	if target <= g.snapIndex || len(g.confState.Voters) == 0 {
		return nil
	}
	snap, err := g.mem.CreateSnapshot(target, &g.confState, nil)
	if err != nil {
		return fmt.Errorf("raftgroup: snapshot at %d: %w", target, err)
	}
	if err := g.disk.compact(snap); err != nil {
		return err
	}
	if err := g.mem.Compact(target); err != nil {
		return fmt.Errorf("raftgroup: compacting memory through %d: %w", target, err)
	}
	g.snapIndex = target
	g.logger.Debug("raftgroup: compacted the log", "through", target)
	return nil
}

// startRead sends one raft ReadIndex for every caller waiting, unless one
// is in flight (its answer starts the next): concurrent callers share a
// request.
func (g *Group) startRead() {
	if g.readReq != nil {
		return
	}
	g.readMu.Lock()
	waiters := g.readWaiting
	g.readWaiting = nil
	g.readMu.Unlock()
	if len(waiters) == 0 {
		return
	}
	if !g.isLeader.Load() {
		finish(waiters, ErrNotLeader)
		return
	}
	g.readSeq++
	req := &readRequest{ctx: putUint64(g.readSeq), waiters: waiters}
	if err := g.node.ReadIndex(context.Background(), req.ctx); err != nil {
		finish(waiters, g.translate(err))
		return
	}
	g.readReq = req
}

// noteReadStates records the commit index raft confirmed for the request
// in flight.
func (g *Group) noteReadStates(states []raft.ReadState) {
	for _, rs := range states {
		if g.readReq != nil && bytes.Equal(rs.RequestCtx, g.readReq.ctx) {
			g.readReq.index = rs.Index
			g.readAwait = append(g.readAwait, g.readReq)
			g.readReq = nil
			kick(g.readc) // callers that arrived meanwhile
		}
	}
}

// completeReads releases the callers whose read index is applied.
func (g *Group) completeReads() {
	kept := g.readAwait[:0]
	for _, r := range g.readAwait {
		switch {
		case !g.isLeader.Load():
			finish(r.waiters, ErrNotLeader)
		case r.index <= g.appliedIndex.Load():
			finish(r.waiters, nil)
		default:
			kept = append(kept, r)
		}
	}
	g.readAwait = kept
}

// tickReads gives up on a request raft has not answered within an
// election timeout (raft drops a read index it cannot serve).
func (g *Group) tickReads() {
	if g.readReq == nil {
		return
	}
	g.readReq.ticks++
	if g.readReq.ticks > g.cfg.ElectionTicks {
		finish(g.readReq.waiters, ErrNotLeader)
		g.readReq = nil
		kick(g.readc)
	}
}

// failReads ends every pending read with err.
func (g *Group) failReads(err error) {
	if g.readReq != nil {
		finish(g.readReq.waiters, err)
		g.readReq = nil
	}
	for _, r := range g.readAwait {
		finish(r.waiters, err)
	}
	g.readAwait = nil
	g.readMu.Lock()
	waiters := g.readWaiting
	g.readWaiting = nil
	g.readMu.Unlock()
	finish(waiters, err)
}

func finish(waiters []chan error, err error) {
	for _, w := range waiters {
		w <- err // buffered 1, written once
	}
}
