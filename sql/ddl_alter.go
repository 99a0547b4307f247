package sql

import (
	"errors"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

func dropIndexData(ec *execCtx, t *catalog.Table, idx *catalog.Index) error {
	prefix := kv.IndexPrefix(t.ID, idx.ID)
	return kverror.AsSQL(ec.Txn.DeleteRange(ec.Context, prefix, kv.PrefixEnd(prefix)))
}

func (b *builder) planAlterTable(at *pg_query.AlterTableStmt) (*stmtPlan, error) {
	if onlyChangesOwner(at) {
		return b.planAlterRelationOwner(at)
	}
	if at.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "ALTER %s is not supported", at.Objtype)
	}
	return tagOnly("ALTER TABLE", func(ec *execCtx) error {
		t, err := b.lookupTable(at.Relation)
		if err != nil {
			if at.MissingOk && pgerror.CodeOf(err) == pgerror.UndefinedTable {
				ec.AddNotice("relation \"" + at.Relation.Relname + "\" does not exist, skipping")
				return nil
			}
			return err
		}
		t = t.Clone()
		for _, c := range at.Cmds {
			if err := b.alterCmd(ec, t, c.GetAlterTableCmd()); err != nil {
				return err
			}
		}
		if err := b.registerIndexNames(t); err != nil {
			return err
		}
		return b.cat.WriteTable(b.ctx, t)
	}), nil
}

