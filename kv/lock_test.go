package kv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"
)

// waitUntil polls cond until it holds, failing the test after 5 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waiting returns a condition: n lock waits have started.
func waiting(s *LocalStore, n uint64) func() bool {
	return func() bool { return s.Stats().LockWaits >= n }
}

func mustGetForUpdate(t testing.TB, txn Txn, k string) (string, bool) {
	t.Helper()
	v, ok, err := txn.GetForUpdate(context.Background(), []byte(k))
	if err != nil {
		t.Fatalf("GetForUpdate(%q): %v", k, err)
	}
	return string(v), ok
}

// TestLockQueue: a second writer of a locked key waits for the first to
// finish and then proceeds (refreshing its read timestamp if the first
// committed), instead of failing validation.
func TestLockQueue(t *testing.T) {
	ctx := context.Background()
	incr := func(txn Txn) error { // read-modify-write through the lock
		v, _, err := txn.GetForUpdate(ctx, []byte("x"))
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(string(v))
		return txn.Put(ctx, []byte("x"), []byte(strconv.Itoa(n+1)))
	}
	for _, tc := range []struct {
		name           string
		first, second  func(Txn) error
		rollbackFirst  bool
		want           string
		wantRefreshes  uint64
		wantSecondSees string // what the second reads after its op, "" to skip
	}{
		{
			name:  "GetForUpdate then Put: both increments land",
			first: incr, second: incr,
			want: "2", wantRefreshes: 1, wantSecondSees: "2",
		},
		{
			name:          "blind Puts of one key: the second waits and wins",
			first:         func(txn Txn) error { return txn.Put(ctx, []byte("x"), []byte("a")) },
			second:        func(txn Txn) error { return txn.Put(ctx, []byte("x"), []byte("b")) },
			want:          "b",
			wantRefreshes: 1,
		},
		{
			name:           "Delete then GetForUpdate sees the key gone",
			first:          func(txn Txn) error { return txn.Delete(ctx, []byte("x")) },
			second:         func(txn Txn) error { _, _, err := txn.GetForUpdate(ctx, []byte("x")); return err },
			want:           "",
			wantRefreshes:  1,
			wantSecondSees: "",
		},
		{
			name:  "Rollback releases the lock; the second reads the old value",
			first: incr, second: incr, rollbackFirst: true,
			want: "1", wantRefreshes: 0, wantSecondSees: "1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t, t.TempDir())
			commitKVs(t, s, map[string]string{"x": "0", "other": "0"})
			a, b := begin(t, s, false), begin(t, s, false)
			mustGet(t, b, "other") // a read the refresh must re-validate
			if err := tc.first(a); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- tc.second(b) }()
			waitUntil(t, "the second writer waits", waiting(s, 1))
			select {
			case err := <-done:
				t.Fatalf("second writer did not wait for the lock: %v", err)
			case <-time.After(20 * time.Millisecond):
			}
			if tc.rollbackFirst {
				a.Rollback()
			} else {
				mustCommit(t, a)
			}
			if err := <-done; err != nil {
				t.Fatalf("second writer: %v", err)
			}
			if tc.wantSecondSees != "" || tc.want == "" {
				if v, _ := mustGet(t, b, "x"); v != tc.wantSecondSees {
					t.Fatalf("second writer reads x=%q, want %q", v, tc.wantSecondSees)
				}
			}
			mustCommit(t, b)
			if v, _ := mustGet(t, begin(t, s, true), "x"); v != tc.want {
				t.Fatalf("x = %q, want %q", v, tc.want)
			}
			st := s.Stats()
			if st.Conflicts != 0 || st.Refreshes != tc.wantRefreshes {
				t.Fatalf("conflicts=%d refreshes=%d, want 0 and %d", st.Conflicts, st.Refreshes, tc.wantRefreshes)
			}
			if n := s.locks.held(); n != 0 {
				t.Fatalf("%d locks still held", n)
			}
		})
	}
}

