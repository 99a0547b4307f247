package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Insert implements Txn: a write of a key that must not have a value
// yet, for rows a statement creates. It takes no write lock, and it
// records no read: the key is in the write set, so commit validation
// fails the transaction if any commit after the read timestamp wrote
// it, which covers the absence checked here as well.
func (t *localTxn) Insert(ctx context.Context, key, value []byte) error {
	return t.insert(ctx, key, value, true)
}

// InsertFresh implements Txn: Insert without the snapshot lookup.
func (t *localTxn) InsertFresh(ctx context.Context, key, value []byte) error {
	return t.insert(ctx, key, value, false)
}

func (t *localTxn) insert(ctx context.Context, key, value []byte, checkSnapshot bool) error {
	if value == nil {
		return errors.New("kv: Insert with a nil value")
	}
	if err := t.checkWrite(ctx, key); err != nil {
		return err
	}
	if !checkSnapshot {
		// The size check assumes a new entry: at worst it is stricter by
		// the size of a tombstone being replaced.
		if err := t.checkSize(growth(nil, key, len(value))); err != nil {
			return err
		}
		k, v := privateCopy(key, value)
		if !t.buf.insertNew(k, v) {
			return fmt.Errorf("%w: %q", ErrKeyExists, key)
		}
		return nil
	}
	old, inBuf := t.buf.get(key)
	if inBuf && !old.del {
		return fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	if !inBuf && !t.buf.rangeDeleted(key) {
		exists, err := t.snapshotHas(ctx, key)
		if err != nil {
			return err
		}
		if exists {
			// The caller acts on the key's existence (a unique violation,
			// ON CONFLICT): record it as Exists does.
			t.reads.exists = append(t.reads.exists, bytes.Clone(key))
			return fmt.Errorf("%w: %q", ErrKeyExists, key)
		}
	}
	if err := t.checkSize(growth(old, key, len(value))); err != nil {
		return err
	}
	k, v := privateCopy(key, value)
	t.buf.set(k, v, false, true)
	return nil
}

// snapshotHas reports whether key has a value at the read timestamp,
// ignoring this transaction's writes.
func (t *localTxn) snapshotHas(ctx context.Context, key []byte) (bool, error) {
	release, err := t.begin(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	_, err = t.snap.Get(t.s.key(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("kv: insert %q at %d: %w", key, t.readTS, err)
	}
	return true, nil
}
