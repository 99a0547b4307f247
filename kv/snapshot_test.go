package kv

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// A snapshot that would not load, or that would write the store's own
// metadata or versions from its future, is refused before the store is
// cleared: the replica keeps what it had.
func TestRestoreRefusesBadSnapshotsAndKeepsTheStore(t *testing.T) {
	l := &syncLog{}
	leader := l.attach(t, 0, t.TempDir())
	defer l.detach(t, 0)
	txn := begin(t, leader, false)
	mustPut(t, txn, "a", "1")
	if err := txn.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	good, index, err := leader.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := leader.ValidateSnapshot(good, index); err != nil {
		t.Fatalf("a real snapshot is refused: %v", err)
	}

	// The victim holds data of its own.
	victim := l.attach(t, 1, t.TempDir())
	defer l.detach(t, 1)

	record := func(kvs ...*pb.KV) []byte {
		b, err := proto.Marshal(&pb.KVList{Kv: kvs})
		if err != nil {
			t.Fatal(err)
		}
		return append(binary.LittleEndian.AppendUint64(nil, uint64(len(b))), b...)
	}
	appliedBefore := victim.AppliedLogIndex()
	header := good[:8]
	ts := binary.BigEndian.Uint64(header)
	for name, data := range map[string][]byte{
		"too short":          {1, 2, 3},
		"truncated":          good[:len(good)-3],
		"garbage":            append(append([]byte{}, header...), bytes.Repeat([]byte{0xff}, 64)...),
		"metadata key":       append(append([]byte{}, header...), record(&pb.KV{Key: []byte("\x00replica-applied"), Value: []byte("x"), Version: 1})...),
		"empty key":          append(append([]byte{}, header...), record(&pb.KV{Key: nil, Value: []byte("x"), Version: 1})...),
		"version from after": append(append([]byte{}, header...), record(&pb.KV{Key: []byte("k"), Value: []byte("x"), Version: ts + 1})...),
	} {
		if err := victim.Restore(data, index); err == nil {
			t.Fatalf("%s: Restore accepted it", name)
		}
		// Still whole: the replicated data and the applied marker.
		if victim.AppliedLogIndex() != appliedBefore {
			t.Fatalf("%s: applied index %d after a refused snapshot, want %d", name, victim.AppliedLogIndex(), appliedBefore)
		}
		l.elect(1)
		r := begin(t, victim, true)
		if v, ok := mustGet(t, r, "a"); !ok || v != "1" {
			t.Fatalf("%s: after the refused snapshot a = %q, %v", name, v, ok)
		}
		r.Rollback()
		l.elect(0)
	}
	if err := victim.Restore(good, index); err != nil {
		t.Fatalf("the real snapshot after the refused ones: %v", err)
	}
}
