package kv

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/tidwall/wal"

	"github.com/quorumdb/quorumdb/internal/walrepair"
)

// walRequest asks the WAL writer to make one validated commit durable.
type walRequest struct {
	ts   Timestamp
	buf  *writeBuffer
	done chan error // buffered 1; nil error once the record is synced
}

// walMark remembers the last WAL index of a durable commit, so a
// checkpoint can truncate the log up to a timestamp.
type walMark struct {
	ts    Timestamp
	index uint64
}

const (
	// walBatchBytes is how much encoded data is handed to the log at once.
	walBatchBytes = 4 << 20
	// walGroupMax bounds how many commits share one fsync, so the first
	// committer of a group is not delayed without limit.
	walGroupMax = 256
	// walSegmentBytes is the segment size of the log; tidwall/wal keeps
	// the tail segment (and a cache of others) in memory.
	walSegmentBytes = 16 << 20
)

// walWriter owns the redo log. One goroutine (run) appends: it takes
// every request queued while the previous fsync was running and writes
// them as one group with one fsync (group commit), so concurrent
// committers share the cost of the sync instead of queueing on it.
// Requests arrive in commit-timestamp order (they are sent under
// LocalStore.commitMu), so the log is ordered by timestamp.
//
// Later the Raft log replaces this type: a proposal instead of a
// request, the committed entry instead of the fsync.
type walWriter struct {
	log    *wal.Log
	noSync bool
	logger *slog.Logger
	reqs   chan *walRequest // closed by LocalStore.Close after the last commit
	done   chan struct{}    // closed when run returns
	kick   func()           // asks for a checkpoint; must not block

	ckptBytes int64
	syncs     atomic.Uint64 // fsyncs done, for Stats

	// owned by the run goroutine (and by replay before it starts)
	next   uint64 // index of the next entry
	batch  wal.Batch
	queued int   // bytes in batch
	failed error // first write error; every later request gets it

	mu      sync.Mutex
	marks   []walMark // guarded by mu; ascending ts
	written int64     // guarded by mu: bytes appended since the last checkpoint
}

// openWAL opens the log in dir, repairing a torn tail left by a crash in
// the middle of a write.
func openWAL(dir string, logger *slog.Logger) (*wal.Log, error) {
	opts := &wal.Options{
		NoSync:           true, // we sync once per group ourselves
		SegmentSize:      walSegmentBytes,
		SegmentCacheSize: 1,
		AllowEmpty:       true,
		DirPerms:         0o750,
		FilePerms:        0o640,
	}
	l, err := wal.Open(dir, opts)
	if errors.Is(err, wal.ErrCorrupt) {
		// tidwall/wal refuses a last segment ending in a partial entry.
		// Such an entry was never synced, so no commit that returned is
		// in it: cut it off and open again.
		cut, rerr := walrepair.CutTornTail(dir)
		if rerr != nil {
			return nil, fmt.Errorf("kv: repairing WAL tail in %s: %w (open: %v)", dir, rerr, err)
		}
		logger.Warn("kv: cut a torn entry from the WAL tail", "dir", dir, "bytes", cut)
		l, err = wal.Open(dir, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("kv: opening WAL in %s: %w", dir, err)
	}
	return l, nil
}

// run is the writer goroutine; it returns when reqs is closed and drained.
func (w *walWriter) run() {
	defer close(w.done)
	group := make([]*walRequest, 0, walGroupMax)
	for req := range w.reqs {
		group = append(group[:0], req)
	drain:
		for len(group) < walGroupMax {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break drain
				}
				group = append(group, r)
			default:
				break drain
			}
		}
		err := w.writeGroup(group)
		for _, r := range group {
			r.done <- err
		}
	}
}

// writeGroup appends every commit of group and syncs once.
func (w *walWriter) writeGroup(group []*walRequest) error {
	if w.failed != nil {
		return w.failed
	}
	first := w.next
	var bytes int64
	marks := make([]walMark, 0, len(group))
	for _, r := range group {
		err := encodeCommit(r.ts, r.buf, func(chunk []byte) error {
			w.batch.Write(w.next, chunk)
			w.next++
			w.queued += len(chunk)
			bytes += int64(len(chunk))
			if w.queued >= walBatchBytes {
				return w.flushBatch()
			}
			return nil
		})
		if err != nil {
			return w.fail(err)
		}
		marks = append(marks, walMark{ts: r.ts, index: w.next - 1})
	}
	if err := w.flushBatch(); err != nil {
		return w.fail(err)
	}
	if !w.noSync {
		if err := w.log.Sync(); err != nil {
			return w.fail(fmt.Errorf("kv: syncing WAL entries %d..%d: %w", first, w.next-1, err))
		}
	}
	w.syncs.Add(1)
	w.noteWritten(marks, bytes)
	return nil
}

func (w *walWriter) flushBatch() error {
	if w.queued == 0 {
		return nil
	}
	if err := w.log.WriteBatch(&w.batch); err != nil {
		return fmt.Errorf("kv: appending to WAL before index %d: %w", w.next, err)
	}
	w.batch.Clear()
	w.queued = 0
	return nil
}

// fail records the first write error. After it nothing more is written:
// whether the failed entries reached the disk is unknown (a failed fsync
// may have dropped dirty pages), so appending after them could make the
// log replay a commit that was reported as failed, or skip one that was
// not. The store stops with the error; a restart replays what is there.
func (w *walWriter) fail(err error) error {
	w.failed = err
	return err
}

// noteWritten records durable commits and asks for a checkpoint when
// enough has accumulated.
func (w *walWriter) noteWritten(marks []walMark, bytes int64) {
	w.mu.Lock()
	w.marks = append(w.marks, marks...)
	w.written += bytes
	big := w.written >= w.ckptBytes
	w.mu.Unlock()
	if big && w.kick != nil {
		w.kick()
	}
}

// pendingBytes returns how much was appended since the last checkpoint.
func (w *walWriter) pendingBytes() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written
}

// truncateThrough drops the log entries of every commit at or below ts,
// which the caller has made durable in badger.
func (w *walWriter) truncateThrough(ts Timestamp) error {
	w.mu.Lock()
	w.written = 0
	n := sort.Search(len(w.marks), func(i int) bool { return w.marks[i].ts > ts })
	if n == 0 {
		w.mu.Unlock()
		return nil
	}
	first := w.marks[n-1].index + 1
	w.marks = append(w.marks[:0:0], w.marks[n:]...)
	w.mu.Unlock()
	if err := w.log.TruncateFront(first); err != nil {
		return fmt.Errorf("kv: truncating WAL before index %d: %w", first, err)
	}
	return nil
}
