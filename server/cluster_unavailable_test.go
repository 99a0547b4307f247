package server

import (
	"context"
	"testing"
	"time"
)

// TestClusterNoQuorumFailsWithinTimeout: on a node whose peers are all
// down, a statement fails within cluster.unavailable_timeout with 08006
// (never hangs), the session stays usable, and the node serves again by
// itself once a peer returns.
func TestClusterNoQuorumFailsWithinTimeout(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	const timeout = 2 * time.Second
	for i := range cfgs {
		cfgs[i].Cluster.UnavailableTimeout = timeout
	}
	nodes := startCluster(t, cfgs)
	survivor := (leaderOf(t, nodes) + 1) % 3 // not the leader: it must find one
	conn := connect(t, nodes[survivor])
	mustExec(t, conn, "create table t (id int primary key)")
	mustExec(t, conn, "insert into t values (1)")
	for i := range nodes {
		if i != survivor {
			if err := nodes[i].Close(); err != nil {
				t.Fatalf("closing node %d: %v", i+1, err)
			}
		}
	}

	// The survivor may have been handed the leadership by a closing
	// node, with a lease: reads within it are still linearizable (no one
	// else can lead), so the test starts once a lease must have ended.
	time.Sleep(1500 * time.Millisecond)
	for _, stmt := range []string{"select count(*) from t", "insert into t values (2)"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		start := time.Now()
		_, err := conn.Exec(ctx, stmt)
		took := time.Since(start)
		cancel()
		if got := sqlState(err); got != "08006" {
			t.Fatalf("%s without quorum: %v (SQLSTATE %q), want 08006", stmt, err, got)
		}
		// The timeout, plus the attempt under way when it ran out.
		if took > timeout+3*time.Second {
			t.Fatalf("%s without quorum took %v; cluster.unavailable_timeout is %v", stmt, took, timeout)
		}
		t.Logf("%s: %v after %v", stmt, err, took.Round(time.Millisecond))
	}

	back := (survivor + 1) % 3
	nodes[back] = startNode(t, cfgs[back])
	waitFor(t, 30*time.Second, "the survivor serving again", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "insert into t values (3)"); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	if got := queryInt(t, conn, "select count(*) from t"); got != 2 {
		t.Fatalf("after the peer returned: %d rows, want 2 (the insert without quorum must not have happened)", got)
	}
}
