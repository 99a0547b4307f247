package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// planDDL plans schema changes and the other utility statements.
func (b *builder) planDDL(st statement) (*stmtPlan, error) {
	b.ownerTarget = ownedRelation(st.node)
	switch v := st.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		return b.planCreateTable(v.CreateStmt)
	case *pg_query.Node_ConstraintsSetStmt:
		return b.planSetConstraints(v.ConstraintsSetStmt)
	case *pg_query.Node_DeclareCursorStmt:
		return b.planDeclareCursor(v.DeclareCursorStmt)
	case *pg_query.Node_CreateEnumStmt:
		return b.planCreateEnum(v.CreateEnumStmt)
	case *pg_query.Node_AlterEnumStmt:
		return b.planAlterEnum(v.AlterEnumStmt)
	case *pg_query.Node_AlterObjectSchemaStmt:
		if v.AlterObjectSchemaStmt.ObjectType == pg_query.ObjectType_OBJECT_TYPE {
			return b.planAlterTypeSchema(v.AlterObjectSchemaStmt)
		}
		return nil, notSupportedStmt(st.node)
	case *pg_query.Node_IndexStmt:
		return b.planCreateIndex(v.IndexStmt)
	case *pg_query.Node_DropStmt:
		return b.planDrop(v.DropStmt)
	case *pg_query.Node_AlterTableStmt:
		return b.planAlterTable(v.AlterTableStmt)
	case *pg_query.Node_RenameStmt:
		return b.planRename(v.RenameStmt)
	case *pg_query.Node_AlterSeqStmt:
		return b.planAlterSequence(v.AlterSeqStmt)
	case *pg_query.Node_TruncateStmt:
		return tagOnly("TRUNCATE TABLE", func(ec *execCtx) error {
			for _, r := range v.TruncateStmt.Relations {
				t, err := b.lookupTable(r.GetRangeVar())
				if err != nil {
					return err
				}
				if err := b.checkRelPrivs(t, acl.Truncate); err != nil {
					return err
				}
				if err := dropTableData(ec, t); err != nil {
					return err
				}
			}
			return nil
		}), nil
	case *pg_query.Node_CreatedbStmt:
		return b.planCreateDatabase(v.CreatedbStmt)
	case *pg_query.Node_DropdbStmt:
		return b.planDropDatabase(v.DropdbStmt)
	case *pg_query.Node_CreateSchemaStmt:
		return b.planCreateSchema(v.CreateSchemaStmt)
	case *pg_query.Node_CreateSeqStmt:
		return b.planCreateSequence(v.CreateSeqStmt)
	case *pg_query.Node_VacuumStmt:
		tag := "VACUUM"
		if !v.VacuumStmt.IsVacuumcmd {
			tag = "ANALYZE"
		}
		return tagOnly(tag, func(ec *execCtx) error {
			for _, r := range v.VacuumStmt.Rels {
				if rel := r.GetVacuumRelation(); rel != nil && rel.Relation != nil {
					if _, err := b.lookupTable(rel.Relation); err != nil {
						return err
					}
				}
			}
			return nil
		}), nil
	case *pg_query.Node_CreateRoleStmt:
		return b.planCreateRole(v.CreateRoleStmt)
	case *pg_query.Node_AlterRoleStmt:
		return b.planAlterRole(v.AlterRoleStmt)
	case *pg_query.Node_DropRoleStmt:
		return b.planDropRole(v.DropRoleStmt)
	case *pg_query.Node_AlterDefaultPrivilegesStmt:
		return b.planAlterDefaultPrivileges(v.AlterDefaultPrivilegesStmt)
	case *pg_query.Node_GrantStmt:
		return b.planGrant(v.GrantStmt)
	case *pg_query.Node_GrantRoleStmt:
		return b.planGrantRole(v.GrantRoleStmt)
	case *pg_query.Node_CommentStmt:
		return b.planComment(v.CommentStmt)
	case *pg_query.Node_AlterOwnerStmt:
		if v.AlterOwnerStmt.ObjectType == pg_query.ObjectType_OBJECT_TYPE {
			return tagOnly("ALTER TYPE", func(ec *execCtx) error { return b.alterTypeOwner(v.AlterOwnerStmt) }), nil
		}
		return b.planAlterOwner(v.AlterOwnerStmt)
	case *pg_query.Node_ViewStmt:
		return b.planCreateView(v.ViewStmt)
	case *pg_query.Node_CreateTableAsStmt:
		if v.CreateTableAsStmt.Objtype != pg_query.ObjectType_OBJECT_TABLE {
			return nil, unsupported("CREATE MATERIALIZED VIEW")
		}
		return b.planCreateTableAs(v.CreateTableAsStmt.Into, v.CreateTableAsStmt.Query.GetSelectStmt(), v.CreateTableAsStmt.IfNotExists)
	case *pg_query.Node_CreateExtensionStmt:
		return nil, unsupported("CREATE EXTENSION")
	case *pg_query.Node_DoStmt:
		return b.planDo(v.DoStmt)
	case *pg_query.Node_CreateFunctionStmt:
		return b.planCreateFunction(v.CreateFunctionStmt)
	case *pg_query.Node_PrepareStmt, *pg_query.Node_ExecuteStmt:
		return nil, unsupported("SQL-level PREPARE and EXECUTE")
	case *pg_query.Node_LockStmt:
		return tagOnly("LOCK TABLE", nil), nil
	case *pg_query.Node_CheckPointStmt:
		return tagOnly("CHECKPOINT", nil), nil
	case *pg_query.Node_ListenStmt:
		return tagOnly("LISTEN", nil), nil
	case *pg_query.Node_UnlistenStmt:
		return tagOnly("UNLISTEN", nil), nil
	case *pg_query.Node_NotifyStmt:
		return tagOnly("NOTIFY", nil), nil
	}
	return nil, notSupportedStmt(st.node)
}

