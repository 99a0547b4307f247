package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestStatementMemoryBudget: a statement whose sorts, groups or joins
// would hold more than sql.max_statement_memory fails with 53200 naming
// the setting, while the session, the node and other sessions go on;
// memory an operator lets go of (a correlated subquery's rows, row by
// row) is given back, so long statements under the budget still run.
func TestStatementMemoryBudget(t *testing.T) {
	c := testConfig(t)
	c.SQL.MaxStatementMemory = 64 << 20
	n := startNode(t, c)
	conn := connect(t, n)
	other := connect(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	for name, q := range map[string]string{
		"sort":      "select count(*) from (select g, repeat('x', 100) as pad from generate_series(1, 2000000) g order by pad, g desc) s",
		"group by":  "select count(*) from (select g, count(*) from generate_series(1, 3000000) g group by g) s",
		"hash join": "select count(*) from generate_series(1, 10) a join (select g, repeat('y', 200) as pad from generate_series(1, 1000000) g) b on a = b.g",
		"distinct":  "select count(*) from (select distinct g from generate_series(1, 3000000) g) s",
	} {
		var v int64
		err := conn.QueryRow(ctx, q).Scan(&v)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "53200" || pe.Message != "out of memory" || !strings.Contains(pe.Detail, "sql.max_statement_memory (64MB)") {
			t.Errorf("%s: %v, want 53200 out of memory naming sql.max_statement_memory (64MB)", name, err)
			continue
		}
		var one int
		if err := other.QueryRow(ctx, "select 1").Scan(&one); err != nil {
			t.Fatalf("another session after %s: %v", name, err)
		}
	}
	var v int64
	if err := conn.QueryRow(ctx, "select count(*) from (select g from generate_series(1, 200000) g order by g desc) s").Scan(&v); err != nil || v != 200000 {
		t.Fatalf("a sort within the budget: %d, %v", v, err)
	}
	// 3,000 executions of a correlated subquery sorting 1,000 rows: 3
	// million rows in all, far past the budget if they were not given
	// back after each row.
	q := "select sum((select count(*) from (select x from generate_series(1, 1000) x order by x desc) s where s.x > g.g)) from generate_series(1, 3000) g"
	if err := conn.QueryRow(ctx, q).Scan(&v); err != nil {
		t.Fatalf("correlated subquery: %v", err)
	}
	if want := int64(0); v <= want {
		t.Errorf("correlated subquery sum %d", v)
	}
}
