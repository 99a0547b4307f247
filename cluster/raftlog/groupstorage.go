package raftlog

import (
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// GroupStorage is the raft.Storage of one group: a raft.MemoryStorage
// mirroring what is on disk (snapshot metadata, hard state, the entries
// after the last compaction). Only the Store changes the mirror, after
// the disk, so GroupStorage exposes raft's read methods only. Safe for
// concurrent use.
type GroupStorage struct {
	mem *raft.MemoryStorage
}

var _ raft.Storage = (*GroupStorage)(nil)

// InitialState returns the stored hard state and the ConfState of the
// last snapshot.
func (g *GroupStorage) InitialState() (raftpb.HardState, raftpb.ConfState, error) {
	return g.mem.InitialState()
}

// Entries returns the entries in [lo, hi), at most maxSize bytes of them
// (at least one).
func (g *GroupStorage) Entries(lo, hi, maxSize uint64) ([]raftpb.Entry, error) {
	return g.mem.Entries(lo, hi, maxSize)
}

// Term returns the term of entry i, which must be at least the snapshot
// index.
func (g *GroupStorage) Term(i uint64) (uint64, error) { return g.mem.Term(i) }

// LastIndex returns the index of the last entry (the snapshot index
// when there is none).
func (g *GroupStorage) LastIndex() (uint64, error) { return g.mem.LastIndex() }

// FirstIndex returns the index of the first entry still stored: the
// snapshot index plus one.
func (g *GroupStorage) FirstIndex() (uint64, error) { return g.mem.FirstIndex() }

// Snapshot returns the metadata of the last snapshot, without data: the
// caller fills in its state machine's data when it sends one.
func (g *GroupStorage) Snapshot() (raftpb.Snapshot, error) { return g.mem.Snapshot() }