func defElemInt(de *pg_query.DefElem) (int64, bool) {
	if de == nil || de.Arg == nil {
		return 0, false
	}
	if i := de.Arg.GetInteger(); i != nil {
		return int64(i.Ival), true
	}
	if f := de.Arg.GetFloat(); f != nil {
		var v int64
		_, err := fmt.Sscan(f.Fval, &v)
		return v, err == nil
	}
	return 0, false
}

func defElemString(de *pg_query.DefElem) string {
	if de == nil || de.Arg == nil {
		return ""
	}
	if s := de.Arg.GetString_(); s != nil {
		return s.Sval
	}
	if s := de.Arg.GetAConst(); s != nil && s.GetSval() != nil {
		return s.GetSval().Sval
	}
	if i := de.Arg.GetInteger(); i != nil {
		return fmt.Sprint(i.Ival)
	}
	if b := de.Arg.GetBoolean(); b != nil {
		return fmt.Sprint(b.Boolval)
	}
	return ""
}

func (b *builder) planCreateIndex(is *pg_query.IndexStmt) (*stmtPlan, error) {
	if len(is.IndexIncludingParams) > 0 {
		return nil, unsupported("INCLUDE columns")
	}
	if is.AccessMethod != "" && is.AccessMethod != "btree" && is.AccessMethod != "hash" {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "access method %q is not supported", is.AccessMethod)
	}
	return tagOnly("CREATE INDEX", func(ec *execCtx) error {
		t, err := b.lookupTable(is.Relation)
		if err != nil {
			return err
		}
		if is.Idxname != "" {
			if _, exists, err := b.cat.LookupID(b.ctx, t.DBID, t.Schema, is.Idxname); err != nil {
				return err
			} else if exists {
				if is.IfNotExists {
					ec.AddNotice(fmt.Sprintf("relation %q already exists, skipping", is.Idxname))
					return nil
				}
				return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", is.Idxname)
			}
		}
		t = t.Clone()
		idx, err := b.newIndexFromStmt(t, is)
		if err != nil {
			return err
		}
		if err := backfillIndex(ec, t, idx); err != nil {
			return err
		}
		if err := b.registerIndexNames(t); err != nil {
			return err
		}
		return b.cat.WriteTable(b.ctx, t)
	}), nil
}

