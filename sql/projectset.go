package sql

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Set-returning functions in the select list follow PostgreSQL 10's
// rules: they run after WHERE, grouping, aggregation and window
// functions and before DISTINCT, ORDER BY and LIMIT, in a ProjectSet
// node. All calls of one level run in lockstep over each input row: the
// row repeats as many times as the longest call has rows, shorter calls
// padded with NULL, and a row for which every call is empty disappears.
// A call among another call's arguments runs one level lower, so its
// every row feeds the outer call separately.

// srfInfo collects the set-returning calls of one select list.
type srfInfo struct {
	calls []*srfCall
}

// srfCall is one set-returning call of a select list.
type srfCall struct {
	def *srfDef
	// level is 1 for a call whose arguments hold no other call, else one
	// more than the deepest call among them.
	level int
	// idx is the call's column in the rows its ProjectSet produces.
	idx int
}

// srfRef reads a set-returning call's current value from the row.
type srfRef struct {
	call *srfCall
	t    types.T
}

func (e *srfRef) Typ() types.T { return e.t }
func (e *srfRef) Eval(_ *exec.Ctx, r exec.Row) (types.Datum, error) {
	return r[e.call.idx], nil
}

// buildSRFCall registers a set-returning call found while building the
// select list of s and returns the reference to its value.
func (b *builder) buildSRFCall(f *pg_query.FuncCall, name string, args []exec.Expr, s *scope) (exec.Expr, error) {
	if s.srf == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed here").WithPosition(int(f.Location) + 1)
	}
	if jsonPopulateFuncs[name] && len(args) == 2 && args[0].Typ().Family == types.RecordFamily && args[0].Typ().Fields == nil {
		// Raised where PostgreSQL's executor finds out, without a position.
		return nil, builtins.ErrRowTypeUnknown(name)
	}
	def, err := b.resolveSRF(name, args)
	if err == nil && name == "unnest" && len(args) > 1 {
		// unnest of several arrays exists only in FROM.
		err = builtins.NoFunctionError(name, argTypesOf(args))
	}
	if err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 {
			pe.Position = int(f.Location) + 1
		}
		return nil, err
	}
	call := &srfCall{def: def, level: 1}
	for _, a := range def.args {
		visitExpr(a, func(x exec.Expr) {
			if r, ok := x.(*srfRef); ok && r.call.level >= call.level {
				call.level = r.call.level + 1
			}
		})
	}
	s.srf.calls = append(s.srf.calls, call)
	return &srfRef{call: call, t: def.resultType()}, nil
}

// planProjectSets stacks one ProjectSet per level of calls on input;
// each passes its input columns through and appends its calls' values.
func planProjectSets(input exec.Node, info *srfInfo) exec.Node {
	for level := 1; ; level++ {
		var calls []*srfCall
		for _, c := range info.calls {
			if c.level == level {
				calls = append(calls, c)
			}
		}
		if len(calls) == 0 {
			return input
		}
		cols := append([]exec.Column(nil), input.Columns()...)
		for _, c := range calls {
			c.idx = len(cols)
			cols = append(cols, exec.Column{Name: c.def.name, T: c.def.resultType()})
		}
		input = &projectSetNode{input: input, calls: calls, cols: cols}
	}
}

// projectSetNode evaluates one level of set-returning calls per input
// row, in lockstep.
type projectSetNode struct {
	input exec.Node
	calls []*srfCall
	cols  []exec.Column
}

func (n *projectSetNode) Columns() []exec.Column { return n.cols }
func (n *projectSetNode) Exec(ec *exec.Ctx) (exec.Iter, error) {
	in, err := n.input.Exec(ec)
	if err != nil {
		return nil, err
	}
	var cur exec.Row
	results := make([][]exec.Row, len(n.calls))
	pos, count := 0, 0
	return &exec.FuncIter{Fn: func() (exec.Row, error) {
		for pos >= count {
			r, err := in.Next()
			if err != nil || r == nil {
				return nil, err
			}
			cur, pos, count = r, 0, 0
			for i, c := range n.calls {
				if results[i], err = c.def.rows(ec, r); err != nil {
					return nil, err
				}
				count = max(count, len(results[i]))
			}
		}
		out := make(exec.Row, len(n.cols))
		copy(out, cur)
		for i, c := range n.calls {
			if pos < len(results[i]) {
				out[c.idx] = srfValue(results[i][pos])
			}
		}
		pos++
		return out, nil
	}, CloseFn: in.Close}, nil
}

// srfValue is one produced row as a single value: the column itself, or
// a record of a multi-column function's columns.
func srfValue(r exec.Row) types.Datum {
	if len(r) == 1 {
		return r[0]
	}
	return []any(r)
}

