package raftgroup

import (
	"testing"

	"go.etcd.io/raft/v3/raftpb"
)

func entries(term uint64, from, to uint64) []raftpb.Entry {
	var ents []raftpb.Entry
	for i := from; i <= to; i++ {
		ents = append(ents, raftpb.Entry{Term: term, Index: i, Data: []byte{byte(i)}})
	}
	return ents
}

func reopen(t *testing.T, s *diskStorage) (*diskStorage, restored) {
	t.Helper()
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s, r, err := openDiskStorage(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func indexes(ents []raftpb.Entry) (first, last, term uint64) {
	if len(ents) == 0 {
		return 0, 0, 0
	}
	return ents[0].Index, ents[len(ents)-1].Index, ents[len(ents)-1].Term
}

// TestDiskStorageSurvivesRestart walks the log through the changes raft
// asks for (append, overwrite a suffix, compact, replace by a snapshot)
// and checks what a restart reads back after each.
func TestDiskStorageSurvivesRestart(t *testing.T) {
	s, r, err := openDiskStorage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ents) != 0 || r.hs.Term != 0 {
		t.Fatalf("fresh directory restored %+v", r)
	}
	hs := raftpb.HardState{Term: 1, Vote: 2, Commit: 3}
	if err := s.save(raftpb.Snapshot{}, hs, entries(1, 1, 10)); err != nil {
		t.Fatal(err)
	}
	// A new leader overwrites the uncommitted entries 8-10.
	if err := s.save(raftpb.Snapshot{}, raftpb.HardState{Term: 2, Vote: 3, Commit: 5}, entries(2, 8, 12)); err != nil {
		t.Fatal(err)
	}
	s, r = reopen(t, s)
	if first, last, term := indexes(r.ents); first != 1 || last != 12 || term != 2 || r.ents[6].Term != 1 {
		t.Fatalf("after overwrite: entries %d-%d term %d", first, last, term)
	}
	if r.hs.Term != 2 || r.hs.Vote != 3 {
		t.Fatalf("hard state %+v", r.hs)
	}

	cs := raftpb.ConfState{Voters: []uint64{1, 2, 3}}
	if err := s.compact(raftpb.Snapshot{Metadata: raftpb.SnapshotMetadata{Index: 6, Term: 1, ConfState: cs}}); err != nil {
		t.Fatal(err)
	}
	s, r = reopen(t, s)
	if first, last, _ := indexes(r.ents); first != 7 || last != 12 || r.snap.Metadata.Index != 6 || r.snap.Data != nil {
		t.Fatalf("after compaction: entries %d-%d, snapshot %d", first, last, r.snap.Metadata.Index)
	}

	// A snapshot from the leader far ahead replaces the log.
	snap := raftpb.Snapshot{Data: []byte("state"), Metadata: raftpb.SnapshotMetadata{Index: 100, Term: 3, ConfState: cs}}
	if err := s.save(snap, raftpb.HardState{Term: 3, Commit: 100}, entries(3, 101, 103)); err != nil {
		t.Fatal(err)
	}
	s, r = reopen(t, s)
	if first, last, _ := indexes(r.ents); first != 101 || last != 103 || r.snap.Metadata.Index != 100 || string(r.snap.Data) != "state" {
		t.Fatalf("after snapshot: entries %d-%d, snapshot %d %q", first, last, r.snap.Metadata.Index, r.snap.Data)
	}
	if err := s.save(raftpb.Snapshot{}, raftpb.HardState{}, entries(3, 104, 105)); err != nil {
		t.Fatal(err)
	}
	if err := s.compact(raftpb.Snapshot{Metadata: raftpb.SnapshotMetadata{Index: 105, Term: 3, ConfState: cs}}); err != nil {
		t.Fatal(err)
	}
	s, r = reopen(t, s)
	if len(r.ents) != 0 || r.snap.Metadata.Index != 105 {
		t.Fatalf("after compacting everything: %d entries, snapshot %d", len(r.ents), r.snap.Metadata.Index)
	}
	if err := s.save(raftpb.Snapshot{}, raftpb.HardState{}, entries(3, 106, 106)); err != nil {
		t.Fatal(err)
	}
	s, r = reopen(t, s)
	if first, last, _ := indexes(r.ents); first != 106 || last != 106 {
		t.Fatalf("appending after an empty log: entries %d-%d", first, last)
	}
	s.close()
}
