package kv

import (
	"bytes"
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
)

// Commit implements Txn. The pipeline, in order:
//
//  1. under commitMu: validate the read and write sets against the
//     commits after readTS (including ones not yet durable), take a
//     commit timestamp from the clock, record the commit for later
//     validators, register it with the watermark, and queue it to the
//     WAL writer — queueing under the lock keeps the log in timestamp
//     order;
//  2. wait for the WAL writer's group fsync;
//  3. apply the writes to badger at the commit timestamp;
//  4. mark applied and wait until the watermark covers the commit, so a
//     Begin after Commit returns sees it.
//
// Context cancellation is honoured up to step 1; after that the commit
// is in flight and Commit waits for its outcome, because returning early
// would leave the caller unsure whether it committed.
func (t *localTxn) Commit(ctx context.Context) error {
	if t.done {
		return ErrTxnDone
	}
	defer t.finish()
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.readOnly || t.buf.empty() {
		// Nothing to write: the snapshot reads are serializable at
		// readTS, so there is nothing to validate.
		t.s.stats.readOnlyCommits.Add(1)
		return nil
	}
	return t.s.commit(t)
}

func (s *LocalStore) commit(t *localTxn) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.failed(); err != nil {
		return err
	}
	// Before anything is queued: a commit refused for lack of space
	// leaves no trace, and the WAL never meets ENOSPC through us.
	if err := s.disk.admit(t.buf.bytes); err != nil {
		return err
	}
	// Sorting happens outside the lock; it is the expensive part for a
	// bulk load.
	t.reads.prepare()
	rec := &commitRecord{keys: t.buf.sortedKeys(), dels: t.buf.sortedDeleteKeys(), spans: t.buf.ranges}
	if s.repl != nil {
		return s.commitReplicated(t, rec)
	}

	s.commitMu.Lock()
	s.conflicts.prune(s.pruneHorizon())
	if !s.conflicts.validate(t.readTS, &t.reads, rec.keys, rec.spans) {
		s.commitMu.Unlock()
		s.stats.conflicts.Add(1)
		return ErrConflict
	}
	// The failure check is repeated under the lock: after a WAL failure
	// nothing may be queued behind the failed record.
	if err := s.failed(); err != nil {
		s.commitMu.Unlock()
		return err
	}
	pending := s.wm.beginNow(s.clock)
	rec.ts = pending.ts
	s.conflicts.add(rec)
	req := &walRequest{ts: rec.ts, buf: t.buf, done: make(chan error, 1)}
	s.wal.reqs <- req
	s.commitMu.Unlock()

	if err := <-req.done; err != nil {
		// The record may or may not be on disk: a restart decides.
		s.fail(err)
		return fmt.Errorf("%w: %w", ErrCommitUnknown, err)
	}
	if err := s.apply(rec.ts, t.buf); err != nil {
		// Durable in the WAL but not visible here; a restart replays it.
		err = fmt.Errorf("kv: applying commit %d: %w", rec.ts, err)
		s.fail(err)
		return fmt.Errorf("%w: %w", ErrCommitUnknown, err)
	}
	// Before visibility: a reader whose snapshot includes this commit
	// must find it in the hot-key cache too.
	s.hot.committed(rec.ts, t.buf, s.clock.Now)
	s.wm.applied(pending)
	<-pending.visible
	if !s.wm.isVisible(rec.ts) {
		// The store stopped while an earlier commit was failing; ours is
		// durable but this process will not show it.
		return fmt.Errorf("%w: %w", ErrCommitUnknown, s.failed())
	}
	s.stats.commits.Add(1)
	return nil
}

// apply writes buf to badger as versions at ts. Range deletes become a
// tombstone per key present just below ts, except keys the commit writes
// itself. It is idempotent, which replay relies on.
//
// It feeds badger's KVLoader rather than a WriteBatch: a WriteBatch is a
// badger transaction, which keeps two maps per key (pending writes and
// conflict fingerprints) and hands the entries to the memtable in map
// order; the loader sends them in buffer order, sorted, in large
// requests. Badger's own transactions add nothing here: versions are
// our commit timestamps, conflicts are ours to detect, and atomicity
// across a crash comes from our WAL, replayed over whatever part of the
// commit reached badger.
func (s *LocalStore) apply(ts Timestamp, buf *writeBuffer) error {
	defer s.writing()()
	if len(buf.ranges) == 0 && buf.len() <= smallCommitEntries {
		return s.applySmall(ts, buf)
	}
	ld := &badgerLoader{l: s.db.NewKVLoader(applyPendingRequests), ts: uint64(ts), prefix: s.prefix}
	if len(buf.ranges) > 0 {
		if err := s.applyRanges(ts, buf, ld); err != nil {
			_ = ld.l.Finish()
			return err
		}
	}
	var err error
	buf.tree.Ascend(func(e *bufEntry) bool {
		err = ld.set(e.key, e.value, e.del)
		return err == nil
	})
	if ferr := ld.l.Finish(); err == nil {
		err = ferr
	}
	return err
}

