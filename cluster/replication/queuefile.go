package replication

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Files kept beside a queue's wal segments. Their names are shorter than
// 20 characters, so wal ignores them (it only loads 20-digit names).
const (
	metaFile  = "queue.meta"
	epochFile = "EPOCH"
)

// loadOrCreateMeta returns the incarnation of the queue in dir, creating
// queue.meta with a new random incarnation when the queue is new.
func loadOrCreateMeta(dir string, peer, n int) (uint64, error) {
	path := filepath.Join(dir, metaFile)
	data, err := os.ReadFile(path)
	if err == nil {
		for line := range strings.Lines(string(data)) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "incarnation "); ok {
				inc, perr := strconv.ParseUint(v, 16, 64)
				if perr == nil && inc != 0 {
					return inc, nil
				}
			}
		}
		// Unreadable meta: treat the queue as a new incarnation, which
		// makes the receiver drop its caches — the safe direction.
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("replication: read %s: %w", path, err)
	}
	inc := randomNonZero()
	body := fmt.Sprintf("incarnation %016x\npeer %d\nindex %d\nname %s\n", inc, peer, n, QueueName(peer, n))
	if err := writeFileAtomic(path, []byte(body)); err != nil {
		return 0, err
	}
	return inc, nil
}

// loadOrCreateEpoch reads root/EPOCH, creating it when absent; fresh is
// true when it was created, i.e. the node had no queue state.
func loadOrCreateEpoch(root string) (epoch uint64, fresh bool, err error) {
	path := filepath.Join(root, epochFile)
	data, err := os.ReadFile(path)
	if err == nil {
		if e, perr := strconv.ParseUint(strings.TrimSpace(string(data)), 16, 64); perr == nil && e != 0 {
			return e, false, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, false, fmt.Errorf("replication: read %s: %w", path, err)
	}
	epoch = randomNonZero()
	if err := writeFileAtomic(path, []byte(fmt.Sprintf("%016x\n", epoch))); err != nil {
		return 0, false, err
	}
	return epoch, true, nil
}

func randomNonZero() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		if v := binary.LittleEndian.Uint64(b[:]); v != 0 {
			return v
		}
	}
}

// writeFileAtomic writes path through a synced temporary file and a
// rename, then syncs the directory so the rename survives a crash.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("replication: write %s: %w", path, err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("replication: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replication: write %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("replication: sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("replication: sync dir %s: %w", dir, err)
	}
	return nil
}
