package exec

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

type subqueryKind int

// SubqueryExpr is EXISTS (...), (SELECT ...), x op ANY (...) or
// x op ALL (...). An uncorrelated subquery runs once per statement.
type SubqueryExpr struct {
	Kind subqueryKind
	Plan Node
	// test is the left operand of ANY/ALL; cmp compares the operand
	// (column 0 of its row) with a subquery value (column 1).
	Test       Expr
	Cmp        Expr
	T          types.T
	Correlated bool
	// deferred are the failed constant folds of the subquery's plan,
	// raised only if the subquery is not dropped (deferred.go).
	Deferred []*FoldFailure
}

func (e *SubqueryExpr) Typ() types.T { return e.T }

func (e *SubqueryExpr) rows(ec *Ctx, r Row) ([]Row, error) {
	if !e.Correlated {
		if rows, ok := ec.subqueryRows[e]; ok {
			return rows, nil
		}
	}
	ec.Outer = append(ec.Outer, r)
	rows, held, err := CollectHeld(ec, e.Plan)
	ec.Outer = ec.Outer[:len(ec.Outer)-1]
	if err != nil {
		return nil, err
	}
	if e.Correlated {
		// Used for this row only: not held past it (an uncorrelated
		// subquery's rows are kept for the statement, and stay
		// accounted).
		ec.Mem.Shrink(held)
	} else {
		if ec.subqueryRows == nil {
			ec.subqueryRows = map[*SubqueryExpr][]Row{}
		}
		ec.subqueryRows[e] = rows
	}
	return rows, nil
}

func (e *SubqueryExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	rows, err := e.rows(ec, r)
	if err != nil {
		return nil, err
	}
	switch e.Kind {
	case SubExists:
		return len(rows) > 0, nil
	case SubArray:
		out := &types.Array{Elem: *e.T.Elem, Elems: make([]types.Datum, len(rows))}
		for i, r := range rows {
			out.Elems[i] = r[0]
		}
		return out, nil
	case SubScalar:
		if len(rows) == 0 {
			return nil, nil
		}
		if len(rows) > 1 {
			return nil, pgerror.New(pgerror.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
		return rows[0][0], nil
	}
	x, err := e.Test.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	sawNull := false
	pair := make(Row, 2)
	pair[0] = x
	for _, sr := range rows {
		pair[1] = sr[0]
		d, err := e.Cmp.Eval(ec, pair)
		if err != nil {
			return nil, err
		}
		switch {
		case d == nil:
			sawNull = true
		case e.Kind == SubAny && d == true:
			return true, nil
		case e.Kind == SubAll && d == false:
			return false, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.Kind == SubAll, nil
}

// FieldExpr is (record).field: one column of a record whose columns are
// known when planning (a function returning a row, such as
// _pg_expandarray, or a subquery column holding one).
type FieldExpr struct {
	E   Expr
	Idx int
	T   types.T
}

func (e *FieldExpr) Typ() types.T { return e.T }

func (e *FieldExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.E.Eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	rec, ok := d.([]any)
	if !ok || e.Idx >= len(rec) {
		return nil, pgerror.New(pgerror.InternalError, "field selection on a value that is not a record")
	}
	return rec[e.Idx], nil
}

const (
	SubExists subqueryKind = iota
	SubScalar
	SubAny
	SubAll
	SubArray
)

// FoldFailure is one constant subexpression whose evaluation failed while
// planning. dead is set when the expression holding it was dropped.
type FoldFailure struct {
	Err  error
	Dead bool
}

// ErrorConst stands for a constant whose folding failed; it evaluates to
// its error. Several errorConsts (of different types) share one failure
// when a failure propagates up through folding.
type ErrorConst struct {
	F *FoldFailure
	T types.T
}

func (e *ErrorConst) Typ() types.T { return e.T }

func (e *ErrorConst) Eval(*Ctx, Row) (types.Datum, error) { return nil, e.F.Err }
