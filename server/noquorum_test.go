package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// loginBound is how long a login or an operator query may take on a node
// without quorum: QuorumWait (2 s) for each of the two catalog reads of a
// SCRAM login at worst, plus a wide margin for a loaded machine. Without
// the bounded wait a login took the router's 10 s and then failed.
const loginBound = 8 * time.Second

// noticeConn connects to addr as user (password may be empty) and
// collects the NOTICEs the server sends.
type noticeConn struct {
	*pgx.Conn
	mu      sync.Mutex
	notices []*pgconn.Notice
}

func dialNotices(ctx context.Context, addr, user, password string) (*noticeConn, error) {
	u := url.URL{Scheme: "postgres", Host: addr, Path: "/quorumdb", RawQuery: "sslmode=disable"}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, err
	}
	nc := &noticeConn{}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		nc.mu.Lock()
		nc.notices = append(nc.notices, n)
		nc.mu.Unlock()
	}
	if nc.Conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
		return nil, err
	}
	return nc, nil
}

func (c *noticeConn) takeNotices() []*pgconn.Notice {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.notices
	c.notices = nil
	return out
}

// heartbeatRow is one row of cluster_node_heartbeat as a test reads it.
type heartbeatRow struct {
	id                  int64
	state, source       string
	sqlAddr, version    *string
	startedAt, beatedAt *time.Time
}

func readHeartbeat(ctx context.Context, c *pgx.Conn) ([]heartbeatRow, error) {
	rows, err := c.Query(ctx, "select node_id, state, source, sql_address, version, started_at, heartbeat_at from cluster_node_heartbeat order by node_id")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (heartbeatRow, error) {
		var h heartbeatRow
		err := r.Scan(&h.id, &h.state, &h.source, &h.sqlAddr, &h.version, &h.startedAt, &h.beatedAt)
		return h, err
	})
}

func sources(rows []heartbeatRow) string {
	var s []string
	for _, r := range rows {
		s = append(s, fmt.Sprintf("%d:%s:%s", r.id, r.state, r.source))
	}
	return strings.Join(s, " ")
}

// stopNodes closes the nodes at idx (the leader's Close hands its
// leadership to another, so the last one stopped may be the leader for
// a moment) and marks them stopped.
func stopNodes(t *testing.T, nodes []*Node, idx ...int) {
	t.Helper()
	for _, i := range idx {
		if err := nodes[i].Close(); err != nil {
			t.Fatalf("stopping node %d: %v", i+1, err)
		}
		nodes[i] = nil
	}
}

// restartNodes starts the nodes of cfgs at idx again, concurrently: each
// waits for a majority, which needs the others.
func restartNodes(t *testing.T, nodes []*Node, cfgs []Config, idx ...int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, i := range idx {
		wg.Go(func() { nodes[i], errs[i] = Start(ctx, cfgs[i]) })
	}
	wg.Wait()
	for _, i := range idx {
		if n := nodes[i]; n != nil {
			t.Cleanup(func() { _ = n.Close() })
		}
		if errs[i] != nil {
			t.Fatalf("restarting node %d: %v", i+1, errs[i])
		}
	}
}

// waitLocalView waits until cluster_node_heartbeat, read on c, comes
// from the local view: a node that led the keyspace keeps its leader
// lease, and answers from the cluster, for up to an election timeout
// after losing its majority.
func waitLocalView(t *testing.T, c *pgx.Conn) {
	t.Helper()
	waitFor(t, 30*time.Second, "cluster_node_heartbeat from the local view", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		rows, err := readHeartbeat(ctx, c)
		if err != nil {
			return false, err.Error()
		}
		return len(rows) == 3 && rows[0].source == "local view", sources(rows)
	})
}