func (b *builder) alterCmd(ec *execCtx, t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if _, c := t.ColumnByName(cd.Colname); c != nil {
			if cmd.MissingOk {
				return nil
			}
			return pgerror.New(pgerror.DuplicateColumn, "column %q of relation %q already exists", cd.Colname, t.Name)
		}
		var pending []*pg_query.Constraint
		col, err := b.columnFromDef(ec, t, cd, func(c *pg_query.Constraint, _ string) error {
			pending = append(pending, c)
			return nil
		})
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns, *col)
		// Existing rows get the default or the generated value (or NULL,
		// which NOT NULL rejects).
		if col.Default != "" || col.NotNull || col.Generated != "" {
			def, err := b.addColumnDefault(t, col)
			if err != nil {
				return err
			}
			if col.Generated != "" {
				if err := b.validateGenerated(t, col); err != nil {
					return err
				}
				gens, err := b.generatedExprs(t)
				if err != nil {
					return err
				}
				def = gens[len(t.Columns)-1]
			}
			if err := rewriteRows(ec, t, func(r exec.Row) (exec.Row, error) {
				d, err := def.Eval(ec.Ctx, r)
				if err != nil {
					return nil, err
				}
				if d == nil && col.NotNull {
					return nil, pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", col.Name, t.Name)
				}
				r[len(r)-1] = d
				return r, nil
			}); err != nil {
				return err
			}
		}
		for _, c := range pending {
			if err := b.addTableConstraint(ec, t, c, cd.Colname); err != nil {
				return err
			}
		}
		return nil
	case pg_query.AlterTableType_AT_DropColumn:
		i, c := t.ColumnByName(cmd.Name)
		if c == nil || c.Hidden {
			if cmd.MissingOk {
				return nil
			}
			return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
		}
		for _, id := range t.Primary().ColumnIDs {
			if id == c.ID {
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", cmd.Name, t.Name)
			}
		}
		if g := columnUsedByGenerated(t, c.Name); g != "" && g != c.Name {
			return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", cmd.Name, t.Name).
				WithDetail("column %s of table %s depends on column %s", g, t.Name, cmd.Name).
				WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		if err := b.dropDependents(ec, fmt.Sprintf("column %s of table %s", c.Name, t.Name), t, c.ID, c.Name,
			cmd.Behavior == pg_query.DropBehavior_DROP_CASCADE); err != nil {
			return err
		}
		// Drop indexes that use the column (in a key, an expression or a
		// predicate), as PostgreSQL does.
		kept := t.Indexes[:0]
		for _, idx := range t.Indexes {
			if indexUsesColumn(&idx, c) {
				if err := dropIndexData(ec, t, &idx); err != nil {
					return err
				}
				if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name)); err != nil {
					return kverror.AsSQL(err)
				}
				continue
			}
			kept = append(kept, idx)
		}
		t.Indexes = kept
		t.Columns = append(t.Columns[:i], t.Columns[i+1:]...)
		return nil
	case pg_query.AlterTableType_AT_AlterColumnType:
		return b.alterColumnType(ec, t, cmd)
	case pg_query.AlterTableType_AT_ValidateConstraint:
		return b.validateConstraint(ec, t, cmd.Name)
	case pg_query.AlterTableType_AT_AddConstraint:
		return b.addTableConstraint(ec, t, cmd.Def.GetConstraint(), "")
	case pg_query.AlterTableType_AT_DropConstraint:
		for _, fk := range t.ForeignKeys {
			if fk.Name == cmd.Name {
				removeFK(t, cmd.Name)
				if fk.RefTable == t.ID {
					kept := t.ReferencedBy[:0]
					for _, r := range t.ReferencedBy {
						if r.Table != t.ID || r.Name != cmd.Name {
							kept = append(kept, r)
						}
					}
					t.ReferencedBy = kept
					return nil
				}
				return b.detachReference(fk.RefTable, t.ID, cmd.Name)
			}
		}
		for i, c := range t.Checks {
			if c.Name == cmd.Name {
				t.Checks = append(t.Checks[:i], t.Checks[i+1:]...)
				return nil
			}
		}
		for i := 1; i < len(t.Indexes); i++ {
			idx := t.Indexes[i]
			if idx.Name == cmd.Name && idx.Constraint {
				if err := dropIndexData(ec, t, &idx); err != nil {
					return err
				}
				t.Indexes = append(t.Indexes[:i], t.Indexes[i+1:]...)
				return kverror.AsSQL(b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name)))
			}
		}
		if t.Primary().Name == cmd.Name {
			if err := b.primaryKeyDependents(t); err != nil {
				return err
			}
			return unsupported("dropping a primary key")
		}
		if cmd.MissingOk {
			return nil
		}
		return pgerror.New(pgerror.UndefinedObject, "constraint %q of relation %q does not exist", cmd.Name, t.Name)
	case pg_query.AlterTableType_AT_ColumnDefault:
		_, c := t.ColumnByName(cmd.Name)
		if c == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
		}
		if c.Generated != "" {
			return pgerror.New(pgerror.SyntaxError, "column %q of relation %q is a generated column", c.Name, t.Name)
		}
		if c.Identity != "" {
			e := pgerror.New(pgerror.SyntaxError, "column %q of relation %q is an identity column", c.Name, t.Name)
			if cmd.Def == nil {
				e = e.WithHint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.")
			}
			return e
		}
		if cmd.Def == nil {
			c.Default = ""
			return nil
		}
		text, err := b.checkedDefault(cmd.Def, c)
		if err != nil {
			return err
		}
		c.Default = text
		return nil
	case pg_query.AlterTableType_AT_SetNotNull:
		i, c := t.ColumnByName(cmd.Name)
		if c == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
		}
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r[i] == nil {
				return pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", c.Name, t.Name)
			}
		}
		c.NotNull = true
		return nil
	case pg_query.AlterTableType_AT_DropNotNull:
		_, c := t.ColumnByName(cmd.Name)
		if c == nil {
			return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
		}
		for _, id := range t.Primary().ColumnIDs {
			if id == c.ID && !c.Hidden {
				return pgerror.New(pgerror.InvalidTableDefinition, "column %q is in a primary key", c.Name)
			}
		}
		c.NotNull = false
		return nil
	case pg_query.AlterTableType_AT_SetRelOptions:
		return setRelOptions(t, cmd.Def, false)
	case pg_query.AlterTableType_AT_ResetRelOptions:
		return setRelOptions(t, cmd.Def, true)
	case pg_query.AlterTableType_AT_AddIdentity:
		return b.addIdentity(ec, t, cmd)
	case pg_query.AlterTableType_AT_SetIdentity:
		return b.setIdentity(t, cmd)
	case pg_query.AlterTableType_AT_DropIdentity:
		return b.dropIdentity(ec, t, cmd)
	case pg_query.AlterTableType_AT_ChangeOwner, pg_query.AlterTableType_AT_SetStatistics:
		return nil
	}
	return pgerror.New(pgerror.FeatureNotSupported, "ALTER TABLE %s is not supported", cmd.Subtype)
}

