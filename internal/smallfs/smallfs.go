//go:build unix

package smallfs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// Free returns the bytes available on dir's filesystem (f_bavail, what
// kv's free-space guard reads).
func Free(t testing.TB, dir string) int64 {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatalf("statfs %s: %v", dir, err)
	}
	return int64(st.Bavail) * int64(st.Bsize) // the field types differ by platform
}

// Fill writes the file dir/name until about leave bytes remain free on
// dir's filesystem (less if the filesystem is already below) and returns
// its path. The file is synced, so the space is really taken.
func Fill(t testing.TB, dir, name string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("creating fill file: %v", err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for {
		free := Free(t, dir)
		if free <= leave {
			break
		}
		n := min(int64(len(chunk)), free-leave)
		if _, err := f.Write(chunk[:n]); err != nil {
			if errors.Is(err, unix.ENOSPC) {
				break
			}
			t.Fatalf("writing fill file: %v", err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatalf("syncing fill file: %v", err)
	}
	return path
}

// requireRoot reports whether mounting can work, failing under CI=true when it
// cannot and skipping otherwise.
func requireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("mounting a tmpfs needs root, and CI runs as root")
	}
	t.Skip("mounting a tmpfs needs root")
}
