package multiraft

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// maxDrain bounds how many queued inputs of one kind the loop takes
// before handling the Ready they caused, so a burst becomes one cycle
// (one fsync) without starving the ticker.
const maxDrain = 256

// maxCycleEntryBytes bounds the log entries one cycle takes in, proposed
// or received, beyond the first input: the cycle persists them before it
// ticks or sends beats again, and a bulk load's cycle that took in
// hundreds of megabytes kept the loop busy for over half an election
// timeout (at about 50 MB/s with three nodes on one disk), so that
// followers stopped supporting its leaders and leaders missing their
// followers' answers stepped down. A few megabytes per cycle keep cycles
// near the fsync's own time; the proposers wait their turn on propc.
const maxCycleEntryBytes = 4 << 20

// run is the loop: the only goroutine that touches the Core and writes
// the store. Every input is followed by handling every Ready.
func (n *Node) run() {
	defer close(n.done)
	defer n.stopAppliers()
	ticker := time.NewTicker(n.cfg.TickInterval)
	defer ticker.Stop()
	for {
		// Control batches first: beats and answers are what keep the
		// groups' leases and leaders, and they are small.
		select {
		case b := <-n.controlc:
			n.step(b)
			drain(n.controlc, n.step, 0, batchEntryBytes)
		default:
		}
		select {
		case <-n.stop:
			n.failReads(n.closedErr())
			return
		case b := <-n.controlc:
			n.step(b)
			drain(n.controlc, n.step, 0, batchEntryBytes)
		case <-ticker.C:
			n.tick++
			n.core.SetUnwilling(n.unwilling.Load())
			n.core.Tick()
			n.expireReads()
		case b := <-n.inbox:
			n.step(b)
			drain(n.inbox, n.step, batchEntryBytes(b), batchEntryBytes)
		case p := <-n.propc:
			n.propose(p)
			if len(n.inbox) == 0 {
				// Appends from the other leaders go first: every entry
				// proposed here costs each follower as much as it costs
				// this node, so a node that takes its own proposals as
				// eagerly as its followers' work leaves its inbox
				// growing. One proposal per turn while appends wait.
				drain(n.propc, n.propose, len(p.data), proposalBytes)
			}
		case r := <-n.readc:
			n.startRead(r)
		case t := <-n.transferc:
			// The lease goes before the transfer's first message can
			// leave: the transferee's election ignores the followers'
			// support, so a reader must not see this lease once it could
			// have begun.
			n.groups[t.group].lease.Store(nil)
			t.done <- n.core.TransferLeadership(t.group, t.to)
		case r := <-n.reportc:
			if r.snapshot {
				n.core.ReportSnapshot(r.group, r.to, r.status)
			} else {
				n.core.ReportUnreachable(r.group, r.to)
			}
		case c := <-n.compactc:
			if err := n.compact(c); err != nil {
				n.fail(err)
				return
			}
		}
		for n.core.HasReady() {
			start := time.Now()
			if err := n.handleReady(); err != nil {
				n.fail(err)
				return
			}
			n.noteSlowCycle(time.Since(start))
		}
		n.publish()
	}
}

// noteSlowCycle warns when handling one Ready took half an election
// timeout or more: while the loop is busy it neither ticks nor sends
// beats, so followers stop supporting this node's groups and may elect
// others (a slow disk's fsync is the usual cause).
func (n *Node) noteSlowCycle(took time.Duration) {
	limit := time.Duration(n.core.cfg.ElectionTicks) * n.cfg.TickInterval / 2
	if took < limit || !n.limiter.Allow("slow cycle") {
		return
	}
	n.logger.Warn("multiraft: handling one cycle took half an election timeout; elections may follow", "took", took, "election_timeout", 2*limit)
}

func (n *Node) propose(p proposal) {
	err := n.core.Propose(p.group, p.data)
	if err == nil {
		n.proposals.Add(1)
	}
	p.done <- err
}

