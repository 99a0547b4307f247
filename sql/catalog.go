package sql

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The catalog lives in kv's system space, read and written inside the
// statement's own transaction, so a schema change is atomic with the
// statement that makes it and concurrent statements that used the old
// descriptor conflict (their read set holds its key) and retry.
//
//	db/<name>                         → dbDesc (JSON)
//	ns/<db id>/<schema>\x00<name>     → object id (uint32 BE)
//	desc/<id>                         → tableDesc (JSON; tables and sequences)
//	seq/<id>                          → sequence value (int64 BE)
//	role/<name>                       → roleDesc (JSON)
//	schema/<db id>/<name>             → schema oid (uint32 BE)
//	idgen                             → next object id
var (
	keyBootstrap = kv.SystemKey([]byte("bootstrap"))
	keyIDGen     = kv.SystemKey([]byte("idgen"))
)

// firstUserID is the first object id handed out; PostgreSQL's user objects
// also start here, so our ids double as pg_class/pg_database oids.
const firstUserID = 16384

// Fixed oids of the bootstrap objects, as in PostgreSQL.
const (
	oidPostgresRole    = 10
	oidPostgresDB      = 5
	oidPublicSchema    = 2200
	oidPgCatalogSchema = 11
	oidInfoSchema      = 13000
)

type dbDesc struct {
	ID    uint32 `json:"id"`
	Name  string `json:"name"`
	Owner string `json:"owner"`
}

type roleDesc struct {
	OID       uint32 `json:"oid"`
	Name      string `json:"name"`
	Superuser bool   `json:"superuser"`
	Login     bool   `json:"login"`
	Password  string `json:"password,omitempty"`
}

// descKind distinguishes the objects stored under desc/.
type descKind string

const (
	kindTable    descKind = "table"
	kindSequence descKind = "sequence"
	kindView     descKind = "view"
)

