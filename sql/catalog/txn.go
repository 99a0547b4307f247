package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Cache avoids decoding the same descriptor bytes over and over: the
// bytes are still read through the transaction (so they are in its read
// set), only the JSON decoding is skipped.
type Cache struct {
	// OnTable, when set, is called with every table descriptor this
	// cache decodes and every one a transaction writes through it: so
	// the node learns each index before any of its keys is built (the
	// partitioned keyspace places keys by their index's first column:
	// see sql.IndexRoutes). Set it before the cache is used.
	OnTable func(*Table)

	mu sync.Mutex
	m  map[uint32]cachedDesc
	// types holds the decoded enum type descriptors (user_types.go).
	types map[uint32]cachedType
}

// Invalidate drops descriptor id from the cache: a peer changed it. The
// next transaction that reads it decodes it again.
func (c *Cache) Invalidate(id uint32) {
	c.mu.Lock()
	delete(c.m, id)
	delete(c.types, id)
	c.mu.Unlock()
}

// InvalidateAll empties the cache: a peer's events may have been lost.
func (c *Cache) InvalidateAll() {
	c.mu.Lock()
	c.m = nil
	c.types = nil
	c.mu.Unlock()
}

// Has reports whether descriptor id is cached (for tests).
func (c *Cache) Has(id uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[id]
	return ok
}

// cachedDesc is a decoded descriptor with the bytes it was decoded from:
// when the transaction reads other bytes, they are decoded again.
type cachedDesc struct {
	raw  string
	desc *Table
	// enums is set when a column is of an enum type: tableByID returns a
	// copy with the types' current labels (user_types.go).
	enums bool
}

// TempSchemaOwner is the session reading the catalog, as far as the
// catalog cares: its own temporary schema, if it has one yet (its first
// temporary object makes it, so it is asked at each listing).
type TempSchemaOwner interface {
	OwnTempSchema() (name string, oid uint32, ok bool)
}

// Txn reads and writes the catalog within one kv transaction: the
// statement's own, so that a schema change commits with it.
type Txn struct {
	KV    kv.Txn
	Cache *Cache
	// changes, when set, records the descriptors this transaction wrote
	// or deleted (the session's; see Changes).
	Changes *Changes
	// sess, when set, is the session reading: listings show its own
	// temporary schema and hide every other session's.
	Session TempSchemaOwner
}

// GetJSON reads the catalog entry at key into v; false if there is none.
func (c *Txn) GetJSON(ctx context.Context, key []byte, v any) (bool, error) {
	b, ok, err := c.KV.Get(ctx, key)
	if err != nil || !ok {
		return false, kverror.AsSQL(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("sql: decoding catalog entry %q: %w", key, err)
	}
	return true, nil
}

// PutJSON writes v as the catalog entry at key.
func (c *Txn) PutJSON(ctx context.Context, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("sql: encoding catalog entry: %w", err)
	}
	return kverror.AsSQL(c.KV.Put(ctx, key, b))
}

// Database is database name's descriptor, nil if none.
func (c *Txn) Database(ctx context.Context, name string) (*Database, error) {
	var d Database
	ok, err := c.GetJSON(ctx, DatabaseKey(name), &d)
	if err != nil || !ok {
		return nil, err
	}
	return &d, nil
}

