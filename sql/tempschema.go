package sql

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Temporary objects live in a per-session schema, pg_temp_N, as in
// PostgreSQL. Their descriptors, names and rows are ordinary catalog
// entries and table keys in kv (so rows hash to partitions like any
// table's); what makes them temporary is:
//
//   - a registry entry per temporary schema naming its owner (node, engine
//     incarnation, session), written in its own transaction when the
//     session first needs the schema:
//
//     tempschema/<db id>/<N> → tempSchemaRecord (JSON)
//
//   - name resolution: an unqualified name is looked up in the session's
//     own temporary schema first; another session's pg_temp_N cannot be
//     named, and catalog listings skip it (catalog.tables);
//
//   - cleanup: the session drops the schema's objects when it closes
//     (Terminate or a dropped connection, both end in Session.Close); a
//     node drops, when it starts, every temporary schema a previous
//     incarnation of itself left (a crash), and a session allocating a
//     schema first sweeps those whose owner on this node is gone.
type tempSchemaRecord struct {
	OID     uint32 `json:"oid"`
	Node    int    `json:"node"`
	Boot    uint64 `json:"boot"`
	Session uint64 `json:"session"`
}

// tempSchema is a session's temporary schema.
type tempSchema struct {
	n    uint32
	name string
	oid  uint32
}

// tempNamespaceOIDBase offsets temporary schema oids: allocated object ids
// stay below 2^21 (see catalogdef.go) and derived oids have bit 31 set, so
// 2^30+N collides with neither, and needs no id allocation (which would
// make the session's open transaction conflict on the id generator).
const tempNamespaceOIDBase = 1 << 30

func tempSchemaName(n uint32) string {
	return catalog.TempSchemaPrefix + strconv.FormatUint(uint64(n), 10)
}

func tempSchemaKey(db, n uint32) []byte {
	return kv.SystemKey([]byte("tempschema/"), catalog.EncodeID(db), catalog.EncodeID(n))
}

func tempSchemaDBPrefix(db uint32) []byte {
	return kv.SystemKey([]byte("tempschema/"), catalog.EncodeID(db))
}

// ownTempSchema is the name of the session's temporary schema, "" when it
// has none yet.
// OwnTempSchema is the session's temporary schema, if it has one yet: the
// catalog lists it and hides every other session's.
func (s *Session) OwnTempSchema() (name string, oid uint32, ok bool) {
	if s == nil || s.temp == nil {
		return "", 0, false
	}
	return s.temp.name, s.temp.oid, true
}

func (s *Session) ownTempSchema() string {
	if s == nil || s.temp == nil {
		return ""
	}
	return s.temp.name
}

