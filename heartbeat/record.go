package heartbeat

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// keyPrefix starts every heartbeat row key in the system space.
var keyPrefix = kv.SystemKey([]byte("heartbeat/"))

// maxNodeID is the largest id a 4-byte key holds.
const maxNodeID = math.MaxUint32

// encodingVersion is written in every row. A reader refuses rows of
// another version instead of guessing: nodes of different versions never
// form one cluster, so a mismatch means corruption or a bug.
const encodingVersion = 1

// Row is one member's heartbeat as cluster_node_heartbeat shows it.
type Row struct {
	NodeID      int
	Address     string
	SQLAddress  string
	StartedAt   time.Time
	HeartbeatAt time.Time
	// State is computed by the reader (StateOf); it is not stored.
	State   string
	Version string
}

// Key returns the key of node id's row.
func Key(nodeID int) []byte {
	var id [4]byte
	binary.BigEndian.PutUint32(id[:], uint32(nodeID))
	return kv.SystemKey([]byte("heartbeat/"), id[:])
}

// record is the stored value. Times are UTC with nanoseconds (JSON's
// RFC 3339 encoding of time.Time).
type record struct {
	V           int       `json:"v"`
	NodeID      int       `json:"node_id"`
	Address     string    `json:"address"`
	SQLAddress  string    `json:"sql_address"`
	StartedAt   time.Time `json:"started_at"`
	HeartbeatAt time.Time `json:"heartbeat_at"`
	Version     string    `json:"version"`
}

// encodeRow returns the stored value of r (State is not stored).
func encodeRow(r Row) []byte {
	b, err := json.Marshal(record{
		V:           encodingVersion,
		NodeID:      r.NodeID,
		Address:     r.Address,
		SQLAddress:  r.SQLAddress,
		StartedAt:   r.StartedAt.UTC(),
		HeartbeatAt: r.HeartbeatAt.UTC(),
		Version:     r.Version,
	})
	if err != nil {
		// Marshalling strings, ints and times cannot fail.
		panic(fmt.Sprintf("heartbeat: encoding row: %v", err))
	}
	return b
}

// decodeRow parses a stored row, checking that the key and the value
// agree on the node id. State is left empty.
func decodeRow(key, value []byte) (Row, error) {
	if len(key) != len(keyPrefix)+4 {
		return Row{}, fmt.Errorf("%w: key %q has the wrong length", ErrBadRow, key)
	}
	keyID := int(binary.BigEndian.Uint32(key[len(keyPrefix):]))
	var rec record
	if err := json.Unmarshal(value, &rec); err != nil {
		return Row{}, fmt.Errorf("%w: node %d: %v", ErrBadRow, keyID, err)
	}
	if rec.V != encodingVersion {
		return Row{}, fmt.Errorf("%w: node %d: encoding version %d, this node reads %d", ErrBadRow, keyID, rec.V, encodingVersion)
	}
	if rec.NodeID != keyID {
		return Row{}, fmt.Errorf("%w: node %d: value names node %d", ErrBadRow, keyID, rec.NodeID)
	}
	return Row{
		NodeID:      rec.NodeID,
		Address:     rec.Address,
		SQLAddress:  rec.SQLAddress,
		StartedAt:   rec.StartedAt,
		HeartbeatAt: rec.HeartbeatAt,
		Version:     rec.Version,
	}, nil
}
