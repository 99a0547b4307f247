package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	waitSettled(t, nodes)
	return nodes
}

// waitSettled waits until every partition is led by its preferred
// replica. A new cluster's first elections go to whichever replica
// campaigns first, and the leaders then hand their partitions to the
// preferred ones; a transaction whose partition changes leader meanwhile
// fails with 40001, as it would in any cluster, which tests of the
// steady state should not meet.
func waitSettled(t *testing.T, nodes []*Node) {
	t.Helper()
	waitFor(t, time.Minute, "every partition led by its preferred replica", func() (bool, string) {
		var unsettled []int
		for _, n := range nodes {
			if n == nil || n.ckv == nil {
				return true, ""
			}
			for p, voters := range n.ckv.voters {
				if voters[0] == n.ckv.raftID && !n.ckv.leads(p) {
					unsettled = append(unsettled, p)
				}
			}
		}
		return len(unsettled) == 0, fmt.Sprintf("partitions %v not led by their preferred replica", unsettled)
	})
}

// leaderOf returns the position of the node leading the system
// partition, waiting for one to be elected.
func leaderOf(t *testing.T, nodes []*Node) int {
	t.Helper()
	return leaderOfPartition(t, nodes, 0)
}

// leaderOfPartition returns the position of the node leading partition
// p, waiting for one to be elected.
func leaderOfPartition(t *testing.T, nodes []*Node, p int) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for i, n := range nodes {
			if n != nil && n.ckv != nil && n.ckv.leads(p) {
				return i
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no leader of partition %d elected within 20s", p)
	return -1
}

// leadEverything makes node to lead every partition and keeps it so:
// the other nodes ask to be spared (multiraft's unwilling flag, as a
// node whose clock is off does), so preferred leaders do not take their
// partitions back.
func leadEverything(t *testing.T, nodes []*Node, to *Node) {
	t.Helper()
	for _, n := range nodes {
		if n != nil && n.ckv.raft != nil {
			n.ckv.raft.SetUnwilling(n != to)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for p := range to.ckv.voters {
		for !to.ckv.leads(p) {
			cur := nodes[leaderOfPartition(t, nodes, p)]
			if cur == to {
				continue
			}
			// A transfer raft gives up (the transferee not caught up
			// within an election timeout) is tried again.
			tctx, tcancel := context.WithTimeout(ctx, 3*time.Second)
			err := cur.ckv.transferLeadership(tctx, p, to.ckv.raftID)
			tcancel()
			if err != nil && ctx.Err() != nil {
				t.Fatalf("moving partition %d's leadership to node %d: %v", p, to.cfg.Node.ID, err)
			}
		}
	}
}

// leadNothing moves every partition's leadership off node from, and
// keeps it off (from asks to be spared).
func leadNothing(t *testing.T, from *Node) {
	t.Helper()
	from.ckv.raft.SetUnwilling(true)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	waitFor(t, 30*time.Second, fmt.Sprintf("node %d leads nothing", from.cfg.Node.ID), func() (bool, string) {
		from.ckv.handOver(ctx, from.logger)
		return !from.ckv.leadsAny(), fmt.Sprintf("it leads %d partitions", from.ckv.raft.GroupsLed())
	})
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
		sys := n.ckv.keyspace.stores[0]
		start := sys.Stats().Checkpoints
		waitFor(t, 20*time.Second, fmt.Sprintf("two checkpoints on node %d", i+1), func() (bool, string) {
			got := sys.Stats().Checkpoints - start
			return got >= 2, fmt.Sprintf("%d checkpoints", got)
		})
	}
	mustExec(t, conn, "insert into t values (2000, 'last')")

	back := startNode(t, cfgs[lagging])
	nodes[lagging] = back
	waitFor(t, 30*time.Second, "the returning replica restores a snapshot of the system partition", func() (bool, string) {
		st := back.ckv.keyspace.stores[0].Stats()
		return st.Restores > 0, fmt.Sprintf("restores %d", st.Restores)
	})
	// Make it lead every partition: reads then come from its own stores.
	leadEverything(t, nodes, back)
	bc := connect(t, back)
	if got := queryInt(t, bc, "select count(*) from t"); got != 151 {
		t.Fatalf("the returned replica, leading, counts %d rows, want 151", got)
	}
	mustExec(t, bc, "insert into t values (3000, 'after')")
	if got := queryInt(t, conn, "select count(*) from t"); got != 152 {
		t.Fatalf("after a write through the new leader: %d rows, want 152", got)
	}
}

// TestClusterLeaderCloseHandsOver: a node that stops (Close, as on a
// planned restart) hands the leadership of its partitions over first, so
// the others lead them the moment it is gone instead of after an
// election.
func TestClusterLeaderCloseHandsOver(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	leader := leaderOf(t, nodes)
	led := nodes[leader].ckv.raft.GroupsLed()
	if err := nodes[leader].Close(); err != nil {
		t.Fatalf("closing the leader: %v", err)
	}
	nodes[leader] = nil
	other := nodes[(leader+1)%3]
	for p := range other.ckv.voters {
		var leads []int
		for i, n := range nodes {
			if n != nil && n.ckv.leads(p) {
				leads = append(leads, i+1)
			}
		}
		if len(leads) != 1 {
			t.Fatalf("right after node %d (leading %d partitions) stopped, nodes %v lead partition %d, want one of the others", leader+1, led, leads, p)
		}
	}
	mustExec(t, connect(t, other), "create table t (id int primary key)")
}

// TestClusterRefusesOldLayouts: a node whose buffer directory holds the
// Raft log of a release before multi-raft (raft/), or the keyspace of a
// release before partitions (data/data, one group; a single node's store
// is there too), refuses to start, with a message that says why and what
// to do, instead of starting an empty keyspace beside the old data.
func TestClusterRefusesOldLayouts(t *testing.T) {
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{"raft/log-0", []string{"raft", "before multi-raft", "empty buffer_directory"}},
		{"data/data", []string{"data/data", "not partitioned", "before partitions", "empty buffer_directory"}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			cfgs := clusterConfigs(t, 3, 3)
			if err := os.MkdirAll(filepath.Join(cfgs[0].BufferDirectory, c.dir), 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			n, err := Start(ctx, cfgs[0])
			if err == nil {
				_ = n.Close()
				t.Fatalf("a node with %s started", c.dir)
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("refusal %q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestClusterRaftMetrics: each replica's /metrics counts its Raft work
// and its transactions: every partition has one leader and each node
// leads some (leadership is spread), the system partition's leader has
// proposed, every replica has synced its Raft log and sent batches, and
// an insert over many partitions counts as a two-phase commit whose
// parts were prepared and resolved.
func TestClusterRaftMetrics(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	lead := nodes[leaderOf(t, nodes)]
	conn := connect(t, nodes[0])
	mustExec(t, conn, "create table t (k int primary key)")
	mustExec(t, conn, "insert into t select g from generate_series(1, 20) g")
	if got := metric(t, lead, "quorumdb_raft_proposals_total"); got == "0" {
		t.Error("the system partition's leader proposed nothing")
	}
	partitions := len(nodes[0].ckv.voters)
	waitFor(t, 30*time.Second, "every partition led, leadership spread", func() (bool, string) {
		total, each := 0, ""
		spread := true
		for _, n := range nodes {
			led, _ := strconv.Atoi(metric(t, n, "quorumdb_raft_groups_led"))
			total += led
			spread = spread && led > 0
			each += fmt.Sprintf(" %d", led)
		}
		return total == partitions && spread, fmt.Sprintf("nodes lead%s of %d", each, partitions)
	})
	for _, n := range nodes {
		for _, name := range []string{"quorumdb_raft_log_syncs_total", "quorumdb_raft_batches_sent_total", "quorumdb_raft_messages_sent_total"} {
			if got := metric(t, n, name); got == "0" {
				t.Errorf("node %d: %s = %s", n.cfg.Node.ID, name, got)
			}
		}
	}
	if got := metric(t, nodes[0], `quorumdb_txn_commits_total{kind="two_phase"}`); got == "0" {
		t.Error("an insert of 20 rows over the partitions counted no two-phase commit")
	}
	prepared, resolved := 0, 0
	for _, n := range nodes {
		p, _ := strconv.Atoi(metric(t, n, "quorumdb_prepared_parts_total"))
		r, _ := strconv.Atoi(metric(t, n, `quorumdb_prepared_parts_resolved_total{outcome="commit"}`))
		prepared, resolved = prepared+p, resolved+r
	}
	if prepared == 0 || resolved == 0 {
		t.Errorf("prepared parts %d, resolved by commit %d: want both counted", prepared, resolved)
	}
	// Every record is dropped once its transaction's parts are resolved.
	waitFor(t, 10*time.Second, "no transaction record left", func() (bool, string) {
		var held []string
		for _, n := range nodes {
			held = append(held, metric(t, n, "quorumdb_txn_records"))
		}
		return !slices.ContainsFunc(held, func(v string) bool { return v != "0" }), fmt.Sprintf("records held per node: %v", held)
	})
}
