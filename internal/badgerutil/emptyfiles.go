package badgerutil

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// RemoveEmptyFiles deletes the 0-byte memtable WAL (.mem) and value log
// (.vlog) files a crash can leave in badger's directory dir: badger
// creates such a file and only then sizes it, and badger.Open fails on an
// empty one ("while opening memtables ... Create a new file",
// dgraph-io/badger issue 2207). An empty file holds no entry, so
// removing it loses nothing: the write that made badger create it had not
// returned. A missing dir is not an error (nothing to repair).
func RemoveEmptyFiles(dir string, logger *slog.Logger) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("listing %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".mem") || strings.HasSuffix(name, ".vlog")) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if info.Size() != 0 {
			continue
		}
		logger.Warn("removing an empty badger file left by a crash", "dir", dir, "file", name)
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("removing empty %s: %w", name, err)
		}
	}
	return nil
}
