package sql

import (
	"fmt"
	"reflect"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Expression and partial indexes. An index key element is either a
// column (ColumnIDs[i] is its id) or an expression (ColumnIDs[i] is 0, as
// in pg_index.indkey, and the expression is the next entry of Exprs).
// A partial index has a Predicate: only rows for which it is true have an
// entry, and uniqueness holds only among them. Expressions and the
// predicate are stored as SQL text and compiled against the table's
// columns once per statement (execCtx.indexCache).

// compiledIndex is an index's expressions and predicate built against
// one table layout.
type compiledIndex struct {
	exprs []exec.Expr
	pred  exec.Expr
}

type indexCacheKey struct {
	t   *catalog.Table
	idx uint32
}

// compileIndex builds idx's expressions and predicate for t.
func (b *builder) compileIndex(t *catalog.Table, idx *catalog.Index) (*compiledIndex, error) {
	s := &scope{cols: tableCols(t, t.Name)}
	ci := &compiledIndex{}
	for _, text := range idx.Exprs {
		n, err := parseExprText(text)
		if err != nil {
			return nil, err
		}
		e, err := b.buildExpr(n, s)
		if err != nil {
			return nil, fmt.Errorf("sql: index %s expression %q: %w", idx.Name, text, err)
		}
		ci.exprs = append(ci.exprs, e)
	}
	if idx.Partial() {
		n, err := parseExprText(idx.Predicate)
		if err != nil {
			return nil, err
		}
		e, err := b.buildExpr(n, s)
		if err != nil {
			return nil, fmt.Errorf("sql: index %s predicate %q: %w", idx.Name, idx.Predicate, err)
		}
		ci.pred = e
	}
	return ci, nil
}

// compiledIndex returns idx's compiled form, built once per statement.
func (ec *execCtx) compiledIndex(t *catalog.Table, idx *catalog.Index) (*compiledIndex, error) {
	key := indexCacheKey{t, idx.ID}
	if ci, ok := ec.indexCache[key]; ok {
		return ci, nil
	}
	b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog, params: &exec.ParamTypes{}}
	ci, err := b.compileIndex(t, idx)
	if err != nil {
		return nil, err
	}
	if ec.indexCache == nil {
		ec.indexCache = map[indexCacheKey]*compiledIndex{}
	}
	ec.indexCache[key] = ci
	return ci, nil
}

// indexHolds reports whether row r belongs in idx (its predicate is true).
func indexHolds(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) (bool, error) {
	if !idx.Partial() {
		return true, nil
	}
	ci, err := ec.compiledIndex(t, idx)
	if err != nil {
		return false, err
	}
	return exec.EvalBool(ec.Ctx, ci.pred, r)
}

// indexKeyValues computes the key values of r in idx, one per element.
func indexKeyValues(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) ([]types.Datum, error) {
	vals := make([]types.Datum, len(idx.ColumnIDs))
	var ci *compiledIndex
	for i, id := range idx.ColumnIDs {
		if id != 0 {
			vals[i] = r[t.ColumnIndexByID(id)]
			continue
		}
		if ci == nil {
			var err error
			if ci, err = ec.compiledIndex(t, idx); err != nil {
				return nil, err
			}
		}
		d, err := ci.exprs[idx.ExprOrdinal(i)].Eval(ec.Ctx, r)
		if err != nil {
			return nil, err
		}
		vals[i] = d
	}
	return vals, nil
}

// nonImmutableFuncs are functions PostgreSQL marks STABLE or VOLATILE,
// which an index expression or predicate may not call.
var nonImmutableFuncs = map[string]bool{
	"now": true, "statement_timestamp": true, "transaction_timestamp": true, "clock_timestamp": true,
	"timeofday": true, "random": true, "random_normal": true, "setseed": true, "gen_random_uuid": true,
	"nextval": true, "currval": true, "lastval": true, "setval": true, "txid_current": true,
	"pg_sleep": true, "age": true, "to_timestamp": true, "to_date": true, "to_char": true,
}