// TestRefresh: taking the lock on a key changed since the read timestamp
// moves the read timestamp forward only if nothing else the transaction
// read or wrote changed in between.
func TestRefresh(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// before runs in a (read timestamp r0), then other commits, then
		// lock takes a lock in a.
		before      func(t *testing.T, a Txn)
		other       map[string]string
		otherRange  [2]string // a DeleteRange committed with other, if set
		lock        func(a Txn) error
		wantErr     error
		wantRefresh bool
	}{
		{
			name:        "unrelated reads: refresh and commit",
			before:      func(t *testing.T, a Txn) { mustGet(t, a, "y") },
			other:       map[string]string{"x": "1", "z": "1"},
			lock:        func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantRefresh: true,
		},
		{
			name:        "a Put refreshes like GetForUpdate",
			before:      func(t *testing.T, a Txn) { mustGet(t, a, "y") },
			other:       map[string]string{"x": "1"},
			lock:        func(a Txn) error { return a.Put(ctx, []byte("x"), []byte("a")) },
			wantRefresh: true,
		},
		{
			name:   "key unchanged: no refresh",
			before: func(t *testing.T, a Txn) { mustGet(t, a, "y") },
			other:  map[string]string{"z": "1"},
			lock:   func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
		},
		{
			name:    "another read key changed: conflict",
			before:  func(t *testing.T, a Txn) { mustGet(t, a, "y") },
			other:   map[string]string{"x": "1", "y": "1"},
			lock:    func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantErr: ErrConflict,
		},
		{
			name:    "an absent key read was inserted: conflict",
			before:  func(t *testing.T, a Txn) { mustGet(t, a, "absent") },
			other:   map[string]string{"x": "1", "absent": "1"},
			lock:    func(a Txn) error { return a.Delete(ctx, []byte("x")) },
			wantErr: ErrConflict,
		},
		{
			name:    "the key itself was read before locking: conflict",
			before:  func(t *testing.T, a Txn) { mustGet(t, a, "x") },
			other:   map[string]string{"x": "1"},
			lock:    func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantErr: ErrConflict,
		},
		{
			name: "a scanned span got an insert: conflict",
			before: func(t *testing.T, a Txn) {
				if _, err := a.Scan(ctx, []byte("p"), []byte("q"), 0, false); err != nil {
					t.Fatal(err)
				}
			},
			other:   map[string]string{"x": "1", "p5": "1"},
			lock:    func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantErr: ErrConflict,
		},
		{
			name:       "a committed range delete hit an own write: conflict",
			before:     func(t *testing.T, a Txn) { mustPut(t, a, "p1", "a") },
			other:      map[string]string{"x": "1"},
			otherRange: [2]string{"p", "q"},
			lock:       func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantErr:    ErrConflict,
		},
		{
			name: "an own range delete got an insert: conflict",
			before: func(t *testing.T, a Txn) {
				if err := a.DeleteRange(ctx, []byte("p"), []byte("q")); err != nil {
					t.Fatal(err)
				}
			},
			other:   map[string]string{"x": "1", "p7": "1"},
			lock:    func(a Txn) error { _, _, err := a.GetForUpdate(ctx, []byte("x")); return err },
			wantErr: ErrConflict,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t, t.TempDir())
			commitKVs(t, s, map[string]string{"x": "0", "y": "0", "p1": "1"})
			a := begin(t, s, false)
			r0 := a.ReadTimestamp()
			tc.before(t, a)
			o := begin(t, s, false)
			for k, v := range tc.other {
				mustPut(t, o, k, v)
			}
			if tc.otherRange[0] != "" {
				if err := o.DeleteRange(ctx, []byte(tc.otherRange[0]), []byte(tc.otherRange[1])); err != nil {
					t.Fatal(err)
				}
			}
			mustCommit(t, o)

			err := tc.lock(a)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("lock = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				if _, _, err := a.Get(ctx, []byte("x")); !errors.Is(err, ErrTxnDone) {
					t.Fatalf("Get after a failed refresh = %v, want ErrTxnDone", err)
				}
				if s.Stats().Conflicts != 1 || s.locks.held() != 0 {
					t.Fatalf("conflicts=%d locks held=%d after a failed refresh", s.Stats().Conflicts, s.locks.held())
				}
				return
			}
			if refreshed := a.ReadTimestamp() > r0; refreshed != tc.wantRefresh {
				t.Fatalf("read timestamp %d -> %d, want refresh=%v", r0, a.ReadTimestamp(), tc.wantRefresh)
			}
			// Reads after a refresh are at the new timestamp.
			if tc.wantRefresh {
				if v, _ := mustGet(t, a, "z"); v != tc.other["z"] {
					t.Fatalf("z = %q after refresh, want %q", v, tc.other["z"])
				}
			}
			mustPut(t, a, "x", "a")
			mustCommit(t, a)
			if st := s.Stats(); st.Conflicts != 0 {
				t.Fatalf("conflicts = %d", st.Conflicts)
			}
		})
	}
}

