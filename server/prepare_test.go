package server

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// SQL PREPARE and the protocol's Parse share one set of named statements,
// as in PostgreSQL: each can execute what the other prepared.
func TestPreparedStatementsSharedWithProtocol(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	// Parse (protocol) → EXECUTE (SQL).
	if _, err := conn.Prepare(ctx, "twice", `SELECT $1::int * 2`); err != nil {
		t.Fatal(err)
	}
	var got int
	if err := conn.QueryRow(ctx, `EXECUTE twice(21)`, pgx.QueryExecModeSimpleProtocol).Scan(&got); err != nil || got != 42 {
		t.Fatalf("EXECUTE twice(21) = %d, %v", got, err)
	}
	var fromSQL bool
	var stmt string
	if err := conn.QueryRow(ctx, `SELECT from_sql, statement FROM pg_prepared_statements WHERE name = 'twice'`).Scan(&fromSQL, &stmt); err != nil || fromSQL || stmt != `SELECT $1::int * 2` {
		t.Fatalf("pg_prepared_statements: %v %q %v", fromSQL, stmt, err)
	}
	// PREPARE (SQL) → Bind/Execute by name (protocol), and EXECUTE through
	// the extended protocol.
	if _, err := conn.Exec(ctx, `PREPARE plus (int, int) AS SELECT $1 + $2`, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	res := conn.PgConn().ExecPrepared(ctx, "plus", [][]byte{[]byte("40"), []byte("2")}, nil, nil).Read()
	if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != "42" {
		t.Fatalf("protocol execution of SQL-prepared plus: %v %v", res.Rows, res.Err)
	}
	if err := conn.QueryRow(ctx, `EXECUTE plus(1, 1)`).Scan(&got); err != nil || got != 2 {
		t.Fatalf("extended EXECUTE plus(1, 1) = %d, %v", got, err)
	}
	// DEALLOCATE removes the protocol's statement too.
	if _, err := conn.Exec(ctx, `DEALLOCATE twice`, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `EXECUTE twice(1)`, pgx.QueryExecModeSimpleProtocol); pgCode(err) != "26000" {
		t.Fatalf("EXECUTE after DEALLOCATE: %v", err)
	}
}
