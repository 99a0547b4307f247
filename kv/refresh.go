package kv

import (
	"bytes"
	"context"
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// lock takes key's write lock for t (GetForUpdate, Put, Delete), waiting
// behind other holders, then refreshes t's read timestamp if key changed
// after it. It does not hold closeMu while waiting: a holder's Commit
// needs closeMu shared, and a Close queued for it exclusively would
// block that Commit behind the waiter. On ErrDeadlock and on a failed
// refresh (ErrConflict) t is finished, releasing its locks, so the
// transactions it was blocking proceed at once.
func (t *localTxn) lock(ctx context.Context, key []byte) error {
	if _, ok := t.buf.get(key); ok {
		// A buffered point write holds its key's lock already, or was
		// inserted unlocked (see bufEntry.unlocked).
		return nil
	}
	return t.acquireLock(ctx, key)
}

// acquireLock is lock for a key known not to be buffered.
func (t *localTxn) acquireLock(ctx context.Context, key []byte) error {
	k, newly, err := t.s.locks.acquire(ctx, t, key, lockWait{timeout: t.s.cfg.LockTimeout, stop: t.s.stop})
	if err != nil {
		if errors.Is(err, ErrDeadlock) {
			t.s.stats.deadlocks.Add(1)
			t.finish()
		}
		return err
	}
	if !newly {
		return nil
	}
	t.locks = append(t.locks, k)
	t.lockBytes += int64(len(k)) + lockOverhead
	return t.refresh(key)
}

// refresh runs when t has just taken the lock on key. If a commit after
// t's read timestamp wrote key, reading key at that timestamp would be
// stale and Commit would fail validation, so t's read timestamp moves to
// the visible timestamp w — allowed if no commit in (readTS, w] wrote
// anything t read or wrote (conflictTracker.refreshable): every read t
// made then returns the same at w, as if t had begun at w. Otherwise t
// is finished and refresh returns ErrConflict.
//
// Every commit that wrote key before t got the lock is visible by now:
// a writer of key holds its lock until after its commit is visible, and
// w is read after t took the lock. From now until t finishes nobody
// else writes key (DeleteRange excepted, which commit validation
// catches), so t's commit cannot fail on key.
func (t *localTxn) refresh(key []byte) error {
	s := t.s
	if s.wm.Visible() <= t.readTS {
		return nil // nothing committed since t's snapshot
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	s.commitMu.Lock()
	s.drainTrackerLocked()
	w := s.wm.Visible()
	wrote, known := s.conflicts.wroteKey(t.readTS, w, key)
	s.commitMu.Unlock()
	if !known {
		wrote = t.newerVersion(key, w)
	}
	if !wrote {
		return nil
	}
	if t.dist {
		// The coordinator moves every part of the transaction (RefreshTo)
		// and repeats the call; the lock stays held meanwhile.
		return &RefreshNeededError{To: w}
	}
	// Sorting the read set happens outside commitMu, as in commit; the
	// visible timestamp may have moved meanwhile, which only moves the
	// refresh further.
	t.reads.prepare()
	s.commitMu.Lock()
	s.drainTrackerLocked()
	w = s.wm.Visible()
	ok := s.conflicts.refreshable(t.readTS, w, &t.reads, t.buf)
	s.commitMu.Unlock()
	if !ok {
		s.stats.conflicts.Add(1)
		t.finish()
		return ErrConflict
	}
	t.moveReadTS(w)
	return nil
}

// moveReadTS makes t read at w from now on, once a refresh to w was
// found safe. The new registration goes in before the old one goes, so
// neither the recent-commit list nor badger's versions are pruned past
// the new timestamp in between.
func (t *localTxn) moveReadTS(w Timestamp) {
	s := t.s
	s.active.move(t.readTS, w)
	t.snap.Discard()
	t.snap = s.db.NewTransactionAt(uint64(w), false)
	t.readTS = w
	s.stats.refreshes.Add(1)
}

// newerVersion reports whether key has a version (a value or a
// tombstone) committed in (t.readTS, at], asking badger: the fallback
// when the recent-commit list is long or pruned. Versions above the
// oldest open read timestamp are never garbage collected, so the
// newest version at or below at is there if it is newer than readTS.
// The caller holds closeMu shared.
func (t *localTxn) newerVersion(key []byte, at Timestamp) bool {
	snap := t.s.db.NewTransactionAt(uint64(at), false)
	defer snap.Discard()
	// A key iterator sees every version of key, tombstones included
	// (Get hides them), and consults bloom filters to skip tables.
	k := t.s.key(key)
	it := snap.NewKeyIterator(k, badger.IteratorOptions{})
	defer it.Close()
	it.Rewind()
	// The iterator's prefix also admits longer keys; only key counts.
	return it.Valid() && bytes.Equal(it.Item().Key(), k) && Timestamp(it.Item().Version()) > t.readTS
}
