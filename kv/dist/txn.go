package dist

import (
	"context"
	"errors"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
)

// part is a transaction's part on one partition.
type part struct {
	p     uint32
	txn   kv.ParticipantTxn
	wrote bool
	// begun is the savepoint taken when the part began: rolling back to
	// a savepoint the transaction took before that undoes all of it.
	begun kv.Savepoint
}

// txn is a transaction coordinated by a DB. Like every kv.Txn it is
// used by one goroutine at a time; only Scan and Commit run its parts'
// calls in parallel, each part on its own goroutine, and wait for them.
type txn struct {
	db     *DB
	opts   kv.TxnOptions
	readTS kv.Timestamp // every part reads here (refreshAll moves them all)
	parts  map[uint32]*part
	// written lists the partitions written, in the order of their first
	// write: the first holds the transaction record.
	written []uint32
	done    bool
	// failed is the error that ended the transaction, when one did: the
	// next calls report it (08006 for a partition without a leader)
	// rather than ErrTxnDone.
	failed error
}

// doneErr is what a call on a finished transaction returns.
func (t *txn) doneErr() error {
	if t.failed != nil {
		return fmt.Errorf("the transaction ended: %w", t.failed)
	}
	return kv.ErrTxnDone
}

var (
	_ kv.Txn         = (*txn)(nil)
	_ kv.MultiGetter = (*txn)(nil)
	_ kv.Flusher     = (*txn)(nil)
)

// maxRefreshes bounds how often one call moves the transaction's read
// timestamp before giving up with ErrConflict (each move is caused by a
// commit to a key the call locks; more than a few means a hot key).
const maxRefreshes = 8

// part returns the transaction's part on partition p, beginning it at
// the read timestamp if needed.
func (t *txn) part(ctx context.Context, p uint32) (*part, error) {
	if pt, ok := t.parts[p]; ok {
		return pt, nil
	}
	if err := t.beginParts(ctx, []uint32{p}); err != nil {
		return nil, err
	}
	return t.parts[p], nil
}

