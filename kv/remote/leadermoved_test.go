package remote

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// When this node sees the leadership move, an operation waiting on the
// former leader ends at once (here a lock wait that would otherwise last
// as long as its holder), retryable when a new leader is known, and a
// transaction on the new leader's address is left alone.
func TestLeaderMovedEndsStreamsOnFormerLeader(t *testing.T) {
	_, _, addr, db := setup(t)
	ctx := context.Background()
	holder := mustBegin(t, db, false)
	if err := holder.Put(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	waiter := mustBegin(t, db, false)
	errc := make(chan error, 1)
	go func() {
		_, _, err := waiter.GetForUpdate(ctx, []byte("k"))
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond) // the waiter is in its lock wait
	db.c.LeaderMoved(addr)             // the same leader: nothing happens
	select {
	case err := <-errc:
		t.Fatalf("the lock wait ended when the leader did not change: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	db.c.LeaderMoved("127.0.0.1:1")
	select {
	case err := <-errc:
		if !errors.Is(err, kv.ErrConflict) {
			t.Fatalf("lock wait on the former leader: %v, want ErrConflict", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the lock wait on the former leader did not end")
	}
	if err := waiter.Commit(ctx); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("Commit of the given-up transaction: %v, want its ErrConflict", err)
	}
	// With no leader known, the reason is unavailability; a Commit in
	// flight would be unknown, never a failure.
	txn := mustBegin(t, db, false)
	if err := txn.Put(ctx, []byte("j"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	db.c.LeaderMoved("")
	if err := txn.Put(ctx, []byte("i"), []byte("1")); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Put after the leader was lost: %v, want ErrUnavailable", err)
	}
	holder.Rollback()
	if n := len(db.c.streams); n != 0 {
		t.Fatalf("%d streams still tracked after every transaction ended", n)
	}
}