// TestLockCounter: 8 goroutines × 50 read-modify-write increments of one
// key through GetForUpdate: no conflict at all, the total is exact.
func TestLockCounter(t *testing.T) {
	const workers, increments = 8, 50
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	key := []byte("counter")
	incr := func() error {
		txn, err := s.Begin(ctx, TxnOptions{})
		if err != nil {
			return err
		}
		defer txn.Rollback()
		v, ok, err := txn.GetForUpdate(ctx, key)
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
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range increments {
				if err := incr(); err != nil {
					errc <- err // no retries: any error fails the test
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	v, _, _ := begin(t, s, true).Get(ctx, key)
	if got := binary.BigEndian.Uint64(v); got != workers*increments {
		t.Fatalf("counter = %d, want %d", got, workers*increments)
	}
	st := s.Stats()
	t.Logf("commits=%d conflicts=%d lock waits=%d refreshes=%d", st.Commits, st.Conflicts, st.LockWaits, st.Refreshes)
	if st.Conflicts != 0 || st.Deadlocks != 0 {
		t.Fatalf("conflicts=%d deadlocks=%d, want none", st.Conflicts, st.Deadlocks)
	}
	if s.locks.held() != 0 {
		t.Fatal("locks left behind")
	}
}

// TestTPCB: pgbench's transaction (account, teller, branch updated in
// that order plus a history insert) from 8 clients over 4 branches
// commits without a single serialization failure, and the books balance.
func TestTPCB(t *testing.T) {
	const clients, txns, branches, tellers, accounts = 8, 40, 4, 16, 200
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	add := func(txn Txn, k string, d int) error {
		v, _, err := txn.GetForUpdate(ctx, []byte(k))
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(string(v))
		return txn.Put(ctx, []byte(k), []byte(strconv.Itoa(n+d)))
	}
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for i := range txns {
				err := func() error {
					txn, err := s.Begin(ctx, TxnOptions{})
					if err != nil {
						return err
					}
					defer txn.Rollback()
					d := rng.IntN(10000) - 5000
					if err := add(txn, fmt.Sprintf("a%04d", rng.IntN(accounts)), d); err != nil {
						return err
					}
					if err := add(txn, fmt.Sprintf("t%03d", rng.IntN(tellers)), d); err != nil {
						return err
					}
					if err := add(txn, fmt.Sprintf("b%02d", rng.IntN(branches)), d); err != nil {
						return err
					}
					if err := txn.Put(ctx, fmt.Appendf(nil, "h%02d.%04d", c, i), []byte(strconv.Itoa(d))); err != nil {
						return err
					}
					return txn.Commit(ctx)
				}()
				if err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	kvs, err := begin(t, s, true).Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[byte]int{}
	hist := 0
	for _, kv := range kvs {
		n, _ := strconv.Atoi(string(kv.Value))
		sums[kv.Key[0]] += n
		if kv.Key[0] == 'h' {
			hist++
		}
	}
	if hist != clients*txns || sums['a'] != sums['h'] || sums['t'] != sums['h'] || sums['b'] != sums['h'] {
		t.Fatalf("history rows=%d, sums %v", hist, sums)
	}
	st := s.Stats()
	t.Logf("commits=%d conflicts=%d lock waits=%d refreshes=%d", st.Commits, st.Conflicts, st.LockWaits, st.Refreshes)
	if st.Conflicts != 0 || st.Deadlocks != 0 {
		t.Fatalf("conflicts=%d deadlocks=%d, want none", st.Conflicts, st.Deadlocks)
	}
}

// TestDeadlock: transactions locking keys in a cycle. The one whose
// wait closes the cycle fails at once with ErrDeadlock (not after the
// lock timeout) and is aborted; the others get their locks and commit.
func TestDeadlock(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("cycle of %d", n), func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			cfg.LockTimeout = time.Minute
			s, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			txns := make([]Txn, n)
			for i := range txns {
				txns[i] = begin(t, s, false)
				mustGetForUpdate(t, txns[i], fmt.Sprint("k", i))
			}
			// txn i then wants key i+1; the last closes the cycle.
			start := time.Now()
			errs := make(chan error, n)
			for i, txn := range txns {
				go func() {
					k := []byte(fmt.Sprint("k", (i+1)%n))
					_, _, err := txn.GetForUpdate(ctx, k)
					if err == nil {
						err = txn.Put(ctx, k, []byte("v"))
					}
					if err == nil {
						err = txn.Commit(ctx)
					}
					errs <- err
				}()
				if i < n-1 {
					waitUntil(t, "the waits begin", waiting(s, uint64(i+1)))
				}
			}
			deadlocks := 0
			for range n {
				err := <-errs
				switch {
				case errors.Is(err, ErrDeadlock):
					deadlocks++
				case err != nil:
					t.Fatalf("unexpected error: %v", err)
				}
			}
			if deadlocks != 1 {
				t.Fatalf("%d transactions got ErrDeadlock, want 1", deadlocks)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("deadlock took %s to resolve", d)
			}
			if st := s.Stats(); st.Deadlocks != 1 || st.Commits != uint64(n-1) {
				t.Fatalf("stats %+v", st)
			}
			if s.locks.held() != 0 {
				t.Fatal("locks left behind")
			}
		})
	}
}

// TestLockWaitEnds: a wait ends with ctx's error (the transaction stays
// usable), with ErrDeadlock after LockTimeout (aborted), or with
// ErrClosed when the store closes.
func TestLockWaitEnds(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		timeout   time.Duration
		interrupt func(s *LocalStore, cancel context.CancelFunc)
		wantErr   error
		wantOpen  bool // the waiter's transaction is still usable
	}{
		{name: "ctx cancelled", interrupt: func(_ *LocalStore, cancel context.CancelFunc) { cancel() }, wantErr: context.Canceled, wantOpen: true},
		{name: "lock timeout", timeout: 50 * time.Millisecond, interrupt: func(*LocalStore, context.CancelFunc) {}, wantErr: ErrDeadlock},
		{name: "store closed", interrupt: func(s *LocalStore, _ context.CancelFunc) { s.Close() }, wantErr: ErrClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			cfg.LockTimeout = tc.timeout
			s, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			commitKVs(t, s, map[string]string{"x": "0"})
			a, b := begin(t, s, false), begin(t, s, false)
			mustPut(t, a, "x", "a")
			mustPut(t, b, "y", "b")
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() { _, _, err := b.GetForUpdate(wctx, []byte("x")); done <- err }()
			waitUntil(t, "b waits", waiting(s, 1))
			tc.interrupt(s, cancel)
			if err := <-done; !errors.Is(err, tc.wantErr) {
				t.Fatalf("wait ended with %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == ErrClosed {
				return
			}
			// The waiter left the queue: a's lock is free once a finishes.
			mustCommit(t, a)
			if n := s.locks.held(); (n == 1) != tc.wantOpen || n > 1 {
				t.Fatalf("%d locks held after a committed (b open: %v)", n, tc.wantOpen)
			}
			if !tc.wantOpen {
				if err := b.Put(ctx, []byte("z"), []byte("b")); !errors.Is(err, ErrTxnDone) {
					t.Fatalf("Put after ErrDeadlock = %v, want ErrTxnDone", err)
				}
				return
			}
			if v, _ := mustGetForUpdate(t, b, "x"); v != "a" {
				t.Fatalf("b reads x=%q after a committed, want a", v)
			}
			mustCommit(t, b)
		})
	}
}

