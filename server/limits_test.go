package server

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDeepStatementRefused: a statement nested deeper than the parser
// can take (40,000 additions killed the node inside the parser) fails
// with 54001 as in PostgreSQL, and the session and node keep serving.
func TestDeepStatementRefused(t *testing.T) {
	n := startNode(t, testConfig(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := connect(t, n)
	for _, q := range []string{
		"select 1" + strings.Repeat("+1", 40000),
		"select 1" + strings.Repeat("::int", 30000),
	} {
		var v int
		err := conn.QueryRow(ctx, q).Scan(&v)
		if pgCode(err) != "54001" || !strings.Contains(err.Error(), "stack depth limit exceeded") {
			t.Errorf("%.30s…: %v, want 54001 stack depth limit exceeded", q, err)
		}
	}
	var v int
	if err := conn.QueryRow(ctx, "select 1"+strings.Repeat("+1", 3000)).Scan(&v); err != nil || v != 3001 {
		t.Fatalf("a chain of 3,000 after the refusals: %d, %v", v, err)
	}
}
