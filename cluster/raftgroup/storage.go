package raftgroup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"

	"github.com/tidwall/wal"

	"github.com/quorumdb/quorumdb/internal/walrepair"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

const (
	hardStateFile = "hardstate"
	snapshotFile  = "snapshot"
	logDirPrefix  = "log-"
	// logSegmentBytes is the segment size of the entry log; tidwall/wal
	// keeps the tail segment in memory.
	logSegmentBytes = 16 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// diskStorage is the durable half of a group's Raft storage (the other
// half, raft.MemoryStorage, serves raft's reads). What is on disk in Dir:
//
//   - hardstate: the raftpb.HardState (term, vote, and a commit index
//     that may lag: it is rewritten only with term or vote).
//   - snapshot: the last snapshot's metadata, the base of the current
//     entry log and, for a snapshot received from a leader, its data.
//   - log-<base>/: tidwall/wal segments; the entry at wal index i is the
//     Raft entry base+i. A snapshot received from a leader replaces the
//     whole log, which then starts in a new directory named after the
//     snapshot's index (tidwall/wal cannot start at an arbitrary index).
//
// The two small files are replaced atomically (tmp, fsync, rename, fsync
// of the directory) and end in a CRC-32C of their content. Only the
// group's loop goroutine uses a diskStorage.
type diskStorage struct {
	dir     string
	log     *wal.Log
	logBase uint64
	hs      raftpb.HardState
}

// restored is what Open found on disk.
type restored struct {
	snap raftpb.Snapshot // with its data when it came from a leader
	hs   raftpb.HardState
	ents []raftpb.Entry // every entry after the snapshot, in order
}

func openDiskStorage(dir string) (*diskStorage, restored, error) {
	var r restored
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, r, fmt.Errorf("raftgroup: creating %s: %w", dir, err)
	}
	s := &diskStorage{dir: dir}
	if data, err := readChecked(filepath.Join(dir, snapshotFile)); err != nil {
		return nil, r, err
	} else if data != nil {
		if len(data) < 8 {
			return nil, r, fmt.Errorf("raftgroup: %s is too short", filepath.Join(dir, snapshotFile))
		}
		s.logBase = binary.BigEndian.Uint64(data)
		if err := r.snap.Unmarshal(data[8:]); err != nil {
			return nil, r, fmt.Errorf("raftgroup: decoding %s: %w", filepath.Join(dir, snapshotFile), err)
		}
	}
	if data, err := readChecked(filepath.Join(dir, hardStateFile)); err != nil {
		return nil, r, err
	} else if data != nil {
		if err := r.hs.Unmarshal(data); err != nil {
			return nil, r, fmt.Errorf("raftgroup: decoding %s: %w", filepath.Join(dir, hardStateFile), err)
		}
	}
	s.hs = r.hs
	// A log directory other than the snapshot's is left over from a crash
	// while a received snapshot replaced the log: it is obsolete.
	if err := removeOtherLogs(dir, s.logBase); err != nil {
		return nil, r, err
	}
	l, err := openLog(s.logDir(s.logBase))
	if err != nil {
		return nil, r, err
	}
	s.log = l
	first, last, err := s.walBounds()
	if err != nil {
		l.Close()
		return nil, r, err
	}
	for i := first; i <= last; i++ {
		data, err := l.Read(i)
		if err != nil {
			l.Close()
			return nil, r, fmt.Errorf("raftgroup: reading log entry %d: %w", s.logBase+i, err)
		}
		var e raftpb.Entry
		if err := e.Unmarshal(data); err != nil {
			l.Close()
			return nil, r, fmt.Errorf("raftgroup: decoding log entry %d: %w", s.logBase+i, err)
		}
		if e.Index != s.logBase+i {
			l.Close()
			return nil, r, fmt.Errorf("raftgroup: log entry at position %d has index %d, want %d", i, e.Index, s.logBase+i)
		}
		// Entries covered by the snapshot remain after a crash between
		// writing the snapshot file and truncating the log.
		if e.Index > r.snap.Metadata.Index {
			r.ents = append(r.ents, e)
		}
	}
	return s, r, nil
}

