package raftlog

import (
	"fmt"
	"math"
	"slices"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// Batch collects the writes of one scheduler cycle for any number of
// groups; Store.Commit makes them durable together. A Batch is not safe
// for concurrent use, and must not be reused after Commit.
type Batch struct {
	groups map[uint64]*groupBatch
	err    error // the first misuse, returned by Commit
}

// groupBatch is one group's part of a batch, applied in this order.
type groupBatch struct {
	compact *compaction
	snap    *raftpb.Snapshot
	ents    []raftpb.Entry
	hs      *raftpb.HardState
}

type compaction struct {
	index uint64
	cs    raftpb.ConfState
}

// NewBatch returns an empty batch.
func (s *Store) NewBatch() *Batch { return &Batch{groups: make(map[uint64]*groupBatch)} }

func (b *Batch) group(id uint64) *groupBatch {
	gb, ok := b.groups[id]
	if !ok {
		gb = &groupBatch{}
		b.groups[id] = gb
	}
	return gb
}

// Append adds entries from a raft.Ready. Entries at index i replace any
// stored entries from i on (a new leader overwrote an uncommitted
// suffix); entries at or below the snapshot index are ignored, as
// raft.MemoryStorage does. Several Appends to one group in a batch
// behave as in sequence. ents is kept (in the mirror) and must not be
// changed afterwards.
func (b *Batch) Append(group uint64, ents []raftpb.Entry) {
	if len(ents) == 0 {
		return
	}
	for i := 1; i < len(ents); i++ {
		if ents[i].Index != ents[i-1].Index+1 {
			b.fail(fmt.Errorf("raftlog: group %d: appending entries %d and %d, not consecutive", group, ents[i-1].Index, ents[i].Index))
			return
		}
	}
	gb := b.group(group)
	if len(gb.ents) == 0 {
		gb.ents = ents
		return
	}
	first, last := gb.ents[0].Index, gb.ents[len(gb.ents)-1].Index
	switch i := ents[0].Index; {
	case i <= first:
		gb.ents = ents
	case i <= last+1:
		gb.ents = append(gb.ents[:i-first:i-first], ents...)
	default:
		b.fail(fmt.Errorf("raftlog: group %d: appending entry %d after entry %d leaves a gap", group, i, last))
	}
}

// SetHardState records the group's hard state; the last one set in a
// batch wins. An empty hard state is ignored.
func (b *Batch) SetHardState(group uint64, hs raftpb.HardState) {
	if raft.IsEmptyHardState(hs) {
		return
	}
	b.group(group).hs = &hs
}

// ApplySnapshot records a snapshot received from the leader: its
// metadata and data are kept (SnapshotData returns them until a
// compaction passes it) and all the group's entries are dropped, as
// raft.MemoryStorage.ApplySnapshot does (raft applies a snapshot only
// when its log does not contain the snapshot's last entry, so entries
// after it are of another history). Entries appended to the group
// earlier in this batch are dropped too; those of the same Ready are
// appended after it.
func (b *Batch) ApplySnapshot(group uint64, snap raftpb.Snapshot) {
	if raft.IsEmptySnap(snap) {
		return
	}
	gb := b.group(group)
	gb.snap = &snap
	gb.ents = nil
}

// Compact records in the batch what Store.Compact does at once, so that
// the compaction rides on the batch's fsync. It is applied before the
// group's other writes in the batch; index must be in the log before the
// batch (at most raft's applied index).
func (b *Batch) Compact(group, index uint64, cs raftpb.ConfState) {
	b.group(group).compact = &compaction{index: index, cs: cs}
}

func (b *Batch) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Commit writes the batch durably with one fsync (several for a batch
// too large for one badger transaction, see writer.go), then updates the
// groups' mirrors in the order raft requires: compaction, snapshot,
// entries, hard state. A batch refused when checked (entries leaving a
// gap, a snapshot not after the stored one, a compaction past the log,
// an entry too large) changes nothing and the store stays usable. An
// error while writing leaves none of the batch in the mirrors and
// possibly part of it on disk (a state Open accepts), and the store then
// refuses further use: the node must stop and reopen it.
func (s *Store) Commit(b *Batch) error {
	if b.err != nil {
		return b.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	ids := make([]uint64, 0, len(b.groups))
	for id := range b.groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Plan everything before writing anything: a refused batch leaves
	// the store usable.
	plans := make([]*plan, len(ids))
	for i, id := range ids {
		g, err := s.group(id)
		if err != nil {
			return err
		}
		if plans[i], err = s.plan(g, b.groups[id]); err != nil {
			return err
		}
	}
	w := s.newWriter()
	for _, p := range plans {
		if err := s.write(w, p); err != nil {
			w.discard()
			s.broken = err
			return err
		}
	}
	if err := w.finish(); err != nil {
		s.broken = err
		return err
	}
	for _, p := range plans {
		if err := p.apply(); err != nil {
			s.broken = err
			return err
		}
	}
	return nil
}

// plan is one group's part of a batch, checked against the group's
// state, with what the disk writes need to know.
type plan struct {
	g  *group
	gb *groupBatch
	// compactTerm is the term of the compaction index; compactFrom is
	// the first index of the log before it (entries to delete start
	// there). compact is nil when the compaction changes nothing.
	compact     *compaction
	compactTerm uint64
	compactFrom uint64
	// clear: the entries [clearFrom, clearTo] that a received snapshot
	// drops, with their chunk counts.
	clear []entryChunks
	// ents: the entries to append, after dropping those the snapshot
	// covers; overwrite: the stored entries they replace.
	ents      []raftpb.Entry
	overwrite []entryChunks
	snap      snapshotRecord // the record after the batch
}

type entryChunks struct {
	index  uint64
	chunks int
}

// plan checks gb against g and works out the deletions it implies.
func (s *Store) plan(g *group, gb *groupBatch) (*plan, error) {
	mem := g.storage.mem
	first, _ := mem.FirstIndex()
	last, _ := mem.LastIndex()
	p := &plan{g: g, gb: gb, snap: g.snap}
	snapIndex := g.snap.meta.Index
	if c := gb.compact; c != nil && c.index > snapIndex {
		if c.index > last {
			return nil, fmt.Errorf("raftlog: group %d: compacting through %d beyond the last entry %d", g.id, c.index, last)
		}
		term, err := mem.Term(c.index)
		if err != nil {
			return nil, fmt.Errorf("raftlog: group %d: term of compaction index %d: %w", g.id, c.index, err)
		}
		p.compact, p.compactTerm, p.compactFrom = c, term, first
		p.snap = snapshotRecord{meta: raftpb.SnapshotMetadata{Index: c.index, Term: term, ConfState: c.cs}}
		snapIndex, first = c.index, c.index+1
	}
	if gb.snap != nil {
		m := gb.snap.Metadata
		if m.Index <= snapIndex {
			return nil, fmt.Errorf("raftlog: group %d: snapshot %d is not after the stored snapshot %d: %w", g.id, m.Index, snapIndex, raft.ErrSnapOutOfDate)
		}
		var err error
		if p.clear, err = s.chunksOf(mem, first, last); err != nil {
			return nil, fmt.Errorf("raftlog: group %d: %w", g.id, err)
		}
		p.snap = snapshotRecord{meta: m, hasData: true, dataLen: uint64(len(gb.snap.Data))}
		snapIndex, first, last = m.Index, m.Index+1, m.Index
	}
	ents := gb.ents
	if len(ents) > 0 && ents[0].Index <= snapIndex {
		skip := min(snapIndex+1-ents[0].Index, uint64(len(ents)))
		ents = ents[skip:]
	}
	if len(ents) > 0 {
		i := ents[0].Index
		if i > last+1 {
			return nil, fmt.Errorf("raftlog: group %d: appending entry %d after entry %d leaves a gap", g.id, i, last)
		}
		if i <= last {
			var err error
			if p.overwrite, err = s.chunksOf(mem, i, last); err != nil {
				return nil, fmt.Errorf("raftlog: group %d: %w", g.id, err)
			}
		}
		// An entry's chunks share one transaction: refuse one too large
		// now, while the store is still untouched.
		maxSize, maxCount := s.cfg.txnLimits()
		for k := range ents {
			sz := ents[k].Size()
			if size, count := s.cfg.entryUnit(sz); size > maxSize || count > maxCount {
				return nil, fmt.Errorf("raftlog: group %d: entry %d of %d bytes is larger than a transaction allows (%d bytes)", g.id, ents[k].Index, sz, maxSize)
			}
		}
	}
	p.ents = ents
	return p, nil
}

// chunksOf returns the stored entries [lo, hi] of mem with their chunk
// counts.
func (s *Store) chunksOf(mem *raft.MemoryStorage, lo, hi uint64) ([]entryChunks, error) {
	if lo > hi {
		return nil, nil
	}
	ents, err := mem.Entries(lo, hi+1, math.MaxUint64)
	if err != nil {
		return nil, fmt.Errorf("reading entries %d-%d: %w", lo, hi, err)
	}
	out := make([]entryChunks, len(ents))
	for i := range ents {
		out[i] = entryChunks{ents[i].Index, numChunks(ents[i].Size(), s.cfg.chunkBytes)}
	}
	return out, nil
}

// write adds the plan's operations to w, in an order whose every prefix
// (at transaction boundaries) Open accepts: see doc.go.
func (s *Store) write(w *writer, p *plan) error {
	id := p.g.id
	if !p.g.onDisk {
		if err := w.set(groupKey(kindGroup, id), nil); err != nil {
			return err
		}
	}
	old := p.g.snap // the record on disk
	if c := p.compact; c != nil {
		// The record first: entries at or below it are garbage to Open.
		rec := snapshotRecord{meta: raftpb.SnapshotMetadata{Index: c.index, Term: p.compactTerm, ConfState: c.cs}}
		if err := s.writeSnapshotRecord(w, id, rec); err != nil {
			return err
		}
		if err := s.deleteSnapData(w, id, old); err != nil {
			return err
		}
		old = rec
		mem := p.g.storage.mem
		dropped, err := s.chunksOf(mem, p.compactFrom, c.index)
		if err != nil {
			return fmt.Errorf("raftlog: group %d: %w", id, err)
		}
		for _, e := range dropped {
			if err := s.deleteEntry(w, id, e); err != nil {
				return err
			}
		}
	}
	if snap := p.gb.snap; snap != nil {
		// The data first (under the new index: the old record does not
		// name it), then the record marked clearing, the deletions, and
		// the record again: Open finishes the deletions if it finds the
		// mark.
		data := snap.Data
		for c := 0; len(data) > 0; c++ {
			n := min(len(data), s.cfg.chunkBytes)
			if err := w.set(snapDataKey(id, snap.Metadata.Index, c), data[:n]); err != nil {
				return err
			}
			data = data[n:]
		}
		rec := p.snap
		if len(p.clear) > 0 {
			rec.clearing = true
			if err := s.writeSnapshotRecord(w, id, rec); err != nil {
				return err
			}
			rec.clearing = false
		}
		if err := s.deleteSnapData(w, id, old); err != nil {
			return err
		}
		for i := len(p.clear) - 1; i >= 0; i-- {
			if err := s.deleteEntry(w, id, p.clear[i]); err != nil {
				return err
			}
		}
		if err := s.writeSnapshotRecord(w, id, rec); err != nil {
			return err
		}
	}
	// A replaced suffix goes last entry first, so that a crash leaves a
	// log without a gap; the new entries follow in order.
	for i := len(p.overwrite) - 1; i >= 0; i-- {
		if err := s.deleteEntry(w, id, p.overwrite[i]); err != nil {
			return err
		}
	}
	for i := range p.ents {
		if err := s.putEntry(w, id, &p.ents[i]); err != nil {
			return err
		}
	}
	if hs := p.gb.hs; hs != nil {
		data, err := hs.Marshal()
		if err != nil {
			return fmt.Errorf("raftlog: group %d: encoding hard state: %w", id, err)
		}
		if err := w.set(groupKey(kindHard, id), data); err != nil {
			return err
		}
	}
	return nil
}

// apply updates the mirror after the plan is durable, in the order
// raft requires.
func (p *plan) apply() error {
	mem, id := p.g.storage.mem, p.g.id
	p.g.onDisk = true
	p.g.snap = p.snap
	if c := p.compact; c != nil {
		if _, err := mem.CreateSnapshot(c.index, &c.cs, nil); err != nil {
			return fmt.Errorf("raftlog: group %d: recording snapshot %d in memory: %w", id, c.index, err)
		}
		if err := mem.Compact(c.index); err != nil {
			return fmt.Errorf("raftlog: group %d: compacting the mirror through %d: %w", id, c.index, err)
		}
	}
	if snap := p.gb.snap; snap != nil {
		// The data stays on disk only: the mirror answers raft's
		// Snapshot calls with metadata, and the caller supplies data.
		if err := mem.ApplySnapshot(raftpb.Snapshot{Metadata: snap.Metadata}); err != nil {
			return fmt.Errorf("raftlog: group %d: applying snapshot %d to the mirror: %w", id, snap.Metadata.Index, err)
		}
	}
	if err := mem.Append(p.ents); err != nil {
		return fmt.Errorf("raftlog: group %d: appending to the mirror: %w", id, err)
	}
	if hs := p.gb.hs; hs != nil {
		if err := mem.SetHardState(*hs); err != nil {
			return fmt.Errorf("raftlog: group %d: setting the mirror's hard state: %w", id, err)
		}
	}
	return nil
}

// putEntry writes e in chunks, all in one transaction.
func (s *Store) putEntry(w *writer, id uint64, e *raftpb.Entry) error {
	data, err := e.Marshal()
	if err != nil {
		return fmt.Errorf("raftlog: group %d: encoding entry %d: %w", id, e.Index, err)
	}
	n := numChunks(len(data), s.cfg.chunkBytes)
	keys := make([][]byte, n)
	vals := make([][]byte, n)
	var size int64
	for c := range n {
		part := data[min(c*s.cfg.chunkBytes, len(data)):min((c+1)*s.cfg.chunkBytes, len(data))]
		flag := byte(chunkMore)
		if c == n-1 {
			flag = chunkLast
		}
		keys[c] = entryKey(id, e.Index, c)
		vals[c] = append([]byte{flag}, part...)
		size += opSize(keys[c], vals[c])
	}
	if err := w.unit(size, int64(n)); err != nil {
		return fmt.Errorf("raftlog: group %d: entry %d: %w", id, e.Index, err)
	}
	for c := range n {
		if err := w.setInUnit(keys[c], vals[c]); err != nil {
			return err
		}
	}
	return nil
}

// deleteEntry deletes all chunks of an entry in one transaction.
func (s *Store) deleteEntry(w *writer, id uint64, e entryChunks) error {
	keys := make([][]byte, e.chunks)
	var size int64
	for c := range keys {
		keys[c] = entryKey(id, e.index, c)
		size += opSize(keys[c], nil)
	}
	if err := w.unit(size, int64(len(keys))); err != nil {
		return err
	}
	for _, k := range keys {
		if err := w.delInUnit(k); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) writeSnapshotRecord(w *writer, id uint64, rec snapshotRecord) error {
	data, err := rec.marshal()
	if err != nil {
		return fmt.Errorf("raftlog: group %d: %w", id, err)
	}
	return w.set(groupKey(kindSnapshot, id), data)
}

// deleteSnapData deletes the data chunks rec names, if any.
func (s *Store) deleteSnapData(w *writer, id uint64, rec snapshotRecord) error {
	if !rec.hasData {
		return nil
	}
	for c := 0; uint64(c)*uint64(s.cfg.chunkBytes) < rec.dataLen; c++ {
		if err := w.del(snapDataKey(id, rec.meta.Index, c)); err != nil {
			return err
		}
	}
	return nil
}
