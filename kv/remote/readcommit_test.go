package remote

import (
	"context"
	"errors"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// TestCommitOfReadsOnly: a read-write transaction that only read commits
// without waiting for the server (nothing to commit), and behaves as a
// local one afterwards: its later calls fail with kv.ErrTxnDone, and a
// commit under an ended context reports the context's error.
func TestCommitOfReadsOnly(t *testing.T) {
	_, _, _, db := setup(t)
	ctx := context.Background()
	w := mustBegin(t, db, false)
	if err := w.Put(ctx, []byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := mustBegin(t, db, false)
	if v, ok, err := r.Get(ctx, []byte("k")); err != nil || !ok || string(v) != "v" {
		t.Fatalf("Get = %q, %v, %v", v, ok, err)
	}
	if err := r.Commit(ctx); err != nil {
		t.Fatalf("Commit of a transaction that only read: %v", err)
	}
	if _, _, err := r.Get(ctx, []byte("k")); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("Get after Commit: %v, want kv.ErrTxnDone", err)
	}
	if err := r.Commit(ctx); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("second Commit: %v, want kv.ErrTxnDone", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	c := mustBegin(t, db, false)
	if err := c.Commit(canceled); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit under a canceled context: %v, want context.Canceled", err)
	}
	// A lock taken by GetForUpdate is a write: Commit waits for the
	// server, so the lock is free when it returns.
	l := mustBegin(t, db, false)
	if _, _, err := l.GetForUpdate(ctx, []byte("k")); err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	next := mustBegin(t, db, false)
	defer next.Rollback()
	if err := next.Put(ctx, []byte("k"), []byte("v2")); err != nil {
		t.Fatalf("Put after the locker committed: %v", err)
	}
}
