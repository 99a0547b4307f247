package kv

import (
	"bytes"

	"github.com/google/btree"
)

// bufEntry is one buffered write: a new value or, if del, a tombstone.
// unlocked marks a key first written by Insert or InsertFresh, which take
// no write lock: validation alone guards it (see conflictTracker.refreshable).
// The mark sticks to the key for the rest of the transaction.
type bufEntry struct {
	key, value []byte
	del        bool
	unlocked   bool
}

func bufEntryLess(a, b *bufEntry) bool { return bytes.Compare(a.key, b.key) < 0 }

// entryOverhead approximates the memory a buffered entry costs beyond its
// key and value, so MaxTxnBytes bounds memory rather than payload only.
const entryOverhead = 48

// writeBuffer holds a transaction's writes until commit: point writes in
// an ordered tree (so reads can merge them with the snapshot) and the
// ranges removed by DeleteRange. A point write always wins over a range:
// DeleteRange drops the point writes it covers, and later point writes
// land in the tree. The same structure carries a commit through the WAL
// and into badger, and is rebuilt from the WAL on replay.
//
// A writeBuffer is owned by one goroutine at a time: the transaction's
// user until Commit, then the commit pipeline.
type writeBuffer struct {
	tree   *btree.BTreeG[*bufEntry]
	ranges []span // normalized: sorted, disjoint
	bytes  int64  // approximate memory of tree and ranges
	// unlocked counts the entries ever created unlocked (never
	// decremented): refresh checks them only when there may be some.
	unlocked int
}

func newWriteBuffer() *writeBuffer {
	return &writeBuffer{tree: btree.NewG(32, bufEntryLess)}
}

// len returns the number of point writes.
func (w *writeBuffer) len() int { return w.tree.Len() }

// empty reports whether the buffer holds no write at all.
func (w *writeBuffer) empty() bool { return w.tree.Len() == 0 && len(w.ranges) == 0 }

// get returns the buffered point write of key, if any.
func (w *writeBuffer) get(key []byte) (*bufEntry, bool) {
	return w.tree.Get(&bufEntry{key: key})
}

// rangeDeleted reports whether key lies in a DeleteRange range.
func (w *writeBuffer) rangeDeleted(key []byte) bool {
	return len(w.ranges) > 0 && spanIndex(w.ranges, key) >= 0
}

// entryBytes is the memory a buffered entry is charged.
func entryBytes(key, value []byte) int64 {
	return int64(len(key) + len(value) + entryOverhead)
}

// growth returns how many bytes setting key to a value of n bytes would
// add (negative if it shrinks the buffer), given its current entry old
// (nil if none).
func growth(old *bufEntry, key []byte, n int) int64 {
	add := int64(len(key) + n + entryOverhead)
	if old != nil {
		add -= entryBytes(old.key, old.value)
	}
	return add
}

// set buffers a write; key and value must already be private copies. A
// new entry is unlocked as asked; one replacing an entry inherits its
// mark (the key's lock state does not change by writing it again).
func (w *writeBuffer) set(key, value []byte, del, unlocked bool) {
	e := &bufEntry{key: key, value: value, del: del, unlocked: unlocked}
	w.bytes += entryBytes(key, value)
	old, replaced := w.tree.ReplaceOrInsert(e)
	if replaced {
		w.bytes -= entryBytes(old.key, old.value)
		// e is not yet shared with any savepoint clone: safe to mark.
		e.unlocked = old.unlocked
	} else if unlocked {
		w.unlocked++
	}
}

// insertNew buffers an unlocked write of key unless the buffer holds a
// live value for it (then it changes nothing and returns false). key and
// value must already be private copies. One tree operation in the
// common case, where key is new: the bulk-load path.
func (w *writeBuffer) insertNew(key, value []byte) bool {
	e := &bufEntry{key: key, value: value, unlocked: true}
	old, replaced := w.tree.ReplaceOrInsert(e)
	if replaced {
		if !old.del {
			w.tree.ReplaceOrInsert(old) // put the live value back
			return false
		}
		e.unlocked = old.unlocked // not yet shared with a savepoint clone
		w.bytes -= entryBytes(old.key, old.value)
	} else {
		w.unlocked++
	}
	w.bytes += entryBytes(key, value)
	return true
}

// hasPointWritesIn reports whether a point write lies in [start, end)
// (nil end: no upper bound).
func (w *writeBuffer) hasPointWritesIn(start, end []byte) bool {
	found := false
	w.tree.AscendGreaterOrEqual(&bufEntry{key: start}, func(e *bufEntry) bool {
		found = end == nil || bytes.Compare(e.key, end) < 0
		return false
	})
	return found
}

