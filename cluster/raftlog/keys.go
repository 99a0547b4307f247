package raftlog

import (
	"encoding/binary"
	"fmt"
)

// formatVersion is the on-disk layout written by this package; Open
// refuses a directory holding another.
const formatVersion = 1

// Each key starts with one byte naming its kind. All keys of one kind
// and group share the 9-byte prefix kind|group (big-endian), and indexes
// follow big-endian, so a group's entries are contiguous and in index
// order, and everything of a group is found by prefix iteration.
const (
	kindVersion  = 'v' // 'v': the format version (4 bytes, big-endian)
	kindGroup    = 'g' // 'g'|group: empty; the group has state on disk
	kindHard     = 'h' // 'h'|group: raftpb.HardState
	kindSnapshot = 's' // 's'|group: snapshotRecord
	kindSnapData = 'd' // 'd'|group|snapIndex|chunk(4): a chunk of a received snapshot's data
	kindEntry    = 'e' // 'e'|group|index[|chunk(2)]: a chunk of a marshalled raftpb.Entry
	kindDropping = 'x' // 'x'|group: DropGroup began and may not have finished
)

const (
	groupPrefixLen = 9
	entryKeyLen    = groupPrefixLen + 8 // the first (often only) chunk
	entryChunkLen  = entryKeyLen + 2    // a further chunk
	snapDataKeyLen = groupPrefixLen + 8 + 4
)

func versionKey() []byte { return []byte{kindVersion} }

func groupKey(kind byte, group uint64) []byte {
	k := make([]byte, groupPrefixLen, entryChunkLen)
	k[0] = kind
	binary.BigEndian.PutUint64(k[1:], group)
	return k
}

// entryKey names chunk c of the entry at index. Chunk 0 has no suffix,
// so it sorts before the entry's other chunks and after the previous
// entry's.
func entryKey(group, index uint64, c int) []byte {
	k := binary.BigEndian.AppendUint64(groupKey(kindEntry, group), index)
	if c > 0 {
		k = binary.BigEndian.AppendUint16(k, uint16(c))
	}
	return k
}

func snapDataKey(group, snapIndex uint64, c int) []byte {
	k := binary.BigEndian.AppendUint64(groupKey(kindSnapData, group), snapIndex)
	return binary.BigEndian.AppendUint32(k, uint32(c))
}

// groupOf returns the group id of any key but the version key.
func groupOf(key []byte) uint64 {
	return binary.BigEndian.Uint64(key[1:groupPrefixLen])
}

// parseEntryKey returns the index and chunk number an entry key names.
func parseEntryKey(key []byte) (index uint64, chunk int, err error) {
	switch len(key) {
	case entryKeyLen:
		return binary.BigEndian.Uint64(key[groupPrefixLen:]), 0, nil
	case entryChunkLen:
		return binary.BigEndian.Uint64(key[groupPrefixLen:]), int(binary.BigEndian.Uint16(key[entryKeyLen:])), nil
	}
	return 0, 0, fmt.Errorf("raftlog: entry key %x has length %d", key, len(key))
}

// parseSnapDataKey returns the snapshot index and chunk number of a
// snapshot data key.
func parseSnapDataKey(key []byte) (snapIndex uint64, chunk int, err error) {
	if len(key) != snapDataKeyLen {
		return 0, 0, fmt.Errorf("raftlog: snapshot data key %x has length %d", key, len(key))
	}
	return binary.BigEndian.Uint64(key[groupPrefixLen:]), int(binary.BigEndian.Uint32(key[groupPrefixLen+8:])), nil
}