// beginParts begins the transaction's parts on partitions ps that it
// has not begun yet, in parallel (a full-table scan from a fresh
// transaction touches every partition, most of them on other nodes).
func (t *txn) beginParts(ctx context.Context, ps []uint32) error {
	for range maxRefreshes {
		var missing []uint32
		for _, p := range ps {
			if _, ok := t.parts[p]; !ok {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		begun := make([]*part, len(missing))
		errs := make([]error, len(missing))
		readTS := t.readTS
		_ = parallel(len(missing), func(i int) error {
			p := missing[i]
			var ptxn kv.ParticipantTxn
			errs[i] = t.db.onLeaseholder(ctx, p, func(ctx context.Context, lh Participant) error {
				var err error
				ptxn, err = lh.BeginAt(ctx, readTS, t.opts)
				return err
			})
			if errs[i] == nil {
				begun[i] = &part{p: p, txn: ptxn}
			}
			return errs[i]
		})
		// Keep what began (at readTS, which nothing has moved since).
		var refreshTo kv.Timestamp
		var failed error
		for i, pt := range begun {
			if pt != nil {
				if !t.opts.ReadOnly {
					var err error
					if pt.begun, err = beginSavepoint(pt.txn, false); err != nil {
						pt.txn.Rollback()
						failed = err
						continue
					}
				}
				t.parts[pt.p] = pt
				continue
			}
			var refresh *kv.RefreshNeededError
			if errors.As(errs[i], &refresh) {
				refreshTo = max(refreshTo, refresh.To)
			} else if failed == nil {
				failed = errs[i]
			}
		}
		if failed != nil {
			return failed
		}
		if refreshTo == 0 {
			return nil
		}
		if err := t.refreshAll(ctx, refreshTo); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: partitions kept moving the read timestamp", kv.ErrConflict)
}

// beginSavepoint returns a mark to roll a new part back to: the one a
// remote part's server took as it began, which saves a round trip, or
// else a savepoint taken now.
// A part that ran an operation already (ran) must have the server's.
func beginSavepoint(pt kv.ParticipantTxn, ran bool) (kv.Savepoint, error) {
	if b, ok := pt.(interface{ BeginSavepoint() (kv.Savepoint, bool) }); ok {
		if sp, ok := b.BeginSavepoint(); ok {
			return sp, nil
		}
	}
	if ran {
		return kv.Savepoint{}, errors.New("dist: a part began with its first operation has no mark from before it")
	}
	return pt.Savepoint()
}

// refreshAll moves every part's read timestamp to ts (nothing any part
// read may have changed in between), so that all parts keep reading one
// snapshot.
func (t *txn) refreshAll(ctx context.Context, ts kv.Timestamp) error {
	if ts <= t.readTS {
		return nil
	}
	t.db.stats.readMoves.Add(1)
	t.db.cfg.Clock.Update(ts)
	for _, pt := range t.parts {
		if err := pt.txn.RefreshTo(ctx, ts); err != nil {
			return t.fail(err)
		}
	}
	t.readTS = ts
	return nil
}

// fail ends the transaction when err aborted a part (the others must
// not commit alone) and returns err.
func (t *txn) fail(err error) error {
	switch {
	case t.done:
		// Failed already (a refresh inside the call): counted then.
	case errors.Is(err, kv.ErrConflict):
		t.db.stats.conflicts.Add(1)
		t.finish()
	case errors.Is(err, kv.ErrDeadlock):
		t.db.stats.deadlocks.Add(1)
		t.finish()
	case errors.Is(err, kv.ErrUnavailable):
		// A partition has no reachable leader: the transaction cannot
		// go on, and a caller that retries a read elsewhere in it must
		// not wait for that leader again.
		t.failed = err
		t.finish()
	case errors.Is(err, kv.ErrNotLeader):
		// A part's partition changed leader under it: what it read and
		// locked there is gone with the old leader's term, so the
		// transaction restarts (it never committed).
		t.db.stats.conflicts.Add(1)
		t.finish()
		return fmt.Errorf("%w: a partition's leadership moved during the transaction: %v", kv.ErrConflict, err)
	}
	return err
}

// on runs call on the part holding key, moving the read timestamp and
// repeating it when the part asks to (kv.RefreshNeededError). write
// marks the part written first.
func (t *txn) on(ctx context.Context, key []byte, write bool, call func(kv.ParticipantTxn) error) error {
	if t.done {
		return t.doneErr()
	}
	p, err := t.db.cfg.Partitions.Of(key)
	if err != nil {
		return err
	}
	return t.onPartition(ctx, p, write, call)
}

// onPartition is on for a partition named directly.
func (t *txn) onPartition(ctx context.Context, p uint32, write bool, call func(kv.ParticipantTxn) error) error {
	pt, ran, opErr, err := t.beginWith(ctx, p, call)
	if err != nil {
		return t.fail(err)
	}
	for range maxRefreshes {
		if ran {
			err, ran = opErr, false
		} else {
			err = call(pt.txn)
		}
		var refresh *kv.RefreshNeededError
		if !errors.As(err, &refresh) {
			if err == nil && write {
				// Only a write that happened makes the part a writer:
				// an Insert refused with ErrKeyExists (ON CONFLICT DO
				// NOTHING) leaves nothing to prepare.
				t.markWritten(pt)
			}
			return t.fail(err)
		}
		if err := t.refreshAll(ctx, refresh.To); err != nil {
			return err
		}
	}
	return t.fail(fmt.Errorf("%w: the key kept changing under its lock", kv.ErrConflict))
}

// beginWith returns the transaction's part on p. A part not begun yet
// is begun with call as its first operation where the leaseholder can
// take both in one round trip (FirstOpBeginner): ran then says that
// call ran, and opErr is its error. Otherwise the part is begun as
// part() does and call is left to the caller. err is the begin's.
func (t *txn) beginWith(ctx context.Context, p uint32, call func(kv.ParticipantTxn) error) (pt *part, ran bool, opErr, err error) {
	if pt, ok := t.parts[p]; ok {
		return pt, false, nil, nil
	}
	for range maxRefreshes {
		var ptxn kv.ParticipantTxn
		fused := false
		readTS := t.readTS
		err := t.db.onLeaseholder(ctx, p, func(cctx context.Context, lh Participant) error {
			f, ok := lh.(FirstOpBeginner)
			if !ok {
				var err error
				ptxn, err = lh.BeginAt(cctx, readTS, t.opts)
				return err
			}
			var err error
			ptxn, opErr, err = f.BeginWith(cctx, ctx, readTS, t.opts, call)
			fused = err == nil
			return err
		})
		if err == nil {
			pt := &part{p: p, txn: ptxn}
			if !t.opts.ReadOnly {
				// A fused part's mark must be the server's, taken before
				// call ran; a part begun alone may take one now.
				if pt.begun, err = beginSavepoint(ptxn, fused); err != nil {
					ptxn.Rollback()
					return nil, false, nil, err
				}
			}
			t.parts[p] = pt
			return pt, fused, opErr, nil
		}
		var refresh *kv.RefreshNeededError
		if !errors.As(err, &refresh) {
			return nil, false, nil, err
		}
		if err := t.refreshAll(ctx, refresh.To); err != nil {
			return nil, false, nil, err
		}
	}
	return nil, false, nil, fmt.Errorf("%w: partitions kept moving the read timestamp", kv.ErrConflict)
}

func (t *txn) markWritten(pt *part) {
	if !pt.wrote {
		pt.wrote = true
		t.written = append(t.written, pt.p)
	}
}

// Get implements kv.Txn.
func (t *txn) Get(ctx context.Context, key []byte) (value []byte, found bool, err error) {
	err = t.on(ctx, key, false, func(pt kv.ParticipantTxn) error {
		value, found, err = pt.Get(ctx, key)
		return err
	})
	return value, found, err
}

// GetForUpdate implements kv.Txn.
func (t *txn) GetForUpdate(ctx context.Context, key []byte) (value []byte, found bool, err error) {
	err = t.on(ctx, key, false, func(pt kv.ParticipantTxn) error {
		value, found, err = pt.GetForUpdate(ctx, key)
		return err
	})
	return value, found, err
}

// Exists implements kv.Txn.
func (t *txn) Exists(ctx context.Context, key []byte) (found bool, err error) {
	err = t.on(ctx, key, false, func(pt kv.ParticipantTxn) error {
		found, err = pt.Exists(ctx, key)
		return err
	})
	return found, err
}

// Put implements kv.Txn.
func (t *txn) Put(ctx context.Context, key, value []byte) error {
	return t.write(ctx, key, func(pt kv.ParticipantTxn) error { return pt.Put(ctx, key, value) })
}

// Insert implements kv.Txn.
func (t *txn) Insert(ctx context.Context, key, value []byte) error {
	return t.write(ctx, key, func(pt kv.ParticipantTxn) error { return pt.Insert(ctx, key, value) })
}

// InsertFresh implements kv.Txn.
func (t *txn) InsertFresh(ctx context.Context, key, value []byte) error {
	return t.write(ctx, key, func(pt kv.ParticipantTxn) error { return pt.InsertFresh(ctx, key, value) })
}

// Delete implements kv.Txn.
func (t *txn) Delete(ctx context.Context, key []byte) error {
	return t.write(ctx, key, func(pt kv.ParticipantTxn) error { return pt.Delete(ctx, key) })
}

func (t *txn) write(ctx context.Context, key []byte, call func(kv.ParticipantTxn) error) error {
	if t.opts.ReadOnly {
		return kv.ErrReadOnly
	}
	return t.on(ctx, key, true, call)
}

// DeleteRange implements kv.Txn: the range is deleted in every partition
// that may hold keys in it.
func (t *txn) DeleteRange(ctx context.Context, start, end []byte) error {
	if t.done {
		return t.doneErr()
	}
	if t.opts.ReadOnly {
		return kv.ErrReadOnly
	}
	targets := t.db.cfg.Partitions.Spanning(start, end)
	if err := t.beginParts(ctx, targets); err != nil {
		return t.fail(err)
	}
	for _, p := range targets {
		pt := t.parts[p]
		t.markWritten(pt)
		if err := pt.txn.DeleteRange(ctx, start, end); err != nil {
			return t.fail(err)
		}
	}
	return nil
}

// GetMany implements kv.MultiGetter: the keys of each partition go in
// one request.
func (t *txn) GetMany(ctx context.Context, keys [][]byte) ([][]byte, []bool, error) {
	if t.done {
		return nil, nil, t.doneErr()
	}
	byPart := make(map[uint32][]int)
	var order []uint32
	for i, k := range keys {
		p, err := t.db.cfg.Partitions.Of(k)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := byPart[p]; !ok {
			order = append(order, p)
		}
		byPart[p] = append(byPart[p], i)
	}
	values, found := make([][]byte, len(keys)), make([]bool, len(keys))
	for _, p := range order {
		idx := byPart[p]
		sub := make([][]byte, len(idx))
		for j, i := range idx {
			sub[j] = keys[i]
		}
		err := t.on(ctx, sub[0], false, func(pt kv.ParticipantTxn) error {
			v, f, err := kv.GetMany(ctx, pt, sub)
			if err != nil {
				return err
			}
			for j, i := range idx {
				values[i], found[i] = v[j], f[j]
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return values, found, nil
}

// Flush implements kv.Flusher for parts whose writes may still be in
// flight.
func (t *txn) Flush(ctx context.Context) error {
	for _, pt := range t.parts {
		if f, ok := pt.txn.(kv.Flusher); ok {
			if err := f.Flush(ctx); err != nil {
				return t.fail(err)
			}
		}
	}
	return nil
}

// ReadTimestamp implements kv.Txn.
func (t *txn) ReadTimestamp() kv.Timestamp { return t.readTS }

// Rollback implements kv.Txn.
func (t *txn) Rollback() { t.finish() }

// finish rolls every part back (a no-op for parts already committed or
// prepared) and ends the transaction.
func (t *txn) finish() {
	if t.done {
		return
	}
	t.done = true
	for _, pt := range t.parts {
		pt.txn.Rollback()
	}
}

// savepoint is the coordinator's mark: each part's own mark and which
// parts had written.
type savepoint struct {
	marks   map[uint32]kv.Savepoint
	written int // len(txn.written) then
}

// Savepoint implements kv.Txn.
func (t *txn) Savepoint() (kv.Savepoint, error) {
	if t.done {
		return kv.Savepoint{}, t.doneErr()
	}
	sp := &savepoint{marks: make(map[uint32]kv.Savepoint, len(t.parts)), written: len(t.written)}
	for p, pt := range t.parts {
		m, err := pt.txn.Savepoint()
		if err != nil {
			return kv.Savepoint{}, err
		}
		sp.marks[p] = m
	}
	return kv.NewSavepoint(sp), nil
}

// RollbackTo implements kv.Txn: parts begun after the mark roll back to
// their beginning.
func (t *txn) RollbackTo(mark kv.Savepoint) error {
	if t.done {
		return t.doneErr()
	}
	sp, ok := mark.State().(*savepoint)
	if !ok {
		return errors.New("dist: savepoint of another transaction")
	}
	for p, pt := range t.parts {
		m, ok := sp.marks[p]
		if !ok {
			m = pt.begun
		}
		if err := pt.txn.RollbackTo(m); err != nil {
			return t.fail(err)
		}
	}
	for _, p := range t.written[sp.written:] {
		t.parts[p].wrote = false
	}
	t.written = t.written[:sp.written]
	return nil
}
