package kv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// metaReplicaApplied is a replica's applied marker: the log index and
// commit timestamp through which badger is durable (replicated mode's
// counterpart of metaApplied). The group re-applies entries after it
// at Open.
var metaReplicaApplied = []byte("\x00replica-applied")

// The replica's state-machine side. The group calls Apply, Snapshot and
// Restore from its applier and loop goroutines, never two at once for
// Apply and Restore, in log order, so the fields Apply owns need no lock.
// Snapshot may run while Apply does: it reads the applied pair under
// appliedMu and badger at that timestamp.

// Apply applies one committed log entry: a chunk of a commit encoded as
// a WAL record (walrecord.go). A commit's chunks are contiguous in the
// log; a commit whose final chunk never arrives (its leader lost office
// halfway) was never acknowledged and is dropped when the next commit
// starts. This replica's own commits are applied from their write
// buffers; others' are decoded. Applying is idempotent, so entries after
// the applied marker are simply applied again after a restart.
func (s *LocalStore) Apply(index uint64, data []byte) error {
	r := s.repl
	kind, ts, last, body, err := decodeEntryHeader(data)
	if err != nil {
		return s.applyFailed(fmt.Errorf("kv: log entry %d: %w", index, err))
	}
	if r.appliedBytes.Add(int64(len(data))) >= s.cfg.CheckpointBytes {
		s.kickCheckpoint()
	}
	var head []byte
	if kind == entryPrepare {
		if len(body) < prepareHeaderLen {
			return s.applyFailed(fmt.Errorf("kv: log entry %d: prepare of %d bytes", index, len(body)))
		}
		head, body = body[:prepareHeaderLen], body[prepareHeaderLen:]
	}
	if (r.assemblingTS != ts || kind == entryTxnOp) && (r.assembling != nil || r.local != nil) {
		s.logger.Warn("kv: dropping a commit whose final chunk is not in the log (never acknowledged)", "commit_ts", r.assemblingTS, "index", index)
		r.assembling, r.local = nil, nil
	}
	if kind == entryTxnOp {
		return s.applyTxnOp(index, ts, body)
	}
	if r.assembling == nil && r.local == nil {
		// A commit's first chunk: this replica's own commit is applied
		// from its write buffer, whatever happens to the waiting set
		// before the final chunk (LeaderChanged may empty it).
		r.assemblingTS, r.assemblingKind, r.assemblingHead = ts, kind, bytes.Clone(head)
		r.mu.Lock()
		r.local = r.waiting[ts]
		r.mu.Unlock()
		if r.local == nil {
			r.assembling = newWriteBuffer()
		}
	}
	if r.assembling != nil {
		if err := decodeOps(body, r.assembling); err != nil {
			return s.applyFailed(fmt.Errorf("kv: log entry %d: %w", index, err))
		}
	}
	if !last {
		return nil
	}
	p, buf := r.local, r.assembling
	r.local, r.assembling = nil, nil
	if p != nil {
		buf = p.buf
		r.mu.Lock()
		if r.waiting[ts] == p {
			delete(r.waiting, ts)
		}
		r.mu.Unlock()
	}
	if r.assemblingKind == entryPrepare {
		return s.applyPrepare(index, ts, r.assemblingHead, p, buf)
	}
	if err := s.apply(ts, buf); err != nil {
		err = s.applyFailed(fmt.Errorf("kv: applying commit %d (log index %d): %w", ts, index, err))
		if p != nil {
			p.answer(fmt.Errorf("%w: %w", ErrCommitUnknown, err))
		}
		return err
	}
	s.clock.Update(ts)
	s.recent.add(ts)
	s.hot.committed(ts, buf, s.clock.Now)
	s.setAppliedAtLeast(index, ts)
	if p != nil {
		s.wm.applied(p.pending)
		p.answer(nil)
	} else {
		s.wm.advance(ts)
	}
	return nil
}

// applyFailed stops the store: a replica that cannot apply a committed
// entry must not serve (the group stops too, as Apply's error is fatal).
func (s *LocalStore) applyFailed(err error) error {
	s.fail(err)
	return err
}

// setApplied records the last fully applied commit. appliedIndex and
// appliedTS change together under appliedMu so a checkpoint reads a
// consistent pair.
func (s *LocalStore) setApplied(index uint64, ts Timestamp) {
	r := s.repl
	r.appliedMu.Lock()
	r.appliedIndex, r.appliedTS = index, ts
	r.appliedMu.Unlock()
}

func (s *LocalStore) applied() (uint64, Timestamp) {
	r := s.repl
	r.appliedMu.Lock()
	defer r.appliedMu.Unlock()
	return r.appliedIndex, r.appliedTS
}

// AppliedLogIndex is the index of the last commit this replica applied
// (for operators; AppliedIndex is the durable one).
func (s *LocalStore) AppliedLogIndex() uint64 {
	index, _ := s.applied()
	return index
}

// AppliedIndex is the log index through which badger is durable (the
// applied marker read at Open).
func (s *LocalStore) AppliedIndex() uint64 {
	return s.repl.checkpointed.Load()
}

