package pgtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/quorumdb/quorumdb/internal/dbproc"
)

// Server starts a throwaway PostgreSQL (dbproc.StartPostgres: initdb in a
// temporary directory, trust authentication, a free loopback port, run
// as the postgres user when root) and stops it when the test ends.
// Without PostgreSQL's binaries the test is skipped, or fails when
// CI=true (CI installs them).
func Server(t testing.TB) *dbproc.Server {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	logPath := filepath.Join(dir, "postgres.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	// The server lives until the test's cleanup stops it, not until
	// some caller's context ends.
	srv, err := dbproc.StartPostgres(context.Background(), filepath.Join(dir, "pg"), logf)
	if errors.Is(err, dbproc.ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("starting PostgreSQL: %v\n%s", err, log)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// Start is Server's DSN, for the database postgres as user postgres.
func Start(t testing.TB) string {
	t.Helper()
	s := Server(t)
	return s.DSN(s.Port)
}
