package server

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestDropDependentsMessages checks what psql shows for a refused DROP
// (message, DETAIL listing every dependent, HINT) and for DROP CASCADE
// (the notice naming what went with it), as PostgreSQL 15 words them.
func TestDropDependentsMessages(t *testing.T) {
	n := startNode(t, testConfig(t))
	ctx := context.Background()
	var notices []*pgconn.Notice
	cfg, err := pgx.ParseConfig("postgres://postgres@" + n.SQLAddr() + "/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n) }
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE t (a int, b int)",
		"CREATE VIEW v AS SELECT a FROM t",
		"CREATE VIEW v2 AS SELECT * FROM v",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	refusals := []struct{ sql, message, detail string }{
		{"DROP TABLE t", "cannot drop table t because other objects depend on it",
			"view v depends on table t\nview v2 depends on view v"},
		{"ALTER TABLE t DROP COLUMN a", "cannot drop column a of table t because other objects depend on it",
			"view v depends on column a of table t\nview v2 depends on view v"},
	}
	for _, r := range refusals {
		_, err := conn.Exec(ctx, r.sql)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "2BP01" || pe.Message != r.message || pe.Detail != r.detail ||
			pe.Hint != "Use DROP ... CASCADE to drop the dependent objects too." {
			t.Fatalf("%s: got %#v", r.sql, err)
		}
	}
	if _, err := conn.Exec(ctx, "DROP TABLE t CASCADE"); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].Message != "drop cascades to 2 other objects" ||
		notices[0].Detail != "drop cascades to view v\ndrop cascades to view v2" {
		t.Fatalf("notices: %+v", notices)
	}
}