// drain hands f what is already queued on ch, without waiting: at most
// maxDrain items, and no more once the entry bytes taken this cycle
// (taken so far, then size of each) reach maxCycleEntryBytes.
func drain[T any](ch <-chan T, f func(T), taken int, size func(T) int) {
	for range maxDrain {
		if taken >= maxCycleEntryBytes {
			return
		}
		select {
		case v := <-ch:
			f(v)
			taken += size(v)
		default:
			return
		}
	}
}

func proposalBytes(p proposal) int { return len(p.data) }

// batchEntryBytes is the size of the log entries a batch carries.
func batchEntryBytes(b *Batch) int {
	n := 0
	for _, m := range b.Messages {
		for _, e := range m.Msg.Entries {
			n += len(e.Data)
		}
	}
	return n
}

func (n *Node) step(b *Batch) {
	n.refuseEntriesIfFull(b)
	if err := n.core.Step(b); err != nil {
		n.logger.Warn("multiraft: dropped a batch", "from", b.From, "err", err)
	}
}

// refuseEntriesIfFull drops the appends carrying entries from a batch
// while AcceptEntries refuses them (NodeConfig.AcceptEntries).
func (n *Node) refuseEntriesIfFull(b *Batch) {
	accept := n.cfg.AcceptEntries
	if accept == nil || !slices.ContainsFunc(b.Messages, carriesEntries) {
		return
	}
	err := accept()
	if err == nil {
		return
	}
	if n.limiter.Allow("refused entries") {
		n.logger.Warn("multiraft: not taking new log entries", "err", err)
	}
	b.Messages = slices.DeleteFunc(b.Messages, carriesEntries)
}

func carriesEntries(m GroupMessage) bool {
	return m.Msg.Type == raftpb.MsgApp && len(m.Msg.Entries) > 0
}

// fail records the error that stops the node and fails the waiting
// reads; the loop's.
func (n *Node) fail(err error) {
	n.setErr(err)
	n.failReads(err)
}

// setErr records the error that stops the node (the first one wins).
func (n *Node) setErr(err error) {
	n.logger.Error("multiraft: node stopped", "err", err)
	n.errMu.Lock()
	if n.err == nil {
		n.err = err
	}
	n.errMu.Unlock()
}

// handleReady does what one Ready says, in the order that keeps raft's
// promises: send what promises nothing durable (splitBatches); persist
// every group's snapshot, entries and hard state with one fsync; only
// then send the rest (votes and acknowledgements promise what is now
// durable); restore received snapshots; hand committed entries to the
// appliers; answer read rounds; Advance.
func (n *Node) handleReady() error {
	rd := n.core.Ready()
	early, late := splitBatches(rd.Batches)
	for _, b := range early {
		n.cfg.Transport.send(b)
	}
	if len(rd.Groups) > 0 {
		wb := n.cfg.Store.NewBatch()
		dirty := false
		for _, g := range rd.Groups {
			if !raft.IsEmptySnap(g.Snapshot) {
				wb.ApplySnapshot(g.Group, g.Snapshot)
				dirty = true
			}
			if len(g.Entries) > 0 {
				wb.Append(g.Group, g.Entries)
				dirty = true
			}
			if !raft.IsEmptyHardState(g.HardState) {
				n.hardStates[g.Group] = g.HardState
				if n.mustSaveHardState(g) {
					wb.SetHardState(g.Group, g.HardState)
					n.savedVotes[g.Group] = g.HardState
					dirty = true
				}
			}
		}
		if dirty {
			if err := n.cfg.Store.Commit(wb); err != nil {
				return fmt.Errorf("multiraft: persisting a cycle: %w", err)
			}
		}
	}
	for _, b := range late {
		n.fillSnapshots(b)
		n.cfg.Transport.send(b)
	}
	for _, g := range rd.Groups {
		gs := n.groups[g.Group]
		if !raft.IsEmptySnap(g.Snapshot) {
			gs.drain()
			if err := gs.sm.Restore(g.Snapshot.Data, g.Snapshot.Metadata.Index); err != nil {
				return fmt.Errorf("multiraft: group %d: restoring a snapshot at %d: %w", g.Group, g.Snapshot.Metadata.Index, err)
			}
			gs.setApplied(g.Snapshot.Metadata.Index)
		}
		if len(g.CommittedEntries) > 0 {
			for _, e := range g.CommittedEntries {
				if err := n.applyConfChange(g.Group, e); err != nil {
					return err
				}
			}
			select {
			case gs.applyq <- applyTask{entries: g.CommittedEntries}:
			case <-gs.applierDone:
				return n.closedErr()
			}
		}
		n.answerReads(g.Group, g.ReadStates)
		if g.SoftState != nil || !raft.IsEmptyHardState(g.HardState) {
			n.noteLeadership(gs)
		}
	}
	n.core.Advance(rd)
	return nil
}

