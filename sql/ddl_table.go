package sql

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// exprTextCache holds parsed DEFAULT and CHECK expressions by their text;
// parsing goes through cgo and is worth skipping on every INSERT.
var exprTextCache sync.Map // string → *pg_query.Node

// parseExprText parses a stored SQL expression.
func parseExprText(text string) (*pg_query.Node, error) {
	if n, ok := exprTextCache.Load(text); ok {
		return n.(*pg_query.Node), nil
	}
	res, err := pg_query.Parse("SELECT " + text)
	if err != nil {
		return nil, fmt.Errorf("sql: stored expression %q: %w", text, err)
	}
	n := res.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val
	exprTextCache.Store(text, n)
	return n, nil
}

// deparseExpr renders an expression back to SQL text for storage.
func deparseExpr(n *pg_query.Node) (string, error) {
	s := nodeKey(n)
	if !strings.HasPrefix(s, "SELECT ") {
		return "", fmt.Errorf("sql: cannot store expression")
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}

func keyNames(keys []*pg_query.Node) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.GetString_().GetSval()
	}
	return out
}

// serialType recognizes serial pseudo-types.
func serialType(tn *pg_query.TypeName) (types.T, bool) {
	if len(tn.Names) == 0 || len(tn.ArrayBounds) > 0 {
		return types.T{}, false
	}
	switch tn.Names[len(tn.Names)-1].GetString_().GetSval() {
	case "serial", "serial4":
		return types.Int4, true
	case "bigserial", "serial8":
		return types.Int8, true
	case "smallserial", "serial2":
		return types.Int2, true
	}
	return types.T{}, false
}

func (b *builder) planCreateTable(cs *pg_query.CreateStmt) (*stmtPlan, error) {
	if len(cs.InhRelations) > 0 || cs.Partspec != nil {
		return nil, unsupported("table inheritance and partitioning")
	}
	rel := cs.Relation
	onCommit := onCommitAction(cs.Oncommit)
	return tagOnly("CREATE TABLE", func(ec *execCtx) error {
		schema, temp, err := b.creationSchema(rel.Schemaname, rel.Relpersistence == "t")
		if err != nil {
			// PostgreSQL's transformCreateStmt reports the name's position
			// when the schema is missing or refuses CREATE.
			if pe, ok := pgerror.As(err); ok && pe.Position == 0 && rel.Location >= 0 {
				pe.Position = int(rel.Location) + 1
			}
			return err
		}
		if cs.Oncommit > pg_query.OnCommitAction_ONCOMMIT_NOOP && !temp {
			return pgerror.New(pgerror.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables")
		}
		if id, exists, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, rel.Relname); err != nil {
			return err
		} else if exists {
			_ = id
			if cs.IfNotExists {
				ec.AddNotice(fmt.Sprintf("relation %q already exists, skipping", rel.Relname))
				return nil
			}
			return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rel.Relname)
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return err
		}
		t := &catalog.Table{ID: id, Kind: catalog.KindTable, DBID: b.sess.dbID, Schema: schema, Name: rel.Relname, Owner: b.sess.user, NextCol: 1, NextIdx: 1, OnCommit: onCommit}
		if err := b.applyDefaultACL(t); err != nil {
			return err
		}
		if onCommit != "" {
			b.sess.hasOnCommitActions = true
		}
		var pkCols []string
		var pkCon *pg_query.Constraint
		var uniqueCons []*pg_query.Constraint
		var uniques [][]string
		var uniqueNames []string
		var checks []*pg_query.Constraint
		var fks []*pg_query.Constraint
		var fkCols []string
		addConstraint := func(c *pg_query.Constraint, col string) error {
			switch c.Contype {
			case pg_query.ConstrType_CONSTR_PRIMARY:
				if pkCols != nil {
					return pgerror.New(pgerror.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", t.Name)
				}
				pkCols, pkCon = keyNames(c.Keys), c
				if col != "" {
					pkCols = []string{col}
				}
			case pg_query.ConstrType_CONSTR_UNIQUE:
				keys := keyNames(c.Keys)
				if col != "" {
					keys = []string{col}
				}
				uniques = append(uniques, keys)
				uniqueNames = append(uniqueNames, c.Conname)
				uniqueCons = append(uniqueCons, c)
			case pg_query.ConstrType_CONSTR_CHECK:
				checks = append(checks, c)
			case pg_query.ConstrType_CONSTR_FOREIGN:
				fks = append(fks, c)
				fkCols = append(fkCols, col)
			case pg_query.ConstrType_CONSTR_EXCLUSION:
				return unsupported("EXCLUDE constraints")
			}
			return nil
		}
		for _, el := range cs.TableElts {
			switch v := el.Node.(type) {
			case *pg_query.Node_ColumnDef:
				col, err := b.columnFromDef(ec, t, v.ColumnDef, addConstraint)
				if err != nil {
					return err
				}
				if _, dup := t.ColumnByName(col.Name); dup != nil {
					return pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", col.Name)
				}
				t.Columns = append(t.Columns, *col)
			case *pg_query.Node_Constraint:
				if err := addConstraint(v.Constraint, ""); err != nil {
					return err
				}
			default:
				return unsupported("table element " + nodeName(el))
			}
		}
		if len(t.Columns) == 0 {
			return unsupported("tables without columns")
		}
		for i := range t.Columns {
			if c := &t.Columns[i]; c.Generated != "" {
				if err := b.validateGenerated(t, c); err != nil {
					return err
				}
			}
		}
		if err := setPrimaryKey(t, pkCols); err != nil {
			return err
		}
		if pkCon != nil {
			setDeferrability(t.Primary(), pkCon)
		}
		for i, keys := range uniques {
			idx, err := addIndex(t, uniqueNames[i], keys, nil, true, true)
			if err != nil {
				return err
			}
			setDeferrability(idx, uniqueCons[i])
			idx.NullsNotDistinct = uniqueCons[i].NullsNotDistinct
		}
		for _, c := range checks {
			if err := b.addCheck(t, c); err != nil {
				return err
			}
		}
		for i, c := range fks {
			if err := b.addForeignKey(ec, t, c, fkCols[i], false); err != nil {
				return err
			}
		}
		if err := b.registerIndexNames(t); err != nil {
			return err
		}
		return b.cat.WriteTable(b.ctx, t)
	}), nil
}