// newIndexFromStmt appends the index CREATE INDEX describes to t: key
// elements that are columns or immutable expressions, and an optional
// immutable predicate.
func (b *builder) newIndexFromStmt(t *catalog.Table, is *pg_query.IndexStmt) (*catalog.Index, error) {
	idx := catalog.Index{ID: t.NextIdx, Name: is.Idxname, Unique: is.Unique, NullsNotDistinct: is.Unique && is.NullsNotDistinct}
	s := &scope{cols: tableCols(t, t.Name)}
	var names []string
	for _, p := range is.IndexParams {
		el := p.GetIndexElem()
		name := el.Name
		if cr := el.Expr.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			// "((k))" is the column k, as in PostgreSQL.
			name = cr.Fields[0].GetString_().GetSval()
		}
		idx.Desc = append(idx.Desc, el.Ordering == pg_query.SortByDir_SORTBY_DESC)
		if name != "" {
			_, col := t.ColumnByName(name)
			if col == nil {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", name)
			}
			if !indexableType(col.Type) {
				return nil, notIndexable(col.Type, fmt.Sprintf("column %q of type %s cannot be indexed", name, types.TypeName(col.Type)))
			}
			idx.ColumnIDs = append(idx.ColumnIDs, col.ID)
			names = append(names, name)
			continue
		}
		if err := checkIndexExpr(el.Expr, "expression"); err != nil {
			return nil, err
		}
		e, err := b.buildExpr(el.Expr, s)
		if err != nil {
			return nil, err
		}
		if !indexableType(e.Typ()) {
			return nil, notIndexable(e.Typ(), fmt.Sprintf("index expressions of type %s are not supported", types.TypeName(e.Typ())))
		}
		text, err := deparseExpr(el.Expr)
		if err != nil {
			return nil, err
		}
		idx.ColumnIDs = append(idx.ColumnIDs, 0)
		idx.Exprs = append(idx.Exprs, text)
		idx.ExprTypes = append(idx.ExprTypes, e.Typ())
		names = append(names, indexElemName(el.Expr))
	}
	if is.WhereClause != nil {
		if err := checkIndexExpr(is.WhereClause, "predicate"); err != nil {
			return nil, err
		}
		e, err := b.buildExpr(is.WhereClause, s)
		if err != nil {
			return nil, err
		}
		if _, err := b.requireBool(e, "WHERE"); err != nil {
			return nil, err
		}
		if idx.Predicate, err = deparseExpr(is.WhereClause); err != nil {
			return nil, err
		}
	}
	if idx.Name == "" {
		idx.Name = uniqueIndexName(t, uniqueElemNames(names))
	}
	t.NextIdx++
	t.Indexes = append(t.Indexes, idx)
	return &t.Indexes[len(t.Indexes)-1], nil
}

// indexableType reports whether values of t have a key encoding: jsonb's
// follows its btree order (rowenc/key_jsonb.go); json has no order, as
// in PostgreSQL, and arrays have no key encoding yet.
func indexableType(t types.T) bool {
	return (t.Family != types.JSONFamily || t.Oid == types.OidJSONB) && t.Family != types.ArrayFamily
}

// notIndexable is the error for an index key of type t that
// indexableType refuses, introduced as what: PostgreSQL's own for json
// (no btree operator class), 0A000 for what quorumdb cannot encode.
func notIndexable(t types.T, what string) error {
	if t.Oid == types.OidJSON {
		return pgerror.New(pgerror.UndefinedObject, "data type json has no default operator class for access method \"btree\"").
			WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
	}
	return pgerror.New(pgerror.FeatureNotSupported, "%s", what)
}

// uniqueIndexName is PostgreSQL's default index name, numbered when taken.
func uniqueIndexName(t *catalog.Table, cols []string) string {
	base := fmt.Sprintf("%s_%s_idx", t.Name, strings.Join(cols, "_"))
	name := base
	for n := 1; ; n++ {
		taken := false
		for _, idx := range t.Indexes {
			if idx.Name == name {
				taken = true
			}
		}
		if !taken {
			return name
		}
		name = fmt.Sprintf("%s%d", base, n)
	}
}

