package raftlog

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// removeEmptyBadgerFiles deletes the 0-byte memtable WAL (.mem) and value
// log (.vlog) files a crash can leave in badger's directory: badger
// creates such a file and only then sizes it, and badger.Open fails on an
// empty one ("while opening memtables ... Create a new file",
// dgraph-io/badger issue 2207; kv/badgerfiles.go does the same). An empty
// file holds no entry, so removing it loses nothing: the write that made
// badger create it had not returned, so its Commit had not either.
// TestCrash found this after a kill.
func removeEmptyBadgerFiles(dir string, logger *slog.Logger) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("raftlog: listing %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".mem") || strings.HasSuffix(name, ".vlog")) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("raftlog: %s: %w", name, err)
		}
		if info.Size() != 0 {
			continue
		}
		logger.Warn("removing an empty badger file left by a crash", "file", name)
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("raftlog: removing empty %s: %w", name, err)
		}
	}
	return nil
}
