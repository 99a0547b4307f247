package kv

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/internal/smallfs"
)

// TestDiskGuardAdmit drives the guard with an injected measurement: the
// reserve, the commits admitted since the last measurement, and the
// return to normal once space is back.
func TestDiskGuardAdmit(t *testing.T) {
	var free atomic.Int64
	free.Store(100 << 20)
	g := newDiskGuard(64<<20, testConfig(t, t.TempDir()).WithDefaults().Logger, "/data")
	g.statfs = func(string) (int64, error) { return free.Load(), nil }

	if err := g.admit(10 << 20); err != nil { // takes 20 MiB: 80 left
		t.Fatalf("admit 10 MiB with 100 free: %v", err)
	}
	err := g.admit(10 << 20) // would leave 60 < 64
	var dfe *DiskFullError
	if !errors.Is(err, ErrDiskFull) || !errors.As(err, &dfe) || dfe.Need != 20<<20 || dfe.Free != 80<<20 {
		t.Fatalf("second admit: %v (%+v), want a DiskFullError needing 20 MiB with 80 MiB free", err, dfe)
	}
	if g.check() != nil {
		t.Fatal("check: full, but the measurement is above the reserve")
	}

	free.Store(10 << 20)
	g.current(true)
	if err := g.admit(1); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("admit below the reserve: %v", err)
	}
	if err := g.check(); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("check below the reserve: %v", err)
	}
	if sp := g.current(false); !sp.Full || sp.Free != 10<<20 || sp.Dir != "/data" {
		t.Fatalf("DiskSpace = %+v", sp)
	}

	free.Store(1 << 30)
	time.Sleep(diskRefresh) // no forced measurement: the commit path refreshes by itself
	if err := g.admit(1 << 20); err != nil {
		t.Fatalf("admit after space was freed: %v", err)
	}

	g.statfs = func(string) (int64, error) { return 0, errors.New("broken") }
	g.current(true)
	if err := g.admit(1 << 40); err != nil {
		t.Fatalf("admit with an unknown free space: %v (a failed measurement must not stop writes)", err)
	}
}

// smallStoreConfig is a store on a small filesystem: an 8 MiB memtable
// and a 24 MiB reserve (3 memtables), synced as in production.
func smallStoreConfig(t testing.TB, dir string) LocalConfig {
	cfg := testConfig(t, dir)
	cfg.NoSync = false
	cfg.MemTableBytes = 8 << 20
	cfg.BlockCacheBytes = 1 << 20
	cfg.MinFreeBytes = 24 << 20
	return cfg
}

// TestDiskFullLocalStore fills a real 96 MiB tmpfs under a store: a
// commit that would cross the reserve fails with ErrDiskFull and leaves
// the store serving, every acknowledged write stays readable, commits
// succeed again once the fill file is deleted, and a store reopened on a
// full disk opens and serves reads.
func TestDiskFullLocalStore(t *testing.T) {
	fs := smallfs.Mount(t, 96<<20)
	dir := fs + "/store"
	cfg := smallStoreConfig(t, dir)
	s, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer func() { _ = s.Close() }()
	ctx := context.Background()
	value := make([]byte, 32<<10)
	rand.Read(value) // incompressible

	// Leave 4 MiB above the reserve, then write 32 KiB commits until one
	// is refused on a fresh measurement (commits are refused a little
	// early, for what commits admitted since the last measurement will
	// take: after the first refusal wait for a new one).
	fill := smallfs.Fill(t, fs, "fill", cfg.MinFreeBytes+4<<20)
	acked := 0
	write := func(i int) error {
		txn, err := s.Begin(ctx, TxnOptions{})
		if err != nil {
			return err
		}
		defer txn.Rollback()
		if err := txn.Put(ctx, []byte(fmt.Sprintf("k%06d", i)), value); err != nil {
			return err
		}
		return txn.Commit(ctx)
	}
	for refused := false; ; {
		err := write(acked)
		if errors.Is(err, ErrDiskFull) {
			if refused {
				t.Logf("refused after %d commits: %v", acked, err)
				break
			}
			refused = true
			time.Sleep(diskRefresh)
			continue
		}
		if err != nil {
			t.Fatalf("commit %d: %v", acked, err)
		}
		refused = false
		if acked++; acked > 1000 {
			t.Fatalf("1000 commits of 32 KiB fit in 4 MiB above the reserve")
		}
	}
	if acked < 10 {
		t.Fatalf("only %d commits of 32 KiB fitted in 4 MiB above the reserve", acked)
	}
	if sp := s.DiskSpace(); sp.Free >= cfg.MinFreeBytes+1<<20 {
		t.Fatalf("refused with %+v: more than 1 MiB above the reserve", sp)
	}
	// Refused, and the store did not stop.
	if err := write(acked); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("commit below the reserve: %v, want ErrDiskFull", err)
	}
	checkKeys(t, s, acked)

	// Space freed: writes resume without a restart.
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	waitCommit(t, func() error { return write(acked) })
	acked++
	checkKeys(t, s, acked)

	// A restart on a full disk: Open replays the WAL, reads are served,
	// writes are refused.
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	fill = smallfs.Fill(t, fs, "fill", cfg.MinFreeBytes/2)
	if s, err = Open(cfg); err != nil {
		t.Fatalf("Open on a full disk: %v", err)
	}
	checkKeys(t, s, acked)
	if err := write(acked); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("commit after a restart on a full disk: %v, want ErrDiskFull", err)
	}
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	waitCommit(t, func() error { return write(acked) })
	checkKeys(t, s, acked+1)
}

// checkKeys reads keys k000000..k(n-1) in a read-only transaction.
func checkKeys(t *testing.T, s *LocalStore, n int) {
	t.Helper()
	txn, err := s.Begin(context.Background(), TxnOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("Begin read-only: %v", err)
	}
	defer txn.Rollback()
	kvs, err := txn.Scan(context.Background(), []byte("k"), []byte("l"), 0, false)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(kvs) != n {
		t.Fatalf("read %d keys, want the %d acknowledged", len(kvs), n)
	}
	for i, kv := range kvs {
		if want := fmt.Sprintf("k%06d", i); string(kv.Key) != want {
			t.Fatalf("key %d is %q, want %q", i, kv.Key, want)
		}
	}
}

// waitCommit retries commit until it succeeds: the guard measures again
// within a fraction of a second.
func waitCommit(t *testing.T, commit func() error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := commit()
		if err == nil {
			return
		}
		if !errors.Is(err, ErrDiskFull) || time.Now().After(deadline) {
			t.Fatalf("commit after space was freed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
