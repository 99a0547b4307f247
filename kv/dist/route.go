package dist

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/quorumdb/quorumdb/kv"
)

// Routing. Partition 0 holds the system keyspace (catalog, heartbeats,
// sequences, id generators); partitions 1..Data hold table keys, each
// placed by a hash of its *route*: the table id, the index id and the
// index's first key column, as YugabyteDB hashes a table's first key
// column. So a point read or write by primary key, a unique check, and
// a lookup by all of an index's columns (a non-unique index's keys end
// with the primary key) each reach one partition, while rows spread
// over all of them; a range over an index reaches them all.
//
// Where the first column ends depends on its type, which only the SQL
// layer knows: it registers, for every index it builds keys of, a
// ColumnSkipper (Routes.Register) before building any. A key of an
// index that is not registered fails with an error rather than being
// placed by another rule, which would put it where other nodes will not
// look. The type of an index's first column never changes while the
// index id lives, so every node computes the same route.

// ColumnSkipper returns the length of the first encoded key column at
// the start of rest.
type ColumnSkipper func(rest []byte) (int, error)

// Routes holds the skippers the SQL layer registered, by table and
// index. It is safe for concurrent use.
type Routes struct {
	mu sync.RWMutex
	m  map[[2]uint32]ColumnSkipper
}

// NewRoutes returns an empty registry.
func NewRoutes() *Routes { return &Routes{m: make(map[[2]uint32]ColumnSkipper)} }

// Register records how to find the end of the first key column of index
// indexID of table tableID.
func (r *Routes) Register(tableID, indexID uint32, skip ColumnSkipper) {
	r.mu.Lock()
	r.m[[2]uint32{tableID, indexID}] = skip
	r.mu.Unlock()
}

func (r *Routes) skipper(tableID, indexID uint32) ColumnSkipper {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.m[[2]uint32{tableID, indexID}]
}

// tableKeyHeader is the space tag, table id and index id of a table key
// (kv/keys.go).
const tableKeyHeader = 9

// KeyPlacement places keys on partitions 0..Data by the rules above.
type KeyPlacement struct {
	Data   uint32 // partitions holding table keys: 1..Data
	Routes *Routes
}

// SystemPartition holds the system keyspace.
const SystemPartition = 0

// Of returns the partition holding key.
func (kp *KeyPlacement) Of(key []byte) (uint32, error) {
	if len(key) == 0 || key[0] != kv.TableSpace {
		return SystemPartition, nil
	}
	n, err := kp.routeLen(key)
	if err != nil {
		return 0, err
	}
	return kp.hash(key[:n]), nil
}

// routeLen is the length of key's route: header and first column.
func (kp *KeyPlacement) routeLen(key []byte) (int, error) {
	if len(key) < tableKeyHeader {
		return 0, fmt.Errorf("dist: table key %x is shorter than its header", key)
	}
	table, index := binary.BigEndian.Uint32(key[1:5]), binary.BigEndian.Uint32(key[5:9])
	skip := kp.Routes.skipper(table, index)
	if skip == nil {
		return 0, fmt.Errorf("dist: no route registered for index %d of table %d", index, table)
	}
	n, err := skip(key[tableKeyHeader:])
	if err != nil {
		return 0, fmt.Errorf("dist: routing a key of index %d of table %d: %w", index, table, err)
	}
	return tableKeyHeader + n, nil
}

func (kp *KeyPlacement) hash(route []byte) uint32 {
	h := fnv.New32a()
	h.Write(route)
	return 1 + h.Sum32()%kp.Data
}

// Spanning returns the partitions that may hold keys in [start, end):
// one when every such key shares start's route, the data partitions for
// a range inside the table space, the system partition for one inside
// the system space, otherwise all.
func (kp *KeyPlacement) Spanning(start, end []byte) []uint32 {
	inTables := len(start) > 0 && start[0] == kv.TableSpace && (end == nil || bytes.Compare(end, []byte{kv.TableSpace + 1}) <= 0)
	if inTables {
		if n, err := kp.routeLen(start); err == nil && len(start) >= n && end != nil {
			if routeEnd := kv.PrefixEnd(start[:n]); routeEnd != nil && bytes.Compare(end, routeEnd) <= 0 {
				return []uint32{kp.hash(start[:n])}
			}
		}
		return kp.span(1, kp.Data)
	}
	if end != nil && bytes.Compare(end, []byte{kv.SystemSpace + 1}) <= 0 {
		return []uint32{SystemPartition}
	}
	return kp.span(0, kp.Data)
}

func (kp *KeyPlacement) span(from, to uint32) []uint32 {
	out := make([]uint32, 0, to-from+1)
	for p := from; p <= to; p++ {
		out = append(out, p)
	}
	return out
}
