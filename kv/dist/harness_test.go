package dist

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// memLog is a replicated log for tests of the transaction protocol: a
// proposal on the leader commits at once and applies to every attached
// replica in order, under the log's lock. The Raft groups themselves
// are tested in cluster/multiraft, and everything together in server.
type memLog struct {
	mu       sync.Mutex
	entries  [][]byte
	replicas []*kv.LocalStore
	leader   int
}

type memLogHandle struct {
	l  *memLog
	id int
}

func (h memLogHandle) Propose(_ context.Context, data []byte) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.leader != h.id {
		return kv.ErrNotLeader
	}
	h.l.entries = append(h.l.entries, data)
	index := uint64(len(h.l.entries))
	for _, s := range h.l.replicas {
		if s != nil {
			if err := s.Apply(index, data); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h memLogHandle) ReadIndex(context.Context) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.leader != h.id {
		return kv.ErrNotLeader
	}
	return nil
}

// elect makes replica id the leader, as a new term would.
func (l *memLog) elect(id int) {
	l.mu.Lock()
	l.leader = id
	replicas := append([]*kv.LocalStore(nil), l.replicas...)
	l.mu.Unlock()
	for _, s := range replicas {
		if s != nil {
			s.LeaderChanged()
		}
	}
}

// attach makes s replica id of the log and replays the entries after its
// applied marker.
func (l *memLog) attach(t testing.TB, id int, s *kv.LocalStore) {
	t.Helper()
	s.Attach(memLogHandle{l, id}, nil)
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.replicas) <= id {
		l.replicas = append(l.replicas, nil)
	}
	for i := s.AppliedIndex(); i < uint64(len(l.entries)); i++ {
		if err := s.Apply(i+1, l.entries[i]); err != nil {
			t.Fatalf("replaying entry %d: %v", i+1, err)
		}
	}
	l.replicas[id] = s
}

func (l *memLog) detach(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.replicas[id] = nil
}

func (l *memLog) leaderStore() *kv.LocalStore {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.replicas[l.leader]
}

// cluster is n nodes (engines) holding every one of parts partitions,
// each partition a memLog with one replica per node; node 0 leads every
// partition at first. All nodes share one clock, as if perfectly
// synchronized.
type cluster struct {
	t       testing.TB
	clock   *kv.Clock
	engines []*kv.Engine
	dirs    []string
	logs    []*memLog
	db      *DB
}

func newCluster(t testing.TB, nodes, parts int) *cluster {
	t.Helper()
	c := &cluster{t: t, clock: kv.NewClock()}
	for range nodes {
		c.dirs = append(c.dirs, t.TempDir())
	}
	for range parts {
		c.logs = append(c.logs, &memLog{})
	}
	for n := range nodes {
		c.startNode(n)
	}
	db, err := New(Config{Partitions: c, Clock: c.clock})
	if err != nil {
		t.Fatal(err)
	}
	c.db = db
	t.Cleanup(func() {
		db.Close()
		for n := range c.engines {
			c.stopNode(n)
		}
	})
	return c
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// startNode opens node n's engine and its replica of every partition.
func (c *cluster) startNode(n int) {
	c.t.Helper()
	for len(c.engines) <= n {
		c.engines = append(c.engines, nil)
	}
	e, err := kv.OpenEngine(kv.EngineConfig{Dir: c.dirs[n], Logger: testLogger(c.t), NoSync: true, MemTableBytes: 8 << 20, BlockCacheBytes: 4 << 20})
	if err != nil {
		c.t.Fatal(err)
	}
	c.engines[n] = e
	for p, l := range c.logs {
		s, err := kv.OpenPartitionReplica(e, uint32(p), kv.ReplicaConfig{
			LocalConfig: kv.LocalConfig{Dir: c.dirs[n], Logger: testLogger(c.t), NoSync: true, MemTableBytes: 8 << 20},
			Clock:       c.clock,
		})
		if err != nil {
			c.t.Fatal(err)
		}
		l.attach(c.t, n, s)
	}
}

// stopNode closes node n's replicas and engine, as a crash would leave
// them apart from the final checkpoint.
func (c *cluster) stopNode(n int) {
	if c.engines[n] == nil {
		return
	}
	for _, l := range c.logs {
		l.mu.Lock()
		s := l.replicas[n]
		l.mu.Unlock()
		l.detach(n)
		if s != nil {
			if err := s.Close(); err != nil {
				c.t.Errorf("closing a replica: %v", err)
			}
		}
	}
	if err := c.engines[n].Close(); err != nil {
		c.t.Errorf("closing engine: %v", err)
	}
	c.engines[n] = nil
}

// Of implements Partitions: a hash of the whole key.
func (c *cluster) Of(key []byte) (uint32, error) { return c.of(key), nil }

func (c *cluster) of(key []byte) uint32 {
	h := fnv.New32a()
	h.Write(key)
	return h.Sum32() % uint32(len(c.logs))
}

// Spanning implements Partitions: any partition may hold any range.
func (c *cluster) Spanning(start, end []byte) []uint32 {
	out := make([]uint32, len(c.logs))
	for i := range out {
		out[i] = uint32(i)
	}
	return out
}

// Leaseholder implements Partitions.
func (c *cluster) Leaseholder(_ context.Context, p uint32) (Participant, error) {
	s := c.logs[p].leaderStore()
	if s == nil {
		return nil, kv.ErrUnavailable
	}
	return s, nil
}

func (c *cluster) store(p uint32) *kv.LocalStore { return c.logs[p].leaderStore() }

// keysIn returns n keys "<prefix>NN" that fall in distinct partitions
// when there are at least n partitions, so that a transaction over them
// spans several.
func (c *cluster) keysIn(prefix string, n int) []string {
	var out []string
	seen := map[uint32]bool{}
	for i := 0; len(out) < n; i++ {
		k := fmt.Sprintf("%s%02d", prefix, i)
		p := c.of([]byte(k))
		if seen[p] && len(seen) < len(c.logs) {
			continue
		}
		seen[p] = true
		out = append(out, k)
	}
	return out
}
