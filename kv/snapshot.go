package kv

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// A replica's snapshot is an 8-byte big-endian commit timestamp followed
// by badger's backup stream of every data version at or below it (the
// 0x00 metadata keys excluded): records of a little-endian uint64 length
// and a pb.KVList of that many bytes (badger's backup.go).

// ValidateSnapshot checks snapshot data taken at index before anything
// is replaced with it: the header, every record's framing and encoding,
// and every version — a non-empty key outside the store's own metadata
// (0x00 keys), at a timestamp no later than the snapshot's. Restore calls
// it before it clears the store, and the Raft transport before raft sees
// a snapshot (cluster/multiraft.SnapshotValidator), so a malformed or
// forged snapshot is refused and the store stays as it was.
func (s *LocalStore) ValidateSnapshot(data []byte, index uint64) error {
	return validateSnapshot(data, index, s.prefix)
}

// validateSnapshot checks data for a store whose keys carry prefix.
func validateSnapshot(data []byte, index uint64, prefix []byte) error {
	if len(data) < 8 {
		return fmt.Errorf("kv: snapshot at index %d is %d bytes, too short", index, len(data))
	}
	ts := binary.BigEndian.Uint64(data[:8])
	rest := data[8:]
	var list pb.KVList
	for n := 0; len(rest) > 0; n++ {
		if len(rest) < 8 {
			return fmt.Errorf("kv: snapshot at index %d: record %d cut short", index, n)
		}
		size := binary.LittleEndian.Uint64(rest[:8])
		rest = rest[8:]
		if size > uint64(len(rest)) {
			return fmt.Errorf("kv: snapshot at index %d: record %d announces %d bytes, %d remain", index, n, size, len(rest))
		}
		if err := proto.Unmarshal(rest[:size], &list); err != nil {
			return fmt.Errorf("kv: snapshot at index %d: record %d: %w", index, n, err)
		}
		for _, e := range list.Kv {
			if !bytes.HasPrefix(e.Key, prefix) {
				return fmt.Errorf("kv: snapshot at index %d: record %d holds key %q, outside this partition (prefix %x)", index, n, e.Key, prefix)
			}
			key := e.Key[len(prefix):]
			switch {
			case len(key) == 0:
				return fmt.Errorf("kv: snapshot at index %d: record %d holds an empty key", index, n)
			case key[0] == 0x00 && !isTxnMetaKey(key):
				return fmt.Errorf("kv: snapshot at index %d: record %d would overwrite the store's metadata key %q", index, n, e.Key)
			case e.Version > ts:
				return fmt.Errorf("kv: snapshot at index %d: record %d holds a version at %d, after the snapshot's timestamp %d", index, n, e.Version, ts)
			}
		}
		rest = rest[size:]
	}
	return nil
}