// Databases lists every database.
func (c *Txn) Databases(ctx context.Context) ([]Database, error) {
	prefix := kv.SystemKey([]byte("db/"))
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	out := make([]Database, 0, len(kvs))
	for _, e := range kvs {
		var d Database
		if err := json.Unmarshal(e.Value, &d); err != nil {
			return nil, fmt.Errorf("sql: decoding database entry: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// Role is role name's descriptor (a stored or predefined role), nil if
// none.
func (c *Txn) Role(ctx context.Context, name string) (*Role, error) {
	var r Role
	ok, err := c.GetJSON(ctx, RoleKey(name), &r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return PredefinedRole(name), nil
	}
	return &r, nil
}

// Roles lists the stored and the predefined roles.
func (c *Txn) Roles(ctx context.Context) ([]Role, error) {
	prefix := kv.SystemKey([]byte("role/"))
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	out := make([]Role, 0, len(kvs))
	for _, e := range kvs {
		var r Role
		if err := json.Unmarshal(e.Value, &r); err != nil {
			return nil, fmt.Errorf("sql: decoding role entry: %w", err)
		}
		out = append(out, r)
	}
	return WithPredefinedRoles(out), nil
}

// NewID allocates an object id.
func (c *Txn) NewID(ctx context.Context) (uint32, error) {
	b, ok, err := c.KV.Get(ctx, keyIDGen)
	if err != nil {
		return 0, kverror.AsSQL(err)
	}
	id := uint32(FirstUserID)
	if ok {
		id = binary.BigEndian.Uint32(b)
	}
	if err := c.KV.Put(ctx, keyIDGen, EncodeID(id+1)); err != nil {
		return 0, kverror.AsSQL(err)
	}
	return id, nil
}

// LookupID resolves schema.name in database db to an object id.
func (c *Txn) LookupID(ctx context.Context, db uint32, schema, name string) (uint32, bool, error) {
	b, ok, err := c.KV.Get(ctx, NamespaceKey(db, schema, name))
	if err != nil || !ok {
		return 0, false, kverror.AsSQL(err)
	}
	return binary.BigEndian.Uint32(b), true, nil
}

// TableByID returns the descriptor of object id, nil if it does not exist.
func (c *Txn) TableByID(ctx context.Context, id uint32) (*Table, error) {
	b, ok, err := c.KV.Get(ctx, DescriptorKey(id))
	if err != nil || !ok {
		return nil, kverror.AsSQL(err)
	}
	if c.Cache != nil {
		c.Cache.mu.Lock()
		e, hit := c.Cache.m[id]
		c.Cache.mu.Unlock()
		if hit && e.raw == string(b) {
			if e.enums {
				return c.HydrateEnums(ctx, e.desc)
			}
			return e.desc, nil
		}
	}
	var t Table
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("sql: decoding descriptor %d: %w", id, err)
	}
	enums := false
	for _, col := range t.Columns {
		enums = enums || HasEnumType(col.Type)
	}
	if c.Cache != nil {
		if c.Cache.OnTable != nil {
			c.Cache.OnTable(&t)
		}
		c.Cache.mu.Lock()
		if c.Cache.m == nil {
			c.Cache.m = map[uint32]cachedDesc{}
		}
		c.Cache.m[id] = cachedDesc{raw: string(b), desc: &t, enums: enums}
		c.Cache.mu.Unlock()
	}
	if enums {
		return c.HydrateEnums(ctx, &t)
	}
	return &t, nil
}

// TableByName returns the table schema.name of database db, nil if absent.
func (c *Txn) TableByName(ctx context.Context, db uint32, schema, name string) (*Table, error) {
	id, ok, err := c.LookupID(ctx, db, schema, name)
	if err != nil || !ok {
		return nil, err
	}
	t, err := c.TableByID(ctx, id)
	if err != nil || t == nil || t.Name != name {
		// The name belongs to one of the table's indexes.
		return nil, err
	}
	return t, nil
}

// Tables lists every table and sequence of database db.
func (c *Txn) Tables(ctx context.Context, db uint32) ([]*Table, error) {
	prefix := kv.SystemKey([]byte("ns/"), EncodeID(db))
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	out := make([]*Table, 0, len(kvs))
	for _, e := range kvs {
		t, err := c.TableByID(ctx, binary.BigEndian.Uint32(e.Value))
		if err != nil {
			return nil, err
		}
		// Index names point at their table too: list each table once,
		// under its own name.
		_, name, _ := bytes.Cut(e.Key[len(prefix)+0:], []byte{0})
		if t != nil && string(name) == t.Name && c.Listable(t.Schema) {
			out = append(out, t)
		}
	}
	return out, nil
}

// NoteTable passes t to the cache's OnTable hook: keys of its indexes
// are about to be built from it before it is written (an index being
// backfilled, a table being rewritten).
func (c *Txn) NoteTable(t *Table) {
	if c.Cache != nil && c.Cache.OnTable != nil {
		c.Cache.OnTable(t)
	}
}

// WriteTable stores t with its version bumped and its name entry.
func (c *Txn) WriteTable(ctx context.Context, t *Table) error {
	c.NoteTable(t)
	t.Version++
	if err := c.PutJSON(ctx, DescriptorKey(t.ID), t); err != nil {
		return err
	}
	if err := c.KV.Put(ctx, NamespaceKey(t.DBID, t.Schema, t.Name), EncodeID(t.ID)); err != nil {
		return kverror.AsSQL(err)
	}
	c.Changes.Record(t.ID, t.Version, false)
	return nil
}

// DeleteTable removes relation t's descriptor and name.
func (c *Txn) DeleteTable(ctx context.Context, t *Table) error {
	if err := c.KV.Delete(ctx, DescriptorKey(t.ID)); err != nil {
		return kverror.AsSQL(err)
	}
	if err := c.KV.Delete(ctx, NamespaceKey(t.DBID, t.Schema, t.Name)); err != nil {
		return kverror.AsSQL(err)
	}
	if t.Kind == KindSequence {
		if err := c.KV.Delete(ctx, SequenceValueKey(t.ID)); err != nil {
			return kverror.AsSQL(err)
		}
	}
	// The deletion is newer than the last stored version.
	c.Changes.Record(t.ID, t.Version+1, true)
	return nil
}

// Schemas lists the user-visible schemas of database db with their oids.
func (c *Txn) Schemas(ctx context.Context, db uint32) (map[string]uint32, error) {
	out := map[string]uint32{"public": OIDPublicSchema, "pg_catalog": OIDPgCatalogSchema, "information_schema": OIDInfoSchema}
	prefix := kv.SystemKey([]byte("schema/"), EncodeID(db))
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	for _, e := range kvs {
		out[string(e.Key[len(prefix):])] = binary.BigEndian.Uint32(e.Value)
	}
	if c.Session != nil {
		if name, oid, ok := c.Session.OwnTempSchema(); ok {
			out[name] = oid
		}
	}
	return out, nil
}

// Listable reports whether objects of schema appear in the reading
// session's catalog listings: not those of other sessions' temporary
// schemas.
func (c *Txn) Listable(schema string) bool {
	if !IsTempSchemaName(schema) {
		return true
	}
	if c.Session == nil {
		return false
	}
	own, _, ok := c.Session.OwnTempSchema()
	return ok && schema == own
}

// UndefinedTable is PostgreSQL's 42P01 error.
func UndefinedTable(name string) error {
	return pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", name)
}
