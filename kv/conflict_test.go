package kv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestConflicts(t *testing.T) {
	ctx := context.Background()
	type step func(t *testing.T, s *LocalStore, a, b Txn)
	get := func(k string) func(t *testing.T, txn Txn) {
		return func(t *testing.T, txn Txn) { mustGet(t, txn, k) }
	}
	getForUpdate := func(k string) func(t *testing.T, txn Txn) {
		return func(t *testing.T, txn Txn) {
			if _, _, err := txn.GetForUpdate(ctx, []byte(k)); err != nil {
				t.Fatalf("GetForUpdate(%q): %v", k, err)
			}
		}
	}
	for _, tc := range []struct {
		name string
		// a and b both begin after the setup commit; a's ops, then b's
		// ops and commit (which must succeed), then a commits.
		aOps, bOps   []func(t *testing.T, txn Txn)
		wantConflict bool
	}{
		{
			name:         "write skew: both read x and y, each writes one",
			aOps:         []func(*testing.T, Txn){get("x"), get("y"), func(t *testing.T, txn Txn) { mustPut(t, txn, "x", "a") }},
			bOps:         []func(*testing.T, Txn){get("x"), get("y"), func(t *testing.T, txn Txn) { mustPut(t, txn, "y", "b") }},
			wantConflict: true,
		},
		{
			name:         "read of absent key later inserted",
			aOps:         []func(*testing.T, Txn){get("absent"), func(t *testing.T, txn Txn) { mustPut(t, txn, "z", "a") }},
			bOps:         []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "absent", "b") }},
			wantConflict: true,
		},
		{
			name: "phantom: scanned span gets an insert",
			aOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) {
				if _, err := txn.Scan(ctx, []byte("p"), []byte("q"), 0, false); err != nil {
					t.Fatal(err)
				}
				mustPut(t, txn, "count", "0")
			}},
			bOps:         []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "p5", "b") }},
			wantConflict: true,
		},
		{
			name: "insert beyond a limited scan's last key is no conflict",
			aOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) {
				kvs, err := txn.Scan(ctx, []byte("p"), []byte("q"), 1, false) // returns p1 only
				if err != nil || len(kvs) != 1 {
					t.Fatalf("scan = %v, %v", kvs, err)
				}
				mustPut(t, txn, "count", "0")
			}},
			bOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "p5", "b") }},
		},
		{
			name: "insert before a limited reverse scan's last key is no conflict",
			aOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) {
				kvs, err := txn.Scan(ctx, []byte("p"), []byte("q"), 1, true) // returns p3 only
				if err != nil || len(kvs) != 1 {
					t.Fatalf("scan = %v, %v", kvs, err)
				}
				mustPut(t, txn, "count", "0")
			}},
			bOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "p2", "b") }},
		},
		// Blind write-write on one key now queues on the key's lock
		// instead of conflicting: see TestLockQueue.
		{
			name:         "write skew with GetForUpdate on the written keys",
			aOps:         []func(*testing.T, Txn){get("x"), get("y"), getForUpdate("x"), func(t *testing.T, txn Txn) { mustPut(t, txn, "x", "a") }},
			bOps:         []func(*testing.T, Txn){get("x"), get("y"), getForUpdate("y"), func(t *testing.T, txn Txn) { mustPut(t, txn, "y", "b") }},
			wantConflict: true,
		},
		{
			name: "disjoint reads and writes commit",
			aOps: []func(*testing.T, Txn){get("x"), func(t *testing.T, txn Txn) { mustPut(t, txn, "x", "a") }},
			bOps: []func(*testing.T, Txn){get("y"), func(t *testing.T, txn Txn) { mustPut(t, txn, "y", "b") }},
		},
		{
			name: "read-only-in-effect txn never conflicts",
			aOps: []func(*testing.T, Txn){get("x"), get("y")},
			bOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "x", "b") }},
		},
		{
			name: "delete range conflicts with a concurrent insert into it",
			aOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) {
				if err := txn.DeleteRange(ctx, []byte("p"), []byte("q")); err != nil {
					t.Fatal(err)
				}
			}},
			bOps:         []func(*testing.T, Txn){func(t *testing.T, txn Txn) { mustPut(t, txn, "p9", "b") }},
			wantConflict: true,
		},
		{
			name: "a read of a key in a committed delete range conflicts",
			aOps: []func(*testing.T, Txn){get("p1"), func(t *testing.T, txn Txn) { mustPut(t, txn, "z", "a") }},
			bOps: []func(*testing.T, Txn){func(t *testing.T, txn Txn) {
				if err := txn.DeleteRange(ctx, []byte("p"), nil); err != nil {
					t.Fatal(err)
				}
			}},
			wantConflict: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t, t.TempDir())
			commitKVs(t, s, map[string]string{"x": "0", "y": "0", "p1": "1", "p3": "3"})
			a, b := begin(t, s, false), begin(t, s, false)
			for _, op := range tc.aOps {
				op(t, a)
			}
			for _, op := range tc.bOps {
				op(t, b)
			}
			mustCommit(t, b)
			err := a.Commit(ctx)
			if tc.wantConflict != errors.Is(err, ErrConflict) || (!tc.wantConflict && err != nil) {
				t.Fatalf("second Commit = %v, want conflict=%v", err, tc.wantConflict)
			}
			if err := a.Commit(ctx); !errors.Is(err, ErrTxnDone) {
				t.Fatalf("Commit after a finished Commit = %v", err)
			}
			if tc.wantConflict && s.Stats().Conflicts != 1 {
				t.Fatalf("Stats().Conflicts = %d", s.Stats().Conflicts)
			}
		})
	}
}

