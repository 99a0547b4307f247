package kv

import (
	"bytes"
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Scan implements Txn: a merge of the badger snapshot (minus the ranges
// this transaction deleted) with the buffered point writes, which win on
// equal keys.
func (t *localTxn) Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]KeyValue, error) {
	release, err := t.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	start = clampStart(start)
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil, nil
	}
	out, err := t.scan(ctx, start, end, limit, reverse)
	if err != nil {
		return nil, err
	}
	if t.buf != nil {
		t.recordScan(start, end, limit, reverse, out)
	}
	return out, nil
}

// recordScan adds the span the scan depended on to the read set: all of
// [start, end) unless the limit stopped it, then only up to the last key
// returned (the caller never saw beyond it).
func (t *localTxn) recordScan(start, end []byte, limit int, reverse bool, out []KeyValue) {
	sp := span{start: bytes.Clone(start)}
	if end != nil {
		sp.end = bytes.Clone(end)
	}
	if limit > 0 && len(out) >= limit {
		last := out[len(out)-1].Key
		if reverse {
			sp.start = bytes.Clone(last)
		} else {
			sp.end = append(bytes.Clone(last), 0)
		}
	}
	t.reads.spans = append(t.reads.spans, sp)
}

// ctxCheckEvery is how many entries a scan reads between ctx checks.
const ctxCheckEvery = 1024

func (t *localTxn) scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]KeyValue, error) {
	it := t.snap.NewIterator(badger.IteratorOptions{Reverse: reverse, PrefetchValues: false})
	defer it.Close()
	snap := &snapCursor{it: it, prefix: t.s.prefix, start: t.s.key(start), end: t.s.upperBound(), reverse: reverse}
	if end != nil {
		snap.end = t.s.key(end)
	}
	if t.buf != nil {
		snap.ranges = t.buf.ranges
	}
	snap.seekFirst()
	var buf *bufCursor
	if t.buf != nil && t.buf.len() > 0 {
		buf = newBufCursor(t.buf, start, end, reverse)
	}

	var out []KeyValue
	for n := 1; limit <= 0 || len(out) < limit; n++ {
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		sk := snap.key()
		var be *bufEntry
		if buf != nil {
			be = buf.cur()
		}
		if sk == nil && be == nil {
			break
		}
		// Which source holds the next key in scan order?
		useBuf, useSnap := be != nil, sk != nil
		if useBuf && useSnap {
			c := bytes.Compare(be.key, sk)
			if reverse {
				c = -c
			}
			useBuf, useSnap = c <= 0, c >= 0
		}
		if useBuf {
			if !be.del {
				out = append(out, KeyValue{Key: bytes.Clone(be.key), Value: bytes.Clone(be.value)})
			}
			buf.next()
			if useSnap {
				snap.next() // shadowed by the buffered write
			}
			continue
		}
		kv, err := snap.entry()
		if err != nil {
			return nil, fmt.Errorf("kv: scan at %d: %w", t.readTS, err)
		}
		out = append(out, kv)
		snap.next()
	}
	return out, nil
}

// snapCursor walks the badger snapshot inside [start, end) in either
// direction, skipping the ranges the transaction deleted by seeking
// over them rather than stepping through their keys.
//
// Bounds are engine keys (the store's prefix included); ranges and the
// current key are the store's keys.
type snapCursor struct {
	it         *badger.Iterator
	prefix     []byte // the store's (LocalStore.prefix)
	start, end []byte // engine keys; end nil: none
	reverse    bool
	ranges     []span // normalized DeleteRange ranges
	cur        []byte // current key (badger's buffer, prefix stripped), nil when done
}

// engineKey is prefix+key, in a new slice.
func (c *snapCursor) engineKey(key []byte) []byte {
	if len(c.prefix) == 0 {
		return key
	}
	return append(append(make([]byte, 0, len(c.prefix)+len(key)), c.prefix...), key...)
}

func (c *snapCursor) seekFirst() {
	if c.reverse {
		if c.end == nil {
			c.it.Rewind()
		} else {
			c.it.Seek(c.end)
		}
	} else {
		c.it.Seek(c.start)
	}
	c.settle()
}

func (c *snapCursor) next() {
	c.it.Next()
	c.settle()
}

// settle moves to the first key at or after the iterator's position that
// is in bounds and not range-deleted, or sets cur to nil.
func (c *snapCursor) settle() {
	for c.it.Valid() {
		k := c.it.Item().Key()
		if c.reverse {
			if bytes.Compare(k, c.start) < 0 {
				break
			}
			if c.end != nil && bytes.Compare(k, c.end) >= 0 {
				c.it.Next() // Seek(end) lands on end itself if present
				continue
			}
		} else if c.end != nil && bytes.Compare(k, c.end) >= 0 {
			break
		}
		k = k[len(c.prefix):]
		if i := spanIndex(c.ranges, k); i >= 0 {
			r := c.ranges[i]
			if c.reverse {
				// Seek lands on the largest key <= r.start, which is
				// inside the range only if it equals r.start.
				start := c.engineKey(r.start)
				c.it.Seek(start)
				if c.it.Valid() && bytes.Equal(c.it.Item().Key(), start) {
					c.it.Next()
				}
				continue
			}
			if r.end == nil {
				break
			}
			c.it.Seek(c.engineKey(r.end))
			continue
		}
		c.cur = k
		return
	}
	c.cur = nil
}

func (c *snapCursor) key() []byte { return c.cur }

func (c *snapCursor) entry() (KeyValue, error) {
	item := c.it.Item()
	v, err := item.ValueCopy(nil)
	if err != nil {
		return KeyValue{}, err
	}
	return KeyValue{Key: bytes.Clone(item.Key()[len(c.prefix):]), Value: v}, nil
}
