package sql

import (
	"context"
	"testing"
)

// LANGUAGE plpgsql is out of scope: CREATE FUNCTION names it in 0A000.
func TestCreateFunctionPlpgsqlUnsupported(t *testing.T) {
	_, s := testSession(t)
	sql := "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$"
	if code := execCode(t, s, sql); code != "0A000" {
		t.Fatalf("%s: got SQLSTATE %q, want 0A000", sql, code)
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