// mustSaveHardState says whether the cycle writes the group's new hard
// state. Its term and vote are promises (a vote, the highest term seen)
// and are written before any message leaves that depends on them. Its
// commit index is not: raft learns it again from the leader, and the
// state machine skips what it applied. So a hard state whose only change
// is the commit index — every commit, on every replica — is written only
// when the group writes entries or a snapshot anyway, or at a compaction
// (compact), which keeps the stored commit index at or above the
// snapshot's as raft requires when it restarts. That saves an fsync per
// commit on every replica.
func (n *Node) mustSaveHardState(g GroupReady) bool {
	prev := n.savedVotes[g.Group]
	return g.HardState.Term != prev.Term || g.HardState.Vote != prev.Vote ||
		len(g.Entries) > 0 || !raft.IsEmptySnap(g.Snapshot)
}

// applyConfChange applies a committed conf change entry to raft. After a
// restart raft hands out every entry after the snapshot again, and the
// voters are rebuilt from these.
func (n *Node) applyConfChange(group uint64, e raftpb.Entry) error {
	switch e.Type {
	case raftpb.EntryConfChange:
		var cc raftpb.ConfChange
		if err := cc.Unmarshal(e.Data); err != nil {
			return fmt.Errorf("multiraft: group %d: decoding a conf change at %d: %w", group, e.Index, err)
		}
		n.core.ApplyConfChange(group, cc)
	case raftpb.EntryConfChangeV2:
		var cc raftpb.ConfChangeV2
		if err := cc.Unmarshal(e.Data); err != nil {
			return fmt.Errorf("multiraft: group %d: decoding a conf change at %d: %w", group, e.Index, err)
		}
		n.core.ApplyConfChange(group, cc)
	}
	return nil
}

// fillSnapshots gives each snapshot message the state machine's data.
// raft's own snapshot carries only the compaction point's metadata; the
// state machine may be ahead of it, and the follower continues right
// after the index the data reflects (etcd's merged snapshot).
func (n *Node) fillSnapshots(b *Batch) {
	kept := b.Messages[:0]
	for _, m := range b.Messages {
		if m.Msg.Type == raftpb.MsgSnap {
			if err := n.fillSnapshot(m.Group, &m.Msg); err != nil {
				n.logger.Warn("multiraft: cannot send a snapshot", "group", m.Group, "to", b.To, "err", err)
				n.core.ReportSnapshot(m.Group, b.To, raft.SnapshotFailure)
				continue
			}
		}
		kept = append(kept, m)
	}
	b.Messages = kept
}

func (n *Node) fillSnapshot(group uint64, m *raftpb.Message) error {
	gs := n.groups[group]
	data, index, err := gs.sm.Snapshot()
	if err != nil {
		return err
	}
	st, err := n.cfg.Store.Storage(group)
	if err != nil {
		return err
	}
	term, err := st.Term(index)
	if err != nil {
		return fmt.Errorf("term of the state machine's index %d: %w", index, err)
	}
	m.Snapshot = &raftpb.Snapshot{Data: data, Metadata: raftpb.SnapshotMetadata{
		Index: index, Term: term, ConfState: raftpb.ConfState{Voters: gs.voters}}}
	return nil
}

