package kv

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	cfg.CheckpointBytes = 4 << 10 // checkpoint and truncate often
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		commitKVs(t, s, map[string]string{fmt.Sprintf("k%03d", i): fmt.Sprint(i)})
	}
	d := begin(t, s, false)
	if err := d.DeleteRange(context.Background(), []byte("k1"), []byte("k2")); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d)
	last := s.Stats().Visible
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Begin(context.Background(), TxnOptions{}); err != ErrClosed {
		t.Fatalf("Begin after Close = %v", err)
	}

	s2 := openTestStore(t, dir)
	txn := begin(t, s2, true)
	if txn.ReadTimestamp() < last {
		t.Fatalf("read ts after reopen %d < last commit %d", txn.ReadTimestamp(), last)
	}
	kvs, err := txn.Scan(context.Background(), nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(kvs) != 100 || string(kvs[99].Key) != "k099" { // k100..k199 range-deleted
		t.Fatalf("after reopen: %d keys, last %s", len(kvs), kvs[len(kvs)-1].Key)
	}
	w := begin(t, s2, false)
	mustPut(t, w, "after", "reopen")
	mustCommit(t, w)
	if ts := begin(t, s2, true).ReadTimestamp(); ts <= last {
		t.Fatalf("commit after reopen at %d, not after %d", ts, last)
	}
}

// TestTornWALTail: garbage after the last entry (a crash in the middle
// of a write) is cut off at Open and the committed data is intact.
func TestTornWALTail(t *testing.T) {
	for _, tc := range []struct {
		name string
		tail []byte
	}{
		{"partial entry", []byte{0xff, 0x01, 'x'}},         // length says 255, 2 bytes follow
		{"zeros", make([]byte, 64)},                        // framing ok, checksum not
		{"stale framed garbage", []byte{5, 1, 2, 3, 4, 5}}, // one framed entry, bad header
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig(t, dir)
			cfg.CheckpointBytes = 1 << 30
			s, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 10; i++ {
				commitKVs(t, s, map[string]string{fmt.Sprintf("k%d", i): "v"})
			}
			// Crash without Close: the WAL is the only record of the data.
			// Stop the goroutines and files by hand, skipping checkpoint.
			crashClose(t, s)
			segs, _ := filepath.Glob(filepath.Join(dir, "wal", "0*"))
			if len(segs) == 0 {
				t.Fatal("no WAL segment")
			}
			f, err := os.OpenFile(segs[len(segs)-1], os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tc.tail)
			f.Close()

			s2 := openTestStore(t, dir)
			kvs, err := begin(t, s2, true).Scan(context.Background(), nil, nil, 0, false)
			if err != nil || len(kvs) != 10 {
				t.Fatalf("after repair: %d keys, %v", len(kvs), err)
			}
			commitKVs(t, s2, map[string]string{"more": "v"})
		})
	}
}

// crashClose releases a store's resources without a checkpoint, leaving
// the directory as a crash would (badger's own state is flushed, which
// is no weaker than a crash for the WAL replay being tested).
func crashClose(t *testing.T, s *LocalStore) {
	t.Helper()
	s.closeMu.Lock()
	s.closed = true
	s.closeMu.Unlock()
	close(s.stop)
	s.wg.Wait()
	close(s.wal.reqs)
	<-s.wal.done
	s.wal.log.Close()
	// Drop badger's data so that replay has to restore everything past
	// the applied marker: a crash may lose badger's unsynced writes.
	s.db.Close()
}

// TestReplayRebuildsBadger: with badger's directory lost entirely, the
// WAL alone restores every commit, range deletes included.
func TestReplayRebuildsBadger(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	cfg.CheckpointBytes = 1 << 30
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		commitKVs(t, s, map[string]string{fmt.Sprintf("a%02d", i): "1", fmt.Sprintf("b%02d", i): "2"})
	}
	d := begin(t, s, false)
	if err := d.DeleteRange(ctx, []byte("a10"), []byte("a40")); err != nil {
		t.Fatal(err)
	}
	mustPut(t, d, "a20", "kept")
	mustCommit(t, d)
	commitKVs(t, s, map[string]string{"a30": "reinserted"})
	want, err := begin(t, s, true).Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	crashClose(t, s)
	if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	s2 := openTestStore(t, dir)
	got, err := begin(t, s2, true).Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if fmtKVs(got) != fmtKVs(want) || len(want) != 100-30+2 {
		t.Fatalf("after replay:\n got  %s\n want %s", fmtKVs(got), fmtKVs(want))
	}
}

