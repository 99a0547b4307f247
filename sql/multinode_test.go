package sql

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// These tests run several engines (nodes 1..n) on one store, which is what
// a cluster gives its nodes: every node's kv transactions end up on the
// same keyspace. Nothing here relies on catalog replication events.

func sharedStore(t testing.TB) *kv.LocalStore {
	t.Helper()
	store, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// startNodes starts n engines on db at once, as nodes booting together
// on a fresh cluster do.
func startNodes(t testing.TB, db kv.DB, n int, cfg Config) []*Engine {
	t.Helper()
	engines := make([]*Engine, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := cfg
			c.DB, c.NodeID, c.Version = db, i+1, "test"
			engines[i], errs[i] = NewEngine(context.Background(), c)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i+1, err)
		}
	}
	return engines
}

func connect(t testing.TB, e *Engine, pid int32) *Session {
	t.Helper()
	s, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb", BackendPID: pid})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestConcurrentBootstrapCreatesCatalogOnce(t *testing.T) {
	db := sharedStore(t)
	engines := startNodes(t, db, 8, Config{SuperuserPassword: "secret"})
	var oids []string
	for i, e := range engines {
		s := connect(t, e, int32(i+1))
		r := mustExec(t, s, "SELECT datname, oid FROM pg_database ORDER BY datname")
		if got := len(r.rows); got != 2 {
			t.Fatalf("node %d sees %d databases: %v", i+1, got, r.rows)
		}
		oids = append(oids, rowsText(r))
		pw, ok, err := e.RolePassword(context.Background(), "postgres")
		if err != nil || !ok || pw == "" {
			t.Fatalf("node %d: superuser password %q %v %v", i+1, pw, ok, err)
		}
	}
	for _, o := range oids[1:] {
		if o != oids[0] {
			t.Fatalf("nodes disagree on the catalog: %q vs %q", o, oids[0])
		}
	}
	// A restart of every node on the bootstrapped store changes nothing.
	again := startNodes(t, db, 3, Config{SuperuserPassword: "secret"})
	r := mustExec(t, connect(t, again[0], 1), "SELECT datname, oid FROM pg_database ORDER BY datname")
	if rowsText(r) != oids[0] {
		t.Fatalf("after restart: %q, want %q", rowsText(r), oids[0])
	}
}

func TestTempSchemasDistinctAcrossNodes(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 2, Config{})
	const perNode = 4
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for n, e := range engines {
		for i := range perNode {
			s := connect(t, e, int32(n<<20|i+1))
			wg.Go(func() {
				if err := s.ExecSimple(context.Background(), "CREATE TEMP TABLE tt (a int)", &recorder{}); err != nil {
					t.Errorf("node %d: %v", n+1, err)
					return
				}
				r := &recorder{}
				if err := s.ExecSimple(context.Background(), "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()", r); err != nil {
					t.Errorf("node %d: %v", n+1, err)
					return
				}
				who := fmt.Sprintf("node %d session %d", n+1, i)
				mu.Lock()
				defer mu.Unlock()
				name := rowsText(r)
				if other, dup := seen[name]; dup {
					t.Errorf("%s and %s share temporary schema %s", who, other, name)
				}
				seen[name] = who
			})
		}
	}
	wg.Wait()
	if len(seen) != 2*perNode {
		t.Fatalf("temporary schemas: %v", seen)
	}
}