// compact cuts the group's log CompactionSlack entries below index, never
// above what raft has applied.
func (n *Node) compact(c compactRequest) error {
	st, ok := n.core.Status(c.group)
	if !ok || c.index <= n.cfg.CompactionSlack {
		return nil
	}
	to := min(c.index-n.cfg.CompactionSlack, st.Applied)
	storage, err := n.cfg.Store.Storage(c.group)
	if err != nil {
		return err
	}
	first, err := storage.FirstIndex()
	if err != nil || to < first {
		return err
	}
	// The newest hard state goes with the compaction: its commit index
	// (at least to) may not have been written since it moved.
	wb := n.cfg.Store.NewBatch()
	wb.SetHardState(c.group, n.hardStates[c.group])
	wb.Compact(c.group, to, raftpb.ConfState{Voters: n.groups[c.group].voters})
	if err := n.cfg.Store.Commit(wb); err != nil {
		return fmt.Errorf("multiraft: group %d: compacting through %d: %w", c.group, to, err)
	}
	n.savedVotes[c.group] = n.hardStates[c.group]
	return nil
}

// noteLeadership publishes a group's leader and term, and fails the read
// rounds of a leader that no longer leads.
func (n *Node) noteLeadership(gs *groupState) {
	st, _ := n.core.Status(gs.id)
	changed := gs.leader.Load() != st.Leader || gs.term.Load() != st.Term
	gs.leader.Store(st.Leader)
	gs.term.Store(st.Term)
	gs.leading.Store(st.Leading)
	if !st.Leading {
		gs.lease.Store(nil)
		n.failGroupReads(gs.id, ErrNotLeader)
	}
	if changed && n.cfg.OnLeaderChange != nil {
		n.cfg.OnLeaderChange(gs.id, st.Leader, st.Term)
	}
}

// publish recomputes the leases of the groups this node leads: the
// beats acknowledged in this cycle extend them.
func (n *Node) publish() {
	for id, gs := range n.groups {
		if !gs.leading.Load() {
			continue
		}
		if l, ok := n.core.Lease(id); ok {
			if old := gs.lease.Load(); old == nil || *old != l {
				gs.lease.Store(&l)
			}
		} else if gs.lease.Load() != nil {
			gs.lease.Store(nil)
		}
	}
}

// startRead asks raft for a read index confirmed by a quorum.
func (n *Node) startRead(r readRequest) {
	n.readSeq++
	ctx := readCtx(n.readSeq)
	if err := n.core.ReadIndex(r.group, ctx); err != nil {
		r.done <- readResult{err: err}
		return
	}
	deadline := n.tick + uint64(n.core.cfg.ElectionTicks)
	n.reads[r.group] = append(n.reads[r.group], &pendingRead{ctx: ctx, done: r.done, deadline: deadline})
}

// answerReads releases the read rounds raft answered.
func (n *Node) answerReads(group uint64, states []raft.ReadState) {
	if len(states) == 0 {
		return
	}
	pending := n.reads[group]
	for _, rs := range states {
		for i, p := range pending {
			if bytes.Equal(p.ctx, rs.RequestCtx) {
				p.done <- readResult{index: rs.Index}
				pending = append(pending[:i], pending[i+1:]...)
				break
			}
		}
	}
	n.reads[group] = pending
}

// expireReads fails the read rounds raft has not answered within an
// election timeout: raft drops a request it cannot serve.
func (n *Node) expireReads() {
	for g, pending := range n.reads {
		kept := pending[:0]
		for _, p := range pending {
			if n.tick > p.deadline {
				p.done <- readResult{err: ErrNotLeader}
				continue
			}
			kept = append(kept, p)
		}
		n.reads[g] = kept
	}
}

