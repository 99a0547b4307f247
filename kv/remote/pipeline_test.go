package remote

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// openSmallStore is openStore with a write limit of 64 KiB, so that a
// pipelined load fails on the server with kv.ErrTxnTooLarge.
func openSmallStore(t *testing.T) *kv.LocalStore {
	t.Helper()
	s, err := kv.Open(kv.LocalConfig{
		Dir:             t.TempDir(),
		Logger:          testLogger(t),
		NoSync:          true,
		MemTableBytes:   8 << 20,
		BlockCacheBytes: 8 << 20,
		LockTimeout:     -1,
		MaxTxnBytes:     64 << 10,
	})
	if err != nil {
		t.Fatalf("kv.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// loadFresh InsertFreshes n keys with 200-byte values under prefix and
// returns the index and error of the first call that failed (-1, nil if
// none did).
func loadFresh(txn kv.Txn, prefix string, n int) (int, error) {
	for i := range n {
		if err := txn.InsertFresh(context.Background(), fmt.Appendf(nil, "%s%06d", prefix, i), make([]byte, 200)); err != nil {
			return i, err
		}
	}
	return -1, nil
}

// committedKeys counts the keys under prefix a new transaction sees.
func committedKeys(t *testing.T, db kv.DB, prefix string) int {
	t.Helper()
	txn := mustBegin(t, db, true)
	defer txn.Rollback()
	kvs, err := txn.Scan(context.Background(), []byte(prefix), kv.PrefixEnd([]byte(prefix)), 0, false)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return len(kvs)
}

// TestPipelinedFailureReachesCaller: a pipelined InsertFresh that the
// server fails (here: the transaction outgrows MaxTxnBytes) reports its
// error from the next call that collects the batch's answer, whichever
// it is; the transaction is aborted from then on (kv.ErrTxnDone) and
// nothing of it commits.
func TestPipelinedFailureReachesCaller(t *testing.T) {
	store := openSmallStore(t)
	_, addr := serve(t, store)
	db := remoteDB{c: newClient(t), addr: addr}
	ctx := context.Background()

	// 500 writes of ~200 bytes exceed 64 KiB but fill no batch: every
	// InsertFresh returns before the server runs it.
	for _, tc := range []struct {
		name    string
		trigger func(kv.Txn) error
	}{
		{"get", func(txn kv.Txn) error { _, _, err := txn.Get(ctx, []byte("x")); return err }},
		{"scan", func(txn kv.Txn) error { _, err := txn.Scan(ctx, []byte("a"), nil, 1, false); return err }},
		{"put", func(txn kv.Txn) error { return txn.Put(ctx, []byte("x"), []byte("1")) }},
		{"savepoint", func(txn kv.Txn) error { _, err := txn.Savepoint(); return err }},
		{"flush", func(txn kv.Txn) error { return txn.(kv.Flusher).Flush(ctx) }},
		{"commit", func(txn kv.Txn) error { return txn.Commit(ctx) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := "k" + tc.name
			txn := mustBegin(t, db, false)
			defer txn.Rollback()
			if i, err := loadFresh(txn, prefix, 500); err != nil {
				t.Fatalf("InsertFresh %d: %v, want it pipelined", i, err)
			}
			if err := tc.trigger(txn); !errors.Is(err, kv.ErrTxnTooLarge) {
				t.Fatalf("%s after the load: %v, want ErrTxnTooLarge", tc.name, err)
			}
			if err := txn.InsertFresh(ctx, []byte("y"), []byte("1")); !errors.Is(err, kv.ErrTxnDone) {
				t.Errorf("InsertFresh after the failure: %v, want ErrTxnDone", err)
			}
			if err := txn.Commit(ctx); tc.name != "commit" && !errors.Is(err, kv.ErrTxnDone) {
				t.Errorf("Commit after the failure: %v, want ErrTxnDone", err)
			}
			if n := committedKeys(t, db, prefix); n != 0 {
				t.Errorf("%d keys committed, want none", n)
			}
		})
	}

	// A long load: the failure comes back on a later InsertFresh, once
	// maxInFlight batches are outstanding, and ends the load.
	txn := mustBegin(t, db, false)
	defer txn.Rollback()
	i, err := loadFresh(txn, "long", 20*batchMaxKeys)
	if !errors.Is(err, kv.ErrTxnTooLarge) {
		t.Fatalf("long load: InsertFresh %d: %v, want ErrTxnTooLarge", i, err)
	}
	if i < batchMaxKeys {
		t.Errorf("long load failed at write %d, before the first batch was sent", i)
	}
	if _, err := loadFresh(txn, "long2", 1); !errors.Is(err, kv.ErrTxnDone) {
		t.Errorf("InsertFresh after the failure: %v, want ErrTxnDone", err)
	}
	if err := txn.Commit(ctx); !errors.Is(err, kv.ErrTxnDone) {
		t.Errorf("Commit after the failure: %v, want ErrTxnDone", err)
	}
	if n := committedKeys(t, db, "long"); n != 0 {
		t.Errorf("%d keys committed, want none", n)
	}
}

// TestPipelinedServerGone: pipelined writes outstanding when the server
// closes make the next call fail with kv.ErrUnavailable; a Commit that
// never got to be sent is not kv.ErrCommitUnknown.
func TestPipelinedServerGone(t *testing.T) {
	_, srv, _, db := setup(t)
	txn := mustBegin(t, db, false)
	defer txn.Rollback()
	if i, err := loadFresh(txn, "k", 2500); err != nil {
		t.Fatalf("InsertFresh %d: %v", i, err)
	}
	srv.Close()
	err := txn.Commit(context.Background())
	if !errors.Is(err, kv.ErrUnavailable) || errors.Is(err, kv.ErrCommitUnknown) {
		t.Fatalf("Commit after the server closed: %v, want ErrUnavailable", err)
	}
}
