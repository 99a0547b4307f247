package raftgroup

import (
	"fmt"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// run is the group's loop goroutine, the shell around the core: it feeds
// the core ticks, peers' messages, proposals, read callers, transfer
// requests and delivery reports, and handles every Ready in the durable
// order. It returns on Close or on a fatal error (disk, state machine).
func (g *Group) run() {
	defer close(g.done)
	defer func() {
		close(g.applyc)
		<-g.applierDone
	}()
	ticker := time.NewTicker(g.cfg.TickInterval)
	defer ticker.Stop()
	for {
		var err error
		select {
		case <-g.stopc:
			g.core.failReads(ErrClosed)
			g.failQueued(ErrClosed)
			return
		case <-ticker.C:
			// Messages first: a follower that was busy must hear the
			// heartbeats that arrived meanwhile before its election
			// timer counts another tick.
			g.stepInbox()
			g.core.tick()
		case m := <-g.inbox:
			g.stepOne(m)
			g.stepInbox()
		case p := <-g.propc:
			g.proposeOne(p)
			g.proposeQueued()
		case <-g.readc:
			g.readMu.Lock()
			waiters := g.readWaiting
			g.readWaiting = nil
			g.readMu.Unlock()
			g.core.addReaders(waiters)
		case req := <-g.transferc:
			req.errc <- g.core.transferLeadership(req.to)
		case <-g.reportc:
			g.deliverReports()
		case <-g.compactc:
			err = g.compact()
		case <-g.appliedc:
			g.core.completeReads(g.pub.appliedIndex.Load())
		case <-g.applyFailed:
			err = g.usable()
		}
		for err == nil && g.core.hasReady() {
			start := time.Now()
			err = g.handleReady(g.core.ready())
			g.noteSlowReady(time.Since(start))
		}
		if err != nil {
			g.logger.Error("raftgroup: group stopped", "err", err)
			g.fatal.Store(&err)
			g.core.failReads(err)
			g.failQueued(err)
			return
		}
	}
}

// noteSlowReady warns when handling one Ready took half an election
// timeout or more: while the loop is busy it neither ticks nor sends
// heartbeats, so a leader this slow makes followers call elections and
// loses its lease (a slow disk's fsync is the usual cause).
func (g *Group) noteSlowReady(took time.Duration) {
	limit := time.Duration(g.cfg.ElectionTicks) * g.cfg.TickInterval / 2
	if took < limit || !g.slowLog.Allow("slow ready") {
		return
	}
	g.logger.Warn("raftgroup: handling one Ready took half an election timeout; elections may follow", "took", took, "election_timeout", 2*limit)
}

// stepOne hands one peer message to the core.
func (g *Group) stepOne(m raftpb.Message) {
	if m.Type == raftpb.MsgApp && len(m.Entries) > 0 && !g.acceptEntries() {
		return
	}
	if err := g.core.step(m); err != nil {
		g.logger.Debug("raftgroup: message not stepped", "from", m.From, "type", m.Type, "err", err)
	}
}

// acceptEntries asks Config.AcceptEntries whether new entries may be
// taken from the leader now, logging when that starts and stops.
//
// Dropping the append is safe: raft's leader sends again after the next
// heartbeat answer even when all its in-flight appends were lost (a
// follower that rejoins with a gap answers with a rejection and the
// leader probes back from there), and nothing was promised for entries
// never saved.
func (g *Group) acceptEntries() bool {
	if g.cfg.AcceptEntries == nil {
		return true
	}
	err := g.cfg.AcceptEntries()
	switch {
	case err != nil && !g.refusing:
		g.logger.Warn("raftgroup: refusing new log entries from the leader until this node can take them; it will lag and catch up", "err", err)
	case err == nil && g.refusing:
		g.logger.Info("raftgroup: taking log entries from the leader again")
	}
	g.refusing = err != nil
	return err == nil
}

// stepInbox steps the messages already received, without waiting.
func (g *Group) stepInbox() {
	for range len(g.inbox) {
		g.stepOne(<-g.inbox)
	}
}

// proposeOne hands one proposal to raft, unless its caller gave up.
func (g *Group) proposeOne(p proposal) {
	if err := p.ctx.Err(); err != nil {
		p.errc <- err
		return
	}
	p.errc <- g.core.propose(p.data)
}

// proposeQueued proposes what else is queued, so that a burst of
// proposals goes out in one Ready (one fsync, one message per peer).
func (g *Group) proposeQueued() {
	for range len(g.propc) {
		g.proposeOne(<-g.propc)
	}
}

// deliverReports tells raft what the transport could not deliver.
func (g *Group) deliverReports() {
	g.reportMu.Lock()
	reports := g.reports
	g.reports = nil
	g.reportMu.Unlock()
	for _, r := range reports {
		if r.snapshot {
			g.core.rn.ReportSnapshot(r.to, r.status)
		} else {
			g.core.rn.ReportUnreachable(r.to)
		}
	}
}

// failQueued answers the proposals still queued when the loop stops.
func (g *Group) failQueued(err error) {
	for range len(g.propc) {
		(<-g.propc).errc <- err
	}
}

// handleReady processes one Ready: save (snapshot, entries, hard state,
// all synced), send, apply the snapshot, apply committed entries,
// Advance. Messages go out only after what they promise is durable.
func (g *Group) handleReady(rd raft.Ready) error {
	g.noteLeaderChange()
	// A leader sends before it writes: its appends go out while its own
	// disk syncs them, so a commit waits for one fsync (the slowest of
	// the majority's) instead of the leader's then a follower's, as the
	// Raft thesis (10.2.1) and etcd do. Safe because the leader counts
	// itself in the majority only once its own entries are durable (raft
	// learns that from Advance), and what leaders send depends on no
	// new term or vote — when the hard state's term or vote changes, the
	// messages wait for it as usual.
	early := g.pub.isLeader.Load() && !g.disk.termOrVoteChanges(rd.HardState)
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
		g.pub.appliedIndex.Store(meta.Index)
		g.pub.appliedTerm.Store(meta.Term)
		g.logger.Info("raftgroup: restored a snapshot from the leader", "index", meta.Index, "bytes", len(rd.Snapshot.Data))
	}
	if err := g.applyCommitted(rd.CommittedEntries); err != nil {
		return err
	}
	g.core.completeReads(g.pub.appliedIndex.Load())
	g.core.advance(rd)
	return nil
}

// noteLeaderChange tells OnLeaderChange about a new leader or term (the
// core published them while taking the Ready).
func (g *Group) noteLeaderChange() {
	lead, term := g.pub.leader.Load(), g.pub.term.Load()
	if lead == g.lastLead && term == g.lastTerm {
		return
	}
	g.lastLead, g.lastTerm = lead, term
	g.logger.Debug("raftgroup: leader changed", "leader", lead, "term", term)
	if g.cfg.OnLeaderChange != nil {
		g.cfg.OnLeaderChange(lead, term)
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
				g.core.rn.ReportSnapshot(m.To, raft.SnapshotFailure)
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
			g.confState = *g.core.rn.ApplyConfChange(cc)
		case raftpb.EntryConfChangeV2:
			var cc raftpb.ConfChangeV2
			if err := cc.Unmarshal(e.Data); err != nil {
				return fmt.Errorf("raftgroup: decoding conf change %d: %w", e.Index, err)
			}
			g.confState = *g.core.rn.ApplyConfChange(cc)
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
	target := min(want-g.cfg.CompactionSlack, g.pub.appliedIndex.Load())
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
