package pgwire

import (
	"testing"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestSimpleQuery(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"select 1; rows 2;select -3", []string{
			"RowDescription ?column?:23/0", `DataRow "1"`, "CommandComplete SELECT 1",
			"RowDescription n:23/0", `DataRow "1"`, `DataRow "2"`, "CommandComplete SELECT 2",
			"RowDescription ?column?:23/0", `DataRow "-3"`, "CommandComplete SELECT 1",
			"ReadyForQuery I"}},
		{"", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{" ; ", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		// The first error ends the message.
		{"select 1; error 22012 division by zero; select 2", []string{
			"RowDescription ?column?:23/0", `DataRow "1"`, "CommandComplete SELECT 1",
			"ErrorResponse ERROR 22012 division by zero", "ReadyForQuery I"}},
		{"notice hello; set search_path = x", []string{
			"NoticeResponse NOTICE 00000 hello", "CommandComplete DO",
			"ParameterStatus search_path=x", "CommandComplete SET", "ReadyForQuery I"}},
		{"begin; insert", []string{"CommandComplete BEGIN", "CommandComplete INSERT 0 1", "ReadyForQuery T"}},
		{"nonsense", []string{"ErrorResponse ERROR 42601 syntax error at or near \"nonsense\"", "ReadyForQuery E"}},
		{"select 1", []string{"ErrorResponse ERROR 25P02 current transaction is aborted, commands ignored until end of transaction block", "ReadyForQuery E"}},
		{"rollback", []string{"CommandComplete ROLLBACK", "ReadyForQuery I"}},
	} {
		c.send(&pgproto3.Query{String: tc.query})
		t.Run(tc.query, func(t *testing.T) { equalTrace(t, c.untilReady(), tc.want...) })
	}
	// Terminate closes the session cleanly.
	c.send(&pgproto3.Terminate{})
	equalTrace(t, c.expectClosed())
	waitFor(t, func() bool { return s.engine.closed.Load() == 1 })
}

// TestSimpleProtocolDrivers runs statements through pgx's simple protocol
// and lib/pq, checking error fields on the way.
func TestSimpleProtocolDrivers(t *testing.T) {
	s := startServer(t, Config{})
	c := s.connectURL(t, s.url("postgres", "", "db", "sslmode=disable", "default_query_exec_mode=simple_protocol"))
	ctx := testCtx(t)
	var n int
	if err := c.QueryRow(ctx, "select 42").Scan(&n); err != nil || n != 42 {
		t.Fatalf("select 42: %d, %v", n, err)
	}
	var sum int
	rows, err := c.Query(ctx, "rows 100")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	if rows.Err() != nil || sum != 5050 {
		t.Fatalf("rows 100: sum %d, %v", sum, rows.Err())
	}
	_, err = c.Exec(ctx, "error 23505 duplicate key value")
	var pe *pgconn.PgError
	if !asPgError(err, &pe) || pe.Code != "23505" || pe.Message != "duplicate key value" || pe.Hint != "a test error" || pe.Severity != "ERROR" {
		t.Fatalf("error: %#v", err)
	}
	_, err = c.Exec(ctx, "nonsense")
	if !asPgError(err, &pe) || pe.Position != 1 {
		t.Fatalf("position: %#v", err)
	}
	tag, err := c.Exec(ctx, "begin; insert; commit")
	if err != nil || tag.String() != "COMMIT" {
		t.Fatalf("multi-statement: %q, %v", tag, err)
	}

	db := openPQ(t, s.url("postgres", "", "db"))
	if err := db.QueryRow("select 9").Scan(&n); err != nil || n != 9 {
		t.Fatalf("lib/pq: %d, %v", n, err)
	}
	if _, err := db.Exec("error 40001 restart transaction"); pqCode(err) != "40001" {
		t.Fatalf("lib/pq error: %v", err)
	}
}
