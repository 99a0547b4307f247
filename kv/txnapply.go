package kv

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The state of distributed transactions in a partition's replicas: the
// prepared parts it holds and the records of the transactions whose
// record partition it is. Both are applied from the log on every replica
// and kept in badger's metadata space, so that a restart, and a
// snapshot, carries them. Each txnOp or prepare entry takes a version
// above the replica's applied timestamp for its metadata writes
// (metaVersion), which makes the applied timestamp advance with every
// such entry: successive writes of one key get increasing versions
// whatever the entries' own timestamps, and a snapshot at the applied
// timestamp includes them.
var (
	metaPreparedPrefix = []byte("\x00prep/")
	metaRecordPrefix   = []byte("\x00txn/")
)

// isTxnMetaKey reports whether a store key (prefix stripped) holds
// transaction state, which snapshots carry.
func isTxnMetaKey(k []byte) bool {
	return bytes.HasPrefix(k, metaPreparedPrefix) || bytes.HasPrefix(k, metaRecordPrefix)
}

// preparedTxn is a prepared part of a distributed transaction held by
// this replica until a txnOp entry resolves it.
type preparedTxn struct {
	id     TxnID
	ts     Timestamp // the prepare timestamp
	record uint32    // the partition holding the transaction's record
	buf    *writeBuffer
	// rec is the part's entry in the conflict tracker, at ts until the
	// part commits, then at its commit timestamp.
	rec *commitRecord
	// pending holds the visible timestamp below ts while the part is
	// unresolved. Replaced after a leadership change; guarded by txnMu.
	pending *pendingCommit
	// owner is the transaction that prepared it on this replica, whose
	// write locks it keeps; nil on the other replicas.
	owner *localTxn
	since time.Time // when this replica learnt of it
}

// txnAnswer is a txnOp's outcome for the caller that proposed it.
type txnAnswer struct {
	outcome TxnOutcome
	err     error
}

// applyPrepare applies a prepare whose final chunk is at index: the part
// is recorded (in memory and in badger) and holds visibility below ts,
// but nothing it writes is visible until it is resolved.
func (s *LocalStore) applyPrepare(index uint64, ts Timestamp, head []byte, p *proposal, buf *writeBuffer) error {
	r := s.repl
	var id TxnID
	copy(id[:], head[:len(id)])
	record := binary.BigEndian.Uint32(head[len(id):prepareHeaderLen])
	version := s.metaVersion(ts)
	if err := s.persistPrepared(version, id, ts, record, buf); err != nil {
		err = s.applyFailed(fmt.Errorf("kv: recording prepared transaction %s (log index %d): %w", id, index, err))
		if p != nil {
			p.answer(fmt.Errorf("%w: %w", ErrCommitUnknown, err))
		}
		return err
	}
	prep := &preparedTxn{id: id, ts: ts, record: record, buf: buf}
	if p != nil && p.prep != nil {
		prep = p.prep
	}
	prep.since = time.Now()
	r.txnMu.Lock()
	_, known := r.prepared[id]
	if !known {
		if p != nil {
			prep.rec, prep.pending = p.rec, p.pending
		} else {
			prep.rec = &commitRecord{ts: ts, keys: buf.sortedKeys(), dels: buf.sortedDeleteKeys(), spans: buf.ranges}
			prep.pending = s.wm.beginSorted(ts)
		}
		r.prepared[id] = prep
	}
	r.txnMu.Unlock()
	if !known && p == nil {
		s.queueTracker(trackerOp{insert: prep.rec})
	}
	s.clock.Update(max(version, s.repl.metaWritten))
	s.setAppliedAtLeast(index, max(version, s.repl.metaWritten))
	if p != nil {
		p.answer(nil)
	}
	return nil
}

