package raftlog

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/raft/v3/raftpb"
)

// snapshotRecord is the value under 's'|group: the metadata of the
// group's last snapshot and, for a snapshot received from a leader and
// not yet compacted past, the length of its data (kept in chunks under
// 'd'|group|index).
type snapshotRecord struct {
	meta raftpb.SnapshotMetadata
	// hasData: the data of a received snapshot is stored (it may be
	// empty).
	hasData bool
	dataLen uint64
	// clearing: the snapshot was received and the group's old entries
	// may not all be deleted yet. Written before the deletions and
	// rewritten without the flag after them (usually in the same
	// transaction); Open finishes the deletions when it finds the flag.
	clearing bool
}

const (
	flagHasData  = 1 << 0
	flagClearing = 1 << 1
)

// Layout: flags (1 byte), data length (8 bytes, big-endian), marshalled
// raftpb.SnapshotMetadata.
func (r snapshotRecord) marshal() ([]byte, error) {
	meta, err := r.meta.Marshal()
	if err != nil {
		return nil, fmt.Errorf("raftlog: encoding snapshot metadata %d: %w", r.meta.Index, err)
	}
	var flags byte
	if r.hasData {
		flags |= flagHasData
	}
	if r.clearing {
		flags |= flagClearing
	}
	b := binary.BigEndian.AppendUint64([]byte{flags}, r.dataLen)
	return append(b, meta...), nil
}

func (r *snapshotRecord) unmarshal(b []byte) error {
	if len(b) < 9 {
		return fmt.Errorf("raftlog: snapshot record of %d bytes is too short", len(b))
	}
	if b[0]&^(flagHasData|flagClearing) != 0 {
		return fmt.Errorf("raftlog: snapshot record has unknown flags %#x", b[0])
	}
	r.hasData = b[0]&flagHasData != 0
	r.clearing = b[0]&flagClearing != 0
	r.dataLen = binary.BigEndian.Uint64(b[1:9])
	r.meta = raftpb.SnapshotMetadata{}
	if err := r.meta.Unmarshal(b[9:]); err != nil {
		return fmt.Errorf("raftlog: decoding snapshot metadata: %w", err)
	}
	return nil
}

// numChunks is how many values of at most chunk bytes hold n bytes; an
// entry always has at least one.
func numChunks(n, chunk int) int {
	if n == 0 {
		return 1
	}
	return (n + chunk - 1) / chunk
}

// Each chunk of an entry starts with a byte saying whether another chunk
// of the same entry follows, so that Open can tell a complete entry.
const (
	chunkLast = 0
	chunkMore = 1
)
