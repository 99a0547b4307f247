package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/quorumdb/quorumdb/internal/smallfs"
)

// diskFullReserve is the free-space reserve of the disk-full tests: small,
// for a small filesystem.
const diskFullReserve = 24 << 20

// TestDiskFullNode runs a node on a real 128 MiB tmpfs and fills it: an
// INSERT that would cross storage.min_free_bytes fails with 53100 and
// the HINT PostgreSQL gives, the session and the node go on serving
// reads of every acknowledged row, /metrics says the disk is full, and
// once the fill file is deleted INSERTs succeed again without a restart.
// Then the node is restarted on a full disk: it starts and serves reads.
func TestDiskFullNode(t *testing.T) {
	fs := smallfs.Mount(t, 128<<20)
	c := testConfig(t)
	c.BufferDirectory = fs + "/node"
	c.Storage.MinFreeBytes = diskFullReserve
	n := startNode(t, c)
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "create table t (k int primary key, v text)"); err != nil {
		t.Fatal(err)
	}

	fill := smallfs.Fill(t, fs, "fill", diskFullReserve+4<<20)
	acked := fillUntilRefused(t, conn, 0)
	checkRows(t, conn, acked)
	// Commits are refused once they would cross the reserve; the disk
	// counts as full once the free space is below it (here: something
	// else fills it further).
	fill2 := smallfs.Fill(t, fs, "fill2", diskFullReserve/2)
	time.Sleep(300 * time.Millisecond)
	if got := metric(t, n, "quorumdb_disk_full"); got != "1" {
		t.Errorf("quorumdb_disk_full = %q below the reserve, want 1", got)
	}
	if _, err := conn.Exec(ctx, "insert into t values ($1, 'x')", acked); pgCode(err) != "53100" {
		t.Fatalf("insert below the reserve: %v, want 53100", err)
	}
	checkRows(t, conn, acked)

	for _, f := range []string{fill, fill2} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	insertEventually(t, conn, acked)
	acked++
	checkRows(t, conn, acked)
	if got := metric(t, n, "quorumdb_disk_full"); got != "0" {
		t.Errorf("quorumdb_disk_full = %q after space was freed, want 0", got)
	}

	// Restart on a full disk.
	_ = conn.Close(ctx)
	if err := n.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	fill = smallfs.Fill(t, fs, "fill", diskFullReserve/2)
	n = startNode(t, c)
	conn = connect(t, n)
	checkRows(t, conn, acked)
	if _, err := conn.Exec(ctx, "insert into t values ($1, 'x')", acked); pgCode(err) != "53100" {
		t.Fatalf("insert after a restart on a full disk: %v, want 53100", err)
	}
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	insertEventually(t, conn, acked)
	checkRows(t, conn, acked+1)
}

