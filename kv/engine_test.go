package kv

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func openTestEngine(t *testing.T, dir string) *Engine {
	t.Helper()
	cfg := testConfig(t, dir)
	e, err := OpenEngine(EngineConfig{Dir: dir, Logger: cfg.Logger, NoSync: true, MemTableBytes: cfg.MemTableBytes, BlockCacheBytes: cfg.BlockCacheBytes})
	if err != nil {
		t.Fatalf("OpenEngine: %v", err)
	}
	return e
}

func openPartition(t *testing.T, e *Engine, dir string, p uint32, clock *Clock) *LocalStore {
	t.Helper()
	s, err := OpenPartitionReplica(e, p, ReplicaConfig{LocalConfig: testConfig(t, dir), Clock: clock})
	if err != nil {
		t.Fatalf("OpenPartitionReplica(%d): %v", p, err)
	}
	return s
}

// contents scans the whole store, forward or backward, as "k=v" pairs.
func contents(t *testing.T, s *LocalStore, reverse bool) string {
	t.Helper()
	txn := begin(t, s, true)
	defer txn.Rollback()
	kvs, err := txn.Scan(context.Background(), nil, nil, 0, reverse)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	var out []string
	for _, kv := range kvs {
		out = append(out, fmt.Sprintf("%s=%s", kv.Key, kv.Value))
	}
	return strings.Join(out, " ")
}