const crashEnv = "QUORUMDB_KV_CRASH_DIR"

// TestCrashRecovery runs a child process that commits concurrently
// (small transactions and multi-chunk bulk ones) and kills itself
// without Close; every commit the child saw return must survive, and no
// bulk transaction may be half there.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a subprocess")
	}
	for _, mode := range []string{"exit", "sigkill"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
			cmd.Env = append(os.Environ(), crashEnv+"="+dir, "QUORUMDB_KV_CRASH_MODE="+mode)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			acked := map[string]string{}
			bigAcked := 0
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				if len(f) == 3 && f[0] == "ok" {
					acked[f[1]] = f[2]
					if strings.HasPrefix(f[1], "bigdone") {
						bigAcked++
					}
				}
			}
			err = cmd.Wait()
			if err == nil || len(acked) == 0 {
				t.Fatalf("child: err=%v acked=%d stderr:\n%s", err, len(acked), stderr.String())
			}

			s := openTestStore(t, dir)
			txn := begin(t, s, true)
			for k, v := range acked {
				if got, ok := mustGet(t, txn, k); !ok || got != v {
					t.Fatalf("acknowledged %s=%s lost after crash (got %q,%v)", k, v, got, ok)
				}
			}
			kvs, err := txn.Scan(context.Background(), []byte("big"), []byte("bih"), 0, false)
			if err != nil {
				t.Fatal(err)
			}
			perBatch := map[string]int{}
			for _, kv := range kvs {
				if b, _, ok := strings.Cut(string(kv.Key), "/"); ok {
					perBatch[b]++
				}
			}
			for b, n := range perBatch {
				if n != crashBigKeys {
					t.Fatalf("bulk txn %s is partly there: %d of %d keys", b, n, crashBigKeys)
				}
			}
			t.Logf("%s: %d acknowledged commits (%d bulk) survived; %d bulk present", mode, len(acked), bigAcked, len(perBatch))
		})
	}
}

const crashBigKeys = 20000 // about 2 MB: several WAL chunks

// TestCrashHelper is the child of TestCrashRecovery.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only run as TestCrashRecovery's child")
	}
	cfg := testConfig(t, dir)
	cfg.NoSync = false
	cfg.CheckpointBytes = 256 << 10 // checkpoints happen during the run
	cfg.MaintenanceInterval = 50 * time.Millisecond
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var mu sync.Mutex
	acks := 0
	ack := func(k, v string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, "ok %s %s\n", k, v) // unbuffered: one write per line
		acks++
	}
	for w := 0; w < 8; w++ {
		go func() {
			for i := 0; ; i++ {
				k, v := fmt.Sprintf("g%d-%d", w, i), fmt.Sprint(i)
				txn, err := s.Begin(ctx, TxnOptions{})
				if err != nil {
					return
				}
				txn.Put(ctx, []byte(k), []byte(v))
				if txn.Commit(ctx) == nil {
					ack(k, v)
				}
			}
		}()
	}
	go func() {
		for n := 0; ; n++ {
			txn, err := s.Begin(ctx, TxnOptions{})
			if err != nil {
				return
			}
			for j := 0; j < crashBigKeys; j++ {
				txn.Put(ctx, fmt.Appendf(nil, "big%04d/%06d", n, j), bytes.Repeat([]byte{'v'}, 80))
			}
			txn.Put(ctx, fmt.Appendf(nil, "bigdone%d", n), []byte("1"))
			if txn.Commit(ctx) == nil {
				ack(fmt.Sprintf("bigdone%d", n), "1")
			}
		}
	}()
	deadline := time.Now().Add(3 * time.Second)
	for {
		mu.Lock()
		n := acks
		mu.Unlock()
		if n >= 400 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock() // no ack line is half written when we die
	if os.Getenv("QUORUMDB_KV_CRASH_MODE") == "sigkill" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	os.Exit(3)
}

// TestOpenAfterEmptyBadgerFiles reproduces a crash between badger's
// creation of a memtable or value log file and its sizing: the store must
// still open, with its data.
func TestOpenAfterEmptyBadgerFiles(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(testConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	commitKVs(t, s, map[string]string{"\x10a": "1"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"00099.mem", "00099.vlog"} {
		if err := os.WriteFile(filepath.Join(dir, "data", name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = openTestStore(t, dir)
	if v, ok := mustGet(t, begin(t, s, true), "\x10a"); !ok || v != "1" {
		t.Fatalf("after reopening: %q %v", v, ok)
	}
}
