package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/pgwire"
)

// TestSharedKeyspaceNodes: the nodes of a real 3-node cluster, each with
// its own engine, pgwire server and heartbeat, share one keyspace.
func TestSharedKeyspaceNodes(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	ctx := context.Background()
	conns := make([]*pgx.Conn, len(nodes))
	for i, nd := range nodes {
		conns[i] = connect(t, nd)
	}

	t.Run("heartbeat rows of every node on every node", func(t *testing.T) {
		want := ""
		for _, nd := range nodes {
			want += fmt.Sprintf("%d %s ACTIVE;", nd.cfg.Node.ID, nd.SQLAddr())
		}
		deadline := time.Now().Add(10 * time.Second)
		for i, c := range conns {
			for {
				got := ""
				rows, err := c.Query(ctx, "SELECT node_id, sql_address, state FROM cluster_node_heartbeat ORDER BY node_id")
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id int64
					var addr, state string
					if err := rows.Scan(&id, &addr, &state); err != nil {
						t.Fatal(err)
					}
					got += fmt.Sprintf("%d %s %s;", id, addr, state)
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				if got == want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("node %d's cluster_node_heartbeat: %q, want %q", i+1, got, want)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})

	t.Run("backend pids name their node", func(t *testing.T) {
		seen := map[uint32]int{}
		for i, c := range conns {
			var pid int32
			if err := c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
				t.Fatal(err)
			}
			if pid <= 0 || uint32(pid) != c.PgConn().PID() {
				t.Fatalf("node %d: pg_backend_pid %d, BackendKeyData %d", i+1, pid, c.PgConn().PID())
			}
			if node := pgwire.NodeOfPID(uint32(pid)); node != i+1 {
				t.Fatalf("node %d hands out pid %d of node %d", i+1, pid, node)
			}
			if j, dup := seen[uint32(pid)]; dup {
				t.Fatalf("nodes %d and %d both use pid %d", j+1, i+1, pid)
			}
			seen[uint32(pid)] = i
		}
	})

	t.Run("DDL on one node, statements on another", func(t *testing.T) {
		a, b := conns[0], conns[1]
		if _, err := a.Exec(ctx, "CREATE TABLE kv_t (k int PRIMARY KEY, v text)"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Exec(ctx, "INSERT INTO kv_t VALUES (1, 'one')"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Prepare(ctx, "star", "SELECT * FROM kv_t"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Exec(ctx, "ALTER TABLE kv_t ADD COLUMN w int"); err != nil {
			t.Fatal(err)
		}
		var k, w *int64
		var v string
		if err := b.QueryRow(ctx, "SELECT k, v, w FROM kv_t", pgx.QueryExecModeSimpleProtocol).Scan(&k, &v, &w); err != nil || w != nil {
			t.Fatalf("new column from another node: %v %v", w, err)
		}
		_, err := b.Exec(ctx, "star")
		if code := pgCode(err); code != "0A000" {
			t.Fatalf("statement prepared before another node's ADD COLUMN: %v, want 0A000", err)
		}
		if _, err := a.Exec(ctx, "DROP TABLE kv_t"); err != nil {
			t.Fatal(err)
		}
		_, err = b.Exec(ctx, "SELECT * FROM kv_t", pgx.QueryExecModeSimpleProtocol)
		if code := pgCode(err); code != "42P01" {
			t.Fatalf("table dropped on another node: %v, want 42P01", err)
		}
	})
}
