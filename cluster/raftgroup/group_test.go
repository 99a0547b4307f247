package raftgroup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/raftgroup/raftgrouppb"
)

// kvSM is a key/value state machine whose state survives a group restart
// when the test hands the same value to Open again (it plays the part of
// a durable store).
type kvSM struct {
	mu       sync.Mutex
	data     map[string]string
	applied  uint64
	order    []string // data of every entry applied since the last Restore
	restores int
	onApply  func(data string) // called under mu, if set
}

func newKV() *kvSM { return &kvSM{data: map[string]string{}} }

func (s *kvSM) Apply(index uint64, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, v, ok := strings.Cut(string(data), "=")
	if !ok {
		return fmt.Errorf("bad entry %q", data)
	}
	s.data[k] = v
	s.applied = index
	s.order = append(s.order, string(data))
	if s.onApply != nil {
		s.onApply(string(data))
	}
	return nil
}

func (s *kvSM) AppliedIndex() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

type kvSnapshot struct {
	Data    map[string]string
	Applied uint64
}

func (s *kvSM) Snapshot() ([]byte, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := json.Marshal(kvSnapshot{Data: s.data, Applied: s.applied})
	return b, s.applied, err
}

func (s *kvSM) Restore(data []byte, index uint64) error {
	var snap kvSnapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data, s.applied, s.order = snap.Data, index, nil
	s.restores++
	return nil
}

func (s *kvSM) state() (map[string]string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps(s.data), slices.Clone(s.order)
}

