package sql

import (
	"context"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Errors leaving PL/pgSQL carry PostgreSQL 15's CONTEXT lines: the SQL
// statement that failed, then each function with the line and the kind
// of statement, innermost first (texts as psql printed them).
func TestPlpgsqlErrorContext(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, `CREATE FUNCTION c1(a int) RETURNS int AS $$
DECLARE b int;
BEGIN
  b := 10 / a;
  RETURN b;
END $$ LANGUAGE plpgsql`)
	mustExec(t, s, `CREATE FUNCTION c2(a int) RETURNS int AS $$
BEGIN
  IF a = 1 THEN RETURN 1; END IF;
  PERFORM 10 / 0;
END $$ LANGUAGE plpgsql`)
	mustExec(t, s, `CREATE FUNCTION c3() RETURNS int AS $$ BEGIN RETURN c2(2); END $$ LANGUAGE plpgsql`)
	mustExec(t, s, `CREATE FUNCTION c4() RETURNS text AS $$ DECLARE c text; BEGIN PERFORM 1/0; EXCEPTION WHEN others THEN GET STACKED DIAGNOSTICS c = PG_EXCEPTION_CONTEXT; RETURN c; END $$ LANGUAGE plpgsql`)
	for _, tc := range []struct{ sql, where string }{
		{"SELECT c1(0)", "PL/pgSQL function c1(integer) line 4 at assignment"},
		{"SELECT c2(2)", "SQL statement \"SELECT 10 / 0\"\nPL/pgSQL function c2(integer) line 4 at PERFORM"},
		{"SELECT c3()", "SQL statement \"SELECT 10 / 0\"\nPL/pgSQL function c2(integer) line 4 at PERFORM\nPL/pgSQL function c3() line 1 at RETURN"},
		{"DO $$ BEGIN\n  RAISE EXCEPTION 'x';\nEND $$", "PL/pgSQL function inline_code_block line 2 at RAISE"},
	} {
		err := s.ExecSimple(context.Background(), tc.sql, &recorder{})
		if got := pgerror.Flatten(err).Where; got != tc.where {
			t.Errorf("%s: CONTEXT %q, want %q (error %v)", tc.sql, got, tc.where, err)
		}
	}
	if got := rowsText(mustExec(t, s, "SELECT c4()")); got != "SQL statement \"SELECT 1/0\"\nPL/pgSQL function c4() line 1 at PERFORM" {
		t.Errorf("PG_EXCEPTION_CONTEXT = %q", got)
	}
}
