package kv

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// failingChunkLog is a syncLog replica whose proposal number failAt fails
// as one does when the leader's term ends while it waits.
type failingChunkLog struct {
	replicaHandle
	proposals, failAt int
}

func (h *failingChunkLog) Propose(ctx context.Context, data []byte) error {
	h.proposals++
	if h.proposals == h.failAt {
		return context.Canceled
	}
	return h.replicaHandle.Propose(ctx, data)
}

// TestReplicaCommitLosingLeaderHalfway: a large commit whose proposal
// fails before its final chunk is known not to have committed, so it
// fails with ErrConflict (retryable, 40001), not ErrCommitUnknown; and
// the store goes on committing.
func TestReplicaCommitLosingLeaderHalfway(t *testing.T) {
	ctx := context.Background()
	l := &syncLog{}
	s := l.attach(t, 0, t.TempDir())
	defer l.detach(t, 0)
	h := &failingChunkLog{replicaHandle: replicaHandle{l, 0}, failAt: 2}
	s.Attach(h, nil)

	txn := begin(t, s, false)
	// Each chunk closes after the op that fills it: three chunks.
	mustPut(t, txn, "big", string(bytes.Repeat([]byte("y"), walChunkBytes)))
	mustPut(t, txn, "big2", string(bytes.Repeat([]byte("y"), walChunkBytes)))
	mustPut(t, txn, "big3", "z")
	err := txn.Commit(ctx)
	if !errors.Is(err, ErrConflict) || errors.Is(err, ErrCommitUnknown) {
		t.Fatalf("Commit whose second of three chunks failed: %v, want ErrConflict", err)
	}
	txn = begin(t, s, false)
	mustPut(t, txn, "after", "1")
	if err := txn.Commit(ctx); err != nil {
		t.Fatalf("the next commit: %v", err)
	}
	txn = begin(t, s, true)
	defer txn.Rollback()
	if _, ok := mustGet(t, txn, "big"); ok {
		t.Fatal("the commit that failed was applied")
	}
	if v, ok := mustGet(t, txn, "after"); !ok || v != "1" {
		t.Fatalf("after = %q, %v", v, ok)
	}
}