// Snapshot returns the store's contents for a replica that fell behind
// the compacted log: the commit timestamp, then badger's backup format of
// every user key's versions up to it.
func (s *LocalStore) Snapshot() ([]byte, uint64, error) {
	index, ts := s.applied()
	var out bytes.Buffer
	var hdr [8]byte
	binary.BigEndian.PutUint64(hdr[:], uint64(ts))
	out.Write(hdr[:])
	stream := s.db.NewStreamAt(uint64(ts))
	stream.LogPrefix = "kv snapshot"
	stream.Prefix = s.prefix
	stream.ChooseKey = func(item *badger.Item) bool {
		k := item.Key()[len(s.prefix):]
		return len(k) > 0 && (k[0] != 0x00 || isTxnMetaKey(k))
	}
	if _, err := stream.Backup(&out, 0); err != nil {
		return nil, 0, fmt.Errorf("kv: snapshot at index %d: %w", index, err)
	}
	return out.Bytes(), index, nil
}

// Restore replaces the store's contents with a snapshot taken at index.
//
// The data is validated first (ValidateSnapshot): a snapshot that would
// not load is refused while the store is still whole.
func (s *LocalStore) Restore(data []byte, index uint64) error {
	if err := validateSnapshot(data, index, s.prefix); err != nil {
		return err
	}
	ts := Timestamp(binary.BigEndian.Uint64(data[:8]))
	if err := s.dropAll(); err != nil {
		return s.applyFailed(fmt.Errorf("kv: clearing for snapshot at index %d: %w", index, err))
	}
	done := s.writing()
	err := s.db.Load(bytes.NewReader(data[8:]), applyPendingRequests)
	done()
	if err != nil {
		return s.applyFailed(fmt.Errorf("kv: loading snapshot at index %d: %w", index, err))
	}
	s.repl.assembling, s.repl.local = nil, nil
	if err := s.loadTxnState(); err != nil {
		return s.applyFailed(fmt.Errorf("kv: snapshot at index %d: %w", index, err))
	}
	s.clock.Update(ts)
	s.hot.mu.Lock()
	s.hot.clearLocked(s.clock.Now())
	s.hot.mu.Unlock()
	s.setApplied(index, ts)
	s.wm.advance(ts)
	if err := s.checkpointReplica(); err != nil {
		return s.applyFailed(err)
	}
	s.stats.restores.Add(1)
	return nil
}

// dropAll deletes every key of the store, its metadata included; the
// other stores of a shared engine keep theirs.
func (s *LocalStore) dropAll() error {
	s.eng.writeMu.Lock()
	defer s.eng.writeMu.Unlock()
	if len(s.prefix) == 0 {
		return s.db.DropAll()
	}
	return s.db.DropPrefix(s.prefix)
}

// checkpointReplica makes badger durable through the last applied
// commit, records the marker, and lets the log drop entries through the
// previous checkpoint (one checkpoint of slack, as with the WAL).
func (s *LocalStore) checkpointReplica() error {
	r := s.repl
	index, ts := s.applied()
	prev := r.checkpointed.Load()
	if index <= prev {
		return nil
	}
	r.appliedBytes.Store(0)
	if err := s.syncBadger(); err != nil {
		return err
	}
	var v [16]byte
	binary.BigEndian.PutUint64(v[:8], index)
	binary.BigEndian.PutUint64(v[8:], uint64(ts))
	if err := s.writeMarker(max(ts, 1), metaReplicaApplied, v[:]); err != nil {
		return fmt.Errorf("kv: writing replica marker %d: %w", index, err)
	}
	if err := s.syncBadger(); err != nil {
		return err
	}
	r.checkpointed.Store(index)
	if r.compact != nil && prev > 0 {
		r.compact(prev)
	}
	s.stats.checkpoints.Add(1)
	return nil
}

// recoverReplica reads the replica marker at Open: badger holds every
// commit through it, and the group re-applies the entries after it.
func (s *LocalStore) recoverReplica() error {
	txn := s.db.NewTransactionAt(^uint64(0), false)
	defer txn.Discard()
	var index uint64
	var ts Timestamp
	item, err := txn.Get(s.key(metaReplicaApplied))
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
	case err != nil:
		return fmt.Errorf("kv: reading replica marker: %w", err)
	default:
		v, err := item.ValueCopy(nil)
		if err != nil || len(v) != 16 {
			return fmt.Errorf("kv: reading replica marker: bad value (%d bytes): %v", len(v), err)
		}
		index, ts = binary.BigEndian.Uint64(v[:8]), Timestamp(binary.BigEndian.Uint64(v[8:]))
	}
	s.repl.checkpointed.Store(index)
	s.setApplied(index, ts)
	s.clock.Update(max(ts, Timestamp(s.db.MaxVersion())))
	s.wm.visible, s.wm.logMax = ts, ts
	if err := s.loadTxnState(); err != nil {
		return err
	}
	// A prepared part may lie below the marker: nothing at or above its
	// timestamp is visible until it is resolved.
	s.wm.mu.Lock()
	if len(s.wm.pending) > 0 {
		s.wm.visible = min(s.wm.visible, s.wm.pending[0].ts-1)
	}
	s.wm.mu.Unlock()
	return nil
}
