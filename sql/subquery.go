package sql

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

type subqueryKind int

const (
	subExists subqueryKind = iota
	subScalar
	subAny
	subAll
	subArray
)

// subqueryExpr is EXISTS (...), (SELECT ...), x op ANY (...) or
// x op ALL (...). An uncorrelated subquery runs once per statement.
type subqueryExpr struct {
	kind subqueryKind
	plan planNode
	// test is the left operand of ANY/ALL; cmp compares the operand
	// (column 0 of its row) with a subquery value (column 1).
	test       expr
	cmp        expr
	t          types.T
	correlated bool
	// deferred are the failed constant folds of the subquery's plan,
	// raised only if the subquery is not dropped (deferred.go).
	deferred []*foldFailure
}

func (e *subqueryExpr) typ() types.T { return e.t }

func (e *subqueryExpr) rows(ec *execCtx, r row) ([]row, error) {
	if !e.correlated {
		if rows, ok := ec.subqueryRows[e]; ok {
			return rows, nil
		}
	}
	ec.outer = append(ec.outer, r)
	rows, held, err := collectHeld(ec, e.plan)
	ec.outer = ec.outer[:len(ec.outer)-1]
	if err != nil {
		return nil, err
	}
	if e.correlated {
		// Used for this row only: not held past it (an uncorrelated
		// subquery's rows are kept for the statement, and stay
		// accounted).
		ec.mem.shrink(held)
	} else {
		if ec.subqueryRows == nil {
			ec.subqueryRows = map[*subqueryExpr][]row{}
		}
		ec.subqueryRows[e] = rows
	}
	return rows, nil
}

func (e *subqueryExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	rows, err := e.rows(ec, r)
	if err != nil {
		return nil, err
	}
	switch e.kind {
	case subExists:
		return len(rows) > 0, nil
	case subArray:
		out := &types.Array{Elem: *e.t.Elem, Elems: make([]types.Datum, len(rows))}
		for i, r := range rows {
			out.Elems[i] = r[0]
		}
		return out, nil
	case subScalar:
		if len(rows) == 0 {
			return nil, nil
		}
		if len(rows) > 1 {
			return nil, pgerror.New(pgerror.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
		return rows[0][0], nil
	}
	x, err := e.test.eval(ec, r)
	if err != nil {
		return nil, err
	}
	sawNull := false
	pair := make(row, 2)
	pair[0] = x
	for _, sr := range rows {
		pair[1] = sr[0]
		d, err := e.cmp.eval(ec, pair)
		if err != nil {
			return nil, err
		}
		switch {
		case d == nil:
			sawNull = true
		case e.kind == subAny && d == true:
			return true, nil
		case e.kind == subAll && d == false:
			return false, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.kind == subAll, nil
}

func (b *builder) buildSubLink(sl *pg_query.SubLink, s *scope) (expr, error) {
	sel := sl.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, unsupported("this subquery")
	}
	start := len(b.deferred)
	plan, err := b.buildSelect(sel, s)
	if err != nil {
		return nil, err
	}
	if sl.SubLinkType == pg_query.SubLinkType_EXISTS_SUBLINK {
		if simple := simplifyExists(sel); simple != nil {
			// PostgreSQL never evaluates an EXISTS subquery's select
			// list (simplify_EXISTS_query): plan it as SELECT 1, its
			// errors checked above.
			for _, f := range b.deferred[start:] {
				f.dead = true
			}
			if plan, err = b.buildSelect(simple, s); err != nil {
				return nil, err
			}
		}
	}
	out := &subqueryExpr{plan: plan, correlated: b.isCorrelated(sel)}
	if b.deferDepth > 0 {
		// Failed folds inside the subquery are dropped with it.
		out.deferred = slices.Clone(b.deferred[start:])
	}
	cols := plan.columns()
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		out.kind, out.t = subExists, types.Bool
		return out, nil
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		out.kind, out.t = subArray, types.ArrayOf(cols[0].t)
		return out, nil
	case pg_query.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		out.kind, out.t = subScalar, cols[0].t
		return out, nil
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns")
		}
		out.kind, out.t = subAny, types.Bool
		if sl.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK {
			out.kind = subAll
		}
		op := "="
		if len(sl.OperName) > 0 {
			op = sl.OperName[len(sl.OperName)-1].GetString_().GetSval()
		}
		if out.test, err = b.buildExpr(sl.Testexpr, s); err != nil {
			return nil, err
		}
		lt := out.test.typ()
		if lt.Family == types.UnknownFamily {
			lt = cols[0].t
			if out.test, err = b.coerce(out.test, lt, "IN"); err != nil {
				return nil, err
			}
		}
		if out.cmp, err = b.binaryOp(op, &colRef{idx: 0, t: lt}, &colRef{idx: 1, t: cols[0].t}); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, unsupported("subquery type " + sl.SubLinkType.String())
}

// isCorrelated reports whether a subquery may reference enclosing
// queries. It is conservative: any column reference that the subquery's
// own FROM items do not obviously provide counts. Treating an
// uncorrelated subquery as correlated only costs time.
func (b *builder) isCorrelated(sel *pg_query.SelectStmt) bool {
	correlated, viaCTE := false, false
	walkNode(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, func(n *pg_query.Node) bool {
		if viaCTE {
			return false
		}
		if rv := n.GetRangeVar(); rv != nil && rv.Schemaname == "" {
			// A WITH query of an enclosing query that reads its
			// enclosing queries' columns (see cteItem): re-planning
			// would not tell, as the WITH query is planned already.
			if c := b.lookupCTE(rv.Relname); c != nil && c.correlated {
				viaCTE = true
				return false
			}
		}
		if cr := n.GetColumnRef(); cr != nil {
			// Qualified references to a name not defined inside, and any
			// unqualified reference, might be outer. Resolve precisely by
			// re-planning without a parent: if that fails, it is correlated.
			correlated = true
		}
		return true
	})
	if viaCTE {
		return true
	}
	if !correlated {
		return false
	}
	nb := &builder{ctx: b.ctx, sess: b.sess, cat: b.cat, params: b.params, ctes: b.ctes}
	_, err := nb.buildSelect(sel, nil)
	return err != nil
}

// buildArrayAnyAll builds x op ANY(array-valued expression).
func (b *builder) buildArrayAnyAll(op string, l expr, a *pg_query.A_Expr, s *scope) (expr, error) {
	arr, err := b.buildExpr(a.Rexpr, s)
	if err != nil {
		return nil, err
	}
	at := arr.typ()
	if at.Family == types.UnknownFamily {
		et := l.typ()
		if et.Family == types.UnknownFamily {
			et = types.Text
		}
		if arr, err = b.coerce(arr, types.ArrayOf(et), "ANY"); err != nil {
			return nil, err
		}
		at = arr.typ()
	}
	if at.Family != types.ArrayFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires array on right side")
	}
	cmp, err := b.binaryOp(op, &colRef{idx: 0, t: l.typ()}, &colRef{idx: 1, t: *at.Elem})
	if err != nil {
		return nil, err
	}
	all := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL
	return &goFuncExpr{name: "any", args: []expr{l, arr}, t: types.Bool, calledOnNull: true,
		fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if args[1] == nil {
				return nil, nil
			}
			sawNull := false
			pair := row{args[0], nil}
			for _, el := range args[1].(*types.Array).Elems {
				pair[1] = el
				d, err := cmp.eval(ec, pair)
				if err != nil {
					return nil, err
				}
				switch {
				case d == nil:
					sawNull = true
				case !all && d == true:
					return true, nil
				case all && d == false:
					return false, nil
				}
			}
			if sawNull {
				return nil, nil
			}
			return all, nil
		}}, nil
}