// privateCopy copies key and value into one allocation (half the
// objects of two copies, which a bulk load of millions of rows feels in
// allocation and GC). value may be nil (a tombstone); the returned value
// is then nil too.
func privateCopy(key, value []byte) (k, v []byte) {
	b := make([]byte, len(key)+len(value))
	copy(b, key)
	k = b[:len(key):len(key)]
	if value != nil {
		copy(b[len(key):], value)
		v = b[len(key):]
	}
	return k, v
}

// deleteRange drops the point writes in [start, end) and records the
// range; start and end must already be private copies.
func (w *writeBuffer) deleteRange(start, end []byte) {
	var drop []*bufEntry
	visit := func(e *bufEntry) bool { drop = append(drop, e); return true }
	if end == nil {
		w.tree.AscendGreaterOrEqual(&bufEntry{key: start}, visit)
	} else {
		w.tree.AscendRange(&bufEntry{key: start}, &bufEntry{key: end}, visit)
	}
	for _, e := range drop {
		w.tree.Delete(e)
		w.bytes -= entryBytes(e.key, e.value)
	}
	w.ranges = normalizeSpans(append(w.ranges, span{start: start, end: end}))
	w.bytes += int64(len(start) + len(end) + entryOverhead)
}

// sortedKeys returns the keys of the point writes in ascending order.
// The slices are shared with the buffer.
func (w *writeBuffer) sortedKeys() [][]byte {
	keys := make([][]byte, 0, w.tree.Len())
	w.tree.Ascend(func(e *bufEntry) bool { keys = append(keys, e.key); return true })
	return keys
}

// sortedDeleteKeys returns the keys of the point deletes in ascending
// order (shared with the buffer).
func (w *writeBuffer) sortedDeleteKeys() [][]byte {
	var keys [][]byte
	w.tree.Ascend(func(e *bufEntry) bool {
		if e.del {
			keys = append(keys, e.key)
		}
		return true
	})
	return keys
}

// bufCursor walks the point writes of a writeBuffer inside [start, end)
// in either direction. The btree has no cursor, so it pulls small batches
// through the visitor API and resumes after the last key; a limited scan
// over a huge buffer then costs only what it returns.
type bufCursor struct {
	w          *writeBuffer
	start, end []byte
	reverse    bool

	batch []*bufEntry
	pos   int
	// resume is where the next batch starts: the inclusive lower bound
	// going forward, the exclusive upper bound in reverse (nil: end).
	resume    []byte
	exhausted bool
}

const bufCursorBatch = 64

func newBufCursor(w *writeBuffer, start, end []byte, reverse bool) *bufCursor {
	c := &bufCursor{w: w, start: start, end: end, reverse: reverse}
	if reverse {
		c.resume = end
	} else {
		c.resume = start
	}
	c.fill()
	return c
}

// cur returns the current entry, or nil when done.
func (c *bufCursor) cur() *bufEntry {
	if c.pos < len(c.batch) {
		return c.batch[c.pos]
	}
	return nil
}

func (c *bufCursor) next() {
	c.pos++
	if c.pos >= len(c.batch) {
		c.fill()
	}
}

func (c *bufCursor) fill() {
	c.batch, c.pos = c.batch[:0], 0
	if c.exhausted || c.w.tree.Len() == 0 {
		c.exhausted = true
		return
	}
	if c.reverse {
		visit := func(e *bufEntry) bool {
			if bytes.Compare(e.key, c.start) < 0 {
				c.exhausted = true
				return false
			}
			if c.resume != nil && bytes.Equal(e.key, c.resume) {
				return true // the upper bound is exclusive
			}
			c.batch = append(c.batch, e)
			return len(c.batch) < bufCursorBatch
		}
		if c.resume == nil {
			c.w.tree.Descend(visit)
		} else {
			c.w.tree.DescendLessOrEqual(&bufEntry{key: c.resume}, visit)
		}
	} else {
		visit := func(e *bufEntry) bool {
			if c.end != nil && bytes.Compare(e.key, c.end) >= 0 {
				c.exhausted = true
				return false
			}
			c.batch = append(c.batch, e)
			return len(c.batch) < bufCursorBatch
		}
		c.w.tree.AscendGreaterOrEqual(&bufEntry{key: c.resume}, visit)
	}
	if len(c.batch) < bufCursorBatch {
		c.exhausted = true
	}
	if n := len(c.batch); n > 0 {
		last := c.batch[n-1].key
		if c.reverse {
			c.resume = last
		} else {
			c.resume = append(append(make([]byte, 0, len(last)+1), last...), 0)
		}
	}
}
