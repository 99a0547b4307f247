package kv

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// TestBigTxn: a bulk load of 300k rows (about 30 MB, many WAL chunks and
// badger batches) commits, reads back, survives a reopen, and a
// TRUNCATE-style DeleteRange removes it in one commit.
func TestBigTxn(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk load")
	}
	const n = 300_000
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(testConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	prefix := TablePrefix(42)
	key := func(i int) []byte { return fmt.Appendf(bytes.Clone(prefix), "%08d", i) }
	val := bytes.Repeat([]byte{'x'}, 90)

	txn := begin(t, s, false)
	for i := 0; i < n; i++ {
		if err := txn.Put(ctx, key(i), val); err != nil {
			t.Fatal(err)
		}
	}
	// Own writes are visible before commit, at both ends.
	if kvs, err := txn.Scan(ctx, prefix, PrefixEnd(prefix), 1, true); err != nil || !bytes.Equal(kvs[0].Key, key(n-1)) {
		t.Fatalf("reverse scan of own writes: %v", err)
	}
	mustCommit(t, txn)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestStore(t, dir)
	r := begin(t, s, true)
	kvs, err := r.Scan(ctx, prefix, PrefixEnd(prefix), 0, false)
	if err != nil || len(kvs) != n {
		t.Fatalf("read back %d rows, %v", len(kvs), err)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if !bytes.Equal(kvs[i].Key, key(i)) || !bytes.Equal(kvs[i].Value, val) {
			t.Fatalf("row %d = %q", i, kvs[i].Key)
		}
	}

	tr := begin(t, s, false)
	if err := tr.DeleteRange(ctx, prefix, PrefixEnd(prefix)); err != nil {
		t.Fatal(err)
	}
	mustPut(t, tr, string(key(7)), "after truncate")
	if kvs, err := tr.Scan(ctx, prefix, PrefixEnd(prefix), 0, false); err != nil || len(kvs) != 1 {
		t.Fatalf("scan after DeleteRange in txn: %d rows, %v", len(kvs), err)
	}
	mustCommit(t, tr)
	kvs, err = begin(t, s, true).Scan(ctx, prefix, PrefixEnd(prefix), 0, false)
	if err != nil || len(kvs) != 1 || string(kvs[0].Value) != "after truncate" {
		t.Fatalf("after truncate: %d rows, %v", len(kvs), err)
	}
	// The old snapshot still sees every row.
	if kvs, err := r.Scan(ctx, prefix, PrefixEnd(prefix), 0, false); err != nil || len(kvs) != n {
		t.Fatalf("old snapshot after truncate: %d rows, %v", len(kvs), err)
	}
	r.Rollback()
}