// addTableConstraint adds PRIMARY KEY, UNIQUE or CHECK to an existing table.
func (b *builder) addTableConstraint(ec *execCtx, t *catalog.Table, c *pg_query.Constraint, col string) error {
	keys := keyNames(c.Keys)
	if col != "" && len(keys) == 0 {
		keys = []string{col}
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		if err := b.addPrimaryKey(ec, t, keys, c.Conname); err != nil {
			return err
		}
		setDeferrability(t.Primary(), c)
		return nil
	case pg_query.ConstrType_CONSTR_UNIQUE:
		idx, err := addIndex(t, c.Conname, keys, nil, true, true)
		if err != nil {
			return err
		}
		setDeferrability(idx, c)
		idx.NullsNotDistinct = c.NullsNotDistinct
		return backfillIndex(ec, t, idx)
	case pg_query.ConstrType_CONSTR_CHECK:
		if err := b.addCheck(t, c); err != nil {
			return err
		}
		if c.SkipValidation {
			t.Checks[len(t.Checks)-1].NotValid = true
			return nil
		}
		checker, err := b.newRowChecker(t)
		if err != nil {
			return err
		}
		checker.checks = checker.checks[len(checker.checks)-1:]
		checker.t = &catalog.Table{Name: t.Name, Columns: t.Columns, Checks: t.Checks[len(t.Checks)-1:]}
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			d, err := checker.checks[0].Eval(ec.Ctx, r)
			if err != nil {
				return err
			}
			if d == false {
				return pgerror.New(pgerror.CheckViolation, "check constraint %q of relation %q is violated by some row", t.Checks[len(t.Checks)-1].Name, t.Name)
			}
		}
		return nil
	case pg_query.ConstrType_CONSTR_FOREIGN:
		if err := b.addForeignKey(ec, t, c, col, !c.SkipValidation); err != nil {
			return err
		}
		t.ForeignKeys[len(t.ForeignKeys)-1].NotValid = c.SkipValidation
		return nil
	}
	return pgerror.New(pgerror.FeatureNotSupported, "constraint type %s is not supported", c.Contype)
}