// TestReadOnlySnapshot: read-only transactions keep their snapshot under
// concurrent writers and always commit.
func TestReadOnlySnapshot(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"a": "0", "b": "0"})
	var readers []Txn
	for i := 1; i <= 5; i++ {
		readers = append(readers, begin(t, s, true))
		// Each writer moves value from a to b keeping a+b constant.
		commitKVs(t, s, map[string]string{"a": fmt.Sprint(-i), "b": fmt.Sprint(i)})
	}
	for i, r := range readers {
		kvs, err := r.Scan(ctx, nil, nil, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("a=%d b=%d ", -i, i)
		if i == 0 {
			want = "a=0 b=0 "
		}
		if got := fmtKVs(kvs); got != want {
			t.Errorf("reader %d sees %s, want %s", i, got, want)
		}
		mustCommit(t, r)
	}
}

// TestConcurrentCounter: 8 goroutines each add 1 fifty times to one
// counter, retrying on conflict; the total is exact.
func TestConcurrentCounter(t *testing.T) {
	const workers, increments = 8, 50
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	key := []byte("counter")
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < increments; i++ {
				for {
					err := increment(ctx, s, key)
					if err == nil {
						break
					}
					if !errors.Is(err, ErrConflict) {
						errc <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	txn := begin(t, s, true)
	v, ok, err := txn.Get(ctx, key)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	if got := binary.BigEndian.Uint64(v); got != workers*increments {
		t.Fatalf("counter = %d, want %d", got, workers*increments)
	}
	st := s.Stats()
	t.Logf("commits=%d conflicts=%d wal syncs=%d", st.Commits, st.Conflicts, st.WALSyncs)
}

func increment(ctx context.Context, s *LocalStore, key []byte) error {
	txn, err := s.Begin(ctx, TxnOptions{})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	v, ok, err := txn.Get(ctx, key)
	if err != nil {
		return err
	}
	var n uint64
	if ok {
		n = binary.BigEndian.Uint64(v)
	}
	if err := txn.Put(ctx, key, binary.BigEndian.AppendUint64(nil, n+1)); err != nil {
		return err
	}
	return txn.Commit(ctx)
}

// TestHorizon: a transaction older than the pruned horizon is refused.
func TestHorizon(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"a": "0"})
	txn := begin(t, s, false)
	mustGet(t, txn, "b")
	mustPut(t, txn, "c", "1")
	commitKVs(t, s, map[string]string{"x": "1"})
	// Simulate memory-bound pruning past the open transaction.
	s.commitMu.Lock()
	s.conflicts.prune(s.wm.Visible())
	s.commitMu.Unlock()
	if err := txn.Commit(context.Background()); !errors.Is(err, ErrConflict) {
		t.Fatalf("Commit below the horizon = %v, want ErrConflict", err)
	}
}
