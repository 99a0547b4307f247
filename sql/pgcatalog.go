package sql

import (
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// This file and the other pgcatalog*.go files emulate the parts of
// PostgreSQL 15's pg_catalog that psql's backslash commands, its tab
// completion and the drivers' metadata calls read. Every table is a
// virtualTable whose rows are computed from the session database's real
// catalog inside the statement's transaction; columns carry PostgreSQL's
// names, types and order (PostgreSQL types we do not have are mapped to
// the nearest one: xid → oid, aclitem[] → text[], pg_node_tree → text,
// regproc → text holding the function's name).
//
// Object identifiers:
//
//   - tables and sequences: their descriptor id (≥ 16384, like PostgreSQL's
//     user objects); indexes: catalog.Index.OID from the same allocator.
//   - the virtual tables: PostgreSQL's own oid for the real system
//     catalogs (pg_class is 1259, so 'pg_class'::regclass and
//     pg_depend.classid agree with PostgreSQL), stable generated oids
//     (12000+) for views.
//   - PRIMARY KEY and UNIQUE constraints: the oid of their index (in
//     PostgreSQL they differ, but nothing joins on that difference and
//     pg_get_constraintdef can then find the constraint by that oid).
//   - CHECK constraints and column defaults: derivedOID (catalogdef.go),
//     computed from the table id and the check's position or the
//     column's attnum.
//   - schemas: catalog.schemas' oids plus oidQuorumdbSchema for the
//     operator tables.

// oidQuorumdbSchema is the namespace of the quorumdb operator tables
// (cluster_node_heartbeat, ...); it is listed in pg_namespace so those
// tables have a schema in pg_class and \dv can show them.
const oidQuorumdbSchema = 13100

// PostgreSQL's access method oids (pg_am) and tablespaces.
const (
	oidHeapAM          = 2
	oidBtreeAM         = 403
	oidHashAM          = 405
	oidDefaultTblspace = 1663
	oidGlobalTblspace  = 1664
	oidDefaultColl     = 100
	oidCColl           = 950
	oidPgClassTable    = 1259
)

// Column types of the emulated catalogs, by PostgreSQL type name.
var (
	pgOid      = types.OidT
	pgName     = types.Name
	pgText     = types.Text
	pgBool     = types.Bool
	pgChar     = types.Char
	pgInt2     = types.Int2
	pgInt4     = types.Int4
	pgInt8     = types.Int8
	pgFloat4   = types.Float4
	pgTSTZ     = types.TimestampTZ
	pgTextArr  = types.ArrayOf(types.Text)
	pgInt2Arr  = types.ArrayOf(types.Int2)
	pgOidArr   = types.ArrayOf(types.OidT)
	pgCharArr  = types.ArrayOf(types.Char)
	pgNameArr  = types.ArrayOf(types.Name)
	pgXid      = types.OidT // xid: a 32-bit counter, shown like an oid
	pgNodeTree = types.Text // pg_node_tree: we store expressions as SQL text
	pgRegproc  = types.Text // regproc: the function's name ("-" for none)
	pgACL      = types.ArrayOf(types.Text)
	// int2vector and oidvector are arrays with their own oids; their
	// values are *types.Array of int2/oid (so "= ANY (indkey)" works).
	pgInt2Vector = types.T{Family: types.ArrayFamily, Oid: types.OidInt2Vector, Elem: &types.Int2}
	pgOidVector  = types.T{Family: types.ArrayFamily, Oid: types.OidOidVector, Elem: &types.OidT}
)

// pgSnapshot is the session database's catalog as the pg_catalog tables
// present it, read once per virtual table scan.
type pgSnapshot struct {
	dbID   uint32
	dbName string
	// rels are the tables and sequences, each once, by id.
	rels    []*catalog.Table
	schemas map[string]uint32
	roles   []catalog.Role
}

func loadPGSnapshot(ec *execCtx) (*pgSnapshot, error) {
	s := &pgSnapshot{dbID: ec.sess.dbID, dbName: ec.sess.dbName}
	all, err := ec.Catalog.Tables(ec.Context, s.dbID)
	if err != nil {
		return nil, err
	}
	// catalog.tables yields a table once per name it owns (its indexes'
	// names point at it too), so keep the first of each id.
	seen := map[uint32]bool{}
	for _, t := range all {
		if !seen[t.ID] {
			seen[t.ID] = true
			s.rels = append(s.rels, t)
		}
	}
	sort.Slice(s.rels, func(i, j int) bool { return s.rels[i].ID < s.rels[j].ID })
	if s.schemas, err = ec.Catalog.Schemas(ec.Context, s.dbID); err != nil {
		return nil, err
	}
	if s.roles, err = ec.Catalog.Roles(ec.Context); err != nil {
		return nil, err
	}
	return s, nil
}

// nsOID returns the namespace oid of schema (public for an unknown one,
// which a descriptor cannot have).
func (s *pgSnapshot) nsOID(schema string) int64 {
	switch schema {
	case "quorumdb":
		return oidQuorumdbSchema
	}
	if oid, ok := s.schemas[schema]; ok {
		return int64(oid)
	}
	return catalog.OIDPublicSchema
}

// roleOID returns the oid of the role called name; objects whose owner is
// unknown (or was dropped) belong to the bootstrap superuser.
func (s *pgSnapshot) roleOID(name string) int64 {
	for _, r := range s.roles {
		if r.Name == name {
			return int64(r.OID)
		}
	}
	return catalog.OIDPostgresRole
}

// visibleColumns are the columns PostgreSQL would have: the hidden row id
// of a table without a primary key is ours, not the user's.
func visibleColumns(t *catalog.Table) []*catalog.Column {
	var out []*catalog.Column
	for i := range t.Columns {
		if !t.Columns[i].Hidden {
			out = append(out, &t.Columns[i])
		}
	}
	return out
}

// attnums maps column ids to attnum: 1-based over the visible columns, in
// table order, as PostgreSQL numbers them.
func attnums(t *catalog.Table) map[uint32]int64 {
	m := map[uint32]int64{}
	n := int64(0)
	for _, c := range t.Columns {
		if !c.Hidden {
			n++
			m[c.ID] = n
		}
	}
	return m
}

// visibleIndexes are the indexes PostgreSQL would list: not the primary
// index over the hidden row id.
func visibleIndexes(t *catalog.Table) []*catalog.Index {
	if t.Kind != catalog.KindTable {
		return nil
	}
	nums := attnums(t)
	var out []*catalog.Index
next:
	for i := range t.Indexes {
		for _, id := range t.Indexes[i].ColumnIDs {
			if _, ok := nums[id]; !ok && id != 0 {
				continue next
			}
		}
		out = append(out, &t.Indexes[i])
	}
	return out
}

// indexAttNames are the pg_attribute names of idx's columns: a key
// column's name, or for an expression the name PostgreSQL derives
// (lower, expr, expr1).
func indexAttNames(t *catalog.Table, idx *catalog.Index) []string {
	names := make([]string, len(idx.ColumnIDs))
	for i, id := range idx.ColumnIDs {
		if id != 0 {
			names[i] = t.Columns[t.ColumnIndexByID(id)].Name
		} else if n, err := parseExprText(idx.Exprs[idx.ExprOrdinal(i)]); err == nil {
			names[i] = indexElemName(n)
		} else {
			names[i] = "expr"
		}
	}
	return uniqueElemNames(names)
}

// indexExprsDatum is pg_index.indexprs: NULL for a plain index, else the
// expressions (as SQL text, which our pg_get_expr returns as is).
func indexExprsDatum(idx *catalog.Index) types.Datum {
	if !idx.HasExprs() {
		return nil
	}
	return strings.Join(idx.Exprs, ", ")
}

// indexPredDatum is pg_index.indpred: NULL unless idx is partial.
func indexPredDatum(idx *catalog.Index) types.Datum {
	if !idx.Partial() {
		return nil
	}
	return idx.Predicate
}

// isConstraintIndex reports whether idx backs a PRIMARY KEY or UNIQUE
// constraint (and so has a pg_constraint row).
func isConstraintIndex(idx *catalog.Index) bool { return idx.Primary || idx.Constraint }

// pgArray builds an array datum.
func pgArray(elem types.T, elems ...types.Datum) *types.Array {
	return &types.Array{Elem: elem, Elems: elems}
}

// seqType is the data type of sequence t, inferred from its bounds (the
// descriptor does not record it; serials create int4/int2 sequences with
// those types' maxima).
func seqType(t *catalog.Table) types.T {
	if t.Sequence != nil {
		switch t.Sequence.Max {
		case 1<<31 - 1:
			return types.Int4
		case 1<<15 - 1:
			return types.Int2
		}
	}
	return types.Int8
}

// virtualNamespace is the namespace oid of a virtual table's schema.
func virtualNamespace(vt *virtualTable) int64 {
	switch vt.schema {
	case "pg_catalog":
		return catalog.OIDPgCatalogSchema
	case "information_schema":
		return catalog.OIDInfoSchema
	}
	return oidQuorumdbSchema
}

// virtualRelkind is 'r' for what PostgreSQL implements as a table (the
// system catalogs) and 'v' for its views (pg_tables, information_schema,
// and our operator tables, which are computed on read).
func virtualRelkind(vt *virtualTable) string {
	if vt.schema == "pg_catalog" && !pgCatalogViews[vt.name] {
		return "r"
	}
	return "v"
}

// pgCatalogViews are the pg_catalog relations that are views in
// PostgreSQL.
var pgCatalogViews = map[string]bool{
	"pg_roles": true, "pg_user": true, "pg_settings": true, "pg_stat_activity": true,
	"pg_locks": true, "pg_sequences": true, "pg_tables": true, "pg_indexes": true,
	"pg_views": true, "pg_matviews": true, "pg_stat_user_tables": true,
}

// registerPgcatalog adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgcatalog() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_namespace", oid: 2615, cols: []vcol{
		{"oid", pgOid}, {"nspname", pgName}, {"nspowner", pgOid}, {"nspacl", pgACL},
	}, rows: pgNamespaceRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_class", oid: oidPgClassTable, cols: []vcol{
		{"oid", pgOid}, {"relname", pgName}, {"relnamespace", pgOid}, {"reltype", pgOid},
		{"reloftype", pgOid}, {"relowner", pgOid}, {"relam", pgOid}, {"relfilenode", pgOid},
		{"reltablespace", pgOid}, {"relpages", pgInt4}, {"reltuples", pgFloat4},
		{"relallvisible", pgInt4}, {"reltoastrelid", pgOid}, {"relhasindex", pgBool},
		{"relisshared", pgBool}, {"relpersistence", pgChar}, {"relkind", pgChar},
		{"relnatts", pgInt2}, {"relchecks", pgInt2}, {"relhasrules", pgBool},
		{"relhastriggers", pgBool}, {"relhassubclass", pgBool}, {"relrowsecurity", pgBool},
		{"relforcerowsecurity", pgBool}, {"relispopulated", pgBool}, {"relreplident", pgChar},
		{"relispartition", pgBool}, {"relrewrite", pgOid}, {"relfrozenxid", pgXid},
		{"relminmxid", pgXid}, {"relacl", pgACL}, {"reloptions", pgTextArr},
		{"relpartbound", pgNodeTree},
	}, rows: pgClassRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_attribute", oid: 1249, cols: []vcol{
		{"attrelid", pgOid}, {"attname", pgName}, {"atttypid", pgOid}, {"attstattarget", pgInt4},
		{"attlen", pgInt2}, {"attnum", pgInt2}, {"attndims", pgInt4}, {"attcacheoff", pgInt4},
		{"atttypmod", pgInt4}, {"attbyval", pgBool}, {"attalign", pgChar}, {"attstorage", pgChar},
		{"attcompression", pgChar}, {"attnotnull", pgBool}, {"atthasdef", pgBool},
		{"atthasmissing", pgBool}, {"attidentity", pgChar}, {"attgenerated", pgChar},
		{"attisdropped", pgBool}, {"attislocal", pgBool}, {"attinhcount", pgInt4},
		{"attcollation", pgOid}, {"attacl", pgACL}, {"attoptions", pgTextArr},
		{"attfdwoptions", pgTextArr}, {"attmissingval", pgTextArr},
	}, rows: pgAttributeRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_index", oid: 2610, cols: []vcol{
		{"indexrelid", pgOid}, {"indrelid", pgOid}, {"indnatts", pgInt2}, {"indnkeyatts", pgInt2},
		{"indisunique", pgBool}, {"indnullsnotdistinct", pgBool}, {"indisprimary", pgBool},
		{"indisexclusion", pgBool}, {"indimmediate", pgBool}, {"indisclustered", pgBool},
		{"indisvalid", pgBool}, {"indcheckxmin", pgBool}, {"indisready", pgBool},
		{"indislive", pgBool}, {"indisreplident", pgBool}, {"indkey", pgInt2Vector},
		{"indcollation", pgOidVector}, {"indclass", pgOidVector}, {"indoption", pgInt2Vector},
		{"indexprs", pgNodeTree}, {"indpred", pgNodeTree},
	}, rows: pgIndexRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_constraint", oid: 2606, cols: []vcol{
		{"oid", pgOid}, {"conname", pgName}, {"connamespace", pgOid}, {"contype", pgChar},
		{"condeferrable", pgBool}, {"condeferred", pgBool}, {"convalidated", pgBool},
		{"conrelid", pgOid}, {"contypid", pgOid}, {"conindid", pgOid}, {"conparentid", pgOid},
		{"confrelid", pgOid}, {"confupdtype", pgChar}, {"confdeltype", pgChar},
		{"confmatchtype", pgChar}, {"conislocal", pgBool}, {"coninhcount", pgInt4},
		{"connoinherit", pgBool}, {"conkey", pgInt2Arr}, {"confkey", pgInt2Arr},
		{"conpfeqop", pgOidArr}, {"conppeqop", pgOidArr}, {"conffeqop", pgOidArr},
		{"confdelsetcols", pgInt2Arr}, {"conexclop", pgOidArr}, {"conbin", pgNodeTree},
	}, rows: pgConstraintRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_attrdef", oid: 2604, cols: []vcol{
		{"oid", pgOid}, {"adrelid", pgOid}, {"adnum", pgInt2}, {"adbin", pgNodeTree},
	}, rows: pgAttrdefRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_depend", oid: 2608, cols: []vcol{
		{"classid", pgOid}, {"objid", pgOid}, {"objsubid", pgInt4}, {"refclassid", pgOid},
		{"refobjid", pgOid}, {"refobjsubid", pgInt4}, {"deptype", pgChar},
	}, rows: pgDependRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_sequence", oid: 2224, cols: []vcol{
		{"seqrelid", pgOid}, {"seqtypid", pgOid}, {"seqstart", pgInt8}, {"seqincrement", pgInt8},
		{"seqmax", pgInt8}, {"seqmin", pgInt8}, {"seqcache", pgInt8}, {"seqcycle", pgBool},
	}, rows: pgSequenceRows})
}

func pgNamespaceRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(s.schemas)+1)
	for n := range s.schemas {
		names = append(names, n)
	}
	if _, ok := s.schemas["quorumdb"]; !ok {
		names = append(names, "quorumdb")
	}
	sort.Slice(names, func(i, j int) bool { return s.nsOID(names[i]) < s.nsOID(names[j]) })
	out := make([]exec.Row, 0, len(names))
	for _, n := range names {
		owner, list, err := namespaceACL(ec, s, n)
		if err != nil {
			return nil, err
		}
		out = append(out, exec.Row{s.nsOID(n), n, owner, list})
	}
	return out, nil
}

// classRow is one pg_class row; the fields that vary between relations.
type classRow struct {
	oid, ns, owner, am  int64
	name, kind          string
	natts, checks       int64
	hasIndex, populated bool
	// hasTriggers is set for tables in foreign keys: psql lists a table's
	// foreign keys only when relhastriggers is true (PostgreSQL implements
	// them with triggers).
	hasTriggers bool
	// temp marks relations of a temporary schema (relpersistence 't').
	temp bool
	// options are the storage parameters (reloptions), nil when none.
	options []string
	// acl is relacl (acl.go), nil for the default.
	acl []acl.Item
}

func (c classRow) persistence() string {
	if c.temp {
		return "t"
	}
	return "p"
}

