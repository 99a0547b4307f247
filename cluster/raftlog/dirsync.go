package raftlog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// syncNewWALs fsyncs the store's directory when the set of badger's
// memtable WAL files (*.mem) changed since the last call. Badger creates
// a new WAL when a memtable fills, during a write, and does not sync the
// directory entry; DB.Sync then syncs the file's data only. On ext4 and
// XFS a file's fsync commits the journal that also holds its creation,
// but POSIX does not promise it, and the cost of making sure is a
// directory listing per sync plus, rarely, a directory fsync. Called by
// writer.sync only, under the store's lock.
func (s *Store) syncNewWALs() error {
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
