package catalog

import (
	"encoding/binary"

	"github.com/quorumdb/quorumdb/kv"
)

// The catalog lives in kv's system space, read and written inside the
// statement's own transaction, so a schema change is atomic with the
// statement that makes it and concurrent statements that used the old
// descriptor conflict (their read set holds its key) and retry.
//
//	db/<name>                         → Database (JSON)
//	ns/<db id>/<schema>\x00<name>     → object id (uint32 BE)
//	desc/<id>                         → Table (JSON; tables and sequences)
//	seq/<id>                          → sequence value (int64 BE)
//	role/<name>                       → Role (JSON)
//	schema/<db id>/<name>             → schema oid (uint32 BE)
//	idgen                             → next object id
var (
	keyBootstrap = kv.SystemKey([]byte("bootstrap"))
	keyIDGen     = kv.SystemKey([]byte("idgen"))
)

// EncodeID is an object id as keys and values hold it (4 bytes, big
// endian, so ids sort in key order).
func EncodeID(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

// DatabaseKey is the key of database name's descriptor.
func DatabaseKey(name string) []byte { return kv.SystemKey([]byte("db/"), []byte(name)) }

// RoleKey is the key of role name's descriptor.
func RoleKey(name string) []byte { return kv.SystemKey([]byte("role/"), []byte(name)) }

// DescriptorKey is the key of relation id's descriptor.
func DescriptorKey(id uint32) []byte { return kv.SystemKey([]byte("desc/"), EncodeID(id)) }

// SequenceValueKey is the key of sequence id's current value.
func SequenceValueKey(id uint32) []byte { return kv.SystemKey([]byte("seq/"), EncodeID(id)) }

// NamespaceKey maps schema.name in database db to its relation id.
func NamespaceKey(db uint32, schema, name string) []byte {
	return kv.SystemKey([]byte("ns/"), EncodeID(db), []byte(schema), []byte{0}, []byte(name))
}

// SchemaKey maps a schema name in database db to its oid.
func SchemaKey(db uint32, name string) []byte {
	return kv.SystemKey([]byte("schema/"), EncodeID(db), []byte(name))
}
