package sql

import (
	"bytes"
	"context"

	"github.com/quorumdb/quorumdb/kv"
)

// catalogReads is the transaction a session's statements run on: the
// kv.Txn with the catalog values (system-space keys: names, descriptors,
// types) it has read remembered for the rest of the transaction. Every
// statement plans against the catalog read through its transaction (so
// schema changes conflict with it), which on a node that is not the
// keyspace's leader costs a round trip per key per statement: an
// executemany of 10,000 INSERTs re-read the table's name and descriptor
// 10,000 times. Within one transaction those reads always return the
// same value — the snapshot does not move, except by a read refresh,
// which succeeds only when nothing the transaction read has changed —
// so the first read's answer serves the later ones; the first read is
// in the transaction's read set as before. The transaction's own writes
// of a key replace what is remembered, ROLLBACK TO SAVEPOINT and
// DeleteRange forget everything.
type catalogReads struct {
	kv.Txn
	vals map[string]cachedRead
}

type cachedRead struct {
	v     []byte
	found bool
}

// withCatalogReads wraps txn.
func withCatalogReads(txn kv.Txn) kv.Txn {
	return &catalogReads{Txn: txn, vals: map[string]cachedRead{}}
}

func isCatalogKey(key []byte) bool { return len(key) > 0 && key[0] == kv.SystemSpace }

func (c *catalogReads) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	if !isCatalogKey(key) {
		return c.Txn.Get(ctx, key)
	}
	if r, ok := c.vals[string(key)]; ok {
		return r.v, r.found, nil
	}
	v, found, err := c.Txn.Get(ctx, key)
	if err == nil {
		c.vals[string(key)] = cachedRead{v: v, found: found}
	}
	return v, found, err
}

// GetMany serves the keys it remembers and reads the others in one
// request (kv.GetMany).
func (c *catalogReads) GetMany(ctx context.Context, keys [][]byte) ([][]byte, []bool, error) {
	vals := make([][]byte, len(keys))
	found := make([]bool, len(keys))
	var missing [][]byte
	var at []int
	for i, k := range keys {
		if r, ok := c.vals[string(k)]; ok && isCatalogKey(k) {
			vals[i], found[i] = r.v, r.found
			continue
		}
		missing = append(missing, k)
		at = append(at, i)
	}
	if len(missing) == 0 {
		return vals, found, nil
	}
	mv, mf, err := kv.GetMany(ctx, c.Txn, missing)
	if err != nil {
		return nil, nil, err
	}
	for j, i := range at {
		vals[i], found[i] = mv[j], mf[j]
		if isCatalogKey(missing[j]) {
			c.vals[string(missing[j])] = cachedRead{v: mv[j], found: mf[j]}
		}
	}
	return vals, found, nil
}

func (c *catalogReads) forget(key []byte) {
	if isCatalogKey(key) {
		delete(c.vals, string(key))
	}
}

func (c *catalogReads) GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error) {
	c.forget(key)
	return c.Txn.GetForUpdate(ctx, key)
}

func (c *catalogReads) Put(ctx context.Context, key, value []byte) error {
	c.forget(key)
	return c.Txn.Put(ctx, key, value)
}

func (c *catalogReads) Insert(ctx context.Context, key, value []byte) error {
	c.forget(key)
	return c.Txn.Insert(ctx, key, value)
}

func (c *catalogReads) InsertFresh(ctx context.Context, key, value []byte) error {
	c.forget(key)
	return c.Txn.InsertFresh(ctx, key, value)
}

func (c *catalogReads) Delete(ctx context.Context, key []byte) error {
	c.forget(key)
	return c.Txn.Delete(ctx, key)
}

func (c *catalogReads) DeleteRange(ctx context.Context, start, end []byte) error {
	for k := range c.vals {
		if bytes.Compare([]byte(k), start) >= 0 && (end == nil || bytes.Compare([]byte(k), end) < 0) {
			delete(c.vals, k)
		}
	}
	return c.Txn.DeleteRange(ctx, start, end)
}

func (c *catalogReads) RollbackTo(sp kv.Savepoint) error {
	clear(c.vals)
	return c.Txn.RollbackTo(sp)
}

// Flush passes kv.Flusher through.
func (c *catalogReads) Flush(ctx context.Context) error {
	if f, ok := c.Txn.(kv.Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}
