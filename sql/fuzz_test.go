package sql

import (
	"context"
	"testing"
	"time"
)

// FuzzStatements runs arbitrary SQL through a session: whatever the input,
// the engine must answer with rows or a PostgreSQL error, never panic, and
// the session must keep working afterwards.
func FuzzStatements(f *testing.F) {
	for _, seed := range []string{
		"SELECT 1",
		"CREATE TABLE f (a int PRIMARY KEY, b text); INSERT INTO f VALUES (1, 'x')",
		"SELECT a, count(*) FROM f GROUP BY a HAVING count(*) > 0 ORDER BY 1",
		"SELECT * FROM f x JOIN f y ON x.a = y.a LEFT JOIN f z USING (a) WHERE x.b LIKE 'x%'",
		"UPDATE f SET b = b || '!' WHERE a IN (SELECT a FROM f) RETURNING *",
		"SELECT CASE WHEN a > 0 THEN 'p' ELSE NULL END, coalesce(b, 'n') FROM f",
		"BEGIN; SAVEPOINT s; DELETE FROM f; ROLLBACK TO s; COMMIT",
		"SELECT (SELECT max(a) FROM f), ARRAY(SELECT b FROM f), 1/0",
		"WITH c AS (SELECT 1 AS x) SELECT x FROM c UNION SELECT 2 ORDER BY 1 LIMIT 1",
		"SELECT * FROM generate_series(1, 3) g WHERE g BETWEEN 2 AND 3",
		"SELECT '2024-01-01'::date + 1, 1.5::numeric(3,1), 'a'::varchar(1)",
	} {
		f.Add(seed)
	}
	_, s := testSession(f)
	f.Fuzz(func(t *testing.T, query string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.ExecSimple(ctx, query, &recorder{})
		if s.TxnStatus() != TxnIdle {
			_ = s.ExecSimple(context.Background(), "ROLLBACK", &recorder{})
		}
		r := &recorder{}
		if err := s.ExecSimple(context.Background(), "SELECT 1", r); err != nil || len(r.rows) != 1 {
			t.Fatalf("session broken after %q: %v", query, err)
		}
	})
}