func (b *builder) planDrop(ds *pg_query.DropStmt) (*stmtPlan, error) {
	tags := map[pg_query.ObjectType]string{
		pg_query.ObjectType_OBJECT_TABLE: "DROP TABLE", pg_query.ObjectType_OBJECT_INDEX: "DROP INDEX",
		pg_query.ObjectType_OBJECT_SEQUENCE: "DROP SEQUENCE", pg_query.ObjectType_OBJECT_SCHEMA: "DROP SCHEMA",
		pg_query.ObjectType_OBJECT_VIEW: "DROP VIEW",
	}
	if ds.RemoveType == pg_query.ObjectType_OBJECT_FUNCTION {
		return b.planDropFunction(ds)
	}
	if ds.RemoveType == pg_query.ObjectType_OBJECT_TYPE {
		return b.planDropType(ds)
	}
	tag, ok := tags[ds.RemoveType]
	if !ok {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "DROP %s is not supported", strings.TrimPrefix(ds.RemoveType.String(), "OBJECT_"))
	}
	return tagOnly(tag, func(ec *execCtx) error {
		// Tables dropped together may reference each other.
		b.dropping = map[uint32]bool{}
		b.dropCascade = ds.Behavior == pg_query.DropBehavior_DROP_CASCADE
		for _, obj := range ds.Objects {
			if l := obj.GetList(); l != nil && (ds.RemoveType == pg_query.ObjectType_OBJECT_TABLE || ds.RemoveType == pg_query.ObjectType_OBJECT_VIEW) {
				names := keyNames(l.Items)
				schema := ""
				if len(names) >= 2 {
					schema = names[len(names)-2]
				}
				schema, err := b.relationSchema(schema, names[len(names)-1])
				if err != nil {
					return err
				}
				if t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, names[len(names)-1]); err == nil && t != nil {
					b.dropping[t.ID] = true
				}
			}
		}
		for _, obj := range ds.Objects {
			var names []string
			if l := obj.GetList(); l != nil {
				names = keyNames(l.Items)
			} else if s := obj.GetString_(); s != nil {
				names = []string{s.Sval}
			}
			schema, name := "", names[len(names)-1]
			if len(names) >= 2 {
				schema = names[len(names)-2]
			}
			if ds.RemoveType != pg_query.ObjectType_OBJECT_SCHEMA {
				var err error
				if schema, err = b.relationSchema(schema, name); err != nil {
					return err
				}
			}
			if err := b.dropObject(ec, ds, schema, name); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

func (b *builder) dropObject(ec *execCtx, ds *pg_query.DropStmt, schema, name string) error {
	skip := func(kind string) error {
		if ds.MissingOk {
			ec.AddNotice(fmt.Sprintf("%s %q does not exist, skipping", kind, name))
			return nil
		}
		switch kind {
		case "schema":
			return pgerror.New(pgerror.UndefinedObject, "schema %q does not exist", name)
		case "view":
			return pgerror.New(pgerror.UndefinedTable, "view %q does not exist", name)
		}
		if kind == "table" || kind == "index" || kind == "sequence" {
			return pgerror.New(pgerror.UndefinedTable, "%s %q does not exist", kind, name)
		}
		return catalog.UndefinedTable(name)
	}
	switch ds.RemoveType {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
		if err != nil {
			return err
		}
		if _, ok := schemas[name]; !ok {
			return skip("schema")
		}
		if err := b.checkSchemaOwner(name); err != nil {
			return err
		}
		all, err := b.cat.Tables(b.ctx, b.sess.dbID)
		if err != nil {
			return err
		}
		for _, t := range all {
			if t.Schema == name {
				b.dropping[t.ID] = true
			}
		}
		if err := b.schemaDropDependents(ec, name, all, ds.Behavior == pg_query.DropBehavior_DROP_CASCADE); err != nil {
			return err
		}
		for _, t := range all {
			if t.Schema == name {
				if err := b.dropOutsideViews(t); err != nil {
					return err
				}
				if err := b.dropTable(ec, t); err != nil {
					return err
				}
			}
		}
		typs, err := b.cat.UserTypes(b.ctx, b.sess.dbID)
		if err != nil {
			return err
		}
		for _, td := range typs {
			if td.Schema != name {
				continue
			}
			if ds.Behavior != pg_query.DropBehavior_DROP_CASCADE {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name)
			}
			if err := b.dropTypeDependents(ec, td, true); err != nil {
				return err
			}
			if err := b.cat.DeleteType(b.ctx, td); err != nil {
				return err
			}
		}
		if err := b.dropSchemaDefaultACLs(name); err != nil {
			return err
		}
		if err := b.cat.KV.Delete(b.ctx, catalog.SchemaMetaKey(b.sess.dbID, name)); err != nil {
			return kverror.AsSQL(err)
		}
		return kverror.AsSQL(b.cat.KV.Delete(b.ctx, catalog.SchemaKey(b.sess.dbID, name)))
	case pg_query.ObjectType_OBJECT_VIEW:
		t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, name)
		if err != nil {
			return err
		}
		if t == nil {
			return skip("view")
		}
		if t.Kind != catalog.KindView {
			return pgerror.New(pgerror.WrongObjectType, "%q is not a view", name).WithHint("Use DROP TABLE to remove a table.")
		}
		if err := b.checkOwner(t); err != nil {
			return err
		}
		if err := b.dropDependents(ec, "view "+t.Name, t, 0, "", b.dropCascade); err != nil {
			return err
		}
		return b.cat.DeleteTable(b.ctx, t)
	}
	id, exists, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, name)
	if err != nil {
		return err
	}
	kind := map[pg_query.ObjectType]string{pg_query.ObjectType_OBJECT_TABLE: "table", pg_query.ObjectType_OBJECT_INDEX: "index", pg_query.ObjectType_OBJECT_SEQUENCE: "sequence"}[ds.RemoveType]
	if !exists {
		return skip(kind)
	}
	t, err := b.cat.TableByID(b.ctx, id)
	if err != nil {
		return err
	}
	if t == nil {
		return skip(kind)
	}
	if err := b.checkDropOwner(t, ds.RemoveType, name); err != nil {
		return err
	}
	switch ds.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE:
		if t.Kind == catalog.KindView {
			return pgerror.New(pgerror.WrongObjectType, "%q is not a table", name).WithHint("Use DROP VIEW to remove a view.")
		}
		if t.Name != name || t.Kind != catalog.KindTable {
			return pgerror.New(pgerror.WrongObjectType, "%q is not a table", name).WithHint("Use DROP INDEX to remove an index.")
		}
		if err := b.dropDependents(ec, "table "+t.Name, t, 0, "", b.dropCascade); err != nil {
			return err
		}
		return b.dropTable(ec, t)
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		if t.Name != name || t.Kind != catalog.KindSequence {
			return pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", name)
		}
		if err := b.dropDependents(ec, "sequence "+t.Name, t, 0, "", b.dropCascade); err != nil {
			return err
		}
		return b.cat.DeleteTable(b.ctx, t)
	case pg_query.ObjectType_OBJECT_INDEX:
		if t.Name == name {
			return pgerror.New(pgerror.WrongObjectType, "%q is not an index", name).WithHint("Use DROP TABLE to remove a table.")
		}
		t = t.Clone()
		for i := range t.Indexes {
			idx := t.Indexes[i]
			if idx.Name != name {
				continue
			}
			if idx.Constraint {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop index %s because constraint %s on table %s requires it", name, name, t.Name).
					WithHint("You can drop constraint %s on table %s instead.", name, t.Name)
			}
			if err := dropIndexData(ec, t, &idx); err != nil {
				return err
			}
			t.Indexes = append(t.Indexes[:i], t.Indexes[i+1:]...)
			if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, name)); err != nil {
				return kverror.AsSQL(err)
			}
			return b.cat.WriteTable(b.ctx, t)
		}
		return skip("index")
	}
	return nil
}