type columnDesc struct {
	ID      uint32  `json:"id"`
	Name    string  `json:"name"`
	Type    types.T `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Default is the DEFAULT expression as SQL text, "" when none.
	Default string `json:"default,omitempty"`
	// Hidden columns (the row id of a table without a primary key) are
	// not part of SELECT * and not listed by \d.
	Hidden bool `json:"hidden,omitempty"`
	// Generated is a stored generated column's expression as SQL text
	// (GENERATED ALWAYS AS (expr) STORED), "" for other columns.
	Generated string `json:"generated,omitempty"`
}

type indexDesc struct {
	ID uint32 `json:"id"`
	// OID is the index's pg_class oid.
	OID       uint32   `json:"oid"`
	Name      string   `json:"name"`
	Unique    bool     `json:"unique,omitempty"`
	Primary   bool     `json:"primary,omitempty"`
	ColumnIDs []uint32 `json:"columns"`
	Desc      []bool   `json:"desc"`
	// Constraint is true when the index backs a PRIMARY KEY or UNIQUE
	// constraint (pg_constraint lists it).
	Constraint bool `json:"constraint,omitempty"`
	// Exprs are the expression key elements as SQL text, in key order
	// (each stands where ColumnIDs holds 0), ExprTypes their types.
	Exprs     []string  `json:"exprs,omitempty"`
	ExprTypes []types.T `json:"expr_types,omitempty"`
	// Predicate is a partial index's WHERE as SQL text.
	Predicate string `json:"predicate,omitempty"`
}

type checkDesc struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	// NotValid marks a constraint added NOT VALID: new rows are checked,
	// the rows that existed then are not, until VALIDATE CONSTRAINT.
	NotValid bool `json:"not_valid,omitempty"`
}

// tableDesc describes a table or a sequence.
type tableDesc struct {
	ID       uint32   `json:"id"`
	Kind     descKind `json:"kind"`
	DBID     uint32   `json:"db"`
	Schema   string   `json:"schema"`
	Name     string   `json:"name"`
	Version  uint64   `json:"version"`
	Owner    string   `json:"owner"`
	Columns  []columnDesc
	NextCol  uint32 `json:"next_col"`
	Indexes  []indexDesc
	NextIdx  uint32      `json:"next_idx"`
	Checks   []checkDesc `json:"checks,omitempty"`
	Sequence *seqOptions `json:"sequence,omitempty"`
	// OwnedBy names the table.column a serial's sequence belongs to.
	OwnedBy string `json:"owned_by,omitempty"`
	// ViewQuery is a view's defining SELECT as SQL text.
	ViewQuery string `json:"view_query,omitempty"`
	// ViewRefs are the oids the view query's relation references (in
	// queryRangeVars order) were bound to at CREATE VIEW, 0 for a CTE or a
	// system view; ViewDeps are the relations and columns it depends on.
	ViewRefs []uint32  `json:"view_refs,omitempty"`
	ViewDeps []viewDep `json:"view_deps,omitempty"`
	// ForeignKeys are this table's FOREIGN KEY constraints; ReferencedBy
	// lists the constraints of other tables (or this one) that reference it.
	ForeignKeys  []fkDesc `json:"fks,omitempty"`
	ReferencedBy []fkRef  `json:"referenced_by,omitempty"`
	// OnCommit is a temporary table's ON COMMIT action (onCommitDeleteRows
	// or onCommitDrop), "" for PRESERVE ROWS.
	OnCommit string `json:"on_commit,omitempty"`
	// RelOptions are the storage parameters ALTER TABLE SET recorded, as
	// pg_class.reloptions lists them ("fillfactor=70").
	RelOptions []string `json:"rel_options,omitempty"`
}

// temporary reports whether t lives in a temporary schema.
func (t *tableDesc) temporary() bool { return isTempSchemaName(t.Schema) }

type seqOptions struct {
	Start     int64 `json:"start"`
	Increment int64 `json:"increment"`
	Min       int64 `json:"min"`
	Max       int64 `json:"max"`
	// Cycle makes nextval wrap around at the end of the range.
	Cycle bool `json:"cycle,omitempty"`
}

// primary returns the primary index (always Indexes[0] of a table).
func (t *tableDesc) primary() *indexDesc { return &t.Indexes[0] }

func (t *tableDesc) columnByName(name string) (int, *columnDesc) {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i, &t.Columns[i]
		}
	}
	return -1, nil
}

func (t *tableDesc) columnIndexByID(id uint32) int {
	for i := range t.Columns {
		if t.Columns[i].ID == id {
			return i
		}
	}
	return -1
}

func (t *tableDesc) hasHiddenRowID() bool {
	for _, c := range t.Columns {
		if c.Hidden {
			return true
		}
	}
	return false
}

func (t *tableDesc) clone() *tableDesc {
	b, _ := json.Marshal(t)
	var c tableDesc
	_ = json.Unmarshal(b, &c)
	return &c
}

func u32(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

func dbKey(name string) []byte     { return kv.SystemKey([]byte("db/"), []byte(name)) }
func roleKey(name string) []byte   { return kv.SystemKey([]byte("role/"), []byte(name)) }
func descKey(id uint32) []byte     { return kv.SystemKey([]byte("desc/"), u32(id)) }
func seqValueKey(id uint32) []byte { return kv.SystemKey([]byte("seq/"), u32(id)) }
func nsKey(db uint32, schema, name string) []byte {
	return kv.SystemKey([]byte("ns/"), u32(db), []byte(schema), []byte{0}, []byte(name))
}
func schemaKey(db uint32, name string) []byte {
	return kv.SystemKey([]byte("schema/"), u32(db), []byte(name))
}

// descCache avoids decoding the same descriptor bytes over and over: the
// bytes are still read through the transaction (so they are in its read
// set), only the JSON decoding is skipped.
type descCache struct {
	mu sync.Mutex
	m  map[uint32]cachedDesc
}

type cachedDesc struct {
	raw  string
	desc *tableDesc
}

// catalog reads and writes descriptors within one transaction.
type catalog struct {
	txn   kv.Txn
	cache *descCache
	// changes, when set, records the descriptors this transaction wrote
	// or deleted (the session's; see catalogChanges).
	changes *catalogChanges
	// sess, when set, is the session reading: listings show its own
	// temporary schema and hide every other session's.
	sess *Session
}

func (c *catalog) getJSON(ctx context.Context, key []byte, v any) (bool, error) {
	b, ok, err := c.txn.Get(ctx, key)
	if err != nil || !ok {
		return false, kvError(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("sql: decoding catalog entry %q: %w", key, err)
	}
	return true, nil
}

func (c *catalog) putJSON(ctx context.Context, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("sql: encoding catalog entry: %w", err)
	}
	return kvError(c.txn.Put(ctx, key, b))
}

func (c *catalog) database(ctx context.Context, name string) (*dbDesc, error) {
	var d dbDesc
	ok, err := c.getJSON(ctx, dbKey(name), &d)
	if err != nil || !ok {
		return nil, err
	}
	return &d, nil
}

func (c *catalog) databases(ctx context.Context) ([]dbDesc, error) {
	prefix := kv.SystemKey([]byte("db/"))
	kvs, err := c.txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kvError(err)
	}
	out := make([]dbDesc, 0, len(kvs))
	for _, e := range kvs {
		var d dbDesc
		if err := json.Unmarshal(e.Value, &d); err != nil {
			return nil, fmt.Errorf("sql: decoding database entry: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

func (c *catalog) role(ctx context.Context, name string) (*roleDesc, error) {
	var r roleDesc
	ok, err := c.getJSON(ctx, roleKey(name), &r)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

func (c *catalog) roles(ctx context.Context) ([]roleDesc, error) {
	prefix := kv.SystemKey([]byte("role/"))
	kvs, err := c.txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kvError(err)
	}
	out := make([]roleDesc, 0, len(kvs))
	for _, e := range kvs {
		var r roleDesc
		if err := json.Unmarshal(e.Value, &r); err != nil {
			return nil, fmt.Errorf("sql: decoding role entry: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// newID allocates an object id.
func (c *catalog) newID(ctx context.Context) (uint32, error) {
	b, ok, err := c.txn.Get(ctx, keyIDGen)
	if err != nil {
		return 0, kvError(err)
	}
	id := uint32(firstUserID)
	if ok {
		id = binary.BigEndian.Uint32(b)
	}
	if err := c.txn.Put(ctx, keyIDGen, u32(id+1)); err != nil {
		return 0, kvError(err)
	}
	return id, nil
}

// lookupID resolves schema.name in database db to an object id.
func (c *catalog) lookupID(ctx context.Context, db uint32, schema, name string) (uint32, bool, error) {
	b, ok, err := c.txn.Get(ctx, nsKey(db, schema, name))
	if err != nil || !ok {
		return 0, false, kvError(err)
	}
	return binary.BigEndian.Uint32(b), true, nil
}

// tableByID returns the descriptor of object id, nil if it does not exist.
func (c *catalog) tableByID(ctx context.Context, id uint32) (*tableDesc, error) {
	b, ok, err := c.txn.Get(ctx, descKey(id))
	if err != nil || !ok {
		return nil, kvError(err)
	}
	if c.cache != nil {
		c.cache.mu.Lock()
		e, hit := c.cache.m[id]
		c.cache.mu.Unlock()
		if hit && e.raw == string(b) {
			return e.desc, nil
		}
	}
	var t tableDesc
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("sql: decoding descriptor %d: %w", id, err)
	}
	if c.cache != nil {
		c.cache.mu.Lock()
		if c.cache.m == nil {
			c.cache.m = map[uint32]cachedDesc{}
		}
		c.cache.m[id] = cachedDesc{raw: string(b), desc: &t}
		c.cache.mu.Unlock()
	}
	return &t, nil
}

// tableByName returns the table schema.name of database db, nil if absent.
func (c *catalog) tableByName(ctx context.Context, db uint32, schema, name string) (*tableDesc, error) {
	id, ok, err := c.lookupID(ctx, db, schema, name)
	if err != nil || !ok {
		return nil, err
	}
	t, err := c.tableByID(ctx, id)
	if err != nil || t == nil || t.Name != name {
		// The name belongs to one of the table's indexes.
		return nil, err
	}
	return t, nil
}

// tables lists every table and sequence of database db.
func (c *catalog) tables(ctx context.Context, db uint32) ([]*tableDesc, error) {
	prefix := kv.SystemKey([]byte("ns/"), u32(db))
	kvs, err := c.txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kvError(err)
	}
	out := make([]*tableDesc, 0, len(kvs))
	for _, e := range kvs {
		t, err := c.tableByID(ctx, binary.BigEndian.Uint32(e.Value))
		if err != nil {
			return nil, err
		}
		// Index names point at their table too: list each table once,
		// under its own name.
		_, name, _ := bytes.Cut(e.Key[len(prefix)+0:], []byte{0})
		if t != nil && string(name) == t.Name && c.listable(t.Schema) {
			out = append(out, t)
		}
	}
	return out, nil
}

// writeTable stores t with its version bumped and its name entry.
func (c *catalog) writeTable(ctx context.Context, t *tableDesc) error {
	t.Version++
	if err := c.putJSON(ctx, descKey(t.ID), t); err != nil {
		return err
	}
	if err := c.txn.Put(ctx, nsKey(t.DBID, t.Schema, t.Name), u32(t.ID)); err != nil {
		return kvError(err)
	}
	c.changes.record(t.ID, t.Version, false)
	return nil
}

func (c *catalog) deleteTable(ctx context.Context, t *tableDesc) error {
	if err := c.txn.Delete(ctx, descKey(t.ID)); err != nil {
		return kvError(err)
	}
	if err := c.txn.Delete(ctx, nsKey(t.DBID, t.Schema, t.Name)); err != nil {
		return kvError(err)
	}
	if t.Kind == kindSequence {
		if err := c.txn.Delete(ctx, seqValueKey(t.ID)); err != nil {
			return kvError(err)
		}
	}
	// The deletion is newer than the last stored version.
	c.changes.record(t.ID, t.Version+1, true)
	return nil
}

// schemas lists the user-visible schemas of database db with their oids.
func (c *catalog) schemas(ctx context.Context, db uint32) (map[string]uint32, error) {
	out := map[string]uint32{"public": oidPublicSchema, "pg_catalog": oidPgCatalogSchema, "information_schema": oidInfoSchema}
	prefix := kv.SystemKey([]byte("schema/"), u32(db))
	kvs, err := c.txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kvError(err)
	}
	for _, e := range kvs {
		out[string(e.Key[len(prefix):])] = binary.BigEndian.Uint32(e.Value)
	}
	if ts := c.sess; ts != nil && ts.temp != nil {
		out[ts.temp.name] = ts.temp.oid
	}
	return out, nil
}

// listable reports whether objects of schema appear in the reading
// session's catalog listings: not those of other sessions' temporary
// schemas.
func (c *catalog) listable(schema string) bool {
	return !isTempSchemaName(schema) || schema == c.sess.ownTempSchema()
}

// bootstrap creates the initial catalog when the store is empty.
func bootstrap(ctx context.Context, db kv.DB) error {
	for attempt := 0; ; attempt++ {
		txn, err := db.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			return err
		}
		err = bootstrapTxn(ctx, txn)
		if err == nil {
			err = txn.Commit(ctx)
		}
		txn.Rollback()
		if err == nil || !errorsIsConflict(err) || attempt > 10 {
			return err
		}
	}
}

func bootstrapTxn(ctx context.Context, txn kv.Txn) error {
	_, done, err := txn.Get(ctx, keyBootstrap)
	if err != nil || done {
		return err
	}
	c := &catalog{txn: txn}
	if err := c.putJSON(ctx, roleKey("postgres"), roleDesc{OID: oidPostgresRole, Name: "postgres", Superuser: true, Login: true}); err != nil {
		return err
	}
	if err := c.putJSON(ctx, dbKey("postgres"), dbDesc{ID: oidPostgresDB, Name: "postgres", Owner: "postgres"}); err != nil {
		return err
	}
	id, err := c.newID(ctx)
	if err != nil {
		return err
	}
	if err := c.putJSON(ctx, dbKey("quorumdb"), dbDesc{ID: id, Name: "quorumdb", Owner: "postgres"}); err != nil {
		return err
	}
	return txn.Put(ctx, keyBootstrap, []byte{1})
}

// undefinedTable is PostgreSQL's 42P01 error.
func undefinedTable(name string) error {
	return pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", name)
}