// findSRFCall returns the first set-returning call in nodes, outside
// subqueries (which are queries of their own).
func findSRFCall(nodes ...*pg_query.Node) *pg_query.FuncCall {
	var found *pg_query.FuncCall
	for _, n := range nodes {
		if n == nil || plainValue(n) {
			continue
		}
		walkNode(n, func(n *pg_query.Node) bool {
			if found != nil || n.GetSubLink() != nil {
				return false
			}
			if fc := n.GetFuncCall(); fc != nil {
				if _, name := funcName(fc.Funcname); setReturningFuncs[name] {
					found = fc
					return false
				}
			}
			return true
		})
	}
	return found
}

// rejectSRF reports PostgreSQL's error for a set-returning call in a
// clause that cannot hold one ("set-returning functions are not allowed
// in WHERE").
func rejectSRF(clause string, nodes ...*pg_query.Node) error {
	fc := findSRFCall(nodes...)
	if fc == nil {
		return nil
	}
	return pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed in %s", clause).WithPosition(int(fc.Location) + 1)
}

// rejectSRFInExpr is rejectSRF for CASE and COALESCE, whose calls
// PostgreSQL refuses with a hint to use LATERAL.
func rejectSRFInExpr(clause string, nodes ...*pg_query.Node) error {
	fc := findSRFCall(nodes...)
	if fc == nil {
		return nil
	}
	msg := "set-returning functions are not allowed in " + clause
	switch clause {
	case "aggregate":
		msg = "aggregate function calls cannot contain set-returning function calls"
	case "window arguments":
		msg = "window function calls cannot contain set-returning function calls"
	}
	return pgerror.New(pgerror.FeatureNotSupported, "%s", msg).WithPosition(int(fc.Location) + 1).
		WithHint("You might be able to move the set-returning function into a LATERAL FROM item.")
}

// rejectSRFInCase reports PostgreSQL's errors for a set-returning call in
// CASE: in a WHEN condition it is a set-valued boolean, anywhere else a
// call CASE cannot hold.
func rejectSRFInCase(c *pg_query.CaseExpr) error {
	for _, w := range c.Args {
		if fc := findSRFCall(w.GetCaseWhen().GetExpr()); fc != nil {
			return pgerror.New(pgerror.DatatypeMismatch, "argument of CASE/WHEN must not return a set").WithPosition(int(fc.Location) + 1)
		}
	}
	nodes := []*pg_query.Node{c.Arg, c.Defresult}
	for _, w := range c.Args {
		nodes = append(nodes, w.GetCaseWhen().GetResult())
	}
	return rejectSRFInExpr("CASE", nodes...)
}

// rejectSRFInWindow refuses a set-returning call in a window call's
// arguments (as PostgreSQL does) or in its window definition (which
// PostgreSQL evaluates below the window; quorumdb runs every
// set-returning call after the window functions).
func rejectSRFInWindow(f *pg_query.FuncCall) error {
	if err := rejectSRFInExpr("window arguments", append(slices.Clone(f.Args), f.AggFilter)...); err != nil {
		return err
	}
	if fc := findSRFCall(append(slices.Clone(f.Over.PartitionClause), f.Over.OrderClause...)...); fc != nil {
		return pgerror.New(pgerror.FeatureNotSupported, "set-returning functions in window definitions are not supported").WithPosition(int(fc.Location) + 1)
	}
	return nil
}

// valuesRowAsSelect turns VALUES (a, b) into SELECT a, b.
func valuesRowAsSelect(sel *pg_query.SelectStmt) *pg_query.SelectStmt {
	items := sel.ValuesLists[0].GetList().GetItems()
	out := &pg_query.SelectStmt{WithClause: sel.WithClause, Op: pg_query.SetOperation_SETOP_NONE, LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT}
	for _, it := range items {
		out.TargetList = append(out.TargetList, &pg_query.Node{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: it}}})
	}
	return out
}

// plainValue reports whether n is a constant, a parameter, DEFAULT, a
// cast of one or a list of them: nothing to walk for function calls. A
// driver's multi-row INSERT is thousands of these, and walking them by
// reflection cost more than planning them.
func plainValue(n *pg_query.Node) bool {
	switch v := n.Node.(type) {
	case *pg_query.Node_AConst, *pg_query.Node_ParamRef, *pg_query.Node_SetToDefault:
		return true
	case *pg_query.Node_TypeCast:
		return v.TypeCast.Arg != nil && plainValue(v.TypeCast.Arg)
	case *pg_query.Node_List:
		for _, it := range v.List.Items {
			if it == nil || !plainValue(it) {
				return false
			}
		}
		return true
	}
	return false
}
