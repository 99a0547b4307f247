package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// syncLog is a replicated log for unit tests of the replica state
// machine: a proposal on the leader is committed at once and applied to
// every attached replica in order. The Raft group itself is tested in
// cluster/multiraft, and the two together in server's cluster tests.
type syncLog struct {
	mu      sync.Mutex
	entries [][]byte
	stores  []*LocalStore
	leader  int
}

type replicaHandle struct {
	l  *syncLog
	id int
}

func (h replicaHandle) Propose(_ context.Context, data []byte) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.leader != h.id {
		return ErrNotLeader
	}
	h.l.entries = append(h.l.entries, data)
	index := uint64(len(h.l.entries))
	for _, s := range h.l.stores {
		if s != nil {
			if err := s.Apply(index, data); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h replicaHandle) ReadIndex(context.Context) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.leader != h.id {
		return ErrNotLeader
	}
	return nil
}

// elect makes replica id the leader, as a new term would.
func (l *syncLog) elect(id int) {
	l.mu.Lock()
	l.leader = id
	stores := append([]*LocalStore(nil), l.stores...)
	l.mu.Unlock()
	for _, s := range stores {
		if s != nil {
			s.LeaderChanged()
		}
	}
}

// attach opens replica id in dir and replays the entries after its
// applied marker, as the group does at Open.
func (l *syncLog) attach(t *testing.T, id int, dir string) *LocalStore {
	t.Helper()
	s, err := OpenReplica(ReplicaConfig{LocalConfig: testConfig(t, dir), LeaderAddr: func() string { return fmt.Sprintf("node%d", l.leader) }})
	if err != nil {
		t.Fatalf("OpenReplica: %v", err)
	}
	return l.attachStore(t, id, s)
}

// attachStore makes s replica id and replays the entries after its
// applied marker.
func (l *syncLog) attachStore(t *testing.T, id int, s *LocalStore) *LocalStore {
	t.Helper()
	s.Attach(replicaHandle{l, id}, nil)
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.stores) <= id {
		l.stores = append(l.stores, nil)
	}
	for i := s.AppliedIndex(); i < uint64(len(l.entries)); i++ {
		if err := s.Apply(i+1, l.entries[i]); err != nil {
			t.Fatalf("replaying entry %d: %v", i+1, err)
		}
	}
	l.stores[id] = s
	return s
}

func (l *syncLog) detach(t *testing.T, id int) {
	l.mu.Lock()
	s := l.stores[id]
	l.stores[id] = nil
	l.mu.Unlock()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestReplicaCommitsApplyOnEveryReplica(t *testing.T) {
	ctx := context.Background()
	l := &syncLog{}
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for i, d := range dirs {
		l.attach(t, i, d)
	}
	defer func() {
		for i := range l.stores {
			if l.stores[i] != nil {
				l.detach(t, i)
			}
		}
	}()

	// Followers refuse transactions, naming the leader.
	_, err := l.stores[1].Begin(ctx, TxnOptions{})
	var nl *NotLeaderError
	if !errors.As(err, &nl) || nl.Leader != "node0" || !errors.Is(err, ErrNotLeader) {
		t.Fatalf("Begin on a follower: %v, want NotLeaderError naming node0", err)
	}

	txn := begin(t, l.stores[0], false)
	mustPut(t, txn, "a", "1")
	// A commit bigger than one chunk goes as several entries.
	big := bytes.Repeat([]byte("x"), 300<<10)
	for i := range 8 {
		if err := txn.Put(ctx, []byte(fmt.Sprintf("big%d", i)), big); err != nil {
			t.Fatal(err)
		}
	}
	if err := txn.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if n := len(l.entries); n < 2 {
		t.Fatalf("a 2.4 MB commit took %d log entries, want several chunks", n)
	}

	// A transaction open across a leadership change cannot commit.
	stale := begin(t, l.stores[0], false)
	mustPut(t, stale, "b", "stale")
	l.elect(1)
	if err := stale.Commit(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("Commit across a leadership change: %v, want ErrConflict", err)
	}

	// The new leader serves what the old one committed, and commits.
	txn = begin(t, l.stores[1], false)
	if v, ok := mustGet(t, txn, "a"); !ok || v != "1" {
		t.Fatalf("new leader reads a = %q, %v", v, ok)
	}
	if v, ok, _ := txn.Get(ctx, []byte("big7")); !ok || !bytes.Equal(v, big) {
		t.Fatalf("new leader lacks big7")
	}
	mustPut(t, txn, "b", "2")
	if err := txn.Commit(ctx); err != nil {
		t.Fatalf("Commit on the new leader: %v", err)
	}

	// A restarted replica re-applies the entries after its marker.
	l.detach(t, 2)
	l.attach(t, 2, dirs[2])
	l.elect(2)
	txn = begin(t, l.stores[2], true)
	if v, ok := mustGet(t, txn, "b"); !ok || v != "2" {
		t.Fatalf("restarted replica reads b = %q, %v", v, ok)
	}
	txn.Rollback()

	// A snapshot of one replica restores another from nothing.
	data, index, err := l.stores[1].Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := OpenReplica(ReplicaConfig{LocalConfig: testConfig(t, t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := fresh.Restore(data, index); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if fresh.AppliedIndex() != index {
		t.Fatalf("AppliedIndex after Restore = %d, want %d", fresh.AppliedIndex(), index)
	}
	fresh.Attach(replicaHandle{l, 3}, nil)
	l.mu.Lock()
	l.stores = append(l.stores, fresh)
	l.mu.Unlock()
	l.elect(3)
	txn = begin(t, fresh, true)
	if v, ok := mustGet(t, txn, "b"); !ok || v != "2" {
		t.Fatalf("restored replica reads b = %q, %v", v, ok)
	}
	txn.Rollback()
	l.mu.Lock()
	l.stores = l.stores[:3]
	l.mu.Unlock()
}

func TestReplicaDropsCommitWithoutFinalChunk(t *testing.T) {
	ctx := context.Background()
	l := &syncLog{}
	s := l.attach(t, 0, t.TempDir())
	defer l.detach(t, 0)
	// The first chunk of a two-chunk commit from a leader that lost
	// office, then a complete commit from the next one.
	buf := newWriteBuffer()
	buf.set([]byte("lost"), bytes.Repeat([]byte("y"), walChunkBytes), false, false)
	buf.set([]byte("lost2"), []byte("z"), false, false)
	var chunks [][]byte
	if err := encodeCommit(s.clock.Now(), buf, func(c []byte) error {
		chunks = append(chunks, append([]byte(nil), c...))
		return nil
	}); err != nil || len(chunks) != 2 {
		t.Fatalf("encode: %v, %d chunks", err, len(chunks))
	}
	l.entries = append(l.entries, chunks[0])
	if err := s.Apply(1, chunks[0]); err != nil {
		t.Fatal(err)
	}
	txn := begin(t, s, false)
	mustPut(t, txn, "kept", "1")
	if err := txn.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	txn = begin(t, s, true)
	defer txn.Rollback()
	if _, ok := mustGet(t, txn, "lost"); ok {
		t.Fatal("a commit without its final chunk was applied")
	}
	if v, ok := mustGet(t, txn, "kept"); !ok || v != "1" {
		t.Fatalf("kept = %q, %v", v, ok)
	}
}
