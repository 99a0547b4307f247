package raftlog

import (
	"bytes"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"go.etcd.io/raft/v3/raftpb"
)

// Compact records that the group's state machine holds everything
// through index durably: it drops the entries through index (the disk,
// then the mirror) and records snapshot metadata (index, its term, cs)
// without data. A compaction at or below the current snapshot changes
// nothing. It costs an fsync of its own; Batch.Compact saves it.
func (s *Store) Compact(group, index uint64, cs raftpb.ConfState) error {
	b := s.NewBatch()
	b.Compact(group, index, cs)
	return s.Commit(b)
}

// SnapshotData returns the data and metadata of the snapshot received
// from a leader that the group's log starts from, or nil data when the
// log starts from a compaction (or at the beginning). The data is kept
// until a compaction passes the snapshot, so that a crash between
// saving it and the state machine restoring it can be repaired at
// start: if the state machine is behind the metadata's index, restore
// it from the data. A received snapshot with empty data returns a
// non-nil empty slice.
func (s *Store) SnapshotData(id uint64) ([]byte, raftpb.SnapshotMetadata, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return nil, raftpb.SnapshotMetadata{}, err
	}
	g, err := s.group(id)
	if err != nil {
		return nil, raftpb.SnapshotMetadata{}, err
	}
	rec := g.snap
	if !rec.hasData {
		return nil, rec.meta, nil
	}
	data := make([]byte, 0, rec.dataLen)
	err = s.db.View(func(txn *badger.Txn) error {
		prefix := snapDataKey(id, rec.meta.Index, 0)[:snapDataKeyLen-4]
		next := 0
		return iterate(txn, prefix, true, func(key, value []byte) error {
			if _, c, err := parseSnapDataKey(key); err != nil {
				return err
			} else if c != next {
				return fmt.Errorf("chunk %d missing", next)
			}
			next++
			data = append(data, value...)
			return nil
		})
	})
	if err == nil && uint64(len(data)) != rec.dataLen {
		err = fmt.Errorf("%d bytes stored, %d expected", len(data), rec.dataLen)
	}
	if err != nil {
		return nil, rec.meta, fmt.Errorf("raftlog: group %d: reading snapshot %d data: %w", id, rec.meta.Index, err)
	}
	return data, rec.meta, nil
}

// DropGroup removes all state of a group, on disk and in memory; a
// GroupStorage of it must not be used afterwards.
func (s *Store) DropGroup(id uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	delete(s.groups, id)
	if err := s.dropGroup(id); err != nil {
		s.broken = err
		return err
	}
	return nil
}

// dropGroup deletes every key of a group. The 'x' mark is written first
// and deleted last, so that Open finishes a drop a crash interrupted
// (without it, a half-deleted group could look like a log with a gap).
func (s *Store) dropGroup(id uint64) error {
	var keys [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		for _, kind := range []byte{kindEntry, kindSnapData, kindHard, kindSnapshot, kindGroup} {
			err := iterate(txn, groupKey(kind, id), false, func(key, _ []byte) error {
				keys = append(keys, bytes.Clone(key))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("raftlog: group %d: listing its keys: %w", id, err)
	}
	w := s.newWriter()
	err = func() error {
		mark := groupKey(kindDropping, id)
		if err := w.set(mark, nil); err != nil {
			return err
		}
		for _, k := range keys {
			if err := w.del(k); err != nil {
				return err
			}
		}
		return w.del(mark)
	}()
	if err == nil {
		err = w.finish()
	}
	if err != nil {
		w.discard()
		return fmt.Errorf("raftlog: dropping group %d: %w", id, err)
	}
	return nil
}

// finishDrops completes the drops a crash interrupted.
func (s *Store) finishDrops() error {
	var ids []uint64
	err := s.db.View(func(txn *badger.Txn) error {
		return iterate(txn, []byte{kindDropping}, false, func(key, _ []byte) error {
			ids = append(ids, groupOf(key))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("raftlog: listing interrupted drops: %w", err)
	}
	for _, id := range ids {
		s.logger.Info("completing an interrupted drop", "group", id)
		if err := s.dropGroup(id); err != nil {
			return err
		}
	}
	return nil
}