// checkIndexExpr refuses what PostgreSQL refuses in an index expression
// or predicate (what names which): subqueries, aggregates and functions
// not marked IMMUTABLE.
func checkIndexExpr(n *pg_query.Node, what string) error {
	var err error
	walkNode(n, func(n *pg_query.Node) bool {
		if err != nil {
			return false
		}
		switch v := n.Node.(type) {
		case *pg_query.Node_SubLink:
			err = pgerror.New(pgerror.FeatureNotSupported, "cannot use subquery in index %s", what)
		case *pg_query.Node_SqlvalueFunction:
			err = notImmutable(what)
		case *pg_query.Node_FuncCall:
			names := keyNames(v.FuncCall.Funcname)
			name := strings.ToLower(names[len(names)-1])
			if _, isSession := sessionFuncs[name]; isSession || nonImmutableFuncs[name] {
				err = notImmutable(what)
			} else if v.FuncCall.AggStar || v.FuncCall.Over != nil || builtins.IsAggregate(name) {
				err = pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in index %ss", what)
			}
		}
		return err == nil
	})
	return err
}

func notImmutable(what string) error {
	plural := "functions in index " + what + " must be marked IMMUTABLE"
	return pgerror.New(pgerror.InvalidObjectDefinition, "%s", plural)
}

// indexElemName is the column name PostgreSQL's FigureColname gives an
// index expression, from which default index names are made: a
// function's name, a cast's operand (or type), else "expr".
func indexElemName(n *pg_query.Node) string {
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := v.ColumnRef.Fields
		if s := f[len(f)-1].GetString_(); s != nil {
			return s.Sval
		}
	case *pg_query.Node_FuncCall:
		names := keyNames(v.FuncCall.Funcname)
		return names[len(names)-1]
	case *pg_query.Node_TypeCast:
		if name := indexElemName(v.TypeCast.Arg); name != "expr" {
			return name
		}
		names := keyNames(v.TypeCast.TypeName.Names)
		return names[len(names)-1]
	case *pg_query.Node_CoalesceExpr:
		return "coalesce"
	}
	return "expr"
}

