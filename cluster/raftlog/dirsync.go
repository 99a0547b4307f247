package raftlog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// syncNewWALs fsyncs the store's directory when the set of badger's
// memtable WAL files (*.mem) changed since the last call. Badger creates
// a new WAL when a memtable fills, during a write, and does not sync the
// directory entry; DB.Sync then syncs the file's data only. On ext4 and
// XFS a file's fsync commits the journal that also holds its creation,
// but POSIX does not promise it. Creating a file changes the directory's
// modification time, so a stat of the directory (one system call) shows
// whether a listing is needed at all: a listing per sync cost 12% of a
// node's CPU under a stream of small commits. File times are coarse (a
// clock tick), so while the directory changed less than recentChange
// ago it is listed anyway: a second file created within the tick of the
// last listing would leave the time as it was. Called by writer.sync
// only, under the store's lock.
func (s *Store) syncNewWALs() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return fmt.Errorf("raftlog: %w", err)
	}
	mtime := fi.ModTime()
	if mtime.Equal(s.dirTime) && time.Since(mtime) > recentChange {
		return nil
	}
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("raftlog: listing %s: %w", s.dir, err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".mem") {
			names = append(names, e.Name())
		}
	}
	s.dirTime = mtime
	set := strings.Join(names, ",")
	if set == s.walFiles {
		return nil
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	s.walFiles = set
	return nil
}

// recentChange is how long after the directory last changed syncNewWALs
// lists it at every sync regardless of its time (see there).
const recentChange = time.Second

func syncDir(dir string) error {
	d, err := os.Open(filepath.Clean(dir))
	if err != nil {
		return fmt.Errorf("raftlog: opening %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("raftlog: syncing %s: %w", dir, err)
	}
	return nil
}
