package sql

import (
	"strconv"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// row is one tuple flowing between plan nodes; NULL is nil.
type row = []types.Datum

// expr is a typed scalar expression, built from the parse tree by the
// planner (build_expr.go) and evaluated against a row.
type expr interface {
	typ() types.T
	eval(ec *execCtx, r row) (types.Datum, error)
}

// constExpr is a literal or a folded constant.
type constExpr struct {
	d types.Datum
	t types.T
	// stable marks a constant folded from a stable expression (see
	// stableNode): PostgreSQL would evaluate it per row, so a fold that
	// uses it and fails is left to run time.
	stable bool
}

func (e *constExpr) typ() types.T                            { return e.t }
func (e *constExpr) eval(*execCtx, row) (types.Datum, error) { return e.d, nil }

// colRef reads a column of the current row (level 0) or of an enclosing
// query's row (level n: correlated subqueries).
type colRef struct {
	idx   int
	level int
	t     types.T
	name  string
}

func (e *colRef) typ() types.T { return e.t }
func (e *colRef) eval(ec *execCtx, r row) (types.Datum, error) {
	if e.level == 0 {
		return r[e.idx], nil
	}
	return ec.outer[len(ec.outer)-e.level][e.idx], nil
}

// paramExpr is a $n placeholder; its type is shared with the statement's
// parameter list so that inference in one place is seen everywhere.
type paramExpr struct {
	idx int
	pt  *paramTypes
}

// typ is Unknown until context gives the parameter a type, so that
// operator resolution treats it like an untyped literal, as PostgreSQL
// does; Prepare reports still-unknown parameters as text.
func (e *paramExpr) typ() types.T { return e.pt.types[e.idx] }
func (e *paramExpr) eval(ec *execCtx, _ row) (types.Datum, error) {
	if e.idx >= len(ec.params) {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", e.idx+1)
	}
	return ec.params[e.idx], nil
}

// castExpr converts its argument to t.
type castExpr struct {
	e        expr
	t        types.T
	explicit bool
}

func (e *castExpr) typ() types.T { return e.t }
func (e *castExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.e.eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	return types.Cast(d, e.e.typ(), e.t, e.explicit, ec.settings())
}

// funcExpr calls a resolved builtin function or operator.
type funcExpr struct {
	name string
	ov   *builtins.Overload
	args []expr
	t    types.T
}

func (e *funcExpr) typ() types.T { return e.t }
func (e *funcExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	// Every argument is evaluated, as PostgreSQL does, before a strict
	// function's NULL result: NULL + 1/0 is a division by zero.
	var buf [4]types.Datum
	args := buf[:0]
	hasNull := false
	for _, a := range e.args {
		d, err := a.eval(ec, r)
		if err != nil {
			return nil, err
		}
		hasNull = hasNull || d == nil
		args = append(args, d)
	}
	if hasNull && !e.ov.CalledOnNull {
		return nil, nil
	}
	return e.ov.Fn(ec.builtinCtx(), args)
}

// goFuncExpr is a function implemented in this package (catalog and
// session functions that need the session or the transaction).
type goFuncExpr struct {
	name         string
	args         []expr
	t            types.T
	calledOnNull bool
	fn           func(ec *execCtx, args []types.Datum) (types.Datum, error)
}

func (e *goFuncExpr) typ() types.T { return e.t }
func (e *goFuncExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	args := make([]types.Datum, len(e.args))
	hasNull := false
	for i, a := range e.args {
		d, err := a.eval(ec, r)
		if err != nil {
			return nil, err
		}
		hasNull = hasNull || d == nil
		args[i] = d
	}
	if hasNull && !e.calledOnNull {
		return nil, nil
	}
	return e.fn(ec, args)
}

// andExpr and orExpr implement three-valued logic.
type andExpr struct{ l, r expr }
type orExpr struct{ l, r expr }
type notExpr struct{ e expr }

func (e *andExpr) typ() types.T { return types.Bool }
func (e *andExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	l, err := e.l.eval(ec, r)
	if err != nil {
		return nil, err
	}
	if l == false {
		return false, nil
	}
	rv, err := e.r.eval(ec, r)
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

func (e *orExpr) typ() types.T { return types.Bool }
func (e *orExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	l, err := e.l.eval(ec, r)
	if err != nil {
		return nil, err
	}
	if l == true {
		return true, nil
	}
	rv, err := e.r.eval(ec, r)
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

func (e *notExpr) typ() types.T { return types.Bool }
func (e *notExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.e.eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	return !d.(bool), nil
}

// isNullExpr is "e IS [NOT] NULL".
type isNullExpr struct {
	e   expr
	not bool
}

func (e *isNullExpr) typ() types.T { return types.Bool }
func (e *isNullExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.e.eval(ec, r)
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
		if e.not {
			return none, nil
		}
		return all, nil
	}
	return (d == nil) != e.not, nil
}

// isBoolExpr is "e IS [NOT] TRUE/FALSE/UNKNOWN".
type isBoolExpr struct {
	e    expr
	want types.Datum // true, false or nil (UNKNOWN)
	not  bool
}

func (e *isBoolExpr) typ() types.T { return types.Bool }
func (e *isBoolExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.e.eval(ec, r)
	if err != nil {
		return nil, err
	}
	return (d == e.want) != e.not, nil
}

// caseExpr is a searched CASE (operand nil) or a simple CASE whose WHEN
// values were already turned into comparisons with the operand.
type caseExpr struct {
	whens []expr
	thens []expr
	els   expr
	t     types.T
}

func (e *caseExpr) typ() types.T { return e.t }
func (e *caseExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	for i, w := range e.whens {
		c, err := w.eval(ec, r)
		if err != nil {
			return nil, err
		}
		if c == true {
			return e.thens[i].eval(ec, r)
		}
	}
	if e.els == nil {
		return nil, nil
	}
	return e.els.eval(ec, r)
}

// caseOperandExpr evaluates a simple CASE's operand once per row and makes
// it available to the WHEN comparisons through operandRef.
type caseOperandExpr struct {
	operand expr
	slot    *types.Datum
	body    expr
}

func (e *caseOperandExpr) typ() types.T { return e.body.typ() }
func (e *caseOperandExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.operand.eval(ec, r)
	if err != nil {
		return nil, err
	}
	saved := *e.slot
	*e.slot = d
	v, err := e.body.eval(ec, r)
	*e.slot = saved
	return v, err
}

type operandRef struct {
	slot *types.Datum
	t    types.T
}

func (e *operandRef) typ() types.T                            { return e.t }
func (e *operandRef) eval(*execCtx, row) (types.Datum, error) { return *e.slot, nil }

// coalesceExpr returns its first non-NULL argument.
type coalesceExpr struct {
	args []expr
	t    types.T
}

func (e *coalesceExpr) typ() types.T { return e.t }
func (e *coalesceExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	for _, a := range e.args {
		d, err := a.eval(ec, r)
		if err != nil || d != nil {
			return d, err
		}
	}
	return nil, nil
}

// nullifExpr is NULLIF(a, b): NULL when a = b, else a. a is evaluated
// once, into slot, which eq (slot = b) reads.
type nullifExpr struct {
	a    expr
	slot *types.Datum
	eq   expr
}

func (e *nullifExpr) typ() types.T { return e.a.typ() }
func (e *nullifExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	v, err := e.a.eval(ec, r)
	if err != nil {
		return nil, err
	}
	saved := *e.slot
	*e.slot = v
	eq, err := e.eq.eval(ec, r)
	*e.slot = saved
	if err != nil {
		return nil, err
	}
	if eq == true {
		return nil, nil
	}
	return v, nil
}

// greatestExpr is GREATEST/LEAST: NULLs ignored.
type greatestExpr struct {
	args  []expr
	t     types.T
	least bool
}

func (e *greatestExpr) typ() types.T { return e.t }
func (e *greatestExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	var best types.Datum
	for _, a := range e.args {
		d, err := a.eval(ec, r)
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
		c := types.Compare(e.t, d, best)
		if (e.least && c < 0) || (!e.least && c > 0) {
			best = d
		}
	}
	return best, nil
}

// inListExpr is "e [NOT] IN (list)" with one comparison per element.
type inListExpr struct {
	cmps []expr // e = list[i]
	not  bool
}

func (e *inListExpr) typ() types.T { return types.Bool }
func (e *inListExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	sawNull := false
	for _, c := range e.cmps {
		d, err := c.eval(ec, r)
		if err != nil {
			return nil, err
		}
		if d == true {
			return !e.not, nil
		}
		if d == nil {
			sawNull = true
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.not, nil
}

// distinctFromExpr is "a IS [NOT] DISTINCT FROM b". a and b are
// evaluated once, into sa and sb, which eq (sa = sb) reads.
type distinctFromExpr struct {
	a, b   expr
	sa, sb *types.Datum
	eq     expr
	not    bool
}

func (e *distinctFromExpr) typ() types.T { return types.Bool }
func (e *distinctFromExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	a, err := e.a.eval(ec, r)
	if err != nil {
		return nil, err
	}
	b, err := e.b.eval(ec, r)
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
		savedA, savedB := *e.sa, *e.sb
		*e.sa, *e.sb = a, b
		eq, err := e.eq.eval(ec, r)
		*e.sa, *e.sb = savedA, savedB
		if err != nil {
			return nil, err
		}
		distinct = eq != true
	}
	return distinct != e.not, nil
}

// arrayExpr is ARRAY[...].
type arrayExpr struct {
	elems []expr
	t     types.T
}

func (e *arrayExpr) typ() types.T { return e.t }
func (e *arrayExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	out := &types.Array{Elem: *e.t.Elem, Elems: make([]types.Datum, len(e.elems))}
	for i, el := range e.elems {
		d, err := el.eval(ec, r)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = d
	}
	return out, nil
}

// rowExpr is ROW(...) or (a, b): a record value.
type rowExpr struct{ fields []expr }

// typ names the fields f1, f2, … as PostgreSQL does, so (ROW(1, 2)).f1
// selects the first.
func (e *rowExpr) typ() types.T {
	names := make([]string, len(e.fields))
	ts := make([]types.T, len(e.fields))
	for i, f := range e.fields {
		names[i], ts[i] = "f"+strconv.Itoa(i+1), f.typ()
	}
	return types.RecordOf(names, ts)
}
func (e *rowExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	out := make([]any, len(e.fields))
	for i, f := range e.fields {
		d, err := f.eval(ec, r)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// evalBool evaluates a predicate: only true passes (NULL and false do not).
func evalBool(ec *execCtx, e expr, r row) (bool, error) {
	d, err := e.eval(ec, r)
	if err != nil {
		return false, err
	}
	return d == true, nil
}
