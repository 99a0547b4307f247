package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// jsonb subscripting: j['key'], j[0], and UPDATE … SET j['a'][0] = v.
// As in PostgreSQL's jsonb_subscript_transform, each subscript must be
// coercible to exactly one of int4 and text (an unknown literal is
// text), and slices are refused while planning.

// jsonbSubscriptExpr builds one subscript of a jsonb value as text (the
// form the path functions take); isInt says it was an integer.
func (b *builder) jsonbSubscriptExpr(idx *pg_query.A_Indices, s *scope) (e exec.Expr, isInt bool, err error) {
	if idx.IsSlice {
		err := pgerror.New(pgerror.DatatypeMismatch, "jsonb subscript does not support slices")
		bound := idx.Uidx
		if bound == nil {
			bound = idx.Lidx
		}
		if bound != nil {
			err = err.WithPosition(exprStart(bound) + 1)
		}
		return nil, false, err
	}
	sub, err := b.buildExpr(idx.Uidx, s)
	if err != nil {
		return nil, false, err
	}
	t := sub.Typ()
	switch {
	case t.Family == types.UnknownFamily, t.Family == types.StringFamily:
		sub, err = b.coerce(sub, types.Text, "subscript")
		return sub, false, err
	case t.Oid == types.OidInt2, t.Oid == types.OidInt4:
		sub, err = b.coerce(sub, types.Text, "subscript")
		return sub, true, err
	}
	return nil, false, pgerror.New(pgerror.DatatypeMismatch, "subscript type %s is not supported", types.TypeName(t)).
		WithHint("jsonb subscript must be coercible to either integer or text.").WithPosition(exprStart(idx.Uidx) + 1)
}

// jsonbSubscript is doc[idx] in an expression.
func (b *builder) jsonbSubscript(doc exec.Expr, idx *pg_query.A_Indices, s *scope) (exec.Expr, error) {
	sub, _, err := b.jsonbSubscriptExpr(idx, s)
	if err != nil {
		return nil, err
	}
	return &goFuncExpr{name: "jsonb_subscript", args: []exec.Expr{doc, sub}, t: types.JSONB, fn: func(_ *execCtx, args []types.Datum) (types.Datum, error) {
		return builtins.JSONBSubscript(args[0], args[1].(string)), nil
	}}, nil
}

// jsonbSubscriptAssign builds the new value of jsonb column col for
// SET col[i]…[k] = val (rt): the column's current value with val set at
// that path.
func (b *builder) jsonbSubscriptAssign(col *catalog.Column, rt *pg_query.ResTarget, s *scope) (exec.Expr, error) {
	args := make([]exec.Expr, 0, len(rt.Indirection)+2)
	cur, err := b.buildExpr(&pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
		Fields: []*pg_query.Node{pg_query.MakeStrNode(col.Name)}, Location: rt.Location}}}, s)
	if err != nil {
		return nil, err
	}
	args = append(args, cur)
	expectArray := false
	for i, n := range rt.Indirection {
		idx := n.GetAIndices()
		if idx == nil {
			return nil, unsupported("UPDATE of fields of a jsonb column")
		}
		sub, isInt, err := b.jsonbSubscriptExpr(idx, s)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			expectArray = isInt
		}
		args = append(args, sub)
	}
	val, err := b.buildExpr(rt.Val, s)
	if err != nil {
		return nil, err
	}
	if from := val.Typ(); !from.Equal(types.JSONB) && from.Family != types.UnknownFamily && !types.CanCast(from, types.JSONB, types.Assignment) {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "subscripted assignment to %q requires type jsonb but expression is of type %s", col.Name, types.TypeName(from)).
			WithHint("You will need to rewrite or cast the expression.").WithPosition(int(rt.Location) + 1)
	}
	if val, err = b.coerce(val, types.JSONB, "UPDATE"); err != nil {
		return nil, err
	}
	args = append(args, val)
	return &goFuncExpr{name: "jsonb_subscript_assign", args: args, t: types.JSONB, calledOnNull: true, fn: func(_ *execCtx, a []types.Datum) (types.Datum, error) {
		return builtins.JSONBSubscriptAssign(a[0], a[1:len(a)-1], expectArray, a[len(a)-1])
	}}, nil
}

// exprStart is where an expression begins in the query text (0-based),
// as PostgreSQL's exprLocation: a cast starts at its operand.
func exprStart(n *pg_query.Node) int {
	if tc := n.GetTypeCast(); tc != nil && tc.Arg != nil {
		return exprStart(tc.Arg)
	}
	return nodeLocation(n, -1)
}
