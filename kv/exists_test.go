package kv

import (
	"context"
	"errors"
	"testing"
)

// TestExistsConflictsOnlyWithDelete checks the existence read a
// foreign-key check makes: an update of the row does not conflict with
// it, a delete does.
func TestExistsConflictsOnlyWithDelete(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	ctx := context.Background()
	put := func(key, val string) {
		t.Helper()
		txn, _ := s.Begin(ctx, TxnOptions{})
		if err := txn.Put(ctx, []byte(key), []byte(val)); err != nil {
			t.Fatal(err)
		}
		if err := txn.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	put("parent", "v1")

	child, _ := s.Begin(ctx, TxnOptions{})
	if ok, err := child.Exists(ctx, []byte("parent")); err != nil || !ok {
		t.Fatalf("exists: %v %v", ok, err)
	}
	put("parent", "v2") // an update of the parent's value
	if err := child.Put(ctx, []byte("child1"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := child.Commit(ctx); err != nil {
		t.Fatalf("update of an existence-read key must not conflict: %v", err)
	}

	child2, _ := s.Begin(ctx, TxnOptions{})
	if ok, err := child2.Exists(ctx, []byte("parent")); err != nil || !ok {
		t.Fatalf("exists: %v %v", ok, err)
	}
	del, _ := s.Begin(ctx, TxnOptions{})
	if err := del.Delete(ctx, []byte("parent")); err != nil {
		t.Fatal(err)
	}
	if err := del.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := child2.Put(ctx, []byte("child2"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := child2.Commit(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("delete of an existence-read key must conflict, got %v", err)
	}

	// An absent key read by Exists conflicts with its insert.
	child3, _ := s.Begin(ctx, TxnOptions{})
	if ok, _ := child3.Exists(ctx, []byte("other")); ok {
		t.Fatal("other exists")
	}
	put("other", "1")
	_ = child3.Put(ctx, []byte("child3"), []byte("x"))
	if err := child3.Commit(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("insert of an absent-read key must conflict, got %v", err)
	}
}