// A node starting (a restart after a crash) drops its own earlier
// incarnation's temporary schemas, never a live node's.
func TestStartupSweepSparesOtherNodesTempSchemas(t *testing.T) {
	db := sharedStore(t)
	engines := startNodes(t, db, 2, Config{})
	s2 := connect(t, engines[1], 2)
	mustExec(t, s2, "CREATE TEMP TABLE mine (a int); INSERT INTO mine VALUES (7)")
	s1 := connect(t, engines[0], 1)
	mustExec(t, s1, "CREATE TEMP TABLE gone (a int)")
	// Node 1 "crashes" (its sessions are never closed) and comes back.
	restarted, err := NewEngine(context.Background(), Config{DB: db, NodeID: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if r := mustExec(t, s2, "SELECT a FROM mine"); rowsText(r) != "7" {
		t.Fatalf("node 2's temporary table after node 1 restarted: %q", rowsText(r))
	}
	// A session of the restarted node sweeps too when it needs a schema.
	mustExec(t, connect(t, restarted, 3), "CREATE TEMP TABLE other (a int)")
	if r := mustExec(t, s2, "SELECT a FROM mine"); rowsText(r) != "7" {
		t.Fatalf("node 2's temporary table after a session of node 1 swept: %q", rowsText(r))
	}
	if n := keysUnder(t, db, kv.SystemKey([]byte("tempschema/"))); n != 2 {
		t.Fatalf("temporary schemas registered: %d (want node 2's and the new session's)", n)
	}
}

// DDL on one node is seen by the very next statement on another, without
// catalog replication events (none are delivered here).
func TestDDLVisibleOnOtherNodeAtOnce(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 2, Config{})
	a, b := connect(t, engines[0], 1), connect(t, engines[1], 2)

	mustExec(t, a, "CREATE TABLE t (k int PRIMARY KEY)")
	mustExec(t, b, "INSERT INTO t VALUES (1)")
	if r := mustExec(t, b, "SELECT * FROM t"); rowsText(r) != "1" {
		t.Fatalf("got %q", rowsText(r))
	}
	mustExec(t, a, "ALTER TABLE t ADD COLUMN v text DEFAULT 'x'")
	if r := mustExec(t, b, "SELECT * FROM t"); rowsText(r) != "1|x" || len(r.cols) != 2 {
		t.Fatalf("after ADD COLUMN on node 1, node 2 reads %q with %d columns", rowsText(r), len(r.cols))
	}
	mustExec(t, b, "INSERT INTO t VALUES (2, 'y')")
	mustExec(t, a, "ALTER TABLE t DROP COLUMN v")
	if r := mustExec(t, b, "SELECT * FROM t ORDER BY k"); rowsText(r) != "1\n2" {
		t.Fatalf("after DROP COLUMN on node 1, node 2 reads %q", rowsText(r))
	}
	mustExec(t, a, "CREATE INDEX t_k ON t (k)")
	mustExec(t, b, "INSERT INTO t VALUES (3)")
	if r := mustExec(t, a, "SELECT k FROM t WHERE k = 3"); rowsText(r) != "3" {
		t.Fatalf("index entry written by node 2 after CREATE INDEX on node 1: %q", rowsText(r))
	}
	mustExec(t, a, "DROP TABLE t")
	if code := execCode(t, b, "SELECT * FROM t"); code != pgerror.UndefinedTable {
		t.Fatalf("after DROP TABLE on node 1, node 2 gets %q", code)
	}
}

// A statement prepared on one node is re-planned after DDL on another,
// and fails as PostgreSQL's does when its result type changed.
func TestPreparedStatementAfterRemoteDDL(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 2, Config{})
	a, b := connect(t, engines[0], 1), connect(t, engines[1], 2)
	mustExec(t, a, "CREATE TABLE t (k int PRIMARY KEY, v int)")
	mustExec(t, a, "INSERT INTO t VALUES (1, 10)")
	mustExec(t, b, "PREPARE sel AS SELECT v FROM t WHERE k = 1")
	mustExec(t, b, "PREPARE star AS SELECT * FROM t")
	mustExec(t, b, "PREPARE ins AS INSERT INTO t VALUES ($1, $2)")
	mustExec(t, b, "EXECUTE sel")

	// A new index on node 1: node 2's plans still work, and the insert
	// writes the new index's entries.
	mustExec(t, a, "CREATE UNIQUE INDEX t_v ON t (v)")
	mustExec(t, b, "EXECUTE ins(2, 20)")
	if code := execCode(t, b, "EXECUTE ins(3, 20)"); code != pgerror.UniqueViolation {
		t.Fatalf("insert through a plan made before node 1's unique index: %q", code)
	}
	if r := mustExec(t, a, "SELECT k FROM t WHERE v = 20"); rowsText(r) != "2" {
		t.Fatalf("index lookup on node 1: %q", rowsText(r))
	}

	// A column added on node 1: SELECT * changes its result type.
	mustExec(t, a, "ALTER TABLE t ADD COLUMN w int")
	if code := execCode(t, b, "EXECUTE star"); code != pgerror.FeatureNotSupported {
		t.Fatalf("SELECT * prepared before ADD COLUMN on another node: %q, want 0A000", code)
	}
	if r := mustExec(t, b, "EXECUTE sel"); rowsText(r) != "10" {
		t.Fatalf("re-planned select: %q", rowsText(r))
	}
	mustExec(t, b, "EXECUTE ins(4, 40)")
	if r := mustExec(t, a, "SELECT k, v, w FROM t WHERE k = 4"); rowsText(r) != "4|40|NULL" {
		t.Fatalf("insert re-planned after ADD COLUMN: %q", rowsText(r))
	}

	mustExec(t, a, "DROP TABLE t")
	if code := execCode(t, b, "EXECUTE sel"); code != pgerror.UndefinedTable {
		t.Fatalf("statement prepared before DROP TABLE on another node: %q", code)
	}
}

