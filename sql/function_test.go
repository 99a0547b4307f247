package sql

import (
	"context"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// PL/pgSQL outside the subset plpgsql.go runs is 0A000 at CREATE
// FUNCTION, naming the statement.
func TestCreateFunctionPlpgsqlUnsupported(t *testing.T) {
	_, s := testSession(t)
	sql := "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN LOOP EXIT; END LOOP; RETURN 1; END $$"
	if code := execCode(t, s, sql); code != "0A000" {
		t.Fatalf("%s: got SQLSTATE %q, want 0A000", sql, code)
	}
}

// A function created in pg_temp belongs to the session: another session
// cannot call it, and it is gone from the catalog once its session ends.
func TestTempFunctionDroppedWithSession(t *testing.T) {
	e, s := testSession(t)
	mustExec(t, s, "CREATE FUNCTION pg_temp.tf(OUT a int, OUT b text) LANGUAGE plpgsql AS $$ BEGIN a := 1; b := 'x'; END $$")
	if got := rowsText(mustExec(t, s, "SELECT b FROM pg_temp.tf()")); got != "x" {
		t.Fatalf("SELECT b FROM pg_temp.tf() = %q, want x", got)
	}
	other, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 43})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if code := execCode(t, other, "SELECT * FROM pg_temp.tf()"); code != "42883" {
		t.Fatalf("another session's pg_temp.tf(): SQLSTATE %q, want 42883", code)
	}
	s.Close()
	if got := rowsText(mustExec(t, other, "SELECT count(*) FROM pg_proc WHERE proname = 'tf'")); got != "0" {
		t.Fatalf("pg_proc rows of tf after its session closed = %q, want 0", got)
	}
	txn, err := e.cfg.DB.Begin(context.Background(), kv.TxnOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Rollback()
	kvs, err := txn.Scan(context.Background(), catalog.FunctionPrefix(other.dbID), kv.PrefixEnd(catalog.FunctionPrefix(other.dbID)), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(kvs) != 0 {
		t.Fatalf("%d function entries left after the session closed", len(kvs))
	}
}

// A function lives in the catalog: another session sees it, calls it
// and can drop it.
func TestFunctionSharedThroughCatalog(t *testing.T) {
	e, s := testSession(t)
	mustExec(t, s, "CREATE FUNCTION plus_one(x int) RETURNS int LANGUAGE sql RETURN x + 1")
	other, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 43})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if got := rowsText(mustExec(t, other, "SELECT plus_one(41)")); got != "42" {
		t.Fatalf("plus_one(41) in another session = %q, want 42", got)
	}
	mustExec(t, other, "DROP FUNCTION plus_one(int)")
	if code := execCode(t, s, "SELECT plus_one(1)"); code != "42883" {
		t.Fatalf("after DROP FUNCTION: got SQLSTATE %q, want 42883", code)
	}
}

// A prepared statement calling a function runs its current body after
// CREATE OR REPLACE, and fails once it is dropped.
func TestPreparedCallSeesReplacedFunction(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 1'")
	mustExec(t, s, "PREPARE q AS SELECT answer()")
	if got := rowsText(mustExec(t, s, "EXECUTE q")); got != "1" {
		t.Fatalf("EXECUTE q = %q, want 1", got)
	}
	mustExec(t, s, "CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'")
	if got := rowsText(mustExec(t, s, "EXECUTE q")); got != "42" {
		t.Fatalf("EXECUTE q after CREATE OR REPLACE = %q, want 42", got)
	}
	mustExec(t, s, "DROP FUNCTION answer()")
	if code := execCode(t, s, "EXECUTE q"); code != "42883" {
		t.Fatalf("EXECUTE q after DROP FUNCTION: SQLSTATE %q, want 42883", code)
	}
}
