package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// LATERAL: a FROM item that may read the columns of the items before it
// (a LATERAL subquery, or a function call, which is implicitly lateral).
// It is planned with those items' columns as the enclosing scope, so its
// references to them are outer references (level 1), and it runs once
// per row of the items before it, like a correlated subquery.

// lateralJoinNode joins each left row with the rows the right plan
// produces for it; LEFT keeps left rows without a match.
type lateralJoinNode struct {
	kind        exec.JoinKind // joinInner or joinLeft
	left, right exec.Node
	on          exec.Expr // over the concatenated row; nil: true
	cols        []exec.Column
}

func (n *lateralJoinNode) Columns() []exec.Column { return n.cols }

func (n *lateralJoinNode) Exec(ec *exec.Ctx) (exec.Iter, error) {
	lrows, err := exec.Collect(ec, n.left)
	if err != nil {
		return nil, err
	}
	rightWidth := len(n.right.Columns())
	var out []exec.Row
	for _, lr := range lrows {
		ec.Outer = append(ec.Outer, lr)
		rrows, err := exec.Collect(ec, n.right)
		ec.Outer = ec.Outer[:len(ec.Outer)-1]
		if err != nil {
			return nil, err
		}
		matched := false
		for _, rr := range rrows {
			joined := append(append(make(exec.Row, 0, len(lr)+len(rr)), lr...), rr...)
			if n.on != nil {
				ok, err := n.on.Eval(ec, joined)
				if err != nil {
					return nil, err
				}
				if ok != true {
					continue
				}
			}
			matched = true
			out = append(out, joined)
		}
		if !matched && n.kind == exec.JoinLeft {
			out = append(out, append(append(make(exec.Row, 0, len(lr)+rightWidth), lr...), make(exec.Row, rightWidth)...))
		}
	}
	return &exec.SliceIter{Rows: out}, nil
}

// isLateral reports FROM items that may refer to the items before them.
func isLateral(n *pg_query.Node) bool {
	switch v := n.Node.(type) {
	case *pg_query.Node_RangeSubselect:
		return v.RangeSubselect.Lateral
	case *pg_query.Node_RangeFunction:
		return true
	}
	return false
}

// buildLateralItem plans n with left's columns visible. A function call
// that does not use them is planned as an ordinary FROM item (evaluated
// once), and so is a subquery; ok is false then.
func (b *builder) buildLateralItem(n *pg_query.Node, left fromItem, parent *scope) (it fromItem, ok bool, err error) {
	leftScope := &scope{cols: left.cols, parent: parent}
	switch v := n.Node.(type) {
	case *pg_query.Node_RangeSubselect:
		rs := v.RangeSubselect
		p, err := b.buildSelect(rs.Subquery.GetSelectStmt(), leftScope)
		if err != nil {
			return fromItem{}, false, err
		}
		alias := ""
		var colNames []*pg_query.Node
		if rs.Alias != nil {
			alias, colNames = rs.Alias.Aliasname, rs.Alias.Colnames
		}
		return aliasItem(fromItem{plan: p, cols: p.Columns()}, alias, colNames), true, nil
	case *pg_query.Node_RangeFunction:
		it, err := b.buildRangeFunction(v.RangeFunction, leftScope)
		if err != nil {
			return fromItem{}, false, err
		}
		if !readsOuterLevel(it.plan, 1) {
			return fromItem{}, false, nil
		}
		return it, true, nil
	}
	return fromItem{}, false, pgerror.New(pgerror.FeatureNotSupported, "LATERAL %s is not supported", nodeName(n))
}

// readsOuterLevel reports whether a function-in-FROM plan's arguments
// refer to the given enclosing level (or contain a subquery, which might).
func readsOuterLevel(p exec.Node, level int) bool {
	rn, ok := p.(*rowsNode)
	if !ok {
		return true
	}
	found := false
	for _, a := range rn.args {
		visitExpr(a, func(x exec.Expr) {
			switch v := x.(type) {
			case *exec.ColRef:
				found = found || v.Level == level
			case *exec.SubqueryExpr:
				found = true
			}
		})
	}
	return found
}

// lateralJoin joins left with a lateral item built against it.
func lateralJoin(kind exec.JoinKind, left, right fromItem, on exec.Expr) fromItem {
	cols := append(append([]exec.Column(nil), left.cols...), right.cols...)
	return fromItem{plan: &lateralJoinNode{kind: kind, left: left.plan, right: right.plan, on: on, cols: cols}, cols: cols}
}

// crossJoinInOrder joins FROM items without conditions, keeping their
// written column order (the layout a following LATERAL item sees).
func (b *builder) crossJoinInOrder(items []fromItem) (fromItem, error) {
	switch len(items) {
	case 0:
		return fromItem{plan: &exec.ValuesNode{Rows: [][]exec.Expr{{}}}}, nil
	case 1:
		return items[0], nil
	}
	p, err := b.joinItems(items, nil)
	if err != nil {
		return fromItem{}, err
	}
	var cols []exec.Column
	for _, it := range items {
		cols = append(cols, it.cols...)
	}
	return fromItem{plan: p, cols: cols}, nil
}

// buildLateralJoin plans "l [INNER|LEFT|CROSS] JOIN LATERAL r ON cond"
// (buildJoinExpr rejects RIGHT and FULL joins that read the left side).
func (b *builder) buildLateralJoin(j *pg_query.JoinExpr, l, r fromItem, parent *scope) (fromItem, error) {
	kind := exec.JoinInner
	if j.Jointype == pg_query.JoinType_JOIN_LEFT {
		kind = exec.JoinLeft
	}
	if len(j.UsingClause) > 0 || j.IsNatural {
		return fromItem{}, unsupported("USING or NATURAL with a LATERAL item")
	}
	it := lateralJoin(kind, l, r, nil)
	if j.Quals != nil {
		if err := rejectSRF("JOIN conditions", j.Quals); err != nil {
			return fromItem{}, err
		}
		s := &scope{cols: it.cols, parent: parent}
		q, err := b.buildExpr(j.Quals, s)
		if err != nil {
			return fromItem{}, err
		}
		if q, err = b.requireBool(q, "JOIN/ON"); err != nil {
			return fromItem{}, err
		}
		it.plan.(*lateralJoinNode).on = q
	}
	if j.Alias != nil {
		it = aliasItem(it, j.Alias.Aliasname, j.Alias.Colnames)
	}
	return it, nil
}
