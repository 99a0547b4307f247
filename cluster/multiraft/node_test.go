package multiraft

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/raftlog"
)

// kvSM is a test state machine: the list of applied proposals. It
// outlives its node across restarts, as a durable state machine would.
type kvSM struct {
	mu       sync.Mutex
	applied  uint64
	values   []string
	restores int
}

func (s *kvSM) Apply(index uint64, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = append(s.values, string(data))
	s.applied = index
	return nil
}

func (s *kvSM) AppliedIndex() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

func (s *kvSM) Snapshot() ([]byte, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []byte(strings.Join(s.values, ",")), s.applied, nil
}

func (s *kvSM) Restore(data []byte, index uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = nil
	if len(data) > 0 {
		s.values = strings.Split(string(data), ",")
	}
	s.applied = index
	s.restores++
	return nil
}

func (s *kvSM) restored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restores
}

func (s *kvSM) get() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.values)
}

// testNode is one node of a real cluster over loopback gRPC.
type testNode struct {
	id        uint64
	addr      string
	dir       string
	sms       map[uint64]*kvSM
	lis       net.Listener
	srv       *grpc.Server
	transport *Transport
	store     *raftlog.Store
	node      *Node
	refuse    atomic.Bool // AcceptEntries refuses while set (a full disk)
	// slow is how long AcceptEntries takes per batch of entries, on the
	// loop (a slow disk); zero normally.
	slow atomic.Int64
}

type testCluster struct {
	t      testing.TB
	nodes  map[uint64]*testNode
	ids    []uint64
	groups []uint64
	voters map[uint64][]uint64
	peers  map[uint64]string
	// preferred: each group prefers its first node in rotation as leader.
	preferred bool
}

// newTestCluster starts n nodes replicating groups groups, each on rf
// nodes (rotating), on loopback ports.
func newTestCluster(t testing.TB, n, groups, rf int) *testCluster {
	return newTestClusterPreferred(t, n, groups, rf, false)
}

// newTestClusterPreferred is newTestCluster, with preferred leaders
// when preferred.
func newTestClusterPreferred(t testing.TB, n, groups, rf int, preferred bool) *testCluster {
	c := &testCluster{t: t, nodes: map[uint64]*testNode{}, voters: map[uint64][]uint64{}, peers: map[uint64]string{}, preferred: preferred}
	for i := 1; i <= n; i++ {
		id := uint64(i)
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		c.ids = append(c.ids, id)
		c.peers[id] = lis.Addr().String()
		c.nodes[id] = &testNode{id: id, addr: lis.Addr().String(), dir: t.TempDir(), sms: map[uint64]*kvSM{}, lis: lis}
	}
	for g := 1; g <= groups; g++ {
		var vs []uint64
		for i := 0; i < rf; i++ {
			vs = append(vs, uint64((g-1+i)%n+1))
		}
		slices.Sort(vs)
		c.voters[uint64(g)] = vs
		c.groups = append(c.groups, uint64(g))
		for _, v := range vs {
			c.nodes[v].sms[uint64(g)] = &kvSM{}
		}
	}
	for _, id := range c.ids {
		c.start(c.nodes[id])
	}
	t.Cleanup(func() {
		for _, id := range c.ids {
			c.stop(c.nodes[id])
		}
	})
	return c
}

var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

