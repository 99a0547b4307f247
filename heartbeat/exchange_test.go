package heartbeat

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
)

// exchangeNode is one Exchanger served on its own loopback gRPC server.
type exchangeNode struct {
	x   *Exchanger
	srv *grpc.Server
	ln  net.Listener
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func (n *exchangeNode) serve(t *testing.T) {
	t.Helper()
	n.srv = grpc.NewServer()
	n.x.Register(n.srv)
	ln := n.ln
	go func() { _ = n.srv.Serve(ln) }()
}

func (n *exchangeNode) stop() {
	n.x.Close()
	n.srv.Stop()
}

func waitRows(t *testing.T, x *Exchanger, what string, ok func([]Row) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows := x.Rows(time.Now())
		if ok(rows) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached, rows %+v", what, rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestExchangerOverGRPC runs three exchangers on loopback gRPC servers:
// each comes to see the others ACTIVE with their addresses and versions;
// a stopped one turns NO_HEARTBEAT in the others' views, and is ACTIVE
// again when a new incarnation serves on the same address.
func TestExchangerOverGRPC(t *testing.T) {
	lns := []net.Listener{listenLoopback(t), listenLoopback(t), listenLoopback(t)}
	members := []string{lns[0].Addr().String(), lns[1].Addr().String(), lns[2].Addr().String()}
	cfg := func(id int) Config {
		return Config{NodeID: id, Address: members[id-1], Version: "v-test",
			Interval: 20 * time.Millisecond, Timeout: time.Second, OfflineAfter: 30 * time.Second}
	}
	nodes := make([]*exchangeNode, 3)
	for i := range nodes {
		nodes[i] = &exchangeNode{x: NewExchanger(cfg(i+1), members, discard()), ln: lns[i]}
		nodes[i].serve(t)
		if err := nodes[i].x.Start(context.Background(), "sql-"+members[i], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			if n != nil {
				n.stop()
			}
		}
	})
	allActive := func(rows []Row) bool {
		if len(rows) != 3 {
			return false
		}
		for i, r := range rows {
			if r.State != StateActive || r.SQLAddress != "sql-"+members[i] || r.Version != "v-test" {
				return false
			}
		}
		return true
	}
	for i, n := range nodes {
		waitRows(t, n.x, fmt.Sprintf("node %d sees every node ACTIVE", i+1), allActive)
	}

	nodes[2].stop()
	waitRows(t, nodes[0].x, "node 1 sees node 3 NO_HEARTBEAT", func(rows []Row) bool {
		return rows[2].State == StateNoHeartbeat && rows[1].State == StateActive
	})

	// A new incarnation of node 3 on the same address.
	ln, err := net.Listen("tcp", members[2])
	if err != nil {
		t.Fatalf("relisten on node 3's address: %v", err)
	}
	nodes[2] = &exchangeNode{x: NewExchanger(cfg(3), members, discard()), ln: ln}
	nodes[2].serve(t)
	restarted := time.Now()
	if err := nodes[2].x.Start(context.Background(), "sql-"+members[2], restarted); err != nil {
		t.Fatal(err)
	}
	waitRows(t, nodes[0].x, "node 1 sees node 3's new incarnation ACTIVE", func(rows []Row) bool {
		return rows[2].State == StateActive && rows[2].StartedAt.Equal(restarted)
	})
}

// TestExchangerRefusesWrongTarget: a beat sent to an address that now
// belongs to another node id is refused, and the sender does not count
// the answer as its intended peer's.
func TestExchangerRefusesWrongTarget(t *testing.T) {
	ln := listenLoopback(t)
	members := []string{"127.0.0.1:1", ln.Addr().String()}
	// The node at members[1] believes it is node 1 of another list.
	other := &exchangeNode{x: NewExchanger(Config{NodeID: 1, Address: ln.Addr().String()}, []string{ln.Addr().String(), "127.0.0.1:2"}, discard()), ln: ln}
	other.serve(t)
	defer other.stop()
	if err := other.x.Start(context.Background(), "sql", time.Now()); err != nil {
		t.Fatal(err)
	}
	x := NewExchanger(Config{NodeID: 1, Address: members[0], Interval: 20 * time.Millisecond, Timeout: time.Second, OfflineAfter: 2 * time.Second}, members, discard())
	if err := x.Start(context.Background(), "sql", time.Now()); err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	time.Sleep(300 * time.Millisecond)
	if rows := x.Rows(time.Now()); rows[1].State == StateActive {
		t.Errorf("a misconfigured node counts as node 2: %+v", rows[1])
	}
}

// TestExchangerCloseBeforeStart: Close is safe before Start, and Start
// after Close is refused.
func TestExchangerCloseBeforeStart(t *testing.T) {
	x := NewExchanger(Config{NodeID: 1, Address: "127.0.0.1:1"}, []string{"127.0.0.1:1", "127.0.0.1:2"}, discard())
	x.Close()
	x.Close()
	if err := x.Start(context.Background(), "", time.Now()); err != ErrClosed {
		t.Errorf("Start after Close: %v", err)
	}
}
