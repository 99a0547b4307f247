package sql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// outageDB is a kv.DB that loses its quorum on demand: while out is set,
// Begin finds no leader, as the router does — it waits (up to maxWait,
// or until ctx ends) and fails with kv.ErrUnavailable.
type outageDB struct {
	kv.DB
	out     atomic.Bool
	maxWait time.Duration
}

func (d *outageDB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	if !d.out.Load() {
		return d.DB.Begin(ctx, opts)
	}
	t := time.NewTimer(d.maxWait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("test router: looking for the leader: %w", ctx.Err())
	case <-t.C:
		return nil, fmt.Errorf("%w: no leader within %s", kv.ErrUnavailable, d.maxWait)
	}
}

// outageEngine is an engine on an outageDB with a short QuorumWait (the
// test's "router" waits longer than that), and a session as postgres.
func outageEngine(t *testing.T, cfg Config) (*Engine, *outageDB, *Session) {
	t.Helper()
	store, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	db := &outageDB{DB: store, maxWait: 500 * time.Millisecond}
	cfg.DB, cfg.NodeID, cfg.Version, cfg.QuorumWait = db, 3, "test", 100*time.Millisecond
	e, err := NewEngine(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, db, connect(t, e, 42)
}

// TestLoginWithoutQuorum drives logins on an engine whose keyspace loses
// its quorum: what the engine last read lets roles in, what it never
// read or has since seen change is refused with 57P03, and refused
// always means refused (NOLOGIN, a wrong database).
func TestLoginWithoutQuorum(t *testing.T) {
	e, db, s := outageEngine(t, Config{})
	ctx := context.Background()
	mustExec(t, s, "CREATE ROLE app LOGIN PASSWORD 'pw'")
	mustExec(t, s, "CREATE ROLE reader PASSWORD 'r'") // NOLOGIN
	if err := e.RefreshCredentials(ctx); err != nil {
		t.Fatal(err)
	}

	db.out.Store(true)
	start := time.Now()
	stored, exists, err := e.RolePassword(ctx, "app")
	if err != nil || !exists || !password.Verify(stored, "app", "pw") {
		t.Fatalf("app without quorum: %q %v %v", stored, exists, err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("RolePassword without quorum took %s; QuorumWait is 100ms", took)
	}
	if sess, err := e.Connect(ctx, ConnParams{User: "app", Database: "quorumdb"}); err != nil {
		t.Errorf("Connect as app without quorum: %v", err)
	} else if n := sess.StartupNotices(); len(n) != 1 || n[0].Code != pgerror.Warning || !strings.Contains(n[0].Message, "logged in with the credentials it last read") {
		t.Errorf("a session opened from the cache starts with %+v, want the warning", n)
	}
	if n := s.StartupNotices(); len(n) != 0 {
		t.Errorf("a session opened with quorum starts with %+v", n)
	}
	for _, tc := range []struct {
		user, database, code, text string
	}{
		{"ghost", "quorumdb", pgerror.CannotConnectNow, `node 3 has no quorum and no cached credentials for role "ghost"`},
		{"app", "nodb", pgerror.CannotConnectNow, `node 3 has no quorum and database "nodb" is not in its cached catalog`},
		{"reader", "quorumdb", pgerror.InvalidAuthorizationSpecification, `role "reader" is not permitted to log in`},
	} {
		_, err := e.Connect(ctx, ConnParams{User: tc.user, Database: tc.database})
		if pgerror.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("Connect %s/%s without quorum: %v, want %s %q", tc.user, tc.database, err, tc.code, tc.text)
		}
	}
	if _, _, err := e.RolePassword(ctx, "ghost"); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("RolePassword of an unknown role without quorum: %v", err)
	}

	// A change made on this node drops the entry at commit: until the
	// next refresh the role cannot log in without quorum.
	db.out.Store(false)
	mustExec(t, s, "ALTER ROLE app PASSWORD 'new'")
	db.out.Store(true)
	if _, _, err := e.RolePassword(ctx, "app"); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("app after ALTER ROLE, not refreshed, without quorum: %v", err)
	}
	db.out.Store(false)
	if err := e.RefreshCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	db.out.Store(true)
	if stored, _, err := e.RolePassword(ctx, "app"); err != nil || !password.Verify(stored, "app", "new") || password.Verify(stored, "app", "pw") {
		t.Errorf("app after the refresh, without quorum: %q %v", stored, err)
	}

	// A login read with quorum that finds the role gone drops it. (The
	// node answers from the cache for QuorumWait after a failed wait.)
	db.out.Store(false)
	time.Sleep(150 * time.Millisecond)
	mustExec(t, s, "CREATE ROLE brief LOGIN")
	if err := e.RefreshCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	other, err := NewEngine(ctx, Config{DB: db.DB, NodeID: 1, Version: "test"}) // another node, sharing the keyspace
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, connect(t, other, 7), "DROP ROLE brief")
	if _, exists, err := e.RolePassword(ctx, "brief"); err != nil || exists {
		t.Fatalf("brief after DROP ROLE elsewhere, with quorum: exists %v, %v", exists, err)
	}
	db.out.Store(true)
	if _, err := e.Connect(ctx, ConnParams{User: "brief", Database: "quorumdb"}); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("brief, dropped elsewhere and read since, without quorum: %v", err)
	}
}

