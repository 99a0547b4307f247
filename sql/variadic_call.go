package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// callBuiltinVariadic builds name(a, b, VARIADIC arr): the array's
// elements are the variadic arguments, however many it holds when the
// call runs (json_build_object(VARIADIC '{a,1}'::text[]) is
// json_build_object('a', '1')). last is the array argument's node, for
// the error position.
func (b *builder) callBuiltinVariadic(name string, args []exec.Expr, last *pg_query.Node) (exec.Expr, error) {
	arr := args[len(args)-1]
	at := arr.Typ()
	if at.Family != types.ArrayFamily || at.Elem == nil {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "VARIADIC argument must be an array").WithPosition(exprStart(last) + 1)
	}
	fixed := args[:len(args)-1]
	ts := make([]types.T, len(fixed))
	for i, a := range fixed {
		ts[i] = a.Typ()
	}
	call, casts, err := builtins.ResolveVariadic(name, ts, *at.Elem)
	if err != nil {
		return nil, err
	}
	out := make([]exec.Expr, len(args))
	for i, a := range fixed {
		if c := casts[i]; c.Family != types.AnyFamily && c.Family != types.UnknownFamily {
			if a, err = b.coerce(a, c, name); err != nil {
				return nil, err
			}
		} else if k, ok := a.(*exec.ConstExpr); ok && k.T.Family == types.UnknownFamily {
			a = &exec.ConstExpr{Value: k.Value, T: types.Text}
		}
		out[i] = a
	}
	if c := casts[len(fixed)]; c.Family != types.AnyFamily && c.Family != types.UnknownFamily && !c.Equal(*at.Elem) {
		if arr, err = b.coerce(arr, types.ArrayOf(c), name); err != nil {
			return nil, err
		}
	}
	out[len(fixed)] = arr
	n := len(fixed)
	return &goFuncExpr{name: name, args: out, t: call.Return(), calledOnNull: true, fn: func(ec *execCtx, a []types.Datum) (types.Datum, error) {
		return call.Call(ec.BuiltinCtx(), a[:n], a[n])
	}}, nil
}
