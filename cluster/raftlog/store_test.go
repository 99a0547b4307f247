package raftlog

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

func openT(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reopenT(t testing.TB, s *Store) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := open(s.dir, nil, s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s2
}

func entries(term, from, to uint64) []raftpb.Entry {
	var ents []raftpb.Entry
	for i := from; i <= to; i++ {
		ents = append(ents, raftpb.Entry{Term: term, Index: i, Data: []byte{byte(i), byte(term)}})
	}
	return ents
}

func commit(t testing.TB, s *Store, fill func(b *Batch)) {
	t.Helper()
	b := s.NewBatch()
	fill(b)
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
}

// state is what a group's storage answers.
type state struct {
	first, last uint64
	hs          raftpb.HardState
	snap        raftpb.SnapshotMetadata
	ents        []raftpb.Entry
}

func stateOf(t testing.TB, s *Store, group uint64) state {
	t.Helper()
	gs, err := s.Storage(group)
	if err != nil {
		t.Fatal(err)
	}
	var st state
	st.first, _ = gs.FirstIndex()
	st.last, _ = gs.LastIndex()
	st.hs, _, _ = gs.InitialState()
	snap, _ := gs.Snapshot()
	st.snap = snap.Metadata
	if st.last >= st.first {
		if st.ents, err = gs.Entries(st.first, st.last+1, 1<<62); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// checkSame checks that the store answers for group as before a reopen.
func checkSame(t testing.TB, before, after state) {
	t.Helper()
	if before.first != after.first || before.last != after.last || !sameProto(&before.hs, &after.hs) || !sameProto(&before.snap, &after.snap) {
		t.Fatalf("state changed across reopen:\nbefore first %d last %d hs %+v snap %+v\nafter  first %d last %d hs %+v snap %+v",
			before.first, before.last, before.hs, before.snap, after.first, after.last, after.hs, after.snap)
	}
	if len(before.ents) != len(after.ents) {
		t.Fatalf("%d entries before reopen, %d after", len(before.ents), len(after.ents))
	}
	for i := range before.ents {
		if !sameProto(&before.ents[i], &after.ents[i]) {
			t.Fatalf("entry %d differs: %+v before, %+v after", before.ents[i].Index, before.ents[i], after.ents[i])
		}
	}
}

// roundTrip reopens s and checks each group reads back as before.
func roundTrip(t testing.TB, s *Store, groups ...uint64) *Store {
	t.Helper()
	before := make([]state, len(groups))
	for i, g := range groups {
		before[i] = stateOf(t, s, g)
	}
	s = reopenT(t, s)
	for i, g := range groups {
		checkSame(t, before[i], stateOf(t, s, g))
	}
	return s
}

// TestRoundTrips walks a group through what raft asks of its storage
// (append, overwrite a suffix, hard state, compaction, a received
// snapshot) and checks a reopen reads back each state.
func TestRoundTrips(t *testing.T) {
	s := openT(t, t.TempDir())
	defer func() { s.Close() }()
	if st := stateOf(t, s, 7); st.first != 1 || st.last != 0 || !raft.IsEmptyHardState(st.hs) {
		t.Fatalf("new group: %+v", st)
	}
	commit(t, s, func(b *Batch) {
		b.Append(7, entries(1, 1, 10))
		b.SetHardState(7, raftpb.HardState{Term: 1, Vote: 2, Commit: 3})
	})
	s = roundTrip(t, s, 7)
	if got := s.Groups(); len(got) != 1 || got[0] != 7 {
		t.Fatalf("Groups() = %v", got)
	}

	// A new leader overwrites the uncommitted entries 8-10.
	commit(t, s, func(b *Batch) {
		b.Append(7, entries(2, 8, 12))
		b.SetHardState(7, raftpb.HardState{Term: 2, Vote: 3, Commit: 5})
	})
	s = roundTrip(t, s, 7)
	st := stateOf(t, s, 7)
	if st.first != 1 || st.last != 12 || st.ents[6].Term != 1 || st.ents[7].Term != 2 || st.hs.Term != 2 {
		t.Fatalf("after overwrite: %+v", st)
	}

	cs := raftpb.ConfState{Voters: []uint64{1, 2, 3}}
	if err := s.Compact(7, 5, cs); err != nil {
		t.Fatal(err)
	}
	s = roundTrip(t, s, 7)
	st = stateOf(t, s, 7)
	if st.first != 6 || st.last != 12 || st.snap.Index != 5 || st.snap.Term != 1 || len(st.snap.ConfState.Voters) != 3 {
		t.Fatalf("after compaction: %+v", st)
	}
	if data, _, err := s.SnapshotData(7); err != nil || data != nil {
		t.Fatalf("SnapshotData after a compaction: %q, %v", data, err)
	}
	// Compacting at or below the snapshot changes nothing.
	if err := s.Compact(7, 4, cs); err != nil {
		t.Fatal(err)
	}

	// A snapshot from the leader far ahead replaces the log.
	snap := raftpb.Snapshot{Data: []byte("state"), Metadata: raftpb.SnapshotMetadata{Index: 100, Term: 3, ConfState: cs}}
	commit(t, s, func(b *Batch) {
		b.ApplySnapshot(7, snap)
		b.Append(7, entries(3, 101, 103))
		b.SetHardState(7, raftpb.HardState{Term: 3, Commit: 100})
	})
	s = roundTrip(t, s, 7)
	st = stateOf(t, s, 7)
	if st.first != 101 || st.last != 103 || st.snap.Index != 100 || st.hs.Commit != 100 {
		t.Fatalf("after snapshot: %+v", st)
	}
	if data, meta, err := s.SnapshotData(7); err != nil || string(data) != "state" || meta.Index != 100 {
		t.Fatalf("SnapshotData: %q %+v %v", data, meta, err)
	}
	commit(t, s, func(b *Batch) {
		b.Append(7, entries(3, 104, 105))
		b.SetHardState(7, raftpb.HardState{Term: 3, Commit: 105})
	})
	if err := s.Compact(7, 105, cs); err != nil {
		t.Fatal(err)
	}
	s = roundTrip(t, s, 7)
	st = stateOf(t, s, 7)
	if st.first != 106 || st.last != 105 || st.snap.Index != 105 {
		t.Fatalf("after compacting everything: %+v", st)
	}
	if data, _, _ := s.SnapshotData(7); data != nil {
		t.Fatalf("snapshot data survived a compaction past it")
	}
	commit(t, s, func(b *Batch) { b.Append(7, entries(3, 106, 106)) })
	s = roundTrip(t, s, 7)
	if st := stateOf(t, s, 7); st.first != 106 || st.last != 106 {
		t.Fatalf("appending after an empty log: %+v", st)
	}
	checkKeys(t, s)
}

// checkKeys checks that the disk holds exactly what the mirrors of the
// groups on disk say: no leftover entry or snapshot chunk.
func checkKeys(t testing.TB, s *Store) {
	t.Helper()
	want := map[string]bool{string(versionKey()): true}
	for _, id := range s.Groups() {
		st := stateOf(t, s, id)
		want[string(groupKey(kindGroup, id))] = true
		if !raft.IsEmptyHardState(st.hs) {
			want[string(groupKey(kindHard, id))] = true
		}
		g := s.groups[id]
		if g.snap.meta.Index > 0 {
			want[string(groupKey(kindSnapshot, id))] = true
		}
		for c := 0; g.snap.hasData && uint64(c*s.cfg.chunkBytes) < g.snap.dataLen; c++ {
			want[string(snapDataKey(id, g.snap.meta.Index, c))] = true
		}
		for _, e := range st.ents {
			for c := range numChunks(e.Size(), s.cfg.chunkBytes) {
				want[string(entryKey(id, e.Index, c))] = true
			}
		}
	}
	err := s.db.View(func(txn *badger.Txn) error {
		return iterate(txn, nil, false, func(key, _ []byte) error {
			if !want[string(key)] {
				t.Errorf("unexpected key %x on disk", key)
			}
			delete(want, string(key))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		t.Errorf("key %x missing on disk", k)
	}
}

// TestManyGroupsOneSync commits interleaved writes of many groups in
// one batch with one fsync, and reads them back after a reopen.
func TestManyGroupsOneSync(t *testing.T) {
	s := openT(t, t.TempDir())
	defer func() { s.Close() }()
	const groups = 64
	rng := rand.New(rand.NewPCG(1, 2))
	next := make([]uint64, groups+1)
	for round := range 20 {
		b := s.NewBatch()
		for g := uint64(1); g <= groups; g++ {
			if rng.IntN(4) == 0 {
				continue
			}
			n := uint64(1 + rng.IntN(3))
			from := next[g] + 1
			if next[g] > 2 && rng.IntN(5) == 0 {
				from = next[g] - 1 // overwrite the last two
			}
			b.Append(g, entries(uint64(round+1), from, from+n-1))
			b.SetHardState(g, raftpb.HardState{Term: uint64(round + 1), Commit: from - 1})
			next[g] = from + n - 1
		}
		syncs := s.Syncs()
		if err := s.Commit(b); err != nil {
			t.Fatal(err)
		}
		if got := s.Syncs() - syncs; got != 1 {
			t.Fatalf("round %d: %d syncs", round, got)
		}
	}
	all := make([]uint64, 0, groups)
	for g := uint64(1); g <= groups; g++ {
		if st := stateOf(t, s, g); st.last != next[g] {
			t.Fatalf("group %d ends at %d, want %d", g, st.last, next[g])
		}
		all = append(all, g)
	}
	s = roundTrip(t, s, all...)
	if got := len(s.Groups()); got != groups {
		t.Fatalf("%d groups on disk", got)
	}
	checkKeys(t, s)
	if err := s.DropGroup(5); err != nil {
		t.Fatal(err)
	}
	s = reopenT(t, s)
	if got := len(s.Groups()); got != groups-1 {
		t.Fatalf("%d groups on disk after a drop", got)
	}
	if st := stateOf(t, s, 5); st.last != 0 {
		t.Fatalf("dropped group reads back %+v", st)
	}
	checkKeys(t, s)
}

// TestStorageSemantics checks the raft.Storage answers raft relies on.
func TestStorageSemantics(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	commit(t, s, func(b *Batch) { b.Append(1, entries(1, 1, 20)) })
	cs := raftpb.ConfState{Voters: []uint64{1}}
	if err := s.Compact(1, 10, cs); err != nil {
		t.Fatal(err)
	}
	gs, _ := s.Storage(1)
	if first, _ := gs.FirstIndex(); first != 11 {
		t.Fatalf("FirstIndex %d", first)
	}
	if last, _ := gs.LastIndex(); last != 20 {
		t.Fatalf("LastIndex %d", last)
	}
	if _, err := gs.Entries(5, 12, 1<<20); !errors.Is(err, raft.ErrCompacted) {
		t.Fatalf("Entries below the first index: %v", err)
	}
	if _, err := gs.Term(9); !errors.Is(err, raft.ErrCompacted) {
		t.Fatalf("Term below the snapshot: %v", err)
	}
	if term, err := gs.Term(10); err != nil || term != 1 {
		t.Fatalf("Term of the snapshot index: %d %v", term, err)
	}
	if _, err := gs.Term(21); !errors.Is(err, raft.ErrUnavailable) {
		t.Fatalf("Term past the end: %v", err)
	}
	if ents, err := gs.Entries(11, 21, 5); err != nil || len(ents) != 1 {
		t.Fatalf("Entries with a small maxSize: %d %v", len(ents), err)
	}
	_, gotCS, _ := gs.InitialState()
	if len(gotCS.Voters) != 1 {
		t.Fatalf("ConfState %+v", gotCS)
	}
	// A snapshot replaces everything; First/LastIndex follow it.
	commit(t, s, func(b *Batch) {
		b.ApplySnapshot(1, raftpb.Snapshot{Data: []byte{1}, Metadata: raftpb.SnapshotMetadata{Index: 50, Term: 4, ConfState: cs}})
	})
	first, _ := gs.FirstIndex()
	last, _ := gs.LastIndex()
	snap, _ := gs.Snapshot()
	if first != 51 || last != 50 || snap.Metadata.Index != 50 || snap.Data != nil {
		t.Fatalf("after snapshot: first %d last %d snapshot %+v", first, last, snap)
	}
	// Misuse is refused before anything is written, and the store
	// stays usable.
	for name, fill := range map[string]func(b *Batch){
		"gap": func(b *Batch) { b.Append(1, entries(4, 53, 53)) },
		"old snapshot": func(b *Batch) {
			b.ApplySnapshot(1, raftpb.Snapshot{Metadata: raftpb.SnapshotMetadata{Index: 40, Term: 4}})
		},
		"compact ahead": func(b *Batch) { b.Compact(1, 60, cs) },
	} {
		b := s.NewBatch()
		fill(b)
		if err := s.Commit(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	commit(t, s, func(b *Batch) { b.Append(1, entries(4, 51, 52)) })
	s2 := reopenT(t, s)
	defer s2.Close()
	if st := stateOf(t, s2, 1); st.first != 51 || st.last != 52 {
		t.Fatalf("after reopen: %+v", st)
	}
	s = s2
}

// TestLargeEntries stores entries up to 3 MiB (chunked) and a batch too
// large for one badger transaction.
func TestLargeEntries(t *testing.T) {
	s := openT(t, t.TempDir())
	defer func() { s.Close() }()
	big := func(i uint64, n int) raftpb.Entry {
		data := randBytes(i, n)
		return raftpb.Entry{Term: 1, Index: i, Data: data}
	}
	commit(t, s, func(b *Batch) {
		b.Append(1, []raftpb.Entry{big(1, 3<<20), big(2, 10), big(3, 256<<10)})
	})
	// 16 MiB in one batch: several transactions.
	syncs := s.Syncs()
	commit(t, s, func(b *Batch) {
		for g := uint64(2); g < 10; g++ {
			b.Append(g, []raftpb.Entry{big(1, 2<<20)})
		}
	})
	if n := s.Syncs() - syncs; n < 2 {
		t.Fatalf("a 16 MiB batch took %d syncs", n)
	}
	s = roundTrip(t, s, 1, 2, 9)
	st := stateOf(t, s, 1)
	if len(st.ents) != 3 || len(st.ents[0].Data) != 3<<20 || !bytes.Equal(st.ents[0].Data, big(1, 3<<20).Data) {
		t.Fatalf("large entry did not round trip")
	}
	// An entry too large for a transaction is refused before anything
	// is written; the store stays usable.
	b := s.NewBatch()
	b.Append(1, []raftpb.Entry{big(4, 5<<20)})
	if err := s.Commit(b); err == nil || !strings.Contains(err.Error(), "larger than a transaction allows") {
		t.Fatalf("a 5 MiB entry: %v", err)
	}
	// Overwriting a chunked entry deletes all its chunks.
	commit(t, s, func(b *Batch) { b.Append(1, entries(2, 1, 2)) })
	s = roundTrip(t, s, 1)
	checkKeys(t, s)
	// A large snapshot.
	data := randBytes(99, 5<<20+3)
	commit(t, s, func(b *Batch) {
		b.ApplySnapshot(1, raftpb.Snapshot{Data: data, Metadata: raftpb.SnapshotMetadata{Index: 10, Term: 2}})
	})
	s = reopenT(t, s)
	got, meta, err := s.SnapshotData(1)
	if err != nil || meta.Index != 10 || !bytes.Equal(got, data) {
		t.Fatalf("large snapshot: %d bytes, %+v, %v", len(got), meta, err)
	}
	checkKeys(t, s)
}

func TestFormatVersion(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(versionKey(), []byte{0, 0, 0, 9}) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(dir, nil); err == nil || !strings.Contains(err.Error(), "format version 9") {
		t.Fatalf("opening an unknown version: %v", err)
	}
}

func randBytes(seed uint64, n int) []byte {
	var key [32]byte
	key[0], key[1] = byte(seed), byte(seed>>8)
	data := make([]byte, n)
	_, _ = rand.NewChaCha8(key).Read(data)
	return data
}

// sameProto compares two raftpb messages by their encoding.
func sameProto(a, b interface{ Marshal() ([]byte, error) }) bool {
	x, err1 := a.Marshal()
	y, err2 := b.Marshal()
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// TestSecondOpenRefused: badger locks its directory (flock), so a
// second Store on the same directory, even in the same process, is
// refused rather than corrupting the first. (This is also why the crash
// test kills a child process instead of reopening without Close.)
func TestSecondOpenRefused(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	defer s.Close()
	if s2, err := Open(dir, nil); err == nil {
		s2.Close()
		t.Fatal("a second Open of the same directory succeeded")
	} else {
		t.Log(err)
	}
}