// uniqueElemNames numbers repeated names as PostgreSQL's
// ChooseIndexColumnNames does (expr, expr1, expr2).
func uniqueElemNames(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		name := n
		for k := 1; seen[name]; k++ {
			name = fmt.Sprintf("%s%d", n, k)
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// indexUsesColumn reports whether idx reads column c: as a key column,
// in an expression or in its predicate.
func indexUsesColumn(idx *catalog.Index, c *catalog.Column) bool {
	for _, id := range idx.ColumnIDs {
		if id == c.ID {
			return true
		}
	}
	for _, text := range append(append([]string(nil), idx.Exprs...), idx.Predicate) {
		if text == "" {
			continue
		}
		n, err := parseExprText(text)
		if err != nil {
			return true
		}
		found := false
		walkNode(n, func(n *pg_query.Node) bool {
			if cr, ok := n.Node.(*pg_query.Node_ColumnRef); ok {
				f := cr.ColumnRef.Fields
				if s := f[len(f)-1].GetString_(); s != nil && s.Sval == c.Name {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// renameIndexColumn rewrites idx's stored expressions after column from
// was renamed to to.
func renameIndexColumn(idx *catalog.Index, from, to string) error {
	rename := func(text string) (string, error) { return renameColumnInExpr(text, from, to) }
	for i, text := range idx.Exprs {
		out, err := rename(text)
		if err != nil {
			return err
		}
		idx.Exprs[i] = out
	}
	out, err := rename(idx.Predicate)
	idx.Predicate = out
	return err
}

// renameColumnInExpr rewrites a stored expression's references to column
// from after it was renamed to to.
func renameColumnInExpr(text, from, to string) (string, error) {
	if text == "" {
		return text, nil
	}
	res, err := pg_query.Parse("SELECT " + text)
	if err != nil {
		return "", fmt.Errorf("sql: stored expression %q: %w", text, err)
	}
	n := res.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val
	walkNode(n, func(n *pg_query.Node) bool {
		if cr, ok := n.Node.(*pg_query.Node_ColumnRef); ok {
			f := cr.ColumnRef.Fields
			if s := f[len(f)-1].GetString_(); s != nil && s.Sval == from {
				s.Sval = to
			}
		}
		return true
	})
	return deparseExpr(n)
}

// sameExpr reports whether two compiled expressions compute the same
// thing from the same row: how an index expression is recognized in a
// query's WHERE or in ON CONFLICT.
func sameExpr(a, b exec.Expr) bool {
	switch x := a.(type) {
	case *exec.ColRef:
		y, ok := b.(*exec.ColRef)
		return ok && x.Idx == y.Idx && x.Level == y.Level
	case *exec.ConstExpr:
		y, ok := b.(*exec.ConstExpr)
		return ok && x.T.Equal(y.T) && reflect.DeepEqual(x.Value, y.Value)
	case *exec.CastExpr:
		y, ok := b.(*exec.CastExpr)
		return ok && x.T.Equal(y.T) && sameExpr(x.E, y.E)
	case *exec.FuncExpr:
		y, ok := b.(*exec.FuncExpr)
		return ok && x.Name == y.Name && x.Ov == y.Ov && sameExprs(x.Args, y.Args)
	case *exec.IsNullExpr:
		y, ok := b.(*exec.IsNullExpr)
		return ok && x.Not == y.Not && sameExpr(x.E, y.E)
	case *exec.IsBoolExpr:
		y, ok := b.(*exec.IsBoolExpr)
		return ok && x.Not == y.Not && x.Want == y.Want && sameExpr(x.E, y.E)
	case *exec.NotExpr:
		y, ok := b.(*exec.NotExpr)
		return ok && sameExpr(x.E, y.E)
	case *exec.AndExpr:
		y, ok := b.(*exec.AndExpr)
		return ok && sameExpr(x.L, y.L) && sameExpr(x.R, y.R)
	case *exec.OrExpr:
		y, ok := b.(*exec.OrExpr)
		return ok && sameExpr(x.L, y.L) && sameExpr(x.R, y.R)
	case *exec.CoalesceExpr:
		y, ok := b.(*exec.CoalesceExpr)
		return ok && sameExprs(x.Args, y.Args)
	}
	return false
}

func sameExprs(a, b []exec.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameExpr(a[i], b[i]) {
			return false
		}
	}
	return true
}

// conjunctsOf splits an AND tree.
func conjunctsOf(e exec.Expr) []exec.Expr {
	if a, ok := e.(*exec.AndExpr); ok {
		return append(conjunctsOf(a.L), conjunctsOf(a.R)...)
	}
	return []exec.Expr{e}
}

// impliesPredicate reports whether conjuncts (all true for a row) prove
// pred true for it, in the simple cases PostgreSQL's predtest also
// proves: every conjunct of pred appears among them, or is "x IS NOT
// NULL" where a strict comparison of x with a value is among them.
func impliesPredicate(conjuncts []exec.Expr, pred exec.Expr) bool {
	for _, p := range conjunctsOf(pred) {
		if !impliedConjunct(conjuncts, p) {
			return false
		}
	}
	return true
}

func impliedConjunct(conjuncts []exec.Expr, p exec.Expr) bool {
	for _, c := range conjuncts {
		if sameExpr(c, p) {
			return true
		}
	}
	nn, ok := p.(*exec.IsNullExpr)
	if !ok || !nn.Not {
		return false
	}
	for _, c := range conjuncts {
		f, ok := c.(*exec.FuncExpr)
		if !ok || len(f.Args) != 2 {
			continue
		}
		if _, cmp := flipOp[f.Name]; !cmp && f.Name != "<>" {
			continue
		}
		// A comparison is strict: true only when both sides are non-null.
		for _, arg := range f.Args {
			if sameExpr(unwrapLosslessCast(arg), nn.E) || sameExpr(arg, nn.E) {
				return true
			}
		}
	}
	return false
}

// indexKeyName is key element i as PostgreSQL names it in error details and
// pg_get_indexdef's per-column form: the column's name or the
// expression's text.
func indexKeyName(idx *catalog.Index, t *catalog.Table, i int) string {
	if id := idx.ColumnIDs[i]; id != 0 {
		return quoteIdent(t.Columns[t.ColumnIndexByID(id)].Name)
	}
	return idx.Exprs[idx.ExprOrdinal(i)]
}