// applyTxnOp applies a resolution, a decision or a record removal.
func (s *LocalStore) applyTxnOp(index uint64, ts Timestamp, body []byte) error {
	r := s.repl
	if len(body) != txnOpLen {
		return s.applyFailed(fmt.Errorf("kv: log entry %d: transaction operation of %d bytes", index, len(body)))
	}
	op := body[0]
	var id TxnID
	copy(id[:], body[1:1+len(id)])
	nonce := binary.BigEndian.Uint64(body[1+len(id):])
	version := s.metaVersion(ts)
	var outcome TxnOutcome
	var err error
	switch op {
	case txnOpDecideCommit, txnOpDecideAbort:
		r.txnMu.Lock()
		rec, decided := r.records[id]
		if !decided {
			rec = TxnOutcome{Committed: op == txnOpDecideCommit}
			if rec.Committed {
				rec.TS = ts
			}
			r.records[id] = rec
		}
		r.txnMu.Unlock()
		outcome = rec
		if !decided {
			err = s.persistRecord(version, id, &rec)
		}
		if err == nil {
			err = s.resolvePrepared(version, id, outcome)
		}
	case txnOpResolveCommit:
		outcome = TxnOutcome{Committed: true, TS: ts}
		err = s.resolvePrepared(version, id, outcome)
	case txnOpResolveAbort:
		err = s.resolvePrepared(version, id, outcome)
	case txnOpForget:
		r.txnMu.Lock()
		delete(r.records, id)
		r.txnMu.Unlock()
		err = s.persistRecord(version, id, nil)
	default:
		err = fmt.Errorf("unknown transaction operation %d", op)
	}
	if err != nil {
		err = s.applyFailed(fmt.Errorf("kv: log entry %d (%s of transaction %s): %w", index, txnOpName(op), id, err))
	} else {
		s.clock.Update(max(version, s.repl.metaWritten))
		s.setAppliedAtLeast(index, max(version, s.repl.metaWritten))
	}
	r.txnMu.Lock()
	w := r.txnWaiters[nonce]
	delete(r.txnWaiters, nonce)
	r.txnMu.Unlock()
	if w != nil {
		w <- txnAnswer{outcome: outcome, err: err}
	}
	return err
}

// resolvePrepared commits or drops the prepared part of id, if this
// replica holds one; its metadata is deleted at version.
func (s *LocalStore) resolvePrepared(version Timestamp, id TxnID, outcome TxnOutcome) error {
	r := s.repl
	r.txnMu.Lock()
	prep := r.prepared[id]
	delete(r.prepared, id)
	var pending *pendingCommit
	if prep != nil {
		pending = prep.pending
	}
	r.txnMu.Unlock()
	if prep == nil {
		return nil
	}
	if outcome.Committed {
		if err := s.apply(outcome.TS, prep.buf); err != nil {
			return fmt.Errorf("applying at %d: %w", outcome.TS, err)
		}
		s.hot.committed(outcome.TS, prep.buf, s.clock.Now)
		s.recent.add(outcome.TS)
	}
	if err := s.persistPrepared(version, id, 0, 0, nil); err != nil {
		return err
	}
	// Later validators must see the writes at their commit timestamp.
	op := trackerOp{remove: prep.rec}
	if outcome.Committed {
		op.insert, op.ts = prep.rec, outcome.TS
	}
	s.queueTracker(op)
	if outcome.Committed {
		s.wm.advance(outcome.TS)
	}
	s.wm.drop(pending)
	if prep.owner != nil {
		prep.owner.releaseLocks()
	}
	if outcome.Committed {
		s.stats.resolvedCommits.Add(1)
	} else {
		s.stats.resolvedAborts.Add(1)
	}
	return nil
}

// releaseLocks releases a prepared part's write locks once it is
// resolved (finish did everything else at Prepare).
func (t *localTxn) releaseLocks() {
	for _, k := range t.locks {
		t.s.locks.release(t, k)
	}
	t.locks = nil
	t.leaveGroup()
}

// setAppliedAtLeast records index as applied, with the applied
// timestamp never moving back: a part committed at a timestamp below
// later commits' does not lower it.
func (s *LocalStore) setAppliedAtLeast(index uint64, ts Timestamp) {
	r := s.repl
	r.appliedMu.Lock()
	r.appliedIndex, r.appliedTS = index, max(r.appliedTS, ts)
	r.appliedMu.Unlock()
}

