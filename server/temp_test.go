package server

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// tempTableCount counts the temporary relations a session sees.
func tempTableCount(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_class WHERE relpersistence = 't'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// myTempSchema returns the session's temporary schema oid (0 if none).
func myTempSchema(t *testing.T, conn *pgx.Conn) uint32 {
	t.Helper()
	var oid uint32
	if err := conn.QueryRow(context.Background(), `SELECT pg_my_temp_schema()`).Scan(&oid); err != nil {
		t.Fatal(err)
	}
	return oid
}

func isOtherTempSchema(t *testing.T, conn *pgx.Conn, oid uint32) bool {
	t.Helper()
	var other bool
	if err := conn.QueryRow(context.Background(), `SELECT pg_is_other_temp_schema($1)`, oid).Scan(&other); err != nil {
		t.Fatal(err)
	}
	return other
}

// waitSchemaGone waits until oid is nobody's temporary schema any more:
// a session's schema is dropped when its connection ends, which the
// server notices after the client has gone.
func waitSchemaGone(t *testing.T, conn *pgx.Conn, oid uint32) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for isOtherTempSchema(t, conn, oid) {
		if time.Now().After(deadline) {
			t.Fatalf("temporary schema %d still registered", oid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTempTablesAcrossSessions checks what two sessions see of each
// other's temporary tables and that they go with their session.
func TestTempTablesAcrossSessions(t *testing.T) {
	n := startNode(t, testConfig(t))
	ctx := context.Background()
	a, b := connect(t, n), connect(t, n)
	exec := func(c *pgx.Conn, sql string, args ...any) {
		t.Helper()
		if _, err := c.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// pgx prepares and caches this statement: its plan must follow the
	// name to the temporary table once one shadows the permanent table.
	whoIsShared := func(c *pgx.Conn) string {
		t.Helper()
		var who string
		if err := c.QueryRow(ctx, `SELECT min(who) FROM shared`).Scan(&who); err != nil {
			t.Fatal(err)
		}
		return who
	}
	exec(a, `CREATE TABLE shared (id int PRIMARY KEY, who text)`)
	exec(a, `INSERT INTO shared VALUES (0, 'permanent')`)
	exec(b, `CREATE TEMP TABLE unrelated (a int)`) // b has a temporary schema already
	if whoIsShared(a) != "permanent" || whoIsShared(b) != "permanent" {
		t.Fatal("shared is not the permanent table before any shadowing")
	}
	exec(a, `CREATE TEMP TABLE shared (id int PRIMARY KEY, who text)`)
	exec(a, `INSERT INTO shared VALUES (1, 'a')`)
	exec(b, `CREATE TEMP TABLE shared (id int PRIMARY KEY, who text)`)
	exec(b, `INSERT INTO shared VALUES (2, 'b')`)
	if got := whoIsShared(a); got != "a" {
		t.Errorf("session a's cached statement reads %q after shadowing, want a", got)
	}
	if got := whoIsShared(b); got != "b" {
		t.Errorf("session b's cached statement reads %q after shadowing, want b", got)
	}

	// Each session's unqualified name is its own table (shadowing the
	// permanent one); the permanent one is still reachable as public.x.
	for _, c := range []struct {
		conn *pgx.Conn
		want string
	}{{a, "a"}, {b, "b"}} {
		var who string
		var count int
		if err := c.conn.QueryRow(ctx, `SELECT min(who), count(*) FROM shared`).Scan(&who, &count); err != nil {
			t.Fatal(err)
		}
		if who != c.want || count != 1 {
			t.Errorf("session %s sees %q (%d rows) in shared", c.want, who, count)
		}
		if err := c.conn.QueryRow(ctx, `SELECT who FROM public.shared`).Scan(&who); err != nil || who != "permanent" {
			t.Errorf("public.shared: %q, %v", who, err)
		}
		if got := tempTableCount(t, c.conn); got != 2 && c.want == "a" || got != 3 && c.want == "b" {
			// the table and its primary key index (and b's unrelated)
			t.Errorf("session %s lists %d temporary relations", c.want, got)
		}
	}

	// Distinct schemas; neither can name the other's.
	oidA, oidB := myTempSchema(t, a), myTempSchema(t, b)
	if oidA == 0 || oidB == 0 || oidA == oidB {
		t.Fatalf("temporary schema oids %d and %d", oidA, oidB)
	}
	if !isOtherTempSchema(t, b, oidA) || isOtherTempSchema(t, a, oidA) {
		t.Errorf("pg_is_other_temp_schema(%d): wrong from one of the sessions", oidA)
	}
	var schemaA string
	if err := a.QueryRow(ctx, `SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()`).Scan(&schemaA); err != nil {
		t.Fatal(err)
	}
	_, err := b.Exec(ctx, fmt.Sprintf(`SELECT * FROM %s.shared`, schemaA))
	if code := pgCode(err); code != "0A000" {
		t.Errorf("reading another session's temporary table: %v (SQLSTATE %s), want 0A000", err, code)
	}
	_, err = b.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.intruder (a int)`, schemaA))
	if code := pgCode(err); code != "42P16" {
		t.Errorf("creating in another session's temporary schema: %v (SQLSTATE %s), want 42P16", err, code)
	}
	var listed int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schemaA).Scan(&listed); err != nil || listed != 0 {
		t.Errorf("session b lists a's schema %s: %d, %v", schemaA, listed, err)
	}

	// ON COMMIT DELETE ROWS and DROP are per session too.
	exec(a, `CREATE TEMP TABLE scratch (v int) ON COMMIT DELETE ROWS`)
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO scratch VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	var inTx int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM scratch`).Scan(&inTx); err != nil || inTx != 2 {
		t.Fatalf("scratch inside the transaction: %d, %v", inTx, err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := a.QueryRow(ctx, `SELECT count(*) FROM scratch`).Scan(&after); err != nil || after != 0 {
		t.Errorf("ON COMMIT DELETE ROWS: %d rows after commit, %v", after, err)
	}
	// One Query message is one implicit transaction.
	if _, err := a.PgConn().Exec(ctx, `CREATE TEMP TABLE once (v int) ON COMMIT DROP; INSERT INTO once VALUES (1)`).ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, `SELECT * FROM once`); pgCode(err) != "42P01" {
		t.Errorf("ON COMMIT DROP table after commit: %v", err)
	}

	// A clean Terminate drops a's schema; b's table is untouched.
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	waitSchemaGone(t, b, oidA)
	var who string
	if err := b.QueryRow(ctx, `SELECT who FROM shared`).Scan(&who); err != nil || who != "b" {
		t.Errorf("b's temporary table after a left: %q, %v", who, err)
	}

	// A connection that just drops (no Terminate) loses its schema too.
	if err := b.PgConn().Conn().Close(); err != nil {
		t.Fatal(err)
	}
	c := connect(t, n)
	waitSchemaGone(t, c, oidB)
	if err := c.QueryRow(ctx, `SELECT who FROM shared`).Scan(&who); err != nil || who != "permanent" {
		t.Errorf("a new session sees %q, %v in shared; want the permanent table", who, err)
	}
	if got := tempTableCount(t, c); got != 0 {
		t.Errorf("a new session lists %d temporary relations", got)
	}
}

// TestTempSchemaGoneAfterKill9 kills the server while a session holds
// temporary tables and checks the restarted node dropped them.
func TestTempSchemaGoneAfterKill9(t *testing.T) {
	bin := buildQuorumdb(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	start := func() (*exec.Cmd, string) { return startDemoProcess(t, bin, dataDir) }
	cmd, dsn := start()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TEMP TABLE doomed (id serial PRIMARY KEY, v text)`,
		`INSERT INTO doomed (v) SELECT 'x' FROM generate_series(1, 100)`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	oid := myTempSchema(t, conn)
	conn = restartAfterKill(t, cmd, conn, start)
	defer conn.Close(ctx)
	if isOtherTempSchema(t, conn, oid) {
		t.Errorf("temporary schema %d of a session killed with the server is still registered", oid)
	}
	var leaked int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname LIKE 'doomed%'`).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("relations of the killed session: %d, %v", leaked, err)
	}
}