// loginTimed opens a connection as user and fails the test unless it
// succeeds within loginBound. It first lets the node's memory of its
// last failed wait for a leader lapse (sql.quorum_wait), so the login
// waits for the leader and gives up, as the first login of an outage
// does: the slow path is the one measured.
func loginTimed(t *testing.T, addr, user, password string) *noticeConn {
	t.Helper()
	time.Sleep(DefaultQuorumWait + 100*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	c, err := dialNotices(ctx, addr, user, password)
	if err != nil {
		t.Fatalf("pgx login as %s without quorum: %v", user, err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	took := time.Since(start)
	t.Logf("pgx login as %s without quorum took %s", user, took)
	if took > loginBound {
		t.Errorf("pgx login as %s without quorum took %s, want at most %s", user, took, loginBound)
	}
	warned := false
	for _, n := range c.takeNotices() {
		warned = warned || n.Severity == "WARNING" && strings.Contains(n.Message, "logged in with the credentials it last read")
	}
	if !warned {
		t.Errorf("login as %s without quorum: no warning that it used cached credentials", user)
	}
	return c
}

// checkLocalView asserts what an operator sees on node self (1-based) of
// a 3-node cluster whose other nodes are down. cluster_node_heartbeat:
// every row flagged 'local view', itself ACTIVE, the others not ACTIVE,
// and the dead peers' SQL address and version, which only their direct
// heartbeats told this node; a NOTICE saying the node has no quorum.
// cluster_partitions: its local Raft state, flagged too.
func checkLocalView(t *testing.T, c *noticeConn, self int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c.takeNotices()
	start := time.Now()
	rows, err := readHeartbeat(ctx, c.Conn)
	if err != nil {
		t.Fatalf("cluster_node_heartbeat without quorum: %v", err)
	}
	t.Logf("cluster_node_heartbeat without quorum answered in %s: %s", time.Since(start), sources(rows))
	if took := time.Since(start); took > loginBound {
		t.Errorf("cluster_node_heartbeat without quorum took %s, want at most %s", took, loginBound)
	}
	if len(rows) != 3 {
		t.Fatalf("cluster_node_heartbeat without quorum: %d rows, want 3", len(rows))
	}
	for _, r := range rows {
		if r.source != "local view" {
			t.Errorf("node %d's row: source %q, want 'local view'", r.id, r.source)
		}
		if r.sqlAddr == nil || r.version == nil || *r.version != Version || r.startedAt == nil || r.beatedAt == nil {
			t.Errorf("node %d's row lacks what its direct heartbeats said: %+v", r.id, r)
		}
		switch self := int64(self); {
		case r.id == self && r.state != "ACTIVE":
			t.Errorf("the survivor (node %d) shows itself %s, want ACTIVE", r.id, r.state)
		case r.id != self && r.state == "ACTIVE":
			t.Errorf("stopped node %d shows ACTIVE in the local view", r.id)
		}
	}
	// The statement that answered from the local view said why.
	found := false
	for _, n := range c.takeNotices() {
		found = found || strings.Contains(n.Message, "has no quorum")
	}
	if !found {
		t.Errorf("no NOTICE saying the node has no quorum with the local view")
	}
	var leader *string
	var source string
	var term int64
	var local bool
	if err := c.QueryRow(ctx, "select leader, term, local_replica, source from cluster_partitions where partition_id = 0").
		Scan(&leader, &term, &local, &source); err != nil {
		t.Fatalf("cluster_partitions without quorum: %v", err)
	}
	if source != "local view" || !local || term == 0 {
		t.Errorf("cluster_partitions without quorum: leader %v term %d local_replica %v source %q", leader, term, local, source)
	}
}

// checkNoQuorumErrors: a query of a table fails with 08006 naming the
// missing quorum, and the session goes on.
func checkNoQuorumErrors(t *testing.T, c *pgx.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var n int64
	err := c.QueryRow(ctx, "select count(*) from t").Scan(&n)
	if code := pgCode(err); code != "08006" || !strings.Contains(err.Error(), "quorum") {
		t.Errorf("a table query without quorum: %v (code %q), want 08006 about the quorum", err, code)
	}
}

// TestNoQuorumTrust stops two nodes of a 3-node cluster (trust auth):
// the survivor still lets pgx and psql log in within a few seconds,
// answers cluster_node_heartbeat and cluster_partitions from its local
// view with a NOTICE, and refuses table queries with 08006; when the two
// nodes return, the answers come from the cluster again.
func TestNoQuorumTrust(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	nodes := startCluster(t, cfgs)
	const survivor = 2
	healthy := connect(t, nodes[0])
	mustExec(t, healthy, "create table t (id int primary key)")
	mustExec(t, healthy, "insert into t values (1)")
	sc := connect(t, nodes[survivor])
	waitFor(t, 20*time.Second, "3 ACTIVE nodes from the cluster", func() (bool, string) {
		rows, err := readHeartbeat(context.Background(), sc)
		if err != nil {
			return false, err.Error()
		}
		ok := len(rows) == 3
		for _, r := range rows {
			ok = ok && r.state == "ACTIVE" && r.source == "cluster"
		}
		return ok, sources(rows)
	})
	var source string
	if err := sc.QueryRow(context.Background(), "select source from cluster_partitions").Scan(&source); err != nil || source != "cluster" {
		t.Fatalf("cluster_partitions with quorum: source %q, %v", source, err)
	}
	sqlAddr := nodes[survivor].SQLAddr()

	stopNodes(t, nodes, 0, 1)
	waitLocalView(t, sc)

	c := loginTimed(t, sqlAddr, "postgres", "")
	checkLocalView(t, c, survivor+1)
	checkNoQuorumErrors(t, c.Conn)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, port := hostPort(sqlAddr)
	start := time.Now()
	out, err := toolCommand(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-At",
		"-c", "select node_id, state, source from cluster_node_heartbeat where node_id = "+fmt.Sprint(survivor+1)).CombinedOutput()
	if err != nil {
		t.Fatalf("psql without quorum: %v\n%s", err, out)
	}
	if took := time.Since(start); took > 2*loginBound {
		t.Errorf("psql without quorum took %s", took)
	}
	if !strings.Contains(string(out), "3|ACTIVE|local view") || !strings.Contains(string(out), "NOTICE:  node 3 has no quorum") ||
		!strings.Contains(string(out), "WARNING:  node 3 has no quorum: logged in with the credentials it last read") {
		t.Errorf("psql without quorum printed:\n%s", out)
	}

	restartNodes(t, nodes, cfgs, 0, 1)
	waitFor(t, 60*time.Second, "cluster_node_heartbeat from the cluster again, 3 ACTIVE", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		rows, err := readHeartbeat(ctx, c.Conn)
		if err != nil {
			return false, err.Error()
		}
		ok := len(rows) == 3
		for _, r := range rows {
			ok = ok && r.state == "ACTIVE" && r.source == "cluster"
		}
		return ok, sources(rows)
	})
	if err := c.QueryRow(ctx, "select source from cluster_partitions").Scan(&source); err != nil || source != "cluster" {
		t.Errorf("cluster_partitions after the nodes returned: source %q, %v", source, err)
	}
	if got := queryInt(t, c.Conn, "select count(*) from t"); got != 1 {
		t.Errorf("after the nodes returned: %d rows in t, want 1", got)
	}
}

// TestNoQuorumSCRAM stops two nodes of a 3-node cluster with
// scram-sha-256 authentication. On the survivor, a role created while
// the cluster was healthy logs in with pgx and psql (checked against the
// verifier the node last read); a role the node never read is refused
// with 57P03 saying there is no quorum and no cached credentials; a role
// whose password changed, and one dropped, while the cluster was
// healthy, cannot use what they had before.
func TestNoQuorumSCRAM(t *testing.T) {
	cfgs := clusterConfigs(t, 3, 3)
	for i := range cfgs {
		cfgs[i].SQL.Auth = "scram-sha-256"
		cfgs[i].SQL.SuperuserPassword = "s3cret"
	}
	nodes := startCluster(t, cfgs)
	const survivor = 2
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := func(n int, user, password string) string {
		return "postgres://" + url.UserPassword(user, password).String() + "@" + nodes[n].SQLAddr() + "/quorumdb?sslmode=disable"
	}
	admin, err := pgx.Connect(ctx, dsn(0, "postgres", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	// Node 1 sends its catalog changes to the peers it has seen ACTIVE.
	queuedToSurvivor := func() (waiting, delivered int64) {
		t.Helper()
		err := admin.QueryRow(ctx, "select count(*), coalesce(sum(waiting), 0), coalesce(sum(delivered), 0) from cluster_replication_queues where peer_id = $1", survivor+1).
			Scan(new(int64), &waiting, &delivered)
		if err != nil {
			t.Fatal(err)
		}
		return waiting, delivered
	}
	waitFor(t, 30*time.Second, "node 1's queues to the survivor", func() (bool, string) {
		var queues int64
		if err := admin.QueryRow(ctx, "select count(*) from cluster_replication_queues where peer_id = $1", survivor+1).Scan(&queues); err != nil {
			return false, err.Error()
		}
		return queues > 0, fmt.Sprint(queues, " queues")
	})
	// Roles created on node 1: the survivor learns them from node 1's
	// events (each makes it refresh its cached login data) without anyone
	// logging in there.
	mustExec(t, admin, "create role app login password 'app pw'")
	mustExec(t, admin, "create role rotated login password 'old pw'")
	mustExec(t, admin, "create role gone login password 'gone pw'")
	for _, u := range [][2]string{{"gone", "gone pw"}, {"rotated", "old pw"}} {
		sc, err := pgx.Connect(ctx, dsn(survivor, u[0], u[1]))
		if err != nil {
			t.Fatalf("%s logs in on the survivor while healthy: %v", u[0], err)
		}
		_ = sc.Close(ctx)
	}
	mustExec(t, admin, "alter role rotated password 'new pw'")
	mustExec(t, admin, "drop role gone")
	// As an operator would check before taking nodes down: the changes
	// reached the survivor, and it has re-read its login data since.
	waitFor(t, 30*time.Second, "node 1's 5 events delivered to the survivor", func() (bool, string) {
		waiting, delivered := queuedToSurvivor()
		return waiting == 0 && delivered >= 5, fmt.Sprintf("waiting %d delivered %d", waiting, delivered)
	})
	delivered := time.Now()
	waitFor(t, 30*time.Second, "the survivor's cached login data refreshed after the changes", func() (bool, string) {
		v := adminMetric(t, nodes[survivor], "quorumdb_cached_credentials_refresh_timestamp_seconds")
		return v > float64(delivered.UnixNano())/1e9, fmt.Sprintf("refreshed at %f", v)
	})
	sqlAddr := nodes[survivor].SQLAddr()

	watcher, err := pgx.Connect(ctx, dsn(survivor, "postgres", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close(context.Background())

	stopNodes(t, nodes, 0, 1)
	waitLocalView(t, watcher)

	c := loginTimed(t, sqlAddr, "app", "app pw")
	checkLocalView(t, c, survivor+1)

	host, port := hostPort(sqlAddr)
	cmd := toolCommand(t, "psql", "-h", host, "-p", port, "-U", "app", "-d", "quorumdb", "-X", "-At",
		"-c", "select count(*) from cluster_node_heartbeat where source = 'local view'")
	cmd.Env = append(cmd.Env, "PGPASSWORD=app pw")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "\n3\n") && !strings.HasPrefix(string(out), "3\n") {
		t.Errorf("psql as app without quorum: %v\n%s", err, out)
	}

	login := func(user, password string) error {
		conn, err := pgx.Connect(ctx, "postgres://"+url.UserPassword(user, password).String()+"@"+sqlAddr+"/quorumdb?sslmode=disable")
		if err == nil {
			_ = conn.Close(ctx)
		}
		return err
	}
	for _, tc := range []struct {
		user, password, code, text string
	}{
		{"nobody", "x", "57P03", `no quorum and no cached credentials for role "nobody"`},
		{"gone", "gone pw", "57P03", `no cached credentials for role "gone"`},
		{"rotated", "old pw", "28P01", "password authentication failed"},
		{"app", "wrong", "28P01", "password authentication failed"},
	} {
		err := login(tc.user, tc.password)
		if pgCode(err) != tc.code || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("login as %s/%q without quorum: %v, want %s %q", tc.user, tc.password, err, tc.code, tc.text)
		}
	}
	if err := login("rotated", "new pw"); err != nil {
		t.Errorf("rotated with its new password without quorum: %v", err)
	}
	if _, err := exec.LookPath("psql"); err == nil {
		cmd := toolCommand(t, "psql", "-h", host, "-p", port, "-U", "nobody", "-d", "quorumdb", "-X", "-At", "-c", "select 1")
		cmd.Env = append(cmd.Env, "PGPASSWORD=x")
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), "no quorum and no cached credentials") {
			t.Errorf("psql as an unknown role without quorum printed:\n%s", out)
		}
	}
}

// adminMetric returns the value of an unlabeled metric on n's /metrics.
func adminMetric(t *testing.T, n *Node, name string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + n.AdminAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no metric %s on node %d", name, n.cfg.Node.ID)
	return 0
}

// TestNoQuorumKilledProcesses: in a cluster of three real processes, the
// keyspace's leader and one more node are killed (SIGKILL: no hand-over,
// no goodbye). psql logs in to the survivor and reads
// cluster_node_heartbeat from its local view; when the two are started
// again, psql reads it from the cluster.
func TestNoQuorumKilledProcesses(t *testing.T) {
	procs := clusterProcesses(t, buildQuorumdb(t), 3)
	for _, p := range procs {
		p.start()
	}
	for _, p := range procs {
		p.waitServing()
	}
	leader := leaderProcess(t, procs)
	survivor := (leader + 1) % 3
	other := (leader + 2) % 3
	psql := func(sql string) (string, error) {
		host, port := hostPort(procs[survivor].sqlAddr)
		out, err := toolCommand(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-At", "-c", sql).CombinedOutput()
		return string(out), err
	}
	const query = "select node_id, state, source from cluster_node_heartbeat order by node_id"
	want := func(source string, active ...int) string {
		var lines []string
		for id := 1; id <= 3; id++ {
			state := "ACTIVE"
			if !slices.Contains(active, id) {
				state = "not active"
			}
			lines = append(lines, fmt.Sprintf("%d|%s|%s", id, state, source))
		}
		return strings.Join(lines, "\n")
	}
	// got normalizes psql's rows: any state but ACTIVE is "not active"
	// (NO_HEARTBEAT, then OFFLINE), and notices are dropped.
	got := func(out string) string {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Split(l, "|")
			if len(f) != 3 {
				continue
			}
			if f[1] != "ACTIVE" {
				f[1] = "not active"
			}
			lines = append(lines, strings.Join(f, "|"))
		}
		return strings.Join(lines, "\n")
	}
	waitFor(t, 30*time.Second, "psql: every node ACTIVE, from the cluster", func() (bool, string) {
		out, err := psql(query)
		return err == nil && got(out) == want("cluster", 1, 2, 3), out
	})

	procs[leader].kill()
	procs[other].kill()
	waitFor(t, 60*time.Second, "psql: the survivor alone ACTIVE, from its local view", func() (bool, string) {
		out, err := psql(query)
		ok := err == nil && got(out) == want("local view", survivor+1) &&
			strings.Contains(out, fmt.Sprintf("NOTICE:  node %d has no quorum", survivor+1))
		return ok, out
	})

	procs[leader].start()
	procs[other].start()
	waitFor(t, 60*time.Second, "psql: every node ACTIVE, from the cluster again", func() (bool, string) {
		out, err := psql(query)
		return err == nil && got(out) == want("cluster", 1, 2, 3), out
	})
}