// onCommitAction maps an ON COMMIT clause to the descriptor's action
// ("" for PRESERVE ROWS or none).
func onCommitAction(a pg_query.OnCommitAction) string {
	switch a {
	case pg_query.OnCommitAction_ONCOMMIT_DELETE_ROWS:
		return onCommitDeleteRows
	case pg_query.OnCommitAction_ONCOMMIT_DROP:
		return onCommitDrop
	}
	return ""
}

// schemaFor validates the schema a new object goes to ("" means the
// first existing schema of the search_path).
func (b *builder) schemaFor(name string) (string, error) {
	schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
	if err != nil {
		return "", err
	}
	if name == "" {
		for _, s := range b.sess.searchPath() {
			if _, ok := schemas[s]; ok && s != "pg_catalog" {
				// The path leaves out schemas the user may not use.
				if usable, err := b.schemaUsable(s); err != nil || usable {
					return s, err
				}
			}
		}
		return "", pgerror.New(pgerror.InvalidSchemaName, "no schema has been selected to create in")
	}
	if _, ok := schemas[name]; !ok || name == "pg_catalog" || name == "information_schema" {
		if ok {
			return "", pgerror.New(pgerror.InsufficientPrivilege, "permission denied to create %q.%q", name, "")
		}
		return "", pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
	}
	return name, nil
}

// columnFromDef builds a column from its definition, handing table-level
// effects of column constraints to addConstraint.
func (b *builder) columnFromDef(ec *execCtx, t *catalog.Table, cd *pg_query.ColumnDef, addConstraint func(*pg_query.Constraint, string) error) (*catalog.Column, error) {
	col := &catalog.Column{ID: t.NextCol, Name: cd.Colname, NotNull: cd.IsNotNull}
	t.NextCol++
	var err error
	if st, ok := serialType(cd.TypeName); ok {
		col.Type = st
		col.NotNull = true
		seq, err := b.createSequence(ec, t.Schema, fmt.Sprintf("%s_%s_seq", t.Name, cd.Colname), seqDefaults(st))
		if err != nil {
			return nil, err
		}
		seq.OwnedBy = t.Name + "." + cd.Colname
		if err := b.cat.WriteTable(b.ctx, seq); err != nil {
			return nil, err
		}
		col.Default = serialDefault(t.Schema, seq.Name)
	} else if col.Type, err = b.resolveTypeName(cd.TypeName); err != nil {
		return nil, err
	}
	if col.Type.Family == types.UnknownFamily || col.Type.Family == types.RecordFamily && col.Type.Fields == nil {
		// A pseudo-type describes no stored value (PostgreSQL's
		// CheckAttributeType); unknown used to be stored as text.
		return nil, pgerror.New(pgerror.InvalidTableDefinition, "column %q has pseudo-type %s", cd.Colname, types.TypeName(col.Type))
	}
	cons, err := foldConstraintAttrs(cd.Constraints)
	if err != nil {
		return nil, err
	}
	for _, c := range cons {
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_NULL:
			col.NotNull = false
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if col.Default, err = b.checkedDefault(c.RawExpr, col); err != nil {
				return nil, err
			}
		case pg_query.ConstrType_CONSTR_IDENTITY:
			if err := b.makeIdentity(ec, t, col, c); err != nil {
				return nil, err
			}
		case pg_query.ConstrType_CONSTR_GENERATED:
			if col.Generated, err = deparseExpr(c.RawExpr); err != nil {
				return nil, err
			}
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_CHECK,
			pg_query.ConstrType_CONSTR_FOREIGN:
			if err := addConstraint(c, cd.Colname); err != nil {
				return nil, err
			}
		}
	}
	if col.Generated != "" && col.Default != "" {
		return nil, pgerror.New(pgerror.SyntaxError, "both default and generation expression specified for column %q of table %q", col.Name, t.Name)
	}
	return col, nil
}

