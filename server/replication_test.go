package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/cluster/replication"
)

// peerBook is a node's ExtraPeers: the tests' nodes are single nodes for
// data, each with its own heartbeat table, that see each other as
// replication peers through it.
type peerBook struct {
	mu    sync.Mutex
	peers []replication.Peer
}

func (b *peerBook) set(peers ...replication.Peer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.peers = peers
}

func (b *peerBook) get() []replication.Peer {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]replication.Peer(nil), b.peers...)
}

// replConfig is testConfig for node id with its peers from book.
func replConfig(t *testing.T, id int, book *peerBook) Config {
	c := testConfig(t)
	c.Node.ID = id
	c.ExtraPeers = book.get
	return c
}

// queueRow is one row of cluster_replication_queues.
type queueRow struct {
	node, peer, index          int64
	queue                      string
	waiting, delivered, failed int64
	oldest                     float64
	connected                  bool
	lastError                  *string
}

func queueRows(t *testing.T, conn *pgx.Conn, peer int) []queueRow {
	t.Helper()
	rows, err := conn.Query(context.Background(), `select node_id, peer_id, queue, queue_index, waiting, delivered,
		failed, oldest_waiting_seconds, connected, last_error from cluster_replication_queues where peer_id = $1`, peer)
	if err != nil {
		t.Fatal(err)
	}
	var out []queueRow
	for rows.Next() {
		var r queueRow
		if err := rows.Scan(&r.node, &r.peer, &r.queue, &r.index, &r.waiting, &r.delivered, &r.failed,
			&r.oldest, &r.connected, &r.lastError); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// totals sums waiting and delivered over rows.
func totals(rows []queueRow) (waiting, delivered int64) {
	for _, r := range rows {
		waiting += r.waiting
		delivered += r.delivered
	}
	return waiting, delivered
}

// waitFor polls cond every 20 ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached after %v: %s", what, timeout, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// TestReplicationBetweenNodes runs two real nodes that see each other as
// peers: the queues appear (SQL table and directories), DDL on one becomes
// descriptor events applied by the other, and events wait on disk while
// the peer is down (across a restart of the sender) until it returns.
func TestReplicationBetweenNodes(t *testing.T) {
	book1, book2 := &peerBook{}, &peerBook{}
	c2 := replConfig(t, 2, book2)
	n2 := startNode(t, c2)
	c1 := replConfig(t, 1, book1)
	book1.set(replication.Peer{ID: 2, Address: n2.PeerAddr()})
	n1 := startNode(t, c1)
	book2.set(replication.Peer{ID: 1, Address: n1.PeerAddr()})
	conn1 := connect(t, n1)

	// (a) 8 queues towards node 2, named and on disk.
	rows := queueRows(t, conn1, 2)
	if len(rows) != DefaultQueuesPerPeer {
		t.Fatalf("node 1 has %d queues for peer 2, want %d: %+v", len(rows), DefaultQueuesPerPeer, rows)
	}
	for i, r := range rows {
		want := replication.QueueName(2, i)
		if r.node != 1 || r.peer != 2 || r.index != int64(i) || r.queue != want || !strings.HasPrefix(want, fmt.Sprintf("queue_2_%d_", i)) {
			t.Errorf("row %d = %+v, want node 1, peer 2, queue %s", i, r, want)
		}
		if r.waiting != 0 || r.lastError != nil {
			t.Errorf("row %d = %+v: waiting or failing before any event", i, r)
		}
		if fi, err := os.Stat(filepath.Join(c1.BufferDirectory, "localq", want)); err != nil || !fi.IsDir() {
			t.Errorf("queue directory %s: %v", want, err)
		}
	}
	if n := len(queueRows(t, conn1, 1)); n != 0 {
		t.Errorf("node 1 has %d queues towards itself", n)
	}

	// (b) DDL on node 1 reaches node 2's descriptor handler; the delivered
	// counts rise. And the other way round.
	mustExec(t, conn1, "create table t1 (k int primary key)")
	waitFor(t, 10*time.Second, "descriptor event delivered to node 2", func() (bool, string) {
		w, d := totals(queueRows(t, conn1, 2))
		got := n2.engine.DescriptorInvalidations()
		return got >= 1 && d >= 1 && w == 0, fmt.Sprintf("node 2 applied %d, node 1 waiting %d delivered %d", got, w, d)
	})
	conn2 := connect(t, n2)
	// Node 2 learned of node 1 after it started: events enqueued before a
	// peer is first seen are not sent to it.
	waitFor(t, 10*time.Second, "node 2 sees node 1", func() (bool, string) {
		n := len(queueRows(t, conn2, 1))
		return n == DefaultQueuesPerPeer, fmt.Sprintf("%d queues", n)
	})
	mustExec(t, conn2, "create table u (k int primary key)")
	waitFor(t, 10*time.Second, "descriptor event delivered to node 1", func() (bool, string) {
		return n1.engine.DescriptorInvalidations() >= 1, fmt.Sprintf("node 1 applied %d", n1.engine.DescriptorInvalidations())
	})
	_ = conn2.Close(context.Background())

	// The figures are metrics too.
	resp, err := http.Get("http://" + n1.AdminAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `quorumdb_replication_queue_delivered_total{peer="2",queue="`+replication.QueueName(2, 0)+`"}`) {
		t.Errorf("/metrics lacks the replication queues:\n%.2000s", body)
	}
	if !strings.Contains(string(body), "quorumdb_descriptor_invalidations_total 1\n") {
		t.Errorf("/metrics lacks node 1's applied descriptor event:\n%.2000s", body)
	}

	// (c) Node 2 stops: events wait on node 1, on disk.
	addr2 := n2.PeerAddr()
	if err := n2.Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn1, "create table t2 (k int primary key)")
	mustExec(t, conn1, "alter table t2 add column v text")
	var waitingQueue string
	for _, r := range queueRows(t, conn1, 2) {
		if r.waiting > 0 {
			waitingQueue = r.queue
			if r.waiting != 2 {
				t.Errorf("queue %s waits %d entries, want 2 (one session, one queue)", r.queue, r.waiting)
			}
		}
	}
	if waitingQueue == "" {
		t.Fatal("nothing waiting after DDL with node 2 down")
	}
	if size := segmentBytes(t, filepath.Join(c1.BufferDirectory, "localq", waitingQueue)); size == 0 {
		t.Errorf("queue %s holds no segment data", waitingQueue)
	}

	// The entries survive a restart of node 1 too.
	_ = conn1.Close(context.Background())
	addr1 := n1.PeerAddr()
	if err := n1.Close(); err != nil {
		t.Fatal(err)
	}
	c1.ListenAddress = addr1
	n1 = startNode(t, c1)
	conn1 = connect(t, n1)
	if w, _ := totals(queueRows(t, conn1, 2)); w != 2 {
		t.Fatalf("after restarting node 1: %d waiting, want 2", w)
	}

	// Node 2 returns at the same address: the entries are delivered.
	c2.ListenAddress = addr2
	n2 = startNode(t, c2)
	waitFor(t, 15*time.Second, "waiting entries delivered after node 2 returned", func() (bool, string) {
		rows := queueRows(t, conn1, 2)
		w, d := totals(rows)
		return w == 0 && n2.engine.DescriptorInvalidations() == 2, fmt.Sprintf("waiting %d delivered %d, node 2 applied %d; %+v",
			w, d, n2.engine.DescriptorInvalidations(), rows)
	})
}

// segmentBytes sums the sizes of a queue directory's files other than
// queue.meta: the wal segments.
func segmentBytes(t *testing.T, dir string) int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		if e.Name() == "queue.meta" || e.IsDir() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

// TestPeerAddress checks the peer listener: a port 0 listen_address gets
// a real port, which the heartbeat row advertises.
func TestPeerAddress(t *testing.T) {
	n := startNode(t, testConfig(t))
	if strings.HasSuffix(n.PeerAddr(), ":0") || n.PeerAddr() == "" {
		t.Fatalf("PeerAddr = %q", n.PeerAddr())
	}
	var addr string
	if err := connect(t, n).QueryRow(context.Background(), "select address from cluster_node_heartbeat").Scan(&addr); err != nil {
		t.Fatal(err)
	}
	if addr != n.PeerAddr() || n.Config().AdvertiseAddress != addr {
		t.Errorf("heartbeat address %q, advertise %q, want the peer address %q", addr, n.Config().AdvertiseAddress, n.PeerAddr())
	}
}

func TestAdvertisedPeerAddr(t *testing.T) {
	for _, tc := range []struct{ listen, advertise, want string }{
		{"127.0.0.1:7433", "10.0.0.1:7433", "10.0.0.1:7433"},
		{"127.0.0.1:41000", "127.0.0.1:0", "127.0.0.1:41000"},
		{"0.0.0.0:41000", "db1.example:0", "db1.example:41000"},
		{"127.0.0.1:41000", "0.0.0.0:0", "127.0.0.1:41000"},
	} {
		addr, err := net.ResolveTCPAddr("tcp", tc.listen)
		if err != nil {
			t.Fatal(err)
		}
		if got := advertisedPeerAddr(addr, tc.advertise); got != tc.want {
			t.Errorf("advertisedPeerAddr(%s, %s) = %s, want %s", tc.listen, tc.advertise, got, tc.want)
		}
	}
}

// TestMembershipFromHeartbeats checks that ActivePeers lists the other
// ACTIVE rows and the extra peers, never this node.
func TestMembershipFromHeartbeats(t *testing.T) {
	n := startNode(t, testConfig(t))
	m := &heartbeatMembership{db: n.db, hc: n.cfg.heartbeatConfig("", Version), self: 1,
		extra: func() []replication.Peer { return []replication.Peer{{ID: 1, Address: "x:1"}, {ID: 5, Address: "e:5"}} }}
	peers, err := m.ActivePeers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(peers) != 1 || peers[0].ID != 5 || peers[0].Address != "e:5" {
		t.Errorf("peers = %+v, want only extra peer 5", peers)
	}
	m.self = 9 // as seen by another node: node 1's own row is ACTIVE
	peers, err = m.ActivePeers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(peers) != 2 || peers[0].ID != 1 || peers[0].Address != n.PeerAddr() || peers[0].LastHeartbeat.IsZero() {
		t.Errorf("peers = %+v, want node 1 at %s from its row, then 5", peers, n.PeerAddr())
	}
}