// save makes one Ready's state durable: a received snapshot first (it
// resets the log), then the new entries, then the hard state when its
// term or vote changed, each synced, so that nothing sent afterwards
// depends on unsynced state.
func (s *diskStorage) save(snap raftpb.Snapshot, hs raftpb.HardState, ents []raftpb.Entry) error {
	if !raft.IsEmptySnap(snap) {
		if err := s.writeSnapshot(snap, snap.Metadata.Index); err != nil {
			return err
		}
		if err := s.resetLog(snap.Metadata.Index); err != nil {
			return err
		}
	}
	if len(ents) > 0 {
		if err := s.append(ents); err != nil {
			return err
		}
	}
	// Term and vote are promises to other nodes and must be durable
	// before messages leave. The commit index need not be (raft's
	// MustSync ignores it): it is written along, and Open raises a stale
	// one to what the state machine has applied. This saves two fsyncs
	// per Ready on the commit path.
	if s.termOrVoteChanges(hs) {
		data, err := hs.Marshal()
		if err != nil {
			return fmt.Errorf("raftgroup: encoding hard state: %w", err)
		}
		if err := writeFileAtomic(s.dir, hardStateFile, data); err != nil {
			return err
		}
		s.hs = hs
	}
	return nil
}

// termOrVoteChanges reports whether saving hs would change the durable
// term or vote.
func (s *diskStorage) termOrVoteChanges(hs raftpb.HardState) bool {
	return !raft.IsEmptyHardState(hs) && (hs.Term != s.hs.Term || hs.Vote != s.hs.Vote)
}

// append writes ents (consecutive, from any index after the log's base)
// to the log, first cutting off a conflicting suffix that a new leader
// overwrites, and syncs.
func (s *diskStorage) append(ents []raftpb.Entry) error {
	first := ents[0].Index
	if first <= s.logBase {
		return fmt.Errorf("raftgroup: appending entry %d at or below the log base %d", first, s.logBase)
	}
	_, last, err := s.walBounds()
	if err != nil {
		return err
	}
	if lastIndex := s.logBase + last; first <= lastIndex {
		if err := s.log.TruncateBack(first - 1 - s.logBase); err != nil {
			return fmt.Errorf("raftgroup: truncating the log after entry %d: %w", first-1, err)
		}
	} else if first != lastIndex+1 {
		return fmt.Errorf("raftgroup: appending entry %d after entry %d leaves a gap", first, lastIndex)
	}
	var b wal.Batch
	for i := range ents {
		data, err := ents[i].Marshal()
		if err != nil {
			return fmt.Errorf("raftgroup: encoding entry %d: %w", ents[i].Index, err)
		}
		b.Write(ents[i].Index-s.logBase, data)
	}
	if err := s.log.WriteBatch(&b); err != nil {
		return fmt.Errorf("raftgroup: writing entries %d-%d: %w", first, ents[len(ents)-1].Index, err)
	}
	if err := s.log.Sync(); err != nil {
		return fmt.Errorf("raftgroup: syncing the log: %w", err)
	}
	return nil
}

// compact records snap (metadata only: the state machine holds the
// state) as the new snapshot and drops the log entries it covers.
func (s *diskStorage) compact(snap raftpb.Snapshot) error {
	if err := s.writeSnapshot(snap, s.logBase); err != nil {
		return err
	}
	first, last, err := s.walBounds()
	if err != nil {
		return err
	}
	keep := snap.Metadata.Index + 1 - s.logBase // wal index of the first entry kept
	if keep <= first {
		return nil
	}
	if keep > last+1 {
		keep = last + 1
	}
	if err := s.log.TruncateFront(keep); err != nil {
		return fmt.Errorf("raftgroup: dropping log entries through %d: %w", snap.Metadata.Index, err)
	}
	return nil
}

func (s *diskStorage) writeSnapshot(snap raftpb.Snapshot, logBase uint64) error {
	body, err := snap.Marshal()
	if err != nil {
		return fmt.Errorf("raftgroup: encoding snapshot %d: %w", snap.Metadata.Index, err)
	}
	data := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(body)), logBase)
	return writeFileAtomic(s.dir, snapshotFile, append(data, body...))
}

