package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// fieldExpr is (record).field: one column of a record whose columns are
// known when planning (a function returning a row, such as
// _pg_expandarray, or a subquery column holding one).
type fieldExpr struct {
	e   expr
	idx int
	t   types.T
}

func (e *fieldExpr) typ() types.T { return e.t }
func (e *fieldExpr) eval(ec *execCtx, r row) (types.Datum, error) {
	d, err := e.e.eval(ec, r)
	if err != nil || d == nil {
		return nil, err
	}
	rec, ok := d.([]any)
	if !ok || e.idx >= len(rec) {
		return nil, pgerror.New(pgerror.InternalError, "field selection on a value that is not a record")
	}
	return rec[e.idx], nil
}

// selectField builds (e).name with PostgreSQL's errors for a value that
// is not a record or a record without that column.
func selectField(e expr, name string) (expr, error) {
	t := e.typ()
	if t.Family != types.RecordFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", name, types.TypeName(t))
	}
	if t.Fields != nil {
		for i, n := range t.Fields.Names {
			if n == name {
				return &fieldExpr{e: e, idx: i, t: t.Fields.Types[i]}, nil
			}
		}
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "could not identify column \"%s\" in record data type", name)
}

// expandRecordStar expands (e).* in a select list into one entry per
// column of the record e.
func (b *builder) expandRecordStar(ind *pg_query.A_Indirection, s *scope) ([]target, error) {
	inner := &pg_query.A_Indirection{Arg: ind.Arg, Indirection: ind.Indirection[:len(ind.Indirection)-1]}
	var e expr
	var err error
	if len(inner.Indirection) == 0 {
		e, err = b.buildExpr(inner.Arg, s)
	} else {
		e, err = b.buildExpr(&pg_query.Node{Node: &pg_query.Node_AIndirection{AIndirection: inner}}, s)
	}
	if err != nil {
		return nil, err
	}
	t := e.typ()
	if t.Family != types.RecordFamily {
		return nil, pgerror.New(pgerror.WrongObjectType, "type %s is not composite", types.TypeName(t))
	}
	if t.Fields == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "record type has not been registered")
	}
	out := make([]target, len(t.Fields.Names))
	for i, n := range t.Fields.Names {
		out[i] = target{e: &fieldExpr{e: e, idx: i, t: t.Fields.Types[i]}, col: resultCol{name: n, t: t.Fields.Types[i]}}
	}
	return out, nil
}