// addPrimaryKey re-keys a table that so far had only its hidden row id:
// every row moves to its new primary key and every secondary index entry
// is rewritten (they embed the primary key).
//
// The rows are streamed from the old primary index in batches, not
// collected: the new primary index is a new index id, a key range no one
// can have written, so each row goes in with InsertFresh (no lock, no
// read of the store) and a duplicate key shows up as ErrKeyExists from
// the transaction's own writes. The old indexes' ranges are deleted
// afterwards; secondary entries, which live in their index's old range,
// are written after that.
func (b *builder) addPrimaryKey(ec *execCtx, t *catalog.Table, keys []string, name string) error {
	if !t.HasHiddenRowID() {
		return pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", t.Name)
	}
	old := t.Clone()
	if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, old.Primary().Name)); err != nil {
		return kverror.AsSQL(err)
	}
	// New layout: no row id column, the new primary index first.
	hidden := -1
	for i, c := range t.Columns {
		if c.Hidden {
			hidden = i
		}
	}
	t.Columns = append(t.Columns[:hidden], t.Columns[hidden+1:]...)
	t.Indexes = t.Indexes[1:]
	if name == "" {
		name = t.Name + "_pkey"
	}
	if err := addPrimaryIndex(t, name, keys, true); err != nil {
		return err
	}
	ec.Catalog.NoteTable(t)

	// Each row's value is the old one minus the row id, cut out of the
	// encoded bytes; only the columns some index needs are decoded.
	hiddenID := old.Columns[hidden].ID
	needed := map[uint32]int{}
	for _, ix := range t.Indexes {
		for _, id := range ix.ColumnIDs {
			if id != 0 {
				needed[id] = t.ColumnIndexByID(id)
			}
		}
		if !ix.Plain() {
			// Expressions and predicates may read any column.
			for i, c := range t.Columns {
				needed[c.ID] = i
			}
		}
	}
	lookup := func(id uint32) (int, types.T, bool) {
		i, ok := needed[id]
		if !ok {
			return 0, types.T{}, false
		}
		return i, t.Columns[i].Type, true
	}
	pkCols := t.ColumnIndexes(t.Primary().ColumnIDs)
	pkPrefix := kv.IndexPrefix(t.ID, t.Primary().ID)
	var secondary [][]byte
	nr := make(exec.Row, len(t.Columns))
	var key, val []byte
	rekey := func(e kv.KeyValue) error {
		clear(nr)
		if err := rowenc.DecodeRow(e.Value, lookup, nr); err != nil {
			return fmt.Errorf("sql: decoding row of %s: %w", old.Name, err)
		}
		for _, ci := range pkCols {
			if nr[ci] == nil {
				return pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", t.Columns[ci].Name, t.Name)
			}
		}
		var err error
		if key, err = encodeIndexCols(append(key[:0], pkPrefix...), t, t.Primary(), nr); err != nil {
			return err
		}
		if val, err = rowenc.DropColumn(val[:0], e.Value, hiddenID); err != nil {
			return fmt.Errorf("sql: re-keying a row of %s: %w", old.Name, err)
		}
		if err := ec.Txn.InsertFresh(ec.Context, key, val); errors.Is(err, kv.ErrKeyExists) {
			return pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", t.Primary().Name).
				WithDetail("Key %s is duplicated.", formatKey(ec, t, t.Primary(), nr))
		} else if err != nil {
			return kverror.AsSQL(err)
		}
		for i := 1; i < len(t.Indexes); i++ {
			ik, in, err := secondaryKey(ec, t, &t.Indexes[i], nr)
			if err != nil {
				return err
			}
			if in {
				secondary = append(secondary, ik)
			}
		}
		return nil
	}
	if err := forEachStoredKV(ec, old, rekey); err != nil {
		return err
	}
	for _, oi := range old.Indexes {
		prefix := kv.IndexPrefix(old.ID, oi.ID)
		if err := ec.Txn.DeleteRange(ec.Context, prefix, kv.PrefixEnd(prefix)); err != nil {
			return kverror.AsSQL(err)
		}
	}
	for _, ik := range secondary {
		if err := ec.Txn.InsertFresh(ec.Context, ik, []byte{}); err != nil {
			return kverror.AsSQL(err)
		}
	}
	return nil
}

// storedRowBatch is how many rows forEachStoredKV reads per kv.Scan.
const storedRowBatch = 4096

// forEachStoredKV calls f with every entry of t's primary index (the
// encoded rows), read in batches so a big table is never in memory at
// once.
func forEachStoredKV(ec *execCtx, t *catalog.Table, f func(kv.KeyValue) error) error {
	prefix := kv.IndexPrefix(t.ID, t.Primary().ID)
	start, end := prefix, kv.PrefixEnd(prefix)
	for {
		kvs, err := ec.Txn.Scan(ec.Context, start, end, storedRowBatch, false)
		if err != nil {
			return kverror.AsSQL(err)
		}
		for _, e := range kvs {
			if err := f(e); err != nil {
				return err
			}
		}
		if len(kvs) < storedRowBatch {
			return nil
		}
		start = append(kvs[len(kvs)-1].Key, 0)
	}
}