// resetLog starts an empty log whose first entry will be base+1 and
// removes the previous one. The snapshot file naming base is written
// before, so a crash in between leaves a state Open completes.
func (s *diskStorage) resetLog(base uint64) error {
	if base == s.logBase {
		first, _, err := s.walBounds()
		if err != nil {
			return err
		}
		if err := s.log.TruncateBack(first - 1); err != nil {
			return fmt.Errorf("raftgroup: emptying the log: %w", err)
		}
		return nil
	}
	if err := s.log.Close(); err != nil {
		return fmt.Errorf("raftgroup: closing the log: %w", err)
	}
	old := s.logDir(s.logBase)
	// A directory of that name can only be a leftover of an earlier life.
	if err := os.RemoveAll(s.logDir(base)); err != nil {
		return fmt.Errorf("raftgroup: removing stale log: %w", err)
	}
	l, err := openLog(s.logDir(base))
	if err != nil {
		return err
	}
	s.log, s.logBase = l, base
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("raftgroup: removing the replaced log: %w", err)
	}
	return syncDir(s.dir)
}

func (s *diskStorage) walBounds() (first, last uint64, err error) {
	if first, err = s.log.FirstIndex(); err == nil {
		last, err = s.log.LastIndex()
	}
	if err != nil {
		return 0, 0, fmt.Errorf("raftgroup: reading log bounds: %w", err)
	}
	return first, last, nil
}

func (s *diskStorage) logDir(base uint64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%s%020d", logDirPrefix, base))
}

func (s *diskStorage) close() error {
	if err := s.log.Close(); err != nil {
		return fmt.Errorf("raftgroup: closing the log: %w", err)
	}
	return nil
}

func openLog(dir string) (*wal.Log, error) {
	opts := &wal.Options{
		NoSync:           true, // append syncs once per Ready
		SegmentSize:      logSegmentBytes,
		SegmentCacheSize: 2,
		AllowEmpty:       true,
		DirPerms:         0o750,
		FilePerms:        0o640,
	}
	l, err := wal.Open(dir, opts)
	if errors.Is(err, wal.ErrCorrupt) {
		// A partial entry at the tail was never synced, so no message
		// depending on it was sent: cut it off and open again.
		if _, rerr := walrepair.CutTornTail(dir); rerr != nil {
			return nil, fmt.Errorf("raftgroup: repairing log tail in %s: %w (open: %v)", dir, rerr, err)
		}
		l, err = wal.Open(dir, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("raftgroup: opening log in %s: %w", dir, err)
	}
	return l, nil
}

func removeOtherLogs(dir string, base uint64) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("raftgroup: listing %s: %w", dir, err)
	}
	keep := fmt.Sprintf("%s%020d", logDirPrefix, base)
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), logDirPrefix) && e.Name() != keep {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("raftgroup: removing obsolete log %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}

// writeFileAtomic replaces dir/name with data followed by its CRC-32C.
func writeFileAtomic(dir, name string, data []byte) error {
	path := filepath.Join(dir, name)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("raftgroup: writing %s: %w", path, err)
	}
	buf := binary.BigEndian.AppendUint32(append([]byte(nil), data...), crc32.Checksum(data, crcTable))
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return fmt.Errorf("raftgroup: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("raftgroup: syncing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("raftgroup: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("raftgroup: replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// readChecked returns the content of a file written by writeFileAtomic,
// or nil when it does not exist.
func readChecked(path string) ([]byte, error) {
	buf, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("raftgroup: reading %s: %w", path, err)
	}
	if len(buf) < 4 {
		return nil, fmt.Errorf("raftgroup: %s is truncated", path)
	}
	data, sum := buf[:len(buf)-4], binary.BigEndian.Uint32(buf[len(buf)-4:])
	if crc32.Checksum(data, crcTable) != sum {
		return nil, fmt.Errorf("raftgroup: %s fails its checksum", path)
	}
	return data, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("raftgroup: opening %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("raftgroup: syncing %s: %w", dir, err)
	}
	return nil
}
