package smallfs

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// Mount mounts a tmpfs of size bytes on a new temporary directory of t
// and returns it; t's Cleanup unmounts it (after the test's own cleanups
// registered later, which close what uses it).
func Mount(t testing.TB, size int64) string {
	t.Helper()
	requireRoot(t)
	dir, err := os.MkdirTemp("", "smallfs-")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		_ = os.Remove(dir)
		if os.Getenv("CI") == "true" {
			t.Fatalf("mounting a tmpfs on %s: %v", dir, err)
		}
		t.Skipf("mounting a tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
		_ = os.Remove(dir)
	})
	return dir
}
