package kv

import "encoding/binary"

// Key layout. Every key starts with a one-byte space tag so the spaces
// never interleave:
//
//	0x00 reserved:     the store's own metadata (LocalStore's applied
//	                   marker); never visible through a Txn
//	0x01 'system' keys: catalog descriptors, names, heartbeats, sequences
//	0x10 table keys:   0x10 | table id (uint32 BE) | index id (uint32 BE) | encoded key columns
//
// A table key's partition is chosen by hashing (table id, primary key
// bytes), so the layout keeps both at fixed, parseable offsets.
const (
	SystemSpace byte = 0x01
	TableSpace  byte = 0x10
)

// ProbeKey is a key of the system space that nothing writes: reading it
// reaches the system partition's leaseholder and nothing else, which is
// how a node learns that the keyspace answers (a login's bounded wait,
// /healthz).
var ProbeKey = SystemKey([]byte("probe"))

// SystemKey returns the key of name within the system space, e.g.
// SystemKey("heartbeat/", nodeIDBytes).
func SystemKey(parts ...[]byte) []byte {
	k := []byte{SystemSpace}
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// IndexPrefix returns the prefix of every key of index indexID of table
// tableID. Index 1 is the primary index.
func IndexPrefix(tableID, indexID uint32) []byte {
	k := make([]byte, 9, 32)
	k[0] = TableSpace
	binary.BigEndian.PutUint32(k[1:], tableID)
	binary.BigEndian.PutUint32(k[5:], indexID)
	return k
}

// TablePrefix returns the prefix of every key of table tableID.
func TablePrefix(tableID uint32) []byte {
	k := make([]byte, 5, 16)
	k[0] = TableSpace
	binary.BigEndian.PutUint32(k[1:], tableID)
	return k
}

// PrefixEnd returns the smallest key greater than every key with the
// given prefix (nil when the prefix is all 0xff: no upper bound).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