// simplifyExists is simplify_EXISTS_query: for a subquery whose rows'
// number does not depend on its select list, GROUP BY, DISTINCT, ORDER
// BY, window clause or a positive constant LIMIT, the same query with
// SELECT 1 and none of those; nil when it does (set operations, VALUES,
// aggregates, window functions, set-returning functions, HAVING, OFFSET,
// another LIMIT).
func simplifyExists(sel *pg_query.SelectStmt) *pg_query.SelectStmt {
	if sel.Op != pg_query.SetOperation_SETOP_NONE || len(sel.ValuesLists) > 0 || sel.HavingClause != nil ||
		sel.LimitOffset != nil || len(sel.LockingClause) > 0 || sel.WithClause != nil ||
		hasAggregate(sel.TargetList) || hasAggregateSort(sel.SortClause) || findWindowCall(sel.TargetList) != nil ||
		findSRFCall(sel.TargetList...) != nil {
		return nil
	}
	if sel.LimitCount != nil {
		c := sel.LimitCount.GetAConst()
		if c == nil || !c.Isnull && (c.GetIval() == nil || c.GetIval().Ival <= 0) {
			return nil
		}
	}
	for _, g := range sel.GroupClause {
		if containsAggregate(g) {
			return nil
		}
	}
	simple := proto.Clone(sel).(*pg_query.SelectStmt)
	one := &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Ival{Ival: &pg_query.Integer{Ival: 1}}}}}
	simple.TargetList = []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: one}}}}
	simple.DistinctClause, simple.GroupClause, simple.SortClause, simple.WindowClause = nil, nil, nil, nil
	simple.LimitCount, simple.LimitOption = nil, pg_query.LimitOption_LIMIT_OPTION_DEFAULT
	return simple
}
