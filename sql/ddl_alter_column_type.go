package sql

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// alterColumnType runs ALTER COLUMN c [SET DATA] TYPE t [USING expr]. As
// in PostgreSQL the table is rewritten in the statement's transaction:
// every row is converted (the USING expression or the column itself,
// then an assignment cast), NOT NULL and CHECK constraints are checked on
// the new rows, and every index is rebuilt, since a key may be the column
// or an expression over it and secondary entries embed the primary key.
// A conversion error fails the whole statement.
func (b *builder) alterColumnType(ec *execCtx, t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	ci, c := t.ColumnByName(cmd.Name)
	if c == nil || c.Hidden {
		return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
	}
	cd := cmd.Def.GetColumnDef()
	newType, err := b.resolveTypeName(cd.TypeName)
	if err != nil {
		return err
	}
	old := t.Clone()
	convert, err := b.columnConversion(old, c, cd.RawDefault, newType)
	if err != nil {
		return err
	}
	if err := b.checkDefaultCastable(c, newType); err != nil {
		return err
	}
	if err := b.refuseViewDependency(t, c); err != nil {
		return err
	}
	if g := columnUsedByGenerated(t, c.Name); g != "" && g != c.Name {
		return pgerror.New(pgerror.FeatureNotSupported, "cannot alter type of a column used by a generated column").
			WithDetail("Column %q is used by generated column %q.", c.Name, g)
	}
	t.Columns[ci].Type = newType
	if err := b.checkFKTypes(t, t.Columns[ci].ID); err != nil {
		return err
	}
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		if idx.HasExprs() && indexUsesColumn(idx, &t.Columns[ci]) {
			if err := b.retypeIndexExprs(t, idx); err != nil {
				return err
			}
		} else if idx.ColumnIDs != nil && !indexableType(newType) && indexUsesColumn(idx, &t.Columns[ci]) {
			return notIndexable(newType, fmt.Sprintf("column %q of type %s cannot be indexed", c.Name, types.TypeName(newType)))
		}
	}
	// Compiled expressions and predicates were typed for the old layout.
	ec.indexCache = nil
	rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: old, Cols: tableCols(old, old.Name), Index: old.Primary()})
	if err != nil {
		return err
	}
	for _, r := range rows {
		v, err := convert.Eval(ec.Ctx, r)
		if err != nil {
			return err
		}
		r[ci] = v
	}
	if err := b.rewriteTable(ec, old, t, rows); err != nil {
		return err
	}
	return b.revalidateFKs(ec, t, t.Columns[ci].ID)
}