func (c classRow) reloptions() types.Datum {
	if len(c.options) == 0 {
		return nil
	}
	a := pgArray(types.Text)
	for _, o := range c.options {
		a.Elems = append(a.Elems, o)
	}
	return a
}

func (c classRow) row() exec.Row {
	return exec.Row{
		c.oid, c.name, c.ns, int64(0), // reltype: we create no composite row types
		int64(0), c.owner, c.am, c.oid, // relfilenode: the oid, as for a new relation
		int64(0), int64(0), float64(-1), // reltuples -1: never analyzed (PostgreSQL 14+)
		int64(0), int64(0), c.hasIndex,
		false, c.persistence(), c.kind,
		c.natts, c.checks, false,
		c.hasTriggers, false, false,
		false, c.populated, "d",
		false, int64(0), int64(0),
		int64(0), aclDatum(c.acl), c.reloptions(),
		nil,
	}
}

func pgClassRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, vt := range sortedVirtualTables() {
		kind, am := virtualRelkind(vt), int64(0)
		if kind == "r" {
			am = oidHeapAM
		}
		out = append(out, classRow{oid: int64(vt.oid), ns: virtualNamespace(vt), owner: catalog.OIDPostgresRole, am: am,
			name: vt.name, kind: kind, natts: int64(len(vt.cols)), populated: true}.row())
	}
	for _, t := range s.rels {
		ns, owner := s.nsOID(t.Schema), s.roleOID(t.Owner)
		if t.Kind == catalog.KindSequence {
			out = append(out, classRow{oid: int64(t.ID), ns: ns, owner: owner, temp: t.Temporary(), name: t.Name, kind: "S", natts: 3, populated: true, acl: t.Privileges()}.row())
			continue
		}
		if t.Kind == catalog.KindView {
			out = append(out, classRow{oid: int64(t.ID), ns: ns, owner: owner, temp: t.Temporary(), name: t.Name, kind: "v", natts: int64(len(t.Columns)), populated: true, acl: t.Privileges()}.row())
			continue
		}
		idxs := visibleIndexes(t)
		out = append(out, classRow{oid: int64(t.ID), ns: ns, owner: owner, temp: t.Temporary(), am: oidHeapAM, name: t.Name, kind: "r",
			natts: int64(len(visibleColumns(t))), checks: int64(len(t.Checks)), hasIndex: len(idxs) > 0, populated: true,
			hasTriggers: len(t.ForeignKeys) > 0 || len(t.ReferencedBy) > 0, options: t.RelOptions, acl: t.Privileges()}.row())
		for _, idx := range idxs {
			out = append(out, classRow{oid: int64(idx.OID), ns: ns, owner: owner, temp: t.Temporary(), am: oidBtreeAM, name: idx.Name, kind: "i",
				natts: int64(len(idx.ColumnIDs)), populated: true}.row())
		}
	}
	return out, nil
}

