package remote

import (
	"context"
	"errors"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// TestPartStepsRefusedOnDBStreams: the steps of a distributed
// transaction's part sent on an ordinary transaction's stream, or a
// TxnOp to a node serving no partitions, fail cleanly and leave the
// server serving.
func TestPartStepsRefusedOnDBStreams(t *testing.T) {
	ctx := context.Background()
	_, _, addr, db := setup(t)
	txn := mustBegin(t, db, false)
	part, ok := txn.(kv.ParticipantTxn)
	if !ok {
		t.Fatal("a remote transaction lacks the part steps")
	}
	if _, err := part.Prepare(ctx, kv.NewTxnID(), 0); err == nil {
		t.Fatal("OP_PREPARE on a DB transaction succeeded")
	}
	if err := part.ValidateAt(ctx, 1); err == nil {
		t.Fatal("OP_VALIDATE_AT on a DB transaction succeeded")
	}
	if err := part.RefreshTo(ctx, 1<<40); err == nil {
		t.Fatal("OP_REFRESH_TO on a DB transaction succeeded")
	}
	txn.Rollback()

	p := db.c.Participant(addr, 3, kv.NewClock())
	if err := p.Resolve(ctx, kv.NewTxnID(), true, 1); !errors.Is(err, kv.ErrNotLeader) {
		t.Fatalf("Resolve on a node serving no partitions: %v, want ErrNotLeader", err)
	}
	if _, err := p.BeginAt(ctx, 1, kv.TxnOptions{}); !errors.Is(err, kv.ErrNotLeader) {
		t.Fatalf("BeginAt on a node serving no partitions: %v, want ErrNotLeader", err)
	}

	txn = mustBegin(t, db, false)
	if err := txn.Put(ctx, []byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(ctx); err != nil {
		t.Fatalf("the server stopped serving: %v", err)
	}
}
