package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// localTxn is a LocalStore transaction: reads from a badger snapshot at
// readTS merged with its own buffered writes; writes stay in the buffer
// until Commit. Like every Txn it is used by one goroutine at a time, so
// its fields need no lock, except the waits-for edge that other
// transactions' deadlock checks read.
type localTxn struct {
	s        *LocalStore
	readTS   Timestamp // moved forward by a read refresh
	readOnly bool
	epoch    uint64       // replicated mode: the leadership epoch at Begin
	snap     *badger.Txn  // read-only badger txn at readTS
	buf      *writeBuffer // nil for read-only transactions
	reads    readSet      // what Get and Scan read (read-write only)
	done     bool
	// dist: a part of a distributed transaction (BeginAt), which reads at
	// its coordinator's timestamp: it never refreshes on its own
	// (RefreshNeededError) and skips the hot-key cache, which serves
	// read timestamps up to the visible one.
	dist bool
	// prepared: Prepare succeeded; the store's prepared part owns the
	// locks, and preparedRec is the part's entry in the conflict tracker.
	prepared    bool
	preparedRec *commitRecord
	// released: the coordinator let go of the prepared part (Rollback
	// after Prepare: its commit returned, or its stream to this node
	// ended). Until then a coordinator is at work on the transaction,
	// and recovery leaves the part alone (LocalStore.Prepared).
	released atomic.Bool
	// group is the distributed transaction this is a part of, shared
	// with its other parts on this node (deadlock detection); nil for a
	// transaction of this store alone.
	group     *txnGroup
	leftGroup bool
	// start is a distributed transaction's first read timestamp, its age
	// for the deadlock rule across nodes (lock.go).
	start Timestamp

	// Write locks held (see lock.go), released by finish. Every key with
	// a point write in buf is among them.
	locks     []string
	lockBytes int64 // approximate memory of locks, counted in MaxTxnBytes

	// The key this transaction is blocked on, if any: its edge in the
	// waits-for graph. Guarded by s.locks.waitMu.
	waitShard *lockShard
	waitKey   string
}

// ReadTimestamp implements Txn.
func (t *localTxn) ReadTimestamp() Timestamp { return t.readTS }

// checkKey rejects keys outside the user space.
func checkKey(key []byte) error {
	if len(key) == 0 {
		return errors.New("kv: empty key")
	}
	if key[0] == 0x00 {
		return fmt.Errorf("kv: key %q is in the reserved 0x00 space", key)
	}
	return nil
}

