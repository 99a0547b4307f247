package kv

import (
	"sort"
	"sync"
)

// commitRecord is what validation needs to know about a commit: its
// timestamp and what it wrote. It enters the recent list when the commit
// is validated and given its timestamp, before it is durable, so a later
// validator counts it as conflicting even while its fsync is under way.
type commitRecord struct {
	ts    Timestamp
	keys  [][]byte // point writes, sorted, deduplicated
	dels  [][]byte // the point writes that delete, sorted (a subset of keys)
	spans []span   // DeleteRange ranges, normalized
}

// readSet is what a read-write transaction read: keys from Get and the
// key ranges covered by Scan.
type readSet struct {
	keys  [][]byte // unsorted until prepare
	spans []span   // unnormalized until prepare
	// exists are keys read only for their existence (Txn.Exists found
	// them): only a later delete of one conflicts, not an update.
	exists [][]byte
}

func (r *readSet) prepare() {
	r.keys = sortDedupKeys(r.keys)
	r.spans = normalizeSpans(r.spans)
	r.exists = sortDedupKeys(r.exists)
}

// deletesHit reports whether rec deleted a key read for its existence.
func deletesHit(rec *commitRecord, rs *readSet) bool {
	return len(rs.exists) > 0 && (sortedKeysIntersect(rec.dels, rs.exists) || spansHitKeys(rec.spans, rs.exists))
}

// maxRecentKeys bounds the memory of the recent-commit list. Past it the
// oldest records are dropped even if a transaction could still need them,
// raising the horizon: a transaction older than the horizon (an idle
// session left in BEGIN) then fails validation instead of pinning memory.
const maxRecentKeys = 8 << 20

// conflictTracker validates read-write transactions against the commits
// that happened after their read timestamp (optimistic concurrency
// control with backward validation). It is guarded by LocalStore.commitMu.
type conflictTracker struct {
	recent     []*commitRecord // ascending ts
	recentKeys int             // sum of len(keys)+len(spans) over recent
	// horizon is the highest pruned commit ts: a transaction reading
	// below it may have missed a conflict that is no longer recorded.
	horizon Timestamp
}

// validate reports whether a transaction that read rs at readTS and
// wrote writeKeys (sorted) and writeSpans (normalized) may commit now.
func (c *conflictTracker) validate(readTS Timestamp, rs *readSet, writeKeys [][]byte, writeSpans []span) bool {
	if readTS < c.horizon {
		return false
	}
	i := sort.Search(len(c.recent), func(i int) bool { return c.recent[i].ts > readTS })
	for _, rec := range c.recent[i:] {
		if sortedKeysIntersect(rec.keys, rs.keys) ||
			sortedKeysIntersect(rec.keys, writeKeys) ||
			spansHitKeys(rs.spans, rec.keys) ||
			spansHitKeys(writeSpans, rec.keys) ||
			deletesHit(rec, rs) {
			return false
		}
		if len(rec.spans) > 0 &&
			(spansHitKeys(rec.spans, rs.keys) ||
				spansHitKeys(rec.spans, writeKeys) ||
				spansOverlap(rec.spans, rs.spans) ||
				spansOverlap(rec.spans, writeSpans)) {
			return false
		}
	}
	return true
}

// maxKeyCheckCommits bounds how many recent commits wroteKey examines;
// past it the caller asks badger, whose cost does not grow with the
// number of commits (a long bulk load locking each key it inserts would
// otherwise pay for every commit made since it began, on every Put).
const maxKeyCheckCommits = 64