// ensureTempSchema gives the session its temporary schema, registering it
// in a transaction of its own: the registry entry must outlive a rollback
// of the statement that needed it, since the session's later temporary
// objects go there too and Close finds them through it.
func (s *Session) ensureTempSchema(ctx context.Context) (*tempSchema, error) {
	if s.temp != nil {
		return s.temp, nil
	}
	s.engine.sweepOrphanTempSchemas(ctx, s.dbID)
	for attempt := 0; ; attempt++ {
		ts, err := s.engine.registerTempSchema(ctx, s.dbID, s.id)
		if err == nil {
			s.temp = ts
			// Cached plans resolved unqualified names without a
			// temporary schema to search.
			s.vars.gen++
			return ts, nil
		}
		if !kverror.Retryable(err) || attempt >= maxImplicitRetries {
			return nil, fmt.Errorf("sql: creating the temporary schema: %w", err)
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
}

// registerTempSchema takes the lowest schema number of db no one holds, as
// PostgreSQL reuses backend slots, and marks the session live.
func (e *Engine) registerTempSchema(ctx context.Context, db uint32, session uint64) (*tempSchema, error) {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	defer txn.Rollback()
	prefix := tempSchemaDBPrefix(db)
	kvs, err := txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	n := uint32(1)
	for _, e := range kvs {
		if binary.BigEndian.Uint32(e.Key[len(prefix):]) != n {
			break
		}
		n++
	}
	rec := tempSchemaRecord{OID: tempNamespaceOIDBase + n, Node: e.cfg.NodeID, Boot: e.bootID, Session: session}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("sql: encoding temporary schema entry: %w", err)
	}
	if err := txn.Put(ctx, tempSchemaKey(db, n), b); err != nil {
		return nil, kverror.AsSQL(err)
	}
	e.tempMu.Lock()
	e.liveTemp[session] = true
	e.tempMu.Unlock()
	if err := txn.Commit(ctx); err != nil {
		e.forgetTempSession(session)
		return nil, kverror.AsSQL(err)
	}
	return &tempSchema{n: n, name: tempSchemaName(n), oid: rec.OID}, nil
}

func (e *Engine) forgetTempSession(session uint64) {
	e.tempMu.Lock()
	delete(e.liveTemp, session)
	e.tempMu.Unlock()
}

// orphaned reports whether rec's session is certainly gone: it belonged
// to this node, and either to an earlier incarnation of it (which
// crashed or stopped) or to a session of this one that is closed.
// Schemas of other nodes are left to those nodes.
func (e *Engine) orphaned(rec tempSchemaRecord) bool {
	if rec.Node != e.cfg.NodeID {
		return false
	}
	if rec.Boot != e.bootID {
		return true
	}
	e.tempMu.Lock()
	defer e.tempMu.Unlock()
	return !e.liveTemp[rec.Session]
}

// sweepOrphanTempSchemas drops the temporary schemas of db (every
// database when all is set) whose sessions are gone. It is best-effort:
// a failure is logged and the next sweep tries again.
func (e *Engine) sweepOrphanTempSchemas(ctx context.Context, db uint32) {
	if err := e.sweepTempSchemas(ctx, kv.SystemKey([]byte("tempschema/")), db, db == 0); err != nil {
		e.cfg.Logger.Warn("sql: dropping orphaned temporary schemas", "err", err)
	}
}

func (e *Engine) sweepTempSchemas(ctx context.Context, prefix []byte, db uint32, all bool) error {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		return kverror.AsSQL(err)
	}
	start := prefix
	if !all {
		start = tempSchemaDBPrefix(db)
	}
	kvs, err := txn.Scan(ctx, start, kv.PrefixEnd(start), 0, false)
	txn.Rollback()
	if err != nil {
		return kverror.AsSQL(err)
	}
	for _, entry := range kvs {
		var rec tempSchemaRecord
		if err := json.Unmarshal(entry.Value, &rec); err != nil {
			return fmt.Errorf("sql: decoding temporary schema entry: %w", err)
		}
		if !e.orphaned(rec) {
			continue
		}
		k := entry.Key[len(prefix):]
		if len(k) != 8 {
			continue
		}
		dbID, n := binary.BigEndian.Uint32(k[:4]), binary.BigEndian.Uint32(k[4:])
		if err := e.dropTempSchema(ctx, dbID, n, nil); err != nil {
			return err
		}
	}
	return nil
}