func (n *Node) failGroupReads(group uint64, err error) {
	for _, p := range n.reads[group] {
		p.done <- readResult{err: err}
	}
	delete(n.reads, group)
}

func (n *Node) failReads(err error) {
	for g := range n.reads {
		n.failGroupReads(g, err)
	}
}

// runApplier applies the group's committed entries in order, skipping
// what the state machine already holds, until the loop closes the queue.
func (gs *groupState) runApplier(n *Node) {
	defer close(gs.applierDone)
	for t := range gs.applyq {
		if t.drained != nil {
			close(t.drained)
			continue
		}
		for _, e := range t.entries {
			if e.Index <= gs.applied.Load() {
				continue
			}
			if e.Type == raftpb.EntryNormal && len(e.Data) > 0 {
				if err := gs.sm.Apply(e.Index, e.Data); err != nil {
					n.setErr(fmt.Errorf("multiraft: group %d: applying entry %d: %w", gs.id, e.Index, err))
					n.stopOnce.Do(func() { close(n.stop) })
					for range gs.applyq { // let the loop hand over what it has until it stops
					}
					return
				}
			}
			gs.setApplied(e.Index)
		}
	}
}

// drain waits until the applier applied everything queued before it.
func (gs *groupState) drain() {
	done := make(chan struct{})
	select {
	case gs.applyq <- applyTask{drained: done}:
	case <-gs.applierDone:
		return
	}
	select {
	case <-done:
	case <-gs.applierDone:
	}
}

// setApplied publishes a new applied index and wakes its waiters.
func (gs *groupState) setApplied(index uint64) {
	gs.applied.Store(index)
	gs.appliedMu.Lock()
	close(gs.appliedCh)
	gs.appliedCh = make(chan struct{})
	gs.appliedMu.Unlock()
}

// waitApplied returns once the group applied index.
func (gs *groupState) waitApplied(ctx context.Context, index uint64, stopped <-chan struct{}) error {
	for {
		gs.appliedMu.Lock()
		ch := gs.appliedCh
		gs.appliedMu.Unlock()
		if gs.applied.Load() >= index {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-stopped:
			return ErrClosed
		}
	}
}

// stopAppliers closes every applier's queue and waits for them.
func (n *Node) stopAppliers() {
	for _, gs := range n.groups {
		close(gs.applyq)
	}
	for _, gs := range n.groups {
		<-gs.applierDone
	}
}

// splitBatches separates what may leave before this cycle's fsync from
// what must wait for it. A leader's appends and heartbeats go first
// (Raft thesis 10.2.1): the leader counts its own log in a majority only
// after Advance, so followers may persist its entries in parallel with
// it, and a commit costs one fsync of latency instead of two. Beats and
// their acknowledgements go first too: they promise no durable state (a
// node that crashes before persisting what it supported refuses votes
// for voteGrace after its restart). Everything else — append and vote
// answers, vote requests, snapshots, transfers — waits for the fsync.
func splitBatches(batches []*Batch) (early, late []*Batch) {
	for _, b := range batches {
		e := &Batch{From: b.From, To: b.To, Beat: b.Beat, Acks: b.Acks}
		l := &Batch{From: b.From, To: b.To}
		for _, h := range b.Heartbeats {
			if h.Response {
				l.Heartbeats = append(l.Heartbeats, h)
			} else {
				e.Heartbeats = append(e.Heartbeats, h)
			}
		}
		for _, m := range b.Messages {
			if m.Msg.Type == raftpb.MsgApp {
				e.Messages = append(e.Messages, m)
			} else {
				l.Messages = append(l.Messages, m)
			}
		}
		if !e.Empty() {
			early = append(early, e)
		}
		if !l.Empty() {
			late = append(late, l)
		}
	}
	return early, late
}