// writing holds the engine's writeMu for reading while the caller
// writes to badger; call the result when done.
func (s *LocalStore) writing() (done func()) {
	s.eng.writeMu.RLock()
	return s.eng.writeMu.RUnlock
}

// writeMarker sets one of the store's marker keys (unprefixed) to v at
// version ts.
func (s *LocalStore) writeMarker(ts Timestamp, key, v []byte) error {
	defer s.writing()()
	wb := s.db.NewWriteBatchAt(uint64(ts))
	if err := wb.Set(s.key(key), v); err != nil {
		wb.Cancel()
		return err
	}
	return wb.Flush()
}

// smallCommitEntries is the size up to which a commit goes to badger
// through a WriteBatch: a KVLoader allocates a slice for badger's largest
// batch (about 100,000 pointers) however few entries it carries, which
// made that allocation a tenth of the CPU of pgbench's TPC-B.
const smallCommitEntries = 1024

// applySmall writes a commit of at most smallCommitEntries point writes.
func (s *LocalStore) applySmall(ts Timestamp, buf *writeBuffer) error {
	wb := s.db.NewWriteBatchAt(uint64(ts))
	var err error
	buf.tree.Ascend(func(e *bufEntry) bool {
		if e.del {
			err = wb.Delete(s.key(e.key))
		} else {
			err = wb.Set(s.key(e.key), e.value)
		}
		return err == nil
	})
	if err != nil {
		wb.Cancel()
		return err
	}
	return wb.Flush()
}

// applyPendingRequests bounds the write requests apply has in flight in
// badger's write pipeline.
const applyPendingRequests = 16

// badgerDeleteMeta is the meta byte of a badger tombstone (badger's
// bitDelete, as its backup format writes it). TestApplyTombstones checks
// that a key deleted through apply reads as absent.
const badgerDeleteMeta = 1

// badgerLoader writes the versions of one commit. The pb.KV is reused:
// KVLoader.Set copies what it keeps, except the value, which stays in
// the write buffer until apply returns.
type badgerLoader struct {
	l      *badger.KVLoader
	ts     uint64
	prefix []byte // the store's (LocalStore.prefix)
	key    []byte // scratch: prefix+key
	kv     pb.KV
}

var deleteMeta = []byte{badgerDeleteMeta}

// set writes a version of a store key.
func (ld *badgerLoader) set(key, value []byte, del bool) error {
	if len(ld.prefix) > 0 {
		ld.key = append(append(ld.key[:0], ld.prefix...), key...)
		key = ld.key
	}
	return ld.setEngineKey(key, value, del)
}

// setEngineKey writes a version of an engine key (prefix included).
func (ld *badgerLoader) setEngineKey(key, value []byte, del bool) error {
	ld.kv = pb.KV{Key: key, Value: value, Version: ld.ts}
	if del {
		ld.kv.Value, ld.kv.Meta = nil, deleteMeta
	}
	return ld.l.Set(&ld.kv)
}

func (s *LocalStore) applyRanges(ts Timestamp, buf *writeBuffer, ld *badgerLoader) error {
	// Every commit below ts that touched these ranges is applied: commits
	// up to this transaction's read timestamp were visible when it began,
	// and validation rejected it if any later one wrote into a range.
	snap := s.db.NewTransactionAt(uint64(ts)-1, false)
	defer snap.Discard()
	it := snap.NewIterator(badger.IteratorOptions{PrefetchValues: false})
	defer it.Close()
	for _, r := range buf.ranges {
		// Usually nothing is written back into a deleted range (DROP,
		// the old indexes of ADD PRIMARY KEY): then no lookup per key.
		writesIn := buf.hasPointWritesIn(r.start, r.end)
		end := s.upperBound()
		if r.end != nil {
			end = s.key(r.end)
		}
		for it.Seek(s.key(r.start)); it.Valid(); it.Next() {
			k := it.Item().Key()
			if end != nil && bytes.Compare(k, end) >= 0 {
				break
			}
			if writesIn {
				if _, ok := buf.get(s.userKey(k)); ok {
					continue // the commit writes this key itself
				}
			}
			if err := ld.setEngineKey(k, nil, true); err != nil { // Set copies the key
				return err
			}
		}
	}
	return nil
}