// TestPartitionsShareAnEngine: the replicas of two partitions on one
// badger keep their keys apart through writes, scans in both directions,
// range deletes, snapshots and restarts.
func TestPartitionsShareAnEngine(t *testing.T) {
	ctx := context.Background()
	pp := twoPartitions(t)
	dirA, engA, l1, l2, p1, p2 := pp.dir, pp.eng, pp.l1, pp.l2, pp.p1, pp.p2
	if p1.Clock() != p2.Clock() {
		t.Fatal("the partitions of a node do not share its clock")
	}
	if _, err := OpenPartitionReplica(engA, 1, ReplicaConfig{LocalConfig: testConfig(t, dirA)}); err == nil {
		t.Fatal("a second store for partition 1 opened on the same engine")
	}

	write := func(s *LocalStore, kv ...string) {
		t.Helper()
		txn := begin(t, s, false)
		for i := 0; i < len(kv); i += 2 {
			mustPut(t, txn, kv[i], kv[i+1])
		}
		if err := txn.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	write(p1, "a", "p1a", "b", "p1b", "c", "p1c")
	write(p2, "a", "p2a", "b", "p2b", "d", "p2d")
	check := func(s *LocalStore, want string) {
		t.Helper()
		if got := contents(t, s, false); got != want {
			t.Fatalf("forward scan = %q, want %q", got, want)
		}
		fields := strings.Fields(want)
		for i, j := 0, len(fields)-1; i < j; i, j = i+1, j-1 {
			fields[i], fields[j] = fields[j], fields[i]
		}
		if got := contents(t, s, true); got != strings.Join(fields, " ") {
			t.Fatalf("reverse scan = %q, want %q", got, strings.Join(fields, " "))
		}
	}
	check(p1, "a=p1a b=p1b c=p1c")
	check(p2, "a=p2a b=p2b d=p2d")
	txn := begin(t, p2, true)
	if _, ok := mustGet(t, txn, "c"); ok {
		t.Fatal("partition 2 reads partition 1's key c")
	}
	txn.Rollback()

	// A range delete over the whole keyspace of one partition.
	txn = begin(t, p1, false)
	if err := txn.DeleteRange(ctx, []byte{0x01}, nil); err != nil {
		t.Fatal(err)
	}
	mustPut(t, txn, "z", "p1z")
	if err := txn.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	check(p1, "z=p1z")
	check(p2, "a=p2a b=p2b d=p2d")

	// A snapshot of partition 2 restores partition 2 on another engine
	// and leaves that engine's partition 1 alone.
	data, index, err := p2.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	dirB := t.TempDir()
	engB := openTestEngine(t, dirB)
	l3 := &syncLog{}
	b1 := l3.attachStore(t, 0, openPartition(t, engB, dirB, 1, nil))
	write(b1, "q", "b1q")
	b2 := openPartition(t, engB, dirB, 2, nil)
	if err := b1.ValidateSnapshot(data, index); err == nil {
		t.Fatal("partition 1 accepted a snapshot of partition 2")
	}
	if err := b2.Restore(data, index); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	l4 := &syncLog{entries: make([][]byte, index)} // entries through index are compacted away
	l4.attachStore(t, 0, b2)
	check(b2, "a=p2a b=p2b d=p2d")
	check(b1, "q=b1q")
	for _, s := range []*LocalStore{b1, b2} {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := engB.Close(); err != nil {
		t.Fatal(err)
	}

	// A restart: each partition finds its own marker and contents.
	for _, s := range []*LocalStore{p1, p2} {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := engA.Close(); err != nil {
		t.Fatal(err)
	}
	engA = openTestEngine(t, dirA)
	defer engA.Close()
	l1.stores, l2.stores = nil, nil
	p1 = l1.attachStore(t, 0, openPartition(t, engA, dirA, 1, nil))
	defer p1.Close()
	p2 = l2.attachStore(t, 0, openPartition(t, engA, dirA, 2, nil))
	defer p2.Close()
	if p1.AppliedIndex() != uint64(len(l1.entries)) || p2.AppliedIndex() != uint64(len(l2.entries)) {
		t.Fatalf("applied markers after restart: %d, %d; want %d, %d", p1.AppliedIndex(), p2.AppliedIndex(), len(l1.entries), len(l2.entries))
	}
	check(p1, "z=p1z")
	check(p2, "a=p2a b=p2b d=p2d")
}

// TestRestoreWhileAnotherPartitionWrites: a partition restoring a
// snapshot (badger's DropPrefix, which refuses every write to the engine
// while it runs) must not fail the commits another partition of the
// node applies meanwhile. It did: the other partition's store stopped
// ("Writes are blocked"), and with it the node's Raft groups, when a
// returning node caught up several partitions by snapshot at once.
func TestRestoreWhileAnotherPartitionWrites(t *testing.T) {
	ctx := context.Background()
	pp := twoPartitions(t)
	p1, p2 := pp.p1, pp.p2
	for i := range 200 {
		txn := begin(t, p1, false)
		mustPut(t, txn, fmt.Sprintf("k%03d", i), "v")
		if err := txn.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	data, index, err := p1.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	restored := make(chan error, 1)
	go func() {
		defer close(restored)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := p1.Restore(data, index); err != nil {
				restored <- err
				return
			}
		}
	}()
	for i := range 300 {
		txn := begin(t, p2, false)
		mustPut(t, txn, fmt.Sprintf("w%03d", i), "v")
		if err := txn.Commit(ctx); err != nil {
			close(stop)
			t.Fatalf("commit %d in partition 2 while partition 1 restores: %v", i, err)
		}
	}
	close(stop)
	if err := <-restored; err != nil {
		t.Fatalf("Restore: %v", err)
	}
}

// partitionPair is an engine in a fresh directory with replicas of
// partitions 1 and 2 on it, each the leader of its own log.
type partitionPair struct {
	dir    string
	eng    *Engine
	l1, l2 *syncLog
	p1, p2 *LocalStore
}

func twoPartitions(t *testing.T) partitionPair {
	t.Helper()
	pp := partitionPair{dir: t.TempDir(), l1: &syncLog{}, l2: &syncLog{}}
	pp.eng = openTestEngine(t, pp.dir)
	clock := NewClock() // one per node, shared by its partitions
	pp.p1 = pp.l1.attachStore(t, 0, openPartition(t, pp.eng, pp.dir, 1, clock))
	pp.p2 = pp.l2.attachStore(t, 0, openPartition(t, pp.eng, pp.dir, 2, clock))
	return pp
}