// TestCredentialEventsDropCache: a peer's role and database events drop
// the cached entries at once, and a Reset drops them all; each fires
// CredentialsStale so the node refreshes.
func TestCredentialEventsDropCache(t *testing.T) {
	e, db, s := outageEngine(t, Config{})
	ctx := context.Background()
	mustExec(t, s, "CREATE ROLE app LOGIN")
	mustExec(t, s, "CREATE DATABASE shop")
	if err := e.RefreshCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	drain(e.CredentialsStale())
	h := e.CredentialHandler(slog.New(slog.DiscardHandler))
	db.out.Store(true)
	login := func(user, database string) error {
		_, err := e.Connect(ctx, ConnParams{User: user, Database: database})
		return err
	}
	if err := login("app", "shop"); err != nil {
		t.Fatalf("app on shop, cached: %v", err)
	}
	if err := h.Apply(ctx, replication.Event{Kind: KindDatabase, Key: "shop", Origin: 1}); err != nil {
		t.Fatal(err)
	}
	if err := login("app", "shop"); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("after a peer's database event: %v", err)
	}
	if err := login("app", "quorumdb"); err != nil {
		t.Errorf("another database stays cached: %v", err)
	}
	if err := h.Apply(ctx, replication.Event{Kind: KindRole, Key: "app", Origin: 1}); err != nil {
		t.Fatal(err)
	}
	if err := login("app", "quorumdb"); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("after a peer's role event: %v", err)
	}
	if err := login("postgres", "quorumdb"); err != nil {
		t.Errorf("postgres stays cached: %v", err)
	}
	if err := h.(replication.Resetter).Reset(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := login("postgres", "quorumdb"); pgerror.CodeOf(err) != pgerror.CannotConnectNow {
		t.Errorf("after a Reset: %v", err)
	}
	select {
	case <-e.CredentialsStale():
	default:
		t.Error("dropping cached entries did not signal CredentialsStale")
	}
}

func drain(c <-chan struct{}) {
	select {
	case <-c:
	default:
	}
}

// TestCredCacheDropsStaleFill: a read that began before an invalidation
// cannot put back what it read.
func TestCredCacheDropsStaleFill(t *testing.T) {
	c := newCredCache()
	tok := c.token()
	c.invalidateRole("app") // the role changed while the read ran
	if c.putRole(tok, "app", &catalog.Role{Name: "app", Login: true, Password: "old"}) {
		t.Error("putRole with a token older than an invalidation was taken")
	}
	if c.replace(tok, []catalog.Role{{Name: "app"}}, nil) {
		t.Error("replace with a token older than an invalidation was taken")
	}
	if _, ok := c.role("app"); ok {
		t.Error("a stale read is cached")
	}
	tok = c.token()
	if !c.replace(tok, []catalog.Role{{Name: "app", Password: "new"}}, []catalog.Database{{Name: "quorumdb", ID: 1}}) {
		t.Fatal("a fresh replace was refused")
	}
	if r, ok := c.role("app"); !ok || r.Password != "new" {
		t.Errorf("after replace: %+v %v", r, ok)
	}
	if !c.putRole(tok, "app", nil) {
		t.Fatal("a fresh read finding the role gone was refused")
	}
	if _, ok := c.role("app"); ok {
		t.Error("a role read as gone stays cached")
	}
}

// TestQuorumGate: after a failed wait, callers answer at once for the
// window; then the next caller waits again; a success closes it.
func TestQuorumGate(t *testing.T) {
	var g quorumGate
	t0 := time.Now()
	if _, down := g.down(t0); down {
		t.Fatal("a new gate is down")
	}
	cause := errors.New("no leader")
	g.failed(t0, 2*time.Second, cause)
	nq, down := g.down(t0.Add(time.Second))
	if !down || !nq.cached || !errors.Is(nq, kv.ErrUnavailable) || !strings.Contains(nq.Error(), "no leader") {
		t.Fatalf("within the window: %v %v", nq, down)
	}
	if _, down := g.down(t0.Add(2 * time.Second)); down {
		t.Error("down after the window")
	}
	g.failed(t0, 2*time.Second, cause)
	g.succeeded()
	if _, down := g.down(t0.Add(time.Second)); down {
		t.Error("down after a success")
	}
}

