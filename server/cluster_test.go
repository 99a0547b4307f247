package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/internal/certs"
)

// clusterConfigs configures n nodes on loopback with free ports, each in
// its own temporary directory, replicating the keyspace on rf of them.
func clusterConfigs(t *testing.T, n, rf int) []Config {
	t.Helper()
	peers := freeLoopbackAddrs(t, n)
	tlsFiles := peerCerts(t, peers)
	cfgs := make([]Config, n)
	for i := range cfgs {
		c := testConfig(t)
		c.ListenAddress, c.AdvertiseAddress = peers[i], peers[i]
		c.Cluster.Nodes = peers
		c.Cluster.ReplicationFactor = rf
		c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: tlsFiles[i].CAFile, CertFile: tlsFiles[i].CertFile, KeyFile: tlsFiles[i].KeyFile}
		cfgs[i] = c
	}
	return cfgs
}

// peerCerts makes the cluster's CA and a certificate for each node's
// host (cluster.tls), in the test's temporary directory.
func peerCerts(t *testing.T, peers []string) []certs.NodeFiles {
	t.Helper()
	files, err := certs.ForCluster(t.TempDir(), peers, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// startCluster starts the nodes of cfgs concurrently (each waits for a
// majority of the replicas) and closes them at the end of the test.
func startCluster(t *testing.T, cfgs []Config) []*Node {
	t.Helper()
	nodes := make([]*Node, len(cfgs))
	errs := make([]error, len(cfgs))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for i, c := range cfgs {
		wg.Go(func() { nodes[i], errs[i] = Start(ctx, c) })
	}
	wg.Wait()
	for i, n := range nodes {
		if n != nil {
			t.Cleanup(func() { _ = n.Close() })
		}
		if errs[i] != nil {
			t.Fatalf("starting node %d: %v", i+1, errs[i])
		}
	}
	return nodes
}

// leaderOf returns the position of the node leading the keyspace's Raft
// group, waiting for one to be elected.
func leaderOf(t *testing.T, nodes []*Node) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for i, n := range nodes {
			if n != nil && n.ckv != nil && n.ckv.isLeader() {
				return i
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no keyspace leader elected within 20s")
	return -1
}

func queryInt(t *testing.T, conn *pgx.Conn, sql string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var v int64
	if err := conn.QueryRow(ctx, sql).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

// TestClusterServesOneDatabase: every node of a 3-node cluster serves
// the same database, and a write acknowledged by one node is read by
// the next statement on any other (no stale reads).
func TestClusterServesOneDatabase(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	conns := make([]*pgx.Conn, len(nodes))
	for i, n := range nodes {
		conns[i] = connect(t, n)
	}
	mustExec(t, conns[0], "create table accounts (id int primary key, balance int not null)")
	mustExec(t, conns[1], "insert into accounts select g, 100 from generate_series(1, 50) g")
	for i, c := range conns {
		if got := queryInt(t, c, "select sum(balance) from accounts"); got != 5000 {
			t.Fatalf("node %d: sum = %d, want 5000", i+1, got)
		}
	}
	for round := range 20 {
		writer, reader := conns[round%3], conns[(round+1)%3]
		mustExec(t, writer, fmt.Sprintf("update accounts set balance = balance + 1 where id = %d", round+1))
		if got := queryInt(t, reader, fmt.Sprintf("select balance from accounts where id = %d", round+1)); got != 101 {
			t.Fatalf("round %d: node %d read balance %d after node %d's update, want 101", round, (round+1)%3+1, got, round%3+1)
		}
	}
	// Schema changes too: a column added on one node is there on the next.
	mustExec(t, conns[2], "alter table accounts add column note text default 'x'")
	if got := queryInt(t, conns[0], "select count(*) from accounts where note = 'x'"); got != 50 {
		t.Fatalf("after ADD COLUMN on node 3, node 1 counts %d rows with the default, want 50", got)
	}
	// Every node names the same leader and replicas in cluster_partitions.
	leader := nodes[leaderOf(t, nodes)].cfg.AdvertiseAddress
	for i, c := range conns {
		waitFor(t, 20*time.Second, fmt.Sprintf("node %d names the leader", i+1), func() (bool, string) {
			var replicas, got string
			var local bool
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.QueryRow(ctx, "select replicas, coalesce(leader, ''), local_replica from cluster_partitions where partition_id = 0").Scan(&replicas, &got, &local); err != nil {
				return false, err.Error()
			}
			return got == leader && local && len(strings.Split(replicas, ",")) == 3, fmt.Sprintf("leader %q replicas %q local %v", got, replicas, local)
		})
	}
	waitFor(t, 20*time.Second, "3 active nodes in cluster_node_heartbeat", func() (bool, string) {
		n := queryInt(t, conns[1], "select count(*) from cluster_node_heartbeat where state = 'ACTIVE'")
		return n == 3, fmt.Sprintf("%d active", n)
	})
}

// TestClusterSurvivesLeaderLoss stops the keyspace's leader: the other
// two keep serving every acknowledged write and accept new ones, and the
// stopped node catches up when it returns.
func TestClusterSurvivesLeaderLoss(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	nodes := startCluster(t, cfgs)
	leader := leaderOf(t, nodes)
	other := (leader + 1) % 3
	conn := connect(t, nodes[other])
	mustExec(t, conn, "create table t (id int primary key, v text)")
	for i := range 100 {
		mustExec(t, conn, fmt.Sprintf("insert into t values (%d, 'before')", i))
	}
	if err := nodes[leader].Close(); err != nil {
		t.Fatalf("closing the leader: %v", err)
	}
	nodes[leader] = nil
	if got := queryInt(t, conn, "select count(*) from t"); got != 100 {
		t.Fatalf("after the leader stopped: %d rows, want 100", got)
	}
	for i := 100; i < 150; i++ {
		mustExec(t, conn, fmt.Sprintf("insert into t values (%d, 'after')", i))
	}
	third := connect(t, nodes[(leader+2)%3])
	if got := queryInt(t, third, "select count(*) from t"); got != 150 {
		t.Fatalf("third node: %d rows, want 150", got)
	}
	// The survivors see the stopped node's heartbeat age.
	stoppedID := cfgs[leader].Cluster.Nodes[leader]
	waitFor(t, 30*time.Second, "the stopped node no longer ACTIVE", func() (bool, string) {
		var state string
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := third.QueryRow(ctx, "select state from cluster_node_heartbeat where address = $1", stoppedID).Scan(&state); err != nil {
			return false, err.Error()
		}
		return state != "ACTIVE", state
	})

	back := startNode(t, cfgs[leader])
	bc := connect(t, back)
	if got := queryInt(t, bc, "select count(*) from t where v = 'after'"); got != 50 {
		t.Fatalf("restarted node: %d rows written while it was down, want 50", got)
	}
	// Now stop another node: the returned one is needed for the
	// majority, so everything must be in its replica.
	if err := nodes[other].Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, bc, "insert into t values (1000, 'last')")
	if got := queryInt(t, bc, "select count(*) from t"); got != 151 {
		t.Fatalf("with the returned node in the majority: %d rows, want 151", got)
	}
}

// TestClusterReplicaCatchesUpBySnapshot stops a replica, lets the others
// compact their logs past it, and brings it back: it must catch up from
// a snapshot of the leader's store and then serve as leader.
func TestClusterReplicaCatchesUpBySnapshot(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	for i := range cfgs {
		cfgs[i].logRetention = &logRetention{checkpointEvery: 50 * time.Millisecond, slackEntries: 2}
	}
	nodes := startCluster(t, cfgs)
	leader := leaderOf(t, nodes)
	lagging := (leader + 1) % 3
	conn := connect(t, nodes[leader])
	mustExec(t, conn, "create table t (id int primary key, v text)")
	mustExec(t, conn, "insert into t select g, 'early' from generate_series(1, 100) g")
	if err := nodes[lagging].Close(); err != nil {
		t.Fatal(err)
	}
	nodes[lagging] = nil
	for i := range 50 {
		mustExec(t, conn, fmt.Sprintf("insert into t values (%d, 'while away')", 1000+i))
	}
	// Two checkpoints on the others after those writes: the second
	// compacts the log through the first, so their logs now start past
	// the lagging replica's last entry. (The heartbeat writes keep the
	// applied index moving, which a checkpoint needs.) Waited for, not
	// slept: under load a fixed pause was sometimes too short.
	for i, n := range nodes {
		if n == nil {
			continue
		}
		start := n.ckv.store.Stats().Checkpoints
		waitFor(t, 20*time.Second, fmt.Sprintf("two checkpoints on node %d", i+1), func() (bool, string) {
			got := n.ckv.store.Stats().Checkpoints - start
			return got >= 2, fmt.Sprintf("%d checkpoints", got)
		})
	}
	mustExec(t, conn, "insert into t values (2000, 'last')")

	back := startNode(t, cfgs[lagging])
	nodes[lagging] = back
	waitFor(t, 30*time.Second, "the returning replica restores a snapshot", func() (bool, string) {
		st := back.ckv.store.Stats()
		return st.Restores > 0, fmt.Sprintf("restores %d", st.Restores)
	})
	// Make it the leader: reads then come from its own store.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for !back.ckv.isLeader() {
		cur := leaderOf(t, nodes)
		if err := nodes[cur].ckv.transferLeadership(ctx, back.ckv.raftID); err != nil {
			t.Fatalf("transferring leadership to the returned replica: %v", err)
		}
	}
	bc := connect(t, back)
	if got := queryInt(t, bc, "select count(*) from t"); got != 151 {
		t.Fatalf("the returned replica, leading, counts %d rows, want 151", got)
	}
	mustExec(t, bc, "insert into t values (3000, 'after')")
	if got := queryInt(t, conn, "select count(*) from t"); got != 152 {
		t.Fatalf("after a write through the new leader: %d rows, want 152", got)
	}
}

// TestClusterLeaderCloseHandsOver: a leader that stops (Close, as on a
// planned restart) hands leadership over first, so the others lead the
// moment it is gone instead of after an election.
func TestClusterLeaderCloseHandsOver(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	leader := leaderOf(t, nodes)
	if err := nodes[leader].Close(); err != nil {
		t.Fatalf("closing the leader: %v", err)
	}
	nodes[leader] = nil
	var leads []int
	for i, n := range nodes {
		if n != nil && n.ckv.isLeader() {
			leads = append(leads, i+1)
		}
	}
	if len(leads) != 1 {
		t.Fatalf("right after node %d (the leader) stopped, nodes %v lead, want one of the others", leader+1, leads)
	}
	conn := connect(t, nodes[leads[0]-1])
	mustExec(t, conn, "create table t (id int primary key)")
}

// TestClusterRefusesOldRaftLog: a node whose buffer directory holds the
// Raft log of a release before multi-raft (raft/) refuses to start, with
// a message that says why and what to do, instead of starting an empty
// log beside the data the old one produced.
func TestClusterRefusesOldRaftLog(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	if err := os.MkdirAll(filepath.Join(cfgs[0].BufferDirectory, "raft", "log-0"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := Start(ctx, cfgs[0])
	if err == nil {
		_ = n.Close()
		t.Fatal("a node with an old raft log started")
	}
	for _, want := range []string{"raft", "before multi-raft", "empty buffer_directory"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("refusal %q does not mention %q", err, want)
		}
	}
}

// TestClusterRaftMetrics: each replica's /metrics counts its Raft work:
// the leader leads one group (the keyspace) and has proposed, every
// replica has synced its Raft log and sent batches.
func TestClusterRaftMetrics(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	lead := nodes[leaderOf(t, nodes)]
	mustExec(t, connect(t, nodes[0]), "create table t (k int primary key)")
	if got := metric(t, lead, "quorumdb_raft_groups_led"); got != "1" {
		t.Errorf("the leader's quorumdb_raft_groups_led = %s, want 1", got)
	}
	if got := metric(t, lead, "quorumdb_raft_proposals_total"); got == "0" {
		t.Error("the leader proposed nothing")
	}
	for _, n := range nodes {
		for _, name := range []string{"quorumdb_raft_log_syncs_total", "quorumdb_raft_batches_sent_total", "quorumdb_raft_messages_sent_total"} {
			if got := metric(t, n, name); got == "0" {
				t.Errorf("node %d: %s = %s", n.cfg.Node.ID, name, got)
			}
		}
		if n != lead {
			if got := metric(t, n, "quorumdb_raft_groups_led"); got != "0" {
				t.Errorf("follower %d leads %s groups", n.cfg.Node.ID, got)
			}
		}
	}
}