// wroteKey reports whether a commit with a timestamp in (from, to]
// wrote key (as a point write or inside a deleted range). known is false
// when the list cannot answer cheaply or at all (from is below the
// horizon, or more than maxKeyCheckCommits commits to look at).
func (c *conflictTracker) wroteKey(from, to Timestamp, key []byte) (wrote, known bool) {
	if from < c.horizon {
		return false, false
	}
	i := sort.Search(len(c.recent), func(i int) bool { return c.recent[i].ts > from })
	for n, rec := range c.recent[i:] {
		if rec.ts > to {
			break
		}
		if n == maxKeyCheckCommits {
			return false, false
		}
		if sortedKeysContain(rec.keys, key) || spanIndex(rec.spans, key) >= 0 {
			return true, true
		}
	}
	return false, true
}

// refreshable reports whether a transaction that read rs at from can
// move its read timestamp to to: no commit in (from, to] wrote anything
// it read or anything it writes. Then every read it made would return
// the same at to, so it is as if it had read at to all along. rs must be
// prepared; buf is its write buffer.
//
// Point writes of the transaction are checked only against deleted
// ranges: it holds the lock on each key it wrote, taken with a refresh
// past any earlier commit to it, so no point write to one of them can
// have committed in the window. The exceptions are keys written by
// Insert and InsertFresh, which take no lock: a commit in the window
// writing one of them fails the refresh (moving past it would hide the
// write-write conflict from commit validation). DeleteRange takes no
// locks either, so its ranges are checked both ways like reads.
func (c *conflictTracker) refreshable(from, to Timestamp, rs *readSet, buf *writeBuffer) bool {
	if from < c.horizon {
		return false
	}
	var writeKeys [][]byte // built on the first committed range met; rare
	i := sort.Search(len(c.recent), func(i int) bool { return c.recent[i].ts > from })
	for _, rec := range c.recent[i:] {
		if rec.ts > to {
			break
		}
		if sortedKeysIntersect(rec.keys, rs.keys) ||
			spansHitKeys(rs.spans, rec.keys) ||
			spansHitKeys(buf.ranges, rec.keys) ||
			deletesHit(rec, rs) ||
			(buf.unlocked > 0 && hitsUnlocked(rec.keys, buf)) {
			return false
		}
		if len(rec.spans) > 0 {
			if writeKeys == nil {
				writeKeys = buf.sortedKeys()
			}
			if spansHitKeys(rec.spans, rs.keys) ||
				spansHitKeys(rec.spans, writeKeys) ||
				spansOverlap(rec.spans, rs.spans) ||
				spansOverlap(rec.spans, buf.ranges) {
				return false
			}
		}
	}
	return true
}

// hitsUnlocked reports whether one of keys (sorted) is buffered in buf
// as an unlocked write. It walks the smaller side and looks each entry
// up in the other, so neither a huge bulk load refreshing past a small
// commit nor a small transaction refreshing past a huge commit pays for
// the big one under commitMu.
func hitsUnlocked(keys [][]byte, buf *writeBuffer) bool {
	if len(keys) <= buf.len() {
		for _, k := range keys {
			if e, ok := buf.get(k); ok && e.unlocked {
				return true
			}
		}
		return false
	}
	hit := false
	buf.tree.Ascend(func(e *bufEntry) bool {
		hit = e.unlocked && sortedKeysContain(keys, e.key)
		return !hit
	})
	return hit
}

// add records a validated commit; ts must exceed every recorded ts.
func (c *conflictTracker) add(rec *commitRecord) {
	c.recent = append(c.recent, rec)
	c.recentKeys += len(rec.keys) + len(rec.spans)
}