func TestLocalViewEligible(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want bool
	}{
		{"select * from cluster_node_heartbeat", true},
		{"SELECT node_id, state FROM quorumdb.cluster_node_heartbeat WHERE state <> 'ACTIVE' ORDER BY 1", true},
		{"select * from cluster_partitions", true},
		{"select p.leader = h.address from cluster_partitions p, cluster_node_heartbeat h where h.node_id = p.node_id", true},
		{"select count(*) from (select * from cluster_node_heartbeat) s", true},
		{"select 1", false},
		{"select * from cluster_replication_queues", false},
		{"select * from cluster_node_heartbeat, pg_class", false},
		{"select * from cluster_node_heartbeat where node_id in (select id from t)", false},
		{"with h as (select * from cluster_node_heartbeat) select * from h", false},
		{"select * into copy from cluster_node_heartbeat", false},
		{"select * from cluster_node_heartbeat for update", false},
		{"insert into t select node_id from cluster_node_heartbeat", false},
		{"select * from t -- cluster_node_heartbeat", false},
		{"SELECT * FROM CLUSTER_NODE_HEARTBEAT", true},
	} {
		stmts, err := parse(tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if got := localViewEligible(stmts[0]); got != tc.want {
			t.Errorf("localViewEligible(%q) = %v, want %v", tc.sql, got, tc.want)
		}
	}
}

// TestOperatorTablesWithoutQuorum: with the keyspace out, the operator
// tables answer from the local view with a NOTICE, in the simple and the
// extended protocol; everything else fails with 08006; with the
// keyspace back the rows are the cluster's again.
func TestOperatorTablesWithoutQuorum(t *testing.T) {
	e, db, s := outageEngine(t, Config{
		ClusterNodes: func(context.Context, kv.Txn) ([]NodeStatus, error) {
			return []NodeStatus{{NodeID: 3, Address: "n3", State: "ACTIVE"}}, nil
		},
		LocalNodes: func() []NodeStatus {
			return []NodeStatus{{NodeID: 1, Address: "n1", State: "OFFLINE"}, {NodeID: 3, Address: "n3", SQLAddress: "s3", State: "ACTIVE"}}
		},
		Partitions: func() []PartitionStatus {
			return []PartitionStatus{{Partition: 0, Replicas: []string{"n1", "n3"}, Term: 7, LocalReplica: true, AppliedIndex: 9}}
		},
	})
	_ = e
	ctx := context.Background()
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY)")
	if got := rowsText(mustExec(t, s, "select node_id, source from cluster_node_heartbeat")); got != "3|cluster" {
		t.Fatalf("with quorum: %q", got)
	}

	db.out.Store(true)
	r := mustExec(t, s, "select node_id, state, sql_address, source from cluster_node_heartbeat order by node_id")
	if got := rowsText(r); got != "1|OFFLINE|NULL|local view\n3|ACTIVE|s3|local view" {
		t.Errorf("without quorum: %q", got)
	}
	if len(r.notices) != 1 || !strings.Contains(r.notices[0], "node 3 has no quorum") {
		t.Errorf("notices %q", r.notices)
	}
	if got := rowsText(mustExec(t, s, "select leader, term, applied_index, source from cluster_partitions")); got != "NULL|7|9|local view" {
		t.Errorf("cluster_partitions without quorum: %q", got)
	}

	// The extended protocol: Parse plans without a leader, Execute
	// sends the NOTICE before the rows.
	ps, err := s.Prepare(ctx, "select node_id, source from cluster_node_heartbeat where node_id = $1", nil)
	if err != nil {
		t.Fatalf("Prepare without quorum: %v", err)
	}
	p, err := s.Bind(ctx, ps, [][]byte{[]byte("3")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r = &recorder{}
	if _, err := s.Execute(ctx, p, 0, r); err != nil {
		t.Fatalf("Execute without quorum: %v", err)
	}
	if got := rowsText(r); got != "3|local view" || len(r.notices) != 1 {
		t.Errorf("extended without quorum: rows %q notices %q", got, r.notices)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	for _, q := range []string{
		"select * from t",
		"select * from cluster_node_heartbeat where node_id = (select count(*) from t)",
		"select * from cluster_node_heartbeat, pg_class",
	} {
		if code := execCode(t, s, q); code != pgerror.ConnectionFailure {
			t.Errorf("%s without quorum: %s, want 08006", q, code)
		}
	}

	db.out.Store(false)
	// The node remembers the failed wait for QuorumWait (100ms here).
	time.Sleep(150 * time.Millisecond)
	if got := rowsText(mustExec(t, s, "select node_id, source from cluster_node_heartbeat")); got != "3|cluster" {
		t.Errorf("with the quorum back: %q", got)
	}
	if got := rowsText(mustExec(t, s, "select source from cluster_partitions")); got != "cluster" {
		t.Errorf("cluster_partitions with the quorum back: %q", got)
	}
}