func (b *builder) planCreateDatabase(cd *pg_query.CreatedbStmt) (*stmtPlan, error) {
	return tagOnly("CREATE DATABASE", func(ec *execCtx) error {
		if ec.sess.state != txnNone {
			return pgerror.New(pgerror.ActiveSQLTransaction, "CREATE DATABASE cannot run inside a transaction block")
		}
		if me, err := b.currentRoleDesc(); err != nil {
			return err
		} else if !me.Superuser && !me.CreateDB {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to create database")
		}
		if d, err := b.cat.Database(b.ctx, cd.Dbname); err != nil {
			return err
		} else if d != nil {
			return pgerror.New(pgerror.DuplicateDatabase, "database %q already exists", cd.Dbname)
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		b.cat.Changes.RecordName(KindDatabase, cd.Dbname)
		return b.cat.PutJSON(b.ctx, catalog.DatabaseKey(cd.Dbname), catalog.Database{ID: id, Name: cd.Dbname, Owner: b.sess.user})
	}), nil
}

func (b *builder) planDropDatabase(dd *pg_query.DropdbStmt) (*stmtPlan, error) {
	return tagOnly("DROP DATABASE", func(ec *execCtx) error {
		if ec.sess.state != txnNone {
			return pgerror.New(pgerror.ActiveSQLTransaction, "DROP DATABASE cannot run inside a transaction block")
		}
		d, err := b.cat.Database(b.ctx, dd.Dbname)
		if err != nil {
			return err
		}
		if d == nil {
			if dd.MissingOk {
				ec.AddNotice(fmt.Sprintf("database %q does not exist, skipping", dd.Dbname))
				return nil
			}
			return pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", dd.Dbname)
		}
		if own, err := b.roleGraph().hasPrivsOf(b.sess.user, d.Owner); err != nil {
			return err
		} else if !own {
			return mustBeOwner(acl.Database, d.Name)
		}
		if dd.Dbname == b.sess.dbName {
			return pgerror.New(pgerror.ObjectInUse, "cannot drop the currently open database")
		}
		all, err := b.cat.Tables(b.ctx, d.ID)
		if err != nil {
			return err
		}
		for _, t := range all {
			if t.Kind == catalog.KindTable {
				if err := dropTableData(ec, t); err != nil {
					return err
				}
				for _, idx := range t.Indexes {
					if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name)); err != nil {
						return kverror.AsSQL(err)
					}
				}
			}
			if err := b.cat.DeleteTable(b.ctx, t); err != nil {
				return err
			}
		}
		typs, err := b.cat.UserTypes(b.ctx, d.ID)
		if err != nil {
			return err
		}
		for _, td := range typs {
			if err := b.cat.DeleteType(b.ctx, td); err != nil {
				return err
			}
		}
		if err := b.dropDatabaseDefaultACLs(d.ID); err != nil {
			return err
		}
		b.cat.Changes.RecordName(KindDatabase, dd.Dbname)
		return kverror.AsSQL(b.cat.KV.Delete(b.ctx, catalog.DatabaseKey(dd.Dbname)))
	}), nil
}