// dropTempSchema removes temporary schema n of db with everything in it,
// in one transaction (retried on conflicts).
func (e *Engine) dropTempSchema(ctx context.Context, db, n uint32, changes *catalog.Changes) error {
	for attempt := 0; ; attempt++ {
		txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			return kverror.AsSQL(err)
		}
		c := &catalog.Txn{KV: txn, Cache: &e.descs, Changes: changes}
		err = dropTempObjects(ctx, c, db, tempSchemaName(n))
		if err == nil {
			err = kverror.AsSQL(txn.Delete(ctx, tempSchemaKey(db, n)))
		}
		if err == nil {
			err = kverror.AsSQL(txn.Commit(ctx))
		}
		txn.Rollback()
		if err == nil || !kverror.Retryable(err) || attempt >= maxImplicitRetries {
			if err != nil {
				return fmt.Errorf("sql: dropping temporary schema %s: %w", tempSchemaName(n), err)
			}
			return nil
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// dropTempObjects removes every object of temporary schema name: rows and
// index entries, descriptors, sequence values and names. Foreign keys
// never cross between temporary and permanent tables (addForeignKey
// refuses it), so no permanent descriptor needs changing.
func dropTempObjects(ctx context.Context, c *catalog.Txn, db uint32, name string) error {
	prefix := kv.SystemKey([]byte("ns/"), catalog.EncodeID(db), []byte(name), []byte{0})
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return kverror.AsSQL(err)
	}
	seen := map[uint32]bool{}
	for _, entry := range kvs {
		id := binary.BigEndian.Uint32(entry.Value)
		if seen[id] {
			continue
		}
		seen[id] = true
		t, err := c.TableByID(ctx, id)
		if err != nil {
			return err
		}
		if t == nil {
			continue
		}
		if t.Kind == catalog.KindTable {
			tp := kv.TablePrefix(t.ID)
			if err := c.KV.DeleteRange(ctx, tp, kv.PrefixEnd(tp)); err != nil {
				return kverror.AsSQL(err)
			}
		}
		if err := c.DeleteTable(ctx, t); err != nil {
			return err
		}
	}
	if err := c.KV.DeleteRange(ctx, prefix, kv.PrefixEnd(prefix)); err != nil {
		return kverror.AsSQL(err)
	}
	// Functions created in pg_temp.
	fp := kv.SystemKey([]byte("fn/"), catalog.EncodeID(db), []byte(name), []byte{0})
	return kverror.AsSQL(c.KV.DeleteRange(ctx, fp, kv.PrefixEnd(fp)))
}

// closeTempSchema drops the session's temporary schema when it ends. A
// failure leaves the schema to the next sweep (the session is no longer
// live, so it counts as orphaned).
func (s *Session) closeTempSchema() {
	ts := s.temp
	if ts == nil {
		return
	}
	s.temp = nil
	s.engine.forgetTempSession(s.id)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.engine.dropTempSchema(ctx, s.dbID, ts.n, &s.catChanges); err != nil {
		s.engine.cfg.Logger.Warn("sql: dropping a closed session's temporary schema", "schema", ts.name, "err", err)
		return
	}
	s.afterCommit(ctx)
}

// discardTemp runs DISCARD TEMP (and that part of DISCARD ALL): the
// temporary objects go, the schema stays the session's, as in PostgreSQL.
func (s *Session) discardTemp(ctx context.Context) error {
	if s.temp == nil {
		return nil
	}
	if s.state == txnOpen {
		txn, err := s.openTxn(ctx)
		if err != nil {
			return err
		}
		c := &catalog.Txn{KV: txn, Cache: &s.engine.descs, Changes: &s.catChanges, Session: s}
		return dropTempObjects(ctx, c, s.dbID, s.temp.name)
	}
	for attempt := 0; ; attempt++ {
		s.catChanges.Reset()
		s.cons.reset()
		txn, err := s.engine.cfg.DB.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			return kverror.AsSQL(err)
		}
		c := &catalog.Txn{KV: txn, Cache: &s.engine.descs, Changes: &s.catChanges, Session: s}
		err = dropTempObjects(ctx, c, s.dbID, s.temp.name)
		if err == nil {
			// Nothing of the session's is due at commit: its temporary
			// objects are what this drops.
			err = s.commitTxn(ctx, txn, false)
		} else {
			txn.Rollback()
		}
		if err == nil {
			return nil
		}
		if !kverror.Retryable(err) || attempt >= maxImplicitRetries {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// ON COMMIT actions of temporary tables (catalog.Table.OnCommit).
const (
	onCommitDeleteRows = "delete_rows"
	onCommitDrop       = "drop"
)

// beforeCommit runs the ON COMMIT actions of the session's temporary
// tables inside txn, just before it commits: ON COMMIT DELETE ROWS
// empties the table, ON COMMIT DROP drops it. Only sessions that created
// such a table pay for the scan.
func (s *Session) beforeCommit(ctx context.Context, txn kv.Txn) error {
	// Deferred constraint checks come first, as PostgreSQL fires its
	// deferred triggers before the ON COMMIT actions.
	if err := s.commitChecks(ctx, txn); err != nil {
		return err
	}
	if s.temp == nil || !s.hasOnCommitActions {
		return nil
	}
	b := s.newBuilder(ctx, txn, nil)
	ec := newExecCtx(ctx, s, txn, b.cat)
	prefix := kv.SystemKey([]byte("ns/"), catalog.EncodeID(s.dbID), []byte(s.temp.name), []byte{0})
	kvs, err := txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return kverror.AsSQL(err)
	}
	for _, entry := range kvs {
		t, err := b.cat.TableByID(ctx, binary.BigEndian.Uint32(entry.Value))
		if err != nil {
			return err
		}
		if t == nil || t.Kind != catalog.KindTable || string(entry.Key[len(prefix):]) != t.Name {
			continue
		}
		switch t.OnCommit {
		case onCommitDeleteRows:
			if err := dropTableData(ec, t); err != nil {
				return err
			}
		case onCommitDrop:
			b.dropping = map[uint32]bool{t.ID: true}
			if err := b.dropTable(ec, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// relationSchema is the schema a reference to relation name resolves to:
// the explicit one (pg_temp meaning the session's temporary schema), else
// the session's temporary schema when it holds name (PostgreSQL searches
// pg_temp first, implicitly), else public. Naming a relation in another
// session's temporary schema is an error, as in PostgreSQL.
func (b *builder) relationSchema(schema, name string) (string, error) {
	own := b.sess.ownTempSchema()
	switch {
	case schema == "":
		if own != "" {
			_, ok, err := b.cat.LookupID(b.ctx, b.sess.dbID, own, name)
			if err != nil {
				return "", err
			}
			if ok {
				return own, nil
			}
		}
		return b.searchPathSchema(name)
	case schema == "pg_temp":
		if own != "" {
			return own, nil
		}
	case catalog.IsTempSchemaName(schema) && schema != own:
		if _, ok, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, name); err != nil {
			return "", err
		} else if ok {
			return "", pgerror.New(pgerror.FeatureNotSupported, "cannot access temporary tables of other sessions")
		}
	}
	return schema, b.checkSchemaUsage(schema)
}

// creationSchema is the schema a new relation goes to: the session's
// temporary schema (created on first use) for a temporary one or one
// named in pg_temp, else the named schema or public. It applies
// PostgreSQL's rules for mixing the two.
func (b *builder) creationSchema(schema string, temp bool) (string, bool, error) {
	own := b.sess.ownTempSchema()
	toTemp := temp || schema == "pg_temp" || (own != "" && schema == own)
	if catalog.IsTempSchemaName(schema) && schema != own {
		return "", false, pgerror.New(pgerror.InvalidTableDefinition, "cannot create relations in temporary schemas of other sessions")
	}
	if !toTemp {
		s, err := b.schemaFor(schema)
		if err == nil {
			err = b.checkSchemaPrivs(s, acl.Create)
		}
		return s, false, err
	}
	if schema != "" && schema != "pg_temp" && schema != own {
		if _, err := b.schemaFor(schema); err != nil {
			return "", false, err
		}
		return "", false, pgerror.New(pgerror.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema")
	}
	ts, err := b.sess.ensureTempSchema(b.ctx)
	if err != nil {
		return "", false, err
	}
	return ts.name, true, nil
}

// otherTempSchemaOID reports whether oid is the temporary schema of
// another session of the database (pg_is_other_temp_schema).
func (ec *execCtx) otherTempSchemaOID(oid int64) (bool, error) {
	if oid < tempNamespaceOIDBase || oid > tempNamespaceOIDBase+1<<20 {
		return false, nil
	}
	if ts := ec.sess.temp; ts != nil && int64(ts.oid) == oid {
		return false, nil
	}
	_, ok, err := ec.Txn.Get(ec.Context, tempSchemaKey(ec.sess.dbID, uint32(oid-tempNamespaceOIDBase)))
	return ok, kverror.AsSQL(err)
}

// searchPath is the session's search_path as an ordered list of schema
// names ("$user" replaced by the user name), whether or not they exist.
func (s *Session) searchPath() []string {
	return parseSearchPath(s.vars.get("search_path"), s.user)
}

// parseSearchPath splits a search_path value (`"$user", public`) into
// schema names: quoted ones as written, others lower-cased, "$user" as
// user.
func parseSearchPath(v, user string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		name := strings.TrimSpace(part)
		if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
			name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
		} else {
			name = lowerASCII(name)
		}
		if name == "$user" {
			name = user
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// searchPathSchema is the schema an unqualified relation name resolves
// to: the first schema on the search_path holding it, else the first on
// the path (where lookups then fail). With an empty search_path, as
// pg_dump sets, nothing resolves: pg_catalog holds no user relations.
func (b *builder) searchPathSchema(name string) (string, error) {
	path := b.sess.searchPath()
	if b.viewDepth > 0 {
		path = []string{b.sess.user, "public"}
	}
	var candidates []string
	for _, s := range path {
		if s == "pg_catalog" || s == "pg_temp" {
			continue
		}
		// Schemas the user may not use are left out of the path.
		if ok, err := b.schemaUsable(s); err != nil {
			return "", err
		} else if ok {
			candidates = append(candidates, s)
		}
	}
	switch len(candidates) {
	case 0:
		return "pg_catalog", nil
	case 1:
		return candidates[0], nil
	}
	for _, s := range candidates {
		_, ok, err := b.cat.LookupID(b.ctx, b.sess.dbID, s, name)
		if err != nil {
			return "", err
		}
		if ok {
			return s, nil
		}
	}
	return candidates[0], nil
}

// existingSearchPath is current_schemas(false): the search_path's
// schemas that exist, in order.
func (ec *execCtx) existingSearchPath() ([]string, error) {
	schemas, err := ec.Catalog.Schemas(ec.Context, ec.sess.dbID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range ec.sess.searchPath() {
		if _, ok := schemas[s]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}
