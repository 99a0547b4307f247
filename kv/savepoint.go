package kv

import (
	"errors"
	"slices"

	"github.com/google/btree"
)

// writeMark is a copy of a write buffer's state. The btree clone is
// copy-on-write and buffered entries are never modified in place (set
// replaces them), so a mark costs O(1) until either side writes.
type writeMark struct {
	txn    *localTxn
	tree   *btree.BTreeG[*bufEntry]
	ranges []span
	bytes  int64
}

// Savepoint implements Txn.
func (t *localTxn) Savepoint() (Savepoint, error) {
	if t.done {
		return Savepoint{}, ErrTxnDone
	}
	m := &writeMark{txn: t}
	if t.buf != nil {
		m.tree = t.buf.tree.Clone()
		m.ranges = slices.Clone(t.buf.ranges)
		m.bytes = t.buf.bytes
	}
	return Savepoint{state: m}, nil
}

// RollbackTo implements Txn. Locks taken after the mark stay held (every
// buffered key remains among the locks, as the write path requires).
func (t *localTxn) RollbackTo(sp Savepoint) error {
	if t.done {
		return ErrTxnDone
	}
	m, ok := sp.state.(*writeMark)
	if !ok || m.txn != t {
		return errors.New("kv: savepoint of another transaction")
	}
	if t.buf != nil {
		t.buf.tree = m.tree.Clone()
		t.buf.ranges = slices.Clone(m.ranges)
		t.buf.bytes = m.bytes
	}
	return nil
}
