package multiraft

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/quorumdb/quorumdb/cluster/multiraft/multiraftpb"
	"github.com/quorumdb/quorumdb/cluster/peerlink"
)

// TestRestartedPeerReachedPromptly: a node whose server was down for a
// while (its peers' connections failed again and again) is reached as
// soon as it is back, so that when another node fails right after, the
// returned node and the remaining one still form a majority. gRPC's own
// reconnect backoff (up to 2 minutes) must not keep them apart.
func TestRestartedPeerReachedPromptly(t *testing.T) {
	c := newTestCluster(t, 3, 1, 3)
	eventually(t, 20*time.Second, c.allLed)
	lead := c.leader(1)
	var fs []*testNode
	for _, id := range c.ids {
		if c.nodes[id] != lead {
			fs = append(fs, c.nodes[id])
		}
	}
	victim, third := fs[0], fs[1]
	c.stop(victim)
	c.propose(1, "a")
	time.Sleep(6 * time.Second) // the others' dials to it fail repeatedly

	c.start(victim)
	restarted := time.Now()
	const promptly = 3 * time.Second
	for !slices.Contains(victim.sms[1].get(), "a") {
		if time.Since(restarted) > promptly {
			t.Fatalf("the returned node was not reached within %v of its restart", promptly)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the returned node caught up %v after its restart", time.Since(restarted).Round(time.Millisecond))

	// The third node fails: the returned node and the leader are the
	// majority and go on.
	c.stop(third)
	c.propose(1, "b")
}

// TestSingleVoterGroup: a group of one elects itself, serves reads under
// a lease that needs nobody, and comes back after a restart.
func TestSingleVoterGroup(t *testing.T) {
	c := newTestCluster(t, 1, 2, 1)
	eventually(t, 20*time.Second, c.allLed)
	c.propose(1, "s")
	if err := c.leader(1).node.ReadIndex(context.Background(), 1); err != nil {
		t.Fatalf("ReadIndex on a single voter: %v", err)
	}
	c.stop(c.nodes[1])
	c.start(c.nodes[1])
	eventually(t, 20*time.Second, c.allLed)
	c.propose(1, "t")
	if got := c.nodes[1].sms[1].get(); !slices.Equal(got, []string{"s", "t"}) {
		t.Fatalf("after the restart: %v", got)
	}
}

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

// TestFingerprintMismatchRefused: a peer configured with other cluster
// settings is refused with an error naming the setting, logged at Error
// on both ends.
func TestFingerprintMismatchRefused(t *testing.T) {
	fp := peerlink.Fingerprint{Nodes: []string{"n1", "n2", "n3"}, ReplicationFactor: 3, Partitions: 1, Version: "test"}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	peers := map[uint64]string{1: lis.Addr().String(), 2: "127.0.0.1:1"}
	var recvLog syncBuffer
	tr, err := NewTransport(1, peers, fp, slog.New(slog.NewTextHandler(&recvLog, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	tr.Register(srv)
	go srv.Serve(lis) //nolint:errcheck // ends with Stop
	defer func() { srv.Stop(); tr.Close() }()

	other := fp
	other.ReplicationFactor = 2
	var sendLog syncBuffer
	tr2, err := NewTransport(2, peers, other, slog.New(slog.NewTextHandler(&sendLog, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	const want = "cluster.replication_factor differs: 3 here, 2 on node 2"
	eventually(t, 10*time.Second, func() error {
		if strings.Contains(sendLog.String(), want) && strings.Contains(sendLog.String(), "level=ERROR") &&
			strings.Contains(recvLog.String(), want) {
			return nil
		}
		return fmt.Errorf("refusal not logged on both sides:\nsender: %s\nreceiver: %s", sendLog.String(), recvLog.String())
	})

	// The refusal as a raw client sees it.
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	other.Nodes = []string{"n1", "n2"}
	st, err := multiraftpb.NewMultiRaftClient(conn).Send(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Send(&multiraftpb.Batch{Header: header(other, 2, 1)}); err != nil {
		t.Fatal(err)
	}
	if _, err = st.CloseAndRecv(); err == nil || !strings.Contains(err.Error(), "cluster.nodes differs: [n1 n2 n3] here, [n1 n2] on node 2") {
		t.Fatalf("mismatched nodes: %v", err)
	}
}

// TestSlowFollowerKeepsLeaders: a node whose disk takes entries slowly
// falls behind on a bulk load, and the appends queued for it wait; its
// beats and answers must not wait behind them (the transport's lanes,
// the loop taking control batches first). Before the lanes, the leaders
// on the slow node stopped hearing their followers' answers for an
// election timeout and stepped down, and the groups changed leader.
func TestSlowFollowerKeepsLeaders(t *testing.T) {
	c := newTestClusterPreferred(t, 3, 6, 3, true)
	eventually(t, 20*time.Second, c.ledByPreferred)
	terms := map[uint64]uint64{}
	for _, g := range c.groups {
		terms[g] = c.leader(g).node.Term(g)
	}
	c.nodes[3].slow.Store(int64(3 * time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	entry := bytes.Repeat([]byte("x"), 16<<10)
	var wg sync.WaitGroup
	for _, g := range c.groups {
		leader := c.nodes[c.preferredOf(g)].node
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					_ = leader.Propose(ctx, g, entry) // a refusal shows in the terms below
				}
			}()
		}
	}
	wg.Wait()
	c.nodes[3].slow.Store(0)
	// The slow node's leases may lapse while it catches up; an election
	// is what must not have happened.
	eventually(t, 10*time.Second, c.ledByPreferred)
	for _, g := range c.groups {
		if term := c.leader(g).node.Term(g); term != terms[g] {
			t.Errorf("group %d held an election under the load: term %d, then %d", g, terms[g], term)
		}
	}
}