// persistPrepared writes (buf non-nil) or deletes the prepared part of
// id in badger at version.
func (s *LocalStore) persistPrepared(version Timestamp, id TxnID, ts Timestamp, record uint32, buf *writeBuffer) error {
	key := s.key(append(bytes.Clone(metaPreparedPrefix), id[:]...))
	var value []byte
	if buf != nil {
		value = binary.BigEndian.AppendUint64(value, uint64(ts))
		value = binary.BigEndian.AppendUint32(value, record)
		value = appendBufOps(value, buf)
	}
	return s.writeMeta(version, key, value)
}

// persistRecord writes (rec non-nil) or deletes id's record at version.
func (s *LocalStore) persistRecord(version Timestamp, id TxnID, rec *TxnOutcome) error {
	key := s.key(append(bytes.Clone(metaRecordPrefix), id[:]...))
	var value []byte
	if rec != nil {
		state := byte(0)
		if rec.Committed {
			state = 1
		}
		value = binary.BigEndian.AppendUint64([]byte{state}, uint64(rec.TS))
	}
	return s.writeMeta(version, key, value)
}

// metaVersion is the version of an entry's metadata writes: above the
// applied timestamp (so above every earlier entry's) and at least the
// entry's timestamp.
func (s *LocalStore) metaVersion(ts Timestamp) Timestamp {
	_, applied := s.applied()
	return max(applied+1, ts)
}

// writeMeta sets key to value (nil: deletes it) at version, or above
// the key's newest version if that is higher: entries applied again
// after a restart come with the lower applied timestamp of the last
// checkpoint, and must not hide behind what their later successors
// wrote before the restart. The version used is kept in metaWritten,
// which the applied timestamp then covers.
func (s *LocalStore) writeMeta(version Timestamp, key, value []byte) error {
	if newest := s.newestVersion(key); newest >= version {
		version = newest + 1
	}
	s.repl.metaWritten = max(s.repl.metaWritten, version)
	defer s.writing()()
	wb := s.db.NewWriteBatchAt(uint64(version))
	var err error
	if value == nil {
		err = wb.Delete(key)
	} else {
		err = wb.Set(key, value)
	}
	if err != nil {
		wb.Cancel()
		return err
	}
	return wb.Flush()
}

// loadTxnState rebuilds the prepared parts and records from badger (at
// Open, and after a Restore replaced the store's contents).
func (s *LocalStore) loadTxnState() error {
	r := s.repl
	txn := s.db.NewTransactionAt(^uint64(0), false)
	defer txn.Discard()
	var prepared []*preparedTxn
	records := make(map[TxnID]TxnOutcome)
	for _, prefix := range [][]byte{metaPreparedPrefix, metaRecordPrefix} {
		p := s.key(prefix)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			var id TxnID
			if len(k) != len(p)+len(id) {
				it.Close()
				return fmt.Errorf("kv: malformed transaction key %q", k)
			}
			copy(id[:], k[len(p):])
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				it.Close()
				return fmt.Errorf("kv: reading %q: %w", k, err)
			}
			if bytes.Equal(prefix, metaRecordPrefix) {
				if len(v) != 9 {
					it.Close()
					return fmt.Errorf("kv: malformed transaction record %s", id)
				}
				records[id] = TxnOutcome{Committed: v[0] == 1, TS: Timestamp(binary.BigEndian.Uint64(v[1:]))}
				continue
			}
			if len(v) < 12 {
				it.Close()
				return fmt.Errorf("kv: malformed prepared transaction %s", id)
			}
			buf := newWriteBuffer()
			if err := decodeOps(v[12:], buf); err != nil {
				it.Close()
				return fmt.Errorf("kv: prepared transaction %s: %w", id, err)
			}
			ts := Timestamp(binary.BigEndian.Uint64(v[:8]))
			prepared = append(prepared, &preparedTxn{
				id: id, ts: ts, record: binary.BigEndian.Uint32(v[8:12]), buf: buf,
				rec:   &commitRecord{ts: ts, keys: buf.sortedKeys(), dels: buf.sortedDeleteKeys(), spans: buf.ranges},
				since: time.Now(),
			})
		}
		it.Close()
	}

	r.txnMu.Lock()
	old := r.prepared
	r.prepared = make(map[TxnID]*preparedTxn, len(prepared))
	r.records = records
	r.txnMu.Unlock()
	for _, p := range old {
		s.queueTracker(trackerOp{remove: p.rec})
	}
	for _, p := range prepared {
		s.queueTracker(trackerOp{insert: p.rec})
	}
	for _, p := range old {
		s.wm.drop(p.pending)
		if p.owner != nil {
			p.owner.releaseLocks()
		}
	}
	r.txnMu.Lock()
	for _, p := range prepared {
		p.pending = s.wm.beginSorted(p.ts)
		r.prepared[p.id] = p
	}
	r.txnMu.Unlock()
	return nil
}