// revalidateFKs re-checks, after column colID of t was converted, the
// valid foreign keys through it: PostgreSQL re-creates them, which checks
// every row again (a USING expression may have changed the values).
func (b *builder) revalidateFKs(ec *execCtx, t *catalog.Table, colID uint32) error {
	checkAll := func(child *catalog.Table, fk *catalog.ForeignKey, parent *catalog.Table) error {
		rows, err := exec.Collect(ec.Ctx, &exec.ScanNode{Table: child, Cols: tableCols(child, child.Name), Index: child.Primary()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := checkReference(ec, child, fk, parent, r); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if fk.NotValid || !slices.Contains(fk.ColumnIDs, colID) && !(fk.RefTable == t.ID && slices.Contains(fk.RefColumnIDs, colID)) {
			continue
		}
		parent := t
		if fk.RefTable != t.ID {
			var err error
			if parent, err = b.cat.TableByID(b.ctx, fk.RefTable); err != nil {
				return err
			}
		}
		if err := checkAll(t, fk, parent); err != nil {
			return err
		}
	}
	for _, ref := range t.ReferencedBy {
		if ref.Table == t.ID {
			continue // one of t's own, checked above
		}
		child, err := b.cat.TableByID(b.ctx, ref.Table)
		if err != nil {
			return err
		}
		for i := range child.ForeignKeys {
			fk := &child.ForeignKeys[i]
			if fk.Name == ref.Name && fk.RefTable == t.ID && !fk.NotValid && slices.Contains(fk.RefColumnIDs, colID) {
				if err := checkAll(child, fk, t); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// columnConversion builds the expression that computes column c's new
// value from an old row: USING, or the column itself, assignment-cast to
// the new type. PostgreSQL's 42804 errors and hints are reproduced.
func (b *builder) columnConversion(old *catalog.Table, c *catalog.Column, using *pg_query.Node, to types.T) (exec.Expr, error) {
	s := &scope{cols: tableCols(old, old.Name)}
	n := using
	if n == nil {
		n = &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
			Fields: []*pg_query.Node{{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: c.Name}}}},
		}}}
	}
	e, err := b.buildExpr(n, s)
	if err != nil {
		return nil, err
	}
	from := e.Typ()
	if from.Family != types.UnknownFamily && !from.Equal(to) && !types.CanCast(from, to, types.Assignment) {
		if using == nil {
			return nil, pgerror.New(pgerror.DatatypeMismatch, "column %q cannot be cast automatically to type %s", c.Name, bareTypeName(to)).
				WithHint("You might need to specify \"USING %s::%s\".", quoteIdentIfNeeded(c.Name), types.TypeName(to))
		}
		return nil, pgerror.New(pgerror.DatatypeMismatch, "result of USING clause for column %q cannot be cast automatically to type %s", c.Name, bareTypeName(to)).
			WithHint("You might need to add an explicit cast.")
	}
	if from.Equal(to) {
		return e, nil
	}
	if k, ok := e.(*exec.ConstExpr); ok && k.T.Family == types.UnknownFamily {
		return b.coerce(e, to, "ALTER TABLE")
	}
	// Not folded: a constant USING must fail per row, not on an empty table.
	return &exec.CastExpr{E: e, T: to}, nil
}

// bareTypeName is format_type_be: the type without its modifiers, as
// PostgreSQL names it in error messages.
func bareTypeName(t types.T) string {
	t.Width, t.Scale = 0, 0
	if t.Oid == types.OidBPChar {
		return "character"
	}
	return types.TypeName(t)
}

// quoteIdentIfNeeded is quote_identifier: double quotes unless the name
// is a plain lower-case identifier.
func quoteIdentIfNeeded(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			plain = false
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// checkDefaultCastable refuses a type change the column's DEFAULT cannot
// follow. The default is typed as it was stored (for the old column
// type), then needs an assignment cast to the new one, as in PostgreSQL.
func (b *builder) checkDefaultCastable(c *catalog.Column, to types.T) error {
	if c.Default == "" {
		return nil
	}
	n, err := parseExprText(c.Default)
	if err != nil {
		return err
	}
	e, err := b.buildExpr(n, &scope{})
	if err != nil {
		return err
	}
	if e, err = b.assignDefaultExpr(e, c); err != nil {
		return err
	}
	if from := e.Typ(); !from.Equal(to) && !types.CanCast(from, to, types.Assignment) {
		return pgerror.New(pgerror.DatatypeMismatch, "default for column %q cannot be cast automatically to type %s", c.Name, bareTypeName(to))
	}
	return nil
}

// refuseViewDependency is PostgreSQL's refusal to change the type of a
// column a view reads, per the dependencies recorded at CREATE VIEW. A
// view stored before those were recorded depends on the column when its
// query reads the table and names the column or selects * (which
// PostgreSQL expands into every column).
func (b *builder) refuseViewDependency(t *catalog.Table, c *catalog.Column) error {
	all, err := b.cat.Tables(b.ctx, t.DBID)
	if err != nil {
		return err
	}
	for _, v := range all {
		if v.Kind != catalog.KindView {
			continue
		}
		if v.ViewRefs != nil {
			// Bound at CREATE VIEW: the recorded column dependencies decide.
			for _, d := range v.ViewDeps {
				if d.RelID == t.ID && slices.Contains(d.Columns, c.ID) {
					return pgerror.New(pgerror.FeatureNotSupported, "cannot alter type of a column used by a view or rule").
						WithDetail("rule _RETURN on view %s depends on column %q", v.Name, c.Name)
				}
			}
			continue
		}
		res, err := pg_query.Parse(v.ViewQuery)
		if err != nil {
			return fmt.Errorf("sql: parsing view %s: %w", v.Name, err)
		}
		readsTable, namesColumn := false, false
		for _, st := range res.Stmts {
			walkNode(st.Stmt, func(n *pg_query.Node) bool {
				if rv := n.GetRangeVar(); rv != nil && rv.Relname == t.Name && (rv.Schemaname == "" || rv.Schemaname == t.Schema) {
					readsTable = true
				}
				if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) > 0 {
					last := cr.Fields[len(cr.Fields)-1]
					if last.GetAStar() != nil || last.GetString_().GetSval() == c.Name {
						namesColumn = true
					}
				}
				return true
			})
		}
		if readsTable && namesColumn {
			return pgerror.New(pgerror.FeatureNotSupported, "cannot alter type of a column used by a view or rule").
				WithDetail("rule _RETURN on view %s depends on column %q", v.Name, c.Name)
		}
	}
	return nil
}

// checkFKTypes re-validates, after column colID of t changed type, the
// type compatibility of every foreign key through it: t's own and those
// of tables referencing t.
func (b *builder) checkFKTypes(t *catalog.Table, colID uint32) error {
	tableOf := func(id uint32) (*catalog.Table, error) {
		if id == t.ID {
			return t, nil
		}
		return b.cat.TableByID(b.ctx, id)
	}
	check := func(child *catalog.Table, fk *catalog.ForeignKey) error {
		parent, err := tableOf(fk.RefTable)
		if err != nil {
			return err
		}
		for i, id := range fk.ColumnIDs {
			if !(child == t && id == colID) && !(parent == t && fk.RefColumnIDs[i] == colID) {
				continue
			}
			cc := child.Columns[child.ColumnIndexByID(id)]
			pc := parent.Columns[parent.ColumnIndexByID(fk.RefColumnIDs[i])]
			if !fkTypesCompatible(cc.Type, pc.Type) {
				return pgerror.New(pgerror.DatatypeMismatch, "foreign key constraint %q cannot be implemented", fk.Name).
					WithDetail("Key columns %q and %q are of incompatible types: %s and %s.", cc.Name, pc.Name, types.TypeName(cc.Type), types.TypeName(pc.Type))
			}
		}
		return nil
	}
	for i := range t.ForeignKeys {
		if err := check(t, &t.ForeignKeys[i]); err != nil {
			return err
		}
	}
	for _, ref := range t.ReferencedBy {
		if ref.Table == t.ID {
			continue // checked above as one of t's own
		}
		child, err := tableOf(ref.Table)
		if err != nil {
			return err
		}
		for i := range child.ForeignKeys {
			if fk := &child.ForeignKeys[i]; fk.Name == ref.Name && fk.RefTable == t.ID {
				if err := check(child, fk); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// fkTypesCompatible reports whether a foreign key column of type child
// can reference one of type parent: PostgreSQL needs an equality operator
// of the parent index's operator family, which exists across the integer
// types and across the string types, or an implicit cast to the parent's.
func fkTypesCompatible(child, parent types.T) bool {
	if child.Equal(parent) || types.CanCast(child, parent, types.Implicit) {
		return true
	}
	ints := func(t types.T) bool {
		return t.Oid == types.OidInt2 || t.Oid == types.OidInt4 || t.Oid == types.OidInt8
	}
	return ints(child) && ints(parent)
}

// retypeIndexExprs recomputes the types of idx's expression keys for
// t's current columns.
func (b *builder) retypeIndexExprs(t *catalog.Table, idx *catalog.Index) error {
	ci, err := b.compileIndex(t, idx)
	if err != nil {
		return err
	}
	for i, e := range ci.exprs {
		if !indexableType(e.Typ()) {
			return notIndexable(e.Typ(), fmt.Sprintf("index expressions of type %s are not supported", types.TypeName(e.Typ())))
		}
		idx.ExprTypes[i] = e.Typ()
	}
	return nil
}

// rewriteTable replaces every row of old with rows (already in t's
// layout, same table id): checks NOT NULL and CHECK constraints, writes
// the primary index anew and rebuilds the secondary indexes.
func (b *builder) rewriteTable(ec *execCtx, old, t *catalog.Table, rows []exec.Row) error {
	ec.Catalog.NoteTable(t)
	checker, err := b.newRowChecker(t)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for i, c := range t.Columns {
			if c.NotNull && r[i] == nil {
				return pgerror.New(pgerror.NotNullViolation, "column %q of relation %q contains null values", c.Name, t.Name)
			}
		}
		for i, e := range checker.checks {
			if t.Checks[i].NotValid {
				continue // rows it skipped stay unchecked, as in PostgreSQL
			}
			d, err := e.Eval(ec.Ctx, r)
			if err != nil {
				return err
			}
			if d == false {
				return pgerror.New(pgerror.CheckViolation, "check constraint %q of relation %q is violated by some row", t.Checks[i].Name, t.Name)
			}
		}
	}
	for _, idx := range old.Indexes {
		prefix := kv.IndexPrefix(old.ID, idx.ID)
		if err := ec.Txn.DeleteRange(ec.Context, prefix, kv.PrefixEnd(prefix)); err != nil {
			return kverror.AsSQL(err)
		}
	}
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		key, err := primaryKey(t, r)
		if err != nil {
			return err
		}
		if seen[string(key)] {
			return pgerror.New(pgerror.UniqueViolation, "could not create unique index %q", t.Primary().Name).
				WithDetail("Key %s is duplicated.", formatKey(ec, t, t.Primary(), r))
		}
		seen[string(key)] = true
		val, err := encodeRowValue(t, r)
		if err != nil {
			return err
		}
		if err := ec.Txn.Put(ec.Context, key, val); err != nil {
			return kverror.AsSQL(err)
		}
	}
	for i := 1; i < len(t.Indexes); i++ {
		if err := backfillIndex(ec, t, &t.Indexes[i]); err != nil {
			return err
		}
	}
	return nil
}
