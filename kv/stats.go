package kv

import "sync/atomic"

// LocalStats are counters of a LocalStore since Open.
type LocalStats struct {
	Commits         uint64    // read-write commits that returned nil
	ReadOnlyCommits uint64    // commits with nothing to write
	Conflicts       uint64    // ErrConflict returned: failed commit validation or read refresh
	LockWaits       uint64    // lock acquisitions that had to wait for another holder
	Deadlocks       uint64    // ErrDeadlock returned (a waits-for cycle or LockTimeout)
	Refreshes       uint64    // read refreshes done (read timestamp moved forward)
	WALSyncs        uint64    // WAL group writes (one fsync each); Commits/WALSyncs is the group size
	Checkpoints     uint64    // checkpoints done
	Restores        uint64    // snapshots restored (replicated mode: the replica was behind the compacted log)
	Visible         Timestamp // the visible timestamp
	// Parts of distributed transactions (participant.go): prepared here
	// by this replica, and resolved by committing or dropping them (on
	// every replica, as the log applies the resolutions).
	Prepares        uint64
	ResolvedCommits uint64
	ResolvedAborts  uint64
	// Records is the number of transaction records this replica holds
	// now (it is their record partition): decided, not yet forgotten.
	Records int
}

type storeStats struct {
	commits, readOnlyCommits, conflicts, checkpoints, restores atomic.Uint64
	lockWaits, deadlocks, refreshes                            atomic.Uint64
	prepares, resolvedCommits, resolvedAborts                  atomic.Uint64
}

// Stats returns the store's counters.
func (s *LocalStore) Stats() LocalStats {
	return LocalStats{
		Commits:         s.stats.commits.Load(),
		ReadOnlyCommits: s.stats.readOnlyCommits.Load(),
		Conflicts:       s.stats.conflicts.Load(),
		LockWaits:       s.stats.lockWaits.Load(),
		Deadlocks:       s.stats.deadlocks.Load(),
		Refreshes:       s.stats.refreshes.Load(),
		WALSyncs:        s.walSyncs(),
		Checkpoints:     s.stats.checkpoints.Load(),
		Restores:        s.stats.restores.Load(),
		Visible:         s.wm.Visible(),
		Prepares:        s.stats.prepares.Load(),
		ResolvedCommits: s.stats.resolvedCommits.Load(),
		ResolvedAborts:  s.stats.resolvedAborts.Load(),
		Records:         s.records(),
	}
}

func (s *LocalStore) records() int {
	if s.repl == nil {
		return 0
	}
	s.repl.txnMu.Lock()
	defer s.repl.txnMu.Unlock()
	return len(s.repl.records)
}

func (s *LocalStore) walSyncs() uint64 {
	if s.wal == nil {
		return 0
	}
	return s.wal.syncs.Load()
}
