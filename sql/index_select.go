package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// indexCond is a conjunct of the form "column op value" or "expression
// op value" where value does not read the scanned row; col is -1 for an
// expression, which may match an expression index's key.
type indexCond struct {
	col int
	lhs exec.Expr
	op  string
	val exec.Expr
}

var flipOp = map[string]string{"=": "=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}

// asIndexCond recognizes col op value and value op col.
func asIndexCond(e exec.Expr) (indexCond, bool) {
	f, ok := e.(*exec.FuncExpr)
	if !ok || len(f.Args) != 2 {
		return indexCond{}, false
	}
	if _, ok := flipOp[f.Name]; !ok {
		return indexCond{}, false
	}
	try := func(c, v exec.Expr, op string) (indexCond, bool) {
		c = unwrapLosslessCast(c)
		if cols, opaque := exprColumns(v); opaque || len(cols) > 0 {
			return indexCond{}, false
		}
		// Only same-family comparisons map onto the key encoding exactly.
		if c.Typ().Family != v.Typ().Family && v.Typ().Family != types.UnknownFamily {
			return indexCond{}, false
		}
		if ref, ok := c.(*exec.ColRef); ok {
			if ref.Level != 0 {
				return indexCond{}, false
			}
			return indexCond{col: ref.Idx, lhs: ref, op: op, val: v}, true
		}
		if cols, opaque := exprColumns(c); opaque || len(cols) == 0 {
			return indexCond{}, false
		}
		return indexCond{col: -1, lhs: c, op: op, val: v}, true
	}
	if c, ok := try(f.Args[0], f.Args[1], f.Name); ok {
		return c, true
	}
	return try(f.Args[1], f.Args[0], flipOp[f.Name])
}

// chooseIndex sets sc's index and constraint from the conjuncts: the
// index with the most leading equality columns wins (the primary index on
// ties), then a range on the next column. An expression key element
// matches a conjunct comparing the same expression; a partial index is a
// candidate only when the conjuncts imply its predicate.
func (b *builder) chooseIndex(sc *exec.ScanNode, conjuncts []exec.Expr) {
	var conds []indexCond
	for _, c := range conjuncts {
		if ic, ok := asIndexCond(c); ok {
			conds = append(conds, ic)
		}
	}
	if len(conds) == 0 {
		return
	}
	t := sc.Table
	bestScore := 0
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		var ci *compiledIndex
		if !idx.Plain() {
			var err error
			if ci, err = b.compileIndex(t, idx); err != nil {
				continue
			}
			if ci.pred != nil && !impliesPredicate(conjuncts, ci.pred) {
				continue
			}
		}
		// matches reports whether c constrains key element k.
		matches := func(c indexCond, k int) bool {
			if id := idx.ColumnIDs[k]; id != 0 {
				return c.col == t.ColumnIndexByID(id)
			}
			return c.col < 0 && sameExpr(c.lhs, ci.exprs[idx.ExprOrdinal(k)])
		}
		var eq []exec.Expr
		for k := range idx.ColumnIDs {
			var found exec.Expr
			for _, c := range conds {
				if matches(c, k) && c.op == "=" {
					found = c.val
					break
				}
			}
			if found == nil {
				break
			}
			eq = append(eq, found)
		}
		score := len(eq) * 4
		if idx.Primary && len(eq) == len(idx.ColumnIDs) {
			score += 100
		}
		var lo, hi exec.Expr
		var loIncl, hiIncl bool
		if len(eq) < len(idx.ColumnIDs) && !(len(idx.Desc) > len(eq) && idx.Desc[len(eq)]) {
			for _, c := range conds {
				if !matches(c, len(eq)) {
					continue
				}
				switch c.op {
				case ">", ">=":
					lo, loIncl = c.val, c.op == ">="
				case "<", "<=":
					hi, hiIncl = c.val, c.op == "<="
				}
			}
			if lo != nil {
				score++
			}
			if hi != nil {
				score++
			}
		}
		if idx.Primary && score > 0 {
			score++
		}
		if score > bestScore {
			bestScore = score
			sc.Index, sc.Eq, sc.Lo, sc.Hi, sc.LoIncl, sc.HiIncl = idx, eq, lo, hi, loIncl, hiIncl
		}
	}
}

// unwrapLosslessCast strips casts that keep values and their order (a
// column widened from int4 to int8 for a comparison), so the comparison
// can still use the column's index.
func unwrapLosslessCast(e exec.Expr) exec.Expr {
	c, ok := e.(*exec.CastExpr)
	if !ok {
		return e
	}
	from, to := c.E.Typ(), c.T
	switch {
	case from.Family == types.IntFamily && to.Family == types.IntFamily:
	case from.Family == types.StringFamily && to.Oid == types.OidText && from.Oid != types.OidBPChar:
	default:
		return e
	}
	if _, isCol := c.E.(*exec.ColRef); isCol {
		return c.E
	}
	return e
}
