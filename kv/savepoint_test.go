package kv

import (
	"context"
	"testing"
)

func TestSavepointRollback(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	ctx := context.Background()
	txn, err := s.Begin(ctx, TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(txn.Put(ctx, []byte("a"), []byte("1")))
	sp, err := txn.Savepoint()
	must(err)
	must(txn.Put(ctx, []byte("a"), []byte("2")))
	must(txn.Put(ctx, []byte("b"), []byte("2")))
	must(txn.DeleteRange(ctx, []byte("c"), []byte("d")))
	must(txn.RollbackTo(sp))
	if v, ok, _ := txn.Get(ctx, []byte("a")); !ok || string(v) != "1" {
		t.Fatalf("a = %q %v after rollback to savepoint", v, ok)
	}
	if _, ok, _ := txn.Get(ctx, []byte("b")); ok {
		t.Fatal("b survived rollback to savepoint")
	}
	// The savepoint stays usable and later writes commit.
	must(txn.Put(ctx, []byte("b"), []byte("3")))
	must(txn.RollbackTo(sp))
	must(txn.Put(ctx, []byte("e"), []byte("5")))
	must(txn.Commit(ctx))
	r, _ := s.Begin(ctx, TxnOptions{ReadOnly: true})
	defer r.Rollback()
	kvs, err := r.Scan(ctx, []byte("a"), nil, 0, false)
	must(err)
	if len(kvs) != 2 || string(kvs[0].Value) != "1" || string(kvs[1].Key) != "e" {
		t.Fatalf("committed %v", kvs)
	}
}
