package server

import (
	"context"
	"testing"
	"time"
)

// TestClusterBulkWritesThroughFollower: the bulk paths that write with
// InsertFresh (INSERT into a table keyed by its hidden row id, CREATE
// INDEX, ADD PRIMARY KEY's re-key), which a non-leader node pipelines to
// the leader, give the same results as on one node: savepoints undo
// them, and a duplicate key found by the re-key is still 23505.
func TestClusterBulkWritesThroughFollower(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	conn := connect(t, nodes[(leaderOf(t, nodes)+1)%3])
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := conn.Exec(ctx, sql)
		return err
	}
	mustExec(t, conn, "create table b (id int, v text)")
	mustExec(t, conn, "insert into b select g, 'x' from generate_series(1, 5000) g")
	mustExec(t, conn, "create index b_v on b (v)")
	mustExec(t, conn, "begin")
	mustExec(t, conn, "insert into b select g, 'y' from generate_series(1, 3000) g")
	mustExec(t, conn, "savepoint s")
	mustExec(t, conn, "insert into b select g, 'z' from generate_series(1, 2000) g")
	if got := queryInt(t, conn, "select count(*) from b where v = 'z'"); got != 2000 {
		t.Fatalf("rows inserted after the savepoint: %d, want 2000", got)
	}
	mustExec(t, conn, "rollback to s")
	mustExec(t, conn, "commit")
	if got := queryInt(t, conn, "select count(*) from b"); got != 8000 {
		t.Fatalf("rows after the block: %d, want 8000", got)
	}
	if err := exec("alter table b add primary key (id)"); pgCode(err) != "23505" {
		t.Fatalf("ADD PRIMARY KEY over duplicate ids: %v, want 23505", err)
	}
	mustExec(t, conn, "delete from b where v = 'y'")
	mustExec(t, conn, "alter table b add primary key (id)")
	if got := queryInt(t, conn, "select count(*) from b where v = 'x'"); got != 5000 {
		t.Fatalf("rows after the re-key: %d, want 5000", got)
	}
	if got := queryInt(t, conn, "select sum(id) from b where id between 100 and 199"); got != 14950 {
		t.Fatalf("sum of ids 100..199 after the re-key: %d, want 14950", got)
	}
	if err := exec("insert into b values (7, 'dup')"); pgCode(err) != "23505" {
		t.Fatalf("INSERT of an existing key: %v, want 23505", err)
	}
}