func (c *testCluster) start(tn *testNode) {
	t := c.t
	if tn.lis == nil {
		lis, err := net.Listen("tcp", tn.addr)
		if err != nil {
			t.Fatal(err)
		}
		tn.lis = lis
	}
	store, err := raftlog.Open(tn.dir, testLogger)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTransport(tn.id, c.peers, peerlink.Fingerprint{Nodes: []string{"a", "b", "c"}, Version: "test"}, testLogger)
	if err != nil {
		t.Fatal(err)
	}
	var specs []GroupSpec
	for _, g := range c.groups {
		if sm := tn.sms[g]; sm != nil {
			spec := GroupSpec{ID: g, Voters: c.voters[g], SM: sm}
			if c.preferred {
				spec.Preferred = c.preferredOf(g)
			}
			specs = append(specs, spec)
		}
	}
	node, err := Start(NodeConfig{ID: tn.id, Store: store, Transport: tr, Groups: specs, Logger: testLogger,
		TickInterval: 50 * time.Millisecond, CompactionSlack: 5,
		AcceptEntries: func() error {
			if tn.refuse.Load() {
				return errors.New("disk full (test)")
			}
			time.Sleep(time.Duration(tn.slow.Load()))
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	tr.Register(srv)
	go srv.Serve(tn.lis) //nolint:errcheck // ends with Stop
	tn.srv, tn.transport, tn.store, tn.node = srv, tr, store, node
}

func (c *testCluster) stop(tn *testNode) {
	if tn.node == nil {
		return
	}
	tn.srv.Stop()
	tn.node.Close()
	tn.transport.Close()
	if err := tn.store.Close(); err != nil {
		c.t.Error(err)
	}
	tn.node, tn.lis = nil, nil
}

// preferredOf is group g's first node in rotation.
func (c *testCluster) preferredOf(g uint64) uint64 { return (g-1)%uint64(len(c.ids)) + 1 }

// ledByPreferred says whether every group is led, under a lease, by its
// preferred node.
func (c *testCluster) ledByPreferred() error {
	for _, g := range c.groups {
		if l := c.leader(g); l == nil || l.id != c.preferredOf(g) {
			return fmt.Errorf("group %d is not led by its preferred node %d", g, c.preferredOf(g))
		}
	}
	return nil
}

// eventually retries f until it returns nil or the deadline passes.
func eventually(t testing.TB, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leader returns the running node whose lease covers the group, or nil.
func (c *testCluster) leader(g uint64) *testNode {
	for _, id := range c.voters[g] {
		if tn := c.nodes[id]; tn.node != nil && tn.node.LeaseValid(g) {
			return tn
		}
	}
	return nil
}

func (c *testCluster) allLed() error {
	for _, g := range c.groups {
		if c.leader(g) == nil {
			return fmt.Errorf("group %d has no leader holding a lease", g)
		}
	}
	return nil
}

// propose writes v in group g through its leader and waits until every
// running replica applied it.
func (c *testCluster) propose(g uint64, v string) {
	t := c.t
	t.Helper()
	eventually(t, 10*time.Second, func() error {
		l := c.leader(g)
		if l == nil {
			return fmt.Errorf("group %d: no leader", g)
		}
		return l.node.Propose(context.Background(), g, []byte(v))
	})
	eventually(t, 10*time.Second, func() error {
		for _, id := range c.voters[g] {
			if tn := c.nodes[id]; tn.node != nil && !slices.Contains(tn.sms[g].get(), v) {
				return fmt.Errorf("group %d: node %d has not applied %q", g, id, v)
			}
		}
		return nil
	})
}

// TestNodesReplicateManyGroups runs 64 groups on three real nodes: every
// group elects a leader, replicates a write to all its replicas, serves
// reads under its lease, and once idle sends no raft message at all,
// only beats.
func TestNodesReplicateManyGroups(t *testing.T) {
	c := newTestCluster(t, 3, 64, 3)
	eventually(t, 20*time.Second, c.allLed)
	for _, g := range c.groups {
		c.propose(g, fmt.Sprintf("v%d", g))
	}
	for _, g := range c.groups {
		if err := c.leader(g).node.ReadIndex(context.Background(), g); err != nil {
			t.Fatalf("group %d: read: %v", g, err)
		}
	}
	// Idle: after the groups quiesce, a second passes without a raft
	// message (heartbeats included) leaving any node.
	var before [3]uint64
	eventually(t, 10*time.Second, func() error {
		for i, id := range c.ids {
			before[i] = c.nodes[id].transport.Stats().RaftMessages
		}
		time.Sleep(time.Second)
		for i, id := range c.ids {
			if after := c.nodes[id].transport.Stats().RaftMessages; after != before[i] {
				return fmt.Errorf("node %d sent %d raft messages in an idle second", id, after-before[i])
			}
		}
		return nil
	})
	if err := c.allLed(); err != nil {
		t.Fatalf("quiesced: %v", err)
	}
}

// TestNodeKilledAndRestarted stops a node (its groups' leaders among
// them): the others elect leaders for every group and keep writing; the
// node restarts from its store and catches up, by snapshot where the
// others compacted their logs past it.
func TestNodeKilledAndRestarted(t *testing.T) {
	c := newTestCluster(t, 3, 8, 3)
	eventually(t, 20*time.Second, c.allLed)
	for _, g := range c.groups {
		c.propose(g, "before")
	}
	victim := c.nodes[1]
	c.stop(victim)
	eventually(t, 20*time.Second, c.allLed)
	for i := 0; i < 20; i++ {
		for _, g := range c.groups {
			c.propose(g, fmt.Sprintf("during-%d", i))
		}
	}
	for _, g := range c.groups {
		for _, id := range c.voters[g] {
			if tn := c.nodes[id]; tn.node != nil {
				tn.node.Compact(g, tn.node.AppliedIndex(g))
			}
		}
	}
	c.start(victim)
	c.propose(1, "after")
	eventually(t, 20*time.Second, func() error {
		if c.nodes[2].transport.Stats().Snapshots+c.nodes[3].transport.Stats().Snapshots == 0 {
			return fmt.Errorf("no snapshot sent to the restarted node")
		}
		return nil
	})
	for _, g := range c.groups {
		want := c.nodes[2].sms[g].get()
		eventually(t, 20*time.Second, func() error {
			if got := victim.sms[g].get(); !slices.Equal(got, want) && !slices.Equal(got, c.nodes[2].sms[g].get()) {
				return fmt.Errorf("group %d: restarted node has %d values, others %d", g, len(got), len(want))
			}
			return nil
		})
	}
}

// TestFollowerRefusingEntries: a follower whose AcceptEntries refuses
// (its disk is full) keeps running while the other two commit, takes
// nothing new, and catches up by itself once it accepts again — by
// appends, and by a snapshot when the log was compacted past it
// meanwhile (the snapshot is refused while it refuses).
func TestFollowerRefusingEntries(t *testing.T) {
	c := newTestCluster(t, 3, 1, 3)
	eventually(t, 20*time.Second, c.allLed)
	c.propose(1, "a")
	lead := c.leader(1)
	var full *testNode
	for _, id := range c.ids {
		if c.nodes[id] != lead {
			full = c.nodes[id]
			break
		}
	}
	full.refuse.Store(true)
	for i := 0; i < 20; i++ {
		if err := lead.node.Propose(context.Background(), 1, []byte(fmt.Sprintf("b%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, func() error {
		for _, id := range c.ids {
			if tn := c.nodes[id]; tn != full && !slices.Contains(tn.sms[1].get(), "b19") {
				return fmt.Errorf("node %d has not applied b19", id)
			}
		}
		return nil
	})
	time.Sleep(200 * time.Millisecond)
	if slices.Contains(full.sms[1].get(), "b0") {
		t.Fatal("the refusing follower applied new entries")
	}
	if err := full.node.Err(); err != nil {
		t.Fatalf("the refusing follower stopped: %v", err)
	}
	if c.leader(1) != lead {
		t.Fatal("leadership moved while a follower refused appends")
	}
	full.refuse.Store(false)
	c.propose(1, "b-done")

	// Past the compacted log: the snapshot is refused too, then taken.
	full.refuse.Store(true)
	for i := 0; i < 30; i++ {
		if err := lead.node.Propose(context.Background(), 1, []byte(fmt.Sprintf("c%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, func() error {
		if !slices.Contains(lead.sms[1].get(), "c29") {
			return errors.New("the leader has not applied c29")
		}
		return nil
	})
	for _, id := range c.ids {
		tn := c.nodes[id]
		tn.node.Compact(1, tn.node.AppliedIndex(1))
	}
	time.Sleep(300 * time.Millisecond)
	if slices.Contains(full.sms[1].get(), "c0") || full.sms[1].restored() != 0 {
		t.Fatalf("the refusing follower took entries or a snapshot (restores %d)", full.sms[1].restored())
	}
	full.refuse.Store(false)
	c.propose(1, "c-done")
	if full.sms[1].restored() == 0 {
		t.Fatal("caught up without a snapshot; the test did not reach the snapshot path")
	}
}

// TestLeadershipSpreadsAndReturns: with a preferred leader per group
// spread over the nodes, every node ends up leading its share; a stopped
// node's groups fail over, and once it is back and caught up it leads
// them again. A node that asks to be spared is not handed its groups.
func TestLeadershipSpreadsAndReturns(t *testing.T) {
	c := newTestClusterPreferred(t, 3, 12, 3, true)
	eventually(t, 20*time.Second, c.ledByPreferred)
	victim := c.nodes[3]
	c.stop(victim)
	eventually(t, 20*time.Second, c.allLed)
	for _, g := range c.groups {
		c.propose(g, "while-3-was-down")
	}
	c.start(victim)
	eventually(t, 30*time.Second, c.ledByPreferred)

	// Node 3 asks to be spared and gives its groups away; they stay away
	// until it is willing again.
	victim.node.SetUnwilling(true)
	for _, g := range c.groups {
		if c.preferredOf(g) == 3 {
			to := c.voters[g][0]
			if err := victim.node.TransferLeadership(context.Background(), g, to); err != nil {
				t.Fatalf("group %d: transfer: %v", g, err)
			}
		}
	}
	time.Sleep(2 * time.Second) // four election timeouts at 50 ms ticks
	for _, g := range c.groups {
		if c.preferredOf(g) == 3 && victim.node.IsLeader(g) {
			t.Fatalf("group %d was handed back to a node that asked to be spared", g)
		}
	}
	victim.node.SetUnwilling(false)
	eventually(t, 20*time.Second, c.ledByPreferred)
}
