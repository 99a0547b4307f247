package replication

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster/replication/replicationpb"
)

// memMembership is an in-memory heartbeat table: the real Membership
// interface, fed by the test instead of cluster_node_heartbeat.
type memMembership struct {
	mu    sync.Mutex
	peers map[int]Peer
}

func newMemMembership() *memMembership { return &memMembership{peers: make(map[int]Peer)} }

func (m *memMembership) ActivePeers(context.Context) ([]Peer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Peer, 0, len(m.peers))
	for _, p := range m.peers {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (m *memMembership) set(id int, addr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.peers[id] = Peer{ID: id, Address: addr, LastHeartbeat: time.Now()}
}

func (m *memMembership) remove(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.peers, id)
}

// recorder is a Handler recording what it applied.
type recorder struct {
	mu      sync.Mutex
	events  []Event
	count   map[string]int // "origin/queue/seq" → times applied
	delay   time.Duration  // per event
	applyFn func(ctx context.Context, ev Event) error
	// countOnly makes Apply only count (benchmarks).
	countOnly bool
	applied   atomic.Int64
}

func newRecorder() *recorder { return &recorder{count: make(map[string]int)} }

func (r *recorder) Apply(ctx context.Context, ev Event) error {
	if r.applyFn != nil {
		if err := r.applyFn(ctx, ev); err != nil {
			return err
		}
	}
	if r.delay > 0 {
		time.Sleep(r.delay)
	}
	r.applied.Add(1)
	if r.countOnly {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	r.count[fmt.Sprintf("%d/%s/%d", ev.Origin, ev.Queue, ev.Seq)]++
	return nil
}

func (r *recorder) snapshot() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// node is one in-process quorumdb node as far as replication goes: a
// Manager and its Receiver on a real gRPC server on loopback.
type node struct {
	t       testing.TB
	id      int
	dir     string
	addr    string
	members *memMembership
	rec     *recorder
	cfg     Config
	srv     *grpc.Server
	srvDone chan struct{}
	mgr     *Manager
}

// testConfig has short intervals so that tests run in milliseconds.
func testConfig(id int, dir string) Config {
	return Config{
		NodeID: id, BufferDirectory: dir,
		MembershipPoll: 10 * time.Millisecond,
		Backoff:        Backoff{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond, Multiplier: 2, Jitter: 0.2},
		Logger:         slog.New(slog.NewTextHandler(discard{}, nil)),
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// newNode creates a node listening on a fresh loopback port and lists it
// in members. It is not started.
func newNode(t testing.TB, id int, members *memMembership, mod func(*Config)) *node {
	t.Helper()
	n := &node{t: t, id: id, dir: t.TempDir(), members: members, rec: newRecorder()}
	n.cfg = testConfig(id, n.dir)
	if mod != nil {
		mod(&n.cfg)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n.addr = lis.Addr().String()
	n.start(lis)
	t.Cleanup(n.stop)
	return n
}

// start opens the Manager on n.dir, serves its Receiver and starts it.
func (n *node) start(lis net.Listener) {
	n.t.Helper()
	if lis == nil {
		var err error
		// Reuse the address so peers reach the node again.
		for i := 0; i < 100; i++ {
			if lis, err = net.Listen("tcp", n.addr); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			n.t.Fatal(err)
		}
	}
	h := NewHandlers()
	for _, k := range []string{"descriptor", "role", "setting", "plan"} {
		h.Register(k, n.rec)
	}
	mgr, err := New(n.cfg, n.members, h)
	if err != nil {
		n.t.Fatal(err)
	}
	n.mgr = mgr
	n.srv = grpc.NewServer()
	mgr.Receiver().Register(n.srv)
	n.srvDone = make(chan struct{})
	go func(srv *grpc.Server, done chan struct{}) {
		defer close(done)
		_ = srv.Serve(lis)
	}(n.srv, n.srvDone)
	if err := mgr.Start(context.Background()); err != nil {
		n.t.Fatal(err)
	}
	n.members.set(n.id, n.addr)
}

// stop closes the node: gRPC server first (so peers see it down), then
// the Manager. It stays listed in members unless the test removes it.
func (n *node) stop() {
	if n.mgr == nil {
		return
	}
	n.srv.Stop()
	<-n.srvDone
	if err := n.mgr.Close(); err != nil {
		n.t.Errorf("node %d close: %v", n.id, err)
	}
	n.mgr = nil
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitingTowards sums Waiting of n's queues towards peer.
func waitingTowards(n *node, peer int) (total uint64) {
	for _, s := range n.mgr.Stats() {
		if s.Peer == peer {
			total += s.Waiting
		}
	}
	return total
}

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// batchOf builds a wire batch for driving the receiver directly.
func batchOf(origin, target int, queue string, inc uint64, evs []Event) *replicationpb.Batch {
	b := &replicationpb.Batch{Origin: int64(origin), Target: int64(target), Queue: queue, Incarnation: inc}
	for i := range evs {
		b.Events = append(b.Events, evs[i].toProto())
	}
	return b
}
