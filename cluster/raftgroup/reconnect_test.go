package raftgroup

import (
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
)

// TestRestartedPeerReachedPromptly: a node whose server was down for a
// while (its peers' connections failed again and again) is reached by
// the leader as soon as it is back, so that when another node fails
// right after, the leader and the returned node still form a majority.
// gRPC's own reconnect backoff (up to 2 minutes) must not keep the
// leader from the returned node.
func TestRestartedPeerReachedPromptly(t *testing.T) {
	c := newTestCluster(t, 3, 0)
	lead := c.leader()
	fs := c.followers(lead)
	victim, third := fs[0], fs[1]

	// The victim goes down entirely: group, transport and server.
	c.stop(victim.id)
	victim.srv.Stop()
	victim.tr.Close()
	propose(t, lead.g, "a", 5)
	time.Sleep(6 * time.Second) // the leader's dials to it fail repeatedly

	// Back on the same address with its directory.
	lis, err := net.Listen("tcp", c.peers[victim.id])
	if err != nil {
		t.Fatal(err)
	}
	victim.srv = grpc.NewServer()
	victim.tr = NewTransport(victim.id, testFingerprint, quietLogger())
	victim.tr.Register(victim.srv)
	go victim.srv.Serve(lis)
	c.start(victim.id, newKV())
	restarted := time.Now()
	// gRPC alone would next dial it seconds from now (its backoff after
	// 6 s of failures); the transport redials when the returned node's
	// own stream arrives, within an election timeout (100 ms here).
	const promptly = 2 * time.Second
	for {
		if got, _ := victim.sm.state(); got["a4"] != "" {
			break
		}
		if time.Since(restarted) > promptly {
			t.Fatalf("the leader did not reach the returned node within %v of its restart", promptly)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the returned node caught up %v after its restart", time.Since(restarted).Round(time.Millisecond))

	// The other follower fails: the leader and the returned node are the
	// majority and go on.
	c.stop(third.id)
	third.srv.Stop()
	lead = c.leader()
	propose(t, lead.g, "b", 5)
	c.converged(lead, "b4")
}
