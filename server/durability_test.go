package server

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestKill9KeepsCommittedData runs the quorumdb binary, commits rows
// through pgx, kills the process with SIGKILL, restarts it on the same
// data directory and checks every acknowledged row is there.
func TestKill9KeepsCommittedData(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "quorumdb")
	build := exec.Command("go", "build", "-o", bin, "../cmd/quorumdb")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dataDir := filepath.Join(t.TempDir(), "data")
	start := func() (*exec.Cmd, string) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		cmd := exec.Command(bin, "demo", "--sql-port", strconv.Itoa(port), "--data-dir", dataDir)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/quorumdb?sslmode=disable", port)
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			c, err := pgx.Connect(context.Background(), dsn)
			if err == nil {
				c.Close(context.Background())
				return cmd, dsn
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("server did not start")
		return nil, ""
	}
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
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	conn.Close(ctx)

	_, dsn = start()
	conn, err = pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
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
