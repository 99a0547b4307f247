package sql

import (
	"context"
	"testing"
)

// A SET ROLE in a multi-statement Query message is part of the message's
// implicit transaction: undone when a later statement fails, kept when
// it commits, and a later block's rollback goes back to the kept role,
// not to one from before the message.
func TestRoleSwitchInImplicitBlock(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE ROLE rt_a; CREATE ROLE rt_b")
	user := func() string { return rowsText(mustExec(t, s, "SELECT current_user")) }

	if err := s.ExecSimple(context.Background(), "SET ROLE rt_a; SELECT 1/0", &recorder{}); err == nil {
		t.Fatal("division by zero succeeded")
	}
	if got := user(); got != "postgres" {
		t.Fatalf("after the failed message current_user = %s, want postgres", got)
	}
	mustExec(t, s, "SET ROLE rt_a; SELECT 1")
	if got := user(); got != "rt_a" {
		t.Fatalf("after the committed message current_user = %s, want rt_a", got)
	}
	mustExec(t, s, "BEGIN")
	mustExec(t, s, "SET ROLE rt_b")
	mustExec(t, s, "ROLLBACK")
	if got := user(); got != "rt_a" {
		t.Fatalf("after ROLLBACK current_user = %s, want rt_a", got)
	}
}