// checkedDefault validates a DEFAULT expression and returns its text.
func (b *builder) checkedDefault(n *pg_query.Node, col *catalog.Column) (string, error) {
	e, err := b.buildExpr(n, &scope{})
	if err != nil {
		return "", err
	}
	if _, err := b.assignDefaultExpr(e, col); err != nil {
		return "", err
	}
	// Stored as PostgreSQL prints it (defaultdef.go).
	if text, null, ok := pgDefaultText(n, col.Type); ok {
		if null {
			return "", nil
		}
		return text, nil
	}
	return deparseExpr(n)
}

func (b *builder) addCheck(t *catalog.Table, c *pg_query.Constraint) error {
	e, err := b.buildExpr(c.RawExpr, &scope{cols: tableCols(t, t.Name)})
	if err != nil {
		return err
	}
	if _, err := b.requireBool(e, "CHECK"); err != nil {
		return err
	}
	// Stored as PostgreSQL prints it (checkdef.go).
	text, ok := pgCheckText(t, c.RawExpr)
	if !ok {
		if text, err = deparseExpr(c.RawExpr); err != nil {
			return err
		}
	}
	name := c.Conname
	if name == "" {
		// ChooseConstraintName: named for the column when the
		// expression reads exactly one (wherever it was declared),
		// numbered while the table has the name.
		base := t.Name + "_check"
		if cols, _ := exprColumns(e); len(cols) == 1 {
			for i := range cols {
				base = fmt.Sprintf("%s_%s_check", t.Name, t.Columns[i].Name)
			}
		}
		name = base
		for n := 1; t.HasConstraintNamed(name); n++ {
			name = fmt.Sprintf("%s%d", base, n)
		}
	}
	t.Checks = append(t.Checks, catalog.Check{Name: name, Expr: text})
	return nil
}

// setPrimaryKey makes cols the primary key of a new table, or adds the
// hidden row id when there is none.
func setPrimaryKey(t *catalog.Table, cols []string) error {
	if cols == nil {
		t.Columns = append(t.Columns, catalog.Column{ID: t.NextCol, Name: "rowid", Type: types.Int8, NotNull: true, Hidden: true})
		t.NextCol++
		return addPrimaryIndex(t, t.Name+"_pkey", []string{"rowid"}, false)
	}
	return addPrimaryIndex(t, t.Name+"_pkey", cols, true)
}

// addPrimaryIndex adds t's primary index, called name, on cols, first
// among its indexes as the primary index must be; a constraint (a
// declared PRIMARY KEY, not the hidden row id's) makes its columns NOT
// NULL. CREATE TABLE and ALTER TABLE ADD PRIMARY KEY both make it here.
func addPrimaryIndex(t *catalog.Table, name string, cols []string, constraint bool) error {
	idx, err := addIndex(t, name, cols, nil, true, constraint)
	if err != nil {
		return err
	}
	idx.Primary = true
	if constraint {
		for _, id := range idx.ColumnIDs {
			t.Columns[t.ColumnIndexByID(id)].NotNull = true
		}
	}
	last := len(t.Indexes) - 1
	pk := t.Indexes[last]
	copy(t.Indexes[1:], t.Indexes[:last])
	t.Indexes[0] = pk
	return nil
}