// A row-less catalog object created on one node (here a sequence and a
// function) is usable at once from another.
func TestSequenceAndFunctionVisibleOnOtherNode(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 2, Config{})
	a, b := connect(t, engines[0], 1), connect(t, engines[1], 2)
	mustExec(t, a, "CREATE SEQUENCE s")
	mustExec(t, a, "CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2'")
	if r := mustExec(t, b, "SELECT nextval('s'), twice(21)"); rowsText(r) != "1|42" {
		t.Fatalf("got %q", rowsText(r))
	}
	mustExec(t, a, "ALTER SEQUENCE s INCREMENT BY 10")
	if r := mustExec(t, b, "SELECT nextval('s')"); rowsText(r) != "11" {
		t.Fatalf("after ALTER SEQUENCE on node 1, node 2's nextval: %q", rowsText(r))
	}
}

// Concurrent nextval, serial and identity defaults from several nodes
// never hand out the same value twice.
func TestNextvalUniqueAcrossNodes(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 3, Config{})
	setup := connect(t, engines[0], 1)
	mustExec(t, setup, "CREATE SEQUENCE s; CREATE TABLE ser (id serial PRIMARY KEY, n int); CREATE TABLE ident (id bigint GENERATED ALWAYS AS IDENTITY, n int)")
	const perSession = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	var vals []int
	for n, e := range engines {
		for i := range 2 {
			s := connect(t, e, int32(n<<20|i+10))
			wg.Go(func() {
				for range perSession {
					r := &recorder{}
					if err := s.ExecSimple(context.Background(), "SELECT nextval('s')", r); err != nil {
						t.Errorf("nextval: %v", err)
						return
					}
					v, _ := strconv.Atoi(r.rows[0][0])
					mu.Lock()
					vals = append(vals, v)
					mu.Unlock()
					for _, q := range []string{"INSERT INTO ser (n) VALUES (1)", "INSERT INTO ident (n) VALUES (1)"} {
						if err := s.ExecSimple(context.Background(), q, &recorder{}); err != nil {
							t.Errorf("%s: %v", q, err)
							return
						}
					}
				}
			})
		}
	}
	wg.Wait()
	total := len(engines) * 2 * perSession
	sort.Ints(vals)
	for i := 1; i < len(vals); i++ {
		if vals[i] == vals[i-1] {
			t.Fatalf("nextval handed out %d twice", vals[i])
		}
	}
	if len(vals) != total {
		t.Fatalf("%d values, want %d", len(vals), total)
	}
	want := strconv.Itoa(total)
	for _, q := range []string{"SELECT count(DISTINCT id) FROM ser", "SELECT count(DISTINCT id) FROM ident"} {
		if r := mustExec(t, setup, q); rowsText(r) != want {
			t.Fatalf("%s: %s, want %s", q, rowsText(r), want)
		}
	}
}

// txid_current() identifies a transaction: two transactions open at the
// same time, on the same node or on two, never share one.
func TestTxidCurrentUniqueAcrossNodes(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 2, Config{})
	sessions := []*Session{connect(t, engines[0], 1), connect(t, engines[0], 2), connect(t, engines[1], 3), connect(t, engines[1], 4)}
	seen := map[string]int{}
	for i, s := range sessions {
		mustExec(t, s, "BEGIN")
		r := mustExec(t, s, "SELECT txid_current()")
		id := rowsText(r)
		if j, dup := seen[id]; dup {
			t.Fatalf("sessions %d and %d got txid %s", j, i, id)
		}
		seen[id] = i
		if r := mustExec(t, s, "SELECT txid_current()"); rowsText(r) != id {
			t.Fatalf("txid_current changed within a transaction: %s then %s", id, rowsText(r))
		}
	}
	for _, s := range sessions {
		mustExec(t, s, "COMMIT")
	}
}

// The same name created at once on several nodes: one wins, the others
// see it and fail as PostgreSQL's second CREATE does.
func TestConcurrentCreateSameNameAcrossNodes(t *testing.T) {
	engines := startNodes(t, sharedStore(t), 4, Config{})
	for _, stmt := range []struct{ sql, code string }{
		{"CREATE TABLE dup (a int)", pgerror.DuplicateTable},
		{"CREATE ROLE dup_role", pgerror.DuplicateObject},
		{"CREATE SCHEMA dup_schema", pgerror.DuplicateSchema},
		{"CREATE DATABASE dup_db", pgerror.DuplicateDatabase},
	} {
		codes := make([]string, len(engines))
		var wg sync.WaitGroup
		for i, e := range engines {
			s := connect(t, e, int32(i+1))
			wg.Go(func() {
				codes[i] = pgerror.CodeOf(s.ExecSimple(context.Background(), stmt.sql, &recorder{}))
			})
		}
		wg.Wait()
		wins := 0
		for _, c := range codes {
			switch c {
			case "":
				wins++
			case stmt.code:
			default:
				t.Fatalf("%s: codes %v, want one success and %s", stmt.sql, codes, stmt.code)
			}
		}
		if wins != 1 {
			t.Fatalf("%s: codes %v, want exactly one success", stmt.sql, codes)
		}
	}
}
