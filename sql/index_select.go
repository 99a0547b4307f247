package sql

import "github.com/quorumdb/quorumdb/sql/types"

// indexCond is a conjunct of the form "column op value" where value does
// not read the scanned row.
type indexCond struct {
	col int
	op  string
	val expr
}

var flipOp = map[string]string{"=": "=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}

// asIndexCond recognizes col op value and value op col.
func asIndexCond(e expr) (indexCond, bool) {
	f, ok := e.(*funcExpr)
	if !ok || len(f.args) != 2 {
		return indexCond{}, false
	}
	if _, ok := flipOp[f.name]; !ok {
		return indexCond{}, false
	}
	try := func(c, v expr, op string) (indexCond, bool) {
		c = unwrapLosslessCast(c)
		ref, ok := c.(*colRef)
		if !ok || ref.level != 0 {
			return indexCond{}, false
		}
		if cols, opaque := exprColumns(v); opaque || len(cols) > 0 {
			return indexCond{}, false
		}
		// Only same-family comparisons map onto the key encoding exactly.
		if ref.t.Family != v.typ().Family && v.typ().Family != types.UnknownFamily {
			return indexCond{}, false
		}
		return indexCond{col: ref.idx, op: op, val: v}, true
	}
	if c, ok := try(f.args[0], f.args[1], f.name); ok {
		return c, true
	}
	return try(f.args[1], f.args[0], flipOp[f.name])
}

// chooseIndex sets sc's index and constraint from the conjuncts: the
// index with the most leading equality columns wins (the primary index on
// ties), then a range on the next column.
func chooseIndex(sc *scanNode, conjuncts []expr) {
	var conds []indexCond
	for _, c := range conjuncts {
		if ic, ok := asIndexCond(c); ok {
			conds = append(conds, ic)
		}
	}
	if len(conds) == 0 {
		return
	}
	t := sc.table
	bestScore := 0
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		var eq []expr
		for _, id := range idx.ColumnIDs {
			col := t.columnIndexByID(id)
			var found expr
			for _, c := range conds {
				if c.col == col && c.op == "=" {
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
		var lo, hi expr
		var loIncl, hiIncl bool
		if len(eq) < len(idx.ColumnIDs) && !(len(idx.Desc) > len(eq) && idx.Desc[len(eq)]) {
			col := t.columnIndexByID(idx.ColumnIDs[len(eq)])
			for _, c := range conds {
				if c.col != col {
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
			sc.index, sc.eq, sc.lo, sc.hi, sc.loIncl, sc.hiIncl = idx, eq, lo, hi, loIncl, hiIncl
		}
	}
}

// unwrapLosslessCast strips casts that keep values and their order (a
// column widened from int4 to int8 for a comparison), so the comparison
// can still use the column's index.
func unwrapLosslessCast(e expr) expr {
	c, ok := e.(*castExpr)
	if !ok {
		return e
	}
	from, to := c.e.typ(), c.t
	switch {
	case from.Family == types.IntFamily && to.Family == types.IntFamily:
	case from.Family == types.StringFamily && to.Oid == types.OidText && from.Oid != types.OidBPChar:
	default:
		return e
	}
	if _, isCol := c.e.(*colRef); isCol {
		return c.e
	}
	return e
}
