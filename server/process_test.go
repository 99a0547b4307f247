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

// Helpers for tests that run the real binary as a process (kill -9
// tests).

// buildQuorumdb builds cmd/quorumdb into the test's temporary directory.
func buildQuorumdb(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "quorumdb")
	build := exec.Command("go", "build", "-o", bin, "../cmd/quorumdb")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDemoProcess runs `bin demo` on a free loopback port with its data
// in dataDir, waits until it accepts connections, and returns the process
// and its DSN. The test's cleanup kills it if it still runs.
func startDemoProcess(t *testing.T, bin, dataDir string) (*exec.Cmd, string) {
	t.Helper()
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
	ctx := context.Background()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Close(ctx)
			return cmd, dsn
		}
	}
	t.Fatal("server did not start")
	return nil, ""
}
