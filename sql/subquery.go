package sql

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

func (b *builder) buildSubLink(sl *pg_query.SubLink, s *scope) (exec.Expr, error) {
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
				f.Dead = true
			}
			if plan, err = b.buildSelect(simple, s); err != nil {
				return nil, err
			}
		}
	}
	out := &exec.SubqueryExpr{Plan: plan, Correlated: b.isCorrelated(sel)}
	if b.deferDepth > 0 {
		// Failed folds inside the subquery are dropped with it.
		out.Deferred = slices.Clone(b.deferred[start:])
	}
	cols := plan.Columns()
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		out.Kind, out.T = exec.SubExists, types.Bool
		return out, nil
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		out.Kind, out.T = exec.SubArray, types.ArrayOf(cols[0].T)
		return out, nil
	case pg_query.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column")
		}
		out.Kind, out.T = exec.SubScalar, cols[0].T
		return out, nil
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns")
		}
		out.Kind, out.T = exec.SubAny, types.Bool
		if sl.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK {
			out.Kind = exec.SubAll
		}
		op := "="
		if len(sl.OperName) > 0 {
			op = sl.OperName[len(sl.OperName)-1].GetString_().GetSval()
		}
		if out.Test, err = b.buildExpr(sl.Testexpr, s); err != nil {
			return nil, err
		}
		lt := out.Test.Typ()
		if lt.Family == types.UnknownFamily {
			lt = cols[0].T
			if out.Test, err = b.coerce(out.Test, lt, "IN"); err != nil {
				return nil, err
			}
		}
		if out.Cmp, err = b.binaryOp(op, &exec.ColRef{Idx: 0, T: lt}, &exec.ColRef{Idx: 1, T: cols[0].T}); err != nil {
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
// anyAllYieldsBool refuses x op ANY/ALL (array) whose operator is not a
// comparison (33 * ANY('{1,2}')), as PostgreSQL's make_scalar_array_op
// does, instead of answering with the operator's values.
func anyAllYieldsBool(cmp exec.Expr, a *pg_query.A_Expr) error {
	if t := cmp.Typ(); t.Family != types.BoolFamily && t.Family != types.UnknownFamily {
		return pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires operator to yield boolean").WithPosition(int(a.Location) + 1)
	}
	return nil
}

func (b *builder) buildArrayAnyAll(op string, l exec.Expr, a *pg_query.A_Expr, s *scope) (exec.Expr, error) {
	arr, err := b.buildExpr(a.Rexpr, s)
	if err != nil {
		return nil, err
	}
	at := arr.Typ()
	if at.Family == types.UnknownFamily {
		et := l.Typ()
		if et.Family == types.UnknownFamily {
			et = types.Text
		}
		if arr, err = b.coerce(arr, types.ArrayOf(et), "ANY"); err != nil {
			return nil, err
		}
		at = arr.Typ()
	}
	if at.Family != types.ArrayFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "op ANY/ALL (array) requires array on right side")
	}
	cmp, err := b.binaryOp(op, &exec.ColRef{Idx: 0, T: l.Typ()}, &exec.ColRef{Idx: 1, T: *at.Elem})
	if err != nil {
		return nil, err
	}
	if err := anyAllYieldsBool(cmp, a); err != nil {
		return nil, err
	}
	all := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL
	return &goFuncExpr{name: "any", args: []exec.Expr{l, arr}, t: types.Bool, calledOnNull: true,
		fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if args[1] == nil {
				return nil, nil
			}
			sawNull := false
			pair := exec.Row{args[0], nil}
			for _, el := range args[1].(*types.Array).Elems {
				pair[1] = el
				d, err := cmp.Eval(ec.Ctx, pair)
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