// begin is the common prologue of every operation: it checks the
// transaction and the store and takes closeMu shared; the caller must
// call the returned function when done with badger.
func (t *localTxn) begin(ctx context.Context) (func(), error) {
	if t.done {
		return nil, ErrTxnDone
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.s.closeMu.RLock()
	if t.s.closed {
		t.s.closeMu.RUnlock()
		return nil, ErrClosed
	}
	return t.s.closeMu.RUnlock, nil
}

// Get implements Txn.
func (t *localTxn) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	release, err := t.begin(ctx)
	if err != nil {
		return nil, false, err
	}
	defer release()
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	if t.buf != nil {
		if e, ok := t.buf.get(key); ok {
			if e.del {
				return nil, false, nil
			}
			return bytes.Clone(e.value), true, nil
		}
		if t.buf.rangeDeleted(key) {
			// The range counts as read and written; no point read needed.
			return nil, false, nil
		}
		t.reads.keys = append(t.reads.keys, bytes.Clone(key))
	}
	hot := isHotKey(key) && !t.dist
	if hot {
		if v, found, ok := t.s.hot.get(key, t.readTS); ok {
			if !found {
				return nil, false, nil
			}
			return bytes.Clone(v), true, nil
		}
	}
	item, err := t.snap.Get(t.s.key(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		if hot {
			t.s.hot.populate(key, nil, false, 0, t.readTS, t.s.clock.Now)
		}
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("kv: get %q at %d: %w", key, t.readTS, err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, false, fmt.Errorf("kv: get %q at %d: %w", key, t.readTS, err)
	}
	if hot {
		t.s.hot.populate(key, v, true, Timestamp(item.Version()), t.readTS, t.s.clock.Now)
	}
	return v, true, nil
}

// Exists implements Txn: like Get, but a key found is recorded as read
// for its existence only.
func (t *localTxn) Exists(ctx context.Context, key []byte) (bool, error) {
	release, err := t.begin(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if err := checkKey(key); err != nil {
		return false, err
	}
	if t.buf != nil {
		if e, ok := t.buf.get(key); ok {
			return !e.del, nil
		}
		if t.buf.rangeDeleted(key) {
			return false, nil
		}
	}
	_, err = t.snap.Get(t.s.key(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		if t.buf != nil {
			// An absent key conflicts with any later insert of it.
			t.reads.keys = append(t.reads.keys, bytes.Clone(key))
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("kv: exists %q at %d: %w", key, t.readTS, err)
	}
	if t.buf != nil {
		t.reads.exists = append(t.reads.exists, bytes.Clone(key))
	}
	return true, nil
}

// GetForUpdate implements Txn: Get once the key's write lock is held.
func (t *localTxn) GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error) {
	if t.done {
		return nil, false, ErrTxnDone
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if t.readOnly {
		return nil, false, ErrReadOnly
	}
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	_, inBuf := t.buf.get(key)
	if err := t.checkSize(newLockBytes(key, inBuf)); err != nil {
		return nil, false, err
	}
	if err := t.lock(ctx, key); err != nil {
		return nil, false, err
	}
	return t.Get(ctx, key)
}

// Put implements Txn.
func (t *localTxn) Put(ctx context.Context, key, value []byte) error {
	if value == nil {
		return errors.New("kv: Put with a nil value")
	}
	return t.write(ctx, key, value, false)
}

// Delete implements Txn.
func (t *localTxn) Delete(ctx context.Context, key []byte) error {
	return t.write(ctx, key, nil, true)
}

func (t *localTxn) write(ctx context.Context, key, value []byte, del bool) error {
	if err := t.checkWrite(ctx, key); err != nil {
		return err
	}
	old, inBuf := t.buf.get(key) // one lookup serves the checks below
	if del && !inBuf && t.buf.rangeDeleted(key) {
		return nil // already gone; a tombstone would only cost memory
	}
	if err := t.checkSize(growth(old, key, len(value)) + newLockBytes(key, inBuf)); err != nil {
		return err
	}
	if !inBuf {
		// A buffered key is locked already, or was inserted unlocked
		// (then validation guards it and taking the lock now would not
		// make the earlier write safer).
		if err := t.acquireLock(ctx, key); err != nil {
			return err
		}
	}
	if del {
		value = nil
	} else if value == nil {
		value = []byte{}
	}
	k, v := privateCopy(key, value)
	t.buf.set(k, v, del, false)
	return nil
}

// checkWrite is the common prologue of the write operations.
func (t *localTxn) checkWrite(ctx context.Context, key []byte) error {
	if t.done {
		return ErrTxnDone
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.readOnly {
		return ErrReadOnly
	}
	return checkKey(key)
}

// lockOverhead approximates the memory of one held lock beyond its key:
// the lock table's map slot and the entry in localTxn.locks.
const lockOverhead = 64

// newLockBytes is what writing key adds to the lock memory: a new lock
// unless the key is buffered already. A key not yet in the buffer is
// charged a new lock even if GetForUpdate already holds it: one lock's
// worth of slack is not worth a lookup.
func newLockBytes(key []byte, inBuf bool) int64 {
	if inBuf {
		return 0
	}
	return int64(len(key)) + lockOverhead
}

// checkSize fails with ErrTxnTooLarge if growing the write buffer and
// the locks by growth bytes would take the transaction past MaxTxnBytes.
// The locks count too: a bulk load through Put holds one per key.
func (t *localTxn) checkSize(growth int64) error {
	if t.buf.bytes+t.lockBytes+growth > t.s.cfg.MaxTxnBytes {
		return fmt.Errorf("%w: more than %d bytes of writes and locks", ErrTxnTooLarge, t.s.cfg.MaxTxnBytes)
	}
	return nil
}

// DeleteRange implements Txn. The range is kept as one entry in the
// write buffer, not a tombstone per key: the keys are found when the
// commit is applied (reading the snapshot just below the commit
// timestamp, which validation guarantees equals this transaction's view
// of the range), so truncating a big table costs no memory per row.
func (t *localTxn) DeleteRange(ctx context.Context, start, end []byte) error {
	if t.done {
		return ErrTxnDone
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.readOnly {
		return ErrReadOnly
	}
	start = clampStart(start)
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil
	}
	var e []byte
	if end != nil {
		e = bytes.Clone(end)
	}
	t.buf.deleteRange(bytes.Clone(start), e)
	return nil
}

// clampStart raises a scan or range start to the first user key.
func clampStart(start []byte) []byte {
	if bytes.Compare(start, minUserKey) < 0 {
		return minUserKey
	}
	return start
}

// Rollback implements Txn.
func (t *localTxn) Rollback() {
	if t.prepared {
		t.released.Store(true)
	}
	t.finish()
}

// finish releases the snapshot, the read-timestamp registration and the
// locks. After a successful Commit it runs once the commit is visible,
// so the next holder of each lock (its refresh) sees the commit.
func (t *localTxn) finish() {
	if t.done {
		return
	}
	t.done = true
	t.snap.Discard()
	t.s.active.unregister(t.readTS)
	for _, k := range t.locks {
		t.s.locks.release(t, k)
	}
	t.locks = nil
	t.buf = nil
	t.reads = readSet{}
	t.leaveGroup()
}

// leaveGroup detaches a finished part from its distributed transaction.
func (t *localTxn) leaveGroup() {
	// The pointer stays: deadlock walks read it under waitMu.
	if t.group != nil && !t.leftGroup {
		t.leftGroup = true
		t.s.eng.leaveGroup(t.group)
	}
}
