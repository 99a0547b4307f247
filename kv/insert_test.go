package kv

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func mustInsert(t testing.TB, txn Txn, k, v string) {
	t.Helper()
	if err := txn.Insert(context.Background(), []byte(k), []byte(v)); err != nil {
		t.Fatalf("Insert(%q): %v", k, err)
	}
}

// TestInsert: Insert writes absent keys without a lock, refuses keys the
// transaction sees (committed or its own) with ErrKeyExists and leaves
// the transaction usable; InsertFresh checks only the transaction's own
// writes.
func TestInsert(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"old": "1", "gone": "2"})

	txn := begin(t, s, false)
	mustInsert(t, txn, "new", "a")
	if s.locks.held() != 0 {
		t.Fatalf("Insert took %d locks, want none", s.locks.held())
	}
	if v, ok := mustGet(t, txn, "new"); !ok || v != "a" {
		t.Fatalf("own insert reads %q %v", v, ok)
	}
	for _, k := range []string{"old", "new"} {
		if err := txn.Insert(ctx, []byte(k), []byte("x")); !errors.Is(err, ErrKeyExists) {
			t.Fatalf("Insert(%q) of an existing key: %v, want ErrKeyExists", k, err)
		}
		if err := txn.InsertFresh(ctx, []byte("new"), []byte("x")); !errors.Is(err, ErrKeyExists) {
			t.Fatalf("InsertFresh of an own write: %v, want ErrKeyExists", err)
		}
	}
	if v, _ := mustGet(t, txn, "new"); v != "a" {
		t.Fatalf("a refused insert changed the value to %q", v)
	}
	// A key deleted by the transaction (point or range) may be inserted.
	mustPut(t, txn, "tmp", "t")
	if err := txn.Delete(ctx, []byte("tmp")); err != nil {
		t.Fatal(err)
	}
	if err := txn.InsertFresh(ctx, []byte("tmp"), []byte("t2")); err != nil {
		t.Fatalf("InsertFresh over an own delete: %v", err)
	}
	if err := txn.Delete(ctx, []byte("gone")); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, txn, "gone", "b")
	if err := txn.DeleteRange(ctx, []byte("o"), []byte("p")); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, txn, "old", "c")
	// An unlocked key written again stays unlocked.
	mustPut(t, txn, "new", "a2")
	if s.locks.held() != 2 { // "gone" and "tmp", locked by Delete and Put
		t.Fatalf("%d locks held, want 2", s.locks.held())
	}
	if err := txn.InsertFresh(ctx, []byte("fresh"), []byte("f")); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, txn)

	r := begin(t, s, true)
	defer r.Rollback()
	for k, want := range map[string]string{"new": "a2", "gone": "b", "old": "c", "fresh": "f", "tmp": "t2"} {
		if v, ok := mustGet(t, r, k); !ok || v != want {
			t.Errorf("%s = %q %v, want %q", k, v, ok, want)
		}
	}
}

// TestInsertSavepoint: ROLLBACK TO undoes an insert, after which the key
// may be inserted again.
func TestInsertSavepoint(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	txn := begin(t, s, false)
	defer txn.Rollback()
	sp, err := txn.Savepoint()
	if err != nil {
		t.Fatal(err)
	}
	mustInsert(t, txn, "k", "1")
	if err := txn.RollbackTo(sp); err != nil {
		t.Fatal(err)
	}
	if _, ok := mustGet(t, txn, "k"); ok {
		t.Fatal("insert survived ROLLBACK TO")
	}
	mustInsert(t, txn, "k", "2")
}

// TestInsertConflicts: unlocked inserts are still serializable. Two
// transactions inserting one key: the second to commit fails. And a
// transaction whose read timestamp would be refreshed past a commit
// writing a key it inserted fails rather than overwrite that commit.
func TestInsertConflicts(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())

	a, b := begin(t, s, false), begin(t, s, false)
	mustInsert(t, a, "k", "a")
	if err := b.InsertFresh(ctx, []byte("k"), []byte("b")); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, b)
	if err := a.Commit(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("second insert of one key committed: %v", err)
	}

	// Refresh: ins inserts u; w overwrites u and commits; x is changed
	// by another commit, so ins locking x must refresh — past w.
	ins := begin(t, s, false)
	mustInsert(t, ins, "u", "ins")
	w := begin(t, s, false)
	mustPut(t, w, "u", "w")
	mustCommit(t, w)
	commitKVs(t, s, map[string]string{"x": "other"})
	err := ins.Put(ctx, []byte("x"), []byte("ins"))
	if err == nil {
		err = ins.Commit(ctx)
	}
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("insert refreshed past a commit of its key: %v", err)
	}
	r := begin(t, s, true)
	defer r.Rollback()
	if v, _ := mustGet(t, r, "u"); v != "w" {
		t.Fatalf("u = %q, want the committed %q", v, "w")
	}

	// A refresh past commits of other keys still succeeds.
	ok := begin(t, s, false)
	mustInsert(t, ok, "v", "ok")
	commitKVs(t, s, map[string]string{"x": "again"})
	mustPut(t, ok, "x", "ok")
	mustCommit(t, ok)
}

// TestInsertTooLarge: inserts count against MaxTxnBytes like Put.
func TestInsertTooLarge(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxTxnBytes = 10_000
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	txn := begin(t, s, false)
	defer txn.Rollback()
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		werr = txn.InsertFresh(context.Background(), fmt.Appendf(nil, "k%04d", i), make([]byte, 100))
	}
	if !errors.Is(werr, ErrTxnTooLarge) {
		t.Fatalf("got %v, want ErrTxnTooLarge", werr)
	}
}

// TestApplyTombstones: deletes reach badger as tombstones (apply writes
// them with badger's delete meta byte): point and range deletes hide the
// keys, before and after a reopen, while older snapshots still see them.
func TestApplyTombstones(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	commitKVs(t, s, map[string]string{"a": "1", "b": "2", "c1": "3", "c2": "4", "d": "5"})
	old := begin(t, s, true)
	txn := begin(t, s, false)
	if err := txn.Delete(ctx, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := txn.DeleteRange(ctx, []byte("c"), []byte("d")); err != nil {
		t.Fatal(err)
	}
	mustPut(t, txn, "c2", "kept")
	mustCommit(t, txn)
	check := func(when string) {
		r := begin(t, s, true)
		defer r.Rollback()
		kvs, err := r.Scan(ctx, []byte("a"), nil, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmtKVs(kvs); got != "b=2 c2=kept d=5 " {
			t.Fatalf("%s: %s", when, got)
		}
	}
	check("after commit")
	if kvs, err := old.Scan(ctx, []byte("a"), nil, 0, false); err != nil || len(kvs) != 5 {
		t.Fatalf("older snapshot: %d keys, %v", len(kvs), err)
	}
	old.Rollback()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestStore(t, dir)
	check("after reopen")
}

// TestHitsUnlocked: the refresh check finds an unlocked key whichever
// side is smaller, and ignores locked writes.
func TestHitsUnlocked(t *testing.T) {
	buf := newWriteBuffer()
	buf.set([]byte("locked"), []byte("v"), false, false)
	buf.insertNew([]byte("mine"), []byte("v"))
	small := [][]byte{[]byte("mine")}
	big := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("locked"), []byte("mine"), []byte("z")}
	other := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("locked"), []byte("n"), []byte("z")}
	for name, tc := range map[string]struct {
		keys [][]byte
		want bool
	}{"small": {small, true}, "big": {big, true}, "locked only": {other, false}, "none": {nil, false}} {
		if got := hitsUnlocked(tc.keys, buf); got != tc.want {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
}
