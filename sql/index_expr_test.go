package sql

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestExprIndexPlans checks that EXPLAIN shows an expression index used
// for a WHERE on its expression and a partial index used when the WHERE
// implies its predicate, and not otherwise.
func TestExprIndexPlans(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE users (id int PRIMARY KEY, email text, name text)")
	mustExec(t, s, "CREATE UNIQUE INDEX ON users (lower(email))")
	mustExec(t, s, "CREATE TABLE t (id int PRIMARY KEY, k int, deleted_at timestamp, note text)")
	mustExec(t, s, "CREATE UNIQUE INDEX ON t (k) WHERE deleted_at IS NULL")
	mustExec(t, s, "CREATE INDEX t_note_idx ON t (k) WHERE note IS NOT NULL")
	mustExec(t, s, "CREATE TABLE events (id int PRIMARY KEY, payload jsonb)")
	mustExec(t, s, "CREATE INDEX ON events ((payload->>'kind'))")
	for _, c := range []struct {
		query string
		want  string // a line of the plan; "" means no index scan
	}{
		{"SELECT * FROM users WHERE lower(email) = 'a@b'", "Index Scan using users_lower_idx on users"},
		{"SELECT * FROM users WHERE lower(email) > 'a' AND lower(email) < 'b'", "Index Scan using users_lower_idx on users"},
		{"SELECT * FROM users WHERE upper(email) = 'A@B'", ""},
		{"SELECT * FROM users WHERE email = 'a@b'", ""},
		{"SELECT * FROM t WHERE k = 1 AND deleted_at IS NULL", "Index Scan using t_k_idx on t"},
		{"SELECT * FROM t WHERE k = 1", ""},
		{"SELECT * FROM t WHERE k = 1 AND note = 'x'", "Index Scan using t_note_idx on t"},
		{"SELECT * FROM events WHERE payload->>'kind' = 'click'", "Index Scan using events_expr_idx on events"},
	} {
		plan := rowsText(mustExec(t, s, "EXPLAIN "+c.query))
		if c.want == "" {
			if strings.Contains(plan, "Index Scan") {
				t.Errorf("%s: plan uses an index:\n%s", c.query, plan)
			}
			continue
		}
		if !strings.Contains(plan, c.want) {
			t.Errorf("%s: plan\n%s\nwant a line %q", c.query, plan, c.want)
		}
	}
	// The chosen index returns the right rows.
	mustExec(t, s, "INSERT INTO t VALUES (1, 1, NULL, NULL), (2, 1, '2024-01-01', 'x'), (3, 1, '2024-01-02', NULL)")
	if got := rowsText(mustExec(t, s, "SELECT id FROM t WHERE k = 1 AND note = 'x'")); got != "2" {
		t.Errorf("rows through the partial index: %q", got)
	}
	if got := rowsText(mustExec(t, s, "SELECT id FROM t WHERE k = 1 AND deleted_at IS NULL")); got != "1" {
		t.Errorf("rows through the partial unique index: %q", got)
	}
}

// TestExprIndexUniqueDetail checks the 23505 error of an expression
// index: PostgreSQL's message, detail and constraint name.
func TestExprIndexUniqueDetail(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE users (id int PRIMARY KEY, email text)")
	mustExec(t, s, "CREATE UNIQUE INDEX ON users (lower(email))")
	mustExec(t, s, "INSERT INTO users VALUES (1, 'Ann@x')")
	err := s.ExecSimple(context.Background(), "INSERT INTO users VALUES (2, 'ANN@X')", &recorder{})
	var pe *pgerror.Error
	if !errors.As(err, &pe) || pe.Code != pgerror.UniqueViolation {
		t.Fatalf("err = %v, want 23505", err)
	}
	if pe.Message != `duplicate key value violates unique constraint "users_lower_idx"` || pe.Detail != "Key (lower(email))=(ann@x) already exists." {
		t.Errorf("message %q detail %q", pe.Message, pe.Detail)
	}
	mustExec(t, s, "CREATE TABLE dup (id int PRIMARY KEY, email text)")
	mustExec(t, s, "INSERT INTO dup VALUES (1, 'a'), (2, 'A')")
	err = s.ExecSimple(context.Background(), "CREATE UNIQUE INDEX dup_lower ON dup (lower(email))", &recorder{})
	if !errors.As(err, &pe) || pe.Code != pgerror.UniqueViolation || pe.Detail != "Key (lower(email))=(a) is duplicated." {
		t.Fatalf("building over duplicates: %v (detail %q)", err, pe.Detail)
	}
}

// TestPartialIndexCopy checks that COPY maintains a partial unique index:
// rows outside the predicate are free to repeat a key, rows inside not.
func TestPartialIndexCopy(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE t (id int PRIMARY KEY, k int, active bool)")
	mustExec(t, s, "CREATE UNIQUE INDEX t_active_k ON t (k) WHERE active")
	r := &recorder{copyIn: []string{"1\t7\tt\n2\t7\tf\n3\t7\tf\n"}}
	if err := s.ExecSimple(context.Background(), "COPY t FROM STDIN", r); err != nil {
		t.Fatal(err)
	}
	r = &recorder{copyIn: []string{"4\t7\tt\n"}}
	if err := s.ExecSimple(context.Background(), "COPY t FROM STDIN", r); pgerror.CodeOf(err) != pgerror.UniqueViolation {
		t.Fatalf("COPY of a duplicate active key: %v", err)
	}
	if got := rowsText(mustExec(t, s, "SELECT id FROM t WHERE k = 7 AND active")); got != "1" {
		t.Errorf("active rows: %q", got)
	}
}