// leaderChangedTxns runs in LeaderChanged after the watermark abandoned
// every pending commit: prepared parts hold visibility again, and the
// callers waiting for txnOps learn that this replica cannot tell them.
func (s *LocalStore) leaderChangedTxns() {
	r := s.repl
	r.txnMu.Lock()
	for _, p := range r.prepared {
		p.pending = s.wm.beginSorted(p.ts)
	}
	waiters := r.txnWaiters
	r.txnWaiters = make(map[uint64]chan txnAnswer)
	r.txnMu.Unlock()
	for _, w := range waiters {
		// Every txnOp is idempotent: the caller repeats it on the new
		// leader.
		w <- txnAnswer{err: fmt.Errorf("kv: leadership changed before the transaction operation applied: %w", s.notLeader())}
	}
}

// trackerOp is a change to the conflict tracker made by the apply
// goroutine: remove a record, and insert one (at ts, when ts is set).
// The tracker is guarded by commitMu, which a proposer holds while it
// waits for the log to take its entries; the apply goroutine must not
// wait for it, so it queues its changes (queueTracker) and whoever holds
// commitMu next applies them before using the tracker.
type trackerOp struct {
	remove, insert *commitRecord
	ts             Timestamp
}

// queueTracker queues op and applies the queue at once if commitMu is
// free (always, on a follower).
func (s *LocalStore) queueTracker(op trackerOp) {
	s.trackerMu.Lock()
	s.trackerOps = append(s.trackerOps, op)
	s.trackerMu.Unlock()
	if s.commitMu.TryLock() {
		s.drainTrackerLocked()
		s.commitMu.Unlock()
	}
}

// drainTrackerLocked applies the queued tracker changes; the caller
// holds commitMu.
func (s *LocalStore) drainTrackerLocked() {
	s.trackerMu.Lock()
	ops := s.trackerOps
	s.trackerOps = nil
	s.trackerMu.Unlock()
	if len(ops) == 0 {
		return
	}
	for _, op := range ops {
		if op.remove != nil {
			s.conflicts.remove(op.remove)
		}
		if op.insert != nil {
			if op.ts != 0 {
				op.insert.ts = op.ts
			}
			s.conflicts.insert(op.insert)
		}
	}
	s.conflicts.prune(s.pruneHorizon())
}

// oldestPrepared is the lowest prepare timestamp of a part held here, or
// 0.
func (s *LocalStore) oldestPrepared() Timestamp {
	r := s.repl
	r.txnMu.Lock()
	defer r.txnMu.Unlock()
	var oldest Timestamp
	for _, p := range r.prepared {
		if oldest == 0 || p.ts < oldest {
			oldest = p.ts
		}
	}
	return oldest
}

// newestVersion is the version of key's newest value or tombstone in
// badger (an engine key), or 0.
func (s *LocalStore) newestVersion(key []byte) Timestamp {
	txn := s.db.NewTransactionAt(^uint64(0), false)
	defer txn.Discard()
	it := txn.NewKeyIterator(key, badger.IteratorOptions{AllVersions: true})
	defer it.Close()
	it.Rewind()
	if it.Valid() && bytes.Equal(it.Item().Key(), key) {
		return Timestamp(it.Item().Version())
	}
	return 0
}
