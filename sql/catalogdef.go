package sql

import (
	"fmt"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/types"
)

// This file renders catalog objects back to SQL as PostgreSQL's
// pg_get_indexdef and pg_get_constraintdef do, and gives oids to the
// objects our descriptors do not number (CHECK constraints, column
// defaults).

// Derived oids. A CHECK constraint or a column default has no id of its
// own in a catalog.Table, so its oid is computed from its table's id and its
// position:
//
//	bit 31     1 (no allocated id reaches 2^31, so derived oids never
//	           collide with tables, sequences or indexes)
//	bit 30     kind: 0 CHECK constraint, 1 column default (pg_attrdef)
//	bits 9–29  the table's id (ids below 2^21)
//	bits 0–8   the check's index in catalog.Table.Checks, or the column's
//	           attnum (below 512)
//
// The oid is stable while the table's checks and columns keep their
// positions; dropping an earlier CHECK renumbers the later ones, which
// only matters to a client holding an oid across that DDL.
const (
	derivedCheck   = 0
	derivedDefault = 1

	derivedFlag      = 1 << 31
	derivedTableMask = 1<<21 - 1
	derivedPosMask   = 1<<9 - 1
)

func derivedOID(kind int, table uint32, pos int) int64 {
	return int64(derivedFlag | uint32(kind)<<30 | (table&derivedTableMask)<<9 | uint32(pos)&derivedPosMask)
}

// splitDerivedOID decodes a derived oid; ok is false for an allocated one.
func splitDerivedOID(oid int64) (kind int, table uint32, pos int, ok bool) {
	u := uint32(oid)
	if oid < 0 || oid > 1<<32-1 || u&derivedFlag == 0 {
		return 0, 0, 0, false
	}
	return int(u >> 30 & 1), u >> 9 & derivedTableMask, int(u & derivedPosMask), true
}

// indexDef implements pg_get_indexdef(oid): NULL when oid is not an
// index of the session's database, as in PostgreSQL.
func (ec *execCtx) indexDef(oid int64) (types.Datum, error) {
	return ec.indexColumnDef(oid, 0, false)
}

// indexColumnDef implements pg_get_indexdef(oid, column, pretty): column
// 0 is the whole CREATE INDEX statement, column n the n-th key column
// alone (psql's \d on an index shows it as "Definition"); pretty drops
// the parentheses PostgreSQL's plain form puts around operator
// expressions.
func (ec *execCtx) indexColumnDef(oid, column int64, pretty bool) (types.Datum, error) {
	t, idx, err := ec.indexByOID(oid)
	if err != nil || idx == nil {
		return nil, err
	}
	if column < 0 || column > int64(len(idx.ColumnIDs)) {
		return nil, nil
	}
	return indexDefText(t, idx, int(column), pretty), nil
}

// constraintDef implements pg_get_constraintdef(oid).
func (ec *execCtx) constraintDef(oid int64) (types.Datum, error) {
	return ec.constraintDefPretty(oid, false)
}

// constraintDefPretty implements pg_get_constraintdef(oid, pretty): the
// pretty form of a CHECK drops the parentheses PostgreSQL puts around
// the expression ("CHECK (a > 0)" rather than "CHECK ((a > 0))").
func (ec *execCtx) constraintDefPretty(oid int64, pretty bool) (types.Datum, error) {
	if kind, tableID, pos, ok := splitDerivedOID(oid); ok {
		if kind != derivedCheck {
			return nil, nil
		}
		t, err := ec.Catalog.TableByID(ec.Context, tableID)
		if err != nil || t == nil || t.DBID != ec.sess.dbID {
			return nil, err
		}
		if pos >= fkOIDBase {
			return ec.foreignKeyDef(t, pos-fkOIDBase)
		}
		if pos >= len(t.Checks) {
			return nil, nil
		}
		return checkDefText(t.Checks[pos].Expr, pretty) + notValidSuffix(t.Checks[pos].NotValid), nil
	}
	t, idx, err := ec.indexByOID(oid)
	if err != nil || idx == nil || !isConstraintIndex(idx) {
		return nil, err
	}
	kw := "UNIQUE"
	if idx.Primary {
		kw = "PRIMARY KEY"
	} else if idx.NullsNotDistinct {
		kw = "UNIQUE NULLS NOT DISTINCT"
	}
	cols := make([]string, len(idx.ColumnIDs))
	for i, id := range idx.ColumnIDs {
		cols[i] = quoteIdent(t.Columns[t.ColumnIndexByID(id)].Name)
	}
	return kw + " (" + strings.Join(cols, ", ") + ")" + deferrabilitySuffix(idx.Deferrable, idx.InitiallyDeferred), nil
}

