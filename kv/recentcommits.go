package kv

import "sync"

// recentCommits remembers the timestamps of the last commits a replica
// applied, whoever led when they were made, for BeginAt's uncertainty
// check (participant.go): was anything committed here in (readTS,
// limit]? The conflict tracker cannot answer after a leadership change:
// it holds only the commits the current leader validated.
type recentCommits struct {
	mu   sync.Mutex
	ring [recentCommitsKept]Timestamp
	next int // guarded by mu
	full bool
	// evicted is the highest timestamp pushed out of the ring.
	evicted Timestamp
}

// recentCommitsKept bounds the memory and the scan of latestIn.
const recentCommitsKept = 4096

// add records a commit applied at ts.
func (r *recentCommits) add(ts Timestamp) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.full {
		r.evicted = max(r.evicted, r.ring[r.next])
	}
	r.ring[r.next] = ts
	r.next++
	if r.next == recentCommitsKept {
		r.next, r.full = 0, true
	}
}

// latestIn returns the timestamp of the latest commit applied in
// (from, to], or 0 if there is none. When commits in the window may
// have been pushed out of the ring, it answers conservatively with the
// highest timestamp it cannot rule out (at most to).
func (r *recentCommits) latestIn(from, to Timestamp) Timestamp {
	r.mu.Lock()
	defer r.mu.Unlock()
	var latest Timestamp
	n := r.next
	if r.full {
		n = recentCommitsKept
	}
	for _, ts := range r.ring[:n] {
		if ts > from && ts <= to && ts > latest {
			latest = ts
		}
	}
	if r.evicted > from {
		latest = max(latest, min(r.evicted, to))
	}
	return latest
}