func maps(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

var testFingerprint = peerlink.Fingerprint{Nodes: []string{"n1", "n2", "n3"}, ReplicationFactor: 3, Partitions: 1, Version: "test"}

type testNode struct {
	id  uint64
	dir string
	tr  *Transport
	srv *grpc.Server
	sm  *kvSM
	g   *Group // nil while stopped

	seenLeader atomic.Uint64 // last leader reported through OnLeaderChange
	refuse     atomic.Bool   // AcceptEntries refuses (a follower whose disk is full)
}

type testCluster struct {
	t     testing.TB
	peers map[uint64]string
	nodes map[uint64]*testNode
	slack uint64
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestCluster(t testing.TB, n int, slack uint64) *testCluster {
	t.Helper()
	c := &testCluster{t: t, peers: map[uint64]string{}, nodes: map[uint64]*testNode{}, slack: slack}
	listeners := map[uint64]net.Listener{}
	for id := uint64(1); id <= uint64(n); id++ {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		listeners[id] = lis
		c.peers[id] = lis.Addr().String()
	}
	for id, lis := range listeners {
		nd := &testNode{id: id, dir: t.TempDir(), srv: grpc.NewServer()}
		nd.tr = NewTransport(id, testFingerprint, quietLogger())
		nd.tr.Register(nd.srv)
		go nd.srv.Serve(lis)
		c.nodes[id] = nd
	}
	t.Cleanup(func() {
		for _, nd := range c.nodes {
			if nd.g != nil {
				nd.g.Close()
			}
			nd.srv.Stop()
			nd.tr.Close()
		}
	})
	for id := range c.nodes {
		c.start(id, newKV())
	}
	return c
}

// start opens node id's group from its directory with sm.
func (c *testCluster) start(id uint64, sm *kvSM) {
	c.t.Helper()
	nd := c.nodes[id]
	nd.sm = sm
	g, err := Open(Config{
		ID: id, Peers: c.peers, Dir: nd.dir, SM: sm, Transport: nd.tr, Logger: quietLogger(),
		TickInterval: 10 * time.Millisecond, ElectionTicks: 10, HeartbeatTicks: 1,
		CompactionSlack: c.slack,
		OnLeaderChange:  func(leader, term uint64) { nd.seenLeader.Store(leader) },
		AcceptEntries: func() error {
			if nd.refuse.Load() {
				return errTestDiskFull
			}
			return nil
		},
	})
	if err != nil {
		c.t.Fatalf("opening node %d: %v", id, err)
	}
	nd.g = g
}

var errTestDiskFull = errors.New("test: disk full")

func (c *testCluster) stop(id uint64) {
	c.t.Helper()
	if err := c.nodes[id].g.Close(); err != nil {
		c.t.Fatalf("closing node %d: %v", id, err)
	}
	c.nodes[id].g = nil
}

// leader waits until every running node knows the same leader.
func (c *testCluster) leader() *testNode {
	c.t.Helper()
	var found *testNode
	waitFor(c.t, "a leader known to every running node", func() bool {
		found = nil
		var lead uint64
		for _, nd := range c.nodes {
			if nd.g == nil {
				continue
			}
			l := nd.g.Leader()
			if l == 0 || (lead != 0 && l != lead) {
				return false
			}
			lead = l
		}
		if nd := c.nodes[lead]; nd != nil && nd.g != nil && nd.g.IsLeader() {
			found = nd
		}
		return found != nil
	})
	return found
}

func (c *testCluster) followers(lead *testNode) []*testNode {
	var fs []*testNode
	for _, nd := range c.nodes {
		if nd != lead && nd.g != nil {
			fs = append(fs, nd)
		}
	}
	return fs
}

// propose proposes key=value entries k0..k(n-1) with the given prefix.
func propose(t testing.TB, g *Group, prefix string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range n {
		if err := g.Propose(ctx, fmt.Appendf(nil, "%s%d=v%d", prefix, i, i)); err != nil {
			t.Fatalf("propose %s%d: %v", prefix, i, err)
		}
	}
}

// converged waits until want has applied key and every running node has
// the same state.
func (c *testCluster) converged(want *testNode, key string) {
	c.t.Helper()
	waitFor(c.t, "every running node has the leader's state", func() bool {
		ref, _ := want.sm.state()
		if _, ok := ref[key]; !ok {
			return false
		}
		for _, nd := range c.nodes {
			if nd.g == nil {
				continue
			}
			got, _ := nd.sm.state()
			if fmt.Sprint(got) != fmt.Sprint(ref) {
				return false
			}
		}
		return true
	})
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReplicationOrderAndLeaderOnlyCalls(t *testing.T) {
	c := newTestCluster(t, 3, 0)
	lead := c.leader()
	propose(t, lead.g, "k", 50)
	waitFor(t, "50 entries applied everywhere", func() bool {
		for _, nd := range c.nodes {
			if _, order := nd.sm.state(); len(order) != 50 {
				return false
			}
		}
		return true
	})
	_, want := lead.sm.state()
	for _, nd := range c.nodes {
		if _, got := nd.sm.state(); !slices.Equal(got, want) {
			t.Errorf("node %d applied %v, leader %v", nd.id, got, want)
		}
	}

	ctx := context.Background()
	for _, f := range c.followers(lead) {
		if err := f.g.Propose(ctx, []byte("x=1")); !errors.Is(err, ErrNotLeader) {
			t.Errorf("Propose on follower %d: %v, want ErrNotLeader", f.id, err)
		}
		if err := f.g.ReadIndex(ctx); !errors.Is(err, ErrNotLeader) {
			t.Errorf("ReadIndex on follower %d: %v, want ErrNotLeader", f.id, err)
		}
	}

	// Concurrent readers share read-index requests; each returns only
	// once what was committed before it is applied on the leader.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := lead.g.ReadIndex(rctx); err != nil {
				errs <- err
				return
			}
			if got, _ := lead.sm.state(); got["k49"] != "v49" {
				errs <- fmt.Errorf("read barrier returned before k49 was applied")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("ReadIndex on leader: %v", err)
	}
}

func TestFailoverAndRestartCatchUp(t *testing.T) {
	c := newTestCluster(t, 3, 0)
	old := c.leader()
	propose(t, old.g, "a", 10)
	c.converged(old, "a9")

	c.stop(old.id)
	lead := c.leader()
	if lead.id == old.id {
		t.Fatalf("stopped node %d still leads", old.id)
	}
	if lead.g.Term() <= 1 {
		t.Errorf("new leader's term %d, want > 1", lead.g.Term())
	}
	propose(t, lead.g, "b", 10)
	c.converged(lead, "b9")

	// The restarted node starts from an empty state machine: its own log
	// (replayed from disk) and the leader's appends rebuild the state.
	c.start(old.id, newKV())
	c.converged(lead, "b9")
	_, want := lead.sm.state()
	if _, got := c.nodes[old.id].sm.state(); !slices.Equal(got, want) {
		t.Errorf("restarted node applied %v, leader %v", got, want)
	}
	for _, nd := range c.nodes {
		if got := nd.seenLeader.Load(); got != lead.id {
			t.Errorf("node %d: OnLeaderChange last reported leader %d, want %d", nd.id, got, lead.id)
		}
	}

	g := old.g
	c.stop(old.id)
	if err := g.Propose(context.Background(), []byte("x=1")); !errors.Is(err, ErrClosed) {
		t.Errorf("Propose after Close: %v, want ErrClosed", err)
	}
	if err := g.ReadIndex(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("ReadIndex after Close: %v, want ErrClosed", err)
	}
}

func TestSnapshotCatchUpAfterCompaction(t *testing.T) {
	c := newTestCluster(t, 3, 5)
	lead := c.leader()
	propose(t, lead.g, "a", 5)
	c.converged(lead, "a4")

	lagging := c.followers(lead)[0]
	sm := lagging.sm
	behind := sm.AppliedIndex()
	c.stop(lagging.id)

	propose(t, lead.g, "b", 100)
	c.converged(lead, "b99")
	for _, nd := range c.nodes {
		if nd.g != nil {
			nd.g.Compact(nd.sm.AppliedIndex())
		}
	}
	waitFor(t, "the leader's log compacted past the stopped follower", func() bool {
		first, _ := lead.g.mem.FirstIndex()
		return first > behind+10
	})

	// The follower keeps its (durable) state machine at its old index.
	c.start(lagging.id, sm)
	c.converged(lead, "b99")
	if sm.restores == 0 {
		t.Fatal("the lagging follower caught up without a snapshot")
	}

	// Its log now starts at the snapshot: it must survive another restart
	// and keep following.
	c.stop(lagging.id)
	c.start(lagging.id, sm)
	propose(t, lead.g, "c", 10)
	c.converged(lead, "c9")
	if got, _ := sm.state(); got["c9"] != "v9" || got["a0"] != "v0" || got["b99"] != "v99" {
		t.Errorf("lagging follower's state after restarts: %v", got)
	}
}

func TestLeaderChangeCallbackAndTransfer(t *testing.T) {
	c := newTestCluster(t, 3, 0)
	lead := c.leader()
	to := c.followers(lead)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := lead.g.TransferLeadership(ctx, to.id); err != nil {
		t.Fatalf("transfer to %d: %v", to.id, err)
	}
	if got := c.leader(); got.id != to.id {
		t.Fatalf("leader %d after transfer to %d", got.id, to.id)
	}
	propose(t, to.g, "t", 3)
	c.converged(to, "t2")
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestFingerprintMismatchRefused(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var recvLog syncBuffer
	tr := NewTransport(1, testFingerprint, slog.New(slog.NewTextHandler(&recvLog, nil)))
	srv := grpc.NewServer()
	tr.Register(srv)
	go srv.Serve(lis)
	defer func() { srv.Stop(); tr.Close() }()

	// A peer configured with another replication factor: its sender logs
	// the refusal at Error, the receiver logs it too.
	other := testFingerprint
	other.ReplicationFactor = 2
	var sendLog syncBuffer
	tr2 := NewTransport(2, other, slog.New(slog.NewTextHandler(&sendLog, nil)))
	defer tr2.Close()
	g, err := Open(Config{
		ID: 2, Peers: map[uint64]string{1: lis.Addr().String(), 2: "127.0.0.1:1"}, Dir: t.TempDir(),
		SM: newKV(), Transport: tr2, Logger: quietLogger(), TickInterval: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	const want = "cluster.replication_factor differs: 3 here, 2 on node 2"
	waitFor(t, "the refusal logged on both sides", func() bool {
		return strings.Contains(sendLog.String(), want) && strings.Contains(sendLog.String(), "level=ERROR") &&
			strings.Contains(recvLog.String(), want)
	})

	// The refusal as a raw client sees it.
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	other.Nodes = []string{"n1", "n2"}
	st, err := raftgrouppb.NewRaftClient(conn).Send(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Send(&raftgrouppb.Batch{Header: header(other, 3, 1)}); err != nil {
		t.Fatal(err)
	}
	_, err = st.CloseAndRecv()
	if err == nil || !strings.Contains(err.Error(), "cluster.nodes differs: [n1 n2 n3] here, [n1 n2] on node 3") {
		t.Fatalf("mismatched nodes: %v", err)
	}
}

func TestSingleVoterGroup(t *testing.T) {
	c := newTestCluster(t, 1, 0)
	lead := c.leader()
	propose(t, lead.g, "s", 5)
	c.converged(lead, "s4")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := lead.g.ReadIndex(ctx); err != nil {
		t.Fatalf("ReadIndex on a single voter: %v", err)
	}
	c.stop(lead.id)
	c.start(lead.id, newKV())
	c.converged(c.leader(), "s4")
}
