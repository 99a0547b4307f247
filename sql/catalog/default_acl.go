package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/kverror"
)

// DefaultACL is one pg_default_acl row's stored part.
type DefaultACL struct {
	OID uint32     `json:"oid"`
	ACL []acl.Item `json:"acl"`
}

// DefaultACLPrefix is where database db's default privileges are stored.
func DefaultACLPrefix(db uint32) []byte { return kv.SystemKey([]byte("defacl/"), EncodeID(db)) }

// DefaultACLKey is the key of one ALTER DEFAULT PRIVILEGES entry: the
// role's objects of objtype created in schema ("" for every schema).
func DefaultACLKey(db uint32, role, schema string, objtype byte) []byte {
	return kv.SystemKey([]byte("defacl/"), EncodeID(db), []byte(role), []byte{0}, []byte(schema), []byte{0, objtype})
}

// DefaultACLEntry is a pg_default_acl row.
type DefaultACLEntry struct {
	Role, Schema string
	ObjType      byte
	DefaultACL
}

// DefaultACLs lists database db's default privileges (pg_default_acl).
func (c *Txn) DefaultACLs(ctx context.Context, db uint32) ([]DefaultACLEntry, error) {
	prefix := DefaultACLPrefix(db)
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	var out []DefaultACLEntry
	for _, e := range kvs {
		parts := bytes.SplitN(e.Key[len(prefix):], []byte{0}, 3)
		if len(parts) != 3 || len(parts[2]) != 1 {
			continue
		}
		ent := DefaultACLEntry{Role: string(parts[0]), Schema: string(parts[1]), ObjType: parts[2][0]}
		if err := json.Unmarshal(e.Value, &ent.DefaultACL); err != nil {
			return nil, fmt.Errorf("sql: decoding default privileges: %w", err)
		}
		out = append(out, ent)
	}
	return out, nil
}

// DefaultACL is one entry of the default privileges, nil if none.
func (c *Txn) DefaultACL(ctx context.Context, db uint32, role, schema string, objtype byte) (*DefaultACL, error) {
	var d DefaultACL
	ok, err := c.GetJSON(ctx, DefaultACLKey(db, role, schema, objtype), &d)
	if err != nil || !ok {
		return nil, err
	}
	return &d, nil
}
