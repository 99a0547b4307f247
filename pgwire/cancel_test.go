package pgwire

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// TestCancelPgx: canceling the context of a running statement makes pgx
// send a CancelRequest; the statement fails with 57014 and the session
// goes on.
func TestCancelPgx(t *testing.T) {
	s := startServer(t, Config{})
	cfg, err := pgx.ParseConfig(s.url("postgres", "", "db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 5 * time.Second}
	}
	c, err := pgx.ConnectConfig(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())

	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		_, err = c.Exec(ctx, "sleep")
		cancel()
		if pgCode(err) != "57014" {
			t.Fatalf("canceled statement: %v", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("cancel took %v", d)
		}
		var n int
		if err := c.QueryRow(testCtx(t), "select 3").Scan(&n); err != nil || n != 3 {
			t.Fatalf("after cancel: %d, %v", n, err)
		}
	}
}

// TestCancelRaw cancels an extended-protocol statement with the key from
// BackendKeyData; a wrong secret cancels nothing.
func TestCancelRaw(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)
	c.send(&pgproto3.Parse{Query: "sleep"}, &pgproto3.Bind{}, &pgproto3.Flush{}, &pgproto3.Execute{}, &pgproto3.Sync{})
	equalTrace(t, []string{c.recv(), c.recv()}, "ParseComplete", "BindComplete")
	waitFor(t, func() bool { return s.runningStatements() == 1 })

	wrong := s.dialRaw(t)
	wrong.send(&pgproto3.CancelRequest{ProcessID: c.pid, SecretKey: c.secret + 1})
	equalTrace(t, wrong.expectClosed())
	if s.runningStatements() != 1 {
		t.Fatal("a wrong secret canceled the statement")
	}

	right := s.dialRaw(t)
	right.send(&pgproto3.CancelRequest{ProcessID: c.pid, SecretKey: c.secret})
	equalTrace(t, right.expectClosed())
	equalTrace(t, c.untilReady(), "ErrorResponse ERROR 57014 canceling statement due to user request", "ReadyForQuery I")
	c.send(&pgproto3.Query{String: "select 1"})
	equalTrace(t, c.untilReady(), "RowDescription ?column?:23/0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I")
}
