package raftlog

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// loaded is what load read of one group.
type loaded struct {
	onDisk bool
	snap   snapshotRecord
	hs     raftpb.HardState
	ents   []raftpb.Entry
	// garbage: keys a crash left behind (entries at or below the
	// snapshot, entries of a log a snapshot replaced, data of a
	// replaced snapshot), deleted before the group is used.
	garbage  [][]byte
	clearing bool // the snapshot record must be rewritten without its flag
}

// load reads group id from disk into a new mirror, first completing
// what a crash interrupted (see doc.go). Callers hold mu.
func (s *Store) load(id uint64) (*group, error) {
	var l loaded
	if err := s.db.View(func(txn *badger.Txn) error { return s.read(txn, id, &l) }); err != nil {
		return nil, err
	}
	if len(l.garbage) > 0 || l.clearing {
		s.logger.Info("completing an interrupted write", "group", id, "keys", len(l.garbage))
		w := s.newWriter()
		err := func() error {
			for _, k := range l.garbage {
				if err := w.del(k); err != nil {
					return err
				}
			}
			if l.clearing {
				return s.writeSnapshotRecord(w, id, l.snap)
			}
			return nil
		}()
		if err == nil {
			err = w.finish()
		}
		if err != nil {
			w.discard()
			return nil, fmt.Errorf("raftlog: repairing group %d: %w", id, err)
		}
	}
	mem := raft.NewMemoryStorage()
	if l.snap.meta.Index > 0 {
		if err := mem.ApplySnapshot(raftpb.Snapshot{Metadata: l.snap.meta}); err != nil {
			return nil, fmt.Errorf("raftlog: group %d: loading snapshot %d: %w", id, l.snap.meta.Index, err)
		}
	}
	last := l.snap.meta.Index
	if n := len(l.ents); n > 0 {
		last = l.ents[n-1].Index
	}
	if !raft.IsEmptyHardState(l.hs) {
		// A snapshot covers committed entries only, but the hard state
		// stored before it was received may say less.
		l.hs.Commit = max(l.hs.Commit, l.snap.meta.Index)
		if l.hs.Commit > last {
			return nil, fmt.Errorf("raftlog: group %d: hard state commits index %d but the log ends at %d", id, l.hs.Commit, last)
		}
		if err := mem.SetHardState(l.hs); err != nil {
			return nil, fmt.Errorf("raftlog: group %d: loading hard state: %w", id, err)
		}
	}
	if err := mem.Append(l.ents); err != nil {
		return nil, fmt.Errorf("raftlog: group %d: loading entries: %w", id, err)
	}
	return &group{id: id, storage: &GroupStorage{mem: mem}, onDisk: l.onDisk, snap: l.snap}, nil
}

// read fills l with group id's state from txn.
func (s *Store) read(txn *badger.Txn, id uint64, l *loaded) error {
	if _, err := txn.Get(groupKey(kindGroup, id)); err == nil {
		l.onDisk = true
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return fmt.Errorf("raftlog: group %d: reading its key: %w", id, err)
	}
	if v, err := getValue(txn, groupKey(kindSnapshot, id)); err != nil {
		return fmt.Errorf("raftlog: group %d: reading the snapshot record: %w", id, err)
	} else if v != nil {
		if err := l.snap.unmarshal(v); err != nil {
			return fmt.Errorf("raftlog: group %d: %w", id, err)
		}
	}
	if v, err := getValue(txn, groupKey(kindHard, id)); err != nil {
		return fmt.Errorf("raftlog: group %d: reading the hard state: %w", id, err)
	} else if v != nil {
		if err := l.hs.Unmarshal(v); err != nil {
			return fmt.Errorf("raftlog: group %d: decoding the hard state: %w", id, err)
		}
	}
	// Data chunks of any other snapshot were replaced.
	err := iterate(txn, groupKey(kindSnapData, id), false, func(key, _ []byte) error {
		index, _, err := parseSnapDataKey(key)
		if err != nil {
			return err
		}
		if !l.snap.hasData || index != l.snap.meta.Index {
			l.garbage = append(l.garbage, bytes.Clone(key))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("raftlog: group %d: listing snapshot data: %w", id, err)
	}
	if l.snap.clearing {
		// A received snapshot replaced the log, but the crash came
		// before all old entries were deleted: delete the rest.
		l.clearing = true
		l.snap.clearing = false
		return iterate(txn, groupKey(kindEntry, id), false, func(key, _ []byte) error {
			l.garbage = append(l.garbage, bytes.Clone(key))
			return nil
		})
	}
	return s.readEntries(txn, id, l)
}

// readEntries assembles the group's entries from their chunks. Entries at
// or below the snapshot index are garbage (a compaction writes the
// snapshot record first and deletes them after); above it, the entries
// must follow the snapshot without a gap and be complete, or the store
// is corrupt.
func (s *Store) readEntries(txn *badger.Txn, id uint64, l *loaded) error {
	snapIndex := l.snap.meta.Index
	var (
		cur      []byte // chunks of the entry being assembled
		curIndex uint64
		curNext  int // the chunk expected next; 0: none open
	)
	finish := func() error {
		var e raftpb.Entry
		if err := e.Unmarshal(cur); err != nil {
			return fmt.Errorf("raftlog: group %d: decoding entry %d: %w", id, curIndex, err)
		}
		if e.Index != curIndex {
			return fmt.Errorf("raftlog: group %d: entry stored at index %d has index %d", id, curIndex, e.Index)
		}
		want := snapIndex + 1
		if n := len(l.ents); n > 0 {
			want = l.ents[n-1].Index + 1
		}
		if e.Index != want {
			return fmt.Errorf("raftlog: group %d: entry %d follows %d: a gap in the log", id, e.Index, want-1)
		}
		l.ents = append(l.ents, e)
		cur, curNext = nil, 0
		return nil
	}
	err := iterate(txn, groupKey(kindEntry, id), true, func(key, value []byte) error {
		index, chunk, err := parseEntryKey(key)
		if err != nil {
			return err
		}
		if index <= snapIndex {
			l.garbage = append(l.garbage, bytes.Clone(key))
			return nil
		}
		if len(value) == 0 || value[0] > chunkMore {
			return fmt.Errorf("raftlog: group %d: entry %d chunk %d is malformed", id, index, chunk)
		}
		if curNext > 0 && (index != curIndex || chunk != curNext) || curNext == 0 && chunk != 0 {
			return fmt.Errorf("raftlog: group %d: entry %d chunk %d out of sequence: an entry is incomplete", id, index, chunk)
		}
		cur, curIndex = append(cur, value[1:]...), index
		if value[0] == chunkMore {
			curNext = chunk + 1
			return nil
		}
		return finish()
	})
	if err != nil {
		return fmt.Errorf("raftlog: group %d: reading entries: %w", id, err)
	}
	if curNext > 0 {
		return fmt.Errorf("raftlog: group %d: entry %d is incomplete", id, curIndex)
	}
	return nil
}

// getValue returns a copy of the value of key, or nil if it is absent.
func getValue(txn *badger.Txn, key []byte) ([]byte, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return item.ValueCopy(nil)
}

// iterate calls fn for every key with prefix, in order, with its value
// when values is set. key and value are valid during the call only.
func iterate(txn *badger.Txn, prefix []byte, values bool, fn func(key, value []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: values, PrefetchSize: 64})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		var value []byte
		if values {
			var err error
			if value, err = item.ValueCopy(nil); err != nil {
				return fmt.Errorf("reading key %x: %w", item.Key(), err)
			}
		}
		if err := fn(item.Key(), value); err != nil {
			return err
		}
	}
	return nil
}
