package exec

import (
	"strconv"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Row is one tuple flowing between plan nodes; NULL is nil.
type Row = []types.Datum

// Expr is a typed scalar expression, built from the parse tree by the
// planner (build_expr.go) and evaluated against a row.
type Expr interface {
	Typ() types.T
	Eval(ec *Ctx, r Row) (types.Datum, error)
}

// ConstExpr is a literal or a folded constant.
type ConstExpr struct {
	Value types.Datum
	T     types.T
	// stable marks a constant folded from a stable expression (see
	// stableNode): PostgreSQL would evaluate it per row, so a fold that
	// uses it and fails is left to run time.
	Stable bool
	// Loc is the 1-based position in the query text of a string literal
	// still of type unknown, 0 otherwise: an error converting it to the
	// type it is given points there, as PostgreSQL's parser reports it.
	Loc int
}

func (e *ConstExpr) Typ() types.T                        { return e.T }
func (e *ConstExpr) Eval(*Ctx, Row) (types.Datum, error) { return e.Value, nil }

// ColRef reads a column of the current row (level 0) or of an enclosing
// query's row (level n: correlated subqueries).
type ColRef struct {
	Idx   int
	Level int
	T     types.T
	Name  string
}

func (e *ColRef) Typ() types.T { return e.T }
func (e *ColRef) Eval(ec *Ctx, r Row) (types.Datum, error) {
	if e.Level == 0 {
		return r[e.Idx], nil
	}
	return ec.Outer[len(ec.Outer)-e.Level][e.Idx], nil
}

// ParamExpr is a $n placeholder; its type is shared with the statement's
// parameter list so that inference in one place is seen everywhere.
type ParamExpr struct {
	Idx int
	Pt  *ParamTypes
}

// Typ is Unknown until context gives the parameter a type, so that
// operator resolution treats it like an untyped literal, as PostgreSQL
// does; Prepare reports still-unknown parameters as text.
func (e *ParamExpr) Typ() types.T { return e.Pt.Types[e.Idx] }
func (e *ParamExpr) Eval(ec *Ctx, _ Row) (types.Datum, error) {
	if e.Idx >= len(ec.Params) {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", e.Idx+1)
	}
	return ec.Params[e.Idx], nil
}

// CastExpr converts its argument to t.
type CastExpr struct {
	E        Expr
	T        types.T
	Explicit bool
}

func (e *CastExpr) Typ() types.T { return e.T }
func (e *CastExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.E.Eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	return types.Cast(d, e.E.Typ(), e.T, e.Explicit, ec.Settings())
}

// FuncExpr calls a resolved builtin function or operator.
type FuncExpr struct {
	Name string
	Ov   *builtins.Overload
	Args []Expr
	T    types.T
}

func (e *FuncExpr) Typ() types.T { return e.T }
func (e *FuncExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	// Every argument is evaluated, as PostgreSQL does, before a strict
	// function's NULL result: NULL + 1/0 is a division by zero.
	var buf [4]types.Datum
	args := buf[:0]
	hasNull := false
	for _, a := range e.Args {
		d, err := a.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		hasNull = hasNull || d == nil
		args = append(args, d)
	}
	if hasNull && !e.Ov.CalledOnNull {
		return nil, nil
	}
	return e.Ov.Fn(ec.BuiltinCtx(), args)
}

// AndExpr and OrExpr implement three-valued logic.
type AndExpr struct{ L, R Expr }
type OrExpr struct{ L, R Expr }
type NotExpr struct{ E Expr }

func (e *AndExpr) Typ() types.T { return types.Bool }
func (e *AndExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	l, err := e.L.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	if l == false {
		return false, nil
	}
	rv, err := e.R.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	if rv == false {
		return false, nil
	}
	if l == nil || rv == nil {
		return nil, nil
	}
	return true, nil
}

func (e *OrExpr) Typ() types.T { return types.Bool }
func (e *OrExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	l, err := e.L.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	if l == true {
		return true, nil
	}
	rv, err := e.R.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	if rv == true {
		return true, nil
	}
	if l == nil || rv == nil {
		return nil, nil
	}
	return false, nil
}

func (e *NotExpr) Typ() types.T { return types.Bool }
func (e *NotExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.E.Eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	return !d.(bool), nil
}

// IsNullExpr is "e IS [NOT] NULL".
type IsNullExpr struct {
	E   Expr
	Not bool
}

func (e *IsNullExpr) Typ() types.T { return types.Bool }
func (e *IsNullExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.E.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	if rec, ok := d.([]any); ok && d != nil {
		// A row is NULL when every field is, NOT NULL when none is.
		all, none := true, true
		for _, f := range rec {
			if f == nil {
				none = false
			} else {
				all = false
			}
		}
		if e.Not {
			return none, nil
		}
		return all, nil
	}
	return (d == nil) != e.Not, nil
}

// IsBoolExpr is "e IS [NOT] TRUE/FALSE/UNKNOWN".
type IsBoolExpr struct {
	E    Expr
	Want types.Datum // true, false or nil (UNKNOWN)
	Not  bool
}

func (e *IsBoolExpr) Typ() types.T { return types.Bool }
func (e *IsBoolExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.E.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	return (d == e.Want) != e.Not, nil
}

// CaseExpr is a searched CASE (operand nil) or a simple CASE whose WHEN
// values were already turned into comparisons with the operand.
type CaseExpr struct {
	Whens []Expr
	Thens []Expr
	Els   Expr
	T     types.T
}

func (e *CaseExpr) Typ() types.T { return e.T }
func (e *CaseExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	for i, w := range e.Whens {
		c, err := w.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		if c == true {
			return e.Thens[i].Eval(ec, r)
		}
	}
	if e.Els == nil {
		return nil, nil
	}
	return e.Els.Eval(ec, r)
}

// CaseOperandExpr evaluates a simple CASE's operand once per row and makes
// it available to the WHEN comparisons through OperandRef.
type CaseOperandExpr struct {
	Operand Expr
	Slot    *types.Datum
	Body    Expr
}

func (e *CaseOperandExpr) Typ() types.T { return e.Body.Typ() }
func (e *CaseOperandExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	d, err := e.Operand.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	saved := *e.Slot
	*e.Slot = d
	v, err := e.Body.Eval(ec, r)
	*e.Slot = saved
	return v, err
}

type OperandRef struct {
	Slot *types.Datum
	T    types.T
}

func (e *OperandRef) Typ() types.T                        { return e.T }
func (e *OperandRef) Eval(*Ctx, Row) (types.Datum, error) { return *e.Slot, nil }

// CoalesceExpr returns its first non-NULL argument.
type CoalesceExpr struct {
	Args []Expr
	T    types.T
}

func (e *CoalesceExpr) Typ() types.T { return e.T }
func (e *CoalesceExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	for _, a := range e.Args {
		d, err := a.Eval(ec, r)
		if err != nil || d != nil {
			return d, err
		}
	}
	return nil, nil
}

// NullifExpr is NULLIF(a, b): NULL when a = b, else a. a is evaluated
// once, into slot, which eq (slot = b) reads.
type NullifExpr struct {
	A    Expr
	Slot *types.Datum
	Eq   Expr
}

func (e *NullifExpr) Typ() types.T { return e.A.Typ() }
func (e *NullifExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	v, err := e.A.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	saved := *e.Slot
	*e.Slot = v
	eq, err := e.Eq.Eval(ec, r)
	*e.Slot = saved
	if err != nil {
		return nil, err
	}
	if eq == true {
		return nil, nil
	}
	return v, nil
}

// GreatestExpr is GREATEST/LEAST: NULLs ignored.
type GreatestExpr struct {
	Args  []Expr
	T     types.T
	Least bool
}

func (e *GreatestExpr) Typ() types.T { return e.T }
func (e *GreatestExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	var best types.Datum
	for _, a := range e.Args {
		d, err := a.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		if best == nil {
			best = d
			continue
		}
		c := types.Compare(e.T, d, best)
		if (e.Least && c < 0) || (!e.Least && c > 0) {
			best = d
		}
	}
	return best, nil
}

// InListExpr is "e [NOT] IN (list)" with one comparison per element.
type InListExpr struct {
	Cmps []Expr // e = list[i]
	Not  bool
}

func (e *InListExpr) Typ() types.T { return types.Bool }
func (e *InListExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	sawNull := false
	for _, c := range e.Cmps {
		d, err := c.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		if d == true {
			return !e.Not, nil
		}
		if d == nil {
			sawNull = true
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.Not, nil
}

// DistinctFromExpr is "a IS [NOT] DISTINCT FROM b". a and b are
// evaluated once, into sa and sb, which eq (sa = sb) reads.
type DistinctFromExpr struct {
	A, B   Expr
	Sa, Sb *types.Datum
	Eq     Expr
	Not    bool
}

func (e *DistinctFromExpr) Typ() types.T { return types.Bool }
func (e *DistinctFromExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	a, err := e.A.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	b, err := e.B.Eval(ec, r)
	if err != nil {
		return nil, err
	}
	var distinct bool
	switch {
	case a == nil && b == nil:
		distinct = false
	case a == nil || b == nil:
		distinct = true
	default:
		savedA, savedB := *e.Sa, *e.Sb
		*e.Sa, *e.Sb = a, b
		eq, err := e.Eq.Eval(ec, r)
		*e.Sa, *e.Sb = savedA, savedB
		if err != nil {
			return nil, err
		}
		distinct = eq != true
	}
	return distinct != e.Not, nil
}

// ArrayExpr is ARRAY[...].
type ArrayExpr struct {
	Elems []Expr
	T     types.T
}

func (e *ArrayExpr) Typ() types.T { return e.T }
func (e *ArrayExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	out := &types.Array{Elem: *e.T.Elem, Elems: make([]types.Datum, len(e.Elems))}
	for i, el := range e.Elems {
		d, err := el.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = d
	}
	return out, nil
}

// RowExpr is ROW(...) or (a, b): a record value.
type RowExpr struct {
	Fields []Expr
	// Names, when set, are the fields' names: a whole-row reference to a
	// FROM item (SELECT row_to_json(t) FROM t) has its columns'.
	Names []string
}

// Typ names the fields f1, f2, … as PostgreSQL does for ROW(…), so
// (ROW(1, 2)).f1 selects the first, unless Names says otherwise.
func (e *RowExpr) Typ() types.T {
	names := make([]string, len(e.Fields))
	ts := make([]types.T, len(e.Fields))
	for i, f := range e.Fields {
		names[i], ts[i] = "f"+strconv.Itoa(i+1), f.Typ()
		if i < len(e.Names) {
			names[i] = e.Names[i]
		}
	}
	return types.RecordOf(names, ts)
}
func (e *RowExpr) Eval(ec *Ctx, r Row) (types.Datum, error) {
	out := make([]any, len(e.Fields))
	for i, f := range e.Fields {
		d, err := f.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// EvalBool evaluates a predicate: only true passes (NULL and false do not).
func EvalBool(ec *Ctx, e Expr, r Row) (bool, error) {
	d, err := e.Eval(ec, r)
	if err != nil {
		return false, err
	}
	return d == true, nil
}

// ParamTypes are a statement's parameter types, filled in as they are
// inferred from context; Unknown until then.
type ParamTypes struct {
	Types []types.T
	// fixed marks types given by the client in Parse.
	Fixed []bool
}

func (p *ParamTypes) Ensure(n int) {
	for len(p.Types) < n {
		p.Types = append(p.Types, types.Unknown)
		p.Fixed = append(p.Fixed, false)
	}
}
