package kv

import (
	"bytes"
	"sync"
)

// hotKeys answers point reads of system keys (catalog descriptors and
// names, sequences, heartbeats) from memory. Every statement re-reads the
// catalog entries it depends on inside its transaction (so that a
// concurrent schema change conflicts with it); served by badger, those
// reads cost a third of a prepared point SELECT. The reads still count
// as reads of the transaction: only where the value comes from changes.
//
// An entry is the newest committed version of its key (value, or absent)
// and the timestamp from which it is known to hold: a read at readTS may
// use it when ts <= readTS. Two sources keep that invariant:
//
//   - Every commit records its system-key writes before it becomes
//     visible (so before any reader could have a readTS at or after it),
//     the newest timestamp winning when commits apply out of order.
//   - A read from badger at readTS that found version v (or nothing)
//     populates a missing entry with ts v (or readTS): with no entry, no
//     commit has written the key since the cache started or was last
//     cleared, so what the reader saw is still the newest — provided the
//     reader's snapshot postdates the clear. floor enforces that: a clear
//     (a range delete over system keys, or the size cap) sets it to a
//     timestamp after every commit timestamp handed out, and reads below
//     it do not populate.
type hotKeys struct {
	mu      sync.RWMutex
	entries map[string]hotEntry // guarded by mu
	floor   Timestamp           // guarded by mu
}

type hotEntry struct {
	value []byte // nil when absent
	found bool
	ts    Timestamp
}

// maxHotKeys caps the cache; reaching it clears the cache (catalogs are
// far smaller; the cap only bounds pathological use).
const maxHotKeys = 1 << 16

func newHotKeys() *hotKeys {
	return &hotKeys{entries: make(map[string]hotEntry)}
}

func isHotKey(key []byte) bool { return len(key) > 0 && key[0] == SystemSpace }

// get returns key's value as of readTS when the cache knows it. The
// value is shared: callers copy it.
func (h *hotKeys) get(key []byte, readTS Timestamp) (value []byte, found, ok bool) {
	h.mu.RLock()
	e, present := h.entries[string(key)]
	h.mu.RUnlock()
	if !present || e.ts > readTS {
		return nil, false, false
	}
	return e.value, e.found, true
}

// populate records what a read at readTS found in badger: version
// version of value, or (found false) nothing.
func (h *hotKeys) populate(key, value []byte, found bool, version, readTS Timestamp, clearTS func() Timestamp) {
	ts := readTS
	if found {
		ts = version
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if readTS < h.floor {
		return
	}
	if _, present := h.entries[string(key)]; present {
		// A commit (newer, or what this read saw) or an equal read got
		// there first.
		return
	}
	if len(h.entries) >= maxHotKeys {
		h.clearLocked(clearTS())
		return
	}
	h.entries[string(key)] = hotEntry{value: bytes.Clone(value), found: found, ts: ts}
}

// committed records the system-key writes of the commit at ts; called
// after the commit is in badger and before it is visible. now returns a
// timestamp after every commit timestamp handed out.
func (h *hotKeys) committed(ts Timestamp, buf *writeBuffer, now func() Timestamp) {
	systemEnd := []byte{SystemSpace + 1}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range buf.ranges {
		if (r.end == nil || bytes.Compare(r.end, []byte{SystemSpace}) > 0) && bytes.Compare(r.start, systemEnd) < 0 {
			h.clearLocked(now())
			break
		}
	}
	start := []byte{SystemSpace}
	buf.tree.AscendRange(&bufEntry{key: start}, &bufEntry{key: systemEnd}, func(e *bufEntry) bool {
		if old, present := h.entries[string(e.key)]; present && old.ts > ts {
			return true // a newer commit applied first
		}
		if len(h.entries) >= maxHotKeys {
			h.clearLocked(now())
		}
		h.entries[string(e.key)] = hotEntry{value: bytes.Clone(e.value), found: !e.del, ts: ts}
		return true
	})
}

// clearLocked empties the cache; reads with snapshots before floor may
// no longer populate it.
func (h *hotKeys) clearLocked(floor Timestamp) {
	clear(h.entries)
	h.floor = max(h.floor, floor)
}