// fillUntilRefused inserts rows of 32 KiB from key next on until an
// insert fails with 53100 on a fresh measurement of the free space (the
// store refuses slightly early, counting the commits it admitted since
// its last measurement, so the first refusal is retried once after a
// new one). It returns the next key: every key before it was
// acknowledged.
func fillUntilRefused(t *testing.T, conn *pgx.Conn, next int) int {
	t.Helper()
	ctx := context.Background()
	buf := make([]byte, 16<<10)
	for refused := false; ; {
		_, _ = rand.Read(buf)
		_, err := conn.Exec(ctx, "insert into t values ($1, $2)", next, hex.EncodeToString(buf))
		if err == nil {
			refused = false
			if next++; next > 10000 {
				t.Fatal("10000 rows of 32 KiB fitted on a 128 MiB filesystem")
			}
			continue
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "53100" {
			t.Fatalf("insert %d: %v, want success or 53100", next, err)
		}
		if pe.Hint != "Check free disk space." || !strings.Contains(pe.Message, "No space left on device") || pe.Detail == "" {
			t.Errorf("disk full error: message %q detail %q hint %q", pe.Message, pe.Detail, pe.Hint)
		}
		if refused {
			t.Logf("refused after %d rows: %s (%s)", next, pe.Message, pe.Detail)
			return next
		}
		refused = true
		time.Sleep(300 * time.Millisecond)
	}
}

// insertEventually inserts key k, retrying while the store still has
// the old measurement of the free space (a fraction of a second).
func insertEventually(t *testing.T, conn *pgx.Conn, k int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := conn.Exec(context.Background(), "insert into t values ($1, 'after')", k)
		if err == nil {
			return
		}
		if pgCode(err) != "53100" || time.Now().After(deadline) {
			t.Fatalf("insert %d after space was freed: %v", k, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkRows reads t and requires exactly the keys 0..n-1.
func checkRows(t *testing.T, conn *pgx.Conn, n int) {
	t.Helper()
	rows, err := conn.Query(context.Background(), "select k from t order by k")
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	if len(keys) != n {
		t.Fatalf("read %d rows, want the %d acknowledged", len(keys), n)
	}
	for i, k := range keys {
		if int(k) != i {
			t.Fatalf("row %d has key %d", i, k)
		}
	}
}

// metric returns the value of an unlabelled metric on n's /metrics.
func metric(t *testing.T, n *Node, name string) string {
	t.Helper()
	resp, err := http.Get("http://" + n.AdminAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("/metrics lacks %s", name)
	return ""
}

// TestDiskFullClusterFollowerAndLeader fills the disk of one replica of a
// 3-node cluster. As a follower it stops taking log entries but keeps
// running while the other two go on committing, and catches up by
// itself once space is freed. Leading every partition it refuses commits, and a
// session on another node sees 53100 (the code crosses kv/remote); once
// space is freed, writes through that node succeed again.
func TestDiskFullClusterFollowerAndLeader(t *testing.T) {
	fs := smallfs.Mount(t, 128<<20)
	cfgs := clusterConfigs(t, 3, 3)
	for i := range cfgs {
		cfgs[i].Storage.MinFreeBytes = diskFullReserve
	}
	const small = 2 // the node on the small filesystem
	cfgs[small].BufferDirectory = fs + "/node3"
	nodes := startCluster(t, cfgs)
	full := nodes[small]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	leadNothing(t, full)
	sys := full.ckv.keyspace.stores[0] // the system partition, where the heartbeats write
	conn := connect(t, nodes[0])
	mustExec(t, conn, "create table t (k int primary key, v text)")
	mustExec(t, conn, "insert into t values (0, 'before')")

	// A full follower.
	fill := smallfs.Fill(t, fs, "fill", diskFullReserve/2)
	waitFor(t, 10*time.Second, "the follower sees its disk full", func() (bool, string) {
		sp := sys.DiskSpace()
		return sp.Full, fmt.Sprintf("%+v", sp)
	})
	// Entries it took before the refusal began may still commit and
	// apply (the heartbeat's writes go on); once its applied index stands
	// still, it has nothing more.
	behind := sys.AppliedLogIndex()
	waitFor(t, 10*time.Second, "the full follower applies what it took", func() (bool, string) {
		time.Sleep(300 * time.Millisecond)
		prev := behind
		behind = sys.AppliedLogIndex()
		return behind == prev, fmt.Sprintf("applied %d, then %d", prev, behind)
	})
	for k := 1; k <= 100; k++ {
		if _, err := conn.Exec(ctx, "insert into t values ($1, 'while full')", k); err != nil {
			t.Fatalf("insert %d with one follower's disk full: %v", k, err)
		}
	}
	lead := nodes[leaderOf(t, nodes)]
	if got := sys.AppliedLogIndex(); got > behind+2 {
		t.Errorf("the full follower applied up to %d (from %d) while refusing entries", got, behind)
	}
	if got := queryInt(t, connect(t, full), "select count(*) from t"); got != 101 {
		t.Fatalf("a session on the full follower counts %d rows, want 101", got)
	}
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the follower catches up", func() (bool, string) {
		got, want := sys.AppliedLogIndex(), lead.ckv.keyspace.stores[0].AppliedLogIndex()
		return got >= want, fmt.Sprintf("applied %d, leader %d", got, want)
	})

	// A full leader.
	leadEverything(t, nodes, full)
	fill = smallfs.Fill(t, fs, "fill", diskFullReserve/2)
	time.Sleep(300 * time.Millisecond)
	if _, err := conn.Exec(ctx, "insert into t values (1000, 'x')"); pgCode(err) != "53100" {
		t.Fatalf("insert through node 1 with the leader's disk full: %v, want 53100", err)
	}
	if got := queryInt(t, conn, "select count(*) from t"); got != 101 {
		t.Fatalf("with the leader's disk full node 1 counts %d rows, want 101", got)
	}
	if err := os.Remove(fill); err != nil {
		t.Fatal(err)
	}
	insertEventually(t, conn, 1000)
	if got := queryInt(t, conn, "select count(*) from t"); got != 102 {
		t.Fatalf("after space was freed: %d rows, want 102", got)
	}
}
