package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// goFuncExpr is a function implemented in this package (catalog and
// session functions that need the session or the transaction).
type goFuncExpr struct {
	name         string
	args         []exec.Expr
	t            types.T
	calledOnNull bool
	fn           func(ec *execCtx, args []types.Datum) (types.Datum, error)
}

func (e *goFuncExpr) Typ() types.T { return e.t }

func (e *goFuncExpr) Eval(ec *exec.Ctx, r exec.Row) (types.Datum, error) {
	args := make([]types.Datum, len(e.args))
	hasNull := false
	for i, a := range e.args {
		d, err := a.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		hasNull = hasNull || d == nil
		args[i] = d
	}
	if hasNull && !e.calledOnNull {
		return nil, nil
	}
	return e.fn(sqlCtx(ec), args)
}
