package server

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestClockOffsetRefusesToServe: a node of a 3-node cluster whose clock
// runs 2 s ahead of the others' (cluster.max_clock_offset 500 ms) finds
// itself off from a majority over the direct heartbeats and refuses
// logins and statements with 57P03, naming the offsets; the two others,
// which each see only one peer off, keep serving; the skewed node, which
// led the keyspace, hands its leadership to another replica; once the
// clock is back the node serves again.
func TestClockOffsetRefusesToServe(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	var skew atomic.Int64
	cfgs[2].clock = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	nodes := startCluster(t, cfgs)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	open := func(n *Node) (*pgx.Conn, error) {
		conn, err := pgx.Connect(ctx, "postgres://postgres@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
		if err == nil {
			t.Cleanup(func() { _ = conn.Close(context.Background()) })
		}
		return conn, err
	}
	// waitFor polls until node n's answer to a login and a statement is
	// want ("" for success).
	waitFor := func(n *Node, want string) error {
		var err error
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			var conn *pgx.Conn
			if conn, err = open(n); err == nil {
				var one int
				err = conn.QueryRow(ctx, "select 1").Scan(&one)
				_ = conn.Close(ctx)
			}
			if pgCode(err) == want || want == "" && err == nil {
				return err
			}
		}
		t.Fatalf("node %d: want %q, last answer %v", n.cfg.Node.ID, want, err)
		return nil
	}

	skewed := nodes[2]
	// The skewed node leads partitions when its clock goes off (those it
	// is the preferred replica of, once the cluster has settled).
	for deadline := time.Now().Add(20 * time.Second); !skewed.ckv.leadsAny(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the node to skew leads no partition")
		}
	}
	session, err := open(skewed)
	if err != nil {
		t.Fatal(err)
	}
	skew.Store(int64(2 * time.Second))
	err = waitFor(skewed, "57P03")
	if !strings.Contains(err.Error(), "cluster.max_clock_offset") {
		t.Fatalf("the refusal does not say why: %v", err)
	}
	// A session opened before is refused too.
	if _, err := session.Exec(ctx, "select 1"); pgCode(err) != "57P03" {
		t.Fatalf("open session on the skewed node: %v, want 57P03", err)
	}
	// It hands its leadership over (clockWatchInterval, then a transfer).
	for deadline := time.Now().Add(15 * time.Second); skewed.ckv.leadsAny(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the node whose clock is off still leads %d partitions", skewed.ckv.raft.GroupsLed())
		}
	}
	// The others serve, reads and writes.
	for _, n := range nodes[:2] {
		c := connect(t, n)
		if _, err := c.Exec(ctx, "create table if not exists t (k int primary key)"); err != nil {
			t.Fatalf("node %d while one clock is off: %v", n.cfg.Node.ID, err)
		}
		if _, err := c.Exec(ctx, "insert into t values ($1) on conflict do nothing", n.cfg.Node.ID); err != nil {
			t.Fatalf("node %d while one clock is off: %v", n.cfg.Node.ID, err)
		}
	}
	// The clock comes back: the node serves again, and sees the writes.
	skew.Store(0)
	waitFor(skewed, "")
	var count int
	if err := connect(t, skewed).QueryRow(ctx, "select count(*) from t").Scan(&count); err != nil || count != 2 {
		t.Fatalf("after the clock came back: %d rows, %v", count, err)
	}
}
