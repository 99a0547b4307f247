package sql

import "testing"

// TestProjectSetPlan checks that select-list set-returning calls run in a
// ProjectSet per nesting level, above the aggregation they follow.
func TestProjectSetPlan(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE ps (id int PRIMARY KEY)")
	got := rowsText(mustExec(t, s, "EXPLAIN SELECT generate_series(1, count(*)::int), generate_series(1, generate_series(1, 2)) FROM ps"))
	want := "Project\n  ->  ProjectSet\n    ->  ProjectSet\n      ->  Aggregate\n        ->  Seq Scan on ps"
	if got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}
