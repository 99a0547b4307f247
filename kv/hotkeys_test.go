package kv

import (
	"context"
	"errors"
	"testing"
)

// The hot-key cache must never change what a snapshot reads: these tests
// read system keys at snapshots before and after commits, deletes and
// range deletes, in orders that would expose a stale or too-new entry.

func sysKey(name string) string { return string(SystemKey([]byte(name))) }

func TestHotKeysSnapshots(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	k := sysKey("desc/1")
	commitKVs(t, s, map[string]string{k: "v1"})

	old := begin(t, s, true)
	if v, _ := mustGet(t, old, k); v != "v1" { // populates the cache
		t.Fatalf("old snapshot: %q", v)
	}
	commitKVs(t, s, map[string]string{k: "v2"})
	fresh := begin(t, s, true)
	if v, _ := mustGet(t, fresh, k); v != "v2" {
		t.Errorf("after the commit: %q, want v2", v)
	}
	if v, _ := mustGet(t, old, k); v != "v1" {
		t.Errorf("old snapshot after the commit: %q, want v1", v)
	}

	// A delete, then a snapshot from before it repopulating: the new
	// snapshot still sees the key gone.
	del := begin(t, s, false)
	if err := del.Delete(context.Background(), []byte(k)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, del)
	if v, ok := mustGet(t, fresh, k); !ok || v != "v2" {
		t.Errorf("snapshot before the delete: %q %v, want v2", v, ok)
	}
	if _, ok := mustGet(t, begin(t, s, true), k); ok {
		t.Error("deleted key still read")
	}

	// A key absent at an old snapshot and created later.
	missing := sysKey("ns/x")
	before := begin(t, s, true)
	commitKVs(t, s, map[string]string{missing: "now"})
	if _, ok := mustGet(t, before, missing); ok { // must not populate "absent" for later readers
		t.Error("old snapshot sees a key created after it")
	}
	if v, ok := mustGet(t, begin(t, s, true), missing); !ok || v != "now" {
		t.Errorf("created key: %q %v", v, ok)
	}
}

func TestHotKeysRangeDelete(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	a, b := sysKey("r/a"), sysKey("r/b")
	commitKVs(t, s, map[string]string{a: "1", b: "2"})
	old := begin(t, s, true)
	drop := begin(t, s, false)
	if err := drop.DeleteRange(context.Background(), SystemKey([]byte("r/")), PrefixEnd(SystemKey([]byte("r/")))); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, drop)
	// The old snapshot reads first (it would populate "1" if the range
	// delete had not closed the cache to it), then a new one.
	if v, _ := mustGet(t, old, a); v != "1" {
		t.Errorf("old snapshot: %q", v)
	}
	if _, ok := mustGet(t, begin(t, s, true), a); ok {
		t.Error("key read after its range was deleted")
	}
	if _, ok := mustGet(t, begin(t, s, true), b); ok {
		t.Error("key read after its range was deleted")
	}
}

// TestHotKeysConflicts checks that a system key served from the cache is
// still part of the read set: a transaction that read a descriptor
// another transaction changed cannot commit.
func TestHotKeysConflicts(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	k := sysKey("desc/7")
	commitKVs(t, s, map[string]string{k: "v1"})
	mustGet(t, begin(t, s, true), k) // cached now

	reader := begin(t, s, false)
	if v, _ := mustGet(t, reader, k); v != "v1" {
		t.Fatalf("read %q", v)
	}
	commitKVs(t, s, map[string]string{k: "v2"})
	mustPut(t, reader, "\x10other", "x")
	if err := reader.Commit(context.Background()); !errors.Is(err, ErrConflict) {
		t.Fatalf("commit after the descriptor changed: %v, want ErrConflict", err)
	}
}

func TestHotKeysCap(t *testing.T) {
	h := newHotKeys()
	ts := Timestamp(10)
	now := func() Timestamp { ts++; return ts }
	for i := range maxHotKeys + 1 {
		key := SystemKey([]byte{byte(i >> 16), byte(i >> 8), byte(i)})
		h.populate(key, []byte("v"), true, 5, 10, now)
	}
	if len(h.entries) > maxHotKeys {
		t.Fatalf("%d entries", len(h.entries))
	}
	// After the clear, a read from before it may not populate.
	h.populate(SystemKey([]byte("late")), []byte("stale"), true, 5, 10, now)
	if _, _, ok := h.get(SystemKey([]byte("late")), 100); ok {
		t.Error("a read older than the clear populated the cache")
	}
}