// indexByOID finds the visible index with pg_class oid oid in the
// session's database.
func (ec *execCtx) indexByOID(oid int64) (*catalog.Table, *catalog.Index, error) {
	if oid < catalog.FirstUserID || oid >= derivedFlag {
		return nil, nil, nil
	}
	all, err := ec.Catalog.Tables(ec.Context, ec.sess.dbID)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range all {
		for _, idx := range visibleIndexes(t) {
			if int64(idx.OID) == oid {
				return t, idx, nil
			}
		}
	}
	return nil, nil, nil
}

// indexDefText renders idx as pg_get_indexdef does: the whole statement
// for column 0 ("CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a)",
// "(b DESC, a)", "(lower(email))", "((a + b))", "(k) WHERE (d IS NULL)"),
// else the column-th key element alone.
func indexDefText(t *catalog.Table, idx *catalog.Index, column int, pretty bool) string {
	elem := func(i int) string {
		if idx.ColumnIDs[i] != 0 {
			return indexKeyName(idx, t, i)
		}
		return exprDefText(idx.Exprs[idx.ExprOrdinal(i)], pretty)
	}
	if column > 0 {
		return elem(column - 1)
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if idx.Unique || idx.Primary {
		b.WriteString("UNIQUE ")
	}
	table := quoteIdent(t.Schema) + "." + quoteIdent(t.Name)
	if pretty && t.Schema == "public" {
		// The pretty form leaves out a schema on the search path.
		table = quoteIdent(t.Name)
	}
	fmt.Fprintf(&b, "INDEX %s ON %s USING btree (", quoteIdent(idx.Name), table)
	for i := range idx.ColumnIDs {
		if i > 0 {
			b.WriteString(", ")
		}
		text := elem(i)
		if idx.ColumnIDs[i] == 0 && needsParens(idx.Exprs[idx.ExprOrdinal(i)]) {
			// An expression other than a function call is parenthesized
			// in the key list.
			text = "(" + text + ")"
		}
		b.WriteString(text)
		if i < len(idx.Desc) && idx.Desc[i] {
			b.WriteString(" DESC")
		}
	}
	b.WriteString(")")
	if idx.NullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if idx.Partial() {
		b.WriteString(" WHERE " + exprDefText(idx.Predicate, pretty))
	}
	return b.String()
}

// exprDefText renders a stored expression as PostgreSQL's deparser does
// at the top level: operator, boolean and null-test expressions are
// parenthesized unless pretty.
func exprDefText(expr string, pretty bool) string {
	if pretty || !needsParens(expr) {
		return expr
	}
	return "(" + expr + ")"
}

// checkDefText renders a CHECK constraint. PostgreSQL's non-pretty output
// parenthesizes every operator, boolean and null-test expression, so the
// top level of "a > 0" reads "CHECK ((a > 0))"; a function call or a
// bare column is not parenthesized. Inner expressions keep the stored
// text (PostgreSQL would also parenthesize and cast them: a documented
// difference).
func checkDefText(expr string, pretty bool) string {
	if pretty {
		if p, ok := prettyCheckText(expr); ok {
			return "CHECK (" + p + ")"
		}
	}
	if pretty || !needsParens(expr) {
		return "CHECK (" + expr + ")"
	}
	return "CHECK ((" + expr + "))"
}

func needsParens(expr string) bool {
	n, err := parseExprText(expr)
	if err != nil {
		return true
	}
	switch n.Node.(type) {
	case *pg_query.Node_FuncCall, *pg_query.Node_ColumnRef, *pg_query.Node_AConst, *pg_query.Node_TypeCast:
		return false
	}
	return true
}

// checkColumns returns the attnums of the columns a CHECK expression
// reads, in order of first appearance (pg_constraint.conkey).
func checkColumns(t *catalog.Table, expr string) []types.Datum {
	n, err := parseExprText(expr)
	if err != nil {
		return nil
	}
	byName := map[string]int64{}
	for i, c := range visibleColumns(t) {
		byName[c.Name] = int64(i + 1)
	}
	var out []types.Datum
	seen := map[int64]bool{}
	walkNode(n, func(n *pg_query.Node) bool {
		cr, ok := n.Node.(*pg_query.Node_ColumnRef)
		if !ok || len(cr.ColumnRef.Fields) == 0 {
			return true
		}
		name := cr.ColumnRef.Fields[len(cr.ColumnRef.Fields)-1].GetString_().GetSval()
		if num, ok := byName[name]; ok && !seen[num] {
			seen[num] = true
			out = append(out, num)
		}
		return true
	})
	return out
}

// quoteIdent quotes an identifier as PostgreSQL's quote_ident does: when
// it is not a plain lower-case name or is a keyword other than an
// unreserved one.
func quoteIdent(s string) string {
	plain := s != ""
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			plain = false
			break
		}
	}
	if plain && !isQuotedKeyword(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

var keywordCache sync.Map // string → bool

// isQuotedKeyword reports whether s is a keyword that must be quoted to
// be used as an identifier, asking PostgreSQL's own scanner.
func isQuotedKeyword(s string) bool {
	if v, ok := keywordCache.Load(s); ok {
		return v.(bool)
	}
	quoted := false
	if res, err := pg_query.Scan(s); err == nil && len(res.Tokens) == 1 {
		k := res.Tokens[0].KeywordKind
		quoted = k != pg_query.KeywordKind_NO_KEYWORD && k != pg_query.KeywordKind_UNRESERVED_KEYWORD
	}
	keywordCache.Store(s, quoted)
	return quoted
}

// Foreign key constraints use the CHECK kind of derived oid with positions
// from fkOIDBase (a table has far fewer than 256 checks).
const fkOIDBase = 256

func fkOID(table uint32, i int) int64 { return derivedOID(derivedCheck, table, fkOIDBase+i) }

// foreignKeyDef is pg_get_constraintdef of a FOREIGN KEY constraint.
func (ec *execCtx) foreignKeyDef(t *catalog.Table, i int) (types.Datum, error) {
	if i >= len(t.ForeignKeys) {
		return nil, nil
	}
	fk := t.ForeignKeys[i]
	parent := t
	if fk.RefTable != t.ID {
		var err error
		if parent, err = ec.Catalog.TableByID(ec.Context, fk.RefTable); err != nil || parent == nil {
			return nil, err
		}
	}
	names := func(tt *catalog.Table, ids []uint32) string {
		out := make([]string, len(ids))
		for k, id := range ids {
			out[k] = quoteIdent(tt.Columns[tt.ColumnIndexByID(id)].Name)
		}
		return strings.Join(out, ", ")
	}
	// As PostgreSQL's generate_relation_name: the referenced table is
	// schema-qualified unless its schema is on the search_path (pg_dump
	// sets an empty one, so its dumps always qualify).
	ref := quoteIdent(parent.Name)
	if path := searchPathSchemas(ec.sess.vars.get("search_path"), ec.sess.user); !path[parent.Schema] && parent.Schema != ec.sess.ownTempSchema() {
		ref = quoteIdent(parent.Schema) + "." + ref
	}
	def := "FOREIGN KEY (" + names(t, fk.ColumnIDs) + ") REFERENCES " + ref + "(" + names(parent, fk.RefColumnIDs) + ")"
	actions := map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	if a, ok := actions[fk.OnUpdate]; ok {
		def += " ON UPDATE " + a
	}
	if a, ok := actions[fk.OnDelete]; ok {
		def += " ON DELETE " + a
	}
	return def + deferrabilitySuffix(fk.Deferrable, fk.InitiallyDeferred) + notValidSuffix(fk.NotValid), nil
}

// notValidSuffix is what pg_get_constraintdef appends to a constraint
// not yet validated (psql's \d shows it).
func notValidSuffix(notValid bool) string {
	if notValid {
		return " NOT VALID"
	}
	return ""
}