// rewriteRows applies f to every row of t (same primary key).
func rewriteRows(ec *execCtx, t *catalog.Table, f func(exec.Row) (exec.Row, error)) error {
	ec.Catalog.NoteTable(t)
	old := t.Clone()
	old.Columns = old.Columns[:len(old.Columns)-1]
	rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: old, Cols: tableCols(old, old.Name), Index: old.Primary()})
	if err != nil {
		return err
	}
	for _, r := range rows {
		nr, err := f(append(r, nil))
		if err != nil {
			return err
		}
		key, err := primaryKey(t, nr)
		if err != nil {
			return err
		}
		val, err := encodeRowValue(t, nr)
		if err != nil {
			return err
		}
		if err := ec.Txn.Put(ec.Context, key, val); err != nil {
			return kverror.AsSQL(err)
		}
	}
	return nil
}

func (b *builder) planRename(rs *pg_query.RenameStmt) (*stmtPlan, error) {
	tag := "ALTER TABLE"
	if rs.RenameType == pg_query.ObjectType_OBJECT_INDEX {
		tag = "ALTER INDEX"
	}
	if rs.RenameType == pg_query.ObjectType_OBJECT_TYPE {
		return tagOnly("ALTER TYPE", func(ec *execCtx) error { return b.alterTypeRename(rs) }), nil
	}
	return tagOnly(tag, func(ec *execCtx) error {
		return skipMissingRelation(ec, b.rename(rs), rs.MissingOk, rs.Relation)
	}), nil
}

// rename runs one RENAME statement.
func (b *builder) rename(rs *pg_query.RenameStmt) error {
	switch rs.RenameType {
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		t, err := b.lookupTable(rs.Relation)
		if err != nil {
			return err
		}
		return b.renameConstraint(t.Clone(), rs.Subname, rs.Newname)
	case pg_query.ObjectType_OBJECT_TABLE:
		t, err := b.lookupTable(rs.Relation)
		if err != nil {
			return err
		}
		if _, exists, err := b.cat.LookupID(b.ctx, t.DBID, t.Schema, rs.Newname); err != nil {
			return err
		} else if exists {
			return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rs.Newname)
		}
		t = t.Clone()
		if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, t.Name)); err != nil {
			return kverror.AsSQL(err)
		}
		t.Name = rs.Newname
		return b.cat.WriteTable(b.ctx, t)
	case pg_query.ObjectType_OBJECT_COLUMN:
		t, err := b.lookupTable(rs.Relation)
		if err != nil {
			return err
		}
		t = t.Clone()
		_, c := t.ColumnByName(rs.Subname)
		if c == nil || c.Hidden {
			return pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", rs.Subname)
		}
		if _, dup := t.ColumnByName(rs.Newname); dup != nil {
			return pgerror.New(pgerror.DuplicateColumn, "column %q of relation %q already exists", rs.Newname, t.Name)
		}
		for i := range t.Indexes {
			if idx := &t.Indexes[i]; !idx.Plain() && indexUsesColumn(idx, c) {
				if err := renameIndexColumn(idx, c.Name, rs.Newname); err != nil {
					return err
				}
			}
		}
		for i := range t.Columns {
			if g := &t.Columns[i]; g.Generated != "" {
				if g.Generated, err = renameColumnInExpr(g.Generated, c.Name, rs.Newname); err != nil {
					return err
				}
			}
		}
		c.Name = rs.Newname
		return b.cat.WriteTable(b.ctx, t)
	case pg_query.ObjectType_OBJECT_INDEX:
		schema, err := b.relationSchema(rs.Relation.Schemaname, rs.Relation.Relname)
		if err != nil {
			return err
		}
		id, ok, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, rs.Relation.Relname)
		if err != nil {
			return err
		}
		if !ok {
			return catalog.UndefinedTable(rs.Relation.Relname)
		}
		t, err := b.cat.TableByID(b.ctx, id)
		if err != nil {
			return err
		}
		t = t.Clone()
		for i := range t.Indexes {
			if t.Indexes[i].Name == rs.Relation.Relname {
				return b.renameIndex(t, &t.Indexes[i], rs.Newname)
			}
		}
		return catalog.UndefinedTable(rs.Relation.Relname)
	}
	return pgerror.New(pgerror.FeatureNotSupported, "ALTER ... RENAME of %s is not supported", rs.RenameType)
}