// attRow builds a pg_attribute row for a column of type t.
func attRow(relid int64, name string, t types.T, num int64, notNull, hasDef bool) exec.Row {
	info := pgTypeInfoOf(t.Oid)
	typlen := int64(types.TypLen(t.Oid))
	ndims := int64(0)
	if t.Family == types.ArrayFamily && t.Oid != types.OidInt2Vector && t.Oid != types.OidOidVector {
		ndims = 1
	}
	return exec.Row{
		relid, name, int64(t.Oid), int64(-1),
		typlen, num, ndims, int64(-1),
		int64(types.TypMod(t)), typByVal(typlen), info.align, info.storage,
		"", notNull, hasDef, // attcompression: the default method
		false, "", "",
		false, true, int64(0),
		int64(info.collation), nil, nil,
		nil, nil,
	}
}

func pgAttributeRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, vt := range sortedVirtualTables() {
		for i, c := range vt.cols {
			out = append(out, attRow(int64(vt.oid), c.name, c.t, int64(i+1), false, false))
		}
	}
	for _, t := range s.rels {
		if t.Kind == catalog.KindSequence {
			out = append(out,
				attRow(int64(t.ID), "last_value", types.Int8, 1, true, false),
				attRow(int64(t.ID), "log_cnt", types.Int8, 2, true, false),
				attRow(int64(t.ID), "is_called", types.Bool, 3, true, false))
			continue
		}
		for i, c := range visibleColumns(t) {
			r := attRow(int64(t.ID), c.Name, c.Type, int64(i+1), c.NotNull, (c.Default != "" && c.Identity == "") || c.Generated != "")
			if c.Identity != "" {
				r[16] = c.Identity // attidentity
			}
			if c.Generated != "" {
				r[17] = "s" // attgenerated: stored
			}
			out = append(out, r)
		}
		for _, idx := range visibleIndexes(t) {
			names := indexAttNames(t, idx)
			for i := range idx.ColumnIDs {
				out = append(out, attRow(int64(idx.OID), names[i], idx.KeyType(t, i), int64(i+1), false, false))
			}
		}
	}
	return out, nil
}

func pgIndexRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, t := range s.rels {
		nums := attnums(t)
		for _, idx := range visibleIndexes(t) {
			key := pgArray(types.Int2)
			coll := pgArray(types.OidT)
			class := pgArray(types.OidT)
			opt := pgArray(types.Int2)
			for i, id := range idx.ColumnIDs {
				if id == 0 {
					key.Elems = append(key.Elems, int64(0))
				} else {
					key.Elems = append(key.Elems, nums[id])
				}
				coll.Elems = append(coll.Elems, int64(pgTypeInfoOf(idx.KeyType(t, i).Oid).collation))
				class.Elems = append(class.Elems, defaultOpclass(idx.KeyType(t, i)))
				o := int64(0)
				if i < len(idx.Desc) && idx.Desc[i] {
					// INDOPTION_DESC | INDOPTION_NULLS_FIRST: DESC implies
					// NULLS FIRST in PostgreSQL.
					o = 3
				}
				opt.Elems = append(opt.Elems, o)
			}
			n := int64(len(idx.ColumnIDs))
			out = append(out, exec.Row{
				int64(idx.OID), int64(t.ID), n, n,
				idx.Unique || idx.Primary, idx.NullsNotDistinct, idx.Primary,
				false, !idx.Deferrable, false,
				true, false, true,
				true, false, key,
				coll, class, opt,
				indexExprsDatum(idx), indexPredDatum(idx),
			})
		}
	}
	return out, nil
}

func pgConstraintRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, t := range s.rels {
		ns := s.nsOID(t.Schema)
		nums := attnums(t)
		for _, c := range s.constraints(t) {
			key := pgArray(types.Int2)
			var r exec.Row
			switch c.kind {
			case 'p', 'u':
				for _, id := range c.index.ColumnIDs {
					key.Elems = append(key.Elems, nums[id])
				}
				r = constraintRow(c.oid, c.name, ns, string(c.kind), int64(t.ID), c.oid, true, key, nil)
			case 'c':
				for _, a := range checkColumns(t, c.check.Expr) {
					key.Elems = append(key.Elems, a)
				}
				r = constraintRow(c.oid, c.name, ns, "c", int64(t.ID), 0, false, key, c.check.Expr)
				r[6] = !c.check.NotValid // convalidated
			case 'f':
				for _, id := range c.fk.ColumnIDs {
					key.Elems = append(key.Elems, nums[id])
				}
				r = constraintRow(c.oid, c.name, ns, "f", int64(t.ID), 0, true, key, nil)
				if c.parent != nil {
					pnums := attnums(c.parent)
					fkey := pgArray(types.Int2)
					for _, id := range c.fk.RefColumnIDs {
						fkey.Elems = append(fkey.Elems, pnums[id])
					}
					if c.parentIndex != nil {
						r[9] = int64(c.parentIndex.OID) // conindid: the parent's unique index
					}
					r[11], r[19] = int64(c.parent.ID), fkey
				}
				r[12], r[13], r[14] = c.fk.OnUpdate, c.fk.OnDelete, "s"
				r[6] = !c.fk.NotValid // convalidated
			}
			r[4], r[5] = c.deferrable, c.initiallyDeferred
			out = append(out, r)
		}
	}
	return out, nil
}

