package sql

import "github.com/quorumdb/quorumdb/sql/exec"

// mapExpr rebuilds e bottom-up, replacing each node for which f returns
// (replacement, true). Nodes are copied, never mutated, because plans
// may share subexpressions.
func mapExpr(e exec.Expr, f func(exec.Expr) (exec.Expr, bool)) exec.Expr {
	if e == nil {
		return nil
	}
	if r, ok := f(e); ok {
		return r
	}
	m := func(x exec.Expr) exec.Expr { return mapExpr(x, f) }
	ms := func(xs []exec.Expr) []exec.Expr {
		out := make([]exec.Expr, len(xs))
		for i, x := range xs {
			out[i] = m(x)
		}
		return out
	}
	switch v := e.(type) {
	case *exec.CastExpr:
		c := *v
		c.E = m(v.E)
		return &c
	case *exec.FuncExpr:
		c := *v
		c.Args = ms(v.Args)
		return &c
	case *goFuncExpr:
		c := *v
		c.args = ms(v.args)
		return &c
	case *exec.AndExpr:
		return &exec.AndExpr{L: m(v.L), R: m(v.R)}
	case *exec.OrExpr:
		return &exec.OrExpr{L: m(v.L), R: m(v.R)}
	case *exec.NotExpr:
		return &exec.NotExpr{E: m(v.E)}
	case *exec.IsNullExpr:
		return &exec.IsNullExpr{E: m(v.E), Not: v.Not}
	case *exec.IsBoolExpr:
		c := *v
		c.E = m(v.E)
		return &c
	case *exec.CaseExpr:
		c := &exec.CaseExpr{Whens: ms(v.Whens), Thens: ms(v.Thens), T: v.T}
		if v.Els != nil {
			c.Els = m(v.Els)
		}
		return c
	case *exec.CaseOperandExpr:
		return &exec.CaseOperandExpr{Operand: m(v.Operand), Slot: v.Slot, Body: m(v.Body)}
	case *exec.CoalesceExpr:
		return &exec.CoalesceExpr{Args: ms(v.Args), T: v.T}
	case *exec.NullifExpr:
		return &exec.NullifExpr{A: m(v.A), Slot: v.Slot, Eq: m(v.Eq)}
	case *exec.GreatestExpr:
		return &exec.GreatestExpr{Args: ms(v.Args), T: v.T, Least: v.Least}
	case *exec.InListExpr:
		return &exec.InListExpr{Cmps: ms(v.Cmps), Not: v.Not}
	case *exec.DistinctFromExpr:
		return &exec.DistinctFromExpr{A: m(v.A), B: m(v.B), Sa: v.Sa, Sb: v.Sb, Eq: m(v.Eq), Not: v.Not}
	case *exec.ArrayExpr:
		return &exec.ArrayExpr{Elems: ms(v.Elems), T: v.T}
	case *exec.RowExpr:
		return &exec.RowExpr{Fields: ms(v.Fields), Names: v.Names}
	case *exec.FieldExpr:
		return &exec.FieldExpr{E: m(v.E), Idx: v.Idx, T: v.T}
	case *userFuncCall:
		return &userFuncCall{f: v.f, args: ms(v.args)}
	case *exec.SubqueryExpr:
		c := *v
		if v.Test != nil {
			c.Test = m(v.Test)
		}
		return &c
	}
	return e
}

// visitExpr calls f for every node of e (pre-order).
func visitExpr(e exec.Expr, f func(exec.Expr)) {
	mapExpr(e, func(x exec.Expr) (exec.Expr, bool) {
		f(x)
		return nil, false
	})
}

// exprColumns returns the level-0 columns e reads; opaque is true when e
// contains a subquery (whose correlated references depend on the row
// layout and cannot be moved).
func exprColumns(e exec.Expr) (cols map[int]bool, opaque bool) {
	cols = map[int]bool{}
	visitExpr(e, func(x exec.Expr) {
		switch v := x.(type) {
		case *exec.ColRef:
			if v.Level == 0 {
				cols[v.Idx] = true
			}
		case *exec.SubqueryExpr:
			opaque = true
		}
	})
	return cols, opaque
}

// shiftCols moves level-0 column references by delta.
func shiftCols(e exec.Expr, delta int) exec.Expr {
	if delta == 0 {
		return e
	}
	return mapExpr(e, func(x exec.Expr) (exec.Expr, bool) {
		if r, ok := x.(*exec.ColRef); ok && r.Level == 0 {
			c := *r
			c.Idx += delta
			return &c, true
		}
		return nil, false
	})
}

// remapCols moves level-0 column references through pos.
func remapCols(e exec.Expr, pos map[int]int) exec.Expr {
	return mapExpr(e, func(x exec.Expr) (exec.Expr, bool) {
		if r, ok := x.(*exec.ColRef); ok && r.Level == 0 {
			c := *r
			c.Idx = pos[r.Idx]
			return &c, true
		}
		return nil, false
	})
}
