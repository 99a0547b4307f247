package dbproc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestStartPostgres starts a PostgreSQL and asks its version. Without
// the server binaries the test is skipped, or fails when CI=true (CI
// installs them).
func TestStartPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx := context.Background()
	dir := filepath.Join(TempDir(t), "pg")
	s, err := StartPostgres(ctx, dir, nil)
	if errors.Is(err, ErrNoPostgres) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	c, err := pgx.Connect(ctx, s.DSN(s.Port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var v string
	if err := c.QueryRow(ctx, "show server_version_num").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if len(v) != 6 {
		t.Errorf("server_version_num = %q", v)
	}
}

// TempDir is a private temporary directory removed at the end of the
// test, directly under os.TempDir, so that the server's user can be
// given it (t.TempDir's parent is private to this user).
func TempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "dbproc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