// relByID finds a relation of the snapshot.
func (s *pgSnapshot) relByID(id uint32) *catalog.Table {
	for _, t := range s.rels {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func constraintRow(oid int64, name string, ns int64, typ string, relid, indid int64, noInherit bool, key *types.Array, bin types.Datum) exec.Row {
	return exec.Row{
		oid, name, ns, typ,
		false, false, true,
		relid, int64(0), indid, int64(0),
		int64(0), " ", " ",
		" ", true, int64(0),
		noInherit, key, nil,
		nil, nil, nil,
		nil, nil, bin,
	}
}

func pgAttrdefRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, t := range s.rels {
		for i, c := range visibleColumns(t) {
			if c.Identity != "" {
				continue // an identity's sequence default is no pg_attrdef entry
			}
			if c.Default != "" {
				out = append(out, exec.Row{derivedOID(derivedDefault, t.ID, i+1), int64(t.ID), int64(i + 1), c.Default})
			} else if c.Generated != "" {
				// A generated column's expression is its pg_attrdef entry.
				out = append(out, exec.Row{derivedOID(derivedDefault, t.ID, i+1), int64(t.ID), int64(i + 1), c.Generated})
			}
		}
	}
	return out, nil
}

// pgDependRows lists the dependencies tools look for: a serial column's
// sequence is owned ('a', auto) by its column, which psql's \d shows as
// "Owned by"; defaults and views depend on what they use (pg_dump's
// order).
func pgDependRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	byName := map[string]*catalog.Table{}
	for _, t := range s.rels {
		if t.Kind == catalog.KindTable {
			byName[t.Schema+"."+t.Name] = t
		}
	}
	var out []exec.Row
	for _, seq := range s.rels {
		if seq.Kind != catalog.KindSequence || seq.OwnedBy == "" {
			continue
		}
		tbl, col, ok := cutLast(seq.OwnedBy, ".")
		if !ok {
			continue
		}
		t := byName[seq.Schema+"."+tbl]
		if t == nil {
			continue
		}
		for i, c := range visibleColumns(t) {
			if c.Name == col {
				deptype := "a" // owned by a serial column (or OWNED BY)
				if c.Identity != "" {
					deptype = "i" // an identity column's internal sequence
				}
				out = append(out, exec.Row{int64(oidPgClassTable), int64(seq.ID), int64(0), int64(oidPgClassTable), int64(t.ID), int64(i + 1), deptype})
			}
		}
	}
	return append(out, objectDependencyRows(s)...), nil
}

func pgSequenceRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, t := range s.rels {
		if t.Kind != catalog.KindSequence || t.Sequence == nil {
			continue
		}
		o := t.Sequence
		out = append(out, exec.Row{int64(t.ID), int64(seqType(t).Oid), o.Start, o.Increment, o.Max, o.Min, int64(1), o.Cycle})
	}
	return out, nil
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// aclText is the ACL as an aclitem[] value (a text array here), nil for
// NULL.
func aclDatum(list []acl.Item) any {
	if list == nil {
		return nil
	}
	a := pgArray(pgText)
	for _, it := range list {
		a.Elems = append(a.Elems, it.String())
	}
	return a
}
