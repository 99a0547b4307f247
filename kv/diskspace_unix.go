//go:build unix

package kv

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// freeBytes is the space available to an unprivileged writer on dir's
// filesystem (f_bavail: root's reserved blocks are not counted, so the
// store stops before the filesystem does even when run as root).
func freeBytes(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("kv: statfs %s: %w", dir, err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil // the field types differ by platform
}