// readsHold reports whether what a transaction read at readTS (rs,
// prepared, and the ranges it deleted in buf, which count as read) is
// unchanged by every recorded commit in (readTS, upTo] except own (its
// own prepared part): then its reads return the same at upTo. A commit
// recorded there that is in fact a prepared transaction counts as
// written at its prepare timestamp, which can only make this stricter.
func (c *conflictTracker) readsHold(readTS, upTo Timestamp, rs *readSet, buf *writeBuffer, own *commitRecord) bool {
	if readTS < c.horizon {
		return false
	}
	var ranges []span
	if buf != nil {
		ranges = buf.ranges
	}
	i := sort.Search(len(c.recent), func(i int) bool { return c.recent[i].ts > readTS })
	for _, rec := range c.recent[i:] {
		if rec.ts > upTo {
			break
		}
		if rec == own {
			continue
		}
		if sortedKeysIntersect(rec.keys, rs.keys) ||
			spansHitKeys(rs.spans, rec.keys) ||
			spansHitKeys(ranges, rec.keys) ||
			deletesHit(rec, rs) {
			return false
		}
		if len(rec.spans) > 0 &&
			(spansHitKeys(rec.spans, rs.keys) ||
				spansOverlap(rec.spans, rs.spans) ||
				spansOverlap(rec.spans, ranges)) {
			return false
		}
	}
	return true
}

// insert records rec at its place in timestamp order (a prepared
// transaction learnt from the log, or one resolved at its commit
// timestamp).
func (c *conflictTracker) insert(rec *commitRecord) {
	i := len(c.recent)
	for i > 0 && c.recent[i-1].ts > rec.ts {
		i--
	}
	c.recent = append(c.recent, nil)
	copy(c.recent[i+1:], c.recent[i:])
	c.recent[i] = rec
	c.recentKeys += len(rec.keys) + len(rec.spans)
}

// remove forgets rec if it is still recorded.
func (c *conflictTracker) remove(rec *commitRecord) {
	i := sort.Search(len(c.recent), func(i int) bool { return c.recent[i].ts >= rec.ts })
	for ; i < len(c.recent) && c.recent[i].ts == rec.ts; i++ {
		if c.recent[i] == rec {
			c.recentKeys -= len(rec.keys) + len(rec.spans)
			c.recent = append(c.recent[:i], c.recent[i+1:]...)
			return
		}
	}
}

// prune forgets the commits that no active transaction can conflict
// with (ts <= oldest active read ts), and then the oldest ones beyond
// the memory bound.
func (c *conflictTracker) prune(oldestRead Timestamp) {
	n := 0
	for n < len(c.recent) && (c.recent[n].ts <= oldestRead || c.recentKeys > maxRecentKeys) {
		rec := c.recent[n]
		c.recentKeys -= len(rec.keys) + len(rec.spans)
		if rec.ts > c.horizon {
			c.horizon = rec.ts
		}
		c.recent[n] = nil
		n++
	}
	if n > 0 {
		c.recent = c.recent[n:]
	}
}

// activeSet counts the open transactions by read timestamp. Its oldest
// entry bounds both the recent-commit list and MVCC garbage collection.
type activeSet struct {
	mu     sync.Mutex
	counts map[Timestamp]int // guarded by mu
}

// register records a transaction reading at the timestamp returned by
// readTS, called under mu so that oldest never reports a time after a
// concurrent Begin's snapshot.
func (a *activeSet) register(readTS func() Timestamp) Timestamp {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := readTS()
	a.counts[ts]++
	return ts
}

// registerAt records a transaction reading at ts (a part of a
// distributed transaction, whose coordinator chose ts).
func (a *activeSet) registerAt(ts Timestamp) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.counts[ts]++
}

func (a *activeSet) unregister(ts Timestamp) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.counts[ts]--; a.counts[ts] <= 0 {
		delete(a.counts, ts)
	}
}

// move re-registers a transaction whose read timestamp is refreshed
// from one timestamp to a later one, in one step so that oldest never
// passes either.
func (a *activeSet) move(from, to Timestamp) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.counts[to]++
	if a.counts[from]--; a.counts[from] <= 0 {
		delete(a.counts, from)
	}
}

// oldest returns the lowest read timestamp of an open transaction, or
// now() when none is open.
func (a *activeSet) oldest(now func() Timestamp) Timestamp {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.counts) == 0 {
		return now()
	}
	first := true
	var min Timestamp
	for ts := range a.counts {
		if first || ts < min {
			min, first = ts, false
		}
	}
	return min
}
