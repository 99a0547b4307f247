package kv

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// ErrDiskFull means a write was refused because the store's filesystem
// has less free space than the store's reserve (LocalConfig.MinFreeBytes)
// would leave; nothing was written and the transaction can be retried
// once space is freed (SQLSTATE 53100). A *DiskFullError carries the
// figures.
var ErrDiskFull = errors.New("kv: disk full")

// DiskFullError is ErrDiskFull with the figures behind the refusal.
type DiskFullError struct {
	Dir     string // the directory whose filesystem is short of space
	Free    int64  // bytes available to the store there at the last check
	Need    int64  // bytes the refused commit would have added (0: none, the reserve alone is crossed)
	Reserve int64  // LocalConfig.MinFreeBytes
}

func (e *DiskFullError) Error() string {
	if e.Need > 0 {
		return fmt.Sprintf("kv: disk full: %d bytes free in %s, a commit of about %d bytes would leave less than the %d-byte reserve",
			e.Free, e.Dir, e.Need, e.Reserve)
	}
	return fmt.Sprintf("kv: disk full: %d bytes free in %s, below the %d-byte reserve", e.Free, e.Dir, e.Reserve)
}

// Unwrap makes errors.Is(err, ErrDiskFull) hold.
func (e *DiskFullError) Unwrap() error { return ErrDiskFull }

// DiskSpace is what the free-space guard last measured.
type DiskSpace struct {
	Dir     string // the directory with the least free space
	Free    int64  // bytes available (statfs f_bavail), -1 if unknown
	Reserve int64  // LocalConfig.MinFreeBytes (negative: the guard is off)
	Full    bool   // Free is below Reserve: read-write commits are refused
}

// diskRefresh is how old a measurement may be before a commit measures
// again. statfs costs about a microsecond, but a commit path should not
// pay it every time; in 200 ms a fast disk writes tens of MiB, which is
// why commits admitted since the measurement are counted against it
// (diskGuard.admitted) and the reserve is far larger than that.
const diskRefresh = 200 * time.Millisecond

// commitDiskFactor is how many times its buffered size a commit is
// assumed to take on disk until the next checkpoint: once in the redo
// log (the WAL, or the Raft log in replicated mode) and once in badger's
// memtable log; the table it is later flushed into replaces that log.
const commitDiskFactor = 2

// diskGuard refuses commits while the filesystems of the store (and of
// its replicated log) have less than the reserve free. Why a reserve and
// not ENOSPC: badger writes its memtable log, value log and tables
// through mmap over files it sized with ftruncate (sparse), so on a full
// disk a write becomes SIGBUS, not an error; and an ENOSPC from the WAL
// would stop the store until restart (doc.go, "Failures"). Refusing
// before anything is queued keeps the store out of both, and keeps room
// for what already-accepted writes still need: badger flushing its
// memtables and compacting, checkpoints, WAL replay at the next Open.
//
// No goroutine: the commit path refreshes a measurement older than
// diskRefresh; DiskSpace and Check refresh too.
type diskGuard struct {
	dirs    []string
	reserve int64 // negative: off
	logger  *slog.Logger
	statfs  func(dir string) (int64, error) // freeBytes; tests replace it

	mu       sync.Mutex // serializes measurements
	measured time.Time  // monotonic reading of the last measurement
	space    atomic.Pointer[DiskSpace]
	// admitted is the disk space commits admitted since the last
	// measurement will take (commitDiskFactor times their size): what
	// the measurement does not see yet.
	admitted atomic.Int64
	statErr  bool // a statfs error was logged (guarded by mu)
}

func newDiskGuard(reserve int64, logger *slog.Logger, dirs ...string) *diskGuard {
	g := &diskGuard{dirs: dirs, reserve: reserve, logger: logger, statfs: freeBytes}
	g.space.Store(&DiskSpace{Dir: dirs[0], Free: -1, Reserve: reserve})
	return g
}

// admit reserves room for a commit of size bytes, or refuses it with a
// *DiskFullError when the free space, less what commits admitted since
// the last measurement take, would fall below the reserve.
func (g *diskGuard) admit(size int64) error {
	if g.reserve < 0 {
		return nil
	}
	sp := g.current(false)
	if sp.Free < 0 {
		return nil // unknown: never refuse on a failed measurement
	}
	need := commitDiskFactor * size
	if sp.Full {
		return &DiskFullError{Dir: sp.Dir, Free: sp.Free, Reserve: g.reserve}
	}
	if pending := g.admitted.Add(need); sp.Free-pending < g.reserve {
		g.admitted.Add(-need)
		return &DiskFullError{Dir: sp.Dir, Free: sp.Free - (pending - need), Need: need, Reserve: g.reserve}
	}
	return nil
}

// check measures now and returns a *DiskFullError if the free space is
// below the reserve (a replica refusing new log entries asks this).
func (g *diskGuard) check() error {
	if g.reserve < 0 {
		return nil
	}
	sp := g.current(false)
	if sp.Full {
		return &DiskFullError{Dir: sp.Dir, Free: sp.Free, Reserve: g.reserve}
	}
	return nil
}

// current returns the last measurement, measuring again if it is older
// than diskRefresh (or always, with force).
func (g *diskGuard) current(force bool) DiskSpace {
	g.mu.Lock()
	defer g.mu.Unlock()
	if force || g.measured.IsZero() || time.Since(g.measured) >= diskRefresh {
		g.measureLocked()
	}
	return *g.space.Load()
}

// measureLocked takes a new measurement: the least free space among the
// guarded directories. It logs the transitions into and out of the full
// state once each.
func (g *diskGuard) measureLocked() {
	prev := g.space.Load()
	next := DiskSpace{Dir: g.dirs[0], Free: -1, Reserve: g.reserve}
	for _, dir := range g.dirs {
		free, err := g.statfs(dir)
		if err != nil {
			if !g.statErr {
				g.statErr = true
				g.logger.Warn("kv: cannot measure free disk space; writes are not limited by it", "dir", dir, "err", err)
			}
			continue
		}
		if next.Free < 0 || free < next.Free {
			next.Dir, next.Free = dir, free
		}
	}
	next.Full = g.reserve >= 0 && next.Free >= 0 && next.Free < g.reserve
	g.measured = time.Now()
	g.admitted.Store(0)
	g.space.Store(&next)
	switch {
	case next.Full && !prev.Full:
		g.logger.Warn("kv: disk space below the reserve: read-write transactions fail with disk full until space is freed; reads go on",
			"dir", next.Dir, "free_bytes", next.Free, "reserve_bytes", g.reserve)
	case !next.Full && prev.Full:
		g.logger.Info("kv: disk space back above the reserve: writes resume", "dir", next.Dir, "free_bytes", next.Free, "reserve_bytes", g.reserve)
	}
}

// DiskSpace reports the free space of the store's filesystem (measured
// again if the last measurement is older than a fraction of a second)
// and whether writes are refused for lack of it.
func (s *LocalStore) DiskSpace() DiskSpace {
	return s.disk.current(false)
}

// CheckDiskSpace returns an error matching ErrDiskFull while the free
// space is below the reserve. A replica asks it before accepting new log
// entries from its leader (cluster/multiraft's NodeConfig.AcceptEntries).
func (s *LocalStore) CheckDiskSpace() error {
	return s.disk.check()
}