// TestLockMisc: read-only transactions never lock, locks are re-entrant,
// and writers of distinct keys never wait.
func TestLockMisc(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"x": "0"})

	ro := begin(t, s, true)
	if _, _, err := ro.GetForUpdate(ctx, []byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("GetForUpdate in a read-only txn = %v, want ErrReadOnly", err)
	}
	mustCommit(t, ro)
	if _, _, err := ro.GetForUpdate(ctx, []byte("x")); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("GetForUpdate after Commit = %v, want ErrTxnDone", err)
	}
	rw := begin(t, s, false)
	if _, _, err := rw.GetForUpdate(ctx, []byte{0, 1}); err == nil {
		t.Fatal("GetForUpdate of a reserved key accepted")
	}
	// Re-entrant: lock, write, lock again, delete, rewrite — one lock.
	mustGetForUpdate(t, rw, "x")
	mustPut(t, rw, "x", "1")
	if v, _ := mustGetForUpdate(t, rw, "x"); v != "1" {
		t.Fatalf("GetForUpdate does not see own write: %q", v)
	}
	if err := rw.Delete(ctx, []byte("x")); err != nil {
		t.Fatal(err)
	}
	mustPut(t, rw, "x", "2")
	if n := s.locks.held(); n != 1 {
		t.Fatalf("%d locks held, want 1", n)
	}
	// Locking without writing still commits (as a read-only commit).
	lk := begin(t, s, false)
	mustGetForUpdate(t, lk, "lonely")
	mustCommit(t, lk)
	mustCommit(t, rw)
	if n := s.locks.held(); n != 0 {
		t.Fatalf("%d locks held after commit", n)
	}

	// Inserts of distinct keys from many clients never wait.
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for c := range 8 {
		wg.Go(func() {
			for i := range 20 {
				txn, err := s.Begin(ctx, TxnOptions{})
				if err == nil {
					err = txn.Put(ctx, fmt.Appendf(nil, "ins%d.%d", c, i), []byte("v"))
				}
				if err == nil {
					err = txn.Commit(ctx)
				}
				if err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if st := s.Stats(); st.LockWaits != 0 || st.Conflicts != 0 {
		t.Fatalf("distinct inserts: %d lock waits, %d conflicts", st.LockWaits, st.Conflicts)
	}
}