// addIndex appends an index on the named columns.
func addIndex(t *catalog.Table, name string, cols []string, desc []bool, unique, constraint bool) (*catalog.Index, error) {
	idx := catalog.Index{ID: t.NextIdx, Name: name, Unique: unique, Constraint: constraint}
	t.NextIdx++
	for i, c := range cols {
		_, col := t.ColumnByName(c)
		if col == nil {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column %q named in key does not exist", c)
		}
		if !indexableType(col.Type) {
			return nil, notIndexable(col.Type, fmt.Sprintf("column %q of type %s cannot be indexed", c, types.TypeName(col.Type)))
		}
		idx.ColumnIDs = append(idx.ColumnIDs, col.ID)
		idx.Desc = append(idx.Desc, i < len(desc) && desc[i])
	}
	if idx.Name == "" {
		suffix := "idx"
		if constraint && unique {
			suffix = "key"
		}
		// ChooseRelationName: numbered while the table has the name.
		base := fmt.Sprintf("%s_%s_%s", t.Name, strings.Join(cols, "_"), suffix)
		idx.Name = base
		for n := 1; t.HasConstraintNamed(idx.Name); n++ {
			idx.Name = fmt.Sprintf("%s%d", base, n)
		}
	}
	t.Indexes = append(t.Indexes, idx)
	return &t.Indexes[len(t.Indexes)-1], nil
}

// registerIndexNames claims the relation names of t's indexes (indexes
// share the relation namespace with tables, as in PostgreSQL).
func (b *builder) registerIndexNames(t *catalog.Table) error {
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		if idx.OID == 0 {
			id, exists, err := b.cat.LookupID(b.ctx, t.DBID, t.Schema, idx.Name)
			if err != nil {
				return err
			}
			if exists && id != t.ID {
				return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", idx.Name)
			}
			if exists {
				return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", idx.Name)
			}
			oid, err := b.cat.NewID(b.ctx)
			if err != nil {
				return err
			}
			idx.OID = oid
			if err := b.cat.KV.Put(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name), catalog.EncodeID(t.ID)); err != nil {
				return kverror.AsSQL(err)
			}
		}
	}
	return nil
}

// dropTableData removes every row and index entry of t.
func dropTableData(ec *execCtx, t *catalog.Table) error {
	prefix := kv.TablePrefix(t.ID)
	return kverror.AsSQL(ec.Txn.DeleteRange(ec.Context, prefix, kv.PrefixEnd(prefix)))
}

func (b *builder) dropTable(ec *execCtx, t *catalog.Table) error {
	if err := b.dropForeignKeys(ec, t); err != nil {
		return err
	}
	if err := dropTableData(ec, t); err != nil {
		return err
	}
	for _, idx := range t.Indexes {
		if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name)); err != nil {
			return kverror.AsSQL(err)
		}
	}
	// Sequences owned by the table's columns go with it.
	all, err := b.cat.Tables(b.ctx, t.DBID)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Kind == catalog.KindSequence && o.Schema == t.Schema && strings.HasPrefix(o.OwnedBy, t.Name+".") {
			if err := b.cat.DeleteTable(b.ctx, o); err != nil {
				return err
			}
		}
	}
	return b.cat.DeleteTable(b.ctx, t)
}

// backfillIndex writes idx's entries for every existing row, checking
// uniqueness.
func backfillIndex(ec *execCtx, t *catalog.Table, idx *catalog.Index) error {
	ec.Catalog.NoteTable(t)
	rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: t.Primary()})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, r := range rows {
		key, in, err := secondaryKey(ec, t, idx, r)
		if err != nil {
			return err
		}
		if !in {
			continue
		}
		if idx.Unique {
			vals, err := indexKeyValues(ec, t, idx, r)
			if err != nil {
				return err
			}
			if idx.NullsNotDistinct || !slices.Contains(vals, nil) {
				k, err := encodeIndexKey(ec, nil, t, idx, r)
				if err != nil {
					return err
				}
				if seen[string(k)] {
					return pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", idx.Name).
						WithDetail("Key %s is duplicated.", formatKey(ec, t, idx, r))
				}
				seen[string(k)] = true
			}
		}
		if err := ec.Txn.Put(ec.Context, key, []byte{}); err != nil {
			return kverror.AsSQL(err)
		}
	}
	return nil
}

// serialDefault is a serial column's default as pg_get_expr prints it:
// the sequence's name as regclass output spells it (quote_ident, so
// "Users_id_seq" for a table named "Users"; schema-qualified outside
// public, which the default search_path does not otherwise reach).
func serialDefault(schema, seq string) string {
	name := quoteIdent(seq)
	if schema != "public" {
		name = quoteIdent(schema) + "." + name
	}
	return fmt.Sprintf("nextval('%s'::regclass)", strings.ReplaceAll(name, "'", "''"))
}