func (b *builder) planCreateSchema(cs *pg_query.CreateSchemaStmt) (*stmtPlan, error) {
	if len(cs.SchemaElts) > 0 {
		return nil, unsupported("CREATE SCHEMA with schema elements")
	}
	if strings.HasPrefix(cs.Schemaname, "pg_") {
		// pg_temp_N names sessions' temporary schemas.
		return nil, pgerror.New(pgerror.ReservedName, "unacceptable schema name %q", cs.Schemaname).
			WithDetail("The prefix \"pg_\" is reserved for system schemas.")
	}
	return tagOnly("CREATE SCHEMA", func(ec *execCtx) error {
		owner, err := b.checkCreateSchema(cs)
		if err != nil {
			return err
		}
		schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
		if err != nil {
			return err
		}
		if _, ok := schemas[cs.Schemaname]; ok {
			if cs.IfNotExists {
				return nil
			}
			return pgerror.New(pgerror.DuplicateSchema, "schema %q already exists", cs.Schemaname)
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		if err := b.cat.PutSchemaMeta(b.ctx, b.sess.dbID, cs.Schemaname, &catalog.SchemaMeta{Owner: owner}); err != nil {
			return err
		}
		return kverror.AsSQL(b.cat.KV.Put(b.ctx, catalog.SchemaKey(b.sess.dbID, cs.Schemaname), catalog.EncodeID(id)))
	}), nil
}

func (b *builder) planCreateRole(cr *pg_query.CreateRoleStmt) (*stmtPlan, error) {
	return tagOnly("CREATE ROLE", func(ec *execCtx) error {
		if err := b.checkCreateRole(cr.Options); err != nil {
			return err
		}
		if catalog.IsReservedRoleName(cr.Role) {
			return pgerror.New(pgerror.ReservedName, "role name %q is reserved", cr.Role).
				WithDetail("Role names starting with \"pg_\" are reserved.")
		}
		if r, err := b.cat.Role(b.ctx, cr.Role); err != nil {
			return err
		} else if r != nil {
			return pgerror.New(pgerror.DuplicateObject, "role %q already exists", cr.Role)
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		role := catalog.Role{OID: id, Name: cr.Role, Login: cr.StmtType == pg_query.RoleStmtType_ROLESTMT_USER}
		if err := b.applyRoleOptions(&role, cr.Options); err != nil {
			return err
		}
		b.cat.Changes.RecordName(KindRole, cr.Role)
		if err := b.cat.PutJSON(b.ctx, catalog.RoleKey(cr.Role), role); err != nil {
			return err
		}
		return b.addCreateRoleMembers(ec, cr.Role, cr.Options)
	}), nil
}

func (b *builder) planAlterRole(ar *pg_query.AlterRoleStmt) (*stmtPlan, error) {
	return tagOnly("ALTER ROLE", func(ec *execCtx) error {
		name := ar.Role.Rolename
		if ar.Role.Roletype == pg_query.RoleSpecType_ROLESPEC_CURRENT_USER || ar.Role.Roletype == pg_query.RoleSpecType_ROLESPEC_SESSION_USER {
			name = b.sess.user
		} else if catalog.IsReservedRoleName(name) {
			return pgerror.New(pgerror.ReservedName, "role name %q is reserved", name).
				WithDetail("Cannot alter reserved roles.")
		}
		role, err := b.cat.Role(b.ctx, name)
		if err != nil {
			return err
		}
		if role == nil {
			return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", name)
		}
		if err := b.checkAlterRole(role, ar.Options); err != nil {
			return err
		}
		if err := b.applyRoleOptions(role, ar.Options); err != nil {
			return err
		}
		b.cat.Changes.RecordName(KindRole, name)
		return b.cat.PutJSON(b.ctx, catalog.RoleKey(name), role)
	}), nil
}

// applyRoleOptions sets the options of CREATE/ALTER ROLE on r. A password
// is stored as password_encryption says (see package password); PASSWORD
// NULL removes it.
func (b *builder) applyRoleOptions(r *catalog.Role, opts []*pg_query.Node) error {
	for _, o := range opts {
		de := o.GetDefElem()
		switch de.Defname {
		case "password":
			stored, err := password.Encrypt(b.sess.vars.get("password_encryption"), r.Name, defElemString(de))
			if err != nil {
				return pgerror.New(pgerror.InternalError, "%v", err)
			}
			r.Password = stored
		case "superuser":
			r.Superuser = defElemString(de) != "0" && defElemString(de) != "false"
		case "canlogin":
			r.Login = defElemString(de) != "0" && defElemString(de) != "false"
		default:
			applyRoleAttr(r, de)
		}
	}
	return nil
}

// planCreateView stores a view as its defining query; every use plans
// the query afresh, so a view always reflects the current tables.
func (b *builder) planCreateView(vs *pg_query.ViewStmt) (*stmtPlan, error) {
	sel := vs.Query.GetSelectStmt()
	if sel == nil {
		return nil, unsupported("this view definition")
	}
	return tagOnly("CREATE VIEW", func(ec *execCtx) error {
		b.boundRels = map[*pg_query.RangeVar]uint32{}
		defer func() { b.boundRels = nil }()
		p, err := b.buildSelect(sel, nil)
		if err != nil {
			return err
		}
		temp := vs.View.Relpersistence == "t"
		if b.usedTemp && !temp && !catalog.IsTempSchemaName(vs.View.Schemaname) && vs.View.Schemaname != "pg_temp" {
			if vs.View.Schemaname != "" {
				return pgerror.New(pgerror.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema")
			}
			temp = true
			ec.AddNotice(fmt.Sprintf("view %q will be a temporary view", vs.View.Relname))
		}
		schema, _, err := b.creationSchema(vs.View.Schemaname, temp)
		if err != nil {
			return err
		}
		text, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: vs.Query}}})
		if err != nil {
			return fmt.Errorf("sql: storing view %s: %w", vs.View.Relname, err)
		}
		existing, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, vs.View.Relname)
		if err != nil {
			return err
		}
		var id uint32
		switch {
		case existing != nil && existing.Kind == catalog.KindView && vs.Replace:
			id = existing.ID
		case existing != nil:
			return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", vs.View.Relname)
		default:
			if _, taken, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, vs.View.Relname); err != nil {
				return err
			} else if taken {
				return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", vs.View.Relname)
			}
			if id, err = b.cat.NewID(b.ctx); err != nil {
				return err
			}
		}
		v := &catalog.Table{ID: id, Kind: catalog.KindView, DBID: b.sess.dbID, Schema: schema, Name: vs.View.Relname, Owner: b.sess.user, ViewQuery: text}
		if existing != nil {
			v.Version = existing.Version
		} else if err := b.applyDefaultACL(v); err != nil {
			return err
		}
		for i, c := range p.Columns() {
			name := c.Name
			if i < len(vs.Aliases) {
				name = vs.Aliases[i].GetString_().GetSval()
			}
			v.Columns = append(v.Columns, catalog.Column{ID: uint32(i + 1), Name: name, Type: c.T})
		}
		if err := b.recordViewBindings(v, vs.Query); err != nil {
			return err
		}
		return b.cat.WriteTable(b.ctx, v)
	}), nil
}
