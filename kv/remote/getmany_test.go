package remote

import (
	"bytes"
	"context"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// TestGetManyMatchesGets: one GetMany answers what a Get of each key
// answers — committed values, the transaction's own writes and deletes,
// absent keys — locally (kv.GetMany's fallback) and remotely (one round
// trip), and a write by another transaction to a key it read makes it
// conflict, as a Get would.
func TestGetManyMatchesGets(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	_, addr := serve(t, store)
	c := newClient(t)
	setup, _ := store.Begin(ctx, kv.TxnOptions{})
	for _, k := range []string{"a", "b", "c"} {
		if err := setup.Put(ctx, []byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := setup.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("zz"), []byte("new")}
	for _, target := range []string{"local", "remote"} {
		var txn kv.Txn
		var err error
		if target == "local" {
			txn, err = store.Begin(ctx, kv.TxnOptions{})
		} else {
			txn, err = c.Begin(ctx, addr, kv.TxnOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := txn.Delete(ctx, []byte("b")); err != nil {
			t.Fatal(err)
		}
		if err := txn.Put(ctx, []byte("new"), []byte{}); err != nil {
			t.Fatal(err)
		}
		values, found, err := kv.GetMany(ctx, txn, keys)
		if err != nil {
			t.Fatalf("%s GetMany: %v", target, err)
		}
		for i, k := range keys {
			v, ok, err := txn.Get(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			if ok != found[i] || !bytes.Equal(v, values[i]) || (v == nil) != (values[i] == nil) {
				t.Errorf("%s key %q: GetMany (%q, %v), Get (%q, %v)", target, k, values[i], found[i], v, ok)
			}
		}
		// The keys GetMany read are in the read set: a concurrent write
		// to one of them makes this transaction conflict.
		other, _ := store.Begin(ctx, kv.TxnOptions{})
		if err := other.Put(ctx, []byte("zz"), []byte("w")); err != nil {
			t.Fatal(err)
		}
		if err := other.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := txn.Put(ctx, []byte("x"), []byte("y")); err != nil {
			t.Fatal(err)
		}
		if err := txn.Commit(ctx); err == nil {
			t.Errorf("%s: commit after a concurrent write to a key GetMany read succeeded", target)
		}
		cleanup, _ := store.Begin(ctx, kv.TxnOptions{})
		_ = cleanup.Delete(ctx, []byte("zz"))
		_ = cleanup.Commit(ctx)
	}
}
