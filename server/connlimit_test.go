package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestConnectionLimit: sql.max_connections bounds a node's client
// connections as PostgreSQL's max_connections does, with the last slots
// kept for superusers; a slot is free again once its connection ends,
// and the node keeps serving throughout.
func TestConnectionLimit(t *testing.T) {
	c := testConfig(t)
	c.SQL.MaxConnections = 3
	c.SQL.SuperuserReservedConnections = 1
	n := startNode(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := connect(t, n) // slot 1
	if _, err := admin.Exec(ctx, "create role app login"); err != nil {
		t.Fatal(err)
	}
	var shown string
	if err := admin.QueryRow(ctx, "show max_connections").Scan(&shown); err != nil || shown != "3" {
		t.Fatalf("show max_connections: %q, %v", shown, err)
	}
	open := func(user string) (*pgx.Conn, error) {
		conn, err := pgx.Connect(ctx, "postgres://"+user+"@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
		if err == nil {
			t.Cleanup(func() { _ = conn.Close(context.Background()) })
		}
		return conn, err
	}
	app, err := open("app") // slot 2
	if err != nil {
		t.Fatal(err)
	}
	// Slot 3 is the reserved one: app may not take it, postgres may.
	if _, err := open("app"); pgCode(err) != "53300" {
		t.Fatalf("app in the reserved slot: %v, want 53300", err)
	}
	admin2, err := open("postgres")
	if err != nil {
		t.Fatalf("postgres in the reserved slot: %v", err)
	}
	if _, err := open("postgres"); pgCode(err) != "53300" || !strings.Contains(err.Error(), "sorry, too many clients already") {
		t.Fatalf("a fourth connection: %v, want 53300 sorry, too many clients already", err)
	}
	// Connections that are open keep working.
	var one int
	if err := app.QueryRow(ctx, "select 1").Scan(&one); err != nil {
		t.Fatalf("app after the refusals: %v", err)
	}
	// A slot is given back when its connection ends.
	_ = admin2.Close(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for n.pg.SlotsTaken() > 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := open("postgres"); err != nil {
		t.Fatalf("after a connection closed: %v", err)
	}
}
