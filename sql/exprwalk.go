package sql

// mapExpr rebuilds e bottom-up, replacing each node for which f returns
// (replacement, true). Nodes are copied, never mutated, because plans
// may share subexpressions.
func mapExpr(e expr, f func(expr) (expr, bool)) expr {
	if e == nil {
		return nil
	}
	if r, ok := f(e); ok {
		return r
	}
	m := func(x expr) expr { return mapExpr(x, f) }
	ms := func(xs []expr) []expr {
		out := make([]expr, len(xs))
		for i, x := range xs {
			out[i] = m(x)
		}
		return out
	}
	switch v := e.(type) {
	case *castExpr:
		c := *v
		c.e = m(v.e)
		return &c
	case *funcExpr:
		c := *v
		c.args = ms(v.args)
		return &c
	case *goFuncExpr:
		c := *v
		c.args = ms(v.args)
		return &c
	case *andExpr:
		return &andExpr{l: m(v.l), r: m(v.r)}
	case *orExpr:
		return &orExpr{l: m(v.l), r: m(v.r)}
	case *notExpr:
		return &notExpr{e: m(v.e)}
	case *isNullExpr:
		return &isNullExpr{e: m(v.e), not: v.not}
	case *isBoolExpr:
		c := *v
		c.e = m(v.e)
		return &c
	case *caseExpr:
		c := &caseExpr{whens: ms(v.whens), thens: ms(v.thens), t: v.t}
		if v.els != nil {
			c.els = m(v.els)
		}
		return c
	case *caseOperandExpr:
		return &caseOperandExpr{operand: m(v.operand), slot: v.slot, body: m(v.body)}
	case *coalesceExpr:
		return &coalesceExpr{args: ms(v.args), t: v.t}
	case *nullifExpr:
		return &nullifExpr{a: m(v.a), slot: v.slot, eq: m(v.eq)}
	case *greatestExpr:
		return &greatestExpr{args: ms(v.args), t: v.t, least: v.least}
	case *inListExpr:
		return &inListExpr{cmps: ms(v.cmps), not: v.not}
	case *distinctFromExpr:
		return &distinctFromExpr{a: m(v.a), b: m(v.b), sa: v.sa, sb: v.sb, eq: m(v.eq), not: v.not}
	case *arrayExpr:
		return &arrayExpr{elems: ms(v.elems), t: v.t}
	case *rowExpr:
		return &rowExpr{fields: ms(v.fields)}
	case *fieldExpr:
		return &fieldExpr{e: m(v.e), idx: v.idx, t: v.t}
	case *userFuncCall:
		return &userFuncCall{f: v.f, args: ms(v.args)}
	case *subqueryExpr:
		c := *v
		if v.test != nil {
			c.test = m(v.test)
		}
		return &c
	}
	return e
}

// visitExpr calls f for every node of e (pre-order).
func visitExpr(e expr, f func(expr)) {
	mapExpr(e, func(x expr) (expr, bool) {
		f(x)
		return nil, false
	})
}

// exprColumns returns the level-0 columns e reads; opaque is true when e
// contains a subquery (whose correlated references depend on the row
// layout and cannot be moved).
func exprColumns(e expr) (cols map[int]bool, opaque bool) {
	cols = map[int]bool{}
	visitExpr(e, func(x expr) {
		switch v := x.(type) {
		case *colRef:
			if v.level == 0 {
				cols[v.idx] = true
			}
		case *subqueryExpr:
			opaque = true
		}
	})
	return cols, opaque
}

// shiftCols moves level-0 column references by delta.
func shiftCols(e expr, delta int) expr {
	if delta == 0 {
		return e
	}
	return mapExpr(e, func(x expr) (expr, bool) {
		if r, ok := x.(*colRef); ok && r.level == 0 {
			c := *r
			c.idx += delta
			return &c, true
		}
		return nil, false
	})
}

// remapCols moves level-0 column references through pos.
func remapCols(e expr, pos map[int]int) expr {
	return mapExpr(e, func(x expr) (expr, bool) {
		if r, ok := x.(*colRef); ok && r.level == 0 {
			c := *r
			c.idx = pos[r.idx]
			return &c, true
		}
		return nil, false
	})
}
