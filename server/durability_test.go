package server

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestKill9KeepsCommittedData runs the quorumdb binary, commits rows
// through pgx, kills the process with SIGKILL, restarts it on the same
// data directory and checks every acknowledged row is there.
func TestKill9KeepsCommittedData(t *testing.T) {
	bin := buildQuorumdb(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	start := func() (*exec.Cmd, string) { return startDemoProcess(t, bin, dataDir) }
	ctx := context.Background()
	cmd, dsn := start()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE ledger (id int PRIMARY KEY, amount int)`); err != nil {
		t.Fatal(err)
	}
	const rows = 200
	for i := 0; i < rows; i++ {
		if _, err := conn.Exec(ctx, `INSERT INTO ledger VALUES ($1, $2)`, i, i*10); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE ledger SET amount = amount + 1`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// An uncommitted transaction at the time of the kill must vanish.
	open, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.Exec(ctx, `INSERT INTO ledger VALUES (9999, 1)`); err != nil {
		t.Fatal(err)
	}
	conn = restartAfterKill(t, cmd, conn, start)
	defer conn.Close(ctx)
	var count, sum int64
	if err := conn.QueryRow(ctx, `SELECT count(*), sum(amount) FROM ledger`).Scan(&count, &sum); err != nil {
		t.Fatal(err)
	}
	wantSum := int64(0)
	for i := 0; i < rows; i++ {
		wantSum += int64(i*10 + 1)
	}
	if count != rows || sum != wantSum {
		t.Fatalf("after kill -9: %d rows, sum %d; want %d rows, sum %d", count, sum, rows, wantSum)
	}
}
